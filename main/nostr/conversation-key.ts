import { createECDH, createHmac, type ECDH } from 'node:crypto';
import { getConversationKey as pureJsConversationKey } from 'nostr-tools/nip44';
import { lazyRequireOptional } from '../core/lazy-require';
import { nativeCurveLoaded } from '../core/native-secp256k1';
import { libsecpNativeEcdh } from './native-secp256k1';

const SALT = Buffer.from('nip44-v2', 'utf8');

/** HKDF-Extract(SHA-256) is HMAC(salt, IKM): node:crypto's, once per gift wrap on an inbox load. */
function extract(ikm: Uint8Array): Uint8Array {
  const digest = createHmac('sha256', SALT).update(ikm).digest();
  const key = new Uint8Array(digest);
  digest.fill(0);
  return key;
}

export type ConversationKeyFn = (secretKey: Uint8Array, peerPubkeyHex: string) => Uint8Array;

/** Whether this runtime's crypto has secp256k1 ECDH (Node's OpenSSL does, Electron's BoringSSL not). */
export const nativeEcdh: boolean = (() => {
  try {
    createECDH('secp256k1');
    return true;
  } catch {
    return false;
  }
})();

interface WasmCurve {
  pointMultiply(p: Uint8Array, k: Uint8Array, compressed?: boolean): Uint8Array | null;
}

/**
 * libsecp256k1 in WASM (tiny-secp256k1), loaded on the first ECDH rather than at import (start-up
 * does not pay for compiling it). Used where the native build (native-secp256k1.ts, about 3.6×
 * faster again) does not load. WHY before OpenSSL: measured in bench/nostr.ts's
 * inbox, its point multiplication is 4-7× faster than OpenSSL's generic curve code for secp256k1
 * (0.3 ms against 1.5-2.6 ms a multiplication on the loaded 2-core box), and one ECDH per gift
 * wrap is what inbox loading pays for most. Null when it cannot load: OpenSSL, then pure JS.
 */
const wasm = lazyRequireOptional<WasmCurve>('tiny-secp256k1');

export type EcdhBackend = 'libsecp256k1-native' | 'wasm' | 'openssl' | 'js';

/** Which code computes conversation keys here (the bench prints it). */
export function ecdhBackend(): EcdhBackend {
  return nativeCurveLoaded() ? 'libsecp256k1-native' : wasm() ? 'wasm' : nativeEcdh ? 'openssl' : 'js';
}

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
  const fast = libsecpNativeEcdh(secretKey, Buffer.from(`02${peerPubkeyHex}`, 'hex'), extract);
  if (fast) return fast;
  const curve = wasm();
  if (curve) {
    const point = curve.pointMultiply(Buffer.from(`02${peerPubkeyHex}`, 'hex'), secretKey, true);
    if (!point) throw new Error('no shared point');
    const x = point.subarray(1, 33);
    try {
      return extract(x);
    } finally {
      point.fill(0);
    }
  }
  if (!nativeEcdh) return pureJsConversationKey(secretKey, peerPubkeyHex);
  const shared = ecdhFor(secretKey).computeSecret(Buffer.from(`02${peerPubkeyHex}`, 'hex'));
  try {
    return extract(shared);
  } finally {
    shared.fill(0);
  }
}
