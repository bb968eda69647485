import type { DailyTotal, EcashSale, HistoryRow } from '../../shared/contract/merchant';
import { formatAtoms, isDecimalString, toAtoms } from '../../shared/merchant/decimal';
import type { Greenfield, GreenfieldSchemas } from './greenfield/client';
import { call } from './greenfield/client';
import type { DayRewards } from './rewards/totals';
import { NO_REWARDS } from './rewards/totals';
import { saleState } from './sale-view';

type Invoice = GreenfieldSchemas['InvoiceData'];

/** Invoices come from BTCPay in pages of this many (Greenfield's skip/take). */
export const PAGE_SIZE = 1000;

export interface InvoiceQuery {
  storeId: string;
  /** Seconds since the epoch. */
  from: number;
  to: number;
  statuses?: ('New' | 'Processing' | 'Expired' | 'Invalid' | 'Settled')[];
  text?: string;
  skip: number;
  take: number;
}

export async function listInvoices(gf: Greenfield, q: InvoiceQuery): Promise<Invoice[]> {
  const data = await call('list invoices', () =>
    gf.GET('/api/v1/stores/{storeId}/invoices', {
      params: {
        path: { storeId: q.storeId },
        query: {
          startDate: q.from,
          endDate: q.to,
          skip: q.skip,
          take: q.take,
          ...(q.text ? { textSearch: q.text } : {}),
          // The spec types `status` as one value; BTCPay takes it repeated, as the query array it is.
          ...(q.statuses ? { status: q.statuses as unknown as 'Settled' } : {}),
        },
      },
      querySerializer: { array: { style: 'form', explode: true } },
    }),
  );
  return data as Invoice[];
}

/** Every invoice of a period, page after page. */
export async function allInvoices(
  gf: Greenfield,
  q: Omit<InvoiceQuery, 'skip' | 'take'>,
): Promise<Invoice[]> {
  const out: Invoice[] = [];
  for (let skip = 0; ; skip += PAGE_SIZE) {
    const page = await listInvoices(gf, { ...q, skip, take: PAGE_SIZE });
    out.push(...page);
    if (page.length < PAGE_SIZE) return out;
  }
}

export function historyRow(inv: Invoice, reward: HistoryRow['reward'] = null): HistoryRow {
  const metadata = (inv.metadata ?? {}) as Record<string, unknown>;
  const receipt = (metadata['receiptData'] ?? {}) as Record<string, unknown>;
  const cart =
    receipt['Cart'] && typeof receipt['Cart'] === 'object' ? Object.keys(receipt['Cart'] as object) : [];
  const summary =
    typeof metadata['itemDesc'] === 'string' ? metadata['itemDesc'] : cart.length > 0 ? cart.join(', ') : '';
  return {
    invoiceId: inv.id ?? '',
    orderId: typeof metadata['orderId'] === 'string' ? metadata['orderId'] : null,
    createdAt: (inv.createdTime ?? 0) * 1000,
    amount: inv.amount ?? '0',
    currency: inv.currency ?? '',
    state: saleState(inv.status, inv.additionalStatus),
    summary: summary.slice(0, 200),
    reward,
  };
}

/** Paid sales: settled, or paid in full and waiting for confirmations. */
export function countsAsSale(inv: Invoice): boolean {
  return inv.status === 'Settled' || inv.status === 'Processing';
}

function localDay(ms: number): { day: string; hour: number } {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { day: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, hour: d.getHours() };
}

/**
 * Totals per local day and hour of the paid sales among `invoices`, in one currency (invoices in
 * another currency are left out and counted in `skipped`). Exact decimals, no floats.
 */
export function dailyTotals(
  invoices: readonly Invoice[],
  currency: string,
  decimals: number,
  days: readonly string[],
  rewards: ReadonlyMap<string, DayRewards> = new Map(),
  ecash: ReadonlyMap<string, DailyTotal['ecash']> = new Map(),
): { days: DailyTotal[]; skipped: number } {
  const byDay = new Map<string, { count: number; total: bigint; hours: bigint[] }>();
  for (const day of days)
    byDay.set(day, { count: 0, total: 0n, hours: Array.from({ length: 24 }, () => 0n) });
  let skipped = 0;
  for (const inv of invoices) {
    if (!countsAsSale(inv)) continue;
    if ((inv.currency ?? '').toUpperCase() !== currency.toUpperCase() || !isDecimalString(inv.amount ?? '')) {
      skipped += 1;
      continue;
    }
    const { day, hour } = localDay((inv.createdTime ?? 0) * 1000);
    const bucket = byDay.get(day);
    if (!bucket) continue;
    const amount = toAtoms(inv.amount as string);
    bucket.count += 1;
    bucket.total += amount;
    bucket.hours[hour] = (bucket.hours[hour] ?? 0n) + amount;
  }
  return {
    days: [...byDay.entries()].map(([day, b]) => ({
      day,
      count: b.count,
      total: formatAtoms(b.total, decimals),
      byHour: b.hours.map((h) => formatAtoms(h, decimals)),
      rewards: rewards.get(day) ?? NO_REWARDS,
      ecash: ecash.get(day) ?? { count: 0, total: formatAtoms(0n, decimals), sats: 0, toClaim: 0 },
    })),
    skipped,
  };
}

/**
 * This counter's eCash sales per local day: the ones the mint refused are unpaid and left out; a
 * sale in another currency (the POS app changed since) counts but adds nothing to `total`.
 */
export function ecashDayTotals(
  sales: readonly EcashSale[],
  currency: string,
  decimals: number,
  days: readonly string[],
): Map<string, DailyTotal['ecash']> {
  const out = new Map<string, { count: number; total: bigint; sats: number; toClaim: number }>();
  for (const day of days) out.set(day, { count: 0, total: 0n, sats: 0, toClaim: 0 });
  for (const sale of sales) {
    if (sale.state === 'failed') continue;
    const bucket = out.get(localDay(sale.createdAt).day);
    if (!bucket) continue;
    bucket.count += 1;
    bucket.sats += sale.receivedSats - sale.mintFeeSats;
    if (sale.state === 'toClaim') bucket.toClaim += 1;
    if (sale.currency.toUpperCase() === currency.toUpperCase() && isDecimalString(sale.amount))
      bucket.total += toAtoms(sale.amount);
  }
  return new Map(
    [...out.entries()].map(([day, b]) => [
      day,
      { count: b.count, total: formatAtoms(b.total, decimals), sats: b.sats, toClaim: b.toClaim },
    ]),
  );
}

/** The last `n` local days, oldest first, and the epoch-ms start of the first. */
export function lastDays(n: number, now: number): { days: string[]; fromMs: number } {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (n - 1));
  const days: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Date(start);
    d.setDate(start.getDate() + i);
    days.push(localDay(d.getTime()).day);
  }
  return { days, fromMs: start.getTime() };
}
