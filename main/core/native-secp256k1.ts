import { lazyRequireOptional } from './lazy-require';

/**
 * The part of the `secp256k1` package's native binding (libsecp256k1 compiled for this machine,
 * shipped prebuilt for Linux, macOS and Windows on x64) used here: ECDH, ECDSA public key
 * recovery and public key tweaks. It has no BIP-340 module (see nostr/native-secp256k1.ts).
 */
export interface NativeCurve {
  ecdsaRecover(
    sig: Uint8Array,
    recid: number,
    msg32: Uint8Array,
    compressed: boolean,
    output?: Uint8Array,
  ): Uint8Array;
  ecdh(
    pubkey: Uint8Array,
    seckey: Uint8Array,
    options: { hashfn: (x: Uint8Array) => Uint8Array; xbuf: Uint8Array; ybuf: Uint8Array },
    output: Uint8Array,
  ): Uint8Array;
  publicKeyConvert(pubkey: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyTweakAdd(pubkey: Uint8Array, tweak: Uint8Array, compressed: boolean): Uint8Array;
}

/**
 * Loaded on first use, through `secp256k1/bindings` (not the package's index, which silently
 * falls back to the pure-JS `elliptic`): null where no native build loads, and callers then use
 * libsecp256k1 in WASM (tiny-secp256k1). WHY native first, measured on this 2-core machine: a
 * recovery takes 59 µs, an ECDH 62 µs and a public key tweak 52 µs, against 182-290 µs for the
 * same work in WASM; opening a gift wrap costs three such operations, an address one.
 */
let native: () => NativeCurve | null = lazyRequireOptional<NativeCurve>('secp256k1/bindings');

export function nativeSecp256k1(): NativeCurve | null {
  return native();
}

/** Replaces the native binding (null: without it); tests use it to reach the WASM paths. */
export function setNativeCurve(curve: NativeCurve | null): void {
  native = () => curve;
}

export function nativeCurveLoaded(): boolean {
  return native() !== null;
}
