import * as nip19 from 'nostr-tools/nip19';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reward, RewardRulesInput } from '../../shared/contract/merchant';
import { rewardTag } from '../../main/merchant/rewards/claims';
import { STAMP_REWARD_FIELD } from '../../main/merchant/rewards/stamp-card';
import { createSimulatedNtag424 } from '../stack/nfc/ntag424-card';
import type { SimulatedReader } from '../stack/nfc/reader';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import type { OtherCounter } from '../support/merchant-counter';
import {
  flashErrorOf,
  latteCart,
  nostrOutbox,
  payLightningSale,
  restartMerchant,
  simulatedReaderDesk,
  startOtherCounter,
  stopAfterSpecCheck,
} from '../support/merchant-counter';
import { until } from '../support/wait';

/**
 * Two counters of one store (each its own database and vault) against one BTCPay stand-in: the
 * stamp card is counted from BTCPay's invoices, so both see the same card.
 */

const ALICE_HEX = '3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d';
const ALICE = nip19.npubEncode(ALICE_HEX);
const BOB_CARD = '04a1b2c3d4e5f6';

const RULES: RewardRulesInput = {
  enabled: true,
  kind: 'stamps',
  stampEvery: 3,
  stampPays: 'fixed',
  sats: 700,
  percent: '1',
  minimumSale: '5',
  expiryDays: 30,
};

/** A counter of the store: the harness's own (A), or the other one (B). */
type Counter = Pick<OtherCounter, 'merchant' | 'bus' | 'db'>;

let h: MerchantHarness;
let a: Counter;
let b: OtherCounter;
let dms: { to: string[]; text: string }[];
let reader: SimulatedReader;

beforeEach(async () => {
  saleClock = 0;
  const desk = simulatedReaderDesk();
  reader = desk.reader;
  const outbox = nostrOutbox();
  dms = outbox.sent;
  h = await startMerchantHarness({
    openNfcReaders: desk.openNfcReaders,
    sendNostrMessage: outbox.sendNostrMessage,
  });
  await connectDemoShop(h);
  a = h;
  b = await startOtherCounter(h);
  a.merchant.setRewardRules(RULES);
  b.merchant.setRewardRules(RULES);
});

afterEach(async () => {
  b.stop();
  await stopAfterSpecCheck(h);
});

const lattes = (count: number, customer?: { kind: 'npub' | 'card'; value: string }) => ({
  ...latteCart(count),
  ...(customer ? { customer } : {}),
});

/**
 * BTCPay orders invoices by when it made them, to the second; a test makes several a second, so
 * each sale is dated one second after the last (as sales at a real counter are).
 */
let saleClock = 0;

/** Charges at a counter, pays over Lightning, and waits until BTCPay settles it there. */
function paidSale(
  at: Counter,
  count: number,
  customer?: { kind: 'npub' | 'card'; value: string },
  sameSecond = false,
) {
  return payLightningSale(h, lattes(count, customer), at.merchant, {
    bus: at.bus,
    beforePaying: (sale) => {
      if (!sameSecond) saleClock = Math.max(saleClock + 1, h.btcpay.server.state.now() - 120);
      h.btcpay.server.state.engine.invoices.get(sale.invoiceId)!.createdTime = saleClock;
    },
  });
}

function rewardPullPayments() {
  return [...h.btcpay.server.state.pullPayments.values()].filter((p) =>
    p.description.startsWith('flash-reward'),
  );
}

const alice = { kind: 'npub' as const, value: ALICE };

