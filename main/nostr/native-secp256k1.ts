import { createHash } from 'node:crypto';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { nativeSecp256k1 } from '../core/native-secp256k1';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const CHALLENGE_TAG = createHash('sha256').update('BIP0340/challenge').digest();

/**
 * BIP-340 verification of `sig` (r || s) over `msg32` by the x-only key `px`, computed with
 * libsecp256k1's ECDSA public key recovery. Null when this cannot decide (no native binding, or
 * one of the cases below); the caller then asks libsecp256k1's own BIP-340 code in WASM.
 *
 * WHY this is the same check: recovery with signature (r', s'), recovery id 0 and message z
 * returns Q = r'⁻¹·(s'·R − z·G), where R is the point with x = r' and even y. With r' = px,
 * R is exactly lift_x(px), BIP-340's P. Choosing s' = −e·px and z = −s·px (mod n) makes
 * Q = s·G − e·P, the point BIP-340 computes; the signature is valid when Q has even y and
 * x(Q) = r. Recovery fails (and we defer) when px ≥ n, e ≡ 0, P is not on the curve or Q is
 * infinity: all either impossible in practice or invalid, and WASM gives the definitive answer.
 */
export function verifySchnorrByRecovery(msg32: Uint8Array, px: Uint8Array, sig: Uint8Array): boolean | null {
  const curve = nativeSecp256k1();
  if (!curve || msg32.length !== 32 || px.length !== 32 || sig.length !== 64) return null;
  const r = sig.subarray(0, 32);
  const s = bytesToNumberBE(sig.subarray(32, 64));
  if (s >= N) return false;
  const pxNum = bytesToNumberBE(px);
  if (pxNum === 0n || pxNum >= N) return null;
  const e =
    bytesToNumberBE(
      createHash('sha256')
        .update(CHALLENGE_TAG)
        .update(CHALLENGE_TAG)
        .update(r)
        .update(px)
        .update(msg32)
        .digest(),
    ) % N;
  const recSig = Buffer.concat([px, numberToBytesBE((N - ((e * pxNum) % N)) % N, 32)]);
  const z = numberToBytesBE((N - ((s * pxNum) % N)) % N, 32);
  let q: Uint8Array;
  try {
    q = curve.ecdsaRecover(recSig, 0, z, false);
  } catch {
    return null;
  }
  // Uncompressed: 0x04 || x || y. Even y and x equal to r.
  return q.length === 65 && ((q[64] ?? 1) & 1) === 0 && Buffer.compare(q.subarray(1, 33), r) === 0;
}

/**
 * `derive(x)` of the shared point secret·P, where P is `pubkey33` (SEC1 compressed). The x
 * coordinate is handed to `derive` in a buffer that is wiped afterwards. Null when there is no
 * native binding; throws when the key is not on the curve.
 */
export function libsecpNativeEcdh(
  secretKey: Uint8Array,
  pubkey33: Uint8Array,
  derive: (x: Uint8Array) => Uint8Array,
): Uint8Array | null {
  const curve = nativeSecp256k1();
  if (!curve) return null;
  const xbuf = new Uint8Array(32);
  const ybuf = new Uint8Array(32);
  const out = new Uint8Array(32);
  try {
    return curve.ecdh(pubkey33, secretKey, { hashfn: (x) => derive(x), xbuf, ybuf }, out);
  } finally {
    xbuf.fill(0);
    ybuf.fill(0);
  }
}
