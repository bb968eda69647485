import { createHmac } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { lazyRequireOptional } from '../../core/lazy-require';
import { nativeSecp256k1 } from '../../core/native-secp256k1';

/** The part of tiny-secp256k1 (libsecp256k1 in WASM) public derivation needs. */
interface WasmCurve {
  pointCompress(p: Uint8Array, compressed?: boolean): Uint8Array;
  pointAddScalar(p: Uint8Array, tweak: Uint8Array, compressed?: boolean): Uint8Array | null;
}

export type CurveBackend = 'native' | 'wasm' | 'js';

/**
 * libsecp256k1 compiled to WASM, used where its native build (core/native-secp256k1.ts, 3.5×
 * faster a child key) does not load. Loaded once, on the first derivation rather than at start-up
 * (compiling it is start-up time a reopen with nothing to derive need not pay); null where it
 * cannot load (then pure JS). Loaded through require so a missing or broken module falls back
 * instead of failing.
 */
const wasm = lazyRequireOptional<WasmCurve>('tiny-secp256k1');

/** Which curve code derives child keys here (the bench prints it). */
export function curveBackend(): CurveBackend {
  return nativeSecp256k1() ? 'native' : wasm() ? 'wasm' : 'js';
}

const N = secp256k1.Point.CURVE().n;

/**
 * BIP32 public child derivation (CKDpub, non-hardened) from one parent: I = HMAC-SHA512(chain
 * code, parent key || index); child = point(I_L) + parent. The parent's point is parsed once for
 * all its children (a compressed key costs a square root to parse), the HMAC runs in the
 * runtime's native crypto, and the point arithmetic in libsecp256k1 (native, else WASM) when it
 * loads, else in @noble/curves. Returns the compressed child key.
 */
export function publicChildDeriver(
  parentKey: Uint8Array,
  chainCode: Uint8Array,
  backend: CurveBackend = curveBackend(),
): (index: number) => Uint8Array {
  if (parentKey.length !== 33 || chainCode.length !== 32)
    throw new Error('a compressed key and a 32-byte chain code');
  const data = new Uint8Array(37);
  data.set(parentKey, 0);
  const view = new DataView(data.buffer);
  const tweakOf = (index: number): Uint8Array => {
    if (!Number.isInteger(index) || index < 0 || index >= 0x80000000)
      throw new RangeError('not a public child index');
    view.setUint32(33, index, false);
    return createHmac('sha512', chainCode).update(data).digest().subarray(0, 32);
  };
  const native = backend === 'native' ? nativeSecp256k1() : null;
  if (native) {
    // Uncompressed, the parent is parsed without the square root, once per child.
    const parent = native.publicKeyConvert(parentKey, false);
    return (index) => {
      try {
        return native.publicKeyTweakAdd(parent, tweakOf(index), true);
      } catch (err) {
        if (err instanceof RangeError) throw err;
        // I_L >= n or a child at infinity: BIP32 says this index has no key (odds below 2^-127).
        throw new Error(`no public key at child index ${index}`);
      }
    };
  }
  const curve = backend === 'wasm' ? wasm() : null;
  if (curve) {
    // Uncompressed, the parent is parsed without the square root, once per child.
    const parent = curve.pointCompress(parentKey, false);
    return (index) => {
      const child = curve.pointAddScalar(parent, tweakOf(index), true);
      // I_L >= n or a child at infinity: BIP32 says this index has no key (odds below 2^-127).
      if (!child) throw new Error(`no public key at child index ${index}`);
      return child;
    };
  }
  const parent = secp256k1.Point.fromBytes(parentKey);
  return (index) => {
    const il = bytesToNumberBE(tweakOf(index));
    if (il >= N) throw new Error(`no public key at child index ${index}`);
    const child = il === 0n ? parent : secp256k1.Point.BASE.multiply(il).add(parent);
    if (child.equals(secp256k1.Point.ZERO)) throw new Error(`no public key at child index ${index}`);
    return child.toBytes(true);
  };
}
