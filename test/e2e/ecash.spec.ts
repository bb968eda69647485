import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createWallet } from './steps';

async function openEcash(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'eCash', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'eCash', level: 1 })).toBeVisible();
}

test('eCash: add a mint, mint from Lightning, send a token that another wallet claims, melt, the feed, a mint that is down', async ({
  flash,
  stack,
  launchFlash,
}) => {
  const { page } = flash;
  const [alpha] = stack.cashuMints;
  if (!alpha) throw new Error('the stack runs two mints');
  await createWallet(flash);

  // Add the mint: its NUT-06 info (units, fees, supported NUTs) and the warning come before trusting it.
  await openEcash(page);
  await expect(page.getByText('No eCash yet.')).toBeVisible();
  await page.getByRole('tab', { name: 'Mints' }).click();
  const add = page.getByRole('region', { name: 'Add a mint' });
  await add.getByLabel('Mint address').fill('not a mint');
  await add.getByRole('button', { name: 'Look it up' }).click();
  await expect(add.getByRole('alert')).toContainText('That is not a mint address');
  await add.getByLabel('Mint address').fill(alpha.url);
  await add.getByRole('button', { name: 'Look it up' }).click();
  const about = add.getByRole('region', { name: 'About this mint' });
  await expect(about.getByRole('heading', { name: 'Mint alpha' })).toBeVisible();
  await expect(about.getByTestId('ecash-nuts')).toContainText('NUT-04');
  await expect(about.getByTestId('ecash-nuts')).toContainText('NUT-17');
  await expect(about).toContainText('sat: 100 ppk per proof spent');
  await flash.snap('01-mint-preview');
  await about.getByRole('button', { name: 'Trust this mint' }).click();
  const mintCard = page.getByRole('region', { name: 'Mint Mint alpha' });
  await expect(mintCard).toBeVisible();
  await expect(mintCard.getByText('Online')).toBeVisible();

  // Mint from Lightning: the invoice as a QR; the stack's Lightning wallet pays it; minted live.
  await page.getByRole('tab', { name: 'Receive' }).click();
  const mintLn = page.getByRole('region', { name: 'Mint from Lightning' });
  await mintLn.getByLabel('Amount (sat)').fill('5000');
  await mintLn.getByRole('button', { name: 'Get invoice' }).click();
  await expect(mintLn.getByRole('img', { name: 'QR code of the invoice to pay the mint' })).toBeVisible();
  const invoice = (await mintLn.getByTestId('ecash-mint-invoice').innerText()).trim();
  expect(invoice).toMatch(/^lnbcrt50u1/);
  await expect(mintLn.getByText('Waiting for payment', { exact: true })).toBeVisible();
  await flash.snap('02-mint-invoice');
  expect((await stack.lightning.pay('stack', invoice)).state).toBe('succeeded');
  await expect(mintLn.getByTestId('ecash-op-state')).toContainText('Done');
  await expect(page.getByTestId('ecash-total-sat')).toHaveText('5,000 sats');
  await flash.snap('03-minted');

  // Send a token: text and QR code; it waits to be claimed.
  await page.getByRole('tab', { name: 'Send' }).click();
  const send = page.getByRole('region', { name: 'Send a token' });
  await expect(send.getByText('Spendable at this mint: 5,000 sats')).toBeVisible();
  await send.getByLabel('Amount (sat)').fill('1000');
  await send.getByLabel('Memo (optional)').fill('Lunch');
  await send.getByRole('button', { name: 'Make token' }).click();
  const sent = page.getByRole('region', { name: 'Token for 1,000 sats' });
  await expect(sent.getByRole('img', { name: /QR code of the eCash token/ })).toBeVisible();
  await expect(sent.getByTestId('ecash-op-state')).toContainText('Waiting to be claimed');
  const token = (await sent.getByTestId('ecash-token').innerText()).trim();
  expect(token).toMatch(/^cashuB/);
  await flash.snap('04-token');

  // A second wallet (another person) checks the token offline, trusts the mint and claims it.
  const bob = await launchFlash('bob');
  await createWallet(bob);
  await openEcash(bob.page);
  await bob.page.getByRole('tab', { name: 'Receive' }).click();
  const receive = bob.page.getByRole('region', { name: 'Receive a token' });
  await receive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)').fill(token);
  await receive.getByRole('button', { name: 'Check token' }).click();
  const checked = receive.getByRole('region', { name: 'Token checked' });
  await expect(checked).toContainText('1,000 sats');
  // Bob has not added the mint: its keysets (and so the DLEQ check) are not known yet.
  const alphaHost = alpha.url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  await expect(checked).toContainText(alphaHost);
  await expect(checked).toContainText('Lunch');
  await expect(checked).toContainText('Mint keys not known yet');
  await expect(checked).toContainText('from a mint you have not added');
  await bob.snap('05-token-checked');
  await checked.getByRole('button', { name: `Trust ${alphaHost} and claim` }).click();
  await expect(receive.getByTestId('ecash-op-state')).toContainText('Claimed');
  // The claim is a swap: the mint's input fee (100 ppk per proof) comes off what arrives.
  await expect(bob.page.getByTestId('ecash-total-sat')).toContainText(/^99\d sats$/);
  await bob.snap('06-claimed');

  // The sender hears that the token was claimed.
  await expect(
    page.getByRole('status').filter({ hasText: 'Your eCash token was claimed: 1,000 sats' }),
  ).toBeVisible({ timeout: 40_000 });
  await expect(sent.getByTestId('ecash-op-state')).toContainText('Claimed');
  await flash.snap('07-sent-claimed');

  // Claiming the same token twice is a typed error.
  await receive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)').fill(token);
  await receive.getByRole('button', { name: 'Check token' }).click();
  const again = receive.getByRole('region', { name: 'Token checked' });
  await expect(again).toContainText('Mint alpha');
  await expect(again).toContainText('Checked offline: real eCash of this mint');
  await again.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(receive.getByRole('alert')).toContainText('This eCash was already spent');
  await bob.snap('08-double-spend');

  // Melt: pay a Lightning invoice with eCash; the fee reserve shows before "Pay now".
  await page.getByRole('tab', { name: 'Pay' }).click();
  const melt = page.getByRole('region', { name: 'Pay a Lightning invoice with eCash' });
  const bill = stack.lightning.createInvoice('stack', {
    amountMsat: 1_500_000n,
    description: 'Books',
  }).bolt11;
  await melt.getByLabel('Lightning invoice or address').fill(bill);
  await melt.getByRole('button', { name: 'Review payment' }).click();
  const review = melt.getByTestId('ecash-melt-review');
  await expect(review).toContainText('1,500 sats');
  await expect(review).toContainText('Fees');
  await expect(review).toContainText('at most');
  await flash.snap('09-melt-review');
  await melt.getByRole('button', { name: 'Pay now' }).click();
  await expect(melt.getByTestId('ecash-op-state')).toContainText('Paid');
  await flash.snap('10-melt-paid');

  // History: every operation with its state.
  await page.getByRole('tab', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'eCash history' });
  await expect(history.locator('tr[data-kind="mint"][data-state="done"]')).toHaveCount(1);
  await expect(history.locator('tr[data-kind="send"][data-state="claimed"]')).toHaveCount(1);
  await expect(history.locator('tr[data-kind="melt"][data-state="paid"]')).toHaveCount(1);
  await history.getByRole('button', { name: 'Finish open operations now' }).click();
  await expect(history.getByText('Recovery done. Still open: 0')).toBeVisible();
  await flash.snap('11-history');

  // The unified activity feed has the eCash rail too.
  await page.getByRole('navigation').getByRole('button', { name: 'Lightning', exact: true }).click();
  await page.getByRole('tab', { name: 'Activity' }).click();
  const feed = page.getByRole('region', { name: 'Activity' }).last();
  await expect(feed.locator('tr[data-rail="ecash"]')).toHaveCount(3);
  await feed.getByLabel('Show').selectOption('ecash');
  await expect(feed.locator('tr[data-rail="ecash"]')).toHaveCount(3);
  await expect(feed).toContainText('+5,000 sats');
  await expect(feed).toContainText('−1,000 sats');
  await expect(feed).toContainText('−1,500 sats');
  await flash.snap('12-feed-ecash');

  // A mint that is down: a clear error, and what it holds is still shown as held.
  alpha.setFault('down');
  await openEcash(page);
  await page.getByRole('tab', { name: 'Send' }).click();
  await send.getByLabel('Amount (sat)').fill('100');
  await send.getByRole('button', { name: 'Make token' }).click();
  await expect(send.getByRole('alert')).toContainText('The mint cannot be reached right now');
  await page.getByRole('tab', { name: 'Mints' }).click();
  await mintCard.getByRole('button', { name: 'Refresh' }).click();
  await expect(mintCard.getByRole('alert')).toContainText('The mint cannot be reached right now');
  await expect(mintCard.getByText('Unreachable: its balance is still held')).toBeVisible();
  await expect(mintCard.getByTestId('ecash-spendable')).not.toHaveText('0 sats');
  await flash.snap('13-mint-down');
  alpha.setFault('none');
  await mintCard.getByRole('button', { name: 'Refresh' }).click();
  await expect(mintCard.getByText('Online')).toBeVisible();
});
