import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import type { Network } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { readWords } from '../bitcoin/wallet/stored-words';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';

/**
 * The BIP32 root of the active account's recovery words, for keys Lightning derives from the
 * wallet (LNURL-auth linking keys, LUD-05). Watch-only and hardware accounts have no words in
 * Flash: LIGHTNING_NOT_SUPPORTED. The vault must be unlocked (VAULT_LOCKED otherwise).
 */
export function createWalletRootReader(deps: {
  db: Db;
  vault: VaultService;
  network(): Network;
  activeWalletId(network: Network): string | null;
}): () => HDKey {
  return () => {
    const walletId = deps.activeWalletId(deps.network());
    const row = walletId
      ? (deps.db.prepare('SELECT signer, seed_wallet_id FROM wallets WHERE id = ?').get(walletId) as
          { signer: string; seed_wallet_id: string | null } | undefined)
      : undefined;
    if (!row || row.signer !== 'seed' || row.seed_wallet_id === null)
      throw new FlashError(
        'LIGHTNING_NOT_SUPPORTED',
        'LNURL login needs an account with recovery words in Flash.',
        {
          what: 'lnurl-auth',
        },
      );
    const words = readWords(deps.vault, row.seed_wallet_id);
    const seed = mnemonicToSeedSync(words.mnemonic, words.passphrase);
    try {
      return HDKey.fromMasterSeed(seed);
    } finally {
      seed.fill(0);
    }
  };
}
