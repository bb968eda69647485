import { FlashError } from '../../../shared/errors';
import type { VaultService } from '../../vault/types';

/** The vault secret holding an account's recovery words (the account that holds them). */
export const mnemonicSecretName = (walletId: string): string => `wallet:${walletId}:mnemonic`;

export interface StoredWords {
  mnemonic: string;
  passphrase: string;
}

export function sealWords(vault: VaultService, walletId: string, words: StoredWords): void {
  const secret = new TextEncoder().encode(JSON.stringify(words satisfies StoredWords));
  try {
    vault.putSecret(mnemonicSecretName(walletId), secret);
  } finally {
    secret.fill(0);
  }
}

/** The words sealed under `seedWalletId`; the vault must be unlocked (VAULT_LOCKED otherwise). */
export function readWords(vault: VaultService, seedWalletId: string): StoredWords {
  const bytes = vault.getSecret(mnemonicSecretName(seedWalletId));
  let stored: unknown;
  try {
    stored = JSON.parse(new TextDecoder().decode(bytes));
  } finally {
    bytes.fill(0);
  }
  if (!isStoredWords(stored)) throw new FlashError('INTERNAL', 'The stored recovery words are unreadable.');
  return stored;
}

function isStoredWords(v: unknown): v is StoredWords {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { mnemonic?: unknown }).mnemonic === 'string' &&
    typeof (v as { passphrase?: unknown }).passphrase === 'string'
  );
}
