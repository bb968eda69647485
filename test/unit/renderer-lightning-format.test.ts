import { describe, expect, it } from 'vitest';
import { formatMsatAsSats, satsTextToMsat, shortHex } from '../../renderer/features/lightning/format';

describe('Lightning amounts in the renderer', () => {
  it('shows msat as sats, exact, with the language separators', () => {
    expect(formatMsatAsSats('2100000', { group: ',', decimal: '.' })).toBe('2,100');
    expect(formatMsatAsSats('1500', { group: ',', decimal: '.' })).toBe('1.5');
    expect(formatMsatAsSats(1_234_567_891n, { group: '.', decimal: ',' })).toBe('1.234.567,891');
    expect(formatMsatAsSats('0', { group: ',', decimal: '.' })).toBe('0');
  });

  it('reads typed sats as msat, refusing anything but a positive whole number', () => {
    expect(satsTextToMsat('2100')).toBe('2100000');
    expect(satsTextToMsat(' 1 ')).toBe('1000');
    for (const bad of ['', '0', '1.5', '-3', 'abc', '1e3']) expect(satsTextToMsat(bad), bad).toBeNull();
  });

  it('shortens node ids and hashes', () => {
    expect(shortHex('02'.repeat(33))).toBe('02020202…02020202');
    expect(shortHex('abc')).toBe('abc');
  });
});
