import { createHash } from 'node:crypto';
import { verifyEvent as verifyEventJs } from 'nostr-tools/pure';
import type { NostrEvent } from 'nostr-tools/pure';
import { lazyRequireOptional } from '../core/lazy-require';
import { nativeCurveLoaded } from '../core/native-secp256k1';
import { verifySchnorrByRecovery } from './native-secp256k1';

/** The subset of nostr-wasm's API we use: throws when the id or the signature is wrong. */
export interface WasmVerifier {
  verifyEvent(event: NostrEvent): void;
}

export type VerifierKind = 'libsecp256k1-native' | 'libsecp256k1' | 'wasm' | 'js';

/** The part of tiny-secp256k1 (libsecp256k1 in WASM) used here. */
export interface SchnorrBackend {
  verifySchnorr(hash: Uint8Array, xOnlyPubkey: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * tiny-secp256k1: libsecp256k1 in WASM, built with its full precomputed tables. It decides what
 * the native build (native-secp256k1.ts, first choice) leaves open, and everything where that
 * build does not load. WHY before nostr-wasm and JS: measured (bench/nostr.ts, verification table) about twice as fast as nostr-wasm's build of the
 * same library, and ten times noble's pure JS; the id is hashed by node:crypto, so there is no
 * fixed WASM heap to outgrow. Loaded on the first check, not at import (start-up does not compile
 * it); the same module computes conversation keys (conversation-key.ts). Null when it cannot
 * load: nostr-wasm, then pure JS.
 */
let libsecp: () => SchnorrBackend | null = lazyRequireOptional<SchnorrBackend>('tiny-secp256k1');

/** Replaces the libsecp256k1 backend (null: without it); tests use it to reach the fallbacks. */
export function setSchnorrBackend(backend: SchnorrBackend | null): void {
  libsecp = () => backend;
}

/** NIP-01 id: sha256 of the serialization, hex (the same serialization as nostr-tools'). */
export function eventHash(e: Omit<NostrEvent, 'id' | 'sig'>): string {
  return createHash('sha256')
    .update(JSON.stringify([0, e.pubkey, e.created_at, e.kind, e.tags, e.content]))
    .digest('hex');
}

/** Only the id: sha256 of the serialization equals `event.id` (lowercase hex). */
export function idMatches(event: NostrEvent): boolean {
  return eventHash(event) === event.id;
}

/**
 * BIP-340 over a 32-byte hash with libsecp256k1: natively (native-secp256k1.ts) where that
 * decides, else in WASM (tiny-secp256k1). Null when neither build is there to decide.
 */
export function verifySchnorrLibsecp(
  hash: Uint8Array,
  xOnlyPubkey: Uint8Array,
  signature: Uint8Array,
): boolean | null {
  const native = verifySchnorrByRecovery(hash, xOnlyPubkey, signature);
  if (native !== null) return native;
  const backend = libsecp();
  if (!backend) return null;
  try {
    return backend.verifySchnorr(hash, xOnlyPubkey, signature);
  } catch {
    // It throws on a key that is not on the curve or an r/s out of range: not a valid signature.
    return false;
  }
}

/** libsecp256k1: id, then BIP-340 signature. Null when it cannot decide (then nostr-wasm or JS). */
export function verifyLibsecp(event: NostrEvent): boolean | null {
  if (!libsecpVerifier()) return null;
  if (!idMatches(event)) return false;
  return verifySchnorrLibsecp(
    Buffer.from(event.id, 'hex'),
    Buffer.from(event.pubkey, 'hex'),
    Buffer.from(event.sig, 'hex'),
  );
}

/**
 * nostr-wasm runs libsecp256k1 in a fixed heap (about 900 KiB free); a bigger serialization would
 * abort inside malloc, so such events go to the pure-JS verifier instead.
 */
const WASM_MAX_SERIALIZED_BYTES = 512 * 1024;
/** The errors nostr-wasm throws for an event that is simply invalid (anything else: fall back). */
const WASM_REJECTIONS = new Set(['id is invalid', 'pubkey is invalid', 'signature is invalid']);

let wasm: WasmVerifier | null = null;
let ready: Promise<VerifierKind> | null = null;

/** Pure JavaScript (nostr-tools + noble): id (sha256 of the serialization) then Schnorr signature. */
export function verifyJs(event: NostrEvent): boolean {
  try {
    return verifyEventJs(event);
  } catch {
    return false;
  }
}

/** libsecp256k1 in WASM: same two checks. Returns null when it cannot decide (then use JS). */
export function verifyWasm(verifier: WasmVerifier, event: NostrEvent): boolean | null {
  if (!fitsWasmHeap(event)) return null;
  try {
    verifier.verifyEvent(event);
    return true;
  } catch (err) {
    return err instanceof Error && WASM_REJECTIONS.has(err.message) ? false : null;
  }
}

function fitsWasmHeap(e: NostrEvent): boolean {
  // Cheap bound first: a UTF-16 unit serializes to at most 6 bytes (\uXXXX).
  let units = e.content.length;
  for (const t of e.tags) for (const v of t) units += v.length + 3;
  if (6 * units + 256 <= WASM_MAX_SERIALIZED_BYTES) return true;
  const exact = Buffer.byteLength(JSON.stringify([0, e.pubkey, e.created_at, e.kind, e.tags, e.content]));
  return exact <= WASM_MAX_SERIALIZED_BYTES;
}

/**
 * Loads nostr-wasm once (async). Until it resolves, or if it fails, verification uses pure JS.
 * `load` is injectable for tests.
 */
export function initSignatureVerifier(
  load: () => Promise<WasmVerifier> = async () => (await import('nostr-wasm')).initNostrWasm(),
): Promise<VerifierKind> {
  ready ??= load().then(
    (v) => {
      wasm = v;
      return 'wasm' as const;
    },
    () => {
      wasm = null;
      return 'js' as const;
    },
  );
  return ready;
}

export function verifierKind(): VerifierKind {
  return nativeCurveLoaded() ? 'libsecp256k1-native' : libsecp() ? 'libsecp256k1' : wasm ? 'wasm' : 'js';
}

/** Whether a libsecp256k1 verifier is there (then nostr-wasm need not be loaded at all). */
export function libsecpVerifier(): boolean {
  return nativeCurveLoaded() || libsecp() !== null;
}

/** Id + signature check with the fastest available verifier; never throws. */
export function verifySignature(event: NostrEvent): boolean {
  const fast = verifyLibsecp(event);
  if (fast !== null) return fast;
  if (wasm) {
    const r = verifyWasm(wasm, event);
    if (r !== null) return r;
  }
  return verifyJs(event);
}
