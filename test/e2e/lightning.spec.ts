import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';
import { generateTlsCredentials } from '../stack/tls';

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

test('connect LND, receive with a live Paid, pay a Lightning address with a comment, and the unified feed', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);

  // Fund the on-chain account too, so the feed shows both rails.
  const receive = page.getByRole('region', { name: 'Receive' });
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1q/ });
  const address = (await qrText(qr)).replace('QR code for ', '');
  stack.chain.send(address, 150_000);
  stack.chain.mine(1);
  await expect(page.getByRole('status').filter({ hasText: 'Deposit confirmed: 150,000 sats' })).toBeVisible();

  // No Lightning wallet yet: the Lightning area says so and points to Settings.
  await openArea(page, 'Lightning');
  await expect(page.getByRole('heading', { name: 'Connect a Lightning wallet' })).toBeVisible();
  await flash.snap('01-no-wallet');
  await page.getByRole('button', { name: 'Open Settings → Lightning' }).click();

  // Settings → Lightning: a wrong certificate is refused, the node's own one connects.
  const lnSettings = page.getByRole('region', { name: 'Lightning' });
  const lndForm = lnSettings.getByRole('form', { name: 'Connect your LND node' });
  await lndForm.getByLabel('REST address (host:port)').fill(stack.lnd.restAddress);
  const stranger = await generateTlsCredentials('127.0.0.1');
  await lndForm.getByLabel('TLS certificate (the text of tls.cert)').fill(stranger.cert);
  await lndForm.getByLabel('Macaroon (hex or base64)').fill(stack.lnd.macaroons.admin);
  await lndForm.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(lndForm.getByRole('alert')).toContainText('TLS certificate is not the one you gave Flash');
  await expect(lnSettings.getByText('No Lightning wallet connected yet.')).toBeVisible();
  await flash.snap('02-lnd-bad-cert');
  await lndForm.getByLabel('TLS certificate (the text of tls.cert)').fill(stack.lnd.tls.cert);
  await lndForm.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(lndForm.getByRole('status')).toHaveText('Connected to flash-stack-lnd.');
  const provider = lnSettings.getByTestId('ln-provider');
  await expect(provider).toContainText('flash-stack-lnd');
  await expect(provider).toContainText('Default');
  await expect(provider).toContainText('Connected');
  await provider.scrollIntoViewIfNeeded();
  await flash.snap('03-lnd-connected');

  // Receive: amount + description → invoice QR; the stack pays it; it turns Paid live, with a toast.
  await openArea(page, 'Lightning');
  await expect(page.getByTestId('ln-balance')).toContainText('Can send');
  await page.getByRole('tab', { name: 'Receive' }).click();
  const receiveLn = page.getByRole('region', { name: 'Receive over Lightning' });
  await receiveLn.getByLabel('Amount in sats (optional)').fill('2100');
  await receiveLn.getByLabel('Description (optional)').fill('Coffee beans');
  await receiveLn.getByRole('button', { name: 'Create invoice' }).click();
  await expect(
    receiveLn.getByRole('img', { name: 'QR code with an on-chain address and a Lightning invoice' }),
  ).toBeVisible();
  const invoice = (await receiveLn.getByTestId('ln-invoice').innerText()).trim();
  expect(invoice).toMatch(/^lnbcrt21u1/);
  await expect(receiveLn.getByText('Waiting for payment…')).toBeVisible();
  await flash.snap('04-invoice-qr');
  const paid = await stack.lightning.pay('stack', invoice);
  expect(paid.state).toBe('succeeded');
  await expect(receiveLn.getByText('Paid: 2,100 sats')).toBeVisible();
  await expect(
    page.getByRole('status').filter({ hasText: 'Lightning payment received: 2,100 sats' }),
  ).toBeVisible();
  await flash.snap('05-invoice-paid');

  // Pay a Lightning address with a comment: what it is, then the price, then Pay now.
  await page.getByRole('tab', { name: 'Pay' }).click();
  const pay = page.getByRole('region', { name: 'Pay' });
  const addressText = stack.lnurl.address('coffee');
  await pay.getByLabel('Invoice, Lightning address, LNURL or bitcoin: link').fill(addressText);
  await pay.getByRole('button', { name: 'Continue' }).click();
  await expect(pay.getByRole('heading', { name: `Lightning address ${addressText}` })).toBeVisible();
  await expect(pay.getByText('Pay coffee')).toBeVisible();
  await pay.getByLabel('Amount in sats').fill('500');
  await pay.getByLabel('Comment (up to 140 characters)').fill('Thanks from the e2e test');
  await flash.snap('06-address-details');
  await pay.getByRole('button', { name: 'Review payment' }).click();
  await expect(pay.getByText('at most 10 sats')).toBeVisible();
  await expect(pay.getByText('510 sats')).toBeVisible();
  await flash.snap('07-address-review');
  await pay.getByRole('button', { name: 'Pay now' }).click();
  const result = page.getByRole('region', { name: 'Paid 500 sats' });
  await expect(result).toBeVisible();
  await expect(result.getByText('Thanks for paying Pay coffee')).toBeVisible();
  await flash.snap('08-address-paid');
  expect(stack.lnurl.received.at(-1)).toMatchObject({
    amountMsat: '500000',
    comment: 'Thanks from the e2e test',
  });

  // Something that is no payment request gets a clear, translated error.
  await result.getByRole('button', { name: 'Pay something else' }).click();
  await pay.getByLabel('Invoice, Lightning address, LNURL or bitcoin: link').fill('lnbcrt1qqqqqqqqqqqqqq');
  await pay.getByRole('button', { name: 'Continue' }).click();
  await expect(pay.getByRole('alert')).toContainText('checksum does not match');
  await flash.snap('09-bad-input');

  // The unified feed: both rails in one list, filterable, exportable.
  await page.getByRole('tab', { name: 'Activity' }).click();
  const feed = page.getByRole('region', { name: 'Activity' }).last();
  await expect(feed.locator('tr[data-rail="lightning"]')).toHaveCount(2);
  await expect(feed.locator('tr[data-rail="onchain"]')).toHaveCount(1);
  await expect(feed).toContainText('+2,100 sats');
  await expect(feed).toContainText('−500 sats');
  await expect(feed).toContainText('+150,000 sats');
  await expect(feed).toContainText(addressText);
  await flash.snap('10-feed-all');
  await feed.getByLabel('Show').selectOption('lightning');
  await expect(feed.locator('tr[data-rail="onchain"]')).toHaveCount(0);
  await expect(feed.locator('tr[data-rail="lightning"]')).toHaveCount(2);
  await feed.getByLabel('Show').selectOption('all');
  await feed.getByRole('button', { name: 'Export CSV' }).click();
  const download = page.waitForEvent('download');
  await feed.getByRole('link', { name: 'Download CSV' }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file, 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    'date,rail,direction,amount_sats,amount_msat,fee_msat,status,detail,counterparty,description,reference,mint,unit,amount_unit,fee_unit',
  );
  expect(csv).toContain(',lightning,in,2100,2100000,');
  expect(csv).toContain(',onchain,in,150000,150000000,');
  await flash.snap('11-feed-exported');
});
