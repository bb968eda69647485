import { describe, expect, it } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { getConversationKey } from 'nostr-tools/nip44';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { conversationKey, ecdhBackend, nativeEcdh } from '../../main/nostr/conversation-key';
import { setNativeCurve } from '../../main/core/native-secp256k1';

// The WASM build, as used where the native one does not load (nostr-native-secp256k1.test.ts).
setNativeCurve(null);

describe('NIP-44 conversation key', () => {
  it('without the native build, runs on libsecp256k1 (WASM), with OpenSSL there as the fallback', () => {
    expect(ecdhBackend()).toBe('wasm');
    expect(nativeEcdh).toBe(true);
  });

  it('matches nostr-tools for 200 random key pairs, both directions', () => {
    for (let i = 0; i < 200; i++) {
      const a = generateSecretKey();
      const b = generateSecretKey();
      const ours = bytesToHex(conversationKey(a, getPublicKey(b)));
      expect(ours).toBe(bytesToHex(getConversationKey(a, getPublicKey(b))));
      expect(ours).toBe(bytesToHex(conversationKey(b, getPublicKey(a))));
    }
  });

  it('refuses keys that are not x-only hex or not on the curve', () => {
    const sk = generateSecretKey();
    expect(() => conversationKey(sk, 'zz')).toThrow();
    expect(() => conversationKey(sk, 'F'.repeat(64))).toThrow();
    // x = 5 has no point on secp256k1 (5^3 + 7 = 132 is not a square mod p).
    expect(() => conversationKey(sk, '0'.repeat(63) + '5')).toThrow();
  });
});
