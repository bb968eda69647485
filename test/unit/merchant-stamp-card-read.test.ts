import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import type { Greenfield } from '../../main/merchant/greenfield/client';
import { DEFAULT_REWARD_RULES } from '../../main/merchant/rewards/rules';
import { createStampCards, STAMP_REWARD_FIELD } from '../../main/merchant/rewards/stamp-card';
import { parseStampCustomer, stampSearchTerm } from '../../main/merchant/rewards/stamps';

/**
 * The stamp card's reads against a Greenfield that answers from a list: which queries it sends,
 * that it reads every page, and that it trusts the invoice's metadata over the text search.
 */

const ALICE = parseStampCustomer({ kind: 'card', value: '04a1b2c3d4e5f6' });
const OTHER = 'card:04ffffffffffff';
const RULES = {
  ...DEFAULT_REWARD_RULES,
  enabled: true,
  kind: 'stamps' as const,
  stampEvery: 10,
  minimumSale: '5',
};

interface FakeInvoice {
  id: string;
  createdTime: number;
  status: string;
  amount: string;
  currency: string;
  metadata: Record<string, unknown>;
}

function invoices(n: number, over: (i: number) => Partial<FakeInvoice> = () => ({})): FakeInvoice[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `inv${String(i).padStart(5, '0')}`,
    createdTime: 1_700_000_000 + i,
    status: 'Settled',
    amount: '8.50',
    currency: 'USD',
    metadata: { flashStampCustomer: 'card:04a1b2c3d4e5f6' },
    ...over(i),
  }));
}

const ok = (data: unknown, status = 200) => ({
  data,
  response: new Response(null, { status }),
});

function fakeGreenfield(list: FakeInvoice[], opts: { putStatus?: number } = {}) {
  const queries: Record<string, unknown>[] = [];
  const puts: { invoiceId: string; body: unknown }[] = [];
  const gf = {
    GET: async (
      path: string,
      init: { params: { path: Record<string, string>; query?: Record<string, unknown> } },
    ) => {
      if (path === '/api/v1/stores/{storeId}/invoices') {
        const q = init.params.query ?? {};
        queries.push(q);
        const skip = Number(q['skip'] ?? 0);
        const take = Number(q['take'] ?? list.length);
        return ok(list.slice(skip, skip + take));
      }
      if (path === '/api/v1/invoices/{invoiceId}')
        return ok(list.find((i) => i.id === init.params.path['invoiceId']));
      throw new Error(`unexpected ${path}`);
    },
    PUT: async (path: string, init: { params: { path: Record<string, string> }; body: unknown }) => {
      if (path !== '/api/v1/invoices/{invoiceId}') throw new Error(`unexpected ${path}`);
      if (opts.putStatus && opts.putStatus !== 200)
        return { error: { message: 'no' }, response: new Response(null, { status: opts.putStatus }) };
      puts.push({ invoiceId: init.params.path['invoiceId'] ?? '', body: init.body });
      return ok(init.body);
    },
  };
  return { gf: gf as unknown as Greenfield, queries, puts };
}

describe('reading a stamp card from Greenfield', () => {
  it('asks for the customer’s settled invoices by their search term, page after page', async () => {
    const list = invoices(2_500);
    const { gf, queries } = fakeGreenfield(list);
    const cards = createStampCards({ log: silentLogger });
    // Every 10th sale was rewarded, the last five are a new card.
    const rewarded = new Set(list.filter((_, i) => i % 10 === 9).map((i) => i.id));
    const read = await cards.read(gf, 'store1', ALICE, RULES, 'USD', (id) => rewarded.has(id));
    expect(queries).toEqual(
      [0, 1000, 2000].map((skip) => ({
        textSearch: stampSearchTerm(ALICE),
        status: 'Settled',
        skip,
        take: 1000,
      })),
    );
    expect(read.invoices.size).toBe(2_500);
    expect(read.progress).toMatchObject({ stamps: 0, due: null, lastFull: 'inv02499' });
  });

  it('trusts the invoice’s metadata: a text-search hit naming someone else is not their stamp', async () => {
    const list = invoices(12, (i) => (i % 2 === 1 ? { metadata: { flashStampCustomer: OTHER } } : {}));
    const { gf } = fakeGreenfield(list);
    const read = await createStampCards({ log: silentLogger }).read(
      gf,
      's',
      ALICE,
      RULES,
      'USD',
      () => false,
    );
    expect(read.progress.stamps).toBe(6);
    expect(read.invoices.size).toBe(6);
  });

  it('a sale marked rewarded on BTCPay spends its card, whichever counter marked it', async () => {
    const list = invoices(13, (i) =>
      i === 9 ? { metadata: { flashStampCustomer: 'card:04a1b2c3d4e5f6', [STAMP_REWARD_FIELD]: 'k' } } : {},
    );
    const { gf } = fakeGreenfield(list);
    const cards = createStampCards({ log: silentLogger });
    const read = await cards.read(gf, 's', ALICE, RULES, 'USD', () => false);
    expect(read.progress).toMatchObject({ stamps: 3, due: null, lastFull: 'inv00009' });
    // Remembered only to show at once: the view is what was read.
    expect(cards.cached(ALICE)).toBeNull();
    const view = cards.view(ALICE, 10, read.progress);
    expect(cards.cached(ALICE)).toEqual(view);
    expect(view).toMatchObject({ customer: { kind: 'card', value: '04a1b2c3d4e5f6' }, every: 10, stamps: 3 });
  });

  it('marks the Nth sale by writing its whole metadata back with the key; a refused write is not a crash', async () => {
    const list = invoices(1, () => ({
      metadata: { flashStampCustomer: 'card:04a1b2c3d4e5f6', orderId: 'o1' },
    }));
    const { gf, puts } = fakeGreenfield(list);
    const cards = createStampCards({ log: silentLogger });
    expect(await cards.markRewarded(gf, 'inv00000', 'key1')).toBe(true);
    expect(puts).toEqual([
      {
        invoiceId: 'inv00000',
        body: {
          metadata: {
            flashStampCustomer: 'card:04a1b2c3d4e5f6',
            orderId: 'o1',
            [STAMP_REWARD_FIELD]: 'key1',
          },
        },
      },
    ]);
    const refused = fakeGreenfield(list, { putStatus: 403 });
    expect(await cards.markRewarded(refused.gf, 'inv00000', 'key1')).toBe(false);
  });
});
