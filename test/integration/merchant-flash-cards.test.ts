import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/contract/merchant';
import { FlashError } from '../../shared/errors';
import { readNdefUri } from '../../main/merchant/boltcard/card-ops';
import { cardTag } from '../../main/merchant/flash-cards';
import type { SimulatedCard } from '../stack/nfc/ntag424-card';
import { createReplayTag, createSimulatedNtag424 } from '../stack/nfc/ntag424-card';
import type { SimulatedReader } from '../stack/nfc/reader';
import { createSimulatedReader, simulatedNfcReaders } from '../stack/nfc/reader';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import { until } from '../support/wait';

let h: MerchantHarness;
let reader: SimulatedReader;
let readers: SimulatedReader[];

beforeEach(async () => {
  reader = createSimulatedReader();
  readers = [reader];
  h = await startMerchantHarness({ openNfcReaders: () => simulatedNfcReaders(readers) });
  await connectDemoShop(h);
});

afterEach(async () => {
  try {
    h.btcpay.server.assertNoSpecIssues();
  } finally {
    await h.stop();
  }
});

async function rejects(p: Promise<unknown>): Promise<FlashError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FlashError) return err;
    throw err;
  }
  throw new Error('expected a FlashError');
}

const coffee = {
  lines: [{ itemId: 'latte', count: 1 }],
  discountPercent: null,
  tipAmount: null,
  tipPercent: null,
};

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
    const replay = await rejects(h.merchant.cardPay(next.invoiceId));
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
    const err = await rejects(h.merchant.cardPay(sale.invoiceId));
    expect(err.code).toBe('MERCHANT_CARD_BALANCE_LOW');
    expect(err.details).toMatchObject({ balance: 1_000, needed: sale.dueSats });
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM merchant_journal WHERE kind = 'cardTap'`).get()).toEqual({
      n: 0,
    });
  });

  it('says what is wrong: no reader, no card, a card that is not a Flash Card, a card not blank', async () => {
    const sale = await h.merchant.charge(coffee);
    readers.splice(0); // the reader is unplugged
    expect((await rejects(h.merchant.cardPay(sale.invoiceId))).code).toBe('MERCHANT_NO_READER');
    readers.push(reader);
    expect(h.merchant.cardStatus()).toEqual({ problem: null, readers: [reader.name], cardPresent: false });
    expect((await rejects(h.merchant.cardPay(sale.invoiceId))).code).toBe('MERCHANT_NO_CARD');
    reader.place(createSimulatedNtag424());
    const blank = await rejects(h.merchant.cardPay(sale.invoiceId));
    expect(blank.code).toBe('MERCHANT_CARD_UNKNOWN');
    expect(blank.details?.['reason']).toBe('it carries no lnurlw:// link');
    const card = await newCard(5_000);
    reader.place(card);
    const again = await rejects(h.merchant.cardProgram(5_000));
    expect(again.code).toBe('MERCHANT_CARD_UNKNOWN');
    expect(again.details?.['reason']).toBe('it already has keys; wipe it first');
  });

  it('wipes a card back to blank and archives its pull payment; cashier mode leaves that to the manager', async () => {
    const card = await newCard(5_000);
    h.merchant.enterCashierMode();
    reader.place(card);
    expect((await rejects(h.merchant.cardWipe())).code).toBe('MERCHANT_CASHIER_LOCKED');
    expect((await rejects(h.merchant.cardProgram(1_000))).code).toBe('MERCHANT_CASHIER_LOCKED');
    await h.merchant.leaveCashierMode({ password: 'correct horse battery' });
    const wiped = await h.merchant.cardWipe();
    expect(h.btcpay.server.state.pullPayments.get(wiped.pullPaymentId)?.archived).toBe(true);
    expect(card.key(0)).toEqual(new Uint8Array(16));
    reader.place(card);
    expect(await readNdefUri(reader)).toBeNull();
    // Blank again: it can be programmed anew.
    reader.place(card);
    expect((await h.merchant.cardProgram(2_000)).balanceSats).toBe(2_000);
  });
});
