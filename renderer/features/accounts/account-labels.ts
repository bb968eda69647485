import type { AccountType, WalletSummary } from '../../../shared/contract/wallet';
import type { Translate } from '../../i18n';

export const ACCOUNT_TYPE_CHOICES: readonly AccountType[] = ['bip84', 'bip86', 'bip49', 'bip44'];

/** Account types as <select> options with their translated names, in the order given. */
export function accountTypeOptions(
  t: Translate,
  types: readonly AccountType[] = ACCOUNT_TYPE_CHOICES,
): { value: AccountType; label: string }[] {
  return types.map((v) => ({ value: v, label: t(`accounts.type.${v}`) }));
}

/** "Savings · Taproot" plus who signs when it is not the recovery words. */
export function accountLabel(t: Translate, a: WalletSummary): string {
  const base = `${a.name} · ${t(`accounts.type.${a.accountType}`)}`;
  return a.signer === 'seed' ? base : `${base} · ${t(`accounts.signer.${a.signer}`)}`;
}
