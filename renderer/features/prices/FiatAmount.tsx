import { formatFiat } from '../../../shared/fiat';
import { useI18n } from '../../i18n';
import { quoteVars } from './fiat-text';
import { usePrices } from './prices-context';

/**
 * "≈ 12.34 USD" for an amount in sats, when a fiat price is on; nothing otherwise (not even a
 * space, so text around it is unchanged while prices are off). `spaced` starts it with a space,
 * for running text.
 */
export function FiatAmount({
  sats,
  signed = false,
  spaced = false,
}: {
  sats: number;
  signed?: boolean;
  spaced?: boolean;
}) {
  const { t, separators } = useI18n();
  const prices = usePrices();
  const quote = prices?.status?.state === 'off' ? null : (prices?.status?.quote ?? null);
  if (!prices || !quote) return null;
  const value = formatFiat(sats, quote.price, quote.currency, separators);
  const sign = signed && sats > 0 ? '+' : '';
  const stale = prices.status?.state === 'stale';
  const note = t(stale ? 'fiat.rateNoteStale' : 'fiat.rateNote', quoteVars(t, quote, separators, prices.now));
  return (
    <span className={`amount-fiat${stale ? ' amount-fiat-stale' : ''}`} title={note}>
      {spaced ? ' ' : ''}
      {t('fiat.amount', { value: sign + value, currency: quote.currency })}
    </span>
  );
}

/** One line under a list of amounts: the price used and how old it is (or that it is the last one known). */
export function FiatRateNote() {
  const { t, separators } = useI18n();
  const prices = usePrices();
  const quote = prices?.status?.state === 'off' ? null : (prices?.status?.quote ?? null);
  if (!prices || !quote) return null;
  const stale = prices.status?.state === 'stale';
  return (
    <p className={`hint fiat-rate-note${stale ? ' fiat-rate-stale' : ''}`} data-testid="fiat-rate-note">
      {t(stale ? 'fiat.rateNoteStale' : 'fiat.rateNote', quoteVars(t, quote, separators, prices.now))}
    </p>
  );
}
