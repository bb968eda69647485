import { mnemonicToSeedSync } from '@scure/bip39';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { FlashError } from '../../shared/errors';
import type { StoredWords } from '../bitcoin/wallet/stored-words';
import type { VaultService } from '../vault/types';

/**
 * The Cashu seed (NUT-13): the 64-byte BIP39 seed of the wallet's recovery words (with the
 * wallet's passphrase, if it has one), exactly as NUT-13 derives it from a mnemonic. So the words
 * the user wrote down restore their eCash too. It is sealed in the vault as `ecash.seed` the first
 * time eCash needs it, and only read from there afterwards.
 */
const SEED_NAME = 'ecash.seed';

export interface SeedSource {
  /** The active seed wallet's words; throws when the account has none in Flash. */
  words(): StoredWords;
}

export function createSeedKeeper(vault: VaultService, source: SeedSource) {
  function seed(): Uint8Array {
    if (vault.hasSecret(SEED_NAME)) return vault.getSecret(SEED_NAME);
    const words = source.words();
    const fresh = mnemonicToSeedSync(words.mnemonic, words.passphrase);
    vault.putSecret(SEED_NAME, fresh);
    return fresh;
  }
  return {
    seed,
    /** Forgets the sealed seed (a wallet restored from other words derives a new one). */
    forget(): void {
      if (vault.hasSecret(SEED_NAME)) vault.deleteSecret(SEED_NAME);
    },
    /**
     * Our key for P2PK tokens (NUT-11): derived from the Cashu seed with its own domain, so
     * tokens locked to it are spendable after a restore from the words.
     */
    p2pkPrivateKey(): Uint8Array {
      const s = seed();
      try {
        let k = hmac(sha256, s, new TextEncoder().encode('Flash Cashu P2PK key v1'));
        while (!secp256k1.utils.isValidSecretKey(k)) k = sha256(k);
        return k;
      } finally {
        s.fill(0);
      }
    },
  };
}

export type SeedKeeper = ReturnType<typeof createSeedKeeper>;

export function noWordsError(): FlashError {
  return new FlashError('ECASH_NO_SEED', 'eCash needs an account with recovery words in Flash.');
}
