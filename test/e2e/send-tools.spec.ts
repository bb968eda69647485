import type { Page } from '@playwright/test';
import { networks, payments } from 'bitcoinjs-lib';
import type { Socks5Server } from '../stack/socks5';
import { startSocks5Server } from '../stack/socks5';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

/** A second recipient the stack does not own (a fixed regtest P2WPKH address). */
const FRIEND = payments.p2wpkh({ hash: new Uint8Array(20).fill(0x33), network: networks.regtest }).address!;

const DISMISS = 'Dismiss';

/** Deposit toasts would cover the screenshots. */
async function dismissToasts(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: DISMISS });
  while ((await close.count()) > 0) await close.first().click();
}

function activityRow(page: Page, txid: string) {
  return page
    .getByRole('region', { name: 'Activity' })
    .getByRole('row')
    .filter({ has: page.locator(`code[title="${txid}"]`) });
}

test('pay two recipients from hand-picked coins, show the PSBT as an animated QR, and read the fee in the details', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);

  // Three coins from the stack, confirmed.
  const receive = page.getByRole('region', { name: 'Receive' });
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1q/ });
  await expect(qr).toBeVisible();
  const address = (await qrText(qr)).replace('QR code for ', '');
  stack.chain.send(address, 100_000);
  stack.chain.send(address, 60_000);
  stack.chain.send(address, 40_000);
  stack.chain.mine(1);
  const balance = page.getByRole('region', { name: 'Balance' });
  await expect(balance.getByRole('definition').first()).toContainText('0.00200000 BTC');

  // Freeze the 40k coin: the coin picker must show it but refuse it.
  const coins = page.getByRole('region', { name: 'Coins' });
  await coins
    .getByRole('row')
    .filter({ hasText: '40,000 sats' })
    .getByRole('button', { name: 'Freeze' })
    .click();
  await expect(coins.getByRole('row').filter({ hasText: '40,000 sats' })).toContainText('Frozen');

  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const form = page.getByRole('form', { name: 'Send bitcoin' });
  const outside = stack.chain.stackAddress;
  await form.getByLabel('Pay to', { exact: true }).fill(outside);
  await form.getByLabel('Amount', { exact: true }).fill('0.0009');

  // A second row: the same address is refused with the row it repeats, then fixed.
  await form.getByRole('button', { name: 'Add recipient' }).click();
  await form.getByLabel('Pay to (recipient 2)').fill(outside);
  await form.getByLabel('Unit (recipient 2)').selectOption('sats');
  await form.getByLabel('Amount (recipient 2)').fill('50000');
  await form.getByRole('button', { name: 'Review' }).click();
  await expect(form.getByText('Recipient 1 already pays this address.', { exact: false })).toBeVisible();
  await expect(form.getByLabel('Pay to (recipient 2)')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('Pay to (recipient 2)').fill(FRIEND);
  await expect(form.getByLabel('Pay to (recipient 2)')).not.toHaveAttribute('aria-invalid', 'true');
  // Only one row may send the maximum: the second row's box is disabled once the first is ticked.
  await form.getByLabel('Send max', { exact: true }).check();
  await expect(form.getByLabel('Send max (recipient 2)')).toBeDisabled();
  await form.getByLabel('Send max', { exact: true }).uncheck();

  // Coin control: the frozen coin is listed, marked and cannot be ticked.
  await form.getByRole('button', { name: 'Choose coins' }).click();
  const picker = form.getByRole('group', { name: 'Coins to spend' });
  await expect(picker.getByRole('row')).toHaveCount(4); // header + three coins
  const frozenRow = picker.getByRole('row').filter({ hasText: '40,000 sats' });
  await expect(frozenRow).toContainText('Frozen');
  await expect(frozenRow.getByRole('checkbox')).toBeDisabled();
  await form.getByRole('button', { name: 'Review' }).click();
  await expect(picker.getByText('Tick at least one coin, or let Flash choose.')).toBeVisible();
  await picker.getByRole('row').filter({ hasText: '100,000 sats' }).getByRole('checkbox').check();
  await expect(picker.getByText('The chosen coins hold 0.00100000 BTC', { exact: false })).toBeVisible();
  await picker.getByRole('row').filter({ hasText: '60,000 sats' }).getByRole('checkbox').check();
  await expect(picker).toContainText('2 chosen: 0.00160000 BTC');
  await dismissToasts(page);
  await picker.scrollIntoViewIfNeeded();
  await flash.snap('tools-01-two-recipients-coins');
  await form.getByRole('button', { name: 'Review' }).click();

  // The review lists both recipients and the change.
  const review = page.getByRole('region', { name: 'Check before you send' });
  await expect(review).toBeVisible();
  await expect(review).toContainText(outside);
  await expect(review).toContainText(FRIEND);
  await expect(review.getByRole('definition').filter({ hasText: '90,000 sats' }).first()).toBeVisible();
  await expect(review.getByRole('definition').filter({ hasText: '50,000 sats' }).first()).toBeVisible();
  await expect(review.locator('.send-summary-row').filter({ hasText: 'Change to' })).toHaveCount(1);
  const feeText = await review.locator('.send-summary-row').filter({ hasText: /^Fee/ }).innerText();
  const fee = Number(/([\d,]+) sats/.exec(feeText)?.[1]?.replace(/,/g, ''));
  expect(fee).toBeGreaterThan(0);

  // Export: base64, a file, and an animated QR that cycles its UR parts.
  await review.getByRole('button', { name: 'Export PSBT' }).click();
  await expect(review.getByLabel('PSBT (base64)')).toHaveValue(/^cHNidP8/);
  const animated = review.getByRole('img', { name: 'Animated QR code of the PSBT' });
  await expect(animated).toBeVisible();
  const caption = review.getByText(/^Part \d+ of \d+$/);
  const first = await caption.innerText();
  const count = Number(/of (\d+)/.exec(first)?.[1]);
  expect(count).toBeGreaterThan(1);
  await expect(caption).not.toHaveText(first);
  await animated.scrollIntoViewIfNeeded();
  await flash.snap('tools-02-animated-qr');
  await review.getByRole('button', { name: 'Pause' }).click();
  const paused = await caption.innerText();
  await page.waitForTimeout(700);
  await expect(caption).toHaveText(paused);
  await expect(review.getByRole('button', { name: 'Play' })).toBeVisible();

  await review.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
  const txid = (await page.getByLabel('Transaction ID').innerText()).trim();
  expect(stack.chain.mempoolTxids()).toContain(txid);
  await page.getByRole('button', { name: 'Done' }).click();

  // The row shows the fee; a click on the row opens the details with the same fee.
  const row = activityRow(page, txid);
  await expect(row).toContainText(`${fee.toLocaleString('en-US')} sats ·`);
  await row.getByRole('cell').first().click();
  const details = page.getByRole('region', { name: 'Transaction details' });
  await expect(details).toBeVisible();
  await expect(details.getByText(txid, { exact: true })).toBeVisible();
  const feeRow = details.locator('.tx-fee');
  await expect(feeRow).toContainText(`${fee.toLocaleString('en-US')} sats`);
  await expect(feeRow).toContainText(/\d+(\.\d+)? sat\/vB/);
  await expect(details).toContainText('Inputs (2)');
  await expect(details).toContainText('Outputs (3)');
  await expect(details).toContainText(FRIEND);
  await expect(details.getByRole('button', { name: 'Copy transaction ID' })).toBeVisible();
  await expect(details.getByRole('button', { name: 'Speed up', exact: true })).toBeVisible();
  await details.scrollIntoViewIfNeeded();
  await flash.snap('tools-03-transaction-details');

  // "Speed up" from the details opens the RBF dialog for this payment.
  await details.getByRole('button', { name: 'Speed up', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Speed up' });
  await expect(dialog).toContainText(/It pays [\d.]+ sat\/vB now\./);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The frozen coin was not spent.
  await expect(coins.getByRole('row').filter({ hasText: '40,000 sats' })).toContainText('Frozen');
});

test('Electrum fallback servers and a SOCKS5 proxy in Settings', async ({ flash, stack }) => {
  const { page } = flash;
  let proxy: Socks5Server | null = await startSocks5Server();
  try {
    await createWallet(flash);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const fallbacks = page.getByRole('form', { name: 'Fallback servers for Regtest' });
    await expect(fallbacks.getByText('No fallback servers.')).toBeVisible();

    // Precise errors per field, then a duplicate of the primary is refused.
    await fallbacks.getByLabel('Fallback host').fill('bad host!');
    await fallbacks.getByLabel('Fallback port').fill('70000');
    await fallbacks.getByRole('button', { name: 'Add fallback' }).click();
    await expect(
      fallbacks.getByText('A host name or IP address has only letters', { exact: false }),
    ).toBeVisible();
    await expect(fallbacks.getByText('Enter a port from 1 to 65535.')).toBeVisible();
    await expect(fallbacks.getByLabel('Fallback port')).toHaveAttribute('aria-invalid', 'true');
    await fallbacks.getByLabel('Fallback host').fill('127.0.0.1');
    await fallbacks.getByLabel('Fallback port').fill('60401');
    await fallbacks.getByRole('button', { name: 'Add fallback' }).click();
    await expect(fallbacks.getByRole('alert')).toHaveText('This is the primary server already.');

    // The stack's TLS listener as a fallback: listed, and kept after a reload.
    await fallbacks.getByLabel('Fallback host').fill(stack.electrumTls.host);
    await fallbacks.getByLabel('Fallback port').fill(String(stack.electrumTls.port));
    await fallbacks.getByLabel('Fallback connection type').selectOption('tls');
    await fallbacks.getByRole('button', { name: 'Add fallback' }).click();
    const entry = `${stack.electrumTls.host}:${stack.electrumTls.port}`;
    await expect(fallbacks.getByRole('listitem')).toHaveText([`${entry} (TLS) Remove ${entry}`]);

    // The proxy: a malformed address is refused; the stack's SOCKS5 server is used once saved.
    const proxyForm = page.getByRole('form', { name: 'SOCKS5 proxy (Tor)' });
    await expect(proxyForm.getByText('Electrum connections are direct.')).toBeVisible();
    await proxyForm.getByLabel('Use a SOCKS5 proxy').check();
    await proxyForm.getByLabel('Proxy address (host:port)').fill('127.0.0.1');
    await proxyForm.getByRole('button', { name: 'Save proxy' }).click();
    await expect(
      proxyForm.getByText('Enter the proxy as host:port with a port from 1 to 65535', { exact: false }),
    ).toBeVisible();
    await proxyForm.getByLabel('Proxy address (host:port)').fill(`${proxy.host}:${proxy.port}`);
    await proxyForm.getByRole('button', { name: 'Save proxy' }).click();
    await expect(
      proxyForm.getByText(`Electrum connections go through ${proxy.host}:${proxy.port}.`),
    ).toBeVisible();
    await expect
      .poll(() => proxy?.targets.includes(`${stack.electrum.host}:${stack.electrum.port}`))
      .toBe(true);
    await expect(page.getByText('Connected', { exact: true })).toBeVisible();
    await dismissToasts(page);
    await fallbacks.scrollIntoViewIfNeeded();
    await flash.snap('tools-04-server-settings');
  } finally {
    await proxy?.close();
    proxy = null;
  }
});
