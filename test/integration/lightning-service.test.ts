import path from 'node:path';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createLnurlHttp } from '../../main/lightning/lnurl/http';
import type { LightningService } from '../../main/lightning/service';
import { createLightningService } from '../../main/lightning/service';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';
import type { LedgerProviderControls } from '../support/ledger-provider';
import { ledgerKind } from '../support/ledger-provider';
import { tempDir } from '../support/core';
import { until } from '../support/wait';
import { LightningLedger } from '../stack/lightning/ledger';
import type { LnurlServer } from '../stack/lightning/lnurl-server';
import { startLnurlServer } from '../stack/lightning/lnurl-server';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ROOT = HDKey.fromMasterSeed(mnemonicToSeedSync(WORDS));

interface Harness {
  db: Db;
  vault: VaultService;
  lightning: LightningService;
  events: { name: EventName; payload: unknown }[];
}

let ledger: LightningLedger;
let lnurl: LnurlServer;
let dir: string;
const harnesses: Harness[] = [];
const waitFor = (fn: () => unknown) => until('the service to catch up', fn);

async function open(
  controls: LedgerProviderControls = {},
  reuse?: { db: Db; vault: VaultService },
): Promise<Harness> {
  const db = reuse?.db ?? openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const vault =
    reuse?.vault ?? createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  if (!reuse) await vault.setup('correct horse battery');
  const events: Harness['events'] = [];
  bus.onAny((name, payload) => events.push({ name, payload }));
  const lightning = createLightningService({
    db,
    vault,
    bus,
    log: silentLogger,
    network: () => 'regtest',
    kinds: { lnd: ledgerKind(ledger, 'me', controls) },
    proxy: () => null,
    walletRoot: () => ROOT,
    lnurlGet: createLnurlHttp({ network: () => 'regtest', proxy: () => null }),
    reconcileEveryMs: 50,
  });
  lightning.start();
  const h = { db, vault, lightning, events };
  harnesses.push(h);
  return h;
}

async function connected(h: Harness): Promise<string> {
  const view = await h.lightning.connectProvider({
    kind: 'lnd',
    lndconnect: 'lndconnect://ignored:1?macaroon=x',
  });
  expect(view).toMatchObject({ state: 'connected', isDefault: true });
  return view.id;
}

function events<E extends EventName>(h: Harness, name: E): EventPayload<E>[] {
  return h.events.filter((e) => e.name === name).map((e) => e.payload as EventPayload<E>);
}

async function rejects(p: Promise<unknown>, code: string): Promise<FlashError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(FlashError);
  expect((err as FlashError).code).toBe(code);
  return err as FlashError;
}

beforeEach(async () => {
  dir = tempDir('flash-ln-');
  ledger = new LightningLedger({ settleDelayMs: 5, stuckMs: 300 });
  ledger.createNode('me', { balanceMsat: 50_000_000n });
  ledger.createNode('shop', { balanceMsat: 50_000_000n });
  lnurl = await startLnurlServer({ ledger });
});

afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.lightning.stop();
    h.db.close();
  }
  await lnurl.stop();
  ledger.close();
});

