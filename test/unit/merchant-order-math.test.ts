import { describe, expect, it } from 'vitest';
import { currencyDecimals, formatAtoms, satsForAmount, toAtoms } from '../../shared/merchant/decimal';
import type { OrderInput, OrderLine } from '../../shared/merchant/order';
import { calculateOrder, sharedTaxRate } from '../../shared/merchant/order';

const line = (unitPrice: string, count = 1, taxRate = '0', taxIncluded = false, itemId = 'x'): OrderLine => ({
  itemId,
  count,
  unitPrice,
  taxRate,
  taxIncluded,
});

const order = (decimals: number, lines: OrderLine[], extra: Partial<OrderInput> = {}): OrderInput => ({
  decimals,
  lines,
  discountPercent: null,
  tipAmount: null,
  tipPercent: null,
  tipTaxRate: null,
  ...extra,
});

/**
 * Each row is worked out by hand with BTCPay's PoSOrder rules (per-line discount and tax rounding,
 * subtotal rounded after the lines, tip on the tax-excluded subtotal, tax on the tip, half away
 * from zero).
 */
const TABLE: {
  name: string;
  input: OrderInput;
  expect: {
    subtotal: string;
    discount: string;
    tax: string;
    taxOnTip: string;
    tip: string;
    total: string;
    itemsTotal: string;
  };
}[] = [
  {
    name: 'the spec example: two teas and a 15% tip (USD)',
    input: order(2, [line('2.00'), line('1.20')], { tipPercent: '15' }),
    expect: {
      subtotal: '3.20',
      discount: '0.00',
      tax: '0.00',
      taxOnTip: '0.00',
      tip: '0.48',
      total: '3.68',
      itemsTotal: '3.20',
    },
  },
  {
    name: 'tax excluded, 10% discount rounded per line before tax',
    input: order(2, [line('9.99', 3, '10')], { discountPercent: '10' }),
    expect: {
      subtotal: '26.97',
      discount: '3.00',
      tax: '2.70',
      taxOnTip: '0.00',
      tip: '0.00',
      total: '29.67',
      itemsTotal: '29.97',
    },
  },
  {
    name: 'tax included: tax taken out of the price, tip on the tax-excluded subtotal, taxed tip',
    input: order(2, [line('10.00', 1, '20', true)], { tipPercent: '10', tipTaxRate: '20' }),
    expect: {
      subtotal: '8.33',
      discount: '0.00',
      tax: '1.84',
      taxOnTip: '0.17',
      tip: '0.83',
      total: '11.00',
      itemsTotal: '8.33',
    },
  },
  {
    name: 'a currency without decimals (JPY) rounds to whole yen',
    input: order(0, [line('333', 1, '8')], { discountPercent: '5' }),
    expect: {
      subtotal: '316',
      discount: '17',
      tax: '25',
      taxOnTip: '0',
      tip: '0',
      total: '341',
      itemsTotal: '333',
    },
  },
  {
    name: 'a midpoint rounds away from zero',
    input: order(2, [line('0.05', 1, '10')]),
    expect: {
      subtotal: '0.05',
      discount: '0.00',
      tax: '0.01',
      taxOnTip: '0.00',
      tip: '0.00',
      total: '0.06',
      itemsTotal: '0.05',
    },
  },
  {
    name: 'the discount is rounded on each line, not on the sum',
    input: order(
      2,
      [line('0.10', 1, '0', false, 'a'), line('0.10', 1, '0', false, 'b'), line('0.10', 1, '0', false, 'c')],
      {
        discountPercent: '5',
      },
    ),
    expect: {
      subtotal: '0.27',
      discount: '0.03',
      tax: '0.00',
      taxOnTip: '0.00',
      tip: '0.00',
      total: '0.27',
      itemsTotal: '0.30',
    },
  },
  {
    name: 'BTC with 8 decimals, a tip typed as an amount',
    input: order(8, [line('0.00012345', 2)], { tipAmount: '0.000001' }),
    expect: {
      subtotal: '0.00024690',
      discount: '0.00000000',
      tax: '0.00000000',
      taxOnTip: '0.00000000',
      tip: '0.00000100',
      total: '0.00024790',
      itemsTotal: '0.00024690',
    },
  },
  {
    name: 'tip amount and percentage add up; mixed tax rates per line',
    input: order(2, [line('4.50', 2, '5'), line('3.00', 1, '10')], { tipAmount: '1', tipPercent: '10' }),
    expect: {
      subtotal: '12.00',
      discount: '0.00',
      tax: '0.75',
      taxOnTip: '0.00',
      tip: '2.20',
      total: '14.95',
      itemsTotal: '12.00',
    },
  },
  {
    name: 'a 100% discount leaves only the tip',
    input: order(2, [line('5.00', 1, '10')], { discountPercent: '100', tipAmount: '1.00' }),
    expect: {
      subtotal: '0.00',
      discount: '5.00',
      tax: '0.00',
      taxOnTip: '0.00',
      tip: '1.00',
      total: '1.00',
      itemsTotal: '5.00',
    },
  },
];

describe('order math follows BTCPay POS rules', () => {
  it.each(TABLE)('$name', ({ input, expect: want }) => {
    const s = calculateOrder(input);
    const f = (v: bigint) => formatAtoms(v, input.decimals);
    expect({
      subtotal: f(s.priceTaxExcluded),
      discount: f(s.discount),
      tax: f(s.tax),
      taxOnTip: f(s.taxOnTip),
      tip: f(s.tip),
      total: f(s.total),
      itemsTotal: f(s.itemsTotal),
    }).toEqual(want);
  });

  it('the shared tax rate is reported only when all lines agree', () => {
    expect(sharedTaxRate([line('1', 1, '10'), line('2', 1, '10.0')])).toBe('10');
    expect(sharedTaxRate([line('1', 1, '10'), line('2', 1, '5')])).toBeNull();
    expect(sharedTaxRate([])).toBeNull();
  });

  it('refuses amounts that are not plain decimals', () => {
    expect(() => calculateOrder(order(2, [line('1e3')]))).toThrow(RangeError);
    expect(() => toAtoms('0.1234567890123')).toThrow(RangeError);
  });

  it('knows the decimals of the currencies BTCPay stores sell in', () => {
    expect(currencyDecimals('USD')).toBe(2);
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('BTC')).toBe(8);
    expect(currencyDecimals('SATS')).toBe(0);
    expect(currencyDecimals('KWD')).toBe(3);
  });
});

describe('sats for an amount at the store rate', () => {
  it('rounds half away from zero to whole sats, exactly', () => {
    // 4.25 × 10^8 / 65000 = 6538.46…
    expect(satsForAmount('4.25', '65000')).toBe(6538n);
    // 0.01 × 10^8 / 40000 = 25 exactly; 1 / 64000.5 × 10^8 = 1562.48…
    expect(satsForAmount('0.01', '40000')).toBe(25n);
    expect(satsForAmount('1', '64000.5')).toBe(1562n);
    expect(satsForAmount('13', '2600000')).toBe(500n);
    expect(satsForAmount('0.0000325', '6.5')).toBe(500n);
    // 0.25, 0.5 and 0.75 of a sat.
    expect(satsForAmount('0.5', '200000000')).toBe(0n);
    expect(satsForAmount('1', '200000000')).toBe(1n);
    expect(satsForAmount('1.5', '200000000')).toBe(1n);
  });
});
