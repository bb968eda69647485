import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/contract/merchant';
import { readNdefUri } from '../../main/merchant/boltcard/card-ops';
import { cardTag } from '../../main/merchant/flash-cards';
import type { SimulatedCard } from '../stack/nfc/ntag424-card';
import { createReplayTag, createSimulatedNtag424 } from '../stack/nfc/ntag424-card';
import type { SimulatedReader } from '../stack/nfc/reader';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import {
  cardFailingKeyChanges,
  flashErrorOf,
  latteCart,
  simulatedReaderDesk,
  stopAfterSpecCheck,
} from '../support/merchant-counter';
import { until } from '../support/wait';

let h: MerchantHarness;
let reader: SimulatedReader;
let readers: SimulatedReader[];

beforeEach(async () => {
  const desk = simulatedReaderDesk();
  ({ reader, readers } = desk);
  h = await startMerchantHarness({ openNfcReaders: desk.openNfcReaders });
  await connectDemoShop(h);
});

afterEach(() => stopAfterSpecCheck(h));

const coffee = latteCart(1);

async function newCard(sats: number): Promise<SimulatedCard> {
  const card = createSimulatedNtag424();
  reader.place(card);
  const programmed = await h.merchant.cardProgram(sats);
  expect(programmed.balanceSats).toBe(sats);
  const pp = h.btcpay.server.state.pullPayments.get(programmed.pullPaymentId)!;
  expect(pp).toMatchObject({ currency: 'BTC', autoApproveClaims: true, description: cardTag(card.uid) });
  return card;
}

