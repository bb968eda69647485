import type { MethodName } from '../../../shared/contract';
import type { MultisigService } from '../../bitcoin/multisig/service';
import type { Handlers } from '../dispatcher';

type MultisigMethod = Extract<MethodName, `multisig.${string}`>;

/** Binds multisig wallets (main/bitcoin/multisig); routing only. */
export function createMultisigHandlers(s: { multisig: MultisigService }): Pick<Handlers, MultisigMethod> {
  const m = s.multisig;
  return {
    'multisig.importWallet': (input) => m.importWallet(input),
    'multisig.createWallet': (input) => m.createWallet(input),
    'multisig.seedCosigner': (input) => m.seedCosigner(input),
    'multisig.getWallet': ({ walletId }) => m.get(walletId),
    'multisig.exportWallet': ({ walletId, format }) => m.exportWallet(walletId, format),
    'multisig.backupSheet': ({ walletId, language }) => m.backupSheet(walletId, language),
    'multisig.signingProgress': ({ draftId }) => m.signingProgress(draftId),
    'multisig.signWithSeed': ({ draftId, fingerprint }) => m.signWithSeed(draftId, fingerprint),
    'multisig.addSignatures': ({ draftId, data }) => m.addSignatures(draftId, data),
    'multisig.deviceCosigner': (input) => m.deviceCosigner(input),
    'multisig.registerOnDevice': ({ walletId, fingerprint }) => m.registerOnDevice(walletId, fingerprint),
    'multisig.verifyAddress': (input) => m.verifyAddress(input),
    'multisig.signWithDevice': ({ draftId, fingerprint }) => m.signWithDevice(draftId, fingerprint),
    'multisig.exportPsbtBbqr': ({ draftId, encoding, version }) =>
      m.exportPsbtBbqr(draftId, {
        ...(encoding ? { encoding } : {}),
        ...(version !== undefined ? { version } : {}),
      }),
  };
}
