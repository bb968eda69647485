import { describe, expect, it } from 'vitest';
import type { EcashSale } from '../../shared/contract/merchant';
import { dailyTotals, ecashDayTotals, lastDays } from '../../main/merchant/history';

const at = (y: number, m: number, d: number, h: number) => new Date(y, m - 1, d, h).getTime();
const sale = (over: Partial<EcashSale>): EcashSale => ({
  id: 'x',
  createdAt: at(2026, 12, 7, 10),
  amount: '4.25',
  currency: 'USD',
  sats: 6538,
  receivedSats: 6538,
  mintFeeSats: 0,
  rate: '65000',
  mintUrl: 'https://mint.example',
  operationId: 'op',
  state: 'claimed',
  error: null,
  note: null,
  ...over,
});

describe("the counter's eCash sales in the daily totals", () => {
  it('counts per local day what was taken, net of the mint fee, and what is still to claim; refused sales are unpaid', () => {
    const { days } = lastDays(2, at(2026, 12, 7, 18));
    const per = ecashDayTotals(
      [
        sale({ mintFeeSats: 3 }),
        sale({ state: 'toClaim', amount: '10.50', receivedSats: 17_000, sats: 16_154 }),
        sale({ state: 'failed', amount: '99.00' }),
        sale({ createdAt: at(2026, 12, 6, 23), amount: '1.00', receivedSats: 1539, sats: 1539 }),
        sale({ createdAt: at(2026, 12, 5, 12) }),
        sale({ currency: 'EUR', amount: '2.00', receivedSats: 3000 }),
      ],
      'USD',
      2,
      days,
    );
    expect(per.get('2026-12-07')).toEqual({
      count: 3,
      total: '14.75',
      sats: 6535 + 17_000 + 3000,
      toClaim: 1,
    });
    expect(per.get('2026-12-06')).toEqual({ count: 1, total: '1.00', sats: 1539, toClaim: 0 });
    expect(per.has('2026-12-05')).toBe(false);
    const table = dailyTotals([], 'USD', 2, days, new Map(), per).days;
    expect(table.map((d) => d.ecash.count)).toEqual([1, 3]);
  });

  it('a day without eCash sales shows zero in the currency', () => {
    const { days } = lastDays(1, at(2026, 12, 7, 18));
    expect(dailyTotals([], 'USD', 2, days).days[0]?.ecash).toEqual({
      count: 0,
      total: '0.00',
      sats: 0,
      toClaim: 0,
    });
  });
});
