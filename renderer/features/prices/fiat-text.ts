import type { PriceQuote } from '../../../shared/contract/prices';
import { formatFiat } from '../../../shared/fiat';
import type { NumberSeparators } from '../../../shared/money';
import type { Translate } from '../../i18n/translate-types';

/** How old a price is, in words: "just now", "3 min ago", "2 h ago", "4 d ago". */
export function ageText(t: Translate, ageMs: number): string {
  const minutes = Math.floor(Math.max(0, ageMs) / 60_000);
  if (minutes < 1) return t('prices.age.now');
  if (minutes < 60) return t('prices.age.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('prices.age.hours', { count: hours });
  return t('prices.age.days', { count: Math.floor(hours / 24) });
}

/** The price of one BTC, written in the currency's decimals and the language's separators. */
export function priceText(quote: PriceQuote, separators: NumberSeparators): string {
  return formatFiat(100_000_000, quote.price, quote.currency, separators);
}

/** What the rate notes say about a quote: price, currency, source and age. */
export function quoteVars(t: Translate, quote: PriceQuote, separators: NumberSeparators, now: number) {
  return {
    price: priceText(quote, separators),
    currency: quote.currency,
    source: t(`prices.sourceName.${quote.source}`),
    age: ageText(t, now - quote.time),
  };
}
