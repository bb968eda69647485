import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { getPublicKey } from 'nostr-tools/pure';
import { FlashError } from '../../../shared/errors';

/** What a `nostr+walletconnect://` URI carries (NIP-47 "Nostr Wallet Connect URI"). */
export interface NwcUri {
  /** The wallet service's public key (x-only, lowercase hex). */
  walletPubkey: string;
  /** Where the wallet service listens; at least one, normalized (ws:// or wss://). */
  relays: string[];
  /** The client's 32-byte secret key: signs our requests and encrypts their content. */
  secret: Uint8Array;
  /** Lightning address the wallet offers for receiving (recommended by NIP-47, optional). */
  lud16: string | null;
}

const SCHEMES = ['nostr+walletconnect:', 'nostrwalletconnect:'];
const HEX64 = /^[0-9a-f]{64}$/;
const MAX_URI_LENGTH = 4096;
const MAX_RELAYS = 8;

function bad(reason: string): FlashError {
  // The reason never quotes the URI: it holds the secret.
  return new FlashError('NWC_INVALID_URI', `Not a Nostr Wallet Connect URI: ${reason}.`, { reason });
}

/**
 * Parses a connection URI. Throws NWC_INVALID_URI with a reason that never
 * repeats the secret. `nostrwalletconnect:` (no plus) is accepted because some wallets print it.
 */
export function parseNwcUri(input: string): NwcUri {
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_URI_LENGTH) throw bad('empty or too long');
  const scheme = SCHEMES.find((s) => text.toLowerCase().startsWith(s));
  if (!scheme) throw bad('it must start with nostr+walletconnect://');
  // WHY a fake http URL: WHATWG URL leaves the host of unknown schemes opaque in some engines.
  const rest = text.slice(scheme.length).replace(/^\/\//, '');
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    throw bad('it is not a URI');
  }
  const walletPubkey = url.hostname.toLowerCase();
  if (!HEX64.test(walletPubkey)) throw bad('the wallet key must be 64 hex characters');
  if (url.username || url.password || url.port) throw bad('unexpected parts before the wallet key');
  const secretHex = (url.searchParams.get('secret') ?? '').toLowerCase();
  if (!HEX64.test(secretHex)) throw bad('the secret must be 64 hex characters');
  const secret = hexToBytes(secretHex);
  try {
    getPublicKey(secret);
  } catch {
    throw bad('the secret is not a valid key');
  }
  const relays: string[] = [];
  for (const raw of url.searchParams.getAll('relay')) {
    const relay = normalizeNwcRelay(raw);
    if (!relay) throw bad('a relay is not a ws:// or wss:// URL');
    if (!relays.includes(relay)) relays.push(relay);
  }
  if (relays.length === 0) throw bad('it names no relay');
  if (relays.length > MAX_RELAYS) throw bad('it names too many relays');
  const lud16Raw = url.searchParams.get('lud16');
  const lud16 = lud16Raw && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(lud16Raw.trim()) ? lud16Raw.trim() : null;
  return { walletPubkey, relays, secret, lud16 };
}

/** Builds the URI a wallet service hands to a client app (Flash as an NWC service). */
export function buildNwcUri(uri: NwcUri): string {
  const params = new URLSearchParams();
  for (const r of uri.relays) params.append('relay', r);
  params.set('secret', bytesToHex(uri.secret));
  if (uri.lud16) params.set('lud16', uri.lud16);
  return `nostr+walletconnect://${uri.walletPubkey}?${params.toString()}`;
}

function normalizeNwcRelay(raw: string): string | null {
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return null;
    if (u.username || u.password) return null;
    u.hash = '';
    let s = u.toString();
    if (s.endsWith('/') && u.pathname === '/' && !u.search) s = s.slice(0, -1);
    return s;
  } catch {
    return null;
  }
}
