import type { Network } from '../../shared/contract';
import { createWalletReader } from '../bitcoin/send/wallet-reader';
import type { Db } from '../store/database';

/** What the hardware service needs to know about an account. */
export interface HardwareAccount {
  id: string;
  network: Network;
  xpub: string;
  fingerprint: string | null;
  accountPath: string | null;
  accountType: 'bip44' | 'bip49' | 'bip84' | 'bip86' | 'multisig';
  signer: 'seed' | 'watch' | 'ledger' | 'trezor' | 'multisig';
}

export interface WalletLookup {
  account(walletId: string): HardwareAccount | null;
  /** Where one of the account's addresses sits: chain 0 receive, 1 change. */
  addressPosition(walletId: string, address: string): { chain: 0 | 1; index: number } | null;
}

/** The wallet tables (owned by main/bitcoin/wallet) through the same read-only view sends use. */
export function createWalletLookup(db: Db): WalletLookup {
  const reader = createWalletReader(db);
  return {
    account(walletId) {
      const w = reader.wallet(walletId);
      return w
        ? {
            id: w.id,
            network: w.network,
            xpub: w.xpub,
            fingerprint: w.fingerprint,
            accountPath: w.accountPath,
            accountType: w.accountType,
            signer: w.signer,
          }
        : null;
    },
    addressPosition: (walletId, address) => reader.addressIndex(walletId, address),
  };
}
