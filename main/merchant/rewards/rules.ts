import type { RewardRules, SaleState } from '../../../shared/contract/merchant';
import { isDecimalString, toAtoms } from '../../../shared/merchant/decimal';

/** Rules of a store that has set none: off, with harmless values to start from. */
export const DEFAULT_REWARD_RULES: RewardRules = {
  enabled: false,
  kind: 'fixed',
  stampEvery: 10,
  stampPays: 'fixed',
  stampSendDm: false,
  sats: 100,
  percent: '1',
  minimumSale: '0',
  expiryDays: 30,
  giveAs: 'pullPayment',
  ecashMint: null,
};

export interface RewardableSale {
  state: SaleState;
  /** The sale's amount in its currency (decimal string, as BTCPay wrote it). */
  amount: string;
  currency: string;
  /** Sats actually paid for it. */
  paidSats: number;
}

export type RewardDecision =
  | { sats: number }
  | { sats: 0; why: 'off' | 'stamp-card' | 'not-paid' | 'below-minimum' | 'too-small' | 'other-currency' };

/**
 * How many sats a sale earns. Only a sale BTCPay calls settled earns one (a payment still
 * confirming could vanish, and the reward with it would be money given away). The minimum is
 * in the store's currency; a sale in another currency earns nothing rather than a guess.
 */
export function rewardFor(rules: RewardRules, sale: RewardableSale, storeCurrency: string): RewardDecision {
  if (!rules.enabled) return { sats: 0, why: 'off' };
  // A stamp card rewards the Nth sale of a customer, counted on BTCPay (see stamps.ts), not each sale.
  if (rules.kind === 'stamps') return { sats: 0, why: 'stamp-card' };
  if (sale.state !== 'paid' && sale.state !== 'paidOver') return { sats: 0, why: 'not-paid' };
  if (sale.currency.toUpperCase() !== storeCurrency.toUpperCase()) return { sats: 0, why: 'other-currency' };
  if (!isDecimalString(sale.amount) || toAtoms(sale.amount) < toAtoms(rules.minimumSale))
    return { sats: 0, why: 'below-minimum' };
  const sats = rules.kind === 'fixed' ? rules.sats : percentOfSats(sale.paidSats, rules.percent);
  // BTCPay's LNURL-withdraw cannot pay less than one sat.
  return sats >= 1 ? { sats } : { sats: 0, why: 'too-small' };
}

/** `percent` % of `sats`, rounded down to whole sats (exact: the percentage as atoms of 10^-12). */
export function percentOfSats(sats: number, percent: string): number {
  const scaled = (BigInt(sats) * toAtoms(percent)) / (100n * 10n ** 12n);
  return Number(scaled);
}
