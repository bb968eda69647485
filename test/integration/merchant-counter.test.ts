import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sale } from '../../shared/contract/merchant';
import { FlashError } from '../../shared/errors';
import { extractText } from 'unpdf';
import {
  aesCbc,
  bytesToHex,
  encodePicc,
  hexToBytes,
  sunMac,
} from '../../main/merchant/boltcard/ntag424-crypto';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import { flashErrorOf, stopAfterSpecCheck } from '../support/merchant-counter';
import { until } from '../support/wait';

let h: MerchantHarness;

beforeEach(async () => {
  h = await startMerchantHarness();
});

afterEach(() => stopAfterSpecCheck(h));

const cart = {
  lines: [
    { itemId: 'latte', count: 2 },
    { itemId: 'croissant', count: 1 },
  ],
  discountPercent: '10',
  tipAmount: null,
  tipPercent: '15',
  note: 'table 4',
};

describe('connecting a store', () => {
  it('checks the key with GET /api-keys/current and seals it in the vault', async () => {
    const status = await h.merchant.connect(`${h.btcpay.url}/`, h.btcpay.seed.adminKey.apiKey);
    expect(status.connection?.serverUrl).toBe(h.btcpay.url);
    expect(status.connection?.permissions).toEqual(['unrestricted']);
    expect(status.connection?.features.every((f) => f.ok)).toBe(true);
    expect(new TextDecoder().decode(h.vault.getSecret('merchant.btcpayApiKey'))).toBe(
      h.btcpay.seed.adminKey.apiKey,
    );
    // The key is not stored anywhere in the database file outside the vault's sealed blob.
    const row = h.db.prepare('SELECT * FROM merchant_connection').get();
    expect(JSON.stringify(row)).not.toContain(h.btcpay.seed.adminKey.apiKey);

    const stores = await h.merchant.listStores();
    expect(stores.map((s) => s.name)).toEqual(['Flash Coffee']);
    const apps = await h.merchant.listApps(stores[0]!.id);
    expect(apps).toEqual([{ id: h.btcpay.seed.app.id, name: 'Counter', type: 'PointOfSale' }]);
    const picked = await h.merchant.selectApp(stores[0]!.id, apps[0]!.id);
    expect(picked.connection?.appName).toBe('Flash Coffee counter');
  });

  it('names what a cashier-only key is missing for refunds and setup, and BTCPay refuses them', async () => {
    const cashierKey = h.btcpay.server.state.createKey(
      h.btcpay.seed.user.id,
      [
        `btcpay.store.cancreateinvoice:${h.btcpay.seed.store.id}`,
        `btcpay.store.canviewstoresettings:${h.btcpay.seed.store.id}`,
      ],
      'cashier',
    );
    const status = await h.merchant.connect(h.btcpay.url, cashierKey.apiKey);
    const byFeature = Object.fromEntries(status.connection!.features.map((f) => [f.feature, f]));
    expect(byFeature['cashier']).toEqual({ feature: 'cashier', ok: true, missing: [] });
    expect(byFeature['rewardsRefunds']?.missing).toEqual(['btcpay.store.cancreatepullpayments']);
    expect(byFeature['setup']?.missing).toEqual(['btcpay.store.canmodifystoresettings']);
    // Listing a store's apps needs canmodifystoresettings in BTCPay's code: 403, with the permission.
    const err = await flashErrorOf(h.merchant.listApps(h.btcpay.seed.store.id));
    expect(err.code).toBe('MERCHANT_FORBIDDEN');
    expect(err.details?.['permission']).toBe('btcpay.store.canmodifystoresettings');
  });

  it('refuses a wrong key (401) and stores nothing', async () => {
    const err = await flashErrorOf(h.merchant.connect(h.btcpay.url, 'f'.repeat(40)));
    expect(err.code).toBe('MERCHANT_BAD_KEY');
    expect(h.merchant.status().connection).toBeNull();
    expect(h.vault.hasSecret('merchant.btcpayApiKey')).toBe(false);
  });

  it('reports a server that is down, slow, or answers 401/403 for everything', async () => {
    await connectDemoShop(h);
    h.btcpay.server.fault = 'down';
    expect((await flashErrorOf(h.merchant.listStores())).code).toBe('MERCHANT_UNREACHABLE');
    h.btcpay.server.fault = 'unauthorized';
    expect((await flashErrorOf(h.merchant.listStores())).code).toBe('MERCHANT_BAD_KEY');
    h.btcpay.server.fault = 'forbidden';
    const forbidden = await flashErrorOf(h.merchant.listStores());
    expect(forbidden.code).toBe('MERCHANT_FORBIDDEN');
    expect(forbidden.details?.['permission']).toBe('btcpay.store.canviewstoresettings');
    h.btcpay.server.fault = 'none';
  });

  it('times out on a slow server', async () => {
    await h.stop();
    h = await startMerchantHarness({ timeoutMs: 300 });
    await connectDemoShop(h);
    h.btcpay.server.fault = 'slow';
    h.btcpay.server.slowMs = 1000;
    expect((await flashErrorOf(h.merchant.listStores())).code).toBe('MERCHANT_TIMEOUT');
    h.btcpay.server.fault = 'none';
  });

  it('connects through BTCPay’s authorize page and a one-time loopback redirect', async () => {
    const { url } = await h.merchant.startAuthorize(h.btcpay.url);
    const authorize = new URL(url);
    expect(authorize.pathname).toBe('/api-keys/authorize');
    const redirect = authorize.searchParams.get('redirect')!;
    expect(redirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/btcpay-authorized\/[0-9a-f]{32}$/);
    // The user's browser: the consent form, then BTCPay's auto-submitted POST to the redirect.
    const page = await (await fetch(url)).text();
    expect(page).toContain('Authorize Flash counter');
    const consent = new URLSearchParams();
    for (const p of authorize.searchParams.getAll('permissions')) consent.append('permissions', p);
    consent.set('applicationName', 'Flash counter');
    consent.set('redirect', redirect);
    consent.set('selectiveStores', 'true');
    consent.set('storeId', h.btcpay.seed.store.id);
    consent.set('command', 'Approve');
    const answer = await (
      await fetch(`${h.btcpay.url}/api-keys/authorize`, { method: 'POST', body: consent })
    ).text();
    const fields = new URLSearchParams();
    for (const m of answer.matchAll(/name="([^"]+)" value="([^"]*)"/g)) fields.append(m[1]!, m[2]!);
    expect(answer).toContain(`action="${redirect}"`);
    const posted = await fetch(redirect, { method: 'POST', body: fields });
    expect(posted.status).toBe(200);
    const status = await until('the authorized key', () => h.merchant.status().connection);
    expect(status.permissions).toContain(`btcpay.store.canmodifystoresettings:${h.btcpay.seed.store.id}`);
    expect(status.features.every((f) => f.ok)).toBe(true);
    // One time only: the listener is gone.
    await expect(fetch(redirect, { method: 'POST', body: fields })).rejects.toThrow();
  });
});

