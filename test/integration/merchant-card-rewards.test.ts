import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reward, Sale } from '../../shared/contract/merchant';
import { bytesToHex } from '../../main/merchant/boltcard/ntag424-crypto';
import { cardTag } from '../../main/merchant/flash-cards';
import { cardRewardName } from '../../main/merchant/rewards/claims';
import type { NfcReaders } from '../../main/merchant/nfc/readers';
import type { MerchantService } from '../../main/merchant/service';
import type { SimulatedCard } from '../stack/nfc/ntag424-card';
import { createSimulatedNtag424 } from '../stack/nfc/ntag424-card';
import type { SimulatedReader } from '../stack/nfc/reader';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import {
  FIXED_REWARD_RULES,
  cardFailingKeyChanges,
  flashErrorOf,
  latteCart,
  payLightningSale,
  restartMerchant,
  simulatedReaderDesk,
  salesListRow,
  stopAfterSpecCheck,
} from '../support/merchant-counter';
import { until } from '../support/wait';

/**
 * Rewards topped up onto the customer's Flash Card: the BTCPay stand-in, a simulated PC/SC reader
 * and simulated NTAG 424 cards (the same as the Flash Card tests). The customer taps after the sale
 * settles; the reward is added once per sale whatever the taps, presses or crashes.
 */

let h: MerchantHarness;
let reader: SimulatedReader;
let readers: SimulatedReader[];
let openNfcReaders: () => NfcReaders;
/** Set by a test: the next POST that makes a pull payment reaches BTCPay, its answer is lost. */
let loseNextPullPaymentAnswer = false;

const lostAnswerFetch: typeof fetch = async (input, init) => {
  const req = input instanceof Request ? input : new Request(input, init);
  if (
    loseNextPullPaymentAnswer &&
    req.method === 'POST' &&
    /\/api\/v1\/stores\/[^/]+\/pull-payments$/.test(new URL(req.url).pathname)
  ) {
    loseNextPullPaymentAnswer = false;
    await fetch(req);
    throw new TypeError('fetch failed');
  }
  return fetch(req);
};

beforeEach(async () => {
  loseNextPullPaymentAnswer = false;
  ({ reader, readers, openNfcReaders } = simulatedReaderDesk());
  h = await startMerchantHarness({ openNfcReaders, fetch: lostAnswerFetch });
  await connectDemoShop(h);
});

afterEach(() => stopAfterSpecCheck(h));

const CARD_REWARD_RULES = { ...FIXED_REWARD_RULES, giveAs: 'flashCard' as const };

/** A sale of 8.50 USD (above the 5.00 minimum), paid and settled; `m` may be a restarted Flash. */
const paidSale = (m: MerchantService = h.merchant) => payLightningSale(h, latteCart(2), m);

async function newCard(sats: number): Promise<SimulatedCard> {
  const card = createSimulatedNtag424();
  reader.place(card);
  await h.merchant.cardProgram(sats);
  return card;
}

async function balance(card: SimulatedCard, m: MerchantService = h.merchant): Promise<number> {
  reader.place(card);
  return (await m.cardBalance()).sats;
}

/** The card's pull payments at BTCPay: the live one, and every one made for a reward. */
function cardPullPayments(card: SimulatedCard) {
  const all = [...h.btcpay.server.state.pullPayments.values()].filter(
    (p) => p.description === cardTag(card.uid),
  );
  return { live: all.filter((p) => !p.archived), all };
}

function journal(kind: 'reward' | 'card') {
  return h.db
    .prepare(`SELECT ref, state, result_id, payload FROM merchant_journal WHERE kind = ? ORDER BY id`)
    .all(kind) as { ref: string; state: string; result_id: string | null; payload: string }[];
}

