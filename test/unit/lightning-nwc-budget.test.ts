import { describe, expect, it } from 'vitest';
import type { BudgetSpend } from '../../main/lightning/nwc/service-side/budget';
import { budgetWindow, checkBudget, spentInWindow } from '../../main/lightning/nwc/service-side/budget';

const at = (iso: string): number => Date.parse(iso) / 1000;
const spend = (
  iso: string,
  sats: number,
  state: BudgetSpend['state'] = 'succeeded',
  feeSats = 0,
): BudgetSpend => ({
  amountMsat: BigInt(sats) * 1000n,
  feeMsat: BigInt(feeSats) * 1000n,
  state,
  createdAt: at(iso),
});

describe('budget windows (calendar, UTC)', () => {
  it('a day runs from 00:00 to the next 00:00', () => {
    expect(budgetWindow('day', at('2026-03-10T17:45:00Z'))).toEqual({
      start: at('2026-03-10T00:00:00Z'),
      end: at('2026-03-11T00:00:00Z'),
    });
    expect(budgetWindow('day', at('2026-03-10T00:00:00Z')).start).toBe(at('2026-03-10T00:00:00Z'));
    expect(budgetWindow('day', at('2026-03-10T23:59:59Z')).end).toBe(at('2026-03-11T00:00:00Z'));
  });

  it('a week runs from Monday, across a month and a year end', () => {
    // 2026-03-10 is a Tuesday; 2026-03-15 a Sunday; 2026-03-16 a Monday.
    expect(budgetWindow('week', at('2026-03-10T12:00:00Z'))).toEqual({
      start: at('2026-03-09T00:00:00Z'),
      end: at('2026-03-16T00:00:00Z'),
    });
    expect(budgetWindow('week', at('2026-03-15T23:59:59Z')).start).toBe(at('2026-03-09T00:00:00Z'));
    expect(budgetWindow('week', at('2026-03-16T00:00:00Z')).start).toBe(at('2026-03-16T00:00:00Z'));
    // Thursday 1 January 2026: the week began on Monday 29 December 2025.
    expect(budgetWindow('week', at('2026-01-01T08:00:00Z'))).toEqual({
      start: at('2025-12-29T00:00:00Z'),
      end: at('2026-01-05T00:00:00Z'),
    });
  });

  it('a month runs from the 1st, including February of a leap year and December', () => {
    expect(budgetWindow('month', at('2028-02-29T10:00:00Z'))).toEqual({
      start: at('2028-02-01T00:00:00Z'),
      end: at('2028-03-01T00:00:00Z'),
    });
    expect(budgetWindow('month', at('2026-12-31T23:59:59Z'))).toEqual({
      start: at('2026-12-01T00:00:00Z'),
      end: at('2027-01-01T00:00:00Z'),
    });
  });
});

describe('budget arithmetic', () => {
  const spends = [
    spend('2026-03-09T23:59:59Z', 4000), // last day, same week
    spend('2026-03-10T01:00:00Z', 1000, 'succeeded', 2),
    spend('2026-03-10T02:00:00Z', 500, 'pending', 10), // in flight: counts with its fee reserve
    spend('2026-03-10T03:00:00Z', 9000, 'failed'), // failed: does not count
    spend('2026-02-28T12:00:00Z', 7000), // last month
  ];
  const now = at('2026-03-10T12:00:00Z');

  it('counts amounts and fees of the window, pending included, failed not', () => {
    expect(spentInWindow(spends, budgetWindow('day', now))).toBe(1512_000n);
    expect(spentInWindow(spends, budgetWindow('week', now))).toBe(5512_000n);
    expect(spentInWindow(spends, budgetWindow('month', now))).toBe(5512_000n);
  });

  it('accepts a payment that fits exactly and refuses one msat more', () => {
    const base = { budgetSats: 2000, period: 'day' as const, spends, nowSec: now };
    // 2,000 sats - 1,512 used = 488 sats left.
    const fits = checkBudget({ ...base, amountMsat: 480_000n, feeReserveMsat: 8_000n });
    expect(fits).toMatchObject({ ok: true, remainingMsat: 0n });
    const over = checkBudget({ ...base, amountMsat: 480_000n, feeReserveMsat: 8_001n });
    expect(over).toMatchObject({ ok: false, remainingMsat: 488_000n, neededMsat: 488_001n });
  });

  it('the same payment is over a weekly budget but within a monthly one of the same size', () => {
    const input = { budgetSats: 6000, spends, amountMsat: 600_000n, feeReserveMsat: 0n, nowSec: now };
    expect(checkBudget({ ...input, period: 'week' }).ok).toBe(false);
    // February's 7,000 sats do not count in March; March holds the same 5,512 sats as the week.
    expect(checkBudget({ ...input, period: 'month' }).ok).toBe(false);
    expect(checkBudget({ ...input, budgetSats: 6200, period: 'month' }).ok).toBe(true);
  });

  it('a new window starts whole again', () => {
    const tomorrow = at('2026-03-11T00:00:00Z');
    const r = checkBudget({
      budgetSats: 2000,
      period: 'day',
      spends,
      amountMsat: 2_000_000n,
      feeReserveMsat: 0n,
      nowSec: tomorrow,
    });
    expect(r).toMatchObject({ ok: true, remainingMsat: 0n });
  });

  it('an overspent window leaves nothing, never a negative remainder', () => {
    const r = checkBudget({
      budgetSats: 100,
      period: 'day',
      spends,
      amountMsat: 1n,
      feeReserveMsat: 0n,
      nowSec: now,
    });
    expect(r).toMatchObject({ ok: false, remainingMsat: 0n });
  });
});
