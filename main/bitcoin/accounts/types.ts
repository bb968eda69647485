import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';

/**
 * The single-key account kinds Flash understands, by the BIP that defines their derivation path:
 * BIP44 legacy P2PKH, BIP49 nested SegWit P2SH-P2WPKH, BIP84 native SegWit P2WPKH (the default),
 * BIP86 Taproot key-path P2TR.
 */
export const ACCOUNT_TYPES = ['bip44', 'bip49', 'bip84', 'bip86'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const DEFAULT_ACCOUNT_TYPE: AccountType = 'bip84';

/** Output script kinds, named after their descriptor function. */
export type ScriptType = 'pkh' | 'sh-wpkh' | 'wpkh' | 'tr';

export interface AccountTypeInfo {
  type: AccountType;
  /** BIP43 purpose field: the first hardened step of the account path. */
  purpose: 44 | 49 | 84 | 86;
  scriptType: ScriptType;
  /** Human label for the UI. */
  label: string;
}

export const ACCOUNT_TYPE_INFO: Readonly<Record<AccountType, AccountTypeInfo>> = {
  bip44: { type: 'bip44', purpose: 44, scriptType: 'pkh', label: 'Legacy (P2PKH)' },
  bip49: { type: 'bip49', purpose: 49, scriptType: 'sh-wpkh', label: 'Nested SegWit (P2SH-P2WPKH)' },
  bip84: { type: 'bip84', purpose: 84, scriptType: 'wpkh', label: 'Native SegWit (P2WPKH)' },
  bip86: { type: 'bip86', purpose: 86, scriptType: 'tr', label: 'Taproot (P2TR)' },
};

export function accountTypeOfScript(scriptType: ScriptType): AccountType {
  switch (scriptType) {
    case 'pkh':
      return 'bip44';
    case 'sh-wpkh':
      return 'bip49';
    case 'wpkh':
      return 'bip84';
    case 'tr':
      return 'bip86';
  }
}

/** BIP44 coin type: 0 for real bitcoin, 1 for every test chain (testnet, signet, regtest). */
export function coinTypeOf(network: Network): 0 | 1 {
  return network === 'mainnet' ? 0 : 1;
}

/** Largest account index: the step is hardened, so it must stay below 2^31. */
export const MAX_ACCOUNT_INDEX = 0x7fffffff;

/** `m/purpose'/coin'/account'`, e.g. `m/86'/0'/0'`. Several accounts per wallet differ by index. */
export function accountPath(type: AccountType, network: Network, accountIndex = 0): string {
  if (!Number.isInteger(accountIndex) || accountIndex < 0 || accountIndex > MAX_ACCOUNT_INDEX) {
    throw new FlashError(
      'BAD_INPUT',
      `Account number must be a whole number from 0 to ${MAX_ACCOUNT_INDEX}.`,
      { accountIndex: String(accountIndex) },
    );
  }
  const { purpose } = ACCOUNT_TYPE_INFO[type];
  return `m/${purpose}'/${coinTypeOf(network)}'/${accountIndex}'`;
}

export function isAccountType(value: unknown): value is AccountType {
  return typeof value === 'string' && (ACCOUNT_TYPES as readonly string[]).includes(value);
}

/** Which test or main chain family a key or address belongs to (testnet keys serve signet and regtest too). */
export type KeyNetwork = 'mainnet' | 'test';

export function keyNetworkOf(network: Network): KeyNetwork {
  return network === 'mainnet' ? 'mainnet' : 'test';
}
