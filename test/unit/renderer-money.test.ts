import { describe, expect, it } from 'vitest';
import { formatBtc, formatSats, parseBtc, parseSats } from '../../shared/money';

const es = { group: '.', decimal: ',' };

describe('formatBtc', () => {
  it('always shows 8 decimals', () => {
    expect(formatBtc(0)).toBe('0.00000000');
    expect(formatBtc(1)).toBe('0.00000001');
    expect(formatBtc(100_000)).toBe('0.00100000');
    expect(formatBtc(100_000_000)).toBe('1.00000000');
    expect(formatBtc(123_456_789)).toBe('1.23456789');
  });

  it('groups the whole part and handles the largest amounts exactly', () => {
    expect(formatBtc(2_100_000_000_000_000)).toBe('21,000,000.00000000');
    expect(formatBtc(Number.MAX_SAFE_INTEGER)).toBe('90,071,992.54740991');
    expect(formatBtc(2_099_999_997_690_000n)).toBe('20,999,999.97690000');
  });

  it('never goes through floats (0.1 + 0.2 style errors cannot appear)', () => {
    expect(formatBtc(30_000_000)).toBe('0.30000000');
    expect(formatBtc(10_000_001 + 20_000_002)).toBe('0.30000003');
  });

  it('signs', () => {
    expect(formatBtc(-21_000)).toBe('-0.00021000');
    expect(formatBtc(21_000, { sign: 'always' })).toBe('+0.00021000');
    expect(formatBtc(-21_000, { sign: 'always' })).toBe('-0.00021000');
    expect(formatBtc(0, { sign: 'always' })).toBe('0.00000000');
  });

  it('uses the given separators', () => {
    expect(formatBtc(123_456_789_012, { separators: es })).toBe('1.234,56789012');
  });

  it('rejects non-integer or unsafe numbers', () => {
    expect(() => formatBtc(0.5)).toThrow(RangeError);
    expect(() => formatBtc(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError);
    expect(() => formatBtc(Number.NaN)).toThrow(RangeError);
  });
});

describe('formatSats', () => {
  it('groups thousands', () => {
    expect(formatSats(0)).toBe('0');
    expect(formatSats(999)).toBe('999');
    expect(formatSats(1000)).toBe('1,000');
    expect(formatSats(123_456_789)).toBe('123,456,789');
    expect(formatSats(-50_000)).toBe('-50,000');
    expect(formatSats(50_000, { sign: 'always' })).toBe('+50,000');
    expect(formatSats(1_234_567, { separators: es })).toBe('1.234.567');
    expect(formatSats(1_234_567, { separators: { group: '', decimal: '.' } })).toBe('1234567');
  });
});

describe('parseBtc', () => {
  it('parses up to 8 decimals exactly', () => {
    expect(parseBtc('0.001')).toBe(100_000);
    expect(parseBtc('1')).toBe(100_000_000);
    expect(parseBtc('1.')).toBe(100_000_000);
    expect(parseBtc('.5')).toBe(50_000_000);
    expect(parseBtc(' 0.00000001 ')).toBe(1);
    expect(parseBtc('0.3')).toBe(30_000_000);
    expect(parseBtc('21000000')).toBe(2_100_000_000_000_000);
    expect(parseBtc('0,5', ',')).toBe(50_000_000);
  });

  it('rejects anything else', () => {
    for (const bad of ['', '.', '-1', '1e3', '0.000000001', 'abc', '1,000.5', '21000000.00000001', ' ']) {
      expect(parseBtc(bad), bad).toBeNull();
    }
  });

  it('round-trips with formatBtc', () => {
    for (const sats of [0, 1, 99, 100_000, 123_456_789, 2_100_000_000_000_000]) {
      expect(parseBtc(formatBtc(sats, { separators: { group: '', decimal: '.' } }))).toBe(sats);
    }
  });
});

describe('parseSats', () => {
  it('accepts digits only', () => {
    expect(parseSats('100000')).toBe(100_000);
    expect(parseSats(' 7 ')).toBe(7);
    expect(parseSats('1.5')).toBeNull();
    expect(parseSats('-1')).toBeNull();
    expect(parseSats('2100000000000001')).toBeNull();
  });
});
