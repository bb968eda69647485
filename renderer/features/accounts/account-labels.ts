import type { WalletSummary } from '../../../shared/contract/wallet';
import type { Translate } from '../../i18n';

/** "Savings · Taproot" plus who signs when it is not the recovery words. */
export function accountLabel(t: Translate, a: WalletSummary): string {
  const base = `${a.name} · ${t(`accounts.type.${a.accountType}`)}`;
  return a.signer === 'seed' ? base : `${base} · ${t(`accounts.signer.${a.signer}`)}`;
}
