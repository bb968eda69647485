/**
 * Spending budgets of NWC connections. A budget is in sats per calendar window in UTC: a day from
 * 00:00, a week from Monday 00:00, a month from the 1st 00:00. WHY calendar windows and not a
 * rolling 24 h: the user reads "10,000 sats a day" as "until midnight", and a window that resets
 * at a fixed time is one the UI can name ("resets Monday 00:00 UTC").
 */
export const BUDGET_PERIODS = ['day', 'week', 'month'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export interface BudgetWindow {
  /** Seconds since the epoch, inclusive. */
  start: number;
  /** Seconds since the epoch, exclusive: when the budget is whole again. */
  end: number;
}

export function budgetWindow(period: BudgetPeriod, nowSec: number): BudgetWindow {
  const d = new Date(nowSec * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  let start: number;
  let end: number;
  switch (period) {
    case 'day':
      start = Date.UTC(y, m, day);
      end = Date.UTC(y, m, day + 1);
      break;
    case 'week': {
      const sinceMonday = (d.getUTCDay() + 6) % 7;
      start = Date.UTC(y, m, day - sinceMonday);
      end = Date.UTC(y, m, day - sinceMonday + 7);
      break;
    }
    case 'month':
      start = Date.UTC(y, m, 1);
      end = Date.UTC(y, m + 1, 1);
      break;
  }
  return { start: start / 1000, end: end / 1000 };
}

/** One payment of a connection, as far as its budget cares. */
export interface BudgetSpend {
  amountMsat: bigint;
  /** The fee paid, or while pending the most it may cost (the reserve). */
  feeMsat: bigint;
  state: 'pending' | 'succeeded' | 'failed';
  /** Seconds since the epoch. */
  createdAt: number;
}

/** What the window has used: payments in flight count in full (with their fee reserve), failed ones not. */
export function spentInWindow(spends: readonly BudgetSpend[], window: BudgetWindow): bigint {
  let sum = 0n;
  for (const s of spends) {
    if (s.state === 'failed') continue;
    if (s.createdAt < window.start || s.createdAt >= window.end) continue;
    sum += s.amountMsat + s.feeMsat;
  }
  return sum;
}

export type BudgetCheck =
  | { ok: true; remainingMsat: bigint; window: BudgetWindow }
  | { ok: false; remainingMsat: bigint; neededMsat: bigint; window: BudgetWindow };

/** Whether a payment of `amountMsat` plus up to `feeReserveMsat` fits what is left of the budget. */
export function checkBudget(input: {
  budgetSats: number;
  period: BudgetPeriod;
  spends: readonly BudgetSpend[];
  amountMsat: bigint;
  feeReserveMsat: bigint;
  nowSec: number;
}): BudgetCheck {
  const window = budgetWindow(input.period, input.nowSec);
  const limit = BigInt(input.budgetSats) * 1000n;
  const used = spentInWindow(input.spends, window);
  const remainingMsat = used >= limit ? 0n : limit - used;
  const neededMsat = input.amountMsat + input.feeReserveMsat;
  if (neededMsat > remainingMsat) return { ok: false, remainingMsat, neededMsat, window };
  return { ok: true, remainingMsat: remainingMsat - neededMsat, window };
}
