import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { getConversationKey } from 'nostr-tools/nip44';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { conversationKey, ecdhBackend } from '../../main/nostr/conversation-key';
import { nativeCurveLoaded } from '../../main/core/native-secp256k1';
import { libsecpNativeEcdh, verifySchnorrByRecovery } from '../../main/nostr/native-secp256k1';
import { verifyLibsecp, verifySchnorrLibsecp } from '../../main/nostr/signature';
import type { NostrEvent } from '../../main/nostr/verify';
import { checkEvent, verifierKind } from '../../main/nostr/verify';

interface Vector {
  index: number;
  pubkey: string;
  msg: string;
  sig: string;
  valid: boolean;
  comment: string;
}
const { vectors } = JSON.parse(
  readFileSync(new URL('../fixtures/bip340-verify.json', import.meta.url), 'utf8'),
) as { vectors: Vector[] };
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const N = secp256k1.Point.CURVE().n;

describe('libsecp256k1 native build (the secp256k1 package)', () => {
  it('loads here and is what verifies events and computes conversation keys', () => {
    expect(nativeCurveLoaded()).toBe(true);
    expect(verifierKind()).toBe('libsecp256k1-native');
    expect(ecdhBackend()).toBe('libsecp256k1-native');
  });
});

describe('BIP-340 verification through ECDSA public key recovery', () => {
  it('gives every BIP-340 test vector its verdict, deciding natively or deferring, never wrongly', () => {
    expect(vectors).toHaveLength(15);
    for (const v of vectors) {
      const native = verifySchnorrByRecovery(hex(v.msg), hex(v.pubkey), hex(v.sig));
      // Null only where the native path cannot decide: a key that is not on the curve or ≥ n.
      if (native === null) expect(v.valid, `vector ${v.index}`).toBe(false);
      else expect(native, `vector ${v.index} ${v.comment}`).toBe(v.valid);
      expect(schnorr.verify(hex(v.sig), hex(v.msg), hex(v.pubkey)), `noble ${v.index}`).toBe(v.valid);
    }
  });

  it('decides natively all but a key off the curve or ≥ p, and R at infinity (there WASM decides)', () => {
    const deferred = vectors.filter(
      (v) => verifySchnorrByRecovery(hex(v.msg), hex(v.pubkey), hex(v.sig)) === null,
    );
    expect(deferred.map((v) => v.index)).toEqual([5, 9, 10, 14]);
    for (const v of deferred) {
      expect(verifySchnorrLibsecp(hex(v.msg), hex(v.pubkey), hex(v.sig)), `vector ${v.index}`).toBe(false);
    }
  });

  it('agrees with noble on 1,000 signatures and their tampered copies', () => {
    for (let i = 0; i < 1_000; i++) {
      const sk = randomBytes(32);
      const msg = randomBytes(32);
      const px = schnorr.getPublicKey(sk);
      const sig = schnorr.sign(msg, sk);
      expect(verifySchnorrByRecovery(msg, px, sig)).toBe(true);
      const bit = Uint8Array.from(sig);
      bit[i % 64] = (bit[i % 64] ?? 0) ^ (1 << (i % 8));
      expect(verifySchnorrByRecovery(msg, px, bit) ?? schnorr.verify(bit, msg, px)).toBe(false);
      const otherMsg = Uint8Array.from(msg);
      otherMsg[31] = (otherMsg[31] ?? 0) ^ 1;
      expect(verifySchnorrByRecovery(otherMsg, px, sig)).toBe(false);
      const otherKey = schnorr.getPublicKey(randomBytes(32));
      expect(verifySchnorrByRecovery(msg, otherKey, sig)).toBe(false);
    }
  });

  it('rejects s ≥ n without asking the curve, and defers on a key ≥ n', () => {
    const sk = randomBytes(32);
    const msg = randomBytes(32);
    const px = schnorr.getPublicKey(sk);
    const sig = schnorr.sign(msg, sk);
    const big = Buffer.concat([sig.subarray(0, 32), Buffer.from(N.toString(16), 'hex')]);
    expect(verifySchnorrByRecovery(msg, px, big)).toBe(false);
    expect(verifySchnorrByRecovery(msg, hex('f'.repeat(64)), sig)).toBeNull();
  });

  it('keeps nostr events checked the same way: good ones pass, forged and altered ones fail', () => {
    const sk = generateSecretKey();
    const plain = (e: NostrEvent): NostrEvent => JSON.parse(JSON.stringify(e)) as NostrEvent;
    const good = plain(
      finalizeEvent({ kind: 1059, created_at: 1, tags: [['p', 'a'.repeat(64)]], content: 'x' }, sk),
    );
    expect(verifyLibsecp(plain(good))).toBe(true);
    expect(checkEvent(plain(good))).toMatchObject({ ok: true });
    const flipped = good.sig.slice(0, 70) + (good.sig[70] === '0' ? '1' : '0') + good.sig.slice(71);
    expect(checkEvent({ ...plain(good), sig: flipped })).toMatchObject({
      ok: false,
      reason: 'forged',
    });
    expect(checkEvent({ ...plain(good), content: 'y' })).toMatchObject({ ok: false, reason: 'forged' });
    // A key off the curve: the native path defers, the WASM build rejects.
    expect(verifyLibsecp({ ...plain(good), pubkey: '0'.repeat(63) + '5' })).toBe(false);
  });
});

describe('ECDH through the native build', () => {
  it('gives nostr-tools’ NIP-44 conversation key for 300 random pairs, both directions', () => {
    for (let i = 0; i < 300; i++) {
      const a = generateSecretKey();
      const b = generateSecretKey();
      const ours = Buffer.from(conversationKey(a, getPublicKey(b))).toString('hex');
      expect(ours).toBe(Buffer.from(getConversationKey(a, getPublicKey(b))).toString('hex'));
      expect(ours).toBe(Buffer.from(conversationKey(b, getPublicKey(a))).toString('hex'));
    }
  });

  it('hands the derivation the shared x and wipes it afterwards', () => {
    const a = generateSecretKey();
    const b = generateSecretKey();
    let seen: Uint8Array | null = null;
    let copy = '';
    const out = libsecpNativeEcdh(a, hex(`02${getPublicKey(b)}`), (x) => {
      seen = x;
      copy = Buffer.from(x).toString('hex');
      return Uint8Array.from(x);
    });
    const shared = secp256k1.getSharedSecret(a, hex(`02${getPublicKey(b)}`), true).subarray(1);
    expect(copy).toBe(Buffer.from(shared).toString('hex'));
    expect(Buffer.from(out ?? []).toString('hex')).toBe(copy);
    expect(Array.from(seen ?? [1]).every((byte) => byte === 0)).toBe(true);
  });

  it('throws on a key that is not on the curve', () => {
    expect(() => conversationKey(generateSecretKey(), '0'.repeat(63) + '5')).toThrow();
  });
});