describe('rewards as a top-up of the customer’s Flash Card', () => {
  it('the display asks for the tap; the reward goes onto the card once, whatever the taps, presses or counters', async () => {
    const card = await newCard(50_000);
    h.merchant.setRewardRules(CARD_REWARD_RULES);
    const rewards: Reward[] = [];
    h.bus.on('merchant.reward', (r) => rewards.push(r));

    const sale = await paidSale();
    // Nothing is given before the tap: the customer display asks for the card.
    await until('the display asks for the card', () => (h.merchant.getDisplay().reward?.card ? true : null));
    expect(h.merchant.getDisplay()).toMatchObject({
      phase: 'paid',
      reward: { sats: 500, lnurl: null, card: true },
    });
    expect(journal('reward')).toEqual([]);
    expect(await h.merchant.getReward(sale.invoiceId)).toBeNull();

    // The customer taps, and the cashier presses twice at once: one top-up.
    reader.place(card);
    const [a, b] = await Promise.all([
      h.merchant.issueReward(sale.invoiceId),
      h.merchant.issueReward(sale.invoiceId),
    ]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      sats: 500,
      state: 'claimed',
      claimedSats: 500,
      card: { uid: bytesToHex(card.uid) },
    });
    expect(rewards.at(-1)).toEqual(a);
    expect(await balance(card)).toBe(50_500);
    const { live, all } = cardPullPayments(card);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      id: a.pullPaymentId,
      name: cardRewardName(sale.invoiceId, 500),
      amount: '0.00050500',
    });
    expect(all).toHaveLength(2); // the programmed one, archived, and the topped-up one
    // Once on the card it is the customer's: the display asks for nothing more.
    expect(h.merchant.getDisplay().reward).toBeNull();

    // A second tap later adds nothing, and answers the same reward.
    reader.place(card);
    expect(await h.merchant.issueReward(sale.invoiceId)).toEqual(a);
    expect(await balance(card)).toBe(50_500);
    expect(cardPullPayments(card).all).toHaveLength(2);
    expect(journal('reward')).toEqual([
      {
        ref: `card:${sale.invoiceId}`,
        state: 'done',
        result_id: a.pullPaymentId,
        payload: expect.any(String),
      },
    ]);
    expect(journal('card').filter((r) => JSON.parse(r.payload).reward === sale.invoiceId)).toHaveLength(1);

    // The sales list and the day's totals count it, claimed.
    expect(await h.merchant.getReward(sale.invoiceId)).toEqual(a);
    const row = await salesListRow(h.merchant, sale.invoiceId);
    expect(row?.reward).toEqual({ sats: 500, state: 'claimed' });
    const totals = await h.merchant.dailyTotals(1);
    expect(totals.days.at(-1)?.rewards).toMatchObject({ count: 1, sats: 500, claimed: 1, claimedSats: 500 });

    // Another counter of the store (none of this one's records) finds it at BTCPay: no card needed,
    // nothing added again.
    h.db.prepare(`DELETE FROM merchant_settings WHERE key LIKE 'card_reward:%'`).run();
    h.db.prepare(`DELETE FROM merchant_journal WHERE kind IN ('reward', 'card')`).run();
    reader.remove();
    expect(await h.merchant.issueReward(sale.invoiceId)).toMatchObject({
      pullPaymentId: a.pullPaymentId,
      sats: 500,
      state: 'claimed',
      card: { uid: '' },
    });
    expect(await balance(card)).toBe(50_500);
    expect(cardPullPayments(card).all).toHaveLength(2);
    // Its Sales list and totals read the reward from BTCPay.
    const there = await salesListRow(h.merchant, sale.invoiceId);
    expect(there?.reward).toEqual({ sats: 500, state: 'claimed' });
    expect((await h.merchant.dailyTotals(1)).days.at(-1)?.rewards).toMatchObject({
      count: 1,
      sats: 500,
      claimed: 1,
      claimedSats: 500,
    });

    // The customer spends it: the card still pays, from the new pull payment.
    const next = await h.merchant.charge(latteCart(1));
    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (s) => sales.push(s));
    reader.place(card);
    await h.merchant.cardPay(next.invoiceId);
    await until('paid by the card', () =>
      sales.find((s) => s.invoiceId === next.invoiceId && s.state === 'paid'),
    );
  });

  it('says what is wrong (no reader, no card, a card that is not this store’s) and keeps the reward for the right card', async () => {
    const card = await newCard(1_000);
    const stranger = await newCard(1_000);
    // The stranger's card belongs to another store of the server: its pull payment is not this store's.
    for (const pp of cardPullPayments(stranger).all)
      pp.storeId = 'AnotherStore0000000000000000000000000000000';
    h.merchant.setRewardRules(CARD_REWARD_RULES);
    const sale = await paidSale();

    readers.splice(0); // the reader is unplugged
    expect((await flashErrorOf(h.merchant.issueReward(sale.invoiceId))).code).toBe('MERCHANT_NO_READER');
    readers.push(reader);
    reader.remove();
    expect((await flashErrorOf(h.merchant.issueReward(sale.invoiceId))).code).toBe('MERCHANT_NO_CARD');
    reader.place(stranger);
    const other = await flashErrorOf(h.merchant.issueReward(sale.invoiceId));
    expect(other.code).toBe('MERCHANT_CARD_UNKNOWN');
    expect(other.details?.['reason']).toBe('this store has no pull payment for it');
    reader.place(createSimulatedNtag424()); // a blank card
    expect((await flashErrorOf(h.merchant.issueReward(sale.invoiceId))).code).toBe('MERCHANT_CARD_UNKNOWN');
    // Nothing was left open or given; the right card then gets it, from a cashier too (the
    // amount is the rules', as for any reward; a free top-up stays the manager's).
    expect(journal('reward').map((r) => r.state)).toEqual(['failed', 'failed']);
    h.merchant.enterCashierMode();
    reader.place(card);
    expect((await flashErrorOf(h.merchant.cardTopUp(1_000))).code).toBe('MERCHANT_CASHIER_LOCKED');
    reader.place(card);
    expect(await h.merchant.issueReward(sale.invoiceId)).toMatchObject({
      sats: 500,
      card: { uid: bytesToHex(card.uid) },
    });
    expect(await balance(card)).toBe(1_500);
    expect(await balance(stranger)).toBe(1_000);
  });

  it('a lost answer, a crash after the top-up, a refused key change and a card lifted half-way never add the reward twice', async () => {
    const card = await newCard(2_000);
    h.merchant.setRewardRules(CARD_REWARD_RULES);

    // 1. BTCPay makes the card's new pull payment but its answer never arrives.
    const first = await paidSale();
    loseNextPullPaymentAnswer = true;
    reader.place(card);
    expect((await flashErrorOf(h.merchant.issueReward(first.invoiceId))).code).toBe('MERCHANT_UNREACHABLE');
    expect(journal('reward').map((r) => r.state)).toEqual(['sent']);
    const made = cardPullPayments(card).live.find((p) => p.name === cardRewardName(first.invoiceId, 500));
    expect(made).toBeDefined(); // at BTCPay, not yet on the card
    expect(await balance(card)).toBe(2_000);
    // Flash restarts; the next tap finds that pull payment instead of making another.
    h.merchant.stop();
    const restart = () => restartMerchant(h, { openNfcReaders });
    let again = restart();
    reader.place(card);
    const r1 = await again.issueReward(first.invoiceId);
    expect(r1.pullPaymentId).toBe(made!.id);
    expect(await balance(card, again)).toBe(2_500);
    expect(
      cardPullPayments(card).all.filter((p) => p.name === cardRewardName(first.invoiceId, 500)),
    ).toHaveLength(1);
    expect(cardPullPayments(card).live.map((p) => p.id)).toEqual([made!.id]);
    expect(journal('reward').map((r) => r.state)).toEqual(['done']);

    // 2. A crash after the card was topped up, before the reward was written down.
    h.db.prepare(`DELETE FROM merchant_settings WHERE key = ?`).run(`card_reward:${first.invoiceId}`);
    h.db.prepare(`UPDATE merchant_journal SET state = 'sent', result_id = NULL WHERE kind = 'reward'`).run();
    reader.place(card);
    expect((await again.issueReward(first.invoiceId)).pullPaymentId).toBe(made!.id);
    expect(await balance(card, again)).toBe(2_500);
    expect(journal('reward').map((r) => r.state)).toEqual(['done']);

    // The same crash, and a row written just before a top-up that never began: start-up settles
    // both from the card journal, before any tap and with no card on the reader.
    h.db.prepare(`DELETE FROM merchant_settings WHERE key = ?`).run(`card_reward:${first.invoiceId}`);
    h.db.prepare(`UPDATE merchant_journal SET state = 'sent', result_id = NULL WHERE kind = 'reward'`).run();
    h.db
      .prepare(
        `INSERT INTO merchant_journal (kind, ref, payload, state, created_at, updated_at)
         VALUES ('reward', 'card:NeverToppedUp000000', ?, 'sent', ?, ?)`,
      )
      .run(JSON.stringify({ uid: bytesToHex(card.uid), sats: 500 }), Date.now(), Date.now());
    again.stop();
    reader.remove();
    again = restart();
    expect(journal('reward').map((r) => [r.state, r.result_id])).toEqual([
      ['done', made!.id],
      ['failed', null],
    ]);
    expect((await again.getReward(first.invoiceId))?.pullPaymentId).toBe(made!.id);
    expect(await balance(card, again)).toBe(2_500);

    // 3. A key change the card refuses once: put back as it was (the new pull payment archived),
    // and the next press adds the reward; the archived try does not count as given.
    const third = await paidSale(again);
    reader.place(cardFailingKeyChanges(card, (change) => change === 1)); // refuses the first only
    expect((await flashErrorOf(again.issueReward(third.invoiceId))).code).toBe('MERCHANT_CARD_FAILED');
    const undone = cardPullPayments(card).all.filter((p) => p.name === cardRewardName(third.invoiceId, 500));
    expect(undone.map((p) => p.archived)).toEqual([true]);
    expect(await balance(card, again)).toBe(2_500);
    reader.place(card);
    const r3 = await again.issueReward(third.invoiceId);
    expect(r3).toMatchObject({ sats: 500, card: { uid: bytesToHex(card.uid) } });
    expect(r3.pullPaymentId).not.toBe(undone[0]!.id);
    expect(await balance(card, again)).toBe(3_000);

    // 4. The card leaves the reader while its keys change, and a second card is tapped meanwhile.
    const second = await paidSale(again);
    reader.place(cardFailingKeyChanges(card, (change) => change > 1)); // lifted after the first
    const lifted = await flashErrorOf(again.issueReward(second.invoiceId));
    expect(lifted.code).toBe('MERCHANT_CARD_FAILED');
    const otherCard = await newCardWith(again, 1_000);
    reader.place(otherCard);
    const wrong = await flashErrorOf(again.issueReward(second.invoiceId));
    expect(wrong.code).toBe('MERCHANT_CARD_FAILED');
    expect(wrong.details?.['reason']).toMatch(/card tapped first/);
    expect(await balance(otherCard, again)).toBe(1_000);
    // Back on the reader: finished, once.
    reader.place(card);
    const r2 = await again.issueReward(second.invoiceId);
    expect(r2).toMatchObject({ sats: 500, card: { uid: bytesToHex(card.uid) } });
    expect(await balance(card, again)).toBe(3_500);
    reader.place(card);
    expect(await again.issueReward(second.invoiceId)).toEqual(r2);
    expect(await balance(card, again)).toBe(3_500);
    expect(journal('reward').map((r) => r.state)).toEqual(['done', 'failed', 'failed', 'done', 'done']);
    expect(journal('card').filter((r) => r.state === 'sent')).toEqual([]);
    again.stop();
  });
});

async function newCardWith(m: MerchantService, sats: number): Promise<SimulatedCard> {
  const card = createSimulatedNtag424();
  reader.place(card);
  await m.cardProgram(sats);
  return card;
}
