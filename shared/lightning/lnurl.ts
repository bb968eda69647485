import { bech32 } from '@scure/base';
import type { Network } from '../contract/common';
import { LightningParseError, malformed } from './errors';

/**
 * What an LNURL looks like when pasted or scanned: bech32 `lnurl1…` (LUD-01), the LUD-17
 * schemes (`lnurlp://`, `lnurlw://`, `keyauth://`, `lnurlc://`), and Lightning addresses
 * (LUD-16, `name@domain`). Decoding only: nothing here touches the network. The URL comes out
 * ready to fetch, with the scheme LUD-01 allows (https, or http for .onion).
 *
 * On regtest a service on this machine or the LAN (the test stack) may be plain http: nobody
 * runs regtest LNURL services with public certificates, and regtest coins are worthless.
 */

export type LnurlTag = 'payRequest' | 'withdrawRequest' | 'login' | 'channelRequest';

export interface LnurlTarget {
  /** What the service will do, when the string says so before any fetch (LUD-17 scheme, `tag=`). */
  tag: LnurlTag | null;
  /** The URL to GET (or, for login, to call back with the signature). */
  url: string;
  /** Host name shown to the user and used for LNURL-auth key derivation. */
  domain: string;
  /** LUD-04: the challenge and the optional action, when `tag=login`. */
  k1: string | null;
  action: 'register' | 'login' | 'link' | 'auth' | null;
}

export interface LightningAddress {
  /** Lowercased `name@domain`. */
  address: string;
  username: string;
  domain: string;
  /** LUD-16: https://domain/.well-known/lnurlp/name (http for .onion). */
  url: string;
}

const SCHEME_TAG: Readonly<Record<string, LnurlTag>> = {
  'lnurlp:': 'payRequest',
  'lnurlw:': 'withdrawRequest',
  'keyauth:': 'login',
  'lnurlc:': 'channelRequest',
};

const ACTIONS = new Set(['register', 'login', 'link', 'auth']);

function isOnion(host: string): boolean {
  return /\.onion$/i.test(host);
}

/** Loopback, private or link-local literal addresses and localhost names. */
function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (/^127\.|^10\.|^192\.168\.|^169\.254\.|^172\.(1[6-9]|2\d|3[01])\./.test(h)) return true;
  return h === '::1' || /^f[cd][0-9a-f]{2}:/.test(h) || /^fe80:/.test(h);
}

/** Whether a fetched LNURL may use this scheme (LUD-01: https, or http only for onion). */
function checkScheme(url: URL, network: Network): void {
  if (url.protocol === 'https:') return;
  if (
    url.protocol === 'http:' &&
    (isOnion(url.hostname) || (network === 'regtest' && isLocalHost(url.hostname)))
  )
    return;
  throw new LightningParseError(
    'LIGHTNING_MALFORMED',
    'An LNURL must be an https:// address (or http:// for .onion).',
    {
      reason: 'lnurl-scheme',
    },
  );
}

function targetFromUrl(url: URL, tagHint: LnurlTag | null, network: Network): LnurlTarget {
  checkScheme(url, network);
  if (url.username || url.password)
    throw malformed('lnurl-credentials', 'An LNURL must not carry a user name or password.');
  const tagParam = url.searchParams.get('tag');
  const tag: LnurlTag | null =
    tagHint ??
    (tagParam === 'login' ||
    tagParam === 'withdrawRequest' ||
    tagParam === 'payRequest' ||
    tagParam === 'channelRequest'
      ? tagParam
      : null);
  let k1: string | null = null;
  let action: LnurlTarget['action'] = null;
  if (tag === 'login') {
    k1 = url.searchParams.get('k1');
    if (!k1 || !/^[0-9a-fA-F]{64}$/.test(k1))
      throw malformed('lnurl-k1', 'An LNURL-auth link needs a 32-byte hex challenge (k1).');
    k1 = k1.toLowerCase();
    const a = url.searchParams.get('action');
    if (a !== null) {
      if (!ACTIONS.has(a)) throw malformed('lnurl-action', `Unknown LNURL-auth action "${a}".`);
      action = a as LnurlTarget['action'];
    }
  }
  return { tag, url: url.toString(), domain: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), k1, action };
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw malformed('lnurl-url', 'The LNURL does not hold a valid web address.');
  }
}

