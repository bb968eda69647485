import { createCipheriv, createDecipheriv } from 'node:crypto';
import { hchacha } from '@noble/ciphers/chacha.js';

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) on Node's native ChaCha20-Poly1305: HChaCha20 of
 * the key and the nonce's first 16 bytes gives a subkey, used with RFC 8439 ChaCha20-Poly1305 and
 * the nonce's last 8 bytes behind four zero bytes. Byte for byte what @noble/ciphers'
 * xchacha20poly1305 produces (a unit test holds them together), about fourteen times faster here
 * (35 MB: 0.16 s against 2.3 s), which is what a large profile's backup spends most time on.
 */

export const XNONCE_BYTES = 24;
export const TAG_LENGTH = 16;
const SIGMA = new Uint32Array([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);

function words(bytes: Uint8Array, count: number): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getUint32(4 * i, true);
  return out;
}

/** HChaCha20(key, nonce[0..16]): the per-nonce-prefix subkey. */
export function xchachaSubkey(key: Uint8Array, nonce: Uint8Array): Uint8Array {
  const k = words(key, 8);
  const out = new Uint32Array(8);
  hchacha(SIGMA, k, words(nonce.subarray(0, 16), 4), out);
  const sub = new Uint8Array(32);
  const view = new DataView(sub.buffer);
  for (let i = 0; i < 8; i++) view.setUint32(4 * i, out[i]!, true);
  k.fill(0);
  out.fill(0);
  return sub;
}

function innerNonce(nonce: Uint8Array): Buffer {
  const n = Buffer.alloc(12);
  n.set(nonce.subarray(16, 24), 4);
  return n;
}

/** ciphertext || tag. `subkey` from xchachaSubkey(key, nonce). */
export function xchachaSeal(
  subkey: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  plain: Uint8Array,
): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', subkey, innerNonce(nonce), {
    authTagLength: TAG_LENGTH,
  });
  cipher.setAAD(aad, { plaintextLength: plain.length });
  const body = cipher.update(plain);
  cipher.final();
  const out = new Uint8Array(body.length + TAG_LENGTH);
  out.set(body, 0);
  out.set(cipher.getAuthTag(), body.length);
  return out;
}

/** Throws when the tag does not match (a changed byte, another key, nonce or AAD). */
export function xchachaOpen(
  subkey: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array {
  if (sealed.length < TAG_LENGTH) throw new Error('too short');
  const decipher = createDecipheriv('chacha20-poly1305', subkey, innerNonce(nonce), {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  decipher.setAAD(aad, { plaintextLength: sealed.length - TAG_LENGTH });
  const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
  decipher.final();
  return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
}
