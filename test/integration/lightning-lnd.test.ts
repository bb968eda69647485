import https from 'node:https';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createLndKind } from '../../main/lightning/lnd/kind';
import { createLnurlHttp } from '../../main/lightning/lnurl/http';
import type { LightningService } from '../../main/lightning/service';
import { createLightningService } from '../../main/lightning/service';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';
import { tempDir } from '../support/core';
import { until } from '../support/wait';
import { LightningLedger } from '../stack/lightning/ledger';
import type { LndRestServer } from '../stack/lightning/lnd-rest';
import { startLndRest } from '../stack/lightning/lnd-rest';
import type { LnurlServer } from '../stack/lightning/lnurl-server';
import { startLnurlServer } from '../stack/lightning/lnurl-server';
import { generateTlsCredentials } from '../stack/tls';
import { HDKey } from '@scure/bip32';
import type { Socks5ProxySetting } from '../../shared/contract';
import { startSocks5Server } from '../stack/socks5';

interface Harness {
  db: Db;
  vault: VaultService;
  lightning: LightningService;
  events: { name: EventName; payload: unknown }[];
}

let ledger: LightningLedger;
let lnd: LndRestServer;
let lnurl: LnurlServer;
let dir: string;
const harnesses: Harness[] = [];
const waitFor = (fn: () => unknown) => until('the LND provider to catch up', fn);

let proxySetting: Socks5ProxySetting | null = null;

async function open(reuse?: { db: Db; vault: VaultService }): Promise<Harness> {
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
    kinds: { lnd: createLndKind({ proxy: () => proxySetting, timeoutMs: 5000 }) },
    proxy: () => proxySetting,
    walletRoot: () => HDKey.fromMasterSeed(new Uint8Array(32).fill(1)),
    lnurlGet: createLnurlHttp({ network: () => 'regtest', proxy: () => proxySetting }),
    reconcileEveryMs: 100,
  });
  lightning.start();
  const h = { db, vault, lightning, events };
  harnesses.push(h);
  return h;
}

function events<E extends EventName>(h: Harness, name: E): EventPayload<E>[] {
  return h.events.filter((e) => e.name === name).map((e) => e.payload as EventPayload<E>);
}

