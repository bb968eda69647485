import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { ecashWallet } from '../support/ecash';
import { expect, test } from './fixtures';
import {
  connectDemoStore,
  onboardWithNewWallet,
  openCounterWithCustomerDisplay,
  stackMintAlpha,
  trustMint,
} from './merchant-steps';

test('eCash at the counter while BTCPay is down: a trusted mint, the request on both displays, a token taken offline and claimed when the mint is back', async ({
  flash,
  stack,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  const alpha = stackMintAlpha(stack);
  await onboardWithNewWallet(flash);

  // The shop's wallet trusts the stack's mint "alpha" in its own eCash screen.
  await trustMint(page, alpha.url);

  // Connect the store, then choose the mint for the counter.
  await connectDemoStore(page, stack.btcpay);
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  const settings = page.getByRole('region', { name: 'eCash at the counter' });
  await settings.getByLabel(new RegExp(`^Take eCash from .*${alpha.url.replace(/[.]/g, '\\.')}`)).check();
  await settings.getByLabel('Most per eCash sale (sats)').fill('20000');
  await settings.getByRole('button', { name: 'Save eCash settings' }).click();
  await expect(settings.getByText('eCash settings saved.')).toBeVisible();
  await flash.snap('01-ecash-settings');

  // BTCPay goes down; Charge says so and offers eCash.
  const display = await openCounterWithCustomerDisplay(page);
  stack.btcpay.server.fault = 'down';
  await page.getByRole('button', { name: /^Latte/ }).click();
  await page.getByRole('button', { name: /^Charge / }).click();
  await expect(page.getByRole('alert').first()).toHaveText(
    'Can’t reach the BTCPay server. Check the address and the network.',
  );
  await page.getByRole('button', { name: 'Take eCash instead' }).click();
  const sale = page.getByRole('region', { name: 'eCash sale (BTCPay offline)' });
  // 4.25 USD at the stand-in store's 65000 USD per BTC.
  await expect(sale.getByText(/^4\.25 USD = 6538 sats at 65000 USD per BTC/)).toBeVisible();
  await expect(sale.getByRole('img', { name: 'eCash payment request for 6538 sats' })).toHaveAttribute(
    'src',
    /^data:image\/svg/,
  );
  await expect(sale.getByText(/^Your risk: offline, Flash checks the mint’s signatures/)).toBeVisible();
  await expect(display.getByTestId('customer-total')).toHaveText('4.25 USD');
  await expect(
    display.getByRole('img', { name: 'Scan with a Cashu eCash wallet, then show the cashier your token' }),
  ).toBeVisible();
  await flash.snap('02-ecash-request');
  await display.screenshot({ path: 'test-results/screens/merchant-offline-ecash-customer-request.png' });

  // The customer's wallet makes a token; then the shop's network (and so the mint) is gone too.
  const customer = await ecashWallet(stack.lightning, { words: generateMnemonic(wordlist) });
  try {
    await customer.ecash.addMint(alpha.url);
    const quote = await customer.ecash.mintQuote({ mintUrl: alpha.url, unit: 'sat', amount: 10_000 });
    await customer.ecash.payMintQuote(quote.id);
    const { token } = await customer.ecash.send({ mintUrl: alpha.url, unit: 'sat', amount: 6538 });
    const short = (await customer.ecash.send({ mintUrl: alpha.url, unit: 'sat', amount: 1000 })).token;
    alpha.setFault('down');

    // Too little first: refused in words.
    await sale.getByLabel('Customer’s eCash token (paste or scan)').fill(short);
    await sale.getByRole('button', { name: 'Accept eCash' }).click();
    await expect(sale.getByRole('alert')).toHaveText('The token holds 1000 sats; this sale needs 6538 sats.');

    await sale.getByLabel('Customer’s eCash token (paste or scan)').fill(token);
    await sale.getByRole('button', { name: 'Accept eCash' }).click();
    const paid = page.getByRole('status').filter({ hasText: 'Paid in eCash ✓' });
    await expect(paid).toBeVisible();
    await expect(page.getByText('eCash, to claim', { exact: true })).toBeVisible();
    await expect(display.getByText('Paid ✓ Thank you!')).toBeVisible();
    await flash.snap('03-ecash-paid-to-claim');

    // The mint answers again: the wallet's eCash journal claims the token on its own.
    alpha.setFault('none');
    await expect(page.getByText('eCash, claimed ✓', { exact: true })).toBeVisible({ timeout: 90_000 });
    await flash.snap('04-ecash-claimed');

    // Sales: BTCPay is still down, this counter's eCash sale is listed.
    await page.getByRole('button', { name: 'New sale' }).click();
    await page.getByRole('button', { name: 'Sales', exact: true }).click();
    const ecashSales = page.getByRole('region', { name: 'eCash sales at this counter' });
    await expect(ecashSales.locator('li')).toHaveCount(1);
    await expect(ecashSales.locator('li')).toContainText('4.25 USD · 6538 sats');
    await expect(ecashSales.locator('li')).toContainText(/· the mint kept [1-9]\d* sats as its fee/);
    await expect(ecashSales.locator('li')).toContainText('eCash, claimed ✓');
    await flash.snap('05-ecash-sales');

    // BTCPay is back: the day's totals carry this counter's eCash sale beside BTCPay's.
    stack.btcpay.server.fault = 'none';
    await page.getByRole('button', { name: 'Daily totals', exact: true }).click();
    const today = page.locator('.merchant-table tbody tr').last();
    await expect(today.locator('td').nth(5)).toHaveText(/^1 · 4\.25 USD · 65\d\d sats$/);
    await flash.snap('06-totals-with-ecash');
  } finally {
    alpha.setFault('none');
    stack.btcpay.server.fault = 'none';
    await customer.close();
  }
  stack.btcpay.server.assertNoSpecIssues();
});
