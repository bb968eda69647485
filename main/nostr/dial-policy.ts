import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';

/**
 * Where NOSTR may dial. Relay URLs and NIP-05 domains mostly come from other people's events
 * (relay lists, hints, profiles), so a stranger could otherwise make the wallet knock on the
 * user's router, a service on localhost or the LAN. Only relays the user chose are exempt.
 */

/** What kind of network an IP address belongs to; only 'public' may be dialled for strangers. */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'unspecified' | 'reserved';

export type DialRefusalReason =
  | 'bad-url'
  /** Not 443 or 80. */
  | 'port'
  /** `localhost` and `*.localhost` (RFC 6761), refused by name even before DNS. */
  | 'local-name'
  | Exclude<AddressClass, 'public'>;

export interface DialRefusal {
  reason: DialRefusalReason;
  host: string;
  port?: number;
  /** The offending address (a literal in the URL, or a DNS answer). */
  address?: string;
}

export type DialDecision =
  | {
      ok: true;
      /** Host without IPv6 brackets. */
      host: string;
      port: number;
      /** The host is an IP literal (already classified). */
      literal: boolean;
    }
  | { ok: false; refusal: DialRefusal };

export const ALLOWED_PORTS: readonly number[] = [443, 80];

/** A socket or lookup refused by the policy. Callers turn it into their own FlashError code. */
export class DialRefusedError extends Error {
  readonly refusal: DialRefusal;
  constructor(refusal: DialRefusal) {
    super(describeRefusal(refusal));
    this.name = 'DialRefusedError';
    this.refusal = refusal;
  }
}

export function describeRefusal(r: DialRefusal): string {
  const where = r.port !== undefined ? `${r.host}:${r.port}` : r.host;
  switch (r.reason) {
    case 'bad-url':
      return `refused: ${where} is not a usable address`;
    case 'port':
      return `refused: port ${r.port ?? '?'} of ${r.host} (only 443 and 80 for relays you did not add)`;
    case 'local-name':
      return `refused: ${where} names this computer`;
    default:
      return `refused: ${where} is a ${r.reason} address${r.address && r.address !== r.host ? ` (${r.address})` : ''}`;
  }
}

// ---- addresses

/** Four bytes of a dotted-quad IPv4 address, or null. */
function ipv4Bytes(ip: string): number[] | null {
  if (!net.isIPv4(ip)) return null;
  return ip.split('.').map(Number);
}

/** Sixteen bytes of an IPv6 address (brackets and zone id ignored), or null. */
function ipv6Bytes(input: string): number[] | null {
  const ip = input.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (!net.isIPv6(ip)) return null;
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v4 = ipv4Bytes(dotted[1]);
    if (!v4) return null;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves[1] ? halves[1].split(':') : [];
  const zeros = 8 - left.length - right.length;
  if (halves.length === 1 ? zeros !== 0 : zeros < 1) return null;
  const bytes: number[] = [];
  for (const g of [...left, ...Array<string>(zeros).fill('0'), ...right]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const v = parseInt(g, 16);
    bytes.push(v >> 8, v & 0xff);
  }
  return bytes;
}

function classifyV4(b: number[]): AddressClass {
  const [a = 0, c = 0, d = 0] = b;
  if (a === 0) return 'unspecified'; // 0.0.0.0/8, "this network"
  if (a === 127) return 'loopback';
  if (a === 10) return 'private';
  if (a === 172 && c >= 16 && c <= 31) return 'private';
  if (a === 192 && c === 168) return 'private';
  if (a === 100 && c >= 64 && c <= 127) return 'private'; // CGNAT shared space, RFC 6598
  if (a === 169 && c === 254) return 'link-local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // 240/4 and the broadcast address
  if (a === 192 && c === 0 && d === 0) return 'reserved'; // IETF protocol assignments
  if (a === 192 && c === 0 && d === 2) return 'reserved'; // TEST-NET-1
  if (a === 198 && c === 51 && d === 100) return 'reserved'; // TEST-NET-2
  if (a === 203 && c === 0 && d === 113) return 'reserved'; // TEST-NET-3
  if (a === 198 && (c === 18 || c === 19)) return 'reserved'; // benchmarking
  return 'public';
}

