import { describe, expect, it } from 'vitest';
import { formatFiat, formatFiatMinor, parsePrice, satsToFiatMinor } from '../../shared/fiat';

const SPANISH = { group: '.', decimal: ',' };

describe('fiat values of sats, integer math only', () => {
  it('reads prices as scaled integers', () => {
    expect(parsePrice('43753')).toEqual({ scaled: 43753n, decimals: 0 });
    expect(parsePrice('43753.12')).toEqual({ scaled: 4375312n, decimals: 2 });
    expect(parsePrice('0.00000001')).toEqual({ scaled: 1n, decimals: 8 });
    for (const bad of ['', '1e5', '-5', '1.', '.5', '01', '1,5', '1.123456789', ' 5', 'NaN'])
      expect(parsePrice(bad), bad).toBeNull();
  });

  it('one BTC is the price; one sat is the price over 10^8, rounded to cents', () => {
    expect(formatFiat(100_000_000, '43753.12', 'USD')).toBe('43,753.12');
    expect(formatFiat(150_000, '43753.12', 'USD')).toBe('65.63'); // 65.62968
    expect(formatFiat(1, '43753.12', 'USD')).toBe('0.00');
    expect(formatFiat(0, '43753', 'EUR')).toBe('0.00');
  });

  it('rounds half away from zero at the currency decimals', () => {
    // 1,000 sats at 50,000.00 is exactly 0.50; 1,001 sats is 0.5005 -> 0.50; 1,010 sats 0.505 -> 0.51.
    expect(satsToFiatMinor(1_000, '50000', 'USD')).toBe(50n);
    expect(satsToFiatMinor(1_001, '50000', 'USD')).toBe(50n);
    expect(satsToFiatMinor(1_010, '50000', 'USD')).toBe(51n);
    expect(satsToFiatMinor(-1_010, '50000', 'USD')).toBe(-51n);
  });

  it('JPY has no decimals', () => {
    expect(formatFiat(100_000_000, '9876543', 'JPY')).toBe('9,876,543');
    expect(formatFiat(12_345, '9876543', 'JPY')).toBe('1,219'); // 1219.27
  });

  it('stays exact where a float would not', () => {
    // 1,005 sats at 100,000 is 1.005: half up gives 1.01; in floats 1.005 × 100 is 100.49999… and rounds to 1.00.
    expect(Math.round(((1005 * 100000) / 1e8) * 100)).toBe(100);
    expect(formatFiat(1005, '100000', 'USD')).toBe('1.01');
    // 21 million BTC at a price with 8 decimals: every digit kept.
    const sats = 21_000_000n * 100_000_000n;
    expect(formatFiat(sats, '123456.78901234', 'USD')).toBe('2,592,592,569,259.14');
    expect(satsToFiatMinor(sats, '0.00000001', 'USD')).toBe(21n);
  });

  it('formats with the language separators and signs', () => {
    expect(formatFiatMinor(123456789n, 'EUR', SPANISH)).toBe('1.234.567,89');
    expect(formatFiatMinor(-5n, 'USD')).toBe('-0.05');
    expect(formatFiat(250_000, '60123.45', 'EUR', SPANISH)).toBe('150,31');
  });

  it('refuses what is not a price or not whole sats', () => {
    expect(() => satsToFiatMinor(1, '1e5', 'USD')).toThrow(RangeError);
    expect(() => satsToFiatMinor(0.5, '100', 'USD')).toThrow(RangeError);
  });
});
