import type { MerchantFeature, SaleState } from '../../../shared/contract/merchant';
import type { MessageKey } from '../../i18n/en';
import type { Translate } from '../../i18n/translate-types';

/** A BTCPay permission in the user's words (the raw name for ones the counter doesn't use). */
export function permissionWords(t: Translate, permission: string): string {
  const key = `merchant.permission.${permission}` as MessageKey;
  const known: readonly string[] = [
    'btcpay.store.canviewstoresettings',
    'btcpay.store.cancreateinvoice',
    'btcpay.store.canviewinvoices',
    'btcpay.store.cancreatepullpayments',
    'btcpay.store.canmodifystoresettings',
  ];
  return known.includes(permission) ? t(key) : t('merchant.permission.other', { name: permission });
}

export function featureName(t: Translate, feature: MerchantFeature): string {
  return t(`merchant.feature.${feature}`);
}

export function saleStateText(t: Translate, state: SaleState, dueSats: number): string {
  return state === 'partial'
    ? t('merchant.sale.state.partial', { due: dueSats })
    : t(`merchant.sale.state.${state}`);
}

export function saleNextStep(t: Translate, state: SaleState): string {
  return t(`merchant.sale.next.${state}`);
}

/** The tone of a sale's state: good, waiting, or needs the cashier. */
export function saleTone(state: SaleState): 'ok' | 'wait' | 'bad' {
  if (state === 'paid' || state === 'paidOver' || state === 'processing') return 'ok';
  if (state === 'waiting' || state === 'partial') return 'wait';
  return 'bad';
}
