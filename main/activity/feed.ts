import type { ActivityItem, FeedItem, FeedRail, LabelEntry } from '../../shared/contract';
import type { CsvCell } from '../bitcoin/coins/csv';
import { toCsv } from '../bitcoin/coins/csv';
import type { JournalRow } from '../lightning/journal';

/**
 * One activity feed over every rail. Each rail is a source that lists its own items newest first
 * (by offset); the feed merges them by time. eCash (./ecash.ts) and later the counter are further
 * sources with their own rail name: nothing in the merge knows about a particular rail.
 */

export interface FeedSource {
  rail: FeedRail;
  /** Newest first. */
  list(limit: number, offset: number): FeedItem[];
  count(): number;
}

/** A source reads at most this many items per call (the on-chain activity pages by 500). */
const PAGE = 500;

/** `n` items of a source from `start`, paging as needed. */
function take(source: FeedSource, n: number, start = 0): FeedItem[] {
  const out: FeedItem[] = [];
  while (out.length < n) {
    const want = Math.min(PAGE, n - out.length);
    const page = source.list(want, start + out.length);
    out.push(...page);
    if (page.length < want) break;
  }
  return out;
}

/** Newest first; ties broken by rail then id so pages never shuffle. */
function compare(a: FeedItem, b: FeedItem): number {
  return b.timestamp - a.timestamp || a.rail.localeCompare(b.rail) || a.id.localeCompare(b.id);
}

export function mergeFeed(
  sources: readonly FeedSource[],
  limit: number,
  offset: number,
): { items: FeedItem[]; total: number } {
  const total = sources.reduce((sum, s) => sum + s.count(), 0);
  // One rail: its own order is the feed's, so it pages directly (no merge of everything before).
  const only = sources.length === 1 ? sources[0] : undefined;
  if (only) return { items: take(only, limit, offset), total };
  const wanted = offset + limit;
  const merged = sources.flatMap((s) => take(s, wanted)).sort(compare);
  return { items: merged.slice(offset, wanted), total };
}

// ---- sources

export function onchainSource(deps: {
  activity(limit: number, offset: number): { items: ActivityItem[]; total: number };
  labels(): LabelEntry[];
}): FeedSource {
  let labels: Map<string, string> | null = null;
  const labelOf = (txid: string): string | null => {
    labels ??= new Map(
      deps
        .labels()
        .filter((l) => l.type === 'tx')
        .map((l) => [l.ref, l.label]),
    );
    return labels.get(txid) ?? null;
  };
  return {
    rail: 'onchain',
    list(limit, offset) {
      return deps.activity(limit, offset).items.map((t) => {
        const verified = t.verification === 'verified' && t.confirmations > 0;
        return {
          id: `onchain:${t.txid}`,
          rail: 'onchain',
          direction: t.direction,
          amountMsat: (BigInt(Math.abs(t.amountSats)) * 1000n).toString(),
          feeMsat: t.direction !== 'in' && t.feeSats !== null ? (BigInt(t.feeSats) * 1000n).toString() : null,
          status: verified ? 'complete' : 'pending',
          detail: verified ? `${t.confirmations} confirmations` : t.verification,
          counterparty: null,
          description: labelOf(t.txid),
          timestamp: Math.floor(t.firstSeenAt / 1000),
          ref: t.txid,
        };
      });
    },
    count: () => deps.activity(1, 0).total,
  };
}

export function lightningItem(row: JournalRow): FeedItem {
  const state = row.state === 'sending' ? 'pending' : row.state;
  return {
    id: `lightning:${row.id}`,
    rail: 'lightning',
    direction: row.direction === 'incoming' ? 'in' : 'out',
    amountMsat: row.amountMsat.toString(),
    feeMsat: row.direction === 'outgoing' ? row.feeMsat.toString() : null,
    status: state === 'succeeded' ? 'complete' : state === 'failed' ? 'failed' : 'pending',
    detail: state === 'failed' && row.failure ? row.failure : state,
    counterparty: row.origin.startsWith('nwc:') ? row.origin.slice(4) : row.counterparty,
    description: row.description ?? row.comment,
    timestamp: row.createdAt,
    ref: row.id,
  };
}

export function lightningSource(deps: {
  rows(limit: number, offset: number): JournalRow[];
  count(): number;
}): FeedSource {
  return {
    rail: 'lightning',
    list: (limit, offset) => deps.rows(limit, offset).map(lightningItem),
    count: () => deps.count(),
  };
}

// ---- CSV

export const FEED_CSV_COLUMNS = [
  'date',
  'rail',
  'direction',
  'amount_sats',
  'amount_msat',
  'fee_msat',
  'status',
  'detail',
  'counterparty',
  'description',
  'reference',
  'mint',
  'unit',
  'amount_unit',
  'fee_unit',
] as const;

/** msat as exact decimal sats ("1.5" for 1500 msat). */
export function msatToSatsText(msat: string): string {
  const v = BigInt(msat);
  const whole = (v / 1000n).toString();
  const frac = (v % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

export function feedCsv(items: readonly FeedItem[]): string {
  const rows: CsvCell[][] = items.map((i) => {
    // eCash in a currency unit has no bitcoin amount: its columns stay empty, the unit ones carry it.
    const bitcoin = i.unit === undefined || i.unit === 'sat';
    return [
      new Date(i.timestamp * 1000).toISOString(),
      i.rail,
      i.direction,
      bitcoin ? msatToSatsText(i.amountMsat) : null,
      bitcoin ? i.amountMsat : null,
      bitcoin ? i.feeMsat : null,
      i.status,
      i.detail,
      i.counterparty,
      i.description,
      i.ref,
      i.mint ?? null,
      i.unit ?? null,
      i.unitAmount ?? null,
      i.unitFee ?? null,
    ];
  });
  return toCsv(FEED_CSV_COLUMNS, rows);
}
