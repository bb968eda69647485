import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reward } from '../../shared/contract/merchant';
import type { EcashService } from '../../main/ecash/service';
import { rewardTag } from '../../main/merchant/rewards/claims';
import type { StandInMint } from '../stack/cashu';
import type { LightningLedger } from '../stack/lightning/ledger';
import { ecashWallet, until } from '../support/ecash';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, startMerchantHarness } from '../support/merchant';
import {
  FIXED_REWARD_RULES,
  flashErrorOf,
  latteCart,
  nostrOutbox,
  payLightningSale,
  restartMerchant,
  salesListRow,
  stopAfterSpecCheck,
} from '../support/merchant-counter';
import { shopEcashForHarness, startCashuMints } from '../support/merchant-ecash';

/**
 * Rewards paid as Cashu tokens from the merchant's own eCash: the shop's eCash service (the
 * wallet's own, on the counter's database and vault) mints at a Cashu stand-in mint, a paid sale
 * on the BTCPay stand-in earns a token, and the customer's wallet (another eCash service) claims it.
 */
// Words per test: the stand-in mints remember every output they signed, so wallets must differ.
const SHOP_WORDS = [
  'scheme spot photo card baby mountain device kick cradle pact join borrow',
  'cat swing flag economy stadium alone churn speed unique patch report train',
  'void come effort suffer camp survey warrior heavy shoot primary clutch crush',
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
];
const CUSTOMER_WORDS = [
  'legal winner thank year wave sausage worth useful legal winner thank yellow',
  'letter advice cage absurd amount doctor acoustic avoid letter advice cage above',
  'panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich',
  'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong',
];

let mints: Awaited<ReturnType<typeof startCashuMints>>;
let cashuLedger: LightningLedger;
let alpha: StandInMint;
let testNo = 0;

beforeAll(async () => {
  mints = await startCashuMints();
  cashuLedger = mints.ledger;
  alpha = mints.cashu.mints[0] as StandInMint;
});
afterAll(() => mints.stop());

let h: MerchantHarness;
let shopEcash: EcashService;
let customer: Awaited<ReturnType<typeof ecashWallet>>;
let dms: { to: string[]; text: string }[];

beforeEach(async () => {
  const n = testNo++;
  const outbox = nostrOutbox();
  dms = outbox.sent;
  // The shop pays its mint quotes from a Lightning node of the Cashu stack.
  const shop = shopEcashForHarness({
    mnemonic: SHOP_WORDS[n % SHOP_WORDS.length] as string,
    payMintQuotesFrom: cashuLedger,
  });
  h = await startMerchantHarness({ sendNostrMessage: outbox.sendNostrMessage, ecash: shop.make });
  shopEcash = shop.service;
  await connectDemoShop(h);
  await shopEcash.addMint(alpha.url);
  customer = await ecashWallet(cashuLedger, { words: CUSTOMER_WORDS[n % CUSTOMER_WORDS.length] });
  await customer.ecash.addMint(alpha.url);
});

afterEach(() =>
  stopAfterSpecCheck(h, { beforeHarness: () => shopEcash.stop(), afterHarness: () => customer.close() }),
);

/** The merchant mints eCash at the stand-in mint, paying the quote over Lightning. */
async function shopMints(sats: number): Promise<void> {
  const q = await shopEcash.mintQuote({ mintUrl: alpha.url, unit: 'sat', amount: sats });
  await shopEcash.payMintQuote(q.id);
  await until(async () => {
    await shopEcash.recover();
    return spendable() >= sats;
  });
}

const spendable = () => shopEcash.balances().find((b) => b.mintUrl === alpha.url)?.spendable ?? 0;

/** Charges `count` lattes, pays over Lightning from the customer's node, waits until BTCPay settles it. */
const paidSale = (count: number) => payLightningSale(h, latteCart(count));

const rewardSends = (invoiceId: string) =>
  shopEcash
    .listOperations(100, 0)
    .items.filter((o) => o.kind === 'send' && o.counterparty === rewardTag(invoiceId));

