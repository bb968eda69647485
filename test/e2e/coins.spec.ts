import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

async function shownAddress(receive: Locator): Promise<string> {
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1q/ });
  await expect(qr).toBeVisible();
  return (await qrText(qr)).replace('QR code for ', '');
}

test('freeze a coin so a send cannot use it, label coins, and export labels and history', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);
  const receive = page.getByRole('region', { name: 'Receive' });
  const first = await shownAddress(receive);
  stack.chain.send(first, 300_000);
  // The next address appears once the first is used; pay it too, so the wallet holds two coins.
  await expect(receive.getByRole('img', { name: /QR code for/ })).not.toHaveAttribute(
    'alt',
    `QR code for ${first}`,
  );
  const second = await shownAddress(receive);
  stack.chain.send(second, 20_000);
  stack.chain.mine(1);

  const coins = page.getByRole('region', { name: 'Coins' });
  await expect(coins.getByRole('row')).toHaveCount(3); // header + two coins
  const big = coins.getByRole('row').filter({ hasText: '300,000 sats' });
  await big.getByRole('button', { name: 'Freeze' }).click();
  await expect(big.getByText('Frozen', { exact: true })).toBeVisible();
  const small = coins.getByRole('row').filter({ hasText: '20,000 sats' });
  await small.getByRole('textbox').fill('coffee change');
  await small.getByRole('textbox').blur();
  await flash.snap('coins-frozen');

  // With the big coin frozen, 0.001 BTC is more than the wallet may spend.
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const form = page.getByRole('form', { name: 'Send bitcoin' });
  await form.getByLabel('Pay to').fill(stack.chain.stackAddress);
  await form.getByLabel('Amount', { exact: true }).fill('0.001');
  await form.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText('Not enough spendable bitcoin for this amount plus the fee.')).toBeVisible();
  await flash.snap('coins-frozen-send-refused');
  await page.getByRole('button', { name: 'Cancel' }).first().click();

  // Labels and history leave as files.
  await coins.getByRole('button', { name: 'Export labels (BIP329)' }).click();
  await expect(coins.getByRole('link', { name: 'Save labels file' })).toHaveAttribute('href', /^blob:/);
  await coins.getByRole('button', { name: 'Export history (CSV)' }).click();
  await expect(coins.getByRole('link', { name: 'Save CSV file' })).toHaveAttribute('href', /^blob:/);
  await coins
    .getByLabel('Labels to import (BIP329 JSONL)')
    .fill('{"type":"tx","ref":"not-a-txid","label":"x"}');
  await coins.getByRole('button', { name: 'Import labels' }).click();
  await expect(coins.getByRole('status')).toContainText('1 line(s) with errors');
  await flash.snap('coins-exported');
});
