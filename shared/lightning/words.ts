/**
 * 5-bit word helpers for BOLT11 and BOLT12. @scure/base does the bech32 checksum; these do the
 * bit packing BOLT11 needs beyond it (fields whose bit length is not a multiple of 8, big-endian
 * integers of any word count) without throwing on padding, which tagged fields may carry.
 */

export const BECH32_ALPHABET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

const CHAR_VALUE: Readonly<Record<string, number>> = Object.fromEntries(
  [...BECH32_ALPHABET].map((c, i) => [c, i]),
);

/** Value of one lowercase bech32 character, or -1. */
export function charValue(c: string): number {
  return CHAR_VALUE[c] ?? -1;
}

/** Regroups bits; `pad` appends zero bits to fill the last group, otherwise leftover bits are dropped. */
export function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxOut = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = ((acc << from) | (data[i] ?? 0)) & 0xffffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxOut);
    }
  }
  if (pad && bits > 0) out.push((acc << (to - bits)) & maxOut);
  return out;
}

/** Words to bytes, dropping the final partial byte (BOLT11 fields are zero-padded to 5 bits). */
export function wordsToBytes(words: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(convertBits(words, 5, 8, false));
}

export function bytesToWords(bytes: ArrayLike<number>): number[] {
  return convertBits(bytes, 8, 5, true);
}

/** Big-endian unsigned integer from words (timestamps, expiry, cltv), exact for any length. */
export function wordsToBigInt(words: ArrayLike<number>): bigint {
  let n = 0n;
  for (let i = 0; i < words.length; i++) n = (n << 5n) | BigInt(words[i] ?? 0);
  return n;
}

/** The fewest words holding `n` (at least one). */
export function bigIntToWords(n: bigint, minWords = 1): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0n) {
    out.unshift(Number(v & 31n));
    v >>= 5n;
  }
  while (out.length < minWords) out.unshift(0);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('not hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
