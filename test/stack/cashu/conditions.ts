import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { MintError, NUT_ERROR } from './errors';

/**
 * Spending conditions as the mint enforces them, written from the NUTs (not from any wallet):
 * NUT-10's well-known secret, NUT-11's P2PK (signature flags SIG_INPUTS and SIG_ALL, multisig with
 * n_sigs, locktime, refund keys with n_sigs_refund, key canonicalisation) and NUT-20's signed mint
 * requests. Signatures are BIP-340 Schnorr over SHA-256 of the UTF-8 message.
 */

export interface WireProof {
  amount: number;
  id: string;
  secret: string;
  C: string;
  witness?: string | { signatures?: string[] } | undefined;
}

export interface WireOutput {
  amount: number;
  id: string;
  B_: string;
}

interface WellKnownSecret {
  kind: string;
  data: string;
  tags: string[][];
  /** The `[data, tags]` identity SIG_ALL compares across inputs. */
  identity: string;
}

const P2PK_TAGS = new Set(['sigflag', 'pubkeys', 'n_sigs', 'locktime', 'refund', 'n_sigs_refund']);

const fail = (detail: string): MintError => new MintError(NUT_ERROR.proofVerificationFailed, detail);

/** NUT-10: a secret that parses as `[kind, {nonce, data, tags?}]`; anything else is a plain secret. */
export function parseWellKnown(secret: string): WellKnownSecret | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string') return null;
  const body = parsed[1] as { nonce?: unknown; data?: unknown; tags?: unknown };
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof body.nonce !== 'string' ||
    typeof body.data !== 'string'
  )
    return null;
  const tags = body.tags ?? [];
  if (!Array.isArray(tags)) throw fail('secret tags must be an array');
  for (const tag of tags) {
    // NUT-10: a tag is an array of ONE or more non-empty strings.
    if (!Array.isArray(tag) || tag.length < 1 || tag.some((v) => typeof v !== 'string' || v === ''))
      throw fail('malformed secret tag');
  }
  return {
    kind: parsed[0],
    data: body.data,
    tags: tags as string[][],
    identity: JSON.stringify([body.data, tags]),
  };
}

/** NUT-11 public key canonicalisation: compressed SEC1, compared by the lowercase x-coordinate. */
function xOnly(pubkey: string): string {
  const k = pubkey.toLowerCase();
  if (!/^0[23][0-9a-f]{64}$/.test(k))
    throw fail(`public key is not compressed secp256k1: ${pubkey.slice(0, 70)}`);
  return k.slice(2);
}

interface P2pkRules {
  sigflag: 'SIG_INPUTS' | 'SIG_ALL';
  mainKeys: string[];
  nSigs: number;
  /** Unix seconds, or null for a permanent lock. */
  locktime: number | null;
  refundKeys: string[];
  nSigsRefund: number;
}

