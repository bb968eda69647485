/**
 * Exact decimal money for the counter. BTCPay computes in .NET `decimal`; we compute in bigint
 * "atoms" of 10^-12, which holds every amount and percentage the POS deals in exactly, and round
 * only where BTCPay rounds (half away from zero, to the currency's decimals). Floats never touch
 * money: values come in and go out as decimal strings.
 */

export const ATOM_DECIMALS = 12;
const ATOMS = 10n ** BigInt(ATOM_DECIMALS);

export type Atoms = bigint;

const DECIMAL_RE = /^-?\d{1,18}(\.\d{1,12})?$/;

export function isDecimalString(s: string): boolean {
  return DECIMAL_RE.test(s);
}

/** "12.34" → atoms. Throws RangeError for anything but a plain decimal with at most 12 places. */
export function toAtoms(s: string): Atoms {
  if (!DECIMAL_RE.test(s)) throw new RangeError(`not a decimal amount: ${s.slice(0, 40)}`);
  const negative = s.startsWith('-');
  const [whole = '0', frac = ''] = (negative ? s.slice(1) : s).split('.');
  const value = BigInt(whole) * ATOMS + BigInt(frac.padEnd(ATOM_DECIMALS, '0'));
  return negative ? -value : value;
}

export function fromInteger(n: bigint | number): Atoms {
  return BigInt(n) * ATOMS;
}

/** `numerator / denominator` rounded half away from zero to `decimals` places, in atoms. */
export function divRound(numerator: bigint, denominator: bigint, decimals: number): Atoms {
  if (denominator === 0n) throw new RangeError('division by zero');
  const step = 10n ** BigInt(ATOM_DECIMALS - decimals);
  const den = denominator * step;
  const negative = numerator < 0n !== den < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = den < 0n ? -den : den;
  let q = n / d;
  if ((n % d) * 2n >= d) q += 1n;
  return (negative ? -q : q) * step;
}

/** Rounds atoms half away from zero to `decimals` places. */
export function round(value: Atoms, decimals: number): Atoms {
  return divRound(value, 1n, decimals);
}

/** value × percent / 100, rounded to `decimals` (percent is itself in atoms). */
export function percentOf(value: Atoms, percent: Atoms, decimals: number): Atoms {
  return divRound(value * percent, 100n * ATOMS, decimals);
}

/** Atoms → "12.34" with exactly `decimals` places (the value must already be rounded to them). */
export function formatAtoms(value: Atoms, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / ATOMS;
  const frac = (abs % ATOMS).toString().padStart(ATOM_DECIMALS, '0');
  const shown = decimals > 0 ? `${whole}.${frac.slice(0, decimals)}` : `${whole}`;
  return negative && abs !== 0n ? `-${shown}` : shown;
}

/** Atoms → the shortest decimal text ("3.2", "15"), as .NET writes a decimal into JSON. */
export function plainAtoms(value: Atoms): string {
  const text = formatAtoms(value, ATOM_DECIMALS);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * A decimal as a JSON number, for the places where BTCPay's own POS writes numbers (posData).
 * Only for serialising: refuses a value a double cannot carry digit for digit.
 */
export function jsonNumber(value: Atoms): number {
  const text = plainAtoms(value);
  const n = Number(text);
  if (String(n) !== text) throw new RangeError(`${text} cannot be written as a JSON number exactly`);
  return n;
}

/** Minor-unit digits of a currency, as BTCPay's currency table has them. */
export function currencyDecimals(currency: string): number {
  const code = currency.toUpperCase();
  if (code === 'BTC') return 8;
  if (code === 'SATS') return 0;
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** Sats ↔ BTC atoms (1 BTC = 10^8 sats). */
export function satsToBtcAtoms(sats: bigint): Atoms {
  return sats * 10n ** BigInt(ATOM_DECIMALS - 8);
}

/** Whole sats for `amount` of a currency at `rate` (currency per BTC), half away from zero. */
export function satsForAmount(amount: string, rate: string): bigint {
  // amount × 10^8 / rate, kept in atoms on both sides: the numerator carries one more ATOMS.
  return divRound(toAtoms(amount) * 100_000_000n * ATOMS, toAtoms(rate), 0) / ATOMS;
}
