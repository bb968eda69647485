import { getDecodedToken, getEncodedToken } from '@cashu/cashu-ts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EcashSale } from '../../shared/contract/merchant';
import type { EcashService } from '../../main/ecash/service';
import type { StandInMint } from '../stack/cashu';
import type { LightningLedger } from '../stack/lightning/ledger';
import { ecashWallet, until } from '../support/ecash';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import { flashErrorOf, latteCart, stopAfterSpecCheck } from '../support/merchant-counter';
import { shopEcashForHarness, startCashuMints } from '../support/merchant-ecash';

/**
 * eCash at the counter while BTCPay is out of reach: the merchant's eCash service (the wallet's
 * own, on the counter's database and vault) against the Cashu stand-in mints, the customer's
 * wallet another eCash service on its own profile.
 */
// Words per test, for the shop and its customer: the stand-in mints remember every output they
// signed, so two wallets on the same words would clash.
const SHOP_WORDS = [
  'void come effort suffer camp survey warrior heavy shoot primary clutch crush',
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  'all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform',
];
const CUSTOMER_WORDS = [
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  'scheme spot photo card baby mountain device kick cradle pact join borrow',
  'panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich',
  'cat swing flag economy stadium alone churn speed unique patch report train',
];

let mints: Awaited<ReturnType<typeof startCashuMints>>;
let cashuLedger: LightningLedger;
let alpha: StandInMint;
let beta: StandInMint;
let testNo = 0;

beforeAll(async () => {
  mints = await startCashuMints();
  cashuLedger = mints.ledger;
  [alpha, beta] = mints.cashu.mints as [StandInMint, StandInMint];
});
afterAll(() => mints.stop());

let h: MerchantHarness;
let shopEcash: EcashService;
let customer: Awaited<ReturnType<typeof ecashWallet>>;
let saleEvents: EcashSale[];

beforeEach(async () => {
  const n = testNo++;
  const shop = shopEcashForHarness({ mnemonic: SHOP_WORDS[n % SHOP_WORDS.length] as string });
  h = await startMerchantHarness({ ecash: shop.make });
  shopEcash = shop.service;
  saleEvents = [];
  h.bus.on('merchant.ecashSale', (s) => void saleEvents.push(s));
  await connectDemoShop(h);
  await shopEcash.addMint(alpha.url);
  await shopEcash.addMint(beta.url);
  customer = await ecashWallet(cashuLedger, { words: CUSTOMER_WORDS[n % 4] });
  for (const mint of [alpha, beta]) {
    await customer.ecash.addMint(mint.url);
    const q = await customer.ecash.mintQuote({ mintUrl: mint.url, unit: 'sat', amount: 40_000 });
    await customer.ecash.payMintQuote(q.id);
  }
});

afterEach(async () => {
  alpha.setFault('none');
  beta.setFault('none');
  h.btcpay.server.fault = 'none';
  await stopAfterSpecCheck(h, {
    beforeHarness: () => shopEcash.stop(),
    afterHarness: () => customer.close(),
  });
});

const latte = latteCart(1);

async function tokenFrom(mint: StandInMint, sats: number): Promise<string> {
  return (await customer.ecash.send({ mintUrl: mint.url, unit: 'sat', amount: sats })).token;
}

