import type { Network } from '../../shared/contract';
import type { StoredWords } from '../bitcoin/wallet/stored-words';
import { readWords } from '../bitcoin/wallet/stored-words';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import { noWordsError } from './seed';

/** The recovery words of the active account (watch-only and hardware accounts have none in Flash). */
export function readActiveWords(deps: {
  db: Db;
  vault: VaultService;
  network: Network;
  walletId: string | null;
}): StoredWords {
  void deps.network;
  const row = deps.walletId
    ? (deps.db.prepare('SELECT signer, seed_wallet_id FROM wallets WHERE id = ?').get(deps.walletId) as
        { signer: string; seed_wallet_id: string | null } | undefined)
    : undefined;
  if (!row || row.signer !== 'seed' || row.seed_wallet_id === null) throw noWordsError();
  return readWords(deps.vault, row.seed_wallet_id);
}
