import type { Network } from '../../shared/contract';
import type { SendService } from '../bitcoin/send/service';
import type { WalletService } from '../bitcoin/wallet/types';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import type { HardwareService } from './service';
import { createHardwareService } from './service';
import { createWalletLookup } from './wallet-lookup';

/**
 * Builds the hardware service from the core's services. `simulatedDevices` is true only in browser
 * mode started with --simulated-devices on regtest (see main/hardware/simulated/ledger.ts).
 */
export function createHardwareForCore(deps: {
  db: Db;
  log: Logger;
  network: () => Network;
  wallet: Pick<WalletService, 'importWatchOnly'>;
  send: Pick<SendService, 'draftForSigning' | 'importPsbt'>;
  simulatedDevices: boolean;
}): HardwareService {
  const { wallet, send } = deps;
  return createHardwareService({
    db: deps.db,
    log: deps.log,
    network: deps.network,
    wallets: createWalletLookup(deps.db),
    importAccount: (input) =>
      wallet.importWatchOnly({
        name: input.name,
        network: input.network,
        key: input.key,
        accountType: input.type,
        fingerprint: input.fingerprint,
        path: input.path,
        signer: input.signer,
      }),
    drafts: {
      // The same checks as software signing (proven amounts, absurd fee, coins in use) before a device sees it.
      psbt: (draftId) => send.draftForSigning(draftId),
      importSigned: (walletId, psbtBase64) => send.importPsbt({ walletId, data: psbtBase64 }),
    },
    simulated: deps.simulatedDevices ? { approve: true } : null,
  });
}
