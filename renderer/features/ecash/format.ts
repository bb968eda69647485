import type { NumberSeparators } from '../../../shared/money';
import { formatSats } from '../../../shared/money';

/**
 * eCash amounts are integers in the mint's unit: sats, or the minor unit of a currency (cents for
 * usd and eur, as NUT-01 has it). These helpers keep that rule in one place for the screens.
 */

/** Whether the unit counts hundredths (usd, eur…) rather than whole sats. */
export function isCurrencyUnit(unit: string): boolean {
  return unit !== 'sat' && unit !== 'msat';
}

/** 1234 sat → "1,234 sats" (through the caller's sats text); 250 usd → "2.50 USD". */
export function formatUnitAmount(
  amount: number,
  unit: string,
  separators: NumberSeparators,
  satsText: (value: string) => string,
): string {
  if (!isCurrencyUnit(unit)) return satsText(formatSats(amount, { separators }));
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const whole = formatSats(Math.floor(abs / 100), { separators });
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${whole}${separators.decimal}${cents} ${unit.toUpperCase()}`;
}

/**
 * What the user typed, as an integer in the unit: whole sats, or a currency with up to two
 * decimals (either separator) as cents. Null when it is not a positive amount.
 */
export function parseUnitAmount(text: string, unit: string): number | null {
  const s = text.trim().replace(/[\s_]/g, '');
  if (!isCurrencyUnit(unit)) {
    if (!/^\d{1,16}$/.test(s)) return null;
    const n = Number(s);
    return n > 0 && Number.isSafeInteger(n) ? n : null;
  }
  const m = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return cents > 0 ? cents : null;
}

/** A mint's address without the scheme, for lists where its name is unknown. */
export function shortMintUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/$/, '');
}
