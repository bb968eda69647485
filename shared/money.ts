/**
 * Money formatting and parsing with integer and string math only. Amounts are sats as `number`
 * (always a safe integer) or `bigint`; nothing here ever goes through a float.
 */

export const SATS_PER_BTC = 100_000_000n;
/** 21 million BTC: no valid amount is larger. */
export const MAX_SATS = 21_000_000n * SATS_PER_BTC;

export interface NumberSeparators {
  /** Between groups of three digits in the whole part, e.g. ',' in English; '' for none. */
  group: string;
  /** Between the whole and the fractional part, e.g. '.' in English, ',' in Spanish. */
  decimal: string;
}

export const ENGLISH_SEPARATORS: NumberSeparators = { group: ',', decimal: '.' };

export interface FormatOptions {
  separators?: NumberSeparators;
  /** 'auto': only negatives get a sign. 'always': positives get '+' too (zero never gets a sign). */
  sign?: 'auto' | 'always';
}

function toBigInt(sats: number | bigint): bigint {
  if (typeof sats === 'bigint') return sats;
  if (!Number.isSafeInteger(sats)) throw new RangeError(`Not a whole number of sats: ${String(sats)}`);
  return BigInt(sats);
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

function signOf(value: bigint, mode: FormatOptions['sign']): string {
  if (value < 0n) return '-';
  if (value > 0n && mode === 'always') return '+';
  return '';
}

/** 123456 -> "123,456" (sats, grouped). */
export function formatSats(sats: number | bigint, opts: FormatOptions = {}): string {
  const value = toBigInt(sats);
  const abs = value < 0n ? -value : value;
  const sep = opts.separators ?? ENGLISH_SEPARATORS;
  return signOf(value, opts.sign) + groupDigits(abs.toString(), sep.group);
}

/** 123456 -> "0.00123456" (BTC, always 8 decimals). */
export function formatBtc(sats: number | bigint, opts: FormatOptions = {}): string {
  const value = toBigInt(sats);
  const abs = value < 0n ? -value : value;
  const sep = opts.separators ?? ENGLISH_SEPARATORS;
  const whole = (abs / SATS_PER_BTC).toString();
  const fraction = (abs % SATS_PER_BTC).toString().padStart(8, '0');
  return signOf(value, opts.sign) + groupDigits(whole, sep.group) + sep.decimal + fraction;
}

/**
 * "0.001" -> 100000. Accepts at most 8 decimals, no sign, no exponent, no group separators;
 * the decimal separator may be '.' or the one given. Returns null for anything else or for
 * more than 21 million BTC.
 */
export function parseBtc(text: string, decimal = '.'): number | null {
  let s = text.trim();
  if (decimal !== '.') s = s.split(decimal).join('.');
  const m = /^(\d*)(?:\.(\d{0,8}))?$/.exec(s);
  if (!m) return null;
  const whole = m[1] ?? '';
  const fraction = m[2] ?? '';
  if (whole === '' && fraction === '') return null;
  const sats = BigInt(whole || '0') * SATS_PER_BTC + BigInt(fraction.padEnd(8, '0'));
  return sats > MAX_SATS ? null : Number(sats);
}

/** "100000" -> 100000. Digits only; null for anything else or more than 21 million BTC. */
export function parseSats(text: string): number | null {
  const s = text.trim();
  if (!/^\d+$/.test(s)) return null;
  const sats = BigInt(s);
  return sats > MAX_SATS ? null : Number(sats);
}
