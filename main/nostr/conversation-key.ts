import { createECDH, type ECDH } from 'node:crypto';
import { extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { getConversationKey as pureJsConversationKey } from 'nostr-tools/nip44';

const SALT = utf8ToBytes('nip44-v2');

export type ConversationKeyFn = (secretKey: Uint8Array, peerPubkeyHex: string) => Uint8Array;

/**
 * Whether this runtime's crypto has secp256k1 ECDH. Node's OpenSSL does (about 30× faster than
 * the pure-JS curve: two ECDHs per gift wrap dominate inbox loading); Electron's BoringSSL does
 * not, so the app falls back to nostr-tools there.
 */
export const nativeEcdh: boolean = (() => {
  try {
    createECDH('secp256k1');
    return true;
  } catch {
    return false;
  }
})();

/**
 * One ECDH object per secret key array, so our public point is computed once rather than per
 * message. Keyed by the array itself: when the service drops the key (lock), the entry goes too.
 */
const ecdhByKey = new WeakMap<Uint8Array, ECDH>();

function ecdhFor(secretKey: Uint8Array): ECDH {
  let ecdh = ecdhByKey.get(secretKey);
  if (!ecdh) {
    ecdh = createECDH('secp256k1');
    ecdh.setPrivateKey(secretKey);
    ecdhByKey.set(secretKey, ecdh);
  }
  return ecdh;
}

/**
 * NIP-44 v2 conversation key: HKDF-extract(SHA-256, IKM = x of secret·P, salt = "nip44-v2"),
 * where P is the peer's x-only key lifted to even Y. Throws on a key that is not on the curve.
 */
export function conversationKey(secretKey: Uint8Array, peerPubkeyHex: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/.test(peerPubkeyHex)) throw new Error('peer key must be 64 lowercase hex');
  if (!nativeEcdh) return pureJsConversationKey(secretKey, peerPubkeyHex);
  const shared = ecdhFor(secretKey).computeSecret(Buffer.from(`02${peerPubkeyHex}`, 'hex'));
  try {
    return extract(sha256, shared, SALT);
  } finally {
    shared.fill(0);
  }
}