describe('Flash Cards on a (simulated) PC/SC reader, against the BTCPay stand-in', () => {
  it('programs a blank card, pays a sale with a tap, and refuses a replayed tap', async () => {
    const card = await newCard(50_000);
    reader.place(card);
    expect((await h.merchant.cardBalance()).sats).toBe(50_000);

    // Someone skims the card once (a tap that is never used), then the customer pays.
    reader.place(card);
    const skimmed = (await readNdefUri(reader))!;
    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (s) => sales.push(s));
    const sale = await h.merchant.charge(coffee);
    reader.place(card);
    await h.merchant.cardPay(sale.invoiceId);
    const paid = await until('paid by the card', () =>
      sales.find((s) => s.invoiceId === sale.invoiceId && s.state === 'paid'),
    );
    reader.place(card);
    expect((await h.merchant.cardBalance()).sats).toBe(50_000 - paid.paidSats);

    // The skimmed copy on a cloned tag: its counter is below the one BTCPay stored.
    const next = await h.merchant.charge(coffee);
    reader.place(createReplayTag(skimmed));
    const replay = await flashErrorOf(h.merchant.cardPay(next.invoiceId));
    expect(replay.code).toBe('MERCHANT_CARD_REPLAYED');
    expect((await h.merchant.getSale(next.invoiceId)).state).toBe('waiting');
    // BTCPay refused the copy at its first step: only the real tap reached the journal.
    const journal = h.db
      .prepare(`SELECT state FROM merchant_journal WHERE kind = 'cardTap' ORDER BY id`)
      .all();
    expect(journal).toEqual([{ state: 'done' }]);
  });

  it('refuses a sale bigger than the card’s balance before anything is paid', async () => {
    const card = await newCard(1_000);
    const sale = await h.merchant.charge(coffee);
    reader.place(card);
    const err = await flashErrorOf(h.merchant.cardPay(sale.invoiceId));
    expect(err.code).toBe('MERCHANT_CARD_BALANCE_LOW');
    expect(err.details).toMatchObject({ balance: 1_000, needed: sale.dueSats });
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM merchant_journal WHERE kind = 'cardTap'`).get()).toEqual({
      n: 0,
    });
  });

  it('says what is wrong: no reader, no card, a card that is not a Flash Card, a card not blank', async () => {
    const sale = await h.merchant.charge(coffee);
    readers.splice(0); // the reader is unplugged
    expect((await flashErrorOf(h.merchant.cardPay(sale.invoiceId))).code).toBe('MERCHANT_NO_READER');
    readers.push(reader);
    expect(h.merchant.cardStatus()).toEqual({ problem: null, readers: [reader.name], cardPresent: false });
    expect((await flashErrorOf(h.merchant.cardPay(sale.invoiceId))).code).toBe('MERCHANT_NO_CARD');
    reader.place(createSimulatedNtag424());
    const blank = await flashErrorOf(h.merchant.cardPay(sale.invoiceId));
    expect(blank.code).toBe('MERCHANT_CARD_UNKNOWN');
    expect(blank.details?.['reason']).toBe('it carries no lnurlw:// link');
    const card = await newCard(5_000);
    reader.place(card);
    const again = await flashErrorOf(h.merchant.cardProgram(5_000));
    expect(again.code).toBe('MERCHANT_CARD_UNKNOWN');
    expect(again.details?.['reason']).toBe('it already has keys; wipe it first');
  });

  it('wipes a card back to blank and archives its pull payment; cashier mode leaves that to the manager', async () => {
    const card = await newCard(5_000);
    h.merchant.enterCashierMode();
    reader.place(card);
    expect((await flashErrorOf(h.merchant.cardWipe(5_000))).code).toBe('MERCHANT_CASHIER_LOCKED');
    expect((await flashErrorOf(h.merchant.cardProgram(1_000))).code).toBe('MERCHANT_CASHIER_LOCKED');
    await h.merchant.leaveCashierMode({ password: 'correct horse battery' });
    // The card still holds 5,000 sats: a wipe that did not agree to give them up is refused.
    reader.place(card);
    const held = await flashErrorOf(h.merchant.cardWipe(0));
    expect(held.code).toBe('MERCHANT_CARD_HAS_BALANCE');
    expect(held.details).toMatchObject({ balance: 5_000 });
    const wiped = await h.merchant.cardWipe(5_000);
    expect(wiped.gaveUpSats).toBe(5_000);
    expect(h.btcpay.server.state.pullPayments.get(wiped.pullPaymentId)?.archived).toBe(true);
    expect(card.key(0)).toEqual(new Uint8Array(16));
    reader.place(card);
    expect(await readNdefUri(reader)).toBeNull();
    // Blank again: it can be programmed anew.
    reader.place(card);
    expect((await h.merchant.cardProgram(2_000)).balanceSats).toBe(2_000);
  });

  it('tops a card up: a new pull payment holding what was left plus the top-up, the card re-keyed to it', async () => {
    const card = await newCard(20_000);
    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (s) => sales.push(s));
    const sale = await h.merchant.charge(coffee);
    reader.place(card);
    await h.merchant.cardPay(sale.invoiceId);
    const paid = await until('paid by the card', () =>
      sales.find((s) => s.invoiceId === sale.invoiceId && s.state === 'paid'),
    );
    const left = 20_000 - paid.paidSats;
    const before = [...h.btcpay.server.state.pullPayments.values()].find(
      (p) => p.description === cardTag(card.uid) && !p.archived,
    )!;
    const k0 = card.key(0);

    reader.place(card);
    const topped = await h.merchant.cardTopUp(10_000);
    expect(topped).toMatchObject({ previousPullPaymentId: before.id, balanceSats: left + 10_000 });
    expect(h.btcpay.server.state.pullPayments.get(before.id)?.archived).toBe(true);
    expect(h.btcpay.server.state.pullPayments.get(topped.pullPaymentId)).toMatchObject({
      amount: `0.${String(left + 10_000).padStart(8, '0')}`,
      description: cardTag(card.uid),
      archived: false,
    });
    // BTCPay derives the keys from the pull payment: the card holds new ones now.
    expect(card.key(0)).not.toEqual(k0);
    reader.place(card);
    expect((await h.merchant.cardBalance()).sats).toBe(left + 10_000);

    // It still pays, from the new pull payment, and the old taps stay refused.
    const next = await h.merchant.charge(coffee);
    reader.place(card);
    await h.merchant.cardPay(next.invoiceId);
    await until('paid after the top-up', () =>
      sales.find((s) => s.invoiceId === next.invoiceId && s.state === 'paid'),
    );
    const journal = h.db
      .prepare(`SELECT state, payload FROM merchant_journal WHERE kind = 'card' ORDER BY id`)
      .all() as { state: string; payload: string }[];
    expect(journal.map((j) => j.state)).toEqual(['done', 'done']);
    expect(JSON.parse(journal[1]!.payload)).toMatchObject({
      op: 'topUp',
      from: before.id,
      to: topped.pullPaymentId,
    });
  });

  it('a card lifted half-way through a top-up is put back as it was, or finished on the next try', async () => {
    const card = await newCard(2_000);
    const before = [...h.btcpay.server.state.pullPayments.values()].find(
      (p) => p.description === cardTag(card.uid) && !p.archived,
    )!;
    // The card answers the first key change, then leaves the field for good.
    reader.place(cardFailingKeyChanges(card, (change) => change > 1));
    const err = await flashErrorOf(h.merchant.cardTopUp(1_000));
    expect(err.code).toBe('MERCHANT_CARD_FAILED');
    expect(err.details?.['reason']).toMatch(/press Top up again/);
    // The old pull payment is still the card's and the journal keeps the unfinished step.
    expect(h.btcpay.server.state.pullPayments.get(before.id)?.archived).toBe(false);
    const open = h.db
      .prepare(`SELECT payload FROM merchant_journal WHERE kind = 'card' AND state = 'sent'`)
      .all() as { payload: string }[];
    expect(open).toHaveLength(1);
    const to = (JSON.parse(open[0]!.payload) as { to: string }).to;

    // Back on the reader: the top-up is finished (not added twice), the old pull payment archived.
    reader.place(card);
    const done = await h.merchant.cardTopUp(1_000);
    expect(done).toMatchObject({ pullPaymentId: to, previousPullPaymentId: before.id, balanceSats: 3_000 });
    expect(h.btcpay.server.state.pullPayments.get(before.id)?.archived).toBe(true);
    reader.place(card);
    expect((await h.merchant.cardBalance()).sats).toBe(3_000);
  });
});
