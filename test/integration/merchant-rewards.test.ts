import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reward } from '../../shared/contract/merchant';
import { rewardTag } from '../../main/merchant/rewards/claims';
import type { MerchantHarness } from '../support/merchant';
import { connectDemoShop, MERCHANT_PASSWORD, startMerchantHarness } from '../support/merchant';
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
import { until } from '../support/wait';

let h: MerchantHarness;
let dms: { to: string[]; text: string }[];

beforeEach(async () => {
  const outbox = nostrOutbox();
  dms = outbox.sent;
  h = await startMerchantHarness({ sendNostrMessage: outbox.sendNostrMessage });
  await connectDemoShop(h);
});

afterEach(() => stopAfterSpecCheck(h));

/** Charges `count` lattes, pays over Lightning from the customer's node, waits until BTCPay settles it. */
const paidSale = (count: number) => payLightningSale(h, latteCart(count));

function rewardPullPayments() {
  return [...h.btcpay.server.state.pullPayments.values()].filter((p) =>
    p.description.startsWith('flash-reward'),
  );
}

describe('rewards after a paid sale, as BTCPay pull payments', () => {
  it('gives the store’s fixed reward once the sale settles, on both displays; the customer claims it', async () => {
    h.merchant.setRewardRules(FIXED_REWARD_RULES);
    const rewards: Reward[] = [];
    h.bus.on('merchant.reward', (r) => rewards.push(r));

    const sale = await paidSale(2); // 8.50 USD: above the 5.00 minimum
    const reward = await until('the reward', () => rewards.find((r) => r.invoiceId === sale.invoiceId));
    expect(reward).toMatchObject({ sats: 500, state: 'unclaimed', claimedSats: 0 });
    expect(reward.lnurl).toMatch(/^LNURL1/);
    const pp = h.btcpay.server.state.pullPayments.get(reward.pullPaymentId)!;
    expect(pp).toMatchObject({
      description: rewardTag(sale.invoiceId),
      currency: 'BTC',
      amount: '0.00000500',
      autoApproveClaims: true,
      payoutMethods: ['BTC-LN'],
    });
    // 30 days to claim, by BTCPay's clock.
    expect(pp.expiresAt! - pp.startsAt).toBeGreaterThanOrEqual(30 * 86_400 - 5);
    expect(reward.expiresAt).toBe(pp.expiresAt! * 1000);
    // The customer display shows the QR to claim it.
    await until('the display shows the reward', () => h.merchant.getDisplay().reward?.lnurl === reward.lnurl);
    expect(h.merchant.getDisplay()).toMatchObject({ phase: 'paid', reward: { sats: 500 } });
    // Journaled, indexed, and given once: asking again answers the same reward.
    expect(h.db.prepare(`SELECT state, result_id FROM merchant_journal WHERE kind = 'reward'`).all()).toEqual(
      [{ state: 'done', result_id: reward.pullPaymentId }],
    );
    expect((await h.merchant.issueReward(sale.invoiceId)).pullPaymentId).toBe(reward.pullPaymentId);
    expect(rewardPullPayments()).toHaveLength(1);

    // The sales list shows it unclaimed, then claimed once the customer's wallet claims it.
    expect((await salesListRow(h.merchant, sale.invoiceId))?.reward).toEqual({
      sats: 500,
      state: 'unclaimed',
    });
    const before = h.ledger.balance('stack').balanceMsat;
    const claimed = await h.btcpay.claim(reward.lnurl!);
    expect(claimed).toMatchObject({ sats: 500, status: 'OK' });
    expect(h.ledger.balance('stack').balanceMsat - before).toBe(500_000n);
    expect(await h.merchant.getReward(sale.invoiceId)).toMatchObject({ state: 'claimed', claimedSats: 500 });
    // Claimed: the customer display no longer offers it.
    expect(h.merchant.getDisplay()).toMatchObject({ phase: 'paid', reward: null });
    expect((await salesListRow(h.merchant, sale.invoiceId))?.reward).toEqual({
      sats: 500,
      state: 'claimed',
    });
    // A second claim of the same link finds nothing left.
    expect((await h.btcpay.claim(reward.lnurl!, 1)).status).toBe('ERROR');

    // The day's totals count it.
    const totals = await h.merchant.dailyTotals(1);
    expect(totals.days[0]?.rewards).toEqual({
      count: 1,
      sats: 500,
      claimed: 1,
      claimedSats: 500,
      expired: 0,
    });
  });

  it('gives nothing below the minimum, nothing while off, and a percentage of the sats paid', async () => {
    h.merchant.setRewardRules(FIXED_REWARD_RULES);
    const small = await paidSale(1); // 4.25 USD < 5.00
    expect((await flashErrorOf(h.merchant.issueReward(small.invoiceId))).code).toBe('MERCHANT_NO_REWARD');
    expect(await h.merchant.getReward(small.invoiceId)).toBeNull();

    h.merchant.setRewardRules({ ...FIXED_REWARD_RULES, enabled: false });
    const off = await paidSale(3);
    expect((await flashErrorOf(h.merchant.issueReward(off.invoiceId))).code).toBe('MERCHANT_NO_REWARD');

    h.merchant.setRewardRules({ ...FIXED_REWARD_RULES, kind: 'percent', percent: '2.5', minimumSale: '0' });
    const sale = await paidSale(2);
    const reward = await h.merchant.issueReward(sale.invoiceId);
    expect(reward.sats).toBe(Math.floor((sale.paidSats * 25) / 1000));
    expect(rewardPullPayments()).toHaveLength(1);
  });

  it('an unclaimed reward expires by BTCPay’s clock; the totals say so', async () => {
    h.merchant.setRewardRules(FIXED_REWARD_RULES);
    const sale = await paidSale(2);
    const reward = await h.merchant.issueReward(sale.invoiceId);
    const pp = h.btcpay.server.state.pullPayments.get(reward.pullPaymentId)!;
    pp.expiresAt = h.btcpay.server.state.now() - 1;
    expect(await h.merchant.getReward(sale.invoiceId)).toMatchObject({ state: 'expired' });
    await expect(h.btcpay.claim(reward.lnurl!)).rejects.toThrow();
    expect((await h.merchant.dailyTotals(1)).days[0]?.rewards).toMatchObject({
      count: 1,
      expired: 1,
      claimed: 0,
    });
    expect((await flashErrorOf(h.merchant.sendReward(sale.invoiceId, 'npub1customer'))).code).toBe(
      'MERCHANT_NO_REWARD',
    );
  });

  it('sends the reward to the customer’s npub as a message with the claim link', async () => {
    h.merchant.setRewardRules(FIXED_REWARD_RULES);
    const sale = await paidSale(2);
    const reward = await h.merchant.issueReward(sale.invoiceId);
    await h.merchant.sendReward(sale.invoiceId, 'npub1customer');
    expect(dms).toHaveLength(1);
    expect(dms[0]!.to).toEqual(['npub1customer']);
    expect(dms[0]!.text).toContain(`lightning:${reward.lnurl}`);
    expect(dms[0]!.text).toContain('Flash Coffee gives you 500 sats back');
    h.merchant.setReceiptSettings({ language: 'es', autoPrint: false, layout: '80mm' });
    await h.merchant.sendReward(sale.invoiceId, 'npub1customer');
    expect(dms[1]!.text).toContain('Flash Coffee te regala 500 sats');
  });

  it('at the counter: the cashier gives and sends rewards by the rules but cannot change them', async () => {
    h.merchant.setRewardRules({ ...FIXED_REWARD_RULES, enabled: false });
    const sale = await paidSale(2);
    h.merchant.setCashierPin('2468');
    h.merchant.enterCashierMode();
    expect(() => h.merchant.setRewardRules(FIXED_REWARD_RULES)).toThrow(/Cashier mode/);
    await h.merchant.leaveCashierMode({ password: MERCHANT_PASSWORD });
    h.merchant.setRewardRules(FIXED_REWARD_RULES);
    h.merchant.enterCashierMode();
    expect((await h.merchant.issueReward(sale.invoiceId)).sats).toBe(500);
    await h.merchant.leaveCashierMode({ pin: '2468' });
  });

  it('a key that may not create pull payments: the reward fails in words, the sales list still works', async () => {
    h.merchant.setRewardRules(FIXED_REWARD_RULES);
    const narrow = h.btcpay.server.state.createKey(
      h.btcpay.seed.user.id,
      ['btcpay.store.canviewstoresettings', 'btcpay.store.cancreateinvoice', 'btcpay.store.canviewinvoices'],
      'cashier only',
    );
    await h.merchant.connect(h.btcpay.url, narrow.apiKey);
    const failures: { invoiceId: string; code: string }[] = [];
    h.bus.on('merchant.rewardFailed', (f) => failures.push(f));
    const sale = await paidSale(2);
    const failed = await until('the reward failed', () =>
      failures.find((f) => f.invoiceId === sale.invoiceId),
    );
    expect(failed.code).toBe('MERCHANT_FORBIDDEN');
    const rows = await h.merchant.history({
      from: 0,
      to: Date.now() + 60_000,
      status: 'any',
      limit: 10,
      offset: 0,
    });
    expect(rows.rows.find((r) => r.invoiceId === sale.invoiceId)?.reward).toBeNull();
    expect(rewardPullPayments()).toHaveLength(0);
  });

  it('a reward asked for just before a crash is found on BTCPay at start-up, never made twice', async () => {
    h.merchant.setRewardRules(FIXED_REWARD_RULES);
    const sale = await paidSale(2);
    const reward = await h.merchant.issueReward(sale.invoiceId);
    // As if Flash died after BTCPay made it but before the answer was written down.
    h.db.prepare(`UPDATE merchant_journal SET state = 'sent', result_id = NULL WHERE kind = 'reward'`).run();
    h.db.prepare(`DELETE FROM merchant_rewards`).run();
    h.merchant.stop();
    const again = restartMerchant(h);
    await until('the journal settled', () =>
      (h.db.prepare(`SELECT state FROM merchant_journal WHERE kind = 'reward'`).get() as { state: string })
        .state === 'done'
        ? true
        : null,
    );
    expect((await again.issueReward(sale.invoiceId)).pullPaymentId).toBe(reward.pullPaymentId);
    expect(rewardPullPayments()).toHaveLength(1);
    again.stop();
  });
});
