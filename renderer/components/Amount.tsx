import { formatBtc, formatSats } from '../../shared/money';
import { FiatAmount } from '../features/prices/FiatAmount';
import { useI18n } from '../i18n';

/** An amount as BTC (8 decimals) and sats, and in fiat when a price source is on. `signed` shows '+' on money in. */
export function Amount({ sats, signed = false }: { sats: number; signed?: boolean }) {
  const { t, separators } = useI18n();
  const opts = { separators, sign: signed ? ('always' as const) : ('auto' as const) };
  const tone = !signed || sats === 0 ? '' : sats > 0 ? ' amount-in' : ' amount-out';
  return (
    <span className={`amount${tone}`}>
      <span className="amount-btc">{t('amount.btc', { value: formatBtc(sats, opts) })}</span>{' '}
      <span className="amount-sats">{t('amount.sats', { value: formatSats(sats, opts) })}</span>
      <FiatAmount sats={sats} signed={signed} />
    </span>
  );
}