describe('the counter', () => {
  beforeEach(() => connectDemoShop(h));

  it('reads the POS app: items, categories, tips, discount', async () => {
    const counter = await h.merchant.getCounter();
    expect(counter.currency).toBe('USD');
    expect(counter.decimals).toBe(2);
    expect(counter.items.map((i) => i.id)).toContain('latte');
    expect(counter.categories).toEqual(['Coffee', 'Tea', 'Bakery', 'Other']);
    expect(counter.enableTips).toBe(true);
    expect(counter.tipPercentages).toEqual([10, 15, 20]);
    expect(counter.items.find((i) => i.id === 'croissant')?.taxRate).toBe('5');
    expect(counter.rate).toBe('65000');
  });

  it('creates the invoice with BTCPay POS totals, posData and receiptData, and one BIP21 QR', async () => {
    await h.merchant.setTaxSettings({ defaultTaxRate: '10', taxIncluded: false, tipTaxRate: '0' });
    const sale = await h.merchant.charge(cart);
    // 2 × 4.25 + 3.10 = 11.60; 10% off per line: 0.85 + 0.31; tax 10% on 7.65 = 0.77, 5% on 2.79 = 0.14;
    // subtotal 10.44, tip 15% of it = 1.57; total 10.44 + 0.91 + 1.57 = 12.92.
    expect(sale.totals).toMatchObject({
      subtotal: '10.44',
      discount: '1.16',
      tax: '0.91',
      tip: '1.57',
      total: '12.92',
    });
    expect(sale.amount).toBe('12.92');
    expect(sale.state).toBe('waiting');
    const inv = h.btcpay.server.state.engine.invoices.get(sale.invoiceId)!;
    const md = inv.metadata;
    expect(md['orderId']).toBe(sale.orderId);
    expect(md['note']).toBe('table 4');
    expect(md['taxIncluded']).toBe(0.91);
    expect(md['posData']).toMatchObject({
      cart: [
        { id: 'latte', price: 4.25, title: 'Latte', count: 2 },
        { id: 'croissant', price: 3.1, title: 'Croissant', count: 1 },
      ],
      discountPercentage: 10,
      tipPercentage: 15,
      itemsTotal: 11.6,
      discountAmount: 1.16,
      subTotal: 10.44,
      tax: 0.91,
      tip: 1.57,
      total: 12.92,
    });
    expect(md['receiptData']).toMatchObject({
      Cart: { Latte: '2 x $4.25 = $8.50', Croissant: '1 x $3.10 = $3.10' },
      Subtotal: '$10.44',
      Discount: '$1.16 (10%)',
      Tip: '$1.57 (15%)',
      Total: '$12.92',
      ItemsTotal: '$11.60',
    });
    expect(inv.additionalSearchTerms).toEqual([`pos-app_${h.btcpay.seed.app.id}`]);
    // bitcoin:ADDRESS?amount=…&lightning=BOLT11, upper-cased for the QR as BTCPay does.
    expect(sale.paymentUri).toMatch(/^bitcoin:bcrt1[a-z0-9]+\?amount=0\.\d+&lightning=lnbcrt/);
    expect(sale.qr).toMatch(/^bitcoin:BCRT1[A-Z0-9]+\?amount=0\.\d+&lightning=LNBCRT/);
    expect(sale.bolt11).toMatch(/^lnbcrt/);
  });

  it('a sale paid on-chain shows as paid once confirmed, through the status websocket', async () => {
    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (s) => sales.push(s));
    const sale = await h.merchant.charge({ ...cart, note: undefined });
    h.btcpay.payOnChain(sale.invoiceId);
    await until('processing', () =>
      sales.find((s) => s.invoiceId === sale.invoiceId && s.state === 'processing'),
    );
    expect(h.merchant.getDisplay().phase).toBe('paid');
    h.chain.mine(1);
    const paid = await until('paid', () => sales.find((s) => s.state === 'paid'));
    expect(paid.paidSats).toBeGreaterThan(0);
    expect(paid.dueSats).toBe(0);
  });

  it('a sale paid over Lightning settles at once', async () => {
    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (s) => sales.push(s));
    const sale = await h.merchant.charge(cart);
    await h.payBolt11(sale.bolt11!);
    await until('paid over Lightning', () => sales.find((s) => s.state === 'paid'));
  });

  it('partial payment, then expiry: expired and partly paid, with what is still owed', async () => {
    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (s) => sales.push(s));
    const sale = await h.merchant.charge(cart);
    const owed = h.btcpay.server.state.engine.invoices.get(sale.invoiceId)!.dueSats;
    h.btcpay.payOnChain(sale.invoiceId, Number(owed / 2n));
    const partial = await until('partial', () => sales.find((s) => s.state === 'partial'));
    expect(partial.dueSats).toBe(Number(owed - owed / 2n));
    h.btcpay.server.state.engine.expireNow(h.btcpay.server.state.engine.invoices.get(sale.invoiceId)!);
    await until('expired partial', () => sales.find((s) => s.state === 'expiredPartial'));
    expect(h.merchant.getDisplay().phase).toBe('problem');
    // The rest arrives late: BTCPay keeps it Expired, marked PaidLate.
    h.btcpay.payOnChain(sale.invoiceId);
    const late = await h.merchant.getSale(sale.invoiceId);
    expect(late.state).toBe('paidLate');
  });

  it('refunds a paid sale with a pull payment the customer claims by LNURL-withdraw', async () => {
    const sale = await h.merchant.charge(cart);
    await h.payBolt11(sale.bolt11!);
    await until('paid', async () => (await h.merchant.getSale(sale.invoiceId)).state === 'paid');
    const refund = await h.merchant.refund({ invoiceId: sale.invoiceId, variant: 'RateThen' });
    expect(refund.currency).toBe('BTC');
    expect(refund.autoApproved).toBe(true);
    expect(refund.lnurl).toMatch(/^LNURL1/);
    const pp = h.btcpay.server.state.pullPayments.get(refund.pullPaymentId)!;
    expect(pp.invoiceId).toBe(sale.invoiceId);
    // The customer's wallet: read the withdraw request and claim it with an invoice of its own.
    const lnurl = `${h.btcpay.url}/BTC/UILNURL/withdraw/pp/${refund.pullPaymentId}`;
    const request = (await (await fetch(lnurl)).json()) as { maxWithdrawable: number; tag: string };
    expect(request.tag).toBe('withdrawRequest');
    h.ledger.createNode('customer');
    const inv = h.ledger.createInvoice('customer', {
      amountMsat: BigInt(request.maxWithdrawable),
      description: 'refund',
    });
    const claim = (await (await fetch(`${lnurl}?pr=${inv.bolt11}`)).json()) as { status: string };
    expect(claim.status).toBe('OK');
    expect(h.ledger.lookupInvoice('customer', inv.paymentHash)?.state).toBe('settled');
  });

  it('writes the receipt PDF without a dialog, with the sale in it', async () => {
    const sale = await h.merchant.charge(cart);
    await h.payBolt11(sale.bolt11!);
    await until('paid', async () => (await h.merchant.getSale(sale.invoiceId)).state === 'paid');
    const printed = await h.merchant.printReceipt(sale.invoiceId, '80mm');
    const bytes = new Uint8Array(fs.readFileSync(printed.path));
    const { text } = await extractText(bytes, { mergePages: true });
    expect(text).toContain('Flash Coffee');
    expect(text).toContain(sale.orderId);
    expect(text).toContain('2 x $4.25 = $8.50');
    expect(text).toContain('$12.92'.replace('12.92', sale.amount));
    expect(text).toContain('Paid');
    expect(text).toContain(`/i/${sale.invoiceId}/receipt`);
  });

  it('prints the receipt on its own when the sale is paid, in the store’s receipt language', async () => {
    expect(h.merchant.getReceiptSettings()).toEqual({ language: 'en', autoPrint: false, layout: '80mm' });
    h.merchant.setReceiptSettings({ language: 'es', autoPrint: true, layout: '58mm' });
    const printed: { invoiceId: string; path: string }[] = [];
    h.bus.on('merchant.receiptPrinted', (p) => printed.push(p));
    const sale = await h.merchant.charge(cart);
    await h.payBolt11(sale.bolt11!);
    const done = await until('printed on its own', () => printed.find((p) => p.invoiceId === sale.invoiceId));
    expect(done.path).toMatch(/-58mm\.pdf$/);
    const { text } = await extractText(new Uint8Array(fs.readFileSync(done.path)), { mergePages: true });
    expect(text).toContain('Recibo');
    expect(text).toContain('Pedido');
    expect(text).toContain('Estado');
    expect(text).toContain('Pagado');
    expect(text).toContain('Propina');
    expect(text).not.toContain('Receipt');
    // Once per sale, even if its state is read again.
    await h.merchant.getSale(sale.invoiceId);
    expect(printed.filter((p) => p.invoiceId === sale.invoiceId)).toHaveLength(1);
    h.merchant.enterCashierMode();
    expect(() => h.merchant.setReceiptSettings({ language: 'en', autoPrint: false, layout: 'a4' })).toThrow(
      FlashError,
    );
  });

  it('lists history and daily totals from BTCPay', async () => {
    const a = await h.merchant.charge(cart);
    await h.payBolt11(a.bolt11!);
    const b = await h.merchant.charge({
      lines: [{ itemId: 'espresso', count: 1 }],
      discountPercent: null,
      tipAmount: null,
      tipPercent: null,
    });
    await h.payBolt11(b.bolt11!);
    await h.merchant.charge({
      lines: [{ itemId: 'cookie', count: 1 }],
      discountPercent: null,
      tipAmount: null,
      tipPercent: null,
    });
    await until('both paid', async () => (await h.merchant.getSale(b.invoiceId)).state === 'paid');
    const day = Date.now();
    const all = await h.merchant.history({
      from: day - 3_600_000,
      to: day + 60_000,
      status: 'any',
      limit: 10,
      offset: 0,
    });
    expect(all.rows).toHaveLength(3);
    const paid = await h.merchant.history({
      from: day - 3_600_000,
      to: day + 60_000,
      status: 'paid',
      limit: 10,
      offset: 0,
    });
    expect(paid.rows.map((r) => r.invoiceId).sort()).toEqual([a.invoiceId, b.invoiceId].sort());
    const found = await h.merchant.history({
      from: 0,
      to: day + 60_000,
      status: 'any',
      text: 'Espresso',
      limit: 10,
      offset: 0,
    });
    expect(found.rows.map((r) => r.invoiceId)).toEqual([b.invoiceId]);
    const totals = await h.merchant.dailyTotals(7);
    const today = totals.days[totals.days.length - 1]!;
    expect(today.count).toBe(2);
    expect(today.total).toBe(addMoney(a.amount, b.amount));
    expect(today.byHour.filter((x) => x !== '0.00')).toHaveLength(1);
    const exported = await h.merchant.exportSalesCsv({
      from: day - 3_600_000,
      to: day + 60_000,
      status: 'paid',
    });
    expect(exported.rows).toBe(2);
    const lines = exported.csv.trim().split('\r\n');
    expect(lines[0]).toBe('date,invoice_id,order_id,state,amount,currency,items');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[1])
        .sort(),
    ).toEqual([a.invoiceId, b.invoiceId].sort());
    expect(exported.csv).toContain(`,paid,${b.amount},USD,`);
  });

  it('cashier mode refuses refunds and settings until the PIN or the password', async () => {
    h.merchant.setCashierPin('2468');
    h.merchant.enterCashierMode();
    const sale = await h.merchant.charge(cart);
    expect(sale.state).toBe('waiting');
    expect(
      (await flashErrorOf(h.merchant.refund({ invoiceId: sale.invoiceId, variant: 'RateThen' }))).code,
    ).toBe('MERCHANT_CASHIER_LOCKED');
    expect(
      (
        await flashErrorOf(
          h.merchant.setTaxSettings({ defaultTaxRate: '1', taxIncluded: false, tipTaxRate: '0' }),
        )
      ).code,
    ).toBe('MERCHANT_CASHIER_LOCKED');
    expect(() => h.merchant.disconnect()).toThrow(FlashError);
    expect((await flashErrorOf(h.merchant.leaveCashierMode({ pin: '0000' }))).code).toBe(
      'MERCHANT_WRONG_PIN',
    );
    expect((await flashErrorOf(h.merchant.leaveCashierMode({ password: 'wrong password' }))).code).toBe(
      'VAULT_WRONG_PASSWORD',
    );
    expect((await h.merchant.leaveCashierMode({ pin: '2468' })).cashierMode).toBe(false);
    h.merchant.enterCashierMode();
    expect((await h.merchant.leaveCashierMode({ password: 'correct horse battery' })).cashierMode).toBe(
      false,
    );
  });

  it('signs webhooks as BTCPay does (BTCPay-Sig: sha256=HMAC of the raw body)', async () => {
    const received: { sig: string; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          sig: String(req.headers['btcpay-sig']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as { port: number }).port;
    try {
      const created = await fetch(`${h.btcpay.url}/api/v1/stores/${h.btcpay.seed.store.id}/webhooks`, {
        method: 'POST',
        headers: {
          Authorization: `token ${h.btcpay.seed.adminKey.apiKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook`, secret: 'HelloWorld' }),
      });
      expect(created.status).toBe(200);
      const sale = await h.merchant.charge(cart);
      await h.payBolt11(sale.bolt11!);
      const settled = await until('InvoiceSettled delivered', () =>
        received.find((r) => (JSON.parse(r.body) as { type: string }).type === 'InvoiceSettled'),
      );
      const expected = `sha256=${crypto.createHmac('sha256', 'HelloWorld').update(settled.body).digest('hex')}`;
      expect(settled.sig).toBe(expected);
      expect(JSON.parse(settled.body)).toMatchObject({
        invoiceId: sale.invoiceId,
        storeId: h.btcpay.seed.store.id,
      });
    } finally {
      receiver.close();
    }
  });
});

