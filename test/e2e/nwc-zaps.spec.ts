import type { Page } from '@playwright/test';
import { outsideApp } from '../support/nwc-app';
import { expect, test, type FlashApp } from './fixtures';
import { createWallet } from './steps';

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

/** A new wallet, then Messages with a new NOSTR key on the stack's relays. */
async function setUpMessaging(app: FlashApp): Promise<void> {
  const { page } = app;
  await createWallet(app);
  await expect(page.getByRole('region', { name: 'Receive' })).toBeVisible();
  await openArea(page, 'Messages');
  await page.getByRole('button', { name: 'Create NOSTR key' }).click();
  await expect(page.getByLabel('Your public key (npub)')).toHaveText(/^npub1/);
  await expect(
    page.getByRole('list', { name: 'Your relays' }).getByText('Connected', { exact: true }),
  ).toHaveCount(2);
}

/** Settings → Lightning → paste the wallet's NWC link → Connect. */
async function connectNwcWallet(app: FlashApp, uri: string, alias: string): Promise<void> {
  const { page } = app;
  await openArea(page, 'Settings');
  const form = page
    .getByRole('region', { name: 'Lightning', exact: true })
    .getByRole('form', { name: 'Connect a wallet with Nostr Wallet Connect' });
  // A mistyped link is refused with a clear error, and its secret is not repeated.
  await form
    .getByLabel('Connection link (nostr+walletconnect://…)')
    .fill('nostr+walletconnect://not-a-key?secret=abc');
  await form.getByRole('button', { name: 'Connect wallet' }).click();
  await expect(form.getByRole('alert')).toHaveText(/not a Nostr Wallet Connect link/);
  await form.getByLabel('Connection link (nostr+walletconnect://…)').fill(uri);
  await form.getByRole('button', { name: 'Connect wallet' }).click();
  await expect(form.getByRole('status')).toHaveText(`Connected to ${alias}.`);
  await app.snap('nwc-wallet-connected');
}

function channelPosts(page: Page) {
  return page.getByRole('list', { name: 'Channel posts' });
}

