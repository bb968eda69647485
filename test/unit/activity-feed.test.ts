import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../shared/contract';
import type { FeedSource } from '../../main/activity/feed';
import { FEED_CSV_COLUMNS, feedCsv, mergeFeed, msatToSatsText } from '../../main/activity/feed';

function source(rail: FeedItem['rail'], timestamps: number[]): FeedSource {
  const items: FeedItem[] = timestamps
    .sort((a, b) => b - a)
    .map((ts, i) => ({
      id: `${rail}:${i}`,
      rail,
      direction: 'in',
      amountMsat: String(1000 * (i + 1)),
      feeMsat: null,
      status: 'complete',
      detail: 'done',
      counterparty: null,
      description: null,
      timestamp: ts,
      ref: `${rail}-${i}`,
    }));
  return { rail, list: (limit, offset) => items.slice(offset, offset + limit), count: () => items.length };
}

describe('the activity feed', () => {
  it('merges rails newest first and pages the merged list', () => {
    const chain = source('onchain', [10, 30, 50, 70]);
    const ln = source('lightning', [20, 40, 60, 80, 90]);
    const all = mergeFeed([chain, ln], 100, 0);
    expect(all.total).toBe(9);
    expect(all.items.map((i) => i.timestamp)).toEqual([90, 80, 70, 60, 50, 40, 30, 20, 10]);
    expect(mergeFeed([chain, ln], 3, 2).items.map((i) => i.timestamp)).toEqual([70, 60, 50]);
    expect(mergeFeed([ln], 2, 3).items.map((i) => i.timestamp)).toEqual([40, 20]);
  });

  it('writes CSV with exact sats from msat and guards text cells', () => {
    expect(msatToSatsText('1500')).toBe('1.5');
    expect(msatToSatsText('2000')).toBe('2');
    const csv = feedCsv([
      {
        id: 'lightning:x',
        rail: 'lightning',
        direction: 'out',
        amountMsat: '1001',
        feeMsat: '5',
        status: 'complete',
        detail: 'succeeded',
        counterparty: '=HYPERLINK("x")',
        description: 'coffee, "large"',
        timestamp: 0,
        ref: 'x',
      },
    ]);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(FEED_CSV_COLUMNS.join(','));
    expect(row).toBe(
      `1970-01-01T00:00:00.000Z,lightning,out,1.001,1001,5,complete,succeeded,"'=HYPERLINK(""x"")","coffee, ""large""",x`,
    );
  });
});
