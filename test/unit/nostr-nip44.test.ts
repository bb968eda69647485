import { chacha20 } from '@noble/ciphers/chacha.js';
import { expand } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import * as nip44 from 'nostr-tools/nip44';
import { describe, expect, it } from 'vitest';
import { conversationKey } from '../../main/nostr/conversation-key';
import { nativeChacha20, nip44DecryptV2, paddedLength } from '../../main/nostr/nip44';

// From NIP-44's test vectors (nip44.vectors.json, v2.valid.encrypt_decrypt[0]).
const SPEC_KEY = hexToBytes('c41c775356fd92eadc63ff5a0dc1da211b268cbea22316767095b2871ea1412d');
const SPEC_PAYLOAD =
  'AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABee0G5VSK0/9YypIObAtDKfYEAjD35uVkHyB0F4DwrcNaCXlCWZKaArsGrY6M9wnuTMxWfp1RTN9Xga8no+kF5Vsb';

const randomKey = () => crypto.getRandomValues(new Uint8Array(32));

/** A v2 payload built by hand, so its padding can be wrong while its MAC is right. */
function craft(key: Uint8Array, padded: Uint8Array): string {
  const nonce = crypto.getRandomValues(new Uint8Array(32));
  const keys = expand(sha256, key, nonce, 76);
  const ciphertext = chacha20(keys.subarray(0, 32), keys.subarray(32, 44), padded);
  const mac = hmac(sha256, keys.subarray(44, 76), new Uint8Array([...nonce, ...ciphertext]));
  return Buffer.from([2, ...nonce, ...ciphertext, ...mac]).toString('base64');
}

function throwsWith(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected an error');
}

describe('NIP-44 v2 decryption on node:crypto', () => {
  it('runs ChaCha20 on OpenSSL under Node', () => {
    expect(nativeChacha20).toBe(true);
  });

  it("derives the spec's conversation key (sec1 = 1, pub2 = the key of sec2 = 2)", () => {
    const sec1 = hexToBytes('0000000000000000000000000000000000000000000000000000000000000001');
    const pub2 = 'c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5';
    expect(Buffer.from(conversationKey(sec1, pub2))).toEqual(Buffer.from(SPEC_KEY));
  });

  it("decrypts the spec's vector", () => {
    expect(nip44DecryptV2(SPEC_PAYLOAD, SPEC_KEY)).toBe('a');
  });

  it('agrees with nostr-tools on random keys and texts of every padding class, unicode and the long form', () => {
    const lengths = [
      1, 2, 31, 32, 33, 64, 65, 100, 255, 256, 257, 1000, 4096, 10_000, 65_535, 65_536, 70_000,
    ];
    for (const len of lengths) {
      const key = randomKey();
      const text = [...'ñ🎉a'.repeat(len)].slice(0, len).join('');
      const payload = nip44.encrypt(text, key);
      expect(nip44DecryptV2(payload, key)).toBe(nip44.decrypt(payload, key));
      expect(nip44DecryptV2(payload, key)).toBe(text);
    }
  });

  it('refuses a flipped bit in the MAC, the ciphertext or the nonce, and a wrong key, as invalid MAC', () => {
    const key = randomKey();
    const payload = nip44.encrypt('hello there', key);
    const raw = Buffer.from(payload, 'base64');
    for (const at of [raw.length - 1, 40, 1]) {
      const bad = Buffer.from(raw);
      bad[at] = (bad[at] ?? 0) ^ 1;
      expect(throwsWith(() => nip44DecryptV2(bad.toString('base64'), key))).toBe('invalid MAC');
    }
    expect(throwsWith(() => nip44DecryptV2(payload, randomKey()))).toBe('invalid MAC');
    expect(nip44DecryptV2(payload, key)).toBe('hello there');
  });

  it('refuses other versions, short payloads and base64 a strict decoder would refuse', () => {
    const key = randomKey();
    const payload = nip44.encrypt('hello there', key);
    const raw = Buffer.from(payload, 'base64');
    const v1 = Buffer.from(raw);
    v1[0] = 1;
    expect(throwsWith(() => nip44DecryptV2(v1.toString('base64'), key))).toMatch(/version/);
    expect(throwsWith(() => nip44DecryptV2(`#${payload.slice(1)}`, key))).toMatch(/version/);
    expect(throwsWith(() => nip44DecryptV2(payload.slice(0, 100), key))).toMatch(/payload length/);
    // Characters Buffer's decoder would skip, and a missing padding character.
    expect(throwsWith(() => nip44DecryptV2(`${payload.slice(0, 50)}!!${payload.slice(50)}`, key))).toBe(
      'invalid base64',
    );
    expect(throwsWith(() => nip44DecryptV2(`${payload.slice(0, 50)}\n${payload.slice(50)}`, key))).toBe(
      'invalid base64',
    );
    const padded = nip44.encrypt('x'.repeat(40), key); // 131 bytes: one padding character
    expect(padded.endsWith('=')).toBe(true);
    expect(throwsWith(() => nip44DecryptV2(padded.slice(0, -1), key))).toBe('invalid base64');
  });

  it('refuses wrong padding even under a right MAC', () => {
    const key = randomKey();
    const body = new TextEncoder().encode('hello');
    const padded = (prefix: number[], size: number) => {
      const p = new Uint8Array(size);
      p.set(prefix);
      p.set(body, prefix.length);
      return p;
    };
    // Right: length 5, padded to 32 (+2 for the prefix).
    expect(nip44DecryptV2(craft(key, padded([0, 5], 34)), key)).toBe('hello');
    // Padded to 64 where 32 is the rule; a length past the padding; a zero length; a short long form.
    expect(throwsWith(() => nip44DecryptV2(craft(key, padded([0, 5], 66)), key))).toBe('invalid padding');
    expect(throwsWith(() => nip44DecryptV2(craft(key, padded([0, 40], 34)), key))).toBe('invalid padding');
    expect(throwsWith(() => nip44DecryptV2(craft(key, padded([0, 0, 0, 0, 0, 5], 34)), key))).toBe(
      'invalid padding',
    );
  });

  it("pads by the spec's rule", () => {
    expect([1, 32, 33, 37, 64, 65, 100, 256, 257, 1000, 65_535].map(paddedLength)).toEqual([
      32, 32, 64, 64, 64, 96, 128, 256, 320, 1024, 65_536,
    ]);
  });
});