/** Decodes `lnurl1…` (bech32, any length, one case). Throws LightningParseError. */
export function decodeBech32Lnurl(input: string, network: Network): LnurlTarget {
  const text = input.trim();
  if (text !== text.toLowerCase() && text !== text.toUpperCase())
    throw malformed('mixed-case', 'An LNURL is all lowercase or all uppercase, never mixed.');
  let bytes: Uint8Array;
  try {
    const decoded = bech32.decode(text.toLowerCase() as `${string}1${string}`, false);
    if (decoded.prefix !== 'lnurl') throw malformed('prefix', 'An LNURL starts with "lnurl1".');
    bytes = bech32.fromWords(decoded.words);
  } catch (err) {
    if (err instanceof LightningParseError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/checksum/i.test(message))
      throw new LightningParseError('LIGHTNING_BAD_CHECKSUM', 'The LNURL checksum does not match.');
    throw malformed('bech32', `Not a valid LNURL: ${message}`);
  }
  let url: string;
  try {
    url = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw malformed('lnurl-url', 'The LNURL does not hold text.');
  }
  return targetFromUrl(parseUrl(url), null, network);
}

/** True for the LUD-17 schemes. */
export function isLud17(text: string): boolean {
  return /^(lnurlp|lnurlw|lnurlc|keyauth):\/\//i.test(text.trim());
}

/** `lnurlp://host/path` -> https://host/path (http for .onion; and for local hosts on regtest). */
export function decodeLud17(input: string, network: Network): LnurlTarget {
  const text = input.trim();
  const m = /^([a-z]+:)\/\/(.*)$/i.exec(text);
  const scheme = (m?.[1] ?? '').toLowerCase();
  const tag = SCHEME_TAG[scheme];
  if (!m || !tag) throw malformed('lnurl-scheme', 'Unknown LNURL scheme.');
  const probe = parseUrl(`https://${m[2] ?? ''}`);
  const plain = isOnion(probe.hostname) || (network === 'regtest' && isLocalHost(probe.hostname));
  const url = plain ? parseUrl(`http://${m[2] ?? ''}`) : probe;
  return targetFromUrl(url, tag, network);
}

/** A plain web link carrying `lightning=LNURL1…` (LUD-01 fallback scheme), or null. */
export function lnurlFromFallbackLink(text: string): string | null {
  if (!/^https?:\/\//i.test(text.trim())) return null;
  try {
    const value = new URL(text.trim()).searchParams.get('lightning');
    return value && /^lnurl1/i.test(value) ? value : null;
  } catch {
    return null;
  }
}

const USERNAME = /^[a-z0-9\-_.]+$/;
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** True for `name@domain`-shaped text (cheap check before parsing). */
export function looksLikeLightningAddress(text: string): boolean {
  return /^[^@\s]+@[^@\s]+$/.test(text.trim());
}

/**
 * LUD-16 `name@domain`. Case is folded (the spec allows lowercase only; people type capitals).
 * On regtest the domain may be `host:port` on this machine or the LAN, reached over http.
 */
export function parseLightningAddress(input: string, network: Network): LightningAddress {
  const text = input.trim().toLowerCase();
  const at = text.lastIndexOf('@');
  const username = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (at <= 0 || !USERNAME.test(username))
    throw malformed(
      'address-name',
      'A Lightning address has a name of letters, digits, "-", "_" and "." before the @.',
    );
  const [host = '', port, ...rest] = domain.split(':');
  const localRegtest = network === 'regtest' && isLocalHost(host);
  const labels = host.split('.');
  const validHost =
    rest.length === 0 &&
    (localRegtest || (labels.length >= 2 && labels.every((l) => HOST_LABEL.test(l)))) &&
    (port === undefined || (localRegtest && /^\d{1,5}$/.test(port)));
  if (!validHost) throw malformed('address-domain', 'The part after @ is not a domain name.');
  const scheme = isOnion(host) || localRegtest ? 'http' : 'https';
  return {
    address: `${username}@${domain}`,
    username,
    domain,
    url: `${scheme}://${domain}/.well-known/lnurlp/${username}`,
  };
}
