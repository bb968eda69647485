import { describe, expect, it } from 'vitest';
import type { Reward } from '../../shared/contract/merchant';
import { btcToSats, pullPaymentSats, satsToBtc } from '../../main/merchant/btc-amounts';
import type { PullPaymentFacts } from '../../main/merchant/rewards/claims';
import {
  cardRewardName,
  cardRewardOfName,
  invoiceOfRewardTag,
  rewardStatus,
  rewardTag,
} from '../../main/merchant/rewards/claims';
import { rewardMessage } from '../../main/merchant/rewards/rewards';
import { DEFAULT_REWARD_RULES, percentOfSats, rewardFor } from '../../main/merchant/rewards/rules';
import { rewardTotals } from '../../main/merchant/rewards/totals';

const fixed = { ...DEFAULT_REWARD_RULES, enabled: true, sats: 250, minimumSale: '5.00' };
const sale = { state: 'paid' as const, amount: '8.50', currency: 'USD', paidSats: 13_077 };

describe('reward rules', () => {
  it('gives the fixed amount for a settled sale at or above the minimum', () => {
    expect(rewardFor(fixed, sale, 'USD')).toEqual({ sats: 250 });
    expect(rewardFor(fixed, { ...sale, amount: '5' }, 'usd')).toEqual({ sats: 250 });
    expect(rewardFor(fixed, { ...sale, state: 'paidOver' }, 'USD')).toEqual({ sats: 250 });
  });

  it('gives nothing, with the reason, when off, unsettled, small, or in another currency', () => {
    expect(rewardFor({ ...fixed, enabled: false }, sale, 'USD')).toMatchObject({ sats: 0, why: 'off' });
    for (const state of ['processing', 'waiting', 'partial', 'expired', 'paidLate', 'invalid'] as const)
      expect(rewardFor(fixed, { ...sale, state }, 'USD')).toMatchObject({ sats: 0, why: 'not-paid' });
    expect(rewardFor(fixed, { ...sale, amount: '4.99' }, 'USD')).toMatchObject({ why: 'below-minimum' });
    expect(rewardFor(fixed, { ...sale, amount: 'junk' }, 'USD')).toMatchObject({ why: 'below-minimum' });
    expect(rewardFor(fixed, { ...sale, currency: 'EUR' }, 'USD')).toMatchObject({ why: 'other-currency' });
    const percent = { ...fixed, kind: 'percent' as const, percent: '0.001' };
    expect(rewardFor(percent, { ...sale, paidSats: 50_000 }, 'USD')).toMatchObject({ why: 'too-small' });
  });

  it('takes a percentage of the sats paid exactly, rounding down', () => {
    expect(percentOfSats(13_077, '2.5')).toBe(326); // 326.925
    expect(percentOfSats(100_000_000, '0.000000000001')).toBe(0);
    expect(percentOfSats(2_100_000_000_000_000, '100')).toBe(2_100_000_000_000_000);
    expect(percentOfSats(999, '33.333333333333')).toBe(332);
    expect(rewardFor({ ...fixed, kind: 'percent', percent: '10' }, sale, 'USD')).toEqual({ sats: 1307 });
  });
});

describe('BTC amounts', () => {
  it('writes and reads Greenfield’s decimal strings without floats', () => {
    expect(satsToBtc(0)).toBe('0.00000000');
    expect(satsToBtc(500)).toBe('0.00000500');
    expect(satsToBtc(2_100_000_000_000_000)).toBe('21000000.00000000');
    expect(() => satsToBtc(-1)).toThrow(RangeError);
    expect(() => satsToBtc(1.5)).toThrow(RangeError);
    expect(btcToSats('0.00000500')).toBe(500);
    expect(btcToSats('1')).toBe(100_000_000);
    expect(btcToSats('0.000005009999')).toBe(500);
    expect(btcToSats('-1')).toBeNull();
    expect(btcToSats('1e-5')).toBeNull();
    expect(btcToSats(null)).toBeNull();
    expect(pullPaymentSats('0.001', 'BTC')).toBe(100_000);
    expect(pullPaymentSats('1500', 'SATS')).toBe(1500);
    expect(pullPaymentSats('10', 'USD')).toBeNull();
  });
});

