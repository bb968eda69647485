import { afterEach, describe, expect, it } from 'vitest';
import { decodeBolt11 } from '../../shared/lightning/bolt11';
import { sha256 } from '@noble/hashes/sha2.js';
import type { LedgerEvent } from '../stack/lightning/ledger';
import { LedgerPayError, LightningLedger } from '../stack/lightning/ledger';
import { startControlApi } from '../stack/control-api';
import { ledgerRoutes } from '../stack/lightning/routes';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let ledger: LightningLedger;
afterEach(() => ledger?.close());

function twoNodes(opts: ConstructorParameters<typeof LightningLedger>[0] = {}) {
  ledger = new LightningLedger({ settleDelayMs: 1, stuckMs: 40, ...opts });
  ledger.createNode('alice', { balanceMsat: 10_000_000n });
  ledger.createNode('bob');
  return ledger;
}

describe('fake Lightning ledger', () => {
  it('makes real regtest BOLT11 invoices signed by the node key, amount in the prefix', () => {
    twoNodes();
    const inv = ledger.createInvoice('bob', {
      amountMsat: 2_500_000n,
      description: 'coffee',
      expirySeconds: 600,
    });
    expect(inv.bolt11.startsWith('lnbcrt25u1')).toBe(true);
    const d = decodeBolt11(inv.bolt11);
    expect(d.network).toBe('regtest');
    expect(d.amountMsat).toBe(2_500_000n);
    expect(d.description).toBe('coffee');
    expect(d.expirySeconds).toBe(600);
    expect(d.payeeNodeKey).toBe(ledger.node('bob').pubkey);
    expect(d.paymentHash).toBe(hex(sha256(Buffer.from(inv.preimage, 'hex'))));
    expect(d.paymentSecret).toBe(inv.paymentSecret);
    expect(d.minFinalCltvExpiry).toBe(80);
    expect(d.features).toEqual([8, 14, 17]);
  });

  it('node keys are the same every run', () => {
    const a = new LightningLedger();
    const b = new LightningLedger();
    expect(a.createNode('x').pubkey).toBe(b.createNode('x').pubkey);
  });

  it('commits to a description hash when asked', () => {
    twoNodes();
    const h = hex(sha256(new TextEncoder().encode('[["text/plain","hi"]]')));
    const inv = ledger.createInvoice('bob', { amountMsat: 1000n, descriptionHash: h });
    expect(decodeBolt11(inv.bolt11).descriptionHash).toBe(h);
    expect(decodeBolt11(inv.bolt11).description).toBeNull();
  });

  it('settles across nodes with the fee schedule, reveals the preimage, emits events on both sides', async () => {
    twoNodes();
    const events: LedgerEvent['type'][] = [];
    ledger.subscribe('bob', (e) => events.push(e.type));
    const inv = ledger.createInvoice('bob', { amountMsat: 1_000_000n, description: 'x' });
    const started = ledger.startPayment('alice', inv.bolt11, { maxFeeMsat: 10_000n });
    expect(started.state).toBe('in-flight');
    expect(ledger.balance('alice').spendableMsat).toBe(10_000_000n - 1_000_000n - 2_000n);
    const done = await ledger.waitForPayment('alice', inv.paymentHash);
    expect(done.state).toBe('succeeded');
    expect(done.preimage).toBe(inv.preimage);
    expect(done.feeMsat).toBe(1000n + 1000n); // base 1000 msat + 1000 ppm of 1,000,000
    expect(ledger.balance('alice').balanceMsat).toBe(10_000_000n - 1_002_000n);
    expect(ledger.balance('bob').balanceMsat).toBe(1_000_000n);
    expect(ledger.lookupInvoice('bob', inv.paymentHash)?.state).toBe('settled');
    expect(events).toEqual(['invoice-created', 'invoice-settled']);
  });

  it('refuses an already paid invoice, an expired one, a wrong network and a missing amount', async () => {
    let clock = 1_700_000_000_000;
    twoNodes({ now: () => clock });
    const inv = ledger.createInvoice('bob', { amountMsat: 1000n, expirySeconds: 60 });
    await ledger.pay('alice', inv.bolt11);
    expect(() => ledger.startPayment('alice', inv.bolt11)).toThrow(LedgerPayError);
    const late = ledger.createInvoice('bob', { amountMsat: 1000n, expirySeconds: 60 });
    clock += 61_000;
    expect(() => ledger.startPayment('alice', late.bolt11)).toThrowError(/expired/);
    expect(ledger.lookupInvoice('bob', late.paymentHash)?.state).toBe('canceled');
    const open = ledger.createInvoice('bob', {});
    expect(() => ledger.startPayment('alice', open.bolt11)).toThrowError(/amount must be specified/);
    const other = new LightningLedger({ network: 'mainnet' });
    other.createNode('carol');
    const mainnetInvoice = other.createInvoice('carol', { amountMsat: 1000n });
    try {
      ledger.startPayment('alice', mainnetInvoice.bolt11);
      expect.unreachable();
    } catch (err) {
      expect((err as LedgerPayError).failure).toBe('wrong-network');
    }
  });

  it('fails in flight for no route, fee limit, unknown payee and insufficient balance', async () => {
    twoNodes();
    const big = ledger.createInvoice('bob', { amountMsat: 20_000_000n });
    expect((await ledger.pay('alice', big.bolt11)).failure).toBe('insufficient-balance');
    const small = ledger.createInvoice('bob', { amountMsat: 1_000_000n });
    expect((await ledger.pay('alice', small.bolt11, { maxFeeMsat: 1n })).failure).toBe('no-route');
    ledger.setFault('alice', 'no-route');
    expect((await ledger.pay('alice', small.bolt11)).failure).toBe('no-route');
    ledger.setFault('alice', 'none');
    // A retry after a failure is allowed and succeeds.
    expect((await ledger.pay('alice', small.bolt11)).state).toBe('succeeded');
    const stranger = new LightningLedger();
    stranger.createNode('dave');
    const elsewhere = stranger.createInvoice('dave', { amountMsat: 1000n });
    expect((await ledger.pay('alice', elsewhere.bolt11)).failure).toBe('no-route');
    expect(ledger.balance('alice').reservedMsat).toBe(0n);
  });

  it('keeps a payment stuck in flight, then fails it with timeout and releases the funds', async () => {
    twoNodes();
    ledger.setFault('alice', 'stuck-then-fail');
    const inv = ledger.createInvoice('bob', { amountMsat: 5000n });
    ledger.startPayment('alice', inv.bolt11);
    await new Promise((r) => setTimeout(r, 15));
    expect(ledger.lookupPayment('alice', inv.paymentHash)?.state).toBe('in-flight');
    expect(() => ledger.startPayment('alice', inv.bolt11)).toThrowError(/in transition/);
    const done = await ledger.waitForPayment('alice', inv.paymentHash);
    expect(done.failure).toBe('timeout');
    expect(ledger.balance('alice').spendableMsat).toBe(10_000_000n);
    expect(ledger.lookupInvoice('bob', inv.paymentHash)?.state).toBe('open');
  });

  it('expires an invoice while the payment is in flight', async () => {
    twoNodes();
    ledger.setFault('alice', 'expire-mid-pay');
    const inv = ledger.createInvoice('bob', { amountMsat: 5000n, expirySeconds: 1 });
    ledger.startPayment('alice', inv.bolt11);
    expect((await ledger.waitForPayment('alice', inv.paymentHash)).failure).toBe('expired');
  });

  it('serves its control routes with msat as strings', async () => {
    twoNodes();
    const api = await startControlApi({ routes: ledgerRoutes(ledger) });
    try {
      const post = async (path: string, body: unknown) => {
        const res = await fetch(api.url + path, { method: 'POST', body: JSON.stringify(body) });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };
      expect((await post('/lightning/node', { name: 'carol', sats: 5 })).json['balanceMsat']).toBe('5000');
      const inv = await post('/lightning/invoice', { node: 'carol', sats: 2, description: 'tip' });
      expect(String(inv.json['bolt11'])).toMatch(/^lnbcrt20n1/);
      const paid = await post('/lightning/pay', { node: 'alice', invoice: inv.json['bolt11'] });
      expect(paid.json['state']).toBe('succeeded');
      expect((await post('/lightning/pay', { node: 'alice', invoice: inv.json['bolt11'] })).status).toBe(400);
      expect((await post('/lightning/fault', { node: 'alice', mode: 'bogus' })).status).toBe(400);
      const listed = (await (await fetch(`${api.url}/lightning/payments?node=alice`)).json()) as {
        payments: unknown[];
      };
      expect(listed.payments).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});
