import { createDecipheriv, createHmac, getCiphers, timingSafeEqual } from 'node:crypto';
import { chacha20 } from '@noble/ciphers/chacha.js';

/**
 * NIP-44 v2 decryption on node:crypto: HMAC-SHA256 and (where the runtime has it) ChaCha20 from
 * OpenSSL instead of pure JS. WHY: a gift wrap is decrypted twice when an inbox loads (the wrap,
 * then the seal), and nostr-tools' pure-JS path cost about twice as much a message
 * (bench/nostr.ts). Same checks, in the spec's order: version, sizes, HMAC over nonce ‖ ciphertext
 * (constant time) before anything is decrypted, then padding. Throws Error on any of them; the
 * message says "invalid MAC" for a wrong MAC, as nostr-tools does.
 */

const MIN_PAYLOAD = 132;
const MIN_DATA = 99;
const LONG_PREFIX_FROM = 65_536;
const MAX_PLAINTEXT = 0xffff_ffff;
const utf8 = new TextDecoder('utf-8');

function opensslChacha20(key: Uint8Array, nonce12: Uint8Array, data: Uint8Array): Uint8Array {
  // OpenSSL's IV is the 32-bit block counter (little endian, here 0) followed by the nonce.
  const iv = Buffer.alloc(16);
  iv.set(nonce12, 4);
  const d = createDecipheriv('chacha20', key, iv);
  return Buffer.concat([d.update(data), d.final()]);
}

/**
 * Whether this runtime has raw ChaCha20 that gives @noble/ciphers' keystream (Node's OpenSSL
 * does). WHY the comparison and not only the cipher list: Electron's BoringSSL may lack it or
 * read the IV otherwise, and a wrong keystream would only show as "invalid padding" on every
 * message; there the keystream comes from @noble/ciphers.
 */
export const nativeChacha20: boolean = (() => {
  if (!getCiphers().includes('chacha20')) return false;
  try {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const nonce = Uint8Array.from({ length: 12 }, (_, i) => 7 * i + 1);
    const zeros = new Uint8Array(80);
    return Buffer.from(opensslChacha20(key, nonce, zeros)).equals(Buffer.from(chacha20(key, nonce, zeros)));
  } catch {
    return false;
  }
})();

/** NIP-44's padded length for an unpadded length (same rule as the spec's calc_padded_len). */
export function paddedLength(len: number): number {
  if (len <= 32) return 32;
  const nextPower = 2 ** (Math.floor(Math.log2(len - 1)) + 1);
  const chunk = nextPower <= 256 ? 32 : nextPower / 8;
  return chunk * (Math.floor((len - 1) / chunk) + 1);
}

function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const h = createHmac('sha256', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

/** HKDF-Expand(SHA-256, PRK = conversation key, info = nonce, 76 bytes): chacha key, nonce, hmac key. */
function messageKeys(conversationKey: Uint8Array, nonce: Uint8Array): Buffer {
  const t1 = hmacSha256(conversationKey, nonce, ONE);
  const t2 = hmacSha256(conversationKey, t1, nonce, TWO);
  const t3 = hmacSha256(conversationKey, t2, nonce, THREE);
  const keys = Buffer.concat([t1, t2, t3], 76);
  for (const t of [t1, t2, t3]) t.fill(0);
  return keys;
}
const ONE = Uint8Array.of(1);
const TWO = Uint8Array.of(2);
const THREE = Uint8Array.of(3);

function chacha20Keystream(key: Uint8Array, nonce12: Uint8Array, data: Uint8Array): Uint8Array {
  return nativeChacha20 ? opensslChacha20(key, nonce12, data) : chacha20(key, nonce12, data);
}

/** Decrypts a NIP-44 v2 payload (base64) with a conversation key. */
export function nip44DecryptV2(payload: string, conversationKey: Uint8Array): string {
  if (typeof payload !== 'string') throw new Error('payload must be a valid string');
  if (payload.length < MIN_PAYLOAD) throw new Error(`invalid payload length: ${payload.length}`);
  if (payload[0] === '#') throw new Error('unknown encryption version');
  const data = Buffer.from(payload, 'base64');
  // Buffer's decoder skips characters outside the alphabet; only the canonical encoding of
  // what it decoded is accepted, as a strict base64 decoder would.
  if (data.toString('base64') !== payload) throw new Error('invalid base64');
  if (data.length < MIN_DATA) throw new Error(`invalid data length: ${data.length}`);
  if (data[0] !== 2) throw new Error(`unknown encryption version ${data[0]}`);
  const nonce = data.subarray(1, 33);
  const ciphertext = data.subarray(33, data.length - 32);
  const mac = data.subarray(data.length - 32);
  const keys = messageKeys(conversationKey, nonce);
  try {
    const expected = hmacSha256(keys.subarray(44, 76), nonce, ciphertext);
    if (!timingSafeEqual(expected, mac)) throw new Error('invalid MAC');
    const padded = chacha20Keystream(keys.subarray(0, 32), keys.subarray(32, 44), ciphertext);
    return unpad(padded);
  } finally {
    keys.fill(0);
  }
}

function unpad(padded: Uint8Array): string {
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  if (padded.length < 2) throw new Error('invalid padding');
  let len = view.getUint16(0);
  let prefix = 2;
  if (len === 0) {
    // The long form nostr-tools also reads: two zero bytes, then a 32-bit length past 65,535.
    if (padded.length < 6) throw new Error('invalid padding');
    len = view.getUint32(2);
    if (len < LONG_PREFIX_FROM) throw new Error('invalid padding');
    prefix = 6;
  }
  if (len < 1 || len > MAX_PLAINTEXT || padded.length !== prefix + paddedLength(len))
    throw new Error('invalid padding');
  return utf8.decode(padded.subarray(prefix, prefix + len));
}
