import * as nip19 from 'nostr-tools/nip19';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reward, Sale } from '../../shared/contract/merchant';
import type { EcashService } from '../../main/ecash/service';
import { rewardTag } from '../../main/merchant/rewards/claims';
import { STAMP_REWARD_FIELD } from '../../main/merchant/rewards/stamp-card';
import type { StandInMint } from '../stack/cashu';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import type { OtherCounter } from '../support/merchant-counter';
import {
  latteCart,
  payLightningSale,
  startOtherCounter,
  stopAfterSpecCheck,
} from '../support/merchant-counter';
import { shopEcashForHarness, startCashuMints } from '../support/merchant-ecash';
import { until } from '../support/wait';

/**
 * A stamp card paid in eCash: the token is counter A's own (its eCash journal), so the other
 * counter knows the card was rewarded only from the mark A leaves on the Nth sale's invoice.
 */
const SHOP_WORDS = 'void come effort suffer camp survey warrior heavy shoot primary clutch crush';
const ALICE = nip19.npubEncode('3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d');
const alice = { kind: 'npub' as const, value: ALICE };

let mints: Awaited<ReturnType<typeof startCashuMints>>;
let alpha: StandInMint;

beforeAll(async () => {
  mints = await startCashuMints();
  alpha = mints.cashu.mints[0] as StandInMint;
});
afterAll(async () => {
  await mints.stop();
});

/** A counter of the store: the harness's own (A, with the shop's eCash), or the other one (B). */
type Counter = Pick<OtherCounter, 'merchant' | 'bus'>;

let h: MerchantHarness;
let shopEcash: EcashService;
let b: OtherCounter;
let saleClock = 0;

beforeEach(async () => {
  saleClock = 0;
  const ecash = shopEcashForHarness({ mnemonic: SHOP_WORDS, payMintQuotesFrom: mints.ledger });
  h = await startMerchantHarness({ ecash: ecash.make });
  shopEcash = ecash.service;
  await connectDemoShop(h);
  await shopEcash.addMint(alpha.url);
  b = await startOtherCounter(h);
});

afterEach(async () => {
  b.stop();
  await stopAfterSpecCheck(h, { beforeHarness: () => shopEcash.stop() });
});

function paidSale(at: Counter, count: number): Promise<Sale> {
  return payLightningSale(h, { ...latteCart(count), customer: alice }, at.merchant, {
    bus: at.bus,
    beforePaying: (sale) => {
      // BTCPay dates invoices to the second: each test sale a second after the last.
      saleClock = Math.max(saleClock + 1, h.btcpay.server.state.now() - 120);
      h.btcpay.server.state.engine.invoices.get(sale.invoiceId)!.createdTime = saleClock;
    },
  });
}

describe('stamp card rewards in eCash', () => {
  it('the Nth sale earns one token; the other counter sees the card spent by the invoice’s mark', async () => {
    const q = await shopEcash.mintQuote({ mintUrl: alpha.url, unit: 'sat', amount: 2_000 });
    await shopEcash.payMintQuote(q.id);
    await until('the shop’s eCash', async () => {
      await shopEcash.recover();
      return (shopEcash.balances().find((x) => x.mintUrl === alpha.url)?.spendable ?? 0) >= 2_000;
    });
    const rules = {
      enabled: true,
      kind: 'stamps' as const,
      stampEvery: 2,
      sats: 300,
      percent: '1',
      minimumSale: '5',
      expiryDays: 30,
    };
    h.merchant.setRewardRules({ ...rules, giveAs: 'ecash', ecashMint: alpha.url });
    b.merchant.setRewardRules(rules);
    const rewards: Reward[] = [];
    h.bus.on('merchant.reward', (r) => rewards.push(r));

    await paidSale(b, 2);
    const nth = await paidSale(h, 2);
    const reward = await until('the token', () => rewards.find((r) => r.invoiceId === nth.invoiceId));
    expect(reward).toMatchObject({ sats: 300, lnurl: null, state: 'unclaimed' });
    expect(shopEcash.decodeToken(reward.ecash!.token)).toMatchObject({ mintUrl: alpha.url, amount: 300 });
    expect(h.db.prepare(`SELECT ref, state FROM merchant_journal WHERE kind = 'reward'`).all()).toEqual([
      { ref: `ecash:${nth.invoiceId}`, state: 'done' },
    ]);
    await until(
      'the mark on the invoice',
      () => h.btcpay.server.state.engine.invoices.get(nth.invoiceId)!.metadata[STAMP_REWARD_FIELD],
    );

    // Counter B has no eCash journal of A's: the invoice's mark tells it the card was rewarded.
    expect(await b.merchant.stampCard({ customer: alice })).toMatchObject({
      stamps: 0,
      lastFullInvoiceId: nth.invoiceId,
    });
    // Even once A's turn has passed, B's next sales start a new card and pay nothing twice.
    for (const inv of h.btcpay.server.state.engine.invoices.values()) inv.createdTime -= 11 * 60;
    saleClock -= 11 * 60;
    const next = await paidSale(b, 2);
    await until('B counted', () => b.merchant.getDisplay().stamps?.stamps === 1);
    expect((await b.merchant.stampCard({ customer: alice, invoiceId: next.invoiceId })).stamps).toBe(1);
    expect(
      [...h.btcpay.server.state.pullPayments.values()].filter(
        (p) => p.description === rewardTag(nth.invoiceId),
      ),
    ).toHaveLength(0);
    expect(
      shopEcash
        .listOperations(100, 0)
        .items.filter((o) => o.kind === 'send' && o.counterparty === rewardTag(nth.invoiceId)),
    ).toHaveLength(1);
    // The rewards page of A counts it.
    expect((await h.merchant.dailyTotals(1)).days[0]?.rewards).toMatchObject({ count: 1, sats: 300 });
  });
});
