import { z } from 'zod';
import { Id, Sats } from './common';
import { LightningPaymentView } from './lightning';

/**
 * Swaps between Lightning and on-chain bitcoin, on backends that run them (Breez SDK Liquid):
 * their limits, receiving to a Bitcoin address, paying a Bitcoin address from the Lightning
 * balance, refunds of swaps that failed, and accepting a swap's changed fee. Amounts here are
 * sats (swaps are priced in whole sats); every fee is shown before anything moves.
 */

const Address = z.string().trim().min(14).max(120);
/** sat/vB for a refund transaction. */
const FeeRate = z.number().min(1).max(10_000);
const SatsRange = z.object({ minSats: Sats, maxSats: Sats });
const ProviderPick = { providerId: Id.optional() };

export const SwapLimitsView = z.object({
  providerId: Id,
  lightning: z.object({ send: SatsRange, receive: SatsRange }),
  onchain: z.object({ send: SatsRange, receive: SatsRange }).nullable(),
});
export type SwapLimitsView = z.infer<typeof SwapLimitsView>;

export const OnchainReceiveView = z.object({
  providerId: Id,
  address: z.string(),
  /** bitcoin: link with the amount, for the QR. */
  bip21: z.string(),
  amountSats: Sats.nullable(),
  /** The swap's fee for this amount (without an amount: its fixed part). */
  feeSats: Sats,
  /** The swapper's share in percent, where it says (added to feeSats when no amount was set). */
  feeRatePercent: z.number().nullable(),
  minSats: Sats,
  maxSats: Sats,
});
export type OnchainReceiveView = z.infer<typeof OnchainReceiveView>;

export const PreparedOnchainSend = z.object({
  prepareId: Id,
  providerId: Id,
  address: z.string(),
  /** What the address receives. */
  amountSats: Sats,
  /** Swap and on-chain fees together, taken from the Lightning balance. */
  feeSats: Sats,
  totalSats: Sats,
});
export type PreparedOnchainSend = z.infer<typeof PreparedOnchainSend>;

export const RefundableSwapView = z.object({
  providerId: Id,
  swapAddress: z.string(),
  amountSats: Sats,
  createdAt: z.number().int(),
  lastRefundTxid: z.string().nullable(),
});
export type RefundableSwapView = z.infer<typeof RefundableSwapView>;

const RefundInput = z
  .object({ providerId: Id, swapAddress: Address, toAddress: Address, feeRateSatPerVb: FeeRate })
  .strict();

export const FeeQuoteView = z.object({
  paymentId: Id,
  /** What the sender actually paid in. */
  payerAmountSats: Sats,
  feeSats: Sats,
  /** What reaches the Lightning balance if the fee is accepted. */
  receiverAmountSats: Sats,
});
export type FeeQuoteView = z.infer<typeof FeeQuoteView>;

export const lightningSwapMethods = {
  'lightning.swapLimits': {
    input: z.object(ProviderPick).strict(),
    output: SwapLimitsView.nullable(),
  },
  'lightning.receiveOnchain': {
    input: z.object({ ...ProviderPick, amountSats: Sats.positive().optional() }).strict(),
    output: OnchainReceiveView,
  },
  'lightning.prepareOnchainSend': {
    input: z.object({ ...ProviderPick, address: Address, amountSats: Sats.positive() }).strict(),
    output: PreparedOnchainSend,
  },
  'lightning.confirmOnchainSend': {
    input: z.object({ prepareId: Id }).strict(),
    output: LightningPaymentView,
  },
  'lightning.listRefundables': { input: z.object({}).strict(), output: z.array(RefundableSwapView) },
  'lightning.prepareRefund': {
    input: RefundInput,
    output: z.object({ feeSats: Sats, txVsize: z.number().int(), receiveSats: Sats }),
  },
  'lightning.refund': { input: RefundInput, output: z.object({ txid: z.string() }) },
  'lightning.feeQuote': { input: z.object({ paymentId: Id }).strict(), output: FeeQuoteView },
  'lightning.acceptFee': { input: z.object({ paymentId: Id }).strict(), output: LightningPaymentView },
} as const;