function classifyV6(b: number[]): AddressClass {
  const zeroUpTo = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && b[15] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d: the socket really goes to the IPv4 address.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(b.slice(12));
  // IPv4-compatible ::a.b.c.d (deprecated; some stacks still route it as IPv4).
  if (zeroUpTo(12)) return classifyV4(b.slice(12)) === 'public' ? 'reserved' : classifyV4(b.slice(12));
  // NAT64 64:ff9b::/96 reaches whatever IPv4 address it embeds.
  if (
    b[0] === 0x00 &&
    b[1] === 0x64 &&
    b[2] === 0xff &&
    b[3] === 0x9b &&
    b.slice(4, 12).every((x) => x === 0)
  )
    return classifyV4(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b[4] === 0 && b[5] === 1)
    return 'private'; // local-use NAT64, RFC 8215
  // 6to4 2002:a.b.c.d::/48 tunnels to the embedded IPv4 address.
  if (b[0] === 0x20 && b[1] === 0x02) {
    const inner = classifyV4(b.slice(2, 6));
    if (inner !== 'public') return inner;
  }
  const first = b[0] ?? 0;
  if ((first & 0xfe) === 0xfc) return 'private'; // ULA fc00::/7
  if (first === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (first === 0xfe && ((b[1] ?? 0) & 0xc0) === 0xc0) return 'private'; // site-local fec0::/10
  if (first === 0xff) return 'multicast';
  if (first === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'reserved'; // docs
  // Only global unicast 2000::/3 is routed on the internet; the rest is unassigned.
  if ((first & 0xe0) !== 0x20) return 'reserved';
  return 'public';
}

/** The class of an IP address (v4, v6 with or without brackets, mapped forms), or null if not an IP. */
export function classifyAddress(ip: string): AddressClass | null {
  const v4 = ipv4Bytes(ip);
  if (v4) return classifyV4(v4);
  const v6 = ipv6Bytes(ip);
  if (v6) return classifyV6(v6);
  return null;
}

function isLocalName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}

// ---- URLs

/**
 * May we dial `url` (ws, wss, http or https) for a stranger? `trusted` (a relay the user added
 * or passed with --nostr-relays) skips every check: the user's own local relay is fine.
 * Host names are not resolved here; see `guardedLookup` for the check after DNS.
 */
export function checkDialUrl(url: string, opts: { trusted: boolean }): DialDecision {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, refusal: { reason: 'bad-url', host: url.slice(0, 100) } };
  }
  const secure = u.protocol === 'wss:' || u.protocol === 'https:';
  if (!secure && u.protocol !== 'ws:' && u.protocol !== 'http:')
    return { ok: false, refusal: { reason: 'bad-url', host: u.host } };
  // WHATWG URL parsing already turned 0x7f.1, 2130706433 and friends into dotted quads.
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port === '' ? (secure ? 443 : 80) : Number(u.port);
  if (host === '') return { ok: false, refusal: { reason: 'bad-url', host: u.host } };
  const cls = classifyAddress(host);
  if (opts.trusted) return { ok: true, host, port, literal: cls !== null };
  if (!ALLOWED_PORTS.includes(port)) return { ok: false, refusal: { reason: 'port', host, port } };
  if (cls === null && isLocalName(host)) return { ok: false, refusal: { reason: 'local-name', host, port } };
  if (cls !== null && cls !== 'public')
    return { ok: false, refusal: { reason: cls, host, port, address: host } };
  return { ok: true, host, port, literal: cls !== null };
}

// ---- DNS

/** `dns.lookup(host, { all: true })`, injectable so tests can play a lying DNS server. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/** The first resolved address that is not public, as a refusal; null when all are public. */
export function checkResolved(host: string, addresses: readonly LookupAddress[]): DialRefusal | null {
  if (addresses.length === 0) return { reason: 'bad-url', host };
  for (const a of addresses) {
    const cls = classifyAddress(a.address) ?? 'reserved';
    // One bad answer refuses the name: a host that mixes public and private answers is a
    // rebinding attempt or a misconfiguration, and either way not worth the risk.
    if (cls !== 'public') return { reason: cls, host, address: a.address };
  }
  return null;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
export type LookupFunction = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/**
 * A `lookup` for net/tls/http/ws sockets that resolves the host itself and hands the socket
 * only addresses it checked, so a DNS answer that changes between check and connect (DNS
 * rebinding) cannot slip through: the socket connects to exactly what was classified here.
 */
export function guardedLookup(resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname)
      .then((all) => {
        const refusal = checkResolved(hostname, all);
        if (refusal) throw new DialRefusedError(refusal);
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family === 0 ? all : all.filter((a) => a.family === family);
        const first = usable[0];
        if (!first) {
          const err: NodeJS.ErrnoException = new Error(`no IPv${family} address for ${hostname}`);
          err.code = 'ENOTFOUND';
          throw err;
        }
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      })
      .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), ''));
  };
}
