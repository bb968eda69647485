import { toString as renderQr } from 'qrcode';
import { connectDemoShop, startMerchantHarness } from '../test/support/merchant';
import { fmtMs, measureLatency, printTable, ratio } from './stats';

/**
 * The merchant counter against the BTCPay stand-in:
 * - "Charge" to QR: the service's charge (invoice POST, invoice and payment-methods reads, the
 *   unified QR) plus drawing the QR as SVG, against a bare Greenfield POST of the same invoice
 *   body with fetch (the floor: one round trip, no reads, no QR);
 * - 10,000 invoices: the first history page, and the daily totals over 31 days (every page read,
 *   summed exactly), against fetching the same pages and parsing them with nothing else done.
 * The stand-in checks every request and answer against the spec in both the measured path and
 * its baseline, so the ratio shows the client's own cost.
 */
export async function benchMerchant(): Promise<void> {
  const h = await startMerchantHarness();
  try {
    await connectDemoShop(h);
    const cart = {
      lines: [
        { itemId: 'latte', count: 2 },
        { itemId: 'croissant', count: 1 },
      ],
      discountPercent: '10',
      tipAmount: null,
      tipPercent: '15',
    };
    const storeId = h.btcpay.seed.store.id;
    const headers = {
      Authorization: `token ${h.btcpay.seed.adminKey.apiKey}`,
      'content-type': 'application/json',
    };
    const body = JSON.stringify({ amount: '12.15', currency: 'USD', metadata: { orderId: 'bench' } });
    const bare = await measureLatency('bare POST /invoices (baseline)', 200, async () => {
      const res = await fetch(`${h.btcpay.url}/api/v1/stores/${storeId}/invoices`, {
        method: 'POST',
        headers,
        body,
      });
      await res.json();
    });
    const chargeToQr = await measureLatency('Charge → QR drawn (app)', 200, async () => {
      const sale = await h.merchant.charge(cart);
      await renderQr(sale.qr ?? '', { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    });
    printTable(
      'Merchant: Charge to QR against the BTCPay stand-in (200 sales each)',
      ['path', 'p50', 'p99', 'p50 vs baseline'],
      [bare, chargeToQr].map((r) => [r.name, fmtMs(r.p50), fmtMs(r.p99), ratio(r.p50, bare.p50)]),
    );

    // 10,000 paid invoices spread over the last 30 days.
    const state = h.btcpay.server.state;
    const store = state.stores.get(storeId)!;
    const nowS = Math.floor(Date.now() / 1000);
    for (const inv of state.engine.invoices.values()) inv.archived = true;
    for (let i = 0; i < 10_000; i++) {
      const inv = state.engine.create({
        store,
        amount: BigInt(100 + (i % 5000)) * 10n ** 10n,
        currency: 'USD',
        rate: 65_000n * 10n ** 12n,
        metadata: { orderId: `bench-${i}`, itemDesc: 'Latte' },
        checkout: null,
        receipt: null,
        additionalSearchTerms: [],
      });
      inv.createdTime = nowS - (i % 30) * 86_400 - (i % 24) * 3600;
      inv.status = 'Settled';
    }
    const from = Date.now() - 31 * 86_400_000;
    // The seeding held the event loop: drop connections the server timed out meanwhile.
    await fetch(`${h.btcpay.url}/api/v1/health`, { headers }).catch(() => undefined);
    const t0 = performance.now();
    const page = await h.merchant.history({
      from,
      to: Date.now() + 60_000,
      status: 'any',
      limit: 100,
      offset: 0,
    });
    const historyMs = performance.now() - t0;
    const t1 = performance.now();
    let fetched = 0;
    for (let skip = 0; ; skip += 1000) {
      const res = await fetch(
        `${h.btcpay.url}/api/v1/stores/${storeId}/invoices?status=Settled&status=Processing&startDate=${Math.floor(from / 1000)}&endDate=${nowS + 60}&skip=${skip}&take=1000`,
        { headers },
      );
      const rows = (await res.json()) as unknown[];
      fetched += rows.length;
      if (rows.length < 1000) break;
    }
    const rawMs = performance.now() - t1;
    const t2 = performance.now();
    const totals = await h.merchant.dailyTotals(31);
    const totalsMs = performance.now() - t2;
    const counted = totals.days.reduce((n, d) => n + d.count, 0);
    printTable(
      'Merchant: 10,000 invoices in BTCPay',
      ['what', 'time', 'vs baseline'],
      [
        [`fetch + parse every page, nothing else (${fetched} invoices, baseline)`, fmtMs(rawMs), '1.00×'],
        [
          `daily totals over 31 days (${counted} sales counted, app)`,
          fmtMs(totalsMs),
          ratio(totalsMs, rawMs),
        ],
        [`first history page (${page.rows.length} rows, app)`, fmtMs(historyMs), ratio(historyMs, rawMs)],
      ],
    );
    h.btcpay.server.assertNoSpecIssues();
  } finally {
    await h.stop();
  }
}
