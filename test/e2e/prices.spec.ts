import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

test('fiat prices: off by default, turned on in Settings, fiat beside the balance with the rate’s age', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);

  // Fund the wallet: 0.002 BTC.
  const receive = page.getByRole('region', { name: 'Receive' });
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1q/ });
  await expect(qr).toBeVisible();
  stack.chain.send((await qrText(qr)).replace('QR code for ', ''), 200_000);
  stack.chain.mine(1);
  const balance = page.getByRole('region', { name: 'Balance' });
  await expect(balance.getByRole('definition').first()).toContainText('0.00200000 BTC');
  // Off by default: no fiat, and the price source was never asked.
  await expect(balance.locator('.amount-fiat')).toHaveCount(0);
  expect(stack.prices.requests.mempool + stack.prices.requests.coinbase).toBe(0);

  // Settings → Fiat prices: mempool (the stack's stand-in as our own mempool), euros.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Fiat prices' });
  await expect(section.getByLabel('Price source')).toHaveValue('off');
  await section.getByLabel('Price source').selectOption('mempool');
  await section.getByLabel('Currency').selectOption('EUR');
  await section.getByLabel('mempool address').fill(stack.prices.url);
  await section.getByRole('button', { name: 'Save' }).click();
  // The stand-in's EUR price is 60123.45; mempool answers whole numbers: 60123.
  await expect(section.getByTestId('price-status')).toContainText(
    '1 BTC = 60,123.00 EUR (mempool, just now)',
  );
  await flash.snap('01-settings-on');
  expect(stack.prices.requests.mempool).toBeGreaterThan(0);

  // The balance: 0.002 BTC at 60,123 EUR is 120.25 EUR (120.246), and the price's age.
  await nav.getByRole('button', { name: 'Wallet' }).click();
  await expect(balance.getByRole('definition').first()).toContainText('≈ 120.25 EUR');
  await expect(balance.getByTestId('fiat-rate-note')).toHaveText(
    'Fiat at 1 BTC = 60,123.00 EUR (mempool, just now).',
  );
  await flash.snap('02-balance-fiat');
});
