import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

async function fund(
  page: Page,
  stack: { chain: { send(a: string, s: number): unknown; mine(n: number): unknown } },
) {
  const receive = page.getByRole('region', { name: 'Receive' });
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1q/ });
  await expect(qr).toBeVisible();
  stack.chain.send((await qrText(qr)).replace('QR code for ', ''), 1_000_000);
  stack.chain.mine(1);
  const balance = page.getByRole('region', { name: 'Balance' });
  await expect(balance.getByRole('definition').first()).toContainText('0.01000000 BTC');
}

async function review(page: Page, to: string, btc: string, rate: string) {
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const form = page.getByRole('form', { name: 'Send bitcoin' });
  await form.getByLabel('Pay to').fill(to);
  await form.getByLabel('Amount', { exact: true }).fill(btc);
  await form.getByRole('radio', { name: /^Custom/ }).check();
  await form.getByLabel('Custom fee rate (sat/vB)').fill(rate);
  await form.getByRole('button', { name: 'Review' }).click();
  const region = page.getByRole('region', { name: 'Check before you send' });
  await expect(region).toBeVisible();
  return region;
}

test('an absurd fee is stopped and explained until the user types it back', async ({ flash, stack }) => {
  const { page } = flash;
  await createWallet(flash);
  await fund(page, stack);

  const check = await review(page, stack.chain.stackAddress, '0.001', '1500');
  const warning = check.getByRole('alert').filter({ hasText: 'This fee looks like a mistake' });
  await expect(warning).toContainText('1500 sat/vB');
  await expect(warning).toContainText('above 1,000 sat/vB');
  const fee = /The fee is ([\d,]+) sats/.exec(await warning.innerText())?.[1] ?? '';
  expect(fee).toMatch(/^\d{3},\d{3}$/);
  const sendNow = check.getByRole('button', { name: 'Send now' });
  await expect(sendNow).toBeDisabled();
  await flash.snap('guard-01-fee-stopped');

  // A wrong amount is refused with the exact fee to type.
  const typed = check.getByLabel('Fee in sats');
  await typed.fill('1000');
  await check.getByRole('button', { name: 'Accept this fee' }).click();
  await expect(
    check.getByText(`That is not the fee. Type ${fee.replace(',', '')} exactly, in sats.`),
  ).toBeVisible();
  await flash.snap('guard-02-fee-wrong');
  await typed.fill(fee);
  await check.getByRole('button', { name: 'Accept this fee' }).click();
  await expect(check.getByText(`You confirmed the fee of ${fee} sats.`)).toBeVisible();
  await expect(sendNow).toBeEnabled();
  await flash.snap('guard-03-fee-accepted');
  await sendNow.click();
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
});

test('a payment the mempool refuses for now waits, is shown, and goes out later', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);
  await fund(page, stack);
  stack.chain.mempoolMinFeeRate = 20;

  const check = await review(page, stack.chain.stackAddress, '0.0005', '2');
  await check.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByRole('heading', { name: 'Broadcasting — Flash will retry' })).toBeVisible();
  const waiting = page.getByRole('region', { name: 'Waiting to broadcast' });
  await expect(waiting).toContainText('50,000 sats');
  await expect(waiting).toContainText('Last answer: mempool min fee not met');
  await expect(waiting.getByText(/Waiting to broadcast, retrying (in \d+ s|now)/)).toBeVisible();
  await flash.snap('guard-04-waiting-result');
  await page.getByRole('button', { name: 'Done' }).click();
  // The wallet screen keeps showing it.
  await expect(page.getByRole('region', { name: 'Waiting to broadcast' })).toContainText('50,000 sats');
  await flash.snap('guard-05-waiting-wallet');
  stack.chain.mempoolMinFeeRate = 1;
  await expect(page.getByRole('region', { name: 'Waiting to broadcast' })).toHaveCount(0, {
    timeout: 60_000,
  });
  expect(stack.chain.mempoolTxids()).toHaveLength(1);
});

test('a speed-up names the later payment it cancels before the user confirms', async ({ flash, stack }) => {
  const { page } = flash;
  await createWallet(flash);
  await fund(page, stack);
  const outside = stack.chain.stackAddress;
  // Payment A at 1 sat/vB, then payment B, which can only spend A's unconfirmed change.
  let check = await review(page, outside, '0.002', '1');
  await check.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
  const first = (await page.getByLabel('Transaction ID').innerText()).trim();
  await page.getByRole('button', { name: 'Done' }).click();
  const rowOf = (txid: string) =>
    page
      .getByRole('region', { name: 'Activity' })
      .getByRole('row')
      .filter({ has: page.locator(`code[title="${txid}"]`) });
  await expect(rowOf(first)).toContainText('Unconfirmed');
  check = await review(page, outside, '0.0003', '5');
  await check.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Done' }).click();

  await rowOf(first).getByRole('button', { name: 'Speed up', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Speed up' });
  await dialog.getByLabel('New fee rate (sat/vB)').fill('10');
  await dialog.getByRole('button', { name: 'Review' }).click();
  const bump = page.getByRole('region', { name: 'Check before you send' });
  const cancels = bump.getByRole('alert').filter({ hasText: 'This speed-up cancels later payments' });
  await expect(cancels).toBeVisible();
  await expect(bump.locator('.send-evicts-list li')).toHaveText([`30,000 sats to ${outside}`]);
  await flash.snap('guard-06-bump-cancels');
});