describe('Lightning service over the fake network', () => {
  it('stores a connection with its secret in the vault, not in SQLite, and makes it the default', async () => {
    const h = await open();
    const id = await connected(h);
    const row = h.db.prepare('SELECT * FROM lightning_providers WHERE id = ?').get(id) as Record<
      string,
      unknown
    >;
    expect(JSON.stringify(row)).not.toContain('test-secret');
    expect(h.vault.hasSecret(`lightning.provider.${id}`)).toBe(true);
    expect(h.lightning.listProviders()).toHaveLength(1);
    await h.lightning.removeProvider(id);
    expect(h.vault.hasSecret(`lightning.provider.${id}`)).toBe(false);
    expect(h.lightning.listProviders()).toEqual([]);
  });

  it('refuses to save a connection that does not connect', async () => {
    const h = await open({ down: true });
    await rejects(
      h.lightning.connectProvider({ kind: 'lnd', lndconnect: 'lndconnect://x:1?macaroon=y' }),
      'LIGHTNING_UNREACHABLE',
    );
    expect(h.lightning.listProviders()).toEqual([]);
  });

  it('pays an invoice once: journaled, settled across the ledger, and never paid twice', async () => {
    const h = await open();
    await connected(h);
    const invoice = ledger.createInvoice('shop', { amountMsat: 2_000_000n, description: 'lunch' });
    const described = await h.lightning.describe(invoice.bolt11);
    expect(described).toMatchObject({
      kind: 'bolt11',
      amountMsat: '2000000',
      description: 'lunch',
      expired: false,
    });
    const prepared = await h.lightning.prepare({ text: `lightning:${invoice.bolt11}` });
    expect(prepared).toMatchObject({
      amountMsat: '2000000',
      feeIsLimit: true,
      feeMsat: '20000',
      description: 'lunch',
    });
    const paid = await h.lightning.confirm(prepared.prepareId);
    expect(paid).toMatchObject({ state: 'succeeded', preimage: invoice.preimage, feeMsat: '3000' });
    expect(ledger.balance('shop').balanceMsat).toBe(52_000_000n);
    await rejects(h.lightning.prepare({ text: invoice.bolt11 }), 'LIGHTNING_ALREADY_PAID');
    await rejects(h.lightning.confirm(prepared.prepareId), 'LIGHTNING_PREPARED_NOT_FOUND');
    expect(events(h, 'lightning.payment').map((p) => p.state)).toEqual(['pending', 'succeeded']);
  });

  it('a payment still being handed to a slow backend is not failed by the reconcile timer, nor paid twice', async () => {
    let release: () => void = () => {};
    const h = await open({ beforeSend: () => new Promise<void>((r) => (release = r)) });
    await connected(h);
    const invoice = ledger.createInvoice('shop', { amountMsat: 1_000_000n, description: 'slow' });
    const first = await h.lightning.prepare({ text: invoice.bolt11 });
    const paying = h.lightning.confirm(first.prepareId);
    // The timer runs every 50 ms; the backend has not heard of the payment yet.
    await new Promise((r) => setTimeout(r, 400));
    expect(events(h, 'lightning.payment').map((p) => p.state)).not.toContain('failed');
    await rejects(h.lightning.prepare({ text: invoice.bolt11 }), 'LIGHTNING_PAYMENT_IN_FLIGHT');
    release();
    expect(await paying).toMatchObject({ state: 'succeeded', preimage: invoice.preimage });
    expect(ledger.listPayments('me').filter((p) => p.paymentHash === invoice.paymentHash)).toHaveLength(1);
  });

  it('gives typed errors: no route, insufficient balance, expired, amount required, wrong network', async () => {
    let clock = Date.now();
    ledger = new LightningLedger({ settleDelayMs: 5, now: () => clock });
    ledger.createNode('me', { balanceMsat: 5_000_000n });
    ledger.createNode('shop');
    const h = await open();
    await connected(h);
    const big = ledger.createInvoice('shop', { amountMsat: 9_000_000n });
    const p1 = await h.lightning.prepare({ text: big.bolt11 });
    const e1 = await rejects(h.lightning.confirm(p1.prepareId), 'LIGHTNING_INSUFFICIENT_BALANCE');
    expect(h.lightning.getPayment(String(e1.details?.['paymentId']))).toMatchObject({
      state: 'failed',
      failure: 'insufficient-balance',
    });
    const small = ledger.createInvoice('shop', { amountMsat: 1_000_000n });
    const p2 = await h.lightning.prepare({ text: small.bolt11, maxFeeMsat: 1n });
    await rejects(h.lightning.confirm(p2.prepareId), 'LIGHTNING_NO_ROUTE');
    // A failed payment may be tried again, and then it goes through.
    const p3 = await h.lightning.prepare({ text: small.bolt11 });
    expect((await h.lightning.confirm(p3.prepareId)).state).toBe('succeeded');
    const open0 = ledger.createInvoice('shop', {});
    await rejects(h.lightning.prepare({ text: open0.bolt11 }), 'LIGHTNING_AMOUNT_REQUIRED');
    expect((await h.lightning.prepare({ text: open0.bolt11, amountMsat: 1000n })).amountMsat).toBe('1000');
    const soon = ledger.createInvoice('shop', { amountMsat: 1000n, expirySeconds: 60 });
    const p4 = await h.lightning.prepare({ text: soon.bolt11 });
    clock += 61_000;
    await rejects(h.lightning.confirm(p4.prepareId), 'LIGHTNING_EXPIRED');
    const other = new LightningLedger({ network: 'mainnet' });
    other.createNode('x');
    await rejects(
      h.lightning.prepare({ text: other.createInvoice('x', { amountMsat: 1000n }).bolt11 }),
      'LIGHTNING_WRONG_NETWORK',
    );
  });

  it('a crash between journal and send resumes without a double pay', async () => {
    // 1. The app dies after journaling, before the provider got the payment.
    const first = await open({
      afterSend: () => {
        throw new Error('unused');
      },
    });
    await connected(first);
    const invoice = ledger.createInvoice('shop', { amountMsat: 1_000_000n });
    const prepared = await first.lightning.prepare({ text: invoice.bolt11 });
    // Simulate death right after beginSend: journal a 'sending' row the way confirm does, then stop.
    const journalOnly = first.db
      .prepare(
        `INSERT INTO lightning_payments (id, payment_hash, direction, provider_id, provider_kind, network, state, amount_msat, created_at, updated_at)
         VALUES ('crashed', ?, 'outgoing', ?, 'lnd', 'regtest', 'sending', 1000000, ?, ?)`,
      )
      .run(
        invoice.paymentHash,
        prepared.providerId,
        Math.floor(Date.now() / 1000),
        Math.floor(Date.now() / 1000),
      );
    expect(journalOnly.changes).toBe(1);
    await rejects(first.lightning.confirm(prepared.prepareId), 'LIGHTNING_PAYMENT_IN_FLIGHT');
    await first.lightning.stop();

    // 2. Restart: the provider never heard of it, so it is failed (not sent), and may be paid now.
    const second = await open({}, { db: first.db, vault: first.vault });
    await waitFor(() => second.lightning.getPayment('crashed').state === 'failed');
    expect(second.lightning.getPayment('crashed').failure).toBe('unreachable');
    expect(ledger.lookupPayment('me', invoice.paymentHash)).toBeNull();

    // 3. The app dies after the provider took the payment, before the journal heard back.
    const third = await open(
      {
        afterSend: () => {
          throw new Error('process killed');
        },
      },
      { db: first.db, vault: first.vault },
    );
    await waitFor(() => third.lightning.listProviders()[0]?.state === 'connected');
    const again = await third.lightning.prepare({ text: invoice.bolt11 });
    const pending = await third.lightning.confirm(again.prepareId).catch((e: unknown) => e);
    // The provider's answer was lost: the payment is whatever the lookup says (paid), never resent.
    expect(pending).not.toBeInstanceOf(FlashError);
    await waitFor(() => third.lightning.getPayment('crashed').state === 'succeeded');
    await third.lightning.stop();
    const fourth = await open({}, { db: first.db, vault: first.vault });
    await waitFor(() => fourth.lightning.listProviders()[0]?.state === 'connected');
    await rejects(fourth.lightning.prepare({ text: invoice.bolt11 }), 'LIGHTNING_ALREADY_PAID');
    expect(ledger.listPayments('me').filter((p) => p.paymentHash === invoice.paymentHash)).toHaveLength(1);
    expect(ledger.balance('shop').balanceMsat).toBe(51_000_000n);
  });

  it('keeps a stuck payment pending, then records the failure when it comes', async () => {
    const h = await open();
    await connected(h);
    ledger.setFault('me', 'stuck-then-fail');
    const invoice = ledger.createInvoice('shop', { amountMsat: 1000n });
    const prepared = await h.lightning.prepare({ text: invoice.bolt11 });
    const confirming = h.lightning.confirm(prepared.prepareId).catch((e: unknown) => e);
    await waitFor(() => events(h, 'lightning.payment').some((p) => p.state === 'pending'));
    expect(await confirming).toBeInstanceOf(FlashError);
    const [row] = h.lightning.listPayments(10, 0);
    expect(row).toMatchObject({ state: 'failed', failure: 'timeout' });
  });

  it('receives: the invoice turns paid live, with an event', async () => {
    const h = await open();
    await connected(h);
    const created = await h.lightning.createInvoice({ amountMsat: 21_000n, description: 'tip jar' });
    expect(created.bolt11).toMatch(/^lnbcrt210n1/);
    await ledger.pay('shop', created.bolt11);
    await waitFor(() => events(h, 'lightning.invoicePaid').length === 1);
    expect(events(h, 'lightning.invoicePaid')[0]).toMatchObject({
      paymentHash: created.paymentHash,
      amountMsat: '21000',
    });
    expect(h.lightning.getPayment(created.paymentId)).toMatchObject({
      direction: 'incoming',
      state: 'succeeded',
    });
  });

  it('pays a Lightning address with a comment (LUD-16, LUD-12) and shows the success message (LUD-09)', async () => {
    const h = await open();
    await connected(h);
    const address = lnurl.address('coffee');
    const described = await h.lightning.describe(address);
    expect(described).toMatchObject({
      kind: 'lnurl-pay',
      address,
      pay: { description: 'Pay coffee', commentAllowed: 140, minSendableMsat: '1000', identifier: address },
    });
    const prepared = await h.lightning.prepare({
      text: address,
      amountMsat: 5000000n,
      comment: 'for the pizza 🍕',
    });
    expect(prepared).toMatchObject({
      payee: address,
      description: 'Pay coffee',
      comment: 'for the pizza 🍕',
    });
    const paid = await h.lightning.confirm(prepared.prepareId);
    expect(paid).toMatchObject({
      state: 'succeeded',
      successAction: { tag: 'message', message: 'Thanks for paying Pay coffee' },
    });
    expect(lnurl.received.at(-1)).toMatchObject({ amountMsat: '5000000', comment: 'for the pizza 🍕' });
    await rejects(
      h.lightning.prepare({ text: address, amountMsat: 5000000n, comment: 'x'.repeat(141) }),
      'LNURL_COMMENT_TOO_LONG',
    );
    await rejects(h.lightning.prepare({ text: address, amountMsat: 10n }), 'LIGHTNING_AMOUNT_OUT_OF_LIMITS');
  });

  it('LNURL-pay with an AES success action decrypts it with the preimage (LUD-10)', async () => {
    const h = await open();
    await connected(h);
    const link = lnurl.payLink({ success: 'aes', description: 'Voucher' });
    for (const text of [link.lnurl, link.lud17]) {
      const prepared = await h.lightning.prepare({ text, amountMsat: 100000n });
      const paid = await h.lightning.confirm(prepared.prepareId);
      const secret = lnurl.received.at(-1)?.secret;
      expect(secret).toMatch(/^code-/);
      expect(paid.successAction).toEqual({ tag: 'aes', description: 'Your voucher code', plaintext: secret });
    }
  });

  it('refuses an LNURL invoice that does not match the metadata or the amount, or an unknown success action', async () => {
    const h = await open();
    await connected(h);
    const address = lnurl.address('tips');
    lnurl.fault = 'bad-hash';
    await rejects(h.lightning.prepare({ text: address, amountMsat: 5000n }), 'LNURL_METADATA_MISMATCH');
    lnurl.fault = 'wrong-amount';
    await rejects(h.lightning.prepare({ text: address, amountMsat: 5000n }), 'LNURL_AMOUNT_MISMATCH');
    lnurl.fault = 'unknown-action';
    await rejects(h.lightning.prepare({ text: address, amountMsat: 5000n }), 'LNURL_UNSUPPORTED');
    lnurl.fault = 'error';
    const e = await rejects(h.lightning.describe(address), 'LNURL_SERVICE_ERROR');
    expect(e.details).toMatchObject({ reason: 'The service is in maintenance' });
    lnurl.fault = 'down';
    await rejects(h.lightning.describe(address), 'LNURL_BAD_RESPONSE');
    expect(ledger.listPayments('me')).toEqual([]);
  });

  it('LNURL-withdraw pays into our own invoice (LUD-03)', async () => {
    const h = await open();
    await connected(h);
    const link = lnurl.withdrawLink({ minMsat: 1000n, maxMsat: 50_000n, description: 'Faucet' });
    expect(await h.lightning.describe(link.lud17)).toMatchObject({
      kind: 'lnurl-withdraw',
      withdraw: { defaultDescription: 'Faucet', maxWithdrawableMsat: '50000' },
    });
    await rejects(h.lightning.withdraw(link.lnurl, 60_000n), 'LIGHTNING_AMOUNT_OUT_OF_LIMITS');
    const { invoice, paymentId } = await h.lightning.withdraw(link.lnurl, 40_000n);
    expect(invoice.amountMsat).toBe('40000');
    await waitFor(() => h.lightning.getPayment(paymentId).state === 'succeeded');
    expect(h.lightning.getPayment(paymentId)).toMatchObject({
      origin: 'lnurl-withdraw',
      counterparty: '127.0.0.1',
    });
    expect(ledger.balance('me').balanceMsat).toBe(50_040_000n);
    await rejects(h.lightning.withdraw(link.lnurl, 40_000n), 'LNURL_SERVICE_ERROR');
  });

  it('LNURL-auth signs in with the LUD-05 linking key of the domain (LUD-04)', async () => {
    const h = await open();
    const link = lnurl.authLink('login');
    expect(await h.lightning.describe(link.lnurl)).toEqual({
      kind: 'lnurl-auth',
      auth: { domain: '127.0.0.1', action: 'login' },
    });
    const result = await h.lightning.auth(link.lnurl);
    expect(lnurl.logins.get(link.k1)).toBe(result.linkingKey);
    expect(() => secp256k1.Point.fromHex(result.linkingKey)).not.toThrow();
    // Same words, same domain: same key; the challenge cannot be replayed.
    const second = lnurl.authLink();
    expect((await h.lightning.auth(second.lud17)).linkingKey).toBe(result.linkingKey);
    await rejects(h.lightning.auth(link.lnurl), 'LNURL_SERVICE_ERROR');
  });
});
