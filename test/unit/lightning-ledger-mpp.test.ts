import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerPayError } from '../stack/lightning/ledger';
import { LightningLedger } from '../stack/lightning/ledger';
import { startControlApi } from '../stack/control-api';
import { ledgerRoutes } from '../stack/lightning/routes';

/**
 * Multi-part payments on the stack's Lightning ledger (BOLT #4 basic_mpp): parts of one payment
 * hash from several payers are held by the payee until they sum to the invoice amount, then
 * settle together; an incomplete set fails whole after the MPP timeout; overpaying is refused.
 */
let ledger: LightningLedger;
afterEach(() => ledger?.close());

function threeNodes(mppTimeoutMs = 200) {
  ledger = new LightningLedger({ settleDelayMs: 1, stuckMs: 40, mppTimeoutMs });
  ledger.createNode('alice', { balanceMsat: 10_000_000n });
  ledger.createNode('carol', { balanceMsat: 10_000_000n });
  ledger.createNode('bob');
  return ledger;
}

describe('multi-part payments on the ledger', () => {
  it('settles the invoice once when the parts of two payers sum to its amount', async () => {
    threeNodes();
    const inv = ledger.createInvoice('bob', { amountMsat: 5_000_000n });
    const events: string[] = [];
    ledger.subscribe('bob', (e) => void events.push(e.type));
    const first = ledger.startPayment('alice', inv.bolt11, { partialMsat: 3_000_000n });
    // A part alone is held: in flight, and the invoice stays open.
    await new Promise((r) => setTimeout(r, 30));
    expect(ledger.lookupPayment('alice', first.paymentHash)?.state).toBe('in-flight');
    expect(ledger.lookupInvoice('bob', inv.paymentHash)?.state).toBe('open');
    expect(ledger.heldPartsMsat('bob', inv.paymentHash)).toBe(3_000_000n);

    const second = await ledger.pay('carol', inv.bolt11, { partialMsat: 2_000_000n });
    const firstDone = await ledger.waitForPayment('alice', first.paymentHash);
    expect(second.state).toBe('succeeded');
    expect(firstDone.state).toBe('succeeded');
    expect(firstDone.preimage).toBe(inv.preimage);
    expect(second.preimage).toBe(inv.preimage);

    const settled = ledger.lookupInvoice('bob', inv.paymentHash)!;
    expect(settled.state).toBe('settled');
    expect(settled.amountPaidMsat).toBe(5_000_000n);
    expect(events.filter((t) => t === 'invoice-settled')).toHaveLength(1);
    // Each payer pays its part plus its own routing fee (1000 msat + 1000 ppm).
    expect(ledger.balance('alice').balanceMsat).toBe(10_000_000n - 3_000_000n - 4_000n);
    expect(ledger.balance('carol').balanceMsat).toBe(10_000_000n - 2_000_000n - 3_000n);
    expect(ledger.balance('bob').balanceMsat).toBe(5_000_000n);
    expect(ledger.heldPartsMsat('bob', inv.paymentHash)).toBe(0n);
  });

  it('fails every held part after the MPP timeout when the set never completes', async () => {
    threeNodes(150);
    const inv = ledger.createInvoice('bob', { amountMsat: 5_000_000n });
    ledger.setFault('carol', 'stuck-then-fail');
    const first = ledger.startPayment('alice', inv.bolt11, { partialMsat: 3_000_000n });
    const second = ledger.startPayment('carol', inv.bolt11, { partialMsat: 2_000_000n });
    const [a, c] = await Promise.all([
      ledger.waitForPayment('alice', first.paymentHash),
      ledger.waitForPayment('carol', second.paymentHash),
    ]);
    expect(c).toMatchObject({ state: 'failed', failure: 'timeout' });
    expect(a).toMatchObject({ state: 'failed', failure: 'timeout', preimage: null });
    expect(ledger.lookupInvoice('bob', inv.paymentHash)?.state).toBe('open');
    expect(ledger.balance('alice')).toEqual({
      balanceMsat: 10_000_000n,
      spendableMsat: 10_000_000n,
      reservedMsat: 0n,
    });
    expect(ledger.balance('bob').balanceMsat).toBe(0n);
  });

  it('refuses a part that would take the set past the invoice amount, and keeps the rest held', async () => {
    threeNodes(5_000);
    const inv = ledger.createInvoice('bob', { amountMsat: 5_000_000n });
    const first = ledger.startPayment('alice', inv.bolt11, { partialMsat: 3_000_000n });
    await new Promise((r) => setTimeout(r, 20));
    const over = await ledger.pay('carol', inv.bolt11, { partialMsat: 2_500_000n });
    expect(over).toMatchObject({ state: 'failed', failure: 'incorrect-payment-details' });
    expect(ledger.lookupPayment('alice', first.paymentHash)?.state).toBe('in-flight');
    expect(ledger.heldPartsMsat('bob', inv.paymentHash)).toBe(3_000_000n);
    // The right remainder from another payer still completes the set.
    ledger.createNode('dave', { balanceMsat: 5_000_000n });
    const rest = await ledger.pay('dave', inv.bolt11, { partialMsat: 2_000_000n });
    expect(rest.state).toBe('succeeded');
    expect((await ledger.waitForPayment('alice', first.paymentHash)).state).toBe('succeeded');
    expect(ledger.lookupInvoice('bob', inv.paymentHash)?.amountPaidMsat).toBe(5_000_000n);
  });

  it('refuses a partial payment up front when the invoice does not allow MPP, has no amount, or is exceeded', () => {
    threeNodes();
    const noMpp = ledger.createInvoice('bob', { amountMsat: 5_000_000n, features: [8, 14] });
    const amountless = ledger.createInvoice('bob', {});
    const ok = ledger.createInvoice('bob', { amountMsat: 5_000_000n });
    const refused = (bolt11: string, partialMsat: bigint): LedgerPayError => {
      try {
        ledger.startPayment('alice', bolt11, { partialMsat });
      } catch (err) {
        return err as LedgerPayError;
      }
      throw new Error('expected a refusal');
    };
    expect(refused(noMpp.bolt11, 1_000_000n)).toMatchObject({
      failure: 'incorrect-payment-details',
      message: expect.stringContaining('basic_mpp'),
    });
    expect(refused(amountless.bolt11, 1_000_000n).failure).toBe('incorrect-payment-details');
    expect(refused(ok.bolt11, 5_000_001n).failure).toBe('incorrect-payment-details');
    expect(refused(ok.bolt11, 0n).failure).toBe('incorrect-payment-details');
    expect(ledger.listPayments('alice')).toHaveLength(0);
  });

  it('a full payment still settles alone, and fails parts already held for that invoice', async () => {
    threeNodes(5_000);
    const inv = ledger.createInvoice('bob', { amountMsat: 5_000_000n });
    const part = ledger.startPayment('alice', inv.bolt11, { partialMsat: 1_000_000n });
    await new Promise((r) => setTimeout(r, 20));
    const whole = await ledger.pay('carol', inv.bolt11);
    expect(whole.state).toBe('succeeded');
    expect(await ledger.waitForPayment('alice', part.paymentHash)).toMatchObject({
      state: 'failed',
      failure: 'already-paid',
    });
    expect(ledger.balance('alice').balanceMsat).toBe(10_000_000n);
    expect(ledger.lookupInvoice('bob', inv.paymentHash)?.amountPaidMsat).toBe(5_000_000n);
  });

  it('the control API pays in parts (partialMsat) and makes invoices without basic_mpp (mpp: false)', async () => {
    threeNodes();
    const api = await startControlApi({ routes: ledgerRoutes(ledger) });
    try {
      const post = async (path: string, body: unknown) => {
        const res = await fetch(api.url + path, { method: 'POST', body: JSON.stringify(body) });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      const inv = (await post('/lightning/invoice', { node: 'bob', sats: 5000 })).json;
      const first = await post('/lightning/pay', {
        node: 'alice',
        invoice: inv['bolt11'],
        partialMsat: '3000000',
        wait: false,
      });
      expect(first.json['state']).toBe('in-flight');
      const second = await post('/lightning/pay', {
        node: 'carol',
        invoice: inv['bolt11'],
        partialMsat: '2000000',
      });
      expect(second.json['state']).toBe('succeeded');
      expect(ledger.lookupInvoice('bob', String(inv['paymentHash']))?.state).toBe('settled');

      const single = (await post('/lightning/invoice', { node: 'bob', sats: 5000, mpp: false })).json;
      const refused = await post('/lightning/pay', {
        node: 'alice',
        invoice: single['bolt11'],
        partialMsat: '1000000',
      });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.json)).toContain('basic_mpp');
    } finally {
      await api.close();
    }
  });
});
