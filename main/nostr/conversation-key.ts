import { createECDH, type ECDH } from 'node:crypto';
import { createRequire } from 'node:module';
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

/** libsecp256k1 in WASM (tiny-secp256k1): where the runtime's crypto has no secp256k1 (Electron). */
const wasmCurve: {
  pointMultiply(p: Uint8Array, k: Uint8Array, compressed?: boolean): Uint8Array | null;
} | null = (() => {
  if (nativeEcdh) return null;
  try {
    return createRequire(import.meta.url)('tiny-secp256k1') as {
      pointMultiply(p: Uint8Array, k: Uint8Array, compressed?: boolean): Uint8Array | null;
    };
  } catch {
    return null;
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
  if (!nativeEcdh) {
    if (!wasmCurve) return pureJsConversationKey(secretKey, peerPubkeyHex);
    const point = wasmCurve.pointMultiply(Buffer.from(`02${peerPubkeyHex}`, 'hex'), secretKey, true);
    if (!point) throw new Error('no shared point');
    const x = point.subarray(1, 33);
    try {
      return extract(sha256, x, SALT);
    } finally {
      x.fill(0);
    }
  }
  const shared = ecdhFor(secretKey).computeSecret(Buffer.from(`02${peerPubkeyHex}`, 'hex'));
  try {
    return extract(sha256, shared, SALT);
  } finally {
    shared.fill(0);
  }
}