describe('rewards as eCash tokens from the merchant’s own eCash', () => {
  it('a paid sale earns one token, on both displays and by NOSTR; the customer claims it and the merchant sees it', async () => {
    await shopMints(2_000);
    expect(
      h.merchant.setRewardRules({ ...FIXED_REWARD_RULES, giveAs: 'ecash', ecashMint: `${alpha.url}/` }),
    ).toMatchObject({ giveAs: 'ecash', ecashMint: alpha.url });
    const rewards: Reward[] = [];
    h.bus.on('merchant.reward', (r) => void rewards.push(r));

    const sale = await paidSale(2); // 8.50 USD: above the 5.00 minimum
    const reward = await until(() => rewards.find((r) => r.invoiceId === sale.invoiceId) ?? null);
    expect(reward).toMatchObject({ sats: 500, state: 'unclaimed', claimedSats: 0, lnurl: null });
    expect(reward.ecash?.token).toMatch(/^cashuB/);
    expect(reward.ecash?.mintUrl).toBe(alpha.url);
    expect(shopEcash.decodeToken(reward.ecash!.token)).toMatchObject({ mintUrl: alpha.url, amount: 500 });
    // No pull payment: BTCPay is not asked to pay this one.
    expect(
      [...h.btcpay.server.state.pullPayments.values()].filter((p) =>
        p.description.startsWith('flash-reward'),
      ),
    ).toHaveLength(0);
    // The customer display shows the token's QR.
    await until(() => h.merchant.getDisplay().reward?.token === reward.ecash?.token);
    expect(h.merchant.getDisplay()).toMatchObject({ phase: 'paid', reward: { sats: 500, lnurl: null } });
    // Too big for one QR a phone reads: NUT-16 animated parts, as the eCash screens show it.
    const qr = shopEcash.sentToken(reward.ecash!.operationId).qr;
    expect(qr.animated).toBe(true);
    expect(reward.ecash?.qr).toEqual(qr);
    expect(h.merchant.getDisplay().reward?.tokenQr).toEqual(qr);

    // Journaled, and given once: asking again answers the same token, with no second send.
    expect(
      h.db.prepare(`SELECT ref, state, result_id FROM merchant_journal WHERE kind = 'reward'`).all(),
    ).toEqual([{ ref: `ecash:${sale.invoiceId}`, state: 'done', result_id: reward.ecash?.operationId }]);
    const [again, twice] = await Promise.all([
      h.merchant.issueReward(sale.invoiceId),
      h.merchant.issueReward(sale.invoiceId),
    ]);
    expect(again.ecash?.token).toBe(reward.ecash?.token);
    expect(twice.ecash?.token).toBe(reward.ecash?.token);
    expect(rewardSends(sale.invoiceId)).toHaveLength(1);
    expect(spendable()).toBeLessThanOrEqual(1_500);
    // A crash after the send, before the sale was linked to it: the journal row is still open and
    // the link is gone. The eCash journal's send (it names its sale) is adopted, never a second one.
    h.db.prepare(`DELETE FROM merchant_settings WHERE key = ?`).run(`ecash_reward:${sale.invoiceId}`);
    h.db.prepare(`UPDATE merchant_journal SET state = 'sent', result_id = NULL WHERE kind = 'reward'`).run();
    expect((await h.merchant.issueReward(sale.invoiceId)).ecash?.token).toBe(reward.ecash?.token);
    expect(rewardSends(sale.invoiceId)).toHaveLength(1);
    expect(h.db.prepare(`SELECT state, result_id FROM merchant_journal WHERE kind = 'reward'`).all()).toEqual(
      [{ state: 'done', result_id: reward.ecash?.operationId }],
    );

    // Sent by NOSTR as a message carrying the token.
    await h.merchant.sendReward(sale.invoiceId, 'npub1customer');
    expect(dms).toHaveLength(1);
    expect(dms[0]?.text).toContain(reward.ecash!.token);
    expect(dms[0]?.text).toContain('500 sats');

    expect((await salesListRow(h.merchant, sale.invoiceId))?.reward).toEqual({
      sats: 500,
      state: 'unclaimed',
    });

    // The customer's wallet claims it at the mint.
    const received = await customer.ecash.receive(reward.ecash!.token);
    await until(async () => {
      await customer.ecash.recover();
      return customer.ecash.getOperation(received.id).state === 'claimed';
    });
    expect(customer.ecash.balances().find((b) => b.mintUrl === alpha.url)?.spendable).toBeGreaterThan(0);

    // The merchant sees it claimed: the sent token's state in the eCash journal.
    expect(await h.merchant.getReward(sale.invoiceId)).toMatchObject({ state: 'claimed', claimedSats: 500 });
    expect(h.merchant.getDisplay()).toMatchObject({ phase: 'paid', reward: null });
    expect((await salesListRow(h.merchant, sale.invoiceId))?.reward).toEqual({
      sats: 500,
      state: 'claimed',
    });
    expect((await h.merchant.dailyTotals(1)).days[0]?.rewards).toEqual({
      count: 1,
      sats: 500,
      claimed: 1,
      claimedSats: 500,
      expired: 0,
    });
    // Claimed: nothing left to send.
    expect((await flashErrorOf(h.merchant.sendReward(sale.invoiceId, 'npub1customer'))).code).toBe(
      'MERCHANT_NO_REWARD',
    );
  });

  it('eCash that does not cover the reward: a typed error, no send, and the sale stays paid', async () => {
    await shopMints(100);
    h.merchant.setRewardRules({ ...FIXED_REWARD_RULES, giveAs: 'ecash', ecashMint: alpha.url });
    const failures: { invoiceId: string; code: string }[] = [];
    h.bus.on('merchant.rewardFailed', (f) => void failures.push(f));

    const sale = await paidSale(2);
    const failed = await until(() => failures.find((f) => f.invoiceId === sale.invoiceId) ?? null);
    expect(failed.code).toBe('MERCHANT_REWARD_ECASH_SHORT');
    expect(await flashErrorOf(h.merchant.issueReward(sale.invoiceId))).toMatchObject({
      code: 'MERCHANT_REWARD_ECASH_SHORT',
      details: { sats: 500, spendable: 100 },
    });
    expect(rewardSends(sale.invoiceId)).toHaveLength(0);
    expect(spendable()).toBe(100);
    expect(await h.merchant.getReward(sale.invoiceId)).toBeNull();
    expect((await h.merchant.getSale(sale.invoiceId)).state).toBe('paid');
    expect(
      h.db
        .prepare(`SELECT count(*) AS n FROM merchant_journal WHERE kind = 'reward' AND state = 'sent'`)
        .get(),
    ).toEqual({ n: 0 });
  });

  it('only one of the wallet’s mints can pay the rewards', async () => {
    await h.merchant.getCounter();
    expect(
      (
        await flashErrorOf(() =>
          h.merchant.setRewardRules({
            ...FIXED_REWARD_RULES,
            giveAs: 'ecash',
            ecashMint: 'https://nowhere.example',
          }),
        )
      ).code,
    ).toBe('ECASH_MINT_NOT_FOUND');
    expect(h.merchant.getRewardRules()).toMatchObject({ giveAs: 'pullPayment', ecashMint: null });
  });

  it('start-up settles the eCash rewards a crash left open, before anyone looks at their sales', async () => {
    await shopMints(2_000);
    h.merchant.setRewardRules({ ...FIXED_REWARD_RULES, giveAs: 'ecash', ecashMint: alpha.url });
    const rewards: Reward[] = [];
    h.bus.on('merchant.reward', (r) => void rewards.push(r));
    const first = await paidSale(2);
    const second = await paidSale(2);
    const issued = await until(() => {
      const both = [first, second].map((s) => rewards.find((r) => r.invoiceId === s.invoiceId));
      return both.every(Boolean) ? (both as Reward[]) : null;
    });
    const journal = () =>
      h.db
        .prepare(`SELECT ref, state, result_id FROM merchant_journal WHERE kind = 'reward' ORDER BY ref`)
        .all() as { ref: string; state: string; result_id: string | null }[];
    const link = (invoiceId: string) =>
      h.db.prepare(`SELECT value FROM merchant_settings WHERE key = ?`).get(`ecash_reward:${invoiceId}`) as
        { value: string } | undefined;

    // Flash stops: the first sale's send was made but not yet linked; the second was linked but its
    // journal row not closed; a third row was written just before a send that never happened.
    h.merchant.stop();
    h.db.prepare(`DELETE FROM merchant_settings WHERE key = ?`).run(`ecash_reward:${first.invoiceId}`);
    h.db.prepare(`UPDATE merchant_journal SET state = 'sent', result_id = NULL WHERE kind = 'reward'`).run();
    h.db
      .prepare(
        `INSERT INTO merchant_journal (kind, ref, payload, state, created_at, updated_at)
         VALUES ('reward', 'ecash:NeverSentSale00000000', '{}', 'sent', ?, ?)`,
      )
      .run(Date.now(), Date.now());
    expect(journal().map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);

    const again = restartMerchant(h, { ecash: shopEcash });
    try {
      await until(() => (journal().every((r) => r.state !== 'sent') ? true : null));
      const byRef = new Map(journal().map((r) => [r.ref, r]));
      for (const r of issued)
        expect(byRef.get(`ecash:${r.invoiceId}`)).toMatchObject({
          state: 'done',
          result_id: r.ecash!.operationId,
        });
      expect(byRef.get('ecash:NeverSentSale00000000')).toMatchObject({ state: 'failed' });
      // The first sale is linked to its send again; nothing was sent twice.
      expect(JSON.parse(link(first.invoiceId)!.value)).toMatchObject({
        operationId: issued[0]!.ecash!.operationId,
        sats: 500,
      });
      expect(rewardSends(first.invoiceId)).toHaveLength(1);
      expect(rewardSends(second.invoiceId)).toHaveLength(1);
      expect(await again.getReward(first.invoiceId)).toMatchObject({
        sats: 500,
        ecash: { token: issued[0]!.ecash!.token },
      });
    } finally {
      again.stop();
    }
  });
});