describe('eCash at the counter while BTCPay is out of reach', () => {
  it('BTCPay down and the mint too: the token is checked offline, recorded "to claim", and claimed when the mint is back', async () => {
    h.merchant.setCounterEcash({ trustedMints: [alpha.url], maxSats: 20_000 });
    await h.merchant.getCounter();
    h.btcpay.server.fault = 'down';
    expect((await flashErrorOf(h.merchant.charge(latte))).code).toBe('MERCHANT_UNREACHABLE');
    // Restarted while BTCPay is down: the POS app as last read still prices the cart.
    expect((await h.merchant.getCounter()).items.some((i) => i.id === 'latte')).toBe(true);

    const request = h.merchant.ecashRequest(latte);
    // 4.25 USD at the store's 65000 USD per BTC: 6538.46… → 6538 sats.
    expect(request).toMatchObject({ amount: '4.25', currency: 'USD', sats: 6538, rate: '65000' });
    expect(request.request).toMatch(/^creqA/);
    expect(h.merchant.getDisplay()).toMatchObject({ phase: 'charging', qr: request.request, total: '4.25' });

    const token = await tokenFrom(alpha, 6538);
    alpha.setFault('down');
    const sale = await h.merchant.ecashAccept(request.requestId, token);
    expect(sale).toMatchObject({ state: 'toClaim', sats: 6538, receivedSats: 6538, amount: '4.25' });
    expect(sale.operationId).not.toBeNull();
    expect(h.merchant.getDisplay()).toMatchObject({ phase: 'paid', qr: null });
    expect(h.merchant.ecashSales().sales).toEqual([
      expect.objectContaining({ id: sale.id, state: 'toClaim' }),
    ]);

    alpha.setFault('none');
    await shopEcash.recover();
    await until(() => saleEvents.some((e) => e.id === sale.id && e.state === 'claimed'));
    const claimed = h.merchant.ecashSales().sales[0];
    expect(claimed).toMatchObject({ id: sale.id, state: 'claimed' });
    // The mint's input fee (100 ppk per proof on the stand-in) is kept when the counter claims.
    expect(claimed?.mintFeeSats).toBeGreaterThan(0);
    expect(shopEcash.balances().find((b) => b.mintUrl === alpha.url)?.spendable).toBe(
      6538 - (claimed?.mintFeeSats ?? 0),
    );
    // BTCPay back: the day's totals add this counter's eCash sale beside BTCPay's own.
    h.btcpay.server.fault = 'none';
    const today = (await h.merchant.dailyTotals(1)).days[0];
    expect(today).toMatchObject({ count: 0, total: '0.00' });
    expect(today?.ecash).toEqual({
      count: 1,
      total: '4.25',
      sats: 6538 - (claimed?.mintFeeSats ?? 0),
      toClaim: 0,
    });
  });

  it('refuses what the shop does not take: off, another mint, too little, above the limit, no DLEQ, the same token twice', async () => {
    await h.merchant.getCounter();
    expect((await flashErrorOf(() => h.merchant.ecashRequest(latte))).code).toBe('MERCHANT_ECASH_OFF');
    expect(
      (
        await flashErrorOf(() =>
          h.merchant.setCounterEcash({ trustedMints: ['https://nowhere.example'], maxSats: 10 }),
        )
      ).code,
    ).toBe('ECASH_MINT_NOT_FOUND');
    h.merchant.setCounterEcash({ trustedMints: [alpha.url], maxSats: 5_000 });
    expect(await flashErrorOf(() => h.merchant.ecashRequest(latte))).toMatchObject({
      code: 'MERCHANT_ECASH_OVER_LIMIT',
      details: { sats: 6538, maxSats: 5000 },
    });
    h.merchant.setCounterEcash({ trustedMints: [alpha.url], maxSats: 20_000 });
    const request = h.merchant.ecashRequest(latte);

    const fromBeta = await tokenFrom(beta, 7000);
    expect((await flashErrorOf(h.merchant.ecashAccept(request.requestId, fromBeta))).code).toBe(
      'MERCHANT_ECASH_UNTRUSTED_MINT',
    );
    const short = await tokenFrom(alpha, 6000);
    expect(await flashErrorOf(h.merchant.ecashAccept(request.requestId, short))).toMatchObject({
      code: 'MERCHANT_ECASH_TOO_LITTLE',
      details: { sats: 6538, token: 6000 },
    });
    const enough = await tokenFrom(alpha, 6600);
    const keysetIds = customer.ecash.listMints().flatMap((m) => m.keysets.map((k) => k.id));
    const decoded = getDecodedToken(enough, keysetIds);
    const noDleq = getEncodedToken({ ...decoded, proofs: decoded.proofs.map(({ dleq: _d, ...p }) => p) });
    expect(await flashErrorOf(h.merchant.ecashAccept(request.requestId, noDleq))).toMatchObject({
      code: 'MERCHANT_ECASH_UNVERIFIED',
      details: { dleq: 'missing' },
    });
    const sale = await h.merchant.ecashAccept(request.requestId, enough);
    // Claimed at once: the mint answers even though BTCPay was never asked.
    expect(sale).toMatchObject({ state: 'claimed', sats: 6538, receivedSats: 6600 });
    const again = h.merchant.ecashRequest(latte);
    expect((await flashErrorOf(h.merchant.ecashAccept(again.requestId, enough))).code).toBe(
      'MERCHANT_ECASH_TOKEN_USED',
    );
    // A request is used once.
    expect(
      (await flashErrorOf(h.merchant.ecashAccept(request.requestId, await tokenFrom(alpha, 6600)))).code,
    ).toBe('MERCHANT_NOT_FOUND');
    expect(h.merchant.ecashSales().sales.map((s) => s.id)).toEqual([sale.id]);
  });

  it('the risk taken offline: a token spent elsewhere before the counter claims it leaves the sale unpaid', async () => {
    h.merchant.setCounterEcash({ trustedMints: [alpha.url], maxSats: 20_000 });
    await h.merchant.getCounter();
    h.btcpay.server.fault = 'down';
    const request = h.merchant.ecashRequest(latte);
    const token = await tokenFrom(alpha, 6538);
    alpha.setFault('down');
    const sale = await h.merchant.ecashAccept(request.requestId, token);
    expect(sale.state).toBe('toClaim');
    // The customer's token reaches another wallet first (the mint is up for that one).
    alpha.setFault('none');
    const other = await ecashWallet(cashuLedger, { words: CUSTOMER_WORDS[4] });
    try {
      await other.ecash.addMint(alpha.url);
      expect((await other.ecash.receive(token)).state).toBe('claimed');
    } finally {
      await other.close();
    }
    await shopEcash.recover();
    await until(() => saleEvents.some((e) => e.id === sale.id && e.state === 'failed'));
    expect(h.merchant.ecashSales().sales[0]).toMatchObject({ id: sale.id, state: 'failed' });
  });

  it('in cashier mode: the cashier takes eCash but cannot change which mints are trusted', async () => {
    h.merchant.setCounterEcash({ trustedMints: [alpha.url], maxSats: 20_000 });
    await h.merchant.getCounter();
    h.merchant.setCashierPin('2468');
    h.merchant.enterCashierMode();
    expect(
      (await flashErrorOf(() => h.merchant.setCounterEcash({ trustedMints: [beta.url], maxSats: 1 }))).code,
    ).toBe('MERCHANT_CASHIER_LOCKED');
    const request = h.merchant.ecashRequest(latte);
    const sale = await h.merchant.ecashAccept(request.requestId, await tokenFrom(alpha, 6538));
    expect(sale.state).toBe('claimed');
    expect(h.merchant.getCounterEcash()).toMatchObject({ trustedMints: [alpha.url], maxSats: 20_000 });
    await h.merchant.leaveCashierMode({ pin: '2468' });
  });
});
