import type { Page } from '@playwright/test';
import { wrapEvent } from 'nostr-tools/nip17';
import * as nip19 from 'nostr-tools/nip19';
import { generateSecretKey } from 'nostr-tools/pure';
import WebSocket from 'ws';
import { rewardMessage } from '../../main/merchant/rewards/rewards';
import type { Reward } from '../../shared/contract/merchant';
import type { Stack } from '../stack';
import { expect, test } from './fixtures';
import { createWallet } from './steps';

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

/** The merchant's side, as its counter does it: a pull payment on BTCPay with its LNURL-withdraw. */
async function issueReward(
  stack: Stack,
  order: string,
  sats: number,
  window: { startsAt?: number; expiresAt?: number } = {},
): Promise<Reward> {
  const { url, seed } = stack.btcpay;
  const headers = { authorization: `token ${seed.adminKey.apiKey}`, 'content-type': 'application/json' };
  const made = await fetch(`${url}/api/v1/stores/${seed.store.id}/pull-payments`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: `Reward for order ${order}`,
      amount: (sats / 1e8).toFixed(8),
      currency: 'BTC',
      autoApproveClaims: true,
      payoutMethods: ['BTC-LN'],
      ...window,
    }),
  });
  expect(made.status).toBe(200);
  const pp = (await made.json()) as { id: string; viewLink: string; expiresAt: number | null };
  const link = (await (await fetch(`${url}/api/v1/pull-payments/${pp.id}/lnurl`, { headers })).json()) as {
    lnurlBech32: string;
  };
  return {
    invoiceId: `inv-${order}`,
    pullPaymentId: pp.id,
    sats,
    lnurl: link.lnurlBech32,
    link: pp.viewLink,
    expiresAt: pp.expiresAt === null ? null : pp.expiresAt * 1000,
    state: 'unclaimed',
    claimedSats: 0,
  };
}

/** A NIP-17 message from the merchant's key to the customer, published on the stack's relays. */
async function sendDm(stack: Stack, from: Uint8Array, toNpub: string, text: string): Promise<void> {
  const decoded = nip19.decode(toNpub);
  if (decoded.type !== 'npub') throw new Error('not an npub');
  const wrap = wrapEvent(from, { publicKey: decoded.data }, text);
  for (const relay of stack.relays) {
    const ws = new WebSocket(relay);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const ok = new Promise<unknown[]>((resolve) => {
      ws.on('message', (data: WebSocket.RawData) => {
        const msg = JSON.parse(data.toString()) as unknown[];
        if (msg[0] === 'OK' && msg[1] === wrap.id) resolve(msg);
      });
    });
    ws.send(JSON.stringify(['EVENT', wrap]));
    expect((await ok)[2]).toBe(true);
    ws.close();
  }
}

function spendableSats(text: string): number {
  const m = /Can send ([\d,]+) sats/.exec(text);
  if (!m?.[1]) throw new Error(`no balance in "${text}"`);
  return Number(m[1].replace(/,/g, ''));
}

