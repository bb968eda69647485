import type { NostrEvent } from 'nostr-tools/pure';
import type { VerifierKind } from './signature';
import { initSignatureVerifier, libsecpVerifier, verifierKind, verifySignature } from './signature';

export type { NostrEvent };
export type { VerifierKind } from './signature';
export { verifierKind };

/**
 * Signatures are checked by libsecp256k1: its native build first (native-secp256k1.ts), then
 * tiny-secp256k1 in WASM (loaded with the first check, synchronously, about 10 ms once), else
 * nostr-wasm (several times faster than pure JS, see bench/nostr.ts) once it has loaded; the
 * pure-JS verifier covers the moments before and any failure to load. nostr-wasm is loaded,
 * once, only where neither libsecp256k1 build is there, with the first event checked or the
 * first await of this, not at import: WHY, a start-up that checks no event (a wallet reopen)
 * need not compile it (about 20 ms of the main thread).
 */
export const verifierReady: PromiseLike<VerifierKind> = {
  then: (onFulfilled, onRejected) =>
    (libsecpVerifier() ? Promise.resolve(verifierKind()) : initSignatureVerifier()).then(
      onFulfilled,
      onRejected,
    ),
};

/** Largest `content` accepted from a relay (a gift wrap around a maximal NIP-44 payload fits). */
export const MAX_CONTENT_BYTES = 256 * 1024;
const MAX_TAGS = 2000;

export type Rejection = 'malformed' | 'oversized' | 'forged';
export type CheckResult = { ok: true; event: NostrEvent } | { ok: false; reason: Rejection; detail: string };

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/**
 * Checks one event received from outside: shape, size, then id (sha256 of the serialization)
 * and Schnorr signature. Never throws. The returned event is a fresh plain object.
 *
 * A gift wrap (kind 1059) is checked in full too, though NIP-59 signs it with a random key used
 * once (its signature says nothing about the sender; the seal's, checked in dm.ts, does). WHY:
 * a relay that alters what it serves is caught and counted here (relay status `rejected.forged`)
 * and its events never stored; the check costs one libsecp256k1 verification.
 */
export function checkEvent(raw: unknown, maxContentBytes = MAX_CONTENT_BYTES): CheckResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('malformed', 'not an object');
  const e = raw as Record<string, unknown>;
  if (typeof e.id !== 'string' || !HEX64.test(e.id)) return bad('malformed', 'bad id');
  if (typeof e.pubkey !== 'string' || !HEX64.test(e.pubkey)) return bad('malformed', 'bad pubkey');
  if (typeof e.sig !== 'string' || !HEX128.test(e.sig)) return bad('malformed', 'bad sig');
  if (!Number.isSafeInteger(e.kind) || (e.kind as number) < 0 || (e.kind as number) > 65535)
    return bad('malformed', 'bad kind');
  if (!Number.isSafeInteger(e.created_at) || (e.created_at as number) < 0)
    return bad('malformed', 'bad created_at');
  if (typeof e.content !== 'string') return bad('malformed', 'bad content');
  if (!Array.isArray(e.tags) || e.tags.length > MAX_TAGS) return bad('malformed', 'bad tags');
  for (const t of e.tags) {
    if (!Array.isArray(t) || !t.every((v) => typeof v === 'string')) return bad('malformed', 'bad tag');
  }
  if (Buffer.byteLength(e.content) > maxContentBytes) return bad('oversized', 'content too large');
  const event: NostrEvent = {
    id: e.id,
    pubkey: e.pubkey,
    sig: e.sig,
    kind: e.kind as number,
    created_at: e.created_at as number,
    content: e.content,
    tags: (e.tags as string[][]).map((t) => [...t]),
  };
  if (!libsecpVerifier()) void initSignatureVerifier();
  if (!verifySignature(event)) return bad('forged', 'id or signature does not match');
  return { ok: true, event };
}

function bad(reason: Rejection, detail: string): CheckResult {
  return { ok: false, reason, detail };
}