function positiveInt(text: string, what: string): number {
  if (!/^[0-9]+$/.test(text)) throw fail(`${what} is not a positive integer`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw fail(`${what} is not a positive integer`);
  return n;
}

function uniqueKeys(keys: string[], pathway: string): string[] {
  const xs = keys.map(xOnly);
  if (new Set(xs).size !== xs.length) throw fail(`duplicate public key in the ${pathway} pathway`);
  return xs;
}

/** Reads a P2PK secret's tags by NUT-11's rules; a malformed secret is unspendable. */
export function p2pkRules(secret: WellKnownSecret): P2pkRules {
  const seen = new Set<string>();
  const byName = new Map<string, string[]>();
  for (const [name, ...values] of secret.tags) {
    if (name === undefined || !P2PK_TAGS.has(name)) continue;
    if (seen.has(name)) throw fail(`tag ${name} appears more than once`);
    seen.add(name);
    byName.set(name, values);
  }
  const flag = byName.get('sigflag')?.[0] ?? 'SIG_INPUTS';
  if (flag !== 'SIG_INPUTS' && flag !== 'SIG_ALL') throw fail(`unknown sigflag ${flag}`);
  const mainKeys = uniqueKeys([secret.data, ...(byName.get('pubkeys') ?? [])], 'main');
  const refundKeys = uniqueKeys(byName.get('refund') ?? [], 'refund');
  const nSigsText = byName.get('n_sigs')?.[0];
  const nSigs = nSigsText === undefined ? 1 : positiveInt(nSigsText, 'n_sigs');
  if (nSigs > mainKeys.length) throw fail('n_sigs exceeds the keys that could sign');
  const nRefundText = byName.get('n_sigs_refund')?.[0];
  const nSigsRefund = nRefundText === undefined ? 1 : positiveInt(nRefundText, 'n_sigs_refund');
  if (refundKeys.length > 0 && nSigsRefund > refundKeys.length)
    throw fail('n_sigs_refund exceeds the refund keys');
  // "If the locktime tag is not present, or is not a valid unix time, the lock is permanent."
  const lockText = byName.get('locktime')?.[0];
  const locktime = lockText !== undefined && /^[0-9]+$/.test(lockText) ? Number(lockText) : null;
  return { sigflag: flag, mainKeys, nSigs, locktime, refundKeys, nSigsRefund };
}

function witnessSignatures(witness: WireProof['witness']): string[] {
  if (witness === undefined) return [];
  let w: unknown = witness;
  if (typeof witness === 'string') {
    try {
      w = JSON.parse(witness);
    } catch {
      throw fail('witness is not JSON');
    }
  }
  const sigs = (w as { signatures?: unknown } | null)?.signatures;
  if (sigs === undefined) return [];
  if (!Array.isArray(sigs) || sigs.some((s) => typeof s !== 'string'))
    throw fail('witness signatures malformed');
  return sigs as string[];
}

/** How many distinct keys of `keys` (x-only) signed SHA-256(message). */
function validSigners(signatures: string[], message: string, keys: string[]): number {
  const digest = sha256(new TextEncoder().encode(message));
  const signed = new Set<string>();
  for (const sig of signatures) {
    if (!/^[0-9a-fA-F]{128}$/.test(sig)) continue;
    const sigBytes = Buffer.from(sig, 'hex');
    for (const key of keys) {
      if (signed.has(key)) continue;
      try {
        if (schnorr.verify(sigBytes, digest, Buffer.from(key, 'hex'))) signed.add(key);
      } catch {
        // not this key
      }
    }
  }
  return signed.size;
}

/** Checks one P2PK lock against the signatures given and the message they must sign. */
function checkLock(rules: P2pkRules, signatures: string[], message: string, nowSec: number): void {
  const expired = rules.locktime !== null && nowSec > rules.locktime;
  if (expired && rules.refundKeys.length === 0) return; // expired lock without refund keys: anyone may spend
  if (validSigners(signatures, message, rules.mainKeys) >= rules.nSigs) return;
  if (expired && validSigners(signatures, message, rules.refundKeys) >= rules.nSigsRefund) return;
  throw fail(
    signatures.length === 0 ? 'Witness is missing for p2pk signature' : 'signature threshold not met',
  );
}

/**
 * The NUT-11 rules for a transaction's inputs. `outputs` are the swap's outputs or the melt's
 * blank outputs; `quoteId` is set for a melt (SIG_ALL signs it last).
 */
export function enforceSpendingConditions(
  inputs: WireProof[],
  outputs: WireOutput[],
  nowSec: number,
  quoteId?: string,
): void {
  const secrets = inputs.map((p) => parseWellKnown(p.secret));
  const p2pk = secrets.map((s) => (s !== null && s.kind === 'P2PK' ? { s, rules: p2pkRules(s) } : null));
  const sigAll = p2pk.some((x) => x?.rules.sigflag === 'SIG_ALL');
  if (sigAll) {
    const first = p2pk[0];
    if (!first || p2pk.some((x) => x === null || x.s.identity !== first.s.identity))
      throw fail('SIG_ALL inputs must all have the same kind, data and tags');
    let message = inputs.map((p) => `${p.secret}${p.C}`).join('');
    message += outputs.map((o) => `${o.amount}${o.B_}`).join('');
    if (quoteId !== undefined) message += quoteId;
    checkLock(first.rules, witnessSignatures(inputs[0]?.witness), message, nowSec);
    return;
  }
  inputs.forEach((proof, i) => {
    const lock = p2pk[i];
    if (lock) checkLock(lock.rules, witnessSignatures(proof.witness), proof.secret, nowSec);
  });
}

/** NUT-20: a Schnorr signature by the quote's key on `quote || B_0 || … || B_n-1`. */
export function verifyMintRequestSignature(
  pubkey: string,
  quote: string,
  outputs: WireOutput[],
  signature: string | undefined | null,
): boolean {
  if (typeof signature !== 'string' || !/^[0-9a-fA-F]{128}$/.test(signature)) return false;
  const message = quote + outputs.map((o) => o.B_).join('');
  const digest = sha256(new TextEncoder().encode(message));
  try {
    return schnorr.verify(Buffer.from(signature, 'hex'), digest, Buffer.from(xOnly(pubkey), 'hex'));
  } catch {
    return false;
  }
}
