import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../shared/contract';
import type { FeedSource } from '../../main/activity/feed';
import { FEED_CSV_COLUMNS, feedCsv, mergeFeed, msatToSatsText } from '../../main/activity/feed';
import { ecashItem, ecashSource, ecashStatus } from '../../main/activity/ecash';
import { createActivityService } from '../../main/activity/service';
import type { EcashOperationView } from '../../shared/contract';

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
      `1970-01-01T00:00:00.000Z,lightning,out,1.001,1001,5,complete,succeeded,"'=HYPERLINK(""x"")","coffee, ""large""",x,,,,`,
    );
  });

  describe('eCash operations', () => {
    const op = (over: Partial<EcashOperationView>): EcashOperationView => ({
      id: '11111111-1111-4111-8111-111111111111',
      kind: 'send',
      state: 'pending',
      final: false,
      mintUrl: 'http://127.0.0.1:3338',
      unit: 'sat',
      amount: 210,
      fee: 1,
      request: null,
      counterparty: null,
      parentId: null,
      memo: 'lunch',
      error: null,
      createdAt: 1_700_000_000_500,
      updatedAt: 1_700_000_001_000,
      ...over,
    });

    it('maps every final state to done or did-not-happen, open ones to pending', () => {
      expect(ecashStatus({ state: 'pending', final: false })).toBe('pending');
      expect(ecashStatus({ state: 'stored', final: false })).toBe('pending');
      for (const state of ['done', 'paid', 'claimed'])
        expect(ecashStatus({ state, final: true })).toBe('complete');
      for (const state of ['failed', 'expired', 'reclaimed', 'cancelled'])
        expect(ecashStatus({ state, final: true })).toBe('failed');
    });

    it('turns an operation into a feed item with direction, sats as msat and the mint', () => {
      const sent = ecashItem(op({}));
      expect(sent).toMatchObject({
        id: 'ecash:11111111-1111-4111-8111-111111111111',
        rail: 'ecash',
        direction: 'out',
        amountMsat: '210000',
        feeMsat: '1000',
        status: 'pending',
        detail: 'pending',
        counterparty: null,
        description: 'lunch',
        timestamp: 1_700_000_000,
        mint: 'http://127.0.0.1:3338',
        unit: 'sat',
        unitAmount: 210,
        unitFee: 1,
      });
      expect(ecashItem(op({ kind: 'mint', state: 'done', final: true })).direction).toBe('in');
      const move = ecashItem(op({ kind: 'move', state: 'done', final: true, counterparty: 'http://b' }));
      expect(move).toMatchObject({ direction: 'self', counterparty: 'http://b', status: 'complete' });
      const failed = ecashItem(op({ kind: 'melt', state: 'failed', final: true, error: 'no route' }));
      expect(failed).toMatchObject({ status: 'failed', detail: 'failed: no route' });
    });

    it('invents no bitcoin amount for a currency unit, in the item or the CSV', () => {
      const usd = ecashItem(op({ kind: 'receive', state: 'claimed', final: true, unit: 'usd', amount: 250 }));
      expect(usd).toMatchObject({ amountMsat: '0', feeMsat: null, unit: 'usd', unitAmount: 250 });
      const [, row] = feedCsv([usd]).split('\r\n');
      expect(row).toBe(
        '2023-11-14T22:13:20.000Z,ecash,in,,,,complete,claimed,,lunch,11111111-1111-4111-8111-111111111111,http://127.0.0.1:3338,usd,250,1',
      );
    });

    it('joins the merged feed and its rail filter through the activity service', () => {
      const ops = [
        op({ createdAt: 3_000_000 }),
        op({ id: '22222222-2222-4222-8222-222222222222', createdAt: 1_000_000 }),
      ];
      const listOperations = (limit: number, offset: number) => ({
        items: ops.slice(offset, offset + limit),
        total: ops.length,
      });
      expect(ecashSource({ operations: listOperations }).count()).toBe(2);
      const activity = createActivityService({
        wallet: { activity: () => ({ items: [], total: 0 }) },
        coins: { labels: () => ({}) } as never,
        lightning: { journalRows: () => [], journalCount: () => 0 },
        ecash: { listOperations },
      });
      const all = activity.feed({ walletId: null, rail: 'all', limit: 10, offset: 0 });
      expect(all.total).toBe(2);
      expect(all.items.map((i) => i.timestamp)).toEqual([3000, 1000]);
      expect(activity.feed({ walletId: null, rail: 'ecash', limit: 10, offset: 0 }).total).toBe(2);
      expect(activity.feed({ walletId: null, rail: 'lightning', limit: 10, offset: 0 }).total).toBe(0);
      expect(activity.exportCsv({ walletId: null, rail: 'ecash' })).toContain(
        ',ecash,out,210,210000,1000,pending,',
      );
    });
  });
});
