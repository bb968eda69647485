import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hexToBytes } from '../../main/merchant/boltcard/ntag424-crypto';
import { signWebhookBody } from '../stack/btcpay/webhooks';
import { loadSpecValidator } from '../stack/btcpay/spec-validator';
import { allows, endpointPolicy } from '../stack/btcpay/permissions';
import type { BtcpayServer } from '../stack/btcpay/server';
import { startBtcpayServer } from '../stack/btcpay/server';
import { seedDemoShop } from '../stack/btcpay/state';
import { RegtestChain } from '../stack/chain';

const SHARED = path.resolve(import.meta.dirname, '../../../shared/btcpay');
const webhook = JSON.parse(fs.readFileSync(path.join(SHARED, 'webhook-fixture.json'), 'utf8')) as {
  secret: string;
  headers: Record<string, string>;
  rawBodyUtf8: string;
  negative: { wrongSecret: string };
};
const boltcard = JSON.parse(fs.readFileSync(path.join(SHARED, 'boltcard-fixture.json'), 'utf8')) as {
  input: { issuerKey: string; pullPaymentId: string; uid: string };
  expectedRegisterResponse: Record<string, string | number>;
  taps: { counter: number; p: string; c: string }[];
  negative: { tamperedC: string };
};

describe('webhook signature (webhook-fixture.json)', () => {
  it('is sha256=HMAC-SHA256(secret, raw body)', () => {
    expect(signWebhookBody(webhook.secret, webhook.rawBodyUtf8)).toBe(webhook.headers['BTCPay-Sig']);
    expect(signWebhookBody(webhook.negative.wrongSecret, webhook.rawBodyUtf8)).not.toBe(
      webhook.headers['BTCPay-Sig'],
    );
    expect(signWebhookBody(webhook.secret, `${webhook.rawBodyUtf8} `)).not.toBe(
      webhook.headers['BTCPay-Sig'],
    );
  });
});

describe('the spec validator', () => {
  const spec = loadSpecValidator();
  it('reads allOf as the union of its parts and catches extra or mistyped fields', () => {
    const m = spec.match('GET', '/api/v1/invoices/abc')!;
    expect(m.op.operationId).toBe('Invoices_GetInvoice');
    expect(
      spec.checkResponse(m.op, 200, { id: 'abc', metadata: { orderId: 'x' }, checkout: null, status: 'New' }),
    ).toEqual([]);
    expect(spec.checkResponse(m.op, 200, { id: 'abc', surprise: true }).length).toBeGreaterThan(0);
    expect(spec.checkResponse(m.op, 200, { id: 'abc', status: 'Paid' }).length).toBeGreaterThan(0);
  });
  it('checks request bodies: an amount must be a decimal string', () => {
    const m = spec.match('POST', '/api/v1/stores/s/invoices')!;
    expect(
      spec.checkRequest(m.op, new URL('http://x/'), m.params, { amount: '1.50', currency: 'USD' }),
    ).toEqual([]);
    expect(spec.checkRequest(m.op, new URL('http://x/'), m.params, { amount: 1.5 }).length).toBeGreaterThan(
      0,
    );
  });
});

describe('permissions as BTCPay’s code enforces them (the TSV’s controller column)', () => {
  it('uses the code’s policy where the spec says otherwise', () => {
    // The spec asks cancreatepullpayments for refunds; the code asks the non-approved kind.
    expect(endpointPolicy('POST', '/api/v1/invoices/{invoiceId}/refund')).toEqual({
      kind: 'policy',
      policy: 'btcpay.store.cancreatenonapprovedpullpayments',
    });
    expect(endpointPolicy('GET', '/api/v1/api-keys/current')).toEqual({ kind: 'authenticated' });
    expect(endpointPolicy('POST', '/api/v1/pull-payments/{pullPaymentId}/boltcards')).toEqual({
      kind: 'anonymous',
    });
    expect(allows(['btcpay.store.canmodifystoresettings'], 'btcpay.store.canviewpullpayments', 'S')).toBe(
      true,
    );
  });
});

