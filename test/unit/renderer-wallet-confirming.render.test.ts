import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../shared/contract/settings';
import type { ActivityItem, Balance } from '../../shared/contract/wallet';
import { ActivityList } from '../../renderer/features/wallet/ActivityList';
import { BalanceCard } from '../../renderer/features/wallet/BalanceCard';
import { speedUpFor } from '../../renderer/features/wallet/TransactionDetails';
import { I18nProvider } from '../../renderer/i18n';

/** The markup a component renders in a language, tags dropped: what the user reads. */
function textOf(language: Language, element: ReturnType<typeof createElement>): string {
  const html = renderToStaticMarkup(createElement(I18nProvider, { language, children: element }));
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const item = (over: Partial<ActivityItem>): ActivityItem => ({
  txid: 'ab'.repeat(32),
  amountSats: 50_000,
  height: 101,
  confirmations: 0,
  firstSeenAt: 1_700_000_000_000,
  direction: 'in',
  verification: 'unverified',
  feeSats: null,
  feeRate: null,
  ...over,
});

const activity = (language: Language, it: ActivityItem) =>
  textOf(
    language,
    createElement(ActivityList, {
      page: { items: [it], total: 1 },
      loadingMore: false,
      onShowMore: () => {},
      onSpeedUp: () => {},
    }),
  );

describe('a payment in a block that is not verified yet', () => {
  it('shows as "Confirming, not verified yet" in the activity, with no confirmation count and no Speed up', () => {
    const text = activity('en', item({}));
    expect(text).toContain('Confirming, not verified yet');
    expect(text).not.toMatch(/confirmation/);
    expect(text).not.toContain('Unconfirmed');
    expect(text).not.toContain('Speed up');
    expect(activity('es', item({}))).toContain('Confirmando, aún sin verificar');
  });

  it('counts and marks a verified one, and keeps "Unconfirmed" for the mempool', () => {
    const verified = activity('en', item({ verification: 'verified', confirmations: 3 }));
    expect(verified).toContain('3 confirmations');
    expect(verified).toContain('Verified');
    const mempool = activity('en', item({ height: 0, verification: 'mempool' }));
    expect(mempool).toContain('Unconfirmed');
    expect(mempool).not.toContain('Confirming');
  });

  it('cannot be sped up: a transaction in a block cannot be replaced, verified or not', () => {
    expect(speedUpFor({ height: 101, direction: 'out', rbf: true })).toBeNull();
    expect(speedUpFor({ height: 0, direction: 'out', rbf: true })).toBe('bump');
    expect(speedUpFor({ height: 0, direction: 'in' })).toBe('cpfp');
  });

  it('has its own line on the balance card, in both languages', () => {
    const balance: Balance = { confirmed: 10_000, confirming: 50_000, unconfirmed: 0 };
    const en = textOf('en', createElement(BalanceCard, { balance }));
    expect(en).toMatch(/Confirmed 0\.00010000 BTC .*Confirming, not verified yet 0\.00050000 BTC/);
    const es = textOf('es', createElement(BalanceCard, { balance }));
    expect(es).toContain('Confirmando, aún sin verificar');
    // Nothing to say when nothing is waiting for its proof.
    const settled = textOf('en', createElement(BalanceCard, { balance: { ...balance, confirming: 0 } }));
    expect(settled).not.toContain('Confirming');
  });
});
