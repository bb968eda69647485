import type { PlainProof } from './proof-codec';

/**
 * Held proofs that add up to exactly `amount`, largest first, or [] when this finds none.
 *
 * cashu-ts's exact selection is a randomized search, and it sometimes misses a set that exists;
 * an offline-only send must not then say "a swap is needed". Mint amounts are powers of two, and
 * for those, taking the largest proof that still fits finds a set whenever one exists: smaller
 * proofs that together reach a power of two always hold a subset equal to it.
 */
export function exactFromHeld(held: readonly PlainProof[], amount: number): PlainProof[] {
  if (!Number.isSafeInteger(amount) || amount <= 0) return [];
  const byAmount = [...held].sort((a, b) => b.amount - a.amount);
  const picked: PlainProof[] = [];
  let left = amount;
  for (const proof of byAmount) {
    if (left === 0) break;
    if (proof.amount > 0 && proof.amount <= left) {
      picked.push(proof);
      left -= proof.amount;
    }
  }
  return left === 0 ? picked : [];
}