describe('a Bolt card tap pays a sale (the stand-in’s /boltcard with the real p/c crypto)', () => {
  beforeEach(() => connectDemoShop(h));

  it('pays the invoice from the card’s pull payment, and refuses the same tap again', async () => {
    const admin = {
      Authorization: `token ${h.btcpay.seed.adminKey.apiKey}`,
      'content-type': 'application/json',
    };
    const pp = (await (
      await fetch(`${h.btcpay.url}/api/v1/stores/${h.btcpay.seed.store.id}/pull-payments`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          name: 'Flash Card',
          amount: '0.001',
          currency: 'BTC',
          autoApproveClaims: true,
        }),
      })
    ).json()) as { id: string };
    const uid = hexToBytes('04a39493cc8680');
    const reg = (await (
      await fetch(`${h.btcpay.url}/api/v1/pull-payments/${pp.id}/boltcards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ UID: bytesToHex(uid) }),
      })
    ).json()) as { K1: string; K2: string; LNURLW: string };
    // The simulated card: PICC data encrypted with K1, SUN MAC with K2, counter going up.
    const tap = (counter: number) => {
      const p = bytesToHex(aesCbc('encrypt', hexToBytes(reg.K1), encodePicc({ uid, counter })), true);
      const c = bytesToHex(sunMac(hexToBytes(reg.K2), { uid, counter }), true);
      return `${reg.LNURLW.replace('lnurlw://', 'http://')}?p=${p}&c=${c}`;
    };
    const sales: Sale[] = [];
    h.bus.on('merchant.sale', (x) => sales.push(x));
    const sale = await h.merchant.charge(cart);
    const first = tap(1);
    const withdraw = (await (await fetch(first)).json()) as {
      tag: string;
      callback: string;
      k1: string;
      maxWithdrawable: number;
    };
    expect(withdraw.tag).toBe('withdrawRequest');
    expect(withdraw.maxWithdrawable).toBe(100_000_000);
    const paid = (await (await fetch(`${withdraw.callback}&pr=${sale.bolt11}`)).json()) as { status: string };
    expect(paid).toEqual({ status: 'OK' });
    await until('paid by the card', () => sales.find((x) => x.state === 'paid'));
    // The same tap again: its counter is no longer above the stored one.
    const again = (await (await fetch(first)).json()) as { status: string; reason: string };
    expect(again).toEqual({ status: 'ERROR', reason: 'Replayed or expired query' });
    // The next tap reads the balance that is left.
    const next = (await (await fetch(tap(2))).json()) as { maxWithdrawable: number };
    expect(next.maxWithdrawable).toBeLessThan(100_000_000);
  });
});

function addMoney(a: string, b: string): string {
  const cents = (s: string) => BigInt(s.replace('.', ''));
  const sum = cents(a) + cents(b);
  return `${sum / 100n}.${String(sum % 100n).padStart(2, '0')}`;
}
