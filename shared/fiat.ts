/**
 * Fiat values of bitcoin amounts with integer and string math only. A price is a decimal string
 * ("43753" or "43753.12": one BTC in the currency), a fiat value is integer minor units (cents)
 * or its formatted string. Nothing here goes through a float.
 */
import type { NumberSeparators } from './money';
import { ENGLISH_SEPARATORS, SATS_PER_BTC } from './money';

/** The currencies both public price sources quote (mempool.space's /api/v1/prices lists these). */
export const FIAT_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'CHF', 'AUD', 'JPY'] as const;
export type FiatCurrency = (typeof FIAT_CURRENCIES)[number];

/** ISO 4217 minor units: how many decimals a currency is written with. */
export const FIAT_DECIMALS: Readonly<Record<FiatCurrency, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  CHF: 2,
  AUD: 2,
  JPY: 0,
};

/** A price as the contract carries it: digits, at most one '.', at most 8 decimals, no sign. */
export const PRICE_PATTERN = /^(0|[1-9]\d{0,11})(\.\d{1,8})?$/;

/** "43753.12" -> { scaled: 4375312n, decimals: 2 }; null when it is not a price. */
export function parsePrice(text: string): { scaled: bigint; decimals: number } | null {
  const m = PRICE_PATTERN.exec(text);
  if (!m) return null;
  const fraction = (m[2] ?? '').slice(1);
  return { scaled: BigInt((m[1] ?? '0') + fraction), decimals: fraction.length };
}

/** Integer division rounded half away from zero, as a shop rounds a price. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs + denominator / 2n) / denominator;
  return negative ? -q : q;
}

/**
 * The value of `sats` at `price` (one BTC in the currency) in the currency's minor units,
 * rounded half away from zero: sats × price × 10^decimals / 10^8, all in bigint.
 */
export function satsToFiatMinor(sats: number | bigint, price: string, currency: FiatCurrency): bigint {
  const parsed = parsePrice(price);
  if (!parsed) throw new RangeError(`Not a price: ${price}`);
  if (typeof sats === 'number' && !Number.isSafeInteger(sats))
    throw new RangeError(`Not a whole number of sats: ${String(sats)}`);
  const amount = typeof sats === 'bigint' ? sats : BigInt(sats);
  const numerator = amount * parsed.scaled * 10n ** BigInt(FIAT_DECIMALS[currency]);
  const denominator = SATS_PER_BTC * 10n ** BigInt(parsed.decimals);
  return divideRounded(numerator, denominator);
}

function groupDigits(digits: string, separator: string): string {
  if (!separator) return digits;
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

/** 123456n USD -> "1,234.56"; JPY has no decimals. */
export function formatFiatMinor(
  minor: bigint,
  currency: FiatCurrency,
  separators: NumberSeparators = ENGLISH_SEPARATORS,
): string {
  const decimals = FIAT_DECIMALS[currency];
  const abs = minor < 0n ? -minor : minor;
  const digits = abs.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  const sign = minor < 0n ? '-' : '';
  return sign + groupDigits(whole, separators.group) + (decimals > 0 ? separators.decimal + fraction : '');
}

/** The fiat value of `sats` at `price`, formatted: 150000 sats at "43753.12" USD -> "65.63". */
export function formatFiat(
  sats: number | bigint,
  price: string,
  currency: FiatCurrency,
  separators: NumberSeparators = ENGLISH_SEPARATORS,
): string {
  return formatFiatMinor(satsToFiatMinor(sats, price, currency), currency, separators);
}
