import type { AmountLike, Proof, ProofLike } from '@cashu/cashu-ts';
import { Amount, hashToCurve, normalizeProofAmounts } from '@cashu/cashu-ts';

/** A proof as stored (sealed) and journaled: plain JSON, the amount a safe integer. */
export interface PlainProof {
  id: string;
  amount: number;
  secret: string;
  C: string;
  dleq?: { e: string; s: string; r?: string };
  witness?: string;
  p2pk_e?: string;
}

/**
 * A cashu-ts amount (an Amount, or a number, bigint or string) as a whole number of the unit.
 * WHY not Number(x): on an Amount that is the implicit coercion cashu-ts deprecates (and throws
 * on in v5); Amount.from also refuses a negative, fractional or unsafe value instead of rounding.
 */
export function sats(value: AmountLike): number {
  return Amount.from(value).toNumber();
}

export function toPlain(p: Proof | ProofLike): PlainProof {
  const amount = typeof p.amount === 'object' ? p.amount.toNumber() : Number(p.amount);
  const out: PlainProof = { id: p.id, amount, secret: p.secret, C: p.C };
  if (p.dleq) out.dleq = { e: p.dleq.e, s: p.dleq.s, ...(p.dleq.r !== undefined ? { r: p.dleq.r } : {}) };
  if (p.witness !== undefined)
    out.witness = typeof p.witness === 'string' ? p.witness : JSON.stringify(p.witness);
  if (p.p2pk_e !== undefined) out.p2pk_e = p.p2pk_e;
  return out;
}

export function toProofs(plain: readonly PlainProof[]): Proof[] {
  return normalizeProofAmounts(plain.map((p) => ({ ...p })));
}

/** Y = hash_to_curve(secret): the proof's identity for NUT-07 and our primary key. */
export function proofY(secret: string): string {
  return hashToCurve(new TextEncoder().encode(secret)).toHex(true);
}

export const sumPlain = (proofs: readonly { amount: number }[]): number =>
  proofs.reduce((s, p) => s + p.amount, 0);