test('a merchant’s reward sent by NOSTR is claimed from the chat: Open, then Claim into the Lightning wallet; no wallet, expired and already claimed are said in words; an LNURL-pay link opens to the pay form', async ({
  flash,
  stack,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  await createWallet(flash);
  await openArea(page, 'Messages');
  await page.getByRole('button', { name: 'Create NOSTR key' }).click();
  const npubText = page.getByLabel('Your public key (npub)');
  await expect(npubText).toHaveText(/^npub1[0-9a-z]{58}$/);
  const npub = ((await npubText.textContent()) ?? '').trim();

  // The counter sends the customer their reward in a NIP-17 message, in the words it always uses.
  const merchant = generateSecretKey();
  const reward = await issueReward(stack, '1042', 500);
  await sendDm(stack, merchant, npub, rewardMessage('Corner Café', reward, 'en'));

  // The chat shows the message and a closed link card: nothing was asked of BTCPay yet.
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
  await expect(
    page
      .getByRole('list', { name: 'Message history' })
      .getByText('Corner Café gives you 500 sats back for your purchase.'),
  ).toBeVisible();
  const link = page.getByRole('region', { name: 'Lightning link' });
  await expect(link).toContainText('only when you open it');
  await link.scrollIntoViewIfNeeded();
  await flash.snap('01-reward-message-closed');

  // Opened: the service's facts. No Lightning wallet yet: the claim says what to do.
  await link.getByRole('button', { name: 'Open' }).click();
  const claim = page.getByRole('region', { name: 'Lightning withdrawal' });
  await expect(claim.getByText('Sats to claim from 127.0.0.1')).toBeVisible();
  await expect(claim).toContainText('Reward for order 1042');
  await expect(claim).toContainText('500 sats');
  await claim.getByRole('button', { name: 'Claim 500 sats' }).click();
  await expect(claim.getByRole('alert')).toHaveText(
    'To claim sats you need a Lightning wallet. Connect one in Settings → Lightning, then press Claim again.',
  );
  await flash.snap('02-claim-no-wallet');

  // The customer connects their LND and notes its balance.
  await openArea(page, 'Lightning');
  await page.getByRole('button', { name: 'Open Settings → Lightning' }).click();
  const lndForm = page
    .getByRole('region', { name: 'Lightning' })
    .getByRole('form', { name: 'Connect your LND node' });
  await lndForm.getByLabel('REST address (host:port)').fill(stack.lnd.restAddress);
  await lndForm.getByLabel('TLS certificate (the text of tls.cert)').fill(stack.lnd.tls.cert);
  await lndForm.getByLabel('Macaroon (hex or base64)').fill(stack.lnd.macaroons.admin);
  await lndForm.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(lndForm.getByRole('status')).toHaveText('Connected to flash-stack-lnd.');
  await openArea(page, 'Lightning');
  await expect(page.getByTestId('ln-balance')).toContainText('Can send');
  const before = spendableSats(await page.getByTestId('ln-balance').innerText());

  // Back in the chat: Open, Claim, and the reward is claimed.
  await openArea(page, 'Messages');
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
  await page.getByRole('region', { name: 'Lightning link' }).getByRole('button', { name: 'Open' }).click();
  await claim.getByRole('button', { name: 'Claim 500 sats' }).click();
  await expect(claim.getByRole('status')).toHaveText('Claimed 500 sats ✓');
  await claim.scrollIntoViewIfNeeded();
  await flash.snap('03-reward-claimed');

  // The Lightning balance went up by the reward.
  await openArea(page, 'Lightning');
  await expect
    .poll(async () => spendableSats(await page.getByTestId('ln-balance').innerText()))
    .toBe(before + 500);
  await flash.snap('04-lightning-balance-up');

  // A reward that has expired, and the first one sent again: each says why it cannot be claimed.
  const expired = await issueReward(stack, '1043', 300, {
    startsAt: Math.floor(Date.now() / 1000) - 7200,
    expiresAt: Math.floor(Date.now() / 1000) - 3600,
  });
  await sendDm(stack, merchant, npub, rewardMessage('Corner Café', expired, 'en'));
  await sendDm(stack, merchant, npub, rewardMessage('Corner Café', reward, 'en'));
  await openArea(page, 'Messages');
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
  await expect(page.getByRole('region', { name: 'Lightning link' })).toHaveCount(3);
  const bubble = (text: string) => page.locator('li.msg').filter({ hasText: text });
  const expiredCard = bubble('300 sats back').getByRole('region', { name: 'Lightning link' });
  await expiredCard.getByRole('button', { name: 'Open' }).click();
  await expect(expiredCard.getByRole('alert')).toHaveText(
    'This link has expired: 127.0.0.1 no longer pays it.',
  );
  // Nothing left to try on a spent or expired link: the card no longer offers Open.
  await expect(expiredCard.getByRole('button')).toHaveCount(0);
  await expiredCard.scrollIntoViewIfNeeded();
  await flash.snap('05-expired');
  const againCard = bubble('500 sats back').last().getByRole('region', { name: 'Lightning link' });
  await againCard.getByRole('button', { name: 'Open' }).click();
  await expect(againCard.getByRole('alert')).toHaveText(
    'This link was already claimed: 127.0.0.1 has nothing left to pay.',
  );
  await expect(againCard.getByRole('button')).toHaveCount(0);
  await againCard.scrollIntoViewIfNeeded();
  await flash.snap('06-already-claimed');

  // An LNURL-pay link waits for Open the same way, then becomes the chat's pay form.
  const tipJar = stack.lnurl.payLink({
    description: 'Tip jar',
    minSendable: 1000n,
    maxSendable: 50_000_000n,
  });
  await sendDm(stack, merchant, npub, `Leave a tip if you liked it: ${tipJar.lnurl}`);
  const tipCard = bubble('Leave a tip').getByRole('region', { name: 'Lightning link' });
  await expect(tipCard).toContainText('only when you open it');
  await tipCard.getByRole('button', { name: 'Open' }).click();
  const payForm = bubble('Leave a tip').getByRole('region', { name: 'Lightning payment request' });
  await expect(payForm).toContainText('Tip jar');
  await payForm.getByLabel('Amount in sats').fill('21');
  await payForm.getByRole('button', { name: 'Review payment' }).click();
  await payForm.getByRole('button', { name: 'Pay 21 sats' }).click();
  await expect(payForm.getByRole('status')).toHaveText(/^Paid 21 sats \(fee \d+ sats\)\.$/);
  await payForm.scrollIntoViewIfNeeded();
  await flash.snap('07-lnurl-pay-opened-and-paid');

  // A link the user sends is for the other side: their own bubble offers no Open (nor Claim).
  await page.getByLabel('Message', { exact: true }).fill(`Here is mine: lightning:${tipJar.lnurl}`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const sentCard = bubble('Here is mine').getByRole('region', { name: 'Lightning link' });
  await expect(sentCard).toContainText('You sent this link: it is for the person you sent it to.');
  await expect(sentCard.getByRole('button')).toHaveCount(0);
  await sentCard.scrollIntoViewIfNeeded();
  await flash.snap('08-own-link-no-claim');
});
