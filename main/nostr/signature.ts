import { verifyEvent as verifyEventJs } from 'nostr-tools/pure';
import type { NostrEvent } from 'nostr-tools/pure';

/** The subset of nostr-wasm's API we use: throws when the id or the signature is wrong. */
export interface WasmVerifier {
  verifyEvent(event: NostrEvent): void;
}

export type VerifierKind = 'wasm' | 'js';

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
  return wasm ? 'wasm' : 'js';
}

/** Id + signature check with the fastest available verifier; never throws. */
export function verifySignature(event: NostrEvent): boolean {
  if (wasm) {
    const r = verifyWasm(wasm, event);
    if (r !== null) return r;
  }
  return verifyJs(event);
}