describe('stamp card across two counters of one store', () => {
  it('counts stamps from BTCPay at both counters, skips a sale under the minimum, rewards the Nth sale once', async () => {
    const rewardsA: Reward[] = [];
    const rewardsB: Reward[] = [];
    a.bus.on('merchant.reward', (r) => rewardsA.push(r));
    b.bus.on('merchant.reward', (r) => rewardsB.push(r));

    const s1 = await paidSale(a, 2, alice); // 8.50 USD
    // The invoice names the customer (metadata and search term) for every counter to find.
    const inv1 = h.btcpay.server.state.engine.invoices.get(s1.invoiceId)!;
    expect(inv1.metadata['flashStampCustomer']).toBe(`npub:${ALICE_HEX}`);
    expect(inv1.additionalSearchTerms).toContain(`flashstamp-npub-${ALICE_HEX}`);
    // With the counter's clock and name: same-second sales keep their order, and the card's Nth
    // sale is rewarded by the counter that sold it.
    expect(inv1.metadata['flashStampAt']).toEqual(expect.any(Number));
    expect(inv1.metadata['flashStampCounter']).toMatch(/^[0-9a-f]{16}$/);
    expect(await b.merchant.stampCard({ customer: alice })).toMatchObject({
      customer: { kind: 'npub', value: ALICE },
      every: 3,
      stamps: 1,
      stampedInvoiceIds: [s1.invoiceId],
    });
    // The hex key is the same customer.
    expect((await a.merchant.stampCard({ customer: { kind: 'npub', value: ALICE_HEX } })).stamps).toBe(1);

    const small = await paidSale(b, 1, alice); // 4.25 USD: under the 5.00 minimum
    expect((await b.merchant.stampCard({ customer: alice, invoiceId: small.invoiceId })).stamps).toBe(1);
    const s2 = await paidSale(b, 2, alice);
    expect((await a.merchant.stampCard({ customer: alice, invoiceId: s2.invoiceId })).stamps).toBe(2);
    // Another customer's sale is not Alice's stamp.
    await paidSale(b, 3, { kind: 'card', value: BOB_CARD });
    expect((await a.merchant.stampCard({ customer: alice })).stamps).toBe(2);
    expect((await a.merchant.stampCard({ customer: { kind: 'card', value: BOB_CARD } })).stamps).toBe(1);
    expect(rewardPullPayments()).toHaveLength(0);

    // The third qualifying sale, at counter A: its reward, on both of A's displays.
    const s3 = await paidSale(a, 2, alice);
    const reward = await until('the stamp reward', () => rewardsA.find((r) => r.invoiceId === s3.invoiceId));
    expect(reward).toMatchObject({ sats: 700, state: 'unclaimed' });
    expect(reward.lnurl).toMatch(/^LNURL1/);
    await until('the display shows the reward', () => a.merchant.getDisplay().reward?.lnurl === reward.lnurl);
    expect(a.merchant.getDisplay().stamps).toEqual({ stamps: 3, every: 3 });
    expect(h.btcpay.server.state.pullPayments.get(reward.pullPaymentId)).toMatchObject({
      description: rewardTag(s3.invoiceId),
      amount: '0.00000700',
    });
    // Journaled like every reward, and marked on the Nth sale's invoice for the other counters.
    expect(
      a.db.prepare(`SELECT state, ref, result_id FROM merchant_journal WHERE kind = 'reward'`).all(),
    ).toEqual([{ state: 'done', ref: s3.invoiceId, result_id: reward.pullPaymentId }]);
    expect(h.btcpay.server.state.engine.invoices.get(s3.invoiceId)!.metadata[STAMP_REWARD_FIELD]).toMatch(
      /^[0-9a-f]{32}$/,
    );
    // The rest of the invoice's metadata is kept (BTCPay's update replaces it whole).
    expect(h.btcpay.server.state.engine.invoices.get(s3.invoiceId)!.metadata['flashStampCustomer']).toBe(
      `npub:${ALICE_HEX}`,
    );

    // Counter B sees a new card, and asking it for that sale's reward answers the same one.
    expect(await b.merchant.stampCard({ customer: alice })).toMatchObject({
      stamps: 0,
      lastFullInvoiceId: s3.invoiceId,
    });
    expect((await b.merchant.stampCard({ customer: alice, invoiceId: s3.invoiceId })).stamps).toBe(3);
    expect((await b.merchant.issueReward(s3.invoiceId)).pullPaymentId).toBe(reward.pullPaymentId);
    expect((await a.merchant.issueReward(s3.invoiceId)).pullPaymentId).toBe(reward.pullPaymentId);
    // A sale that did not complete a card has no stamp reward to give.
    expect((await flashErrorOf(b.merchant.issueReward(s2.invoiceId))).code).toBe('MERCHANT_NO_REWARD');
    expect(rewardPullPayments()).toHaveLength(1);

    // The next sale starts the next card, at either counter.
    const s4 = await paidSale(b, 2, alice);
    expect((await a.merchant.stampCard({ customer: alice, invoiceId: s4.invoiceId })).stamps).toBe(1);
    // B only showed the reward it was asked for: its own sale earned none.
    expect(rewardsB.every((r) => r.invoiceId === s3.invoiceId)).toBe(true);
    expect(rewardPullPayments()).toHaveLength(1);

    // The rewards page counts the stamp reward.
    expect((await b.merchant.dailyTotals(1)).days[0]?.rewards).toMatchObject({ count: 1, sats: 700 });
    // The customer claims it.
    expect(await h.btcpay.claim(reward.lnurl!)).toMatchObject({ sats: 700, status: 'OK' });
    expect(await b.merchant.getReward(s3.invoiceId)).toMatchObject({ state: 'claimed', claimedSats: 700 });
  });

  it('a card completed at a counter that gave no reward is rewarded by the other only after that counter’s turn', async () => {
    // Counter A has rewards off: its Nth sale goes unrewarded.
    a.merchant.setRewardRules({ ...RULES, enabled: false });
    await paidSale(b, 2, alice);
    await paidSale(b, 2, alice);
    const nth = await paidSale(a, 2, alice);
    const rewardsB: Reward[] = [];
    b.bus.on('merchant.reward', (r) => rewardsB.push(r));
    // B's next sale sees the full card, but the Nth sale is A's and fresh: B leaves it to A.
    const later = await paidSale(b, 2, alice);
    expect(await b.merchant.stampCard({ customer: alice })).toMatchObject({
      stamps: 3,
      lastFullInvoiceId: nth.invoiceId,
    });
    // B's count for its sale is done once its display shows the (full) card.
    await until('B counted the card', () => b.merchant.getDisplay().stamps?.stamps === 3);
    expect(rewardPullPayments()).toHaveLength(0);
    expect(rewardsB).toHaveLength(0);
    // Asked by hand at B, it is still A's to give for now.
    expect((await flashErrorOf(b.merchant.issueReward(nth.invoiceId))).code).toBe('MERCHANT_NO_REWARD');
    expect(rewardPullPayments()).toHaveLength(0);
    // Ten minutes on (A never rewarded it), B's next sale rewards A's Nth sale, once.
    for (const inv of h.btcpay.server.state.engine.invoices.values()) inv.createdTime -= 11 * 60;
    saleClock -= 11 * 60;
    await paidSale(b, 2, alice);
    const reward = await until('B rewards the Nth sale', () =>
      rewardsB.find((r) => r.invoiceId === nth.invoiceId),
    );
    expect(reward.sats).toBe(700);
    expect(rewardPullPayments()).toHaveLength(1);
    // `later` and the one after are the new card's first two stamps.
    expect((await b.merchant.stampCard({ customer: alice })).stampedInvoiceIds[0]).toBe(later.invoiceId);
    expect((await b.merchant.stampCard({ customer: alice })).stamps).toBe(2);
  });

  it('a crash between the journal and the payout pays once: found on BTCPay, or made when it never was', async () => {
    await paidSale(a, 2, alice);
    await paidSale(a, 2, alice);
    const nth = await paidSale(a, 2, alice);
    const reward = await until('the reward', async () => (await a.merchant.getReward(nth.invoiceId)) ?? null);

    // As if A died after BTCPay made the pull payment, before it wrote the answer down.
    a.db.prepare(`UPDATE merchant_journal SET state = 'sent', result_id = NULL WHERE kind = 'reward'`).run();
    a.db.prepare(`DELETE FROM merchant_rewards`).run();
    a.merchant.stop();
    const again = restartMerchant(h, { pollMs: 200 });
    await until('the journal settled', () =>
      (a.db.prepare(`SELECT state FROM merchant_journal WHERE kind = 'reward'`).get() as { state: string })
        .state === 'done'
        ? true
        : null,
    );
    expect((await again.issueReward(nth.invoiceId)).pullPaymentId).toBe(reward.pullPaymentId);
    expect((await b.merchant.issueReward(nth.invoiceId)).pullPaymentId).toBe(reward.pullPaymentId);
    expect((await b.merchant.stampCard({ customer: alice })).stamps).toBe(0);
    expect(rewardPullPayments()).toHaveLength(1);
    again.stop();
  });

  it('a crash after the journal but before BTCPay made it: start-up closes the row, the card is still paid once', async () => {
    // Counter A's rules off, so the Nth sale is not rewarded as it settles: the crash is staged.
    a.merchant.setRewardRules({ ...RULES, enabled: false });
    await paidSale(a, 2, alice);
    await paidSale(a, 2, alice);
    const nth = await paidSale(a, 2, alice);
    a.db
      .prepare(
        `INSERT INTO merchant_journal (kind, ref, payload, state, created_at, updated_at)
         VALUES ('reward', ?, '{}', 'sent', ?, ?)`,
      )
      .run(nth.invoiceId, Date.now(), Date.now());
    a.merchant.stop();
    const again = restartMerchant(h, { pollMs: 200, rewardRules: RULES });
    await until('the journal settled', () =>
      (
        a.db.prepare(`SELECT state FROM merchant_journal WHERE kind = 'reward' ORDER BY id`).get() as {
          state: string;
        }
      ).state === 'failed'
        ? true
        : null,
    );
    expect(rewardPullPayments()).toHaveLength(0);
    const [one, two] = await Promise.all([
      again.issueReward(nth.invoiceId),
      again.issueReward(nth.invoiceId),
    ]);
    expect(one.pullPaymentId).toBe(two.pullPaymentId);
    expect((await b.merchant.issueReward(nth.invoiceId)).pullPaymentId).toBe(one.pullPaymentId);
    expect(rewardPullPayments()).toHaveLength(1);
    again.stop();
  });

  it('refuses a customer that is not an npub or a card UID, in a typed error; sends the reward by NOSTR when asked', async () => {
    expect(
      (await flashErrorOf(a.merchant.charge(lattes(2, { kind: 'npub', value: 'npub1customer' })))).code,
    ).toBe('MERCHANT_BAD_CUSTOMER');
    expect(
      (await flashErrorOf(a.merchant.stampCard({ customer: { kind: 'card', value: '04a1' } }))).code,
    ).toBe('MERCHANT_BAD_CUSTOMER');
    expect((await flashErrorOf(a.merchant.stampCard({}))).code).toBe('MERCHANT_BAD_CUSTOMER');
    expect([...h.btcpay.server.state.engine.invoices.values()]).toHaveLength(0);

    a.merchant.setRewardRules({
      ...RULES,
      stampEvery: 2,
      stampPays: 'percent',
      percent: '10',
      stampSendDm: true,
    });
    await paidSale(a, 2, alice);
    const nth = await paidSale(a, 2, alice);
    const reward = await until('the reward', async () => (await a.merchant.getReward(nth.invoiceId)) ?? null);
    expect(reward.sats).toBe(Math.floor(nth.paidSats / 10));
    await until('the message', () => (dms.length > 0 ? dms : null));
    expect(dms).toHaveLength(1);
    expect(dms[0]!.to).toEqual([ALICE]);
    expect(dms[0]!.text).toContain(`lightning:${reward.lnurl}`);
  });

  it('names the customer by the Flash Card on the reader: its UID is their card', async () => {
    expect((await flashErrorOf(a.merchant.stampCard({ cardOnReader: true }))).code).toBe('MERCHANT_NO_CARD');
    const tag = createSimulatedNtag424();
    reader.place(tag);
    const uid = Buffer.from(tag.uid).toString('hex');
    const empty = await a.merchant.stampCard({ cardOnReader: true });
    expect(empty).toMatchObject({ customer: { kind: 'card', value: uid }, stamps: 0 });
    const sale = await paidSale(a, 2, empty.customer);
    expect(h.btcpay.server.state.engine.invoices.get(sale.invoiceId)!.metadata['flashStampCustomer']).toBe(
      `card:${uid}`,
    );
    reader.place(tag);
    expect(
      (await b.merchant.stampCard({ customer: { kind: 'card', value: uid.toUpperCase() } })).stamps,
    ).toBe(1);
    expect((await a.merchant.stampCard({ cardOnReader: true })).stamps).toBe(1);
  });

  it('sales of one second (BTCPay dates to the second) keep their order: the last one fills the card and is rewarded', async () => {
    const rewards: Reward[] = [];
    a.bus.on('merchant.reward', (r) => rewards.push(r));
    for (let i = 0; i < 5; i++) await paidSale(a, 2, alice, i > 0);
    // Five sales in one second: the third (by the counter's clock) filled the first card.
    const card = await b.merchant.stampCard({ customer: alice });
    expect(card.stamps).toBe(2);
    const filled = card.lastFullInvoiceId!;
    await until('its reward', () => rewards.find((r) => r.invoiceId === filled));
    const sold = [...h.btcpay.server.state.engine.invoices.values()]
      .filter((i) => i.metadata['flashStampCustomer'] === `npub:${ALICE_HEX}`)
      .sort((x, y) => Number(x.metadata['flashStampAt']) - Number(y.metadata['flashStampAt']));
    expect(sold.map((i) => i.id)[2]).toBe(filled);
    expect(rewardPullPayments()).toHaveLength(1);
  });

  it('a key that may not modify invoices: no mark on the invoice, the pull payment still tells every counter', async () => {
    const noModify = h.btcpay.server.state.createKey(
      h.btcpay.seed.user.id,
      [
        'btcpay.store.canviewstoresettings',
        'btcpay.store.cancreateinvoice',
        'btcpay.store.canviewinvoices',
        'btcpay.store.cancreatepullpayments',
        'btcpay.store.canviewpullpayments',
        'btcpay.store.canviewpayouts',
      ],
      'counter without invoice changes',
    );
    await b.merchant.connect(h.btcpay.url, noModify.apiKey);
    await b.merchant.selectApp(h.btcpay.seed.store.id, h.btcpay.seed.app.id);
    const rewardsB: Reward[] = [];
    b.bus.on('merchant.reward', (r) => rewardsB.push(r));
    await paidSale(a, 2, alice);
    await paidSale(b, 2, alice);
    const nth = await paidSale(b, 2, alice);
    const reward = await until('B’s reward', () => rewardsB.find((r) => r.invoiceId === nth.invoiceId));
    expect(reward.sats).toBe(700);
    await until('B counted', () => b.merchant.getDisplay().stamps?.stamps === 3);
    expect(
      h.btcpay.server.state.engine.invoices.get(nth.invoiceId)!.metadata[STAMP_REWARD_FIELD],
    ).toBeUndefined();
    expect(await a.merchant.stampCard({ customer: alice })).toMatchObject({
      stamps: 0,
      lastFullInvoiceId: nth.invoiceId,
    });
    expect(rewardPullPayments()).toHaveLength(1);
  });
});
