import type { RewardState } from '../../../shared/contract/merchant';
import { btcToSats, pullPaymentSats } from '../btc-amounts';

/**
 * Reward pull payments carry the sale's invoice id in their description, so every counter of the
 * store (and BTCPay's own pages) can tell which sale a reward belongs to: BTCPay stays the record.
 */
const TAG = 'flash-reward invoice:';
export const rewardTag = (invoiceId: string): string => `${TAG}${invoiceId}`;
export function invoiceOfRewardTag(description: string | null | undefined): string | null {
  return description?.startsWith(TAG) ? description.slice(TAG.length) || null : null;
}

/** Journal refs of rewards paid in eCash (journal kind 'reward' too): not BTCPay's to settle. */
const ECASH_REF = 'ecash:';
export const ecashRewardRef = (invoiceId: string): string => `${ECASH_REF}${invoiceId}`;
export const isEcashRewardRef = (ref: string): boolean => ref.startsWith(ECASH_REF);
export const invoiceOfEcashRewardRef = (ref: string): string => ref.slice(ECASH_REF.length);

/** Journal refs of rewards topped up onto a Flash Card (journal kind 'reward' too): settled by the card journal. */
const CARD_REF = 'card:';
export const cardRewardRef = (invoiceId: string): string => `${CARD_REF}${invoiceId}`;
export const isCardRewardRef = (ref: string): boolean => ref.startsWith(CARD_REF);
export const invoiceOfCardRewardRef = (ref: string): string => ref.slice(CARD_REF.length);

/**
 * The name of a card's pull payment made by a sale's reward top-up: it names the sale and the
 * reward, so any counter of the store can tell the reward was given (BTCPay stays the record).
 */
export const cardRewardName = (invoiceId: string, sats: number): string =>
  `Flash Card +${sats} sats ${rewardTag(invoiceId)}`;
export function cardRewardOfName(
  name: string | null | undefined,
): { invoiceId: string; sats: number } | null {
  const m = /^Flash Card \+(\d+) sats (.+)$/.exec(name ?? '');
  const invoiceId = m ? invoiceOfRewardTag(m[2]) : null;
  return m && invoiceId ? { invoiceId, sats: Number(m[1]) } : null;
}

/** What Greenfield tells about one pull payment (its list has expiresAt beyond the spec's fields). */
export interface PullPaymentFacts {
  id: string;
  description: string;
  amount: string;
  currency: string;
  archived: boolean;
  /** Seconds since the epoch, null: never. */
  startsAt: number | null;
  expiresAt: number | null;
}

export interface PayoutFacts {
  pullPaymentId: string;
  state: string;
  payoutAmount: string | null;
  originalAmount: string | null;
}

export interface RewardStatus {
  sats: number;
  state: RewardState;
  claimedSats: number;
}

/**
 * A reward's state from its pull payment and payouts: claimed once a payout completed, being
 * claimed while one is on its way, otherwise archived or expired as BTCPay says, else unclaimed.
 */
export function rewardStatus(
  pp: PullPaymentFacts,
  payouts: readonly PayoutFacts[],
  nowMs: number,
): RewardStatus {
  const own = payouts.filter((p) => p.pullPaymentId === pp.id);
  const paid = (p: PayoutFacts) =>
    btcToSats(p.payoutAmount) ?? pullPaymentSats(p.originalAmount, pp.currency) ?? 0;
  const completed = own.filter((p) => p.state === 'Completed');
  const moving = own.some(
    (p) => p.state === 'AwaitingApproval' || p.state === 'AwaitingPayment' || p.state === 'InProgress',
  );
  const claimedSats = completed.reduce((s, p) => s + paid(p), 0);
  const sats = pullPaymentSats(pp.amount, pp.currency) ?? 0;
  let state: RewardState;
  if (completed.length > 0) state = 'claimed';
  else if (moving) state = 'claiming';
  else if (pp.archived) state = 'archived';
  else if (pp.expiresAt !== null && pp.expiresAt * 1000 <= nowMs) state = 'expired';
  else state = 'unclaimed';
  return { sats, state, claimedSats };
}
