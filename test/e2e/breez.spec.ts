import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

// Browser mode on regtest with the stack's Breez stand-in answering the SDK's calls.
test.use({ extraArgs: ['--breez-stand-in', '{controlUrl}'] });

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

test('Breez: connect on the recovery words, receive and pay over Lightning, swap to and from a Bitcoin address, refund a failed swap and accept a changed fee', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);
  const receive = page.getByRole('region', { name: 'Receive' });
  const ownAddress = (await qrText(receive.getByRole('img', { name: /^QR code for bcrt1q/ }))).replace(
    'QR code for ',
    '',
  );

  // Settings → Lightning: Breez needs no API key on regtest; it says where its funds come from.
  await openArea(page, 'Lightning');
  await page.getByRole('button', { name: 'Open Settings → Lightning' }).click();
  const lnSettings = page.getByRole('region', { name: 'Lightning' });
  const breezForm = lnSettings.getByRole('form', { name: 'Breez (built into Flash)' });
  await expect(breezForm).toContainText('restoring the words on another computer brings it back');
  await breezForm.getByRole('button', { name: 'Connect Breez' }).click();
  await expect(breezForm.getByRole('status')).toHaveText('Breez is connected.');
  const provider = lnSettings.getByTestId('ln-provider');
  await expect(provider).toContainText('Breez');
  await expect(provider).toContainText('Default');
  await expect(provider).toContainText('Connected');
  await provider.scrollIntoViewIfNeeded();
  await flash.snap('01-breez-connected');

  // Receive over Lightning: the swapper's invoice, its fee shown; the stack pays it; Paid live.
  await openArea(page, 'Lightning');
  await page.getByRole('tab', { name: 'Receive' }).click();
  const receiveLn = page.getByRole('region', { name: 'Receive over Lightning' });
  await receiveLn.getByLabel('Amount in sats (optional)').fill('5000');
  await receiveLn.getByLabel('Description (optional)').fill('Top up');
  await receiveLn.getByRole('button', { name: 'Create invoice' }).click();
  await expect(receiveLn.getByTestId('ln-invoice-fee')).toHaveText(
    'Breez’s swap fee for receiving this: 39 sats.',
  );
  const invoice = (await receiveLn.getByTestId('ln-invoice').innerText()).trim();
  await flash.snap('02-breez-invoice');
  expect((await stack.lightning.pay('stack', invoice)).state).toBe('succeeded');
  // What reached the balance: the payer's 5,000 sats less the swap fee.
  await expect(receiveLn.getByText('Paid: 4,961 sats')).toBeVisible();
  await expect(page.getByTestId('ln-balance')).toContainText('4,961 sats');
  await flash.snap('03-breez-paid');

  // Pay an invoice: the swap's fee before Pay now.
  await page.getByRole('tab', { name: 'Pay' }).click();
  const pay = page.getByRole('region', { name: 'Pay' });
  const shop = stack.lightning.createInvoice('stack', { amountMsat: 1_000_000n, description: 'Tea' });
  await pay.getByLabel('Invoice, Lightning address, LNURL or bitcoin: link').fill(shop.bolt11);
  await pay.getByRole('button', { name: 'Continue' }).click();
  await pay.getByRole('button', { name: 'Review payment' }).click();
  await expect(pay.getByText('about 22 sats')).toBeVisible();
  await flash.snap('04-breez-pay-review');
  await pay.getByRole('button', { name: 'Pay now' }).click();
  await expect(page.getByRole('region', { name: 'Paid 1,000 sats' })).toBeVisible();
  expect(stack.lightning.lookupInvoice('stack', shop.paymentHash)?.state).toBe('settled');

  // Swaps: receive to a Bitcoin address with its limits and fee.
  const swaps = page.getByRole('region', { name: 'Swaps with a Bitcoin address' });
  await expect(swaps.locator('.breez-in')).toContainText('Limits: 25,000 sats to 25,000,000 sats.');
  await swaps.getByLabel('Amount the sender pays (sats, optional)').fill('30000');
  await swaps.getByRole('button', { name: 'Get a Bitcoin address' }).click();
  await expect(swaps.getByTestId('breez-in-fee')).toHaveText('Swap fee: 330 sats');
  await expect(swaps.getByText('Arrives on Lightning: 29,670 sats')).toBeVisible();
  const swapAddress = (await swaps.getByTestId('breez-in-address').innerText()).trim();
  expect(swapAddress).toMatch(/^bcrt1q/);
  await swaps.getByTestId('breez-in-swap').scrollIntoViewIfNeeded();
  await flash.snap('05-swap-in-address');

  // The sender pays too little: out of limits, the coins wait for a refund to our own address.
  stack.breez.deposit(swapAddress, 10_000);
  const refundable = swaps.getByTestId('breez-refundable');
  await expect(refundable).toContainText('10,000 sats');
  await expect(refundable.getByLabel('Refund to address')).toHaveValue(ownAddress);
  await refundable.getByLabel('Network fee rate (sat/vB)').fill('3');
  await refundable.getByRole('button', { name: 'Preview refund' }).click();
  await expect(refundable.getByTestId('breez-refund-preview')).toHaveText(
    'Network fee 420 sats; you receive 9,580 sats.',
  );
  await refundable.scrollIntoViewIfNeeded();
  await flash.snap('06-refund-preview');
  await refundable.getByRole('button', { name: 'Refund now' }).click();
  await expect(refundable.getByRole('status')).toContainText('Refund sent');
  await flash.snap('07-refund-sent');
  await expect(swaps.getByText('No swap is waiting for a refund.')).toBeVisible();

  // A sender pays more than quoted: the swap waits for the user to accept the new fee.
  await swaps.getByRole('button', { name: 'Another address' }).click();
  await swaps.getByLabel('Amount the sender pays (sats, optional)').fill('30000');
  await swaps.getByRole('button', { name: 'Get a Bitcoin address' }).click();
  const second = (await swaps.getByTestId('breez-in-address').innerText()).trim();
  expect(second).not.toBe(swapAddress);
  stack.breez.deposit(second, 40_000);
  const decision = swaps.getByTestId('breez-fee-decision');
  await expect(decision).toContainText('Swap received 39,660 sats');
  await decision.getByRole('button', { name: 'See the new fee' }).click();
  await expect(decision.getByTestId('breez-fee-new')).toHaveText('340 sats');
  await expect(decision).toContainText('40,000 sats');
  await decision.scrollIntoViewIfNeeded();
  await flash.snap('08-fee-decision');
  await decision.getByRole('button', { name: 'Accept the fee' }).click();
  await expect(page.getByTestId('ln-balance')).toContainText('43,599 sats');
  await expect(swaps.getByTestId('breez-fee-decision')).toHaveCount(0);

  // Pay a Bitcoin address from the Lightning balance: fees and total before sending.
  const out = swaps.locator('.breez-out');
  await out.getByLabel('Bitcoin address').fill(ownAddress);
  await out.getByLabel('Amount to arrive (sats)').fill('30000');
  await out.getByRole('button', { name: 'Review' }).click();
  await expect(out.getByTestId('breez-out-fee')).toHaveText('352 sats');
  await expect(out.getByTestId('breez-out-review')).toContainText('30,352 sats');
  await out.scrollIntoViewIfNeeded();
  await flash.snap('09-swap-out-review');
  await out.getByRole('button', { name: 'Send now' }).click();
  await expect(out.getByRole('status')).toContainText('Sent: the swap is under way');
  await expect(page.getByTestId('ln-balance')).toContainText('13,247 sats');

  // The activity feed has the Lightning payments and the swaps.
  await page.getByRole('tab', { name: 'Activity' }).click();
  const feed = page.getByRole('region', { name: 'Activity' }).last();
  await expect(feed).toContainText('+4,961 sats');
  await expect(feed).toContainText('−1,000 sats');
  await expect(feed).toContainText('−30,000 sats');
  await flash.snap('10-feed');
});
