import { SendError } from './errors';

/**
 * Fees no one pays on purpose. A rate above 1,000 sat/vB is a typo or a hostile PSBT; so is a fee
 * above both 100,000 sats and a quarter of what leaves the wallet. Such a draft is not signed
 * until the user types the fee back, in sats, exactly.
 */
export const ABSURD_FEE_RATE = 1000;
export const ABSURD_FEE_SATS = 100_000;
/** A fee above 1/4 of what leaves the wallet (paid to others plus the fee itself). */
const ABSURD_FEE_SHARE_DIVISOR = 4;

export type FeeConcern =
  | { reason: 'rate'; feeSats: number; feeRate: number; limitRate: number }
  | { reason: 'share'; feeSats: number; leavingSats: number; limitSats: number };

/** sat/vB with 3 decimals, from integers. */
const rateOf = (fee: number, vsize: number): number => Math.floor((fee * 1000) / vsize) / 1000;

/**
 * Null when the fee is ordinary. `leavingSats` is what leaves the wallet: every output that is
 * not ours (see ownership.ts) plus the fee.
 */
export function judgeFee(input: { feeSats: number; vsize: number; leavingSats: number }): FeeConcern | null {
  const { feeSats, vsize, leavingSats } = input;
  // Compare in integers: fee > 1000 sat/vB * vsize.
  if (feeSats > ABSURD_FEE_RATE * vsize) {
    return { reason: 'rate', feeSats, feeRate: rateOf(feeSats, vsize), limitRate: ABSURD_FEE_RATE };
  }
  if (feeSats > ABSURD_FEE_SATS && feeSats * ABSURD_FEE_SHARE_DIVISOR > leavingSats) {
    return { reason: 'share', feeSats, leavingSats, limitSats: ABSURD_FEE_SATS };
  }
  return null;
}

/**
 * The limit handed to bitcoinjs's own check when it extracts the signed transaction (it refuses
 * floor(fee / vsize) >= the limit): 1,000 sat/vB, or just above the rate the user accepted.
 */
export function extractionFeeLimit(accepted: { feeSats: number; vsize: number } | null): number {
  if (!accepted) return ABSURD_FEE_RATE + 1;
  return Math.max(ABSURD_FEE_RATE + 1, Math.floor(accepted.feeSats / accepted.vsize) + 1);
}

/** The refusal a caller throws while a concern stands and the user has not typed the fee back. */
export function absurdFeeError(concern: FeeConcern): SendError {
  const text =
    concern.reason === 'rate'
      ? `The fee is ${concern.feeSats} sats, ${concern.feeRate} sat/vB: above ${concern.limitRate} sat/vB, almost certainly a mistake.`
      : `The fee is ${concern.feeSats} sats, more than a quarter of the ${concern.leavingSats} sats leaving the wallet.`;
  return new SendError('FEE_ABSURD', `${text} Type the fee amount back to send anyway.`, {
    concern: concern.reason,
    feeSats: concern.feeSats,
  });
}
