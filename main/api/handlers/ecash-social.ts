import type { MethodName } from '../../../shared/contract';
import type { EcashSocialService } from '../../ecash/social-service';
import type { Handlers } from '../dispatcher';

export type EcashSocialMethod =
  | 'ecash.sendInChat'
  | 'ecash.chatPayments'
  | 'ecash.claimChatToken'
  | 'ecash.createPaymentRequest'
  | 'ecash.decodePaymentRequest'
  | 'ecash.payPaymentRequest'
  | 'ecash.paymentRequestPayments'
  | 'ecash.nutzapInfo'
  | 'ecash.publishNutzapInfo'
  | 'ecash.nutzap'
  | 'ecash.checkNutzaps'
  | 'ecash.backupWallet'
  | 'ecash.restoreWallet';

/** Binds eCash with other people (main/ecash/social-service.ts); routing only. */
export function createEcashSocialHandlers(s: {
  ecashSocial: EcashSocialService;
}): Pick<Handlers, Extract<MethodName, EcashSocialMethod>> {
  const e = s.ecashSocial;
  return {
    'ecash.sendInChat': ({ to, mintUrl, unit, amount, memo, lockToContact }) =>
      e.sendInChat({
        to,
        unit,
        amount,
        ...(mintUrl !== undefined ? { mintUrl } : {}),
        ...(memo !== undefined ? { memo } : {}),
        ...(lockToContact !== undefined ? { lockToContact } : {}),
      }),
    'ecash.chatPayments': ({ conversationId }) => e.chatPayments(conversationId),
    'ecash.claimChatToken': (input) => e.claimChatToken(input),
    'ecash.createPaymentRequest': ({ amount, unit, mints, description, transport, postUrl, lock }) =>
      e.createPaymentRequest({
        unit,
        transport,
        ...(amount !== undefined ? { amount } : {}),
        ...(mints !== undefined ? { mints } : {}),
        ...(description !== undefined ? { description } : {}),
        ...(postUrl !== undefined ? { postUrl } : {}),
        ...(lock !== undefined ? { lock } : {}),
      }),
    'ecash.decodePaymentRequest': ({ request }) => e.decodePaymentRequest(request),
    'ecash.payPaymentRequest': ({ request, mintUrl, amount }) =>
      e.payPaymentRequest({
        request,
        ...(mintUrl !== undefined ? { mintUrl } : {}),
        ...(amount !== undefined ? { amount } : {}),
      }),
    'ecash.paymentRequestPayments': ({ id }) => e.paymentRequestPayments(id),
    'ecash.nutzapInfo': ({ pubkey }) => e.nutzapInfo(pubkey),
    'ecash.publishNutzapInfo': ({ mints }) => e.publishNutzapInfo(mints ? { mints } : {}),
    'ecash.nutzap': ({ to, amount, unit, mintUrl, comment, zapped }) =>
      e.nutzap({
        to,
        amount,
        unit,
        ...(mintUrl !== undefined ? { mintUrl } : {}),
        ...(comment !== undefined ? { comment } : {}),
        ...(zapped !== undefined ? { zapped } : {}),
      }),
    'ecash.checkNutzaps': () => e.checkNutzaps(),
    'ecash.backupWallet': () => e.backupWallet(),
    'ecash.restoreWallet': () => e.restoreWallet(),
  };
}
