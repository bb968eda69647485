import fs from 'node:fs';
import { extractText } from 'unpdf';
import { expect, test } from './fixtures';
import { createWallet } from './steps';

test('a shop day at the counter: connect BTCPay, sell, get paid on-chain, receipt, refund, cashier mode, totals', async ({
  flash,
  stack,
}) => {
  test.setTimeout(180_000);
  const { page } = flash;
  await createWallet(flash);
  await expect(page.getByRole('region', { name: 'Receive' })).toBeVisible();
  await page.getByRole('navigation').getByRole('button', { name: 'Merchant', exact: true }).click();

  // 1. Connect the store with the server address and an API key.
  await expect(page.getByRole('heading', { name: 'Connect your BTCPay store' })).toBeVisible();
  await page.getByLabel('BTCPay Server address').fill(stack.btcpay.url);
  await page.getByLabel('API key').fill(stack.btcpay.seed.adminKey.apiKey);
  await flash.snap('01-connect');
  await page.getByRole('button', { name: 'Connect with this key' }).click();
  await expect(page.getByRole('heading', { name: 'Pick the store and its Point of Sale app' })).toBeVisible();
  await expect(page.getByLabel('Point of Sale app', { exact: true })).toHaveValue(stack.btcpay.seed.app.id);
  await flash.snap('02-pick-app');
  await page.getByRole('button', { name: 'Use this app' }).click();

  // 2. A cart with items, a tip and a discount.
  await expect(page.getByRole('button', { name: /^Latte/ })).toBeVisible();
  await page.getByRole('button', { name: 'Bakery', exact: true }).click();
  await expect(page.getByRole('button', { name: /^Latte/ })).toBeHidden();
  await page.getByRole('button', { name: /^Croissant/ }).click();
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search items' }).fill('lat');
  await page.getByRole('button', { name: /^Latte/ }).click();
  await page.getByRole('button', { name: 'One more Latte' }).click();
  await page.getByRole('searchbox', { name: 'Search items' }).fill('');
  await page.getByRole('radio', { name: '15%' }).click();
  await page.getByLabel('Discount %').fill('10');
  await page.getByLabel('Note').fill('table 4');
  // 2 × 4.25 + 3.10 = 11.60, 10% off per line: subtotal 10.44; the croissant's own 5% tax 0.14; tip 15% 1.57.
  await expect(page.getByTestId('merchant-total')).toHaveText('12.15 USD');
  await flash.snap('03-cart');

  // The customer display: a second tab of the app.
  const [display] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Customer display' }).click(),
  ]);
  await expect(display.getByTestId('customer-total')).toHaveText('12.15 USD');
  await display.screenshot({ path: 'test-results/screens/merchant-customer-cart.png' });

  // 3. Charge: one QR for on-chain and Lightning, on both screens.
  await page.getByRole('button', { name: 'Charge 12.15 USD' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for payment' })).toBeVisible();
  const qr = page.getByRole('img', { name: 'Scan to pay 12.15 USD' });
  await expect(qr).toHaveAttribute('src', /^data:image\/svg/);
  await expect(
    display.getByRole('img', { name: 'Scan with any Bitcoin or Lightning wallet' }),
  ).toHaveAttribute('src', /^data:image\/svg/);
  await flash.snap('04-qr');
  await display.screenshot({ path: 'test-results/screens/merchant-customer-qr.png' });
  const ids = (await page.locator('.merchant-sale .mono').first().textContent()) ?? '';
  const invoiceId = ids.split('·')[1]?.trim() ?? '';
  expect(invoiceId).toMatch(/^[A-Za-z0-9]{10,}$/);

  // 4. The stack pays on-chain; "Paid" on both displays once it is mined.
  stack.btcpay.payOnChain(invoiceId);
  await expect(page.getByRole('status').filter({ hasText: 'Paid ✓ (confirming)' })).toBeVisible();
  stack.chain.mine(1);
  await expect(page.getByRole('status').filter({ hasText: /^Paid ✓$/ })).toBeVisible();
  await expect(display.getByRole('status')).toHaveText('Paid ✓ Thank you!');
  await flash.snap('05-paid');
  await display.screenshot({ path: 'test-results/screens/merchant-customer-paid.png' });

  // 5. The receipt, printed to PDF without a dialog.
  await page.getByRole('button', { name: 'Print receipt' }).click();
  const saved = page.getByRole('status').filter({ hasText: 'Receipt saved:' });
  await expect(saved).toBeVisible();
  const pdfPath = ((await saved.textContent()) ?? '').replace('Receipt saved:', '').trim();
  const { text } = await extractText(new Uint8Array(fs.readFileSync(pdfPath)), { mergePages: true });
  expect(text).toContain('Flash Coffee');
  expect(text).toContain('2 x $4.25 = $8.50');
  expect(text).toContain('Croissant');
  expect(text).toContain('$12.15');
  expect(text).toContain('Paid');
  expect(text).toContain('Note: table 4');
  await flash.snap('06-receipt');
  await page.getByRole('button', { name: 'New sale' }).click();
  await expect(display.getByRole('heading', { name: 'Welcome to Flash Coffee' })).toBeVisible();

  // 6. A refund from the sales list, claimed by LNURL-withdraw.
  await page.getByRole('button', { name: 'Sales', exact: true }).click();
  const row = page.locator('.merchant-history li').filter({ hasText: '12.15 USD' });
  await expect(row).toContainText('Paid ✓');
  await row.getByRole('button', { name: 'Refund' }).click();
  await page.getByRole('radio', { name: 'The bitcoin paid (rate at the time of sale)' }).check();
  await page.getByRole('button', { name: 'Create refund' }).click();
  await expect(page.getByText(/^Refund of 0\.\d+ BTC created/)).toBeVisible();
  await expect(page.locator('.merchant-link').filter({ hasText: /^LNURL1/ })).toBeVisible();
  await flash.snap('07-refund');

  // 7. Daily totals and the chart.
  await page.getByRole('button', { name: 'Daily totals', exact: true }).click();
  const todayRow = page.locator('.merchant-table tbody tr').last();
  await expect(todayRow).toContainText('12.15 USD');
  await expect(todayRow.locator('td').nth(1)).toHaveText('1');
  await expect(page.getByRole('img', { name: 'Bar chart of sales per day' })).toBeVisible();
  await flash.snap('08-totals');

  // 8. Cashier mode: only the counter and today's sales, until the PIN.
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  await expect(page.getByText('Take payments: Allowed')).toBeVisible();
  await page.getByLabel('Cashier PIN (4 to 12 digits)').fill('2468');
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await expect(page.getByText('A PIN is set.')).toBeVisible();
  await page.getByRole('button', { name: 'Cashier mode', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Leave cashier mode' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' }).or(page.locator('nav.nav'));
  await expect(nav.getByRole('button', { name: 'Wallet', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Store settings', exact: true })).toHaveCount(0);
  await flash.snap('09-cashier');
  await page.getByLabel('PIN or wallet password').fill('0000');
  await page.getByRole('button', { name: 'Leave cashier mode' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong PIN.');
  await page.getByLabel('PIN or wallet password').fill('2468');
  await page.getByRole('button', { name: 'Leave cashier mode' }).click();
  await expect(page.getByRole('button', { name: 'Store settings', exact: true })).toBeVisible();
  await expect(page.locator('nav.nav').getByRole('button', { name: 'Wallet', exact: true })).toBeVisible();
  stack.btcpay.server.assertNoSpecIssues();
});
