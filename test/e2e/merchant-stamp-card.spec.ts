import type { Page } from '@playwright/test';
import type { BtcpayStack } from '../stack/btcpay';
import { expect, test } from './fixtures';
import {
  connectDemoStore,
  onboardWithNewWallet,
  openCounterWithCustomerDisplay,
  sellLattePaidByLightning,
} from './merchant-steps';

// A known customer's npub (any valid key: the stamp card only needs their public key).
const CUSTOMER = 'npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6';

/** One sale for the identified customer, paid over Lightning by the stack; the sale screen's stamps. */
async function stampedSale(page: Page, btcpay: BtcpayStack, expected: string): Promise<void> {
  const panel = page.locator('.merchant-stamps');
  await panel.getByLabel('Customer’s npub or Flash Card UID').fill(CUSTOMER);
  await panel.getByRole('button', { name: 'Find their card' }).click();
  await expect(panel.getByRole('status')).toHaveText(/^Stamp \d of 3$/);
  await sellLattePaidByLightning(page, btcpay);
  await expect(page.getByTestId('sale-stamps').getByRole('status')).toHaveText(expected);
}

test('stamp card: the cashier names the customer by npub, the stamps go up, the third sale shows the reward QR', async ({
  flash,
  stack,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  await onboardWithNewWallet(flash);
  await connectDemoStore(page, stack.btcpay);

  // 1. Store settings: a stamp card of 3 purchases, 500 sats for a full card.
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  await page.getByLabel('Give rewards after paid sales').check();
  await page.getByLabel('A stamp card: every Nth purchase of a known customer').check();
  await page.getByLabel('Purchases per card (the last one earns the reward)').fill('3');
  await page.getByLabel('A fixed amount in sats').check();
  await page.getByLabel('Sats for a full card').fill('500');
  await page.getByRole('button', { name: 'Save reward rules' }).click();
  await expect(page.getByText('Reward rules saved.')).toBeVisible();
  await flash.snap('01-stamp-card-rules');

  // 2. A bad customer is refused in words; the npub finds an empty card.
  const display = await openCounterWithCustomerDisplay(page);
  const panel = page.locator('.merchant-stamps');
  await panel.getByLabel('Customer’s npub or Flash Card UID').fill('npub1notakey');
  await panel.getByRole('button', { name: 'Find their card' }).click();
  await expect(panel.getByRole('alert')).toHaveText(
    'This customer can’t be read: use their npub (or public key in hex), or tap their Flash Card.',
  );
  await panel.getByLabel('Customer’s npub or Flash Card UID').fill(CUSTOMER);
  await panel.getByRole('button', { name: 'Find their card' }).click();
  await expect(panel.getByRole('status')).toHaveText('Stamp 0 of 3');
  await expect(panel.getByText(CUSTOMER)).toBeVisible();
  await flash.snap('02-customer-identified');
  await panel.getByRole('button', { name: 'Another customer' }).click();

  // 3. Two sales: a stamp each, on the sale screen and the customer display; no reward yet.
  await stampedSale(page, stack.btcpay, 'Stamp 1 of 3');
  await expect(display.getByTestId('customer-stamps')).toHaveText('Stamp 1 of 3');
  await expect(page.locator('.merchant-reward')).toHaveCount(0);
  await flash.snap('03-first-stamp');
  await page.getByRole('button', { name: 'New sale' }).click();
  await stampedSale(page, stack.btcpay, 'Stamp 2 of 3');
  await expect(display.getByTestId('customer-stamps')).toHaveText('Stamp 2 of 3');
  await page.getByRole('button', { name: 'New sale' }).click();

  // 4. The third fills the card: its reward's QR on both screens.
  await stampedSale(page, stack.btcpay, 'Stamp 3 of 3');
  await expect(page.getByText('Card full: this purchase earns the reward!')).toBeVisible();
  const reward = page.locator('.merchant-reward');
  await expect(reward.getByText('500 sats back')).toBeVisible();
  await expect(reward.getByRole('img', { name: 'Scan to claim 500 sats' })).toHaveAttribute(
    'src',
    /^data:image\/svg/,
  );
  await expect(display.getByTestId('customer-stamps')).toHaveText('Stamp 3 of 3');
  await expect(display.getByText('A gift for you: 500 sats')).toBeVisible();
  await flash.snap('04-card-full-reward');
  await display.screenshot({ path: 'test-results/screens/merchant-stamp-card-customer-reward.png' });

  // 5. The next visit starts a new card; the day's totals count the stamp reward.
  await page.getByRole('button', { name: 'New sale' }).click();
  await panel.getByLabel('Customer’s npub or Flash Card UID').fill(CUSTOMER);
  await panel.getByRole('button', { name: 'Find their card' }).click();
  await expect(panel.getByRole('status')).toHaveText('Stamp 0 of 3');
  await page.getByRole('button', { name: 'Daily totals', exact: true }).click();
  const today = page.locator('.merchant-table tbody tr').last();
  await expect(today.locator('td').nth(3)).toHaveText('1 · 500 sats');
  await flash.snap('05-totals-stamp-reward');
  stack.btcpay.server.assertNoSpecIssues();
});