describe('what became of a reward, from BTCPay', () => {
  const pp: PullPaymentFacts = {
    id: 'pp1',
    description: rewardTag('INV1'),
    amount: '0.00000500',
    currency: 'BTC',
    archived: false,
    startsAt: 1_700_000_000,
    expiresAt: 1_700_086_400,
  };
  const now = 1_700_000_100_000;
  const payout = (state: string, payoutAmount: string | null = '0.00000500') => ({
    pullPaymentId: 'pp1',
    state,
    payoutAmount,
    originalAmount: '0.00000500',
  });

  it('reads the tag both ways', () => {
    expect(invoiceOfRewardTag(rewardTag('INV1'))).toBe('INV1');
    expect(invoiceOfRewardTag('flash-card uid-sha256:ab')).toBeNull();
    expect(invoiceOfRewardTag('flash-reward invoice:')).toBeNull();
    expect(invoiceOfRewardTag(null)).toBeNull();
  });

  it('claimed, being claimed, archived, expired or unclaimed', () => {
    expect(rewardStatus(pp, [], now)).toEqual({ sats: 500, state: 'unclaimed', claimedSats: 0 });
    expect(rewardStatus(pp, [payout('AwaitingPayment')], now).state).toBe('claiming');
    expect(rewardStatus(pp, [payout('Completed')], now)).toEqual({
      sats: 500,
      state: 'claimed',
      claimedSats: 500,
    });
    // Payout amount unset (before approval): the original amount counts.
    expect(rewardStatus(pp, [payout('Completed', null)], now).claimedSats).toBe(500);
    expect(rewardStatus(pp, [payout('Cancelled')], now).state).toBe('unclaimed');
    expect(rewardStatus({ ...pp, archived: true }, [], now).state).toBe('archived');
    expect(rewardStatus(pp, [], 1_700_086_400_000).state).toBe('expired');
    // Claimed before it expired stays claimed; another pull payment's payouts do not count.
    expect(rewardStatus(pp, [payout('Completed')], 1_800_000_000_000).state).toBe('claimed');
    expect(rewardStatus(pp, [{ ...payout('Completed'), pullPaymentId: 'other' }], now).state).toBe(
      'unclaimed',
    );
  });

  it('totals per day of issue', () => {
    const day = (ms: number) => {
      const d = new Date(ms);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    };
    const today = day(pp.startsAt! * 1000);
    const totals = rewardTotals(
      [
        { issuedAtMs: pp.startsAt! * 1000, status: { sats: 500, state: 'claimed', claimedSats: 500 } },
        { issuedAtMs: pp.startsAt! * 1000, status: { sats: 300, state: 'expired', claimedSats: 0 } },
        { issuedAtMs: null, status: { sats: 9, state: 'unclaimed', claimedSats: 0 } },
      ],
      [today],
    );
    expect(totals.get(today)).toEqual({ count: 2, sats: 800, claimed: 1, claimedSats: 500, expired: 1 });
  });
});

describe('the reward message', () => {
  const reward: Reward = {
    invoiceId: 'INV1',
    pullPaymentId: 'pp1',
    sats: 500,
    lnurl: 'LNURL1DP68GURN8GHJ7',
    link: 'https://pay.example/pull-payments/pp1',
    expiresAt: Date.UTC(2030, 0, 31),
    state: 'unclaimed',
    claimedSats: 0,
  };
  it('puts the claim link on a line of its own as lightning:, in the store’s language', () => {
    const en = rewardMessage('Flash Coffee', reward, 'en').split('\n');
    expect(en).toContain('lightning:LNURL1DP68GURN8GHJ7');
    expect(en[0]).toBe('Flash Coffee gives you 500 sats back for your purchase.');
    expect(en).toContain('Valid until 2030-01-31.');
    const es = rewardMessage('', { ...reward, expiresAt: null }, 'es');
    expect(es).toContain('La tienda te regala 500 sats');
    expect(es).not.toContain('Válido');
  });
});

describe('the name of a Flash Card top-up reward’s pull payment', () => {
  it('names the sale and the reward, and reads both back; other names are not rewards', () => {
    const name = cardRewardName('Q8bXkVt6HT2aPZsEm1gDk', 500);
    expect(name).toBe('Flash Card +500 sats flash-reward invoice:Q8bXkVt6HT2aPZsEm1gDk');
    expect(cardRewardOfName(name)).toEqual({ invoiceId: 'Q8bXkVt6HT2aPZsEm1gDk', sats: 500 });
    for (const other of [
      'Flash Card',
      'Flash Card +500 sats',
      'Flash Card +500 sats flash-reward invoice:',
      'Flash Card +x sats flash-reward invoice:abc',
      'Reward for order 7',
      rewardTag('abc'),
      null,
      undefined,
    ])
      expect(cardRewardOfName(other)).toBeNull();
  });
});
