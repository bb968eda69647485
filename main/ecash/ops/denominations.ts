import type { OpContext } from '../context';

/**
 * Pre-split denominations: every mint, swap and claim asks cashu-ts to keep a few proofs of each
 * small amount (its denomination target, 3 of each) by telling it what the wallet already holds
 * at this mint and unit. Exact amounts then usually add up from held proofs, so a token can be
 * sent offline with no swap, and tokens stay small (few proofs).
 */
export function proofsWeHave(ctx: OpContext, mintUrl: string, unit: string): { amount: number }[] {
  const held = ctx.store.proofs(ctx.network(), mintUrl, unit, 'unspent').map((r) => ({ amount: r.amount }));
  // cashu-ts aims at its targets only when told of some holding; an empty wallet is told of one
  // proof of amount 0, which matches no denomination, so its first proofs are pre-split too.
  return held.length > 0 ? held : [{ amount: 0 }];
}
