import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  connectDemoStore,
  flashCardsSection,
  onboardWithNewWallet,
  openCounterWithCustomerDisplay,
  programBlankCard,
  saveFixedRewardRules,
  sellLattePaidByLightning,
} from './merchant-steps';

// Flash Cards use the stack's simulated NFC reader: browser mode on regtest with the test flags.
test.use({ extraArgs: ['--simulated-devices', '--simulated-nfc', '{nfcUrl}'] });

/** A bridge call made straight from the page, as a script holding the browser-mode token could. */
async function rawCall(page: Page, method: string, input: unknown): Promise<string> {
  return page.evaluate(
    async ({ method, input }) => {
      const token = sessionStorage.getItem('flash.bridgeToken') ?? '';
      const ws = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      const reply = new Promise<string>((resolve) => {
        ws.onmessage = (e) => {
          const data = String(e.data);
          if (data.includes('"id":4242')) resolve(data);
        };
      });
      ws.send(JSON.stringify({ id: 4242, method, input }));
      const text = await reply;
      ws.close();
      return text;
    },
    { method, input },
  );
}

test('rewards and Flash Cards at the counter: Lightning sale, reward claimed, card tap, replay refused, cashier mode', async ({
  flash,
  stack,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  await onboardWithNewWallet(flash);
  await connectDemoStore(page, stack.btcpay);

  // 1. Store settings: 500 sats back per purchase, and a blank card on the reader programmed.
  await saveFixedRewardRules(page, { satsPerPurchase: 500 });
  await expect(
    flashCardsSection(page).getByText(/^A card is on reader Flash simulated reader/),
  ).toBeVisible();
  await programBlankCard(page, 20_000);
  await flash.snap('01-settings-rewards-card');

  // 2. A sale paid over Lightning by the stack; the reward shows on both displays.
  const display = await openCounterWithCustomerDisplay(page);
  await sellLattePaidByLightning(page, stack.btcpay);
  const reward = page.locator('.merchant-reward');
  await expect(reward.getByText('500 sats back')).toBeVisible();
  await expect(reward.getByRole('img', { name: 'Scan to claim 500 sats' })).toHaveAttribute(
    'src',
    /^data:image\/svg/,
  );
  await expect(display.getByText('A gift for you: 500 sats')).toBeVisible();
  await expect(
    display.getByRole('img', { name: 'Scan with a Lightning wallet to claim it' }),
  ).toHaveAttribute('src', /^data:image\/svg/);
  await flash.snap('02-lightning-paid-reward');
  await display.screenshot({ path: 'test-results/screens/merchant-cards-customer-reward.png' });

  // 3. The customer's wallet (the stack) claims the reward; the counter sees it claimed.
  const lnurl = ((await reward.locator('.merchant-link').textContent()) ?? '').trim();
  expect(lnurl).toMatch(/^LNURL1/);
  expect(await stack.btcpay.claim(lnurl)).toMatchObject({ sats: 500, status: 'OK' });
  await reward.getByRole('button', { name: 'Check the claim' }).click();
  await expect(reward.getByRole('status')).toHaveText('Claimed ✓');
  await flash.snap('03-reward-claimed');

  // Browser mode prints with the browser's own dialog: the receipt opens as a page.
  const [receipt] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: 'Print with the browser' }).click(),
  ]);
  await expect(receipt.locator('body')).toContainText('Latte');
  await expect(receipt.locator('body')).toContainText('4.25');
  await expect(receipt.locator('img')).toHaveAttribute('src', /^data:image\/png/);
  // Its layout applies despite the app's CSP (the 80 mm receipt's centred title).
  await expect(receipt.locator('h1')).toHaveCSS('text-align', 'center');
  await receipt.screenshot({ path: 'test-results/screens/merchant-cards-browser-receipt.png' });
  await receipt.close();

  // 4. A Flash Card tap pays the next sale through the simulated reader.
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: /^Latte/ }).click();
  await page.getByRole('button', { name: /^Charge / }).click();
  await expect(page.getByText(/^A card is on reader/)).toBeVisible();
  await page.getByRole('button', { name: 'Tap a Flash Card' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Paid ✓$/ })).toBeVisible();
  await flash.snap('04-card-paid');

  // 5. A copy of that tap on another tag is refused, as BTCPay refuses it.
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: /^Latte/ }).click();
  await page.getByRole('button', { name: /^Charge / }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for payment' })).toBeVisible();
  stack.nfc.presentReplay();
  await page.getByRole('button', { name: 'Tap a Flash Card' }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'This tap was already used. The card may have been copied: refused.',
  );
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for payment' })).toBeVisible();
  await flash.snap('05-replay-refused');
  stack.nfc.present('card-1');

  // 6. The sales list and the day's totals know the rewards and the claim.
  await page.getByRole('button', { name: 'Sales', exact: true }).click();
  await expect(
    page.locator('.merchant-history li').filter({ hasText: 'Reward 500 sats: Claimed ✓' }),
  ).toHaveCount(1);
  await expect(
    page.locator('.merchant-history li').filter({ hasText: 'Reward 500 sats: Not claimed yet' }),
  ).toHaveCount(1);
  await flash.snap('06-sales-rewards');
  await page.getByRole('button', { name: 'Daily totals', exact: true }).click();
  const today = page.locator('.merchant-table tbody tr').last();
  await expect(today.locator('td').nth(3)).toHaveText('2 · 1000 sats');
  await expect(today.locator('td').nth(4)).toHaveText('1 · 500 sats');
  await flash.snap('07-totals-rewards');

  // 7. Cashier mode: only the counter; the wallet and messages are refused even when asked directly.
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  await page.getByLabel('Cashier PIN (4 to 12 digits)').fill('2468');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await expect(page.getByText('A PIN is set.')).toBeVisible();
  await page.getByRole('button', { name: 'Cashier mode', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Leave cashier mode' })).toBeVisible();
  await expect(page.locator('nav.nav').getByRole('button', { name: 'Wallet', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Store settings', exact: true })).toHaveCount(0);
  for (const [method, input] of [
    ['wallet.list', {}],
    ['nostr.listConversations', {}],
    [
      'merchant.setRewardRules',
      { enabled: false, kind: 'fixed', sats: 1, percent: '1', minimumSale: '0', expiryDays: 1 },
    ],
    ['merchant.cardTopUp', { sats: 1000 }],
  ] as const)
    expect(await rawCall(page, method, input), method).toContain('"code":"MERCHANT_CASHIER_LOCKED"');
  expect(await rawCall(page, 'merchant.getStatus', {})).toContain('"ok":true');
  await flash.snap('08-cashier-mode');
  await page.getByLabel('PIN or wallet password').fill('2468');
  await page.getByRole('button', { name: 'Leave cashier mode' }).click();
  await expect(page.locator('nav.nav').getByRole('button', { name: 'Wallet', exact: true })).toBeVisible();
  stack.btcpay.server.assertNoSpecIssues();
});