async function rejects(p: Promise<unknown>, code: string): Promise<FlashError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}, got ${String(err)}`).toBeInstanceOf(FlashError);
  expect((err as FlashError).code).toBe(code);
  return err as FlashError;
}

beforeEach(async () => {
  dir = tempDir('flash-lnd-');
  ledger = new LightningLedger({ settleDelayMs: 5, stuckMs: 400 });
  ledger.createNode('shop', { balanceMsat: 100_000_000n });
  lnd = await startLndRest({ ledger, fundsMsat: 50_000_000n });
  lnurl = await startLnurlServer({ ledger });
});

afterEach(async () => {
  proxySetting = null;
  for (const h of harnesses.splice(0)) {
    await h.lightning.stop();
    h.db.close();
  }
  await lnurl.stop();
  await lnd.stop();
  ledger.close();
  // Every request and answer on the wire matched LND's Swagger description.
  expect(lnd.violations, lnd.violations.join('\n')).toEqual([]);
});

describe('LND over REST against the stand-in', () => {
  it('connects with an lndconnect URI or host, tls.cert and macaroon; admin can pay and receive', async () => {
    const h = await open();
    const viaUri = await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    expect(viaUri).toMatchObject({
      kind: 'lnd',
      label: 'flash-stack-lnd',
      state: 'connected',
      pubkey: ledger.node('lnd').pubkey,
      network: 'regtest',
      endpoint: lnd.restAddress,
    });
    expect(viaUri.capabilities).toEqual(
      expect.arrayContaining(['pay-invoice', 'make-invoice', 'balance', 'notifications']),
    );
    const viaFields = await h.lightning.connectProvider({
      kind: 'lnd',
      label: 'My node',
      restAddress: lnd.restAddress,
      tlsCert: lnd.tls.cert,
      macaroon: lnd.macaroons.admin,
    });
    expect(viaFields).toMatchObject({ label: 'My node', isDefault: false, state: 'connected' });
    const s = await h.lightning.status();
    expect(s?.balance).toMatchObject({
      spendableMsat: '50000000',
      receivableMsat: '10000000000',
      onchainSats: 250_000,
    });
    // The macaroon is sealed in the vault; SQLite has the certificate (public) and the address only.
    const rows = JSON.stringify(h.db.prepare('SELECT * FROM lightning_providers').all());
    expect(rows).not.toContain(lnd.macaroons.admin.slice(20, 60));
  });

  it('pins the node certificate: another certificate is refused before the macaroon is sent', async () => {
    const h = await open();
    const other = await generateTlsCredentials('127.0.0.1');
    const before = lnd.requests.length;
    await rejects(
      h.lightning.connectProvider({
        kind: 'lnd',
        restAddress: lnd.restAddress,
        tlsCert: other.cert,
        macaroon: lnd.macaroons.admin,
      }),
      'LIGHTNING_CERT_MISMATCH',
    );
    expect(lnd.requests.length).toBe(before);
    expect(h.lightning.listProviders()).toEqual([]);
  });

  it('answers a bad macaroon with LND’s error, typed as unauthorized; bad input is a clear error', async () => {
    const h = await open();
    await rejects(
      h.lightning.connectProvider({
        kind: 'lnd',
        restAddress: lnd.restAddress,
        tlsCert: lnd.tls.cert,
        macaroon: lnd.foreignMacaroon,
      }),
      'LIGHTNING_UNAUTHORIZED',
    );
    await rejects(
      h.lightning.connectProvider({
        kind: 'lnd',
        restAddress: 'not a host!',
        tlsCert: lnd.tls.cert,
        macaroon: lnd.macaroons.admin,
      }),
      'LIGHTNING_BAD_CONNECTION',
    );
    await rejects(
      h.lightning.connectProvider({
        kind: 'lnd',
        restAddress: lnd.restAddress,
        tlsCert: 'x'.repeat(60),
        macaroon: lnd.macaroons.admin,
      }),
      'LIGHTNING_BAD_CONNECTION',
    );
    // The raw wire: LND's {code, message, details} for a macaroon signed by another root key.
    const body = await new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const req = https.request(
        {
          host: lnd.host,
          port: lnd.port,
          path: '/v1/getinfo',
          ca: lnd.tls.cert,
          checkServerIdentity: () => undefined,
          headers: { 'Grpc-Metadata-macaroon': lnd.foreignMacaroon },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(body).toEqual({
      status: 500,
      json: {
        code: 2,
        message: 'verification failed: signature mismatch after caveat verification',
        details: [],
      },
    });
  });

  it('an invoice + readonly macaroon receives and reads, and paying is not offered', async () => {
    const h = await open();
    // An invoice macaroon alone cannot call getinfo (info:read): LND answers "permission denied".
    await rejects(
      h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('invoice') }),
      'LIGHTNING_UNAUTHORIZED',
    );
    const view = await h.lightning.connectProvider({
      kind: 'lnd',
      lndconnect: lnd.lndconnect('invoiceReadonly'),
    });
    expect(view.capabilities).toContain('make-invoice');
    expect(view.capabilities).not.toContain('pay-invoice');
    const inv = ledger.createInvoice('shop', { amountMsat: 1000n });
    await rejects(h.lightning.prepare({ text: inv.bolt11 }), 'LIGHTNING_NOT_SUPPORTED');
    const created = await h.lightning.createInvoice({ amountMsat: 5000n, description: 'invoice-only' });
    expect(created.bolt11.startsWith('lnbcrt50n1')).toBe(true);
  });

  it('pays across the ledger with a fee limit (streamed /v2/router/send), and never twice', async () => {
    const h = await open();
    await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    const inv = ledger.createInvoice('shop', { amountMsat: 3_000_000n, description: 'groceries' });
    const prepared = await h.lightning.prepare({ text: inv.bolt11 });
    expect(prepared).toMatchObject({
      amountMsat: '3000000',
      feeMsat: '30000',
      feeIsLimit: true,
      paymentHash: inv.paymentHash,
    });
    const paid = await h.lightning.confirm(prepared.prepareId);
    expect(paid).toMatchObject({
      state: 'succeeded',
      preimage: inv.preimage,
      feeMsat: '4000',
      description: 'groceries',
    });
    expect(ledger.balance('shop').balanceMsat).toBe(103_000_000n);
    await rejects(h.lightning.prepare({ text: inv.bolt11 }), 'LIGHTNING_ALREADY_PAID');
    // Zero-amount invoice: the amount travels as amt_msat (a string, as the spec says).
    const open0 = ledger.createInvoice('shop', { description: 'any' });
    const p0 = await h.lightning.prepare({ text: open0.bolt11, amountMsat: 7000n });
    expect((await h.lightning.confirm(p0.prepareId)).amountMsat).toBe('7000');
    expect(lnd.requests.filter((r) => r === 'POST /v2/router/send')).toHaveLength(2);
  });

  it('types the node’s failures: no route within the fee limit, insufficient balance', async () => {
    const h = await open();
    await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    const inv = ledger.createInvoice('shop', { amountMsat: 1_000_000n });
    const p = await h.lightning.prepare({ text: inv.bolt11, maxFeeMsat: 10n });
    await rejects(h.lightning.confirm(p.prepareId), 'LIGHTNING_NO_ROUTE');
    const big = ledger.createInvoice('shop', { amountMsat: 90_000_000n });
    const p2 = await h.lightning.prepare({ text: big.bolt11 });
    await rejects(h.lightning.confirm(p2.prepareId), 'LIGHTNING_INSUFFICIENT_BALANCE');
  });

  it('receives: the invoice subscription turns the invoice Paid live', async () => {
    const h = await open();
    await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    const created = await h.lightning.createInvoice({
      amountMsat: 42_000n,
      description: 'coffee',
      expirySeconds: 600,
    });
    await ledger.pay('shop', created.bolt11);
    await waitFor(() => events(h, 'lightning.invoicePaid').length === 1);
    expect(h.lightning.getPayment(created.paymentId)).toMatchObject({
      state: 'succeeded',
      amountMsat: '42000',
    });
  });

  it('a payment stream lost mid-flight is looked up (TrackPaymentV2), settled, and not resent', async () => {
    const h = await open();
    await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    lnd.fault = 'drop-stream';
    const inv = ledger.createInvoice('shop', { amountMsat: 2_000n });
    const prepared = await h.lightning.prepare({ text: inv.bolt11 });
    const first = await h.lightning.confirm(prepared.prepareId);
    expect(['pending', 'succeeded']).toContain(first.state);
    lnd.fault = 'none';
    await waitFor(() => h.lightning.getPayment(first.id).state === 'succeeded');
    expect(h.lightning.getPayment(first.id).preimage).toBe(inv.preimage);
    expect(lnd.requests.filter((r) => r === 'POST /v2/router/send')).toHaveLength(1);
    expect(ledger.listPayments('lnd')).toHaveLength(1);
  });

  it('a crash between journal and send resumes without a double pay', async () => {
    const first = await open();
    const provider = await first.lightning.connectProvider({
      kind: 'lnd',
      lndconnect: lnd.lndconnect('admin'),
    });
    const inv = ledger.createInvoice('shop', { amountMsat: 5_000n });
    const now = Math.floor(Date.now() / 1000);
    // What confirm() journals before it calls the node, left by a process that died right then.
    first.db
      .prepare(
        `INSERT INTO lightning_payments (id, payment_hash, direction, provider_id, provider_kind, network, state, amount_msat, bolt11, created_at, updated_at)
         VALUES ('died', ?, 'outgoing', ?, 'lnd', 'regtest', 'sending', 5000, ?, ?, ?)`,
      )
      .run(inv.paymentHash, provider.id, inv.bolt11, now, now);
    await first.lightning.stop();
    const second = await open({ db: first.db, vault: first.vault });
    await waitFor(() => second.lightning.getPayment('died').state === 'failed');
    expect(ledger.listPayments('lnd')).toHaveLength(0);
    const p = await second.lightning.prepare({ text: inv.bolt11 });
    expect((await second.lightning.confirm(p.prepareId)).state).toBe('succeeded');
    await rejects(second.lightning.prepare({ text: inv.bolt11 }), 'LIGHTNING_ALREADY_PAID');
    expect(ledger.listPayments('lnd')).toHaveLength(1);
  });

  it('notices the node going down and coming back, and catches up on invoices paid meanwhile', async () => {
    const h = await open();
    const view = await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    const created = await h.lightning.createInvoice({ amountMsat: 9_000n, description: 'while away' });
    lnd.fault = 'down';
    await waitFor(() => h.lightning.listProviders()[0]?.state !== 'connected');
    await ledger.pay('shop', created.bolt11);
    lnd.fault = 'none';
    await until('reconnect', () => h.lightning.listProviders()[0]?.state === 'connected', 20_000);
    await waitFor(() => h.lightning.getPayment(created.paymentId).state === 'succeeded');
    expect(view.id).toBe(h.lightning.listProviders()[0]?.id);
  });

  it('pays a Lightning address with a comment and an AES success action through LND', async () => {
    const h = await open();
    await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    const prepared = await h.lightning.prepare({
      text: lnurl.address('coffee'),
      amountMsat: 21_000n,
      comment: 'gracias',
    });
    const paid = await h.lightning.confirm(prepared.prepareId);
    expect(paid).toMatchObject({
      state: 'succeeded',
      comment: 'gracias',
      counterparty: lnurl.address('coffee'),
    });
    expect(lnurl.received.at(-1)).toMatchObject({ comment: 'gracias', amountMsat: '21000' });
    const link = lnurl.payLink({ success: 'aes' });
    const p2 = await h.lightning.prepare({ text: link.lnurl, amountMsat: 5_000n });
    const paid2 = await h.lightning.confirm(p2.prepareId);
    expect(paid2.successAction).toEqual({
      tag: 'aes',
      description: 'Your voucher code',
      plaintext: lnurl.received.at(-1)?.secret,
    });
  });

  it('LNURL-withdraw into an invoice made by LND', async () => {
    const h = await open();
    await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
    const link = lnurl.withdrawLink({ minMsat: 1_000n, maxMsat: 100_000n });
    const { paymentId } = await h.lightning.withdraw(link.lud17, 100_000n);
    await waitFor(() => h.lightning.getPayment(paymentId).state === 'succeeded');
    expect(ledger.balance('lnd').balanceMsat).toBe(50_100_000n);
  });

  it('goes through the SOCKS5 proxy when one is set: the node and LNURL services, certificate still pinned', async () => {
    const proxy = await startSocks5Server();
    try {
      proxySetting = { host: proxy.host, port: proxy.port };
      const h = await open();
      await h.lightning.connectProvider({ kind: 'lnd', lndconnect: lnd.lndconnect('admin') });
      const prepared = await h.lightning.prepare({ text: lnurl.address('tips'), amountMsat: 3_000n });
      expect((await h.lightning.confirm(prepared.prepareId)).state).toBe('succeeded');
      expect(proxy.targets).toContain(lnd.restAddress);
      expect(proxy.targets).toContain(`127.0.0.1:${new URL(lnurl.url).port}`);
      const other = await generateTlsCredentials('127.0.0.1');
      await rejects(
        h.lightning.connectProvider({
          kind: 'lnd',
          restAddress: lnd.restAddress,
          tlsCert: other.cert,
          macaroon: lnd.macaroons.admin,
        }),
        'LIGHTNING_CERT_MISMATCH',
      );
    } finally {
      await proxy.close();
    }
  });

  it('the stand-in refuses requests that break the description, and records them', async () => {
    const send = (body: unknown) =>
      new Promise<number>((resolve, reject) => {
        const payload = JSON.stringify(body);
        const req = https.request(
          {
            host: lnd.host,
            port: lnd.port,
            path: '/v2/router/send',
            method: 'POST',
            ca: lnd.tls.cert,
            checkServerIdentity: () => undefined,
            headers: { 'Grpc-Metadata-macaroon': lnd.macaroons.admin, 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    expect(await send({ payment_request: 'lnbcrt1x', amt_msat: 1000, timeout_seconds: 60 })).toBe(400);
    expect(await send({ payment_request: 'lnbcrt1x', fee_limit: '1', timeout_seconds: 60 })).toBe(400);
    expect(lnd.violations).toEqual([
      'Router_SendPaymentV2 request: body.amt_msat: expected a string (int64), got number',
      'Router_SendPaymentV2 request: body.fee_limit: not in the schema',
    ]);
    (lnd.violations as string[]).length = 0;
  });
});
