import type { lightningSwapMethods } from '../../../shared/contract';
import type { Swaps } from '../../lightning/breez/swaps';
import type { Handlers } from '../dispatcher';

type SwapMethod = keyof typeof lightningSwapMethods;

/** Binds the swap methods (Breez: on-chain ↔ Lightning, refunds, fee acceptance); routing only. */
export function createLightningSwapHandlers(swaps: Swaps): Pick<Handlers, SwapMethod> {
  return {
    'lightning.swapLimits': ({ providerId }) => swaps.limits(providerId),
    'lightning.receiveOnchain': ({ providerId, amountSats }) =>
      swaps.receiveOnchain({
        ...(providerId !== undefined ? { providerId } : {}),
        ...(amountSats !== undefined ? { amountSats } : {}),
      }),
    'lightning.prepareOnchainSend': ({ providerId, address, amountSats }) =>
      swaps.prepareOnchainSend({ address, amountSats, ...(providerId !== undefined ? { providerId } : {}) }),
    'lightning.confirmOnchainSend': ({ prepareId }) => swaps.confirmOnchainSend(prepareId),
    'lightning.listRefundables': () => swaps.listRefundables(),
    'lightning.prepareRefund': (input) => swaps.prepareRefund(input),
    'lightning.refund': (input) => swaps.refund(input),
    'lightning.feeQuote': ({ paymentId }) => swaps.feeQuote(paymentId),
    'lightning.acceptFee': ({ paymentId }) => swaps.acceptFee(paymentId),
  };
}
