import { isIP } from 'node:net';
import type { RateLimit } from './rate-limit';
import { DEFAULT_RATE_LIMIT } from './rate-limit';

/**
 * Whether a server address is on this computer or its local network: a server the user runs
 * (their own Fulcrum or ElectrumX beside their node), not a public one shared with strangers.
 */
export function isOwnServerHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local')) return true;
  const kind = isIP(h);
  if (kind === 4) return isPrivateIpv4(h);
  if (kind === 6) return isPrivateIpv6(h);
  return false;
}

function isPrivateIpv4(ip: string): boolean {
  const [a = -1, b = -1] = ip.split('.').map(Number);
  return (
    a === 127 || // loopback
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) // link-local
  );
}

function isPrivateIpv6(ip: string): boolean {
  if (ip === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped?.[1]) return isPrivateIpv4(mapped[1]);
  const first = parseInt(ip.split(':')[0] || '0', 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80; // unique local, link-local
}

/**
 * The request cap exists to be polite to public servers (ElectrumX meters cost per session).
 * The user's own server answers only them, so a first sync there runs at that server's pace: no
 * per-second bucket, and a deeper pipeline. WHY 4,000 awaiting replies: against a server with
 * Fulcrum's measured latency, 1,000 left the pipeline empty between round trips (a 5,000-tx first
 * sync took 3.4 s, and 2.5 s at 4,000, the same as with no ceiling at all); a ceiling still bounds
 * what the server must buffer for us (Fulcrum drops a client past its 8 MB `max_buffer`).
 */
export function defaultRateLimitFor(host: string): RateLimit {
  return isOwnServerHost(host) ? OWN_SERVER_RATE_LIMIT : DEFAULT_RATE_LIMIT;
}

export const OWN_SERVER_RATE_LIMIT: RateLimit = {
  requestsPerSecond: 0,
  burst: DEFAULT_RATE_LIMIT.burst,
  maxInFlight: 4_000,
};
