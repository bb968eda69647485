import { expect, test } from './fixtures';
import { createWallet } from './steps';

// The stack's simulated NFC reader with NTAG 424 cards: browser mode on regtest with the test flags.
test.use({ extraArgs: ['--simulated-devices', '--simulated-nfc', '{nfcUrl}'] });

test('rewards as a Flash Card top-up: the customer display asks for the tap, the cashier adds the reward to the card once', async ({
  flash,
  stack,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  await createWallet(flash);
  await expect(page.getByRole('region', { name: 'Receive' })).toBeVisible();
  await page.getByRole('navigation').getByRole('button', { name: 'Merchant', exact: true }).click();
  await page.getByLabel('BTCPay Server address').fill(stack.btcpay.url);
  await page.getByLabel('API key').fill(stack.btcpay.seed.adminKey.apiKey);
  await page.getByRole('button', { name: 'Connect with this key' }).click();
  await page.getByRole('button', { name: 'Use this app' }).click();
  await expect(page.getByRole('button', { name: /^Latte/ })).toBeVisible();

  // Store settings: 300 sats back onto the customer's Flash Card; the blank card programmed.
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  await page.getByLabel('Give rewards after paid sales').check();
  await page.getByLabel('Sats per purchase').fill('300');
  await page.getByLabel('A top-up of the customer’s Flash Card (they tap it after paying)').check();
  await page.getByRole('button', { name: 'Save reward rules' }).click();
  await expect(page.getByText('Reward rules saved.')).toBeVisible();
  const cards = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Flash Cards' }) });
  await cards.getByLabel('Balance to load (sats)').fill('20000');
  await cards.getByRole('button', { name: 'Program a blank card' }).click();
  const programmed = cards.getByText(/^Card [0-9a-f]{14} programmed with 20000 sats\.$/);
  await expect(programmed).toBeVisible();
  const uid = /^Card ([0-9a-f]{14})/.exec((await programmed.textContent()) ?? '')?.[1] ?? '';
  await flash.snap('01-rules-flash-card');

  // A sale paid over Lightning: nothing is given until the card is on the reader.
  await page.getByRole('button', { name: 'Counter', exact: true }).click();
  const [display] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Customer display' }).click(),
  ]);
  await page.getByRole('button', { name: /^Latte/ }).click();
  await page.getByRole('button', { name: /^Charge / }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for payment' })).toBeVisible();
  const invoiceId =
    ((await page.locator('.merchant-sale .mono').first().textContent()) ?? '').split('·')[1]?.trim() ?? '';
  await stack.btcpay.payLightning(invoiceId);
  await expect(page.getByRole('status').filter({ hasText: /^Paid ✓$/ })).toBeVisible();
  await expect(display.getByText('A gift for you: 300 sats')).toBeVisible();
  await expect(display.getByText('Put your Flash Card on the reader to add it')).toBeVisible();
  const reward = page.locator('.merchant-reward');
  await expect(reward.getByText(/^The reward goes onto the customer’s Flash Card/)).toBeVisible();
  await flash.snap('02-paid-asks-for-card');
  await display.screenshot({ path: 'test-results/screens/merchant-card-rewards-customer-tap.png' });

  // The customer's card is on the reader: the cashier adds the reward.
  await reward.getByRole('button', { name: 'Add to the card' }).click();
  await expect(reward.getByText(`Added to Flash Card ${uid} ✓`)).toBeVisible();
  await expect(reward.getByRole('status')).toHaveText('Claimed ✓');
  await expect(display.getByText('A gift for you: 300 sats')).toHaveCount(0);
  await expect(display.getByText('Paid ✓ Thank you!')).toBeVisible();
  await flash.snap('03-added-to-card');

  // The card holds it once; the sales list shows the reward as claimed.
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  await cards.getByRole('button', { name: 'Check the card’s balance' }).click();
  await expect(cards.getByText('The card holds 20300 sats.')).toBeVisible();
  await page.getByRole('button', { name: 'Sales', exact: true }).click();
  await expect(
    page.locator('.merchant-history li').filter({ hasText: 'Reward 300 sats: Claimed ✓' }),
  ).toHaveCount(1);
  await flash.snap('04-sales-card-reward');
  stack.btcpay.server.assertNoSpecIssues();
});
