import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardReaderStatus, Sale } from '../../shared/contract/merchant';
import { openRemoteReaders } from '../../main/merchant/nfc/remote-readers';
import type { PcscServer } from '../stack/nfc/pcsc-server';
import { startPcscServer } from '../stack/nfc/pcsc-server';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import { flashErrorOf, latteCart, stopAfterSpecCheck } from '../support/merchant-counter';
import { until } from '../support/wait';

/**
 * Flash Cards through the loopback PC/SC boundary browser mode uses on `npm run demo`: the
 * stack's simulated reader and cards on one side, the app's remote reader on the other, APDUs
 * in between. The same story as on a reader in the process: program, pay, replay refused.
 */

let h: MerchantHarness;
let pcsc: PcscServer;
let statuses: CardReaderStatus[];

beforeEach(async () => {
  pcsc = await startPcscServer();
  h = await startMerchantHarness({ openNfcReaders: () => openRemoteReaders(pcsc.url, { retryMs: 50 }) });
  statuses = [];
  h.bus.on('merchant.card', (s) => statuses.push(s));
  await connectDemoShop(h);
  h.merchant.cardStatus();
  await until('the stack’s reader', () => h.merchant.cardStatus().readers.length > 0 || null);
});

afterEach(() => stopAfterSpecCheck(h, { afterHarness: () => pcsc.stop() }));

const coffee = latteCart(1);

describe('the stack’s simulated reader over loopback', () => {
  it('programs the blank card, pays with a tap, refuses a replayed tap; cards come and go live', async () => {
    expect(h.merchant.cardStatus()).toEqual({
      problem: null,
      readers: [pcsc.reader.name],
      cardPresent: true,
    });
    await h.merchant.cardProgram(20_000);
    expect((await h.merchant.cardBalance()).sats).toBe(20_000);

    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (s) => sales.push(s));
    const sale = await h.merchant.charge(coffee);
    await h.merchant.cardPay(sale.invoiceId);
    await until('paid by the card', () =>
      sales.find((s) => s.invoiceId === sale.invoiceId && s.state === 'paid'),
    );

    // A copy of that tap on another tag: BTCPay has seen its counter.
    pcsc.presentReplay();
    const next = await h.merchant.charge(coffee);
    expect((await flashErrorOf(h.merchant.cardPay(next.invoiceId))).code).toBe('MERCHANT_CARD_REPLAYED');

    pcsc.remove();
    await until('the card left', () => statuses.some((s) => !s.cardPresent) || null);
    expect((await flashErrorOf(h.merchant.cardPay(next.invoiceId))).code).toBe('MERCHANT_NO_CARD');
    pcsc.present('card-1');
    await until('the card is back', () => h.merchant.cardStatus().cardPresent || null);
    expect((await h.merchant.cardBalance()).sats).toBeLessThan(20_000);
  });

  it('says so when the stack’s reader goes away, and finds it again', async () => {
    const port = Number(new URL(pcsc.url).port);
    await pcsc.stop();
    await until('reader gone', () => h.merchant.cardStatus().problem !== null || null);
    expect(h.merchant.cardStatus().problem).toMatch(/not reachable/);
    expect((await flashErrorOf(h.merchant.cardBalance())).code).toBe('MERCHANT_NFC_UNAVAILABLE');
    pcsc = await startPcscServer({ port });
    await until('reader back', () => h.merchant.cardStatus().readers.length > 0 || null);
    expect(h.merchant.cardStatus()).toEqual({
      problem: null,
      readers: [pcsc.reader.name],
      cardPresent: true,
    });
  });
});
