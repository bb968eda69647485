import { describe, expect, it } from 'vitest';
import {
  formatUnitAmount,
  isCurrencyUnit,
  parseUnitAmount,
  shortMintUrl,
} from '../../renderer/features/ecash/format';

const EN = { group: ',', decimal: '.' };
const ES = { group: '.', decimal: ',' };
const sats = (value: string) => `${value} sats`;

describe('eCash amounts in the renderer', () => {
  it('shows sats whole and currency units as hundredths with the language separators', () => {
    expect(formatUnitAmount(1_234_567, 'sat', EN, sats)).toBe('1,234,567 sats');
    expect(formatUnitAmount(250, 'usd', EN, sats)).toBe('2.50 USD');
    expect(formatUnitAmount(12_345_605, 'eur', ES, sats)).toBe('123.456,05 EUR');
    expect(formatUnitAmount(7, 'usd', EN, sats)).toBe('0.07 USD');
    expect(formatUnitAmount(-150, 'usd', EN, sats)).toBe('-1.50 USD');
    expect(isCurrencyUnit('sat')).toBe(false);
    expect(isCurrencyUnit('usd')).toBe(true);
  });

  it('reads typed amounts in the unit, refusing what is not a positive amount', () => {
    expect(parseUnitAmount(' 5000 ', 'sat')).toBe(5000);
    expect(parseUnitAmount('5 000', 'sat')).toBe(5000);
    expect(parseUnitAmount('1.5', 'sat')).toBeNull();
    expect(parseUnitAmount('0', 'sat')).toBeNull();
    expect(parseUnitAmount('-3', 'sat')).toBeNull();
    expect(parseUnitAmount('abc', 'sat')).toBeNull();
    expect(parseUnitAmount('2.5', 'usd')).toBe(250);
    expect(parseUnitAmount('2,05', 'eur')).toBe(205);
    expect(parseUnitAmount('3', 'usd')).toBe(300);
    expect(parseUnitAmount('1.999', 'usd')).toBeNull();
    expect(parseUnitAmount('0.00', 'usd')).toBeNull();
  });

  it('names a mint without its scheme when it has no name', () => {
    expect(shortMintUrl('https://mint.example.com/')).toBe('mint.example.com');
    expect(shortMintUrl('http://127.0.0.1:3338')).toBe('127.0.0.1:3338');
  });
});
