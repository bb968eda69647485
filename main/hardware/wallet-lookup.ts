import type { Network } from '../../shared/contract';
import type { Db } from '../store/database';

/** What the hardware service needs to know about an account (read-only view of `wallets`). */
export interface HardwareAccount {
  id: string;
  network: Network;
  xpub: string;
  fingerprint: string | null;
  accountPath: string | null;
  accountType: 'bip44' | 'bip49' | 'bip84' | 'bip86';
  signer: 'seed' | 'watch' | 'ledger' | 'trezor';
}

export interface WalletLookup {
  account(walletId: string): HardwareAccount | null;
  /** Where one of the account's addresses sits: chain 0 receive, 1 change. */
  addressPosition(walletId: string, address: string): { chain: 0 | 1; index: number } | null;
}

/** Reads the wallet tables owned by main/bitcoin/wallet; never writes them. */
export function createWalletLookup(db: Db): WalletLookup {
  const account = db.prepare<
    [string],
    {
      id: string;
      network: Network;
      xpub: string;
      fingerprint: string | null;
      account_path: string | null;
      account_type: HardwareAccount['accountType'];
      signer: HardwareAccount['signer'];
    }
  >(`SELECT id, network, xpub, fingerprint, account_path, account_type, signer FROM wallets WHERE id = ?`);
  const position = db.prepare<[string, string], { chain: 0 | 1; idx: number }>(
    `SELECT chain, idx FROM wallet_addresses WHERE wallet_id = ? AND address = ?`,
  );
  return {
    account(walletId) {
      const row = account.get(walletId);
      if (!row) return null;
      return {
        id: row.id,
        network: row.network,
        xpub: row.xpub,
        fingerprint: row.fingerprint,
        accountPath: row.account_path,
        accountType: row.account_type,
        signer: row.signer,
      };
    },
    addressPosition(walletId, address) {
      const row = position.get(walletId, address);
      return row ? { chain: row.chain, index: row.idx } : null;
    },
  };
}