test('connect an NWC wallet by its link, zap a channel post, and pay a Lightning address from a chat', async ({
  flash: alice,
  launchFlash,
  stack,
}) => {
  const bob = await launchFlash('bob');
  await Promise.all([setUpMessaging(alice), setUpMessaging(bob)]);

  // Bob puts his Lightning address (the stack's zap-capable server) in his profile.
  await bob.page.getByRole('button', { name: 'Edit profile' }).click();
  await bob.page.getByLabel('Name', { exact: true }).fill('Bob');
  await bob.page.getByLabel('Lightning address (lud16)').fill(stack.zapAddresses.bob ?? '');
  await bob.page.getByRole('button', { name: 'Save and publish profile' }).click();

  // Bob opens a public channel and posts; Alice joins it by its id.
  await bob.page.getByRole('button', { name: 'New channel' }).click();
  await bob.page.getByLabel('Channel name').fill('Lightning talk');
  await bob.page.getByRole('button', { name: 'Create channel' }).click();
  const channelId = ((await bob.page.getByTestId('channel-id').textContent()) ?? '').trim();
  await bob.page.getByLabel('Public post').fill('Slides are up, zaps welcome');
  await bob.page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(channelPosts(bob.page).getByText('Slides are up, zaps welcome')).toBeVisible();

  // Alice's Lightning is an NWC wallet (the stack's NIP-44 one), connected by its link.
  const wallet = stack.nwc.nip44;
  await connectNwcWallet(alice, wallet.uri, 'Stack NWC wallet (nip44)');

  await openArea(alice.page, 'Messages');
  await alice.page.getByRole('button', { name: 'Join channel' }).click();
  await alice.page.getByLabel('Channel id').fill(channelId);
  await alice.page.getByRole('button', { name: 'Join', exact: true }).click();
  const post = channelPosts(alice.page)
    .getByRole('listitem')
    .filter({ hasText: 'Slides are up, zaps welcome' });
  await expect(post).toBeVisible();

  // ⚡ Zap: 21 sats with a comment.
  await post.getByRole('button', { name: /^Zap this post by / }).click();
  const form = alice.page.getByRole('form', { name: /^Zap / });
  await form.getByLabel('Comment (optional)').fill('Great slides');
  await alice.snap('zap-form');
  await form.getByRole('button', { name: 'Zap 21 sats' }).click();
  await expect(post.getByRole('status')).toHaveText(/^Zapped 21 sats to /);
  // The receipt comes back from the zap server over the relays and is validated before it shows.
  await expect(post.getByText('⚡ 21 sats · 1 zaps')).toBeVisible({ timeout: 20_000 });
  await post.getByText('⚡ 21 sats · 1 zaps').click();
  await expect(post.getByText('Great slides')).toBeVisible();
  await post.scrollIntoViewIfNeeded();
  await alice.snap('zap-receipt-on-post');
  // Bob sees the zap on his own post too.
  await expect(
    channelPosts(bob.page)
      .getByRole('listitem')
      .filter({ hasText: 'Slides are up' })
      .getByText('⚡ 21 sats · 1 zaps'),
  ).toBeVisible({ timeout: 20_000 });
  await expect(
    bob.page.getByRole('region', { name: 'Zaps you received' }).getByText('⚡ 21 sats · 1 zaps'),
  ).toBeVisible({ timeout: 20_000 });
  await bob.snap('zap-seen-by-bob');
  const zaps = (await (await fetch(`${stack.controlUrl}/zaps`)).json()) as { receipts: unknown[] };
  expect(zaps.receipts).toHaveLength(1);

  // A chat message that is a Lightning address shows a closed card; it becomes the pay form only
  // when Alice presses Open (until then nothing is asked of the address's server).
  await openArea(bob.page, 'Messages');
  const aliceNpub = ((await alice.page.getByLabel('Your public key (npub)').textContent()) ?? '').trim();
  await bob.page.getByRole('button', { name: 'New message' }).click();
  await bob.page.getByLabel('To (npub)').fill(aliceNpub);
  await bob.page.getByLabel('Message', { exact: true }).fill(`⚡${stack.zapAddresses.bob}`);
  await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
  const thread = alice.page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('button', { name: /⚡bob@/ });
  await thread.click();
  const closed = alice.page.getByRole('region', { name: 'Lightning address' });
  await expect(closed.getByText(stack.zapAddresses.bob ?? '', { exact: true })).toBeVisible();
  await expect(closed).toContainText('only when you open it');
  // Closed: no amount range, no amount field, no pay form; only the Open button.
  await expect(closed.getByText(/\bsats\b/)).toHaveCount(0);
  await expect(closed.getByLabel('Amount in sats')).toHaveCount(0);
  await expect(alice.page.getByRole('region', { name: 'Lightning payment request' })).toHaveCount(0);
  await expect(closed.getByRole('button')).toHaveText(['Open']);
  await closed.scrollIntoViewIfNeeded();
  await alice.snap('address-card-closed');
  // Bob's own bubble shows the address he sent, with nothing to open or pay.
  const sent = bob.page.getByRole('region', { name: 'Lightning address' });
  await expect(sent).toContainText('You sent this Lightning address');
  await expect(sent.getByRole('button')).toHaveCount(0);
  await bob.snap('address-card-own');

  await closed.getByRole('button', { name: 'Open' }).click();
  const card = alice.page.getByRole('region', { name: 'Lightning payment request' });
  await expect(card.getByText(stack.zapAddresses.bob ?? '')).toBeVisible();
  await expect(closed).toHaveCount(0);
  await card.getByLabel('Amount in sats').fill('500');
  await card.getByRole('button', { name: 'Review payment' }).click();
  await expect(card.getByText(/^500 sats, fee at most \d+ sats\.$/)).toBeVisible();
  await card.scrollIntoViewIfNeeded();
  await alice.snap('pay-card-review');
  await card.getByRole('button', { name: 'Pay 500 sats' }).click();
  await expect(card.getByRole('status')).toHaveText(/^Paid 500 sats \(fee \d+ sats\)\.$/);
  await alice.snap('pay-card-paid');

  // An address the server does not have: Open asks, and the card says the server's answer.
  const unknownAddress = (stack.zapAddresses.bob ?? '').replace(/^bob@/, 'nobody@');
  await bob.page.getByLabel('Message', { exact: true }).fill(`⚡${unknownAddress}`);
  await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
  const unknownCard = alice.page
    .getByRole('list', { name: 'Message history' })
    .getByRole('listitem')
    .filter({ hasText: `⚡${unknownAddress}` })
    .getByRole('region', { name: 'Lightning address' });
  await unknownCard.getByRole('button', { name: 'Open' }).click();
  await expect(unknownCard.getByRole('alert')).toHaveText(
    '127.0.0.1 gave no payment details for this address: unknown user nobody',
  );
  await unknownCard.scrollIntoViewIfNeeded();
  await alice.snap('address-card-unknown');

  // A BOLT11 invoice sent in the chat is a pay card too: its amount and description come from it.
  const invoiceRes = await fetch(`${stack.controlUrl}/lightning/invoice`, {
    method: 'POST',
    body: JSON.stringify({ node: 'stack', sats: 321, description: 'Pizza share' }),
  });
  const { bolt11 } = (await invoiceRes.json()) as { bolt11: string };
  await bob.page.getByLabel('Message', { exact: true }).fill(bolt11);
  await bob.page.getByRole('button', { name: 'Send', exact: true }).click();
  const invoiceCard = alice.page
    .getByRole('region', { name: 'Lightning payment request' })
    .filter({ hasText: 'Pizza share' });
  await expect(invoiceCard).toBeVisible({ timeout: 20_000 });
  await invoiceCard.getByRole('button', { name: 'Review payment' }).click();
  await expect(invoiceCard.getByText(/^321 sats, fee (at most|about) \d+ sats\.$/)).toBeVisible();
  await invoiceCard.getByRole('button', { name: 'Pay 321 sats' }).click();
  await expect(invoiceCard.getByRole('status')).toHaveText(/^Paid 321 sats \(fee \d+ sats\)\.$/);
  await invoiceCard.scrollIntoViewIfNeeded();
  await alice.snap('pay-card-invoice-paid');
  const paidInvoices = (await (await fetch(`${stack.controlUrl}/lightning/invoices?node=stack`)).json()) as {
    invoices: { bolt11: string; state: string }[];
  };
  expect(paidInvoices.invoices.find((i) => i.bolt11 === bolt11)?.state).toBe('settled');
});

