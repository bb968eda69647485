import type { MethodName } from '../../../shared/contract';
import type { EcashService } from '../../ecash/service';
import type { Handlers } from '../dispatcher';
import type { EcashSocialMethod } from './ecash-social';

/** The wallet's own methods; eCash with other people is bound in ./ecash-social. */
type EcashMethod = Exclude<Extract<MethodName, `ecash.${string}`>, EcashSocialMethod>;

const DONE = { done: true } as const;

/** Binds the eCash wallet (main/ecash); routing only. */
export function createEcashHandlers(s: { ecash: EcashService }): Pick<Handlers, EcashMethod> {
  const e = s.ecash;
  return {
    'ecash.listMints': () => e.listMints(),
    'ecash.previewMint': ({ url }) => e.previewMint(url),
    'ecash.addMint': ({ url }) => e.addMint(url),
    'ecash.removeMint': ({ url }) => {
      e.removeMint(url);
      return DONE;
    },
    'ecash.refreshMint': ({ url }) => e.refreshMint(url),
    'ecash.balances': () => e.balances(),
    'ecash.mintQuote': ({ mintUrl, unit, amount, description }) =>
      e.mintQuote({ mintUrl, unit, amount, ...(description !== undefined ? { description } : {}) }),
    'ecash.payMintQuote': ({ operationId }) => e.payMintQuote(operationId),
    'ecash.checkMintQuote': ({ operationId }) => e.checkMintQuote(operationId),
    'ecash.prepareMelt': ({ text, unit, mintUrl, amountSats }) =>
      e.prepareMelt({
        text,
        unit,
        ...(mintUrl !== undefined ? { mintUrl } : {}),
        ...(amountSats !== undefined ? { amountSats } : {}),
      }),
    'ecash.prepareMove': (input) => e.prepareMove(input),
    'ecash.confirmMelt': ({ prepareId }) => e.confirmMelt(prepareId),
    'ecash.send': ({ mintUrl, unit, amount, memo, lock, offlineOnly }) =>
      e.send({
        mintUrl,
        unit,
        amount,
        ...(memo !== undefined ? { memo } : {}),
        ...(lock !== undefined
          ? {
              lock: {
                to: lock.to,
                ...(lock.locktime !== undefined ? { locktime: lock.locktime } : {}),
                ...(lock.refundKeys !== undefined ? { refundKeys: lock.refundKeys } : {}),
              },
            }
          : {}),
        ...(offlineOnly !== undefined ? { offlineOnly } : {}),
      }),
    'ecash.sentToken': ({ operationId }) => e.sentToken(operationId),
    'ecash.reclaim': ({ operationId }) => e.reclaim(operationId),
    'ecash.decodeToken': ({ token }) => e.decodeToken(token),
    'ecash.receive': ({ token }) => e.receive(token),
    'ecash.p2pkKey': () => ({ pubkey: e.p2pkPublicKey() }),
    'ecash.restore': ({ mints, gap }) => e.restore(mints, gap),
    'ecash.listOperations': ({ limit, offset }) => e.listOperations(limit, offset),
    'ecash.getOperation': ({ id }) => e.getOperation(id),
    'ecash.recover': async () => {
      await e.recover();
      return DONE;
    },
    'ecash.keysetBalances': ({ url }) => e.keysetBalances(url),
  };
}
