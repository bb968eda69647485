import type { Utxo } from '../../../shared/contract/coins';

/** Sum of the chosen coins that still exist (a coin spent meanwhile drops out of the list). */
export function selectedTotal(coins: readonly Utxo[] | undefined, selected: readonly string[]): number {
  if (!coins) return 0;
  const chosen = new Set(selected);
  return coins.filter((c) => chosen.has(c.outpoint) && !c.frozen).reduce((s, c) => s + c.sats, 0);
}