test('create an NWC connection for another app, let it pay within budget, then revoke it', async ({
  flash,
  stack,
}) => {
  await setUpMessaging(flash);
  await connectNwcWallet(flash, stack.nwc.both.uri, 'Stack NWC wallet (both)');
  const { page } = flash;
  await openArea(page, 'Lightning');
  const apps = page.getByRole('region', { name: 'Apps that can use this wallet' });
  await expect(apps.getByText('No app is connected.')).toBeVisible();
  await apps.getByRole('button', { name: 'Connect an app' }).click();
  await apps.getByLabel('App name').fill('Damus');
  await apps.getByLabel('Budget in sats').fill('1000');
  await apps.getByLabel('Budget renews every').selectOption('day');
  await apps.getByLabel('Expires after (days, optional)').fill('30');
  await flash.snap('nwc-app-form');
  await apps.getByRole('button', { name: 'Create connection' }).click();

  // The link is shown once, as text and QR.
  const shown = apps.getByRole('region', { name: 'Connection link for Damus' });
  await expect(shown.getByRole('img', { name: 'QR code of the connection link for Damus' })).toBeVisible();
  const uri = ((await shown.getByTestId('nwc-uri').textContent()) ?? '').trim();
  expect(uri).toMatch(/^nostr\+walletconnect:\/\/[0-9a-f]{64}\?relay=/);
  await flash.snap('nwc-app-link-once');

  // Another app (nostr-tools, outside Flash) pays an invoice of the network with it.
  const app = await outsideApp(uri, 'nip44_v2');
  try {
    const invoiceRes = await fetch(`${stack.controlUrl}/lightning/invoice`, {
      method: 'POST',
      body: JSON.stringify({ node: 'stack', sats: 300, description: 'coffee' }),
    });
    const invoice = (await invoiceRes.json()) as { bolt11: string };
    const paid = await app.request('pay_invoice', { invoice: invoice.bolt11 }, 20_000);
    expect(paid.answer).toMatchObject({ error: null });
    const tooMuch = await fetch(`${stack.controlUrl}/lightning/invoice`, {
      method: 'POST',
      body: JSON.stringify({ node: 'stack', sats: 900 }),
    });
    const refused = await app.request(
      'pay_invoice',
      { invoice: ((await tooMuch.json()) as { bolt11: string }).bolt11 },
      20_000,
    );
    expect(refused.answer).toMatchObject({ error: { code: 'QUOTA_EXCEEDED' } });

    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(shown).toHaveCount(0);
    const row = apps
      .getByRole('list', { name: 'Connected apps' })
      .getByRole('listitem')
      .filter({ hasText: 'Damus' });
    await expect(row.getByText(/^Spent 30\d of 1,000 sats today$/)).toBeVisible();
    await expect(row.getByText('Active')).toBeVisible();
    await flash.snap('nwc-app-spent');

    await row.getByRole('button', { name: 'Revoke Damus' }).click();
    await expect(row.getByText('Revoked')).toBeVisible();
    await expect(row.getByRole('button', { name: 'Revoke Damus' })).toHaveCount(0);
    await flash.snap('nwc-app-revoked');
    const after = await app.request('get_info', {}, 2000);
    expect(after.answer).toBeNull();
  } finally {
    app.close();
  }
  // On the stack's ledger the wallet paid the app's invoice once, and nothing more.
  const ledgerPayments = (await (
    await fetch(`${stack.controlUrl}/lightning/payments?node=nwc-both`)
  ).json()) as { payments: { amountMsat: string; state: string }[] };
  expect(ledgerPayments.payments.filter((p) => p.state === 'succeeded').map((p) => p.amountMsat)).toEqual([
    '300000',
  ]);
});