describe('Bolt cards on the stand-in (boltcard-fixture.json)', () => {
  let server: BtcpayServer;
  let seed: ReturnType<typeof seedDemoShop>;
  beforeEach(async () => {
    server = await startBtcpayServer({
      chain: new RegtestChain({ initialBlocks: 1 }),
      issuerKey: hexToBytes(boltcard.input.issuerKey),
    });
    seed = seedDemoShop(server.state);
    server.state.pullPayments.set(boltcard.input.pullPaymentId, {
      id: boltcard.input.pullPaymentId,
      storeId: seed.store.id,
      name: 'Card',
      description: '',
      currency: 'BTC',
      amount: '0.001',
      bolt11Expiration: 30,
      autoApproveClaims: true,
      archived: false,
      startsAt: 0,
      expiresAt: null,
      payoutMethods: ['BTC-LN'],
      payouts: [],
    });
  });
  afterEach(async () => {
    server.assertNoSpecIssues();
    await server.close();
  });

  it('registers a card with the keys BTCPay derives, and a tap is read only while its counter goes up', async () => {
    const res = await fetch(`${server.url}/api/v1/pull-payments/${boltcard.input.pullPaymentId}/boltcards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ UID: boltcard.input.uid }),
    });
    expect(res.status).toBe(200);
    const keys = (await res.json()) as Record<string, string | number>;
    for (const k of ['K0', 'K1', 'K2', 'K3', 'K4', 'version'])
      expect(keys[k]).toBe(boltcard.expectedRegisterResponse[k]);
    expect(keys['LNURLW']).toBe(`${server.url.replace('http://', 'lnurlw://')}/boltcard`);
    // Without a Lightning node on the stand-in the tap checks out but there is nothing to pay with.
    const tap = (i: number) => `${server.url}/boltcard?p=${boltcard.taps[i]!.p}&c=${boltcard.taps[i]!.c}`;
    expect((await fetch(tap(0))).status).toBe(404);
    // A wrong c, and a counter not above the stored one, are refused as BTCPay refuses them.
    const tampered = await fetch(`${server.url}/boltcard?${boltcard.negative.tamperedC.split('?')[1]}`);
    expect(await tampered.json()).toEqual({ status: 'ERROR', reason: 'Replayed or expired query' });
    const reg = [...server.state.boltcards.values()][0]!;
    reg.counter = 2;
    expect(await (await fetch(tap(0))).json()).toEqual({
      status: 'ERROR',
      reason: 'Replayed or expired query',
    });
    expect(await (await fetch(tap(1))).json()).toEqual({
      status: 'ERROR',
      reason: 'Replayed or expired query',
    });
    expect((await fetch(tap(2))).status).toBe(404);
  });

  it('relinks a card as BTCPay’s upsert does: KeepVersion keeps the version, the keys follow the pull payment', async () => {
    const link = async (ppId: string, onExisting?: string) =>
      (await (
        await fetch(`${server.url}/api/v1/pull-payments/${ppId}/boltcards`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ UID: boltcard.input.uid, ...(onExisting ? { onExisting } : {}) }),
        })
      ).json()) as Record<string, string | number>;
    const first = await link(boltcard.input.pullPaymentId);
    expect(first['K0']).toBe(boltcard.expectedRegisterResponse['K0']);
    expect(await link(boltcard.input.pullPaymentId, 'KeepVersion')).toEqual(first);
    const other = {
      ...server.state.pullPayments.get(boltcard.input.pullPaymentId)!,
      id: 'SecondPullPayment',
    };
    server.state.pullPayments.set(other.id, other);
    const moved = await link(other.id, 'KeepVersion');
    expect(moved['version']).toBe(first['version']);
    expect(moved['K0']).not.toBe(first['K0']);
    expect([...server.state.boltcards.values()][0]?.pullPaymentId).toBe(other.id);
    expect((await link(other.id))['version']).toBe(Number(first['version']) + 1);
  });

  it('lists a store’s payouts (GET /stores/{id}/payouts) with the code’s policy, cancelled ones on request', async () => {
    const pp = server.state.pullPayments.get(boltcard.input.pullPaymentId)!;
    const payout = (id: string, state: 'Completed' | 'Cancelled') => ({
      id,
      revision: 0,
      pullPaymentId: pp.id,
      date: 1_700_000_000,
      destination: 'lnbcrt1',
      originalCurrency: 'BTC',
      originalAmount: '0.00001000',
      payoutCurrency: 'BTC',
      payoutAmount: '0.00001000',
      payoutMethodId: 'BTC-LN',
      state,
      metadata: {},
    });
    pp.payouts.push(payout('paid', 'Completed'), payout('gone', 'Cancelled'));
    const get = (key: string | null, query = '') =>
      fetch(`${server.url}/api/v1/stores/${seed.store.id}/payouts${query}`, {
        headers: key ? { authorization: `token ${key}` } : {},
      });
    const listed = (await (await get(seed.adminKey.apiKey)).json()) as { id: string; state: string }[];
    expect(listed.map((p) => [p.id, p.state])).toEqual([['paid', 'Completed']]);
    const all = (await (await get(seed.adminKey.apiKey, '?includeCancelled=true')).json()) as {
      id: string;
    }[];
    expect(all.map((p) => p.id)).toEqual(['paid', 'gone']);
    expect((await get(null)).status).toBe(401);
    const invoicesOnly = server.state.createKey(seed.user.id, ['btcpay.store.cancreateinvoice'], 'narrow');
    const refused = await get(invoicesOnly.apiKey);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ missingPermission: 'btcpay.store.canviewpayouts' });
  });
});
