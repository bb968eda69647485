import type { Page } from '@playwright/test';
import { expect, test, type FlashApp } from './fixtures';
import { createWallet } from './steps';

/** Wallet onboarding, then Messages with a new NOSTR key; returns the npub shown on screen. */
async function setUpMessaging(app: FlashApp, opts: { tryBadImport?: boolean } = {}): Promise<string> {
  const { page } = app;
  await createWallet(app);
  await expect(page.getByRole('region', { name: 'Receive' })).toBeVisible();
  await openArea(page, 'Messages');
  await expect(page.getByRole('heading', { name: 'Set up private messages' })).toBeVisible();
  if (opts.tryBadImport) {
    // A mistyped key is refused with a clear, typed error.
    await page.getByRole('button', { name: 'Import key' }).click();
    await page.getByLabel('Secret key (nsec1…)').fill('nsec1notarealkey');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByRole('alert')).toHaveText(/NOSTR key .* is not valid/);
    await app.snap('bad-import');
  }
  await page.getByRole('button', { name: 'Create NOSTR key' }).click();
  const npubText = page.getByLabel('Your public key (npub)');
  await expect(npubText).toHaveText(/^npub1[0-9a-z]{58}$/);
  await expect(page.getByRole('img', { name: 'QR code for your npub' })).toBeVisible();
  // Both stack relays are listed and come up as connected.
  const relays = page.getByRole('list', { name: 'Your relays' });
  await expect(relays.getByRole('listitem')).toHaveCount(2);
  await expect(relays.getByText('Connected', { exact: true })).toHaveCount(2);
  await relays.getByRole('listitem').last().scrollIntoViewIfNeeded();
  await app.snap('relays');
  return ((await npubText.textContent()) ?? '').trim();
}

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

async function receiveAddress(page: Page): Promise<string> {
  const qr = page.getByRole('region', { name: 'Receive' }).getByRole('img', { name: /^QR code for bcrt1q/ });
  await expect(qr).toBeVisible();
  // The QR is a placeholder (aria-label) until its image is drawn (alt): read whichever is there.
  const label = (await qr.getAttribute('alt')) ?? (await qr.getAttribute('aria-label')) ?? '';
  const address = label.replace('QR code for ', '');
  expect(address).toMatch(/^bcrt1q[0-9a-z]{38}$/);
  return address;
}

async function newMessage(page: Page, to: string[], text: string): Promise<void> {
  await page.getByRole('button', { name: 'New message' }).click();
  await page.getByLabel('To (npub)').fill(to.join('\n'));
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

async function reply(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

function history(page: Page) {
  return page.getByRole('list', { name: 'Message history' });
}

function conversations(page: Page) {
  return page.getByRole('list', { name: 'Conversations' });
}

test('Alice and Bob chat over NOSTR, and Bob asks to be paid', async ({ flash: alice, launchFlash }) => {
  const bob = await launchFlash('bob');
  const [, bobNpub] = await Promise.all([setUpMessaging(alice), setUpMessaging(bob)]);
  await alice.snap('01-identity');

  // Alice writes to Bob by his npub, read off Bob's screen.
  await newMessage(alice.page, [bobNpub], 'Hello Bob');
  await expect(history(alice.page).getByText('Hello Bob')).toBeVisible();
  await expect(history(alice.page).getByText('Sent to 2 of 2 relays')).toBeVisible();

  // Bob sees it arrive live, unread, then opens it and replies.
  const bobThread = conversations(bob.page).getByRole('button', { name: /Hello Bob/ });
  await expect(bobThread).toBeVisible();
  await expect(bobThread.getByText('1 unread')).toBeVisible();
  await bob.snap('02-new-message');
  await bobThread.click();
  await expect(history(bob.page).getByText('Hello Bob')).toBeVisible();
  await expect(bobThread.getByText('1 unread')).toHaveCount(0);
  await reply(bob.page, 'Hi Alice');
  await expect(history(bob.page).getByText('Sent to 2 of 2 relays')).toBeVisible();

  // Alice's open thread updates without a reload; both see the whole exchange in order.
  await expect(history(alice.page).getByText('Hi Alice')).toBeVisible();
  for (const app of [alice, bob]) {
    const texts = await history(app.page).locator('.msg-text').allInnerTexts();
    expect(texts).toEqual(['Hello Bob', 'Hi Alice']);
  }
  await expect(history(alice.page).locator('.msg-mine')).toHaveCount(1);
  await expect(history(alice.page).locator('.msg-theirs')).toHaveCount(1);
  await alice.snap('03-thread');
  await bob.snap('03-thread');

  // Search finds the message.
  await alice.page.getByLabel('Search messages').fill('Hi Ali');
  await alice.page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(
    alice.page.getByRole('list', { name: 'Search results' }).getByRole('button', { name: /Hi Alice/ }),
  ).toBeVisible();
  await alice.page.getByRole('button', { name: 'Clear search' }).click();

  // Bob asks to be paid to his own wallet address; Alice sees a pay card.
  await openArea(bob.page, 'Wallet');
  const address = await receiveAddress(bob.page);
  await openArea(bob.page, 'Messages');
  await conversations(bob.page)
    .getByRole('button', { name: /Hi Alice/ })
    .click();
  await reply(bob.page, `Please pay bitcoin:${address}?amount=0.0001`);
  const card = history(alice.page).getByRole('region', { name: 'Payment request' });
  await expect(card).toBeVisible();
  await expect(card.getByText(address)).toBeVisible();
  await expect(card.getByText('10,000 sats')).toBeVisible();
  await alice.snap('04-pay-card');
  await bob.snap('04-pay-request');

  // "Pay" hands over to the wallet's Send flow.
  await card.getByRole('button', { name: 'Pay' }).click();
  await expect(
    alice.page.getByRole('navigation').getByRole('button', { name: 'Wallet', exact: true }),
  ).toHaveAttribute('aria-current', 'page');
  await expect(alice.page.getByLabel('Pay to')).toHaveValue(address);
  await alice.snap('05-pay-opens-send');

  // Alice names herself; each relay reports whether it took the profile.
  await openArea(alice.page, 'Messages');
  await alice.page.getByRole('button', { name: 'Edit profile' }).click();
  await alice.page.getByLabel('Name', { exact: true }).fill('Alice');
  await alice.page.getByLabel('About').fill('Testing Flash');
  await alice.page.getByRole('button', { name: 'Save and publish profile' }).click();
  await expect(alice.page.getByText(/: accepted$/)).toHaveCount(2);
  await expect(alice.page.getByRole('heading', { name: /Your NOSTR identity · Alice/ })).toBeVisible();
  await alice.snap('06-profile');

  // A relay that is down shows as such, and can be removed again.
  const relays = alice.page.getByRole('list', { name: 'Your relays' });
  await alice.page.getByLabel('Relay address (wss://…)').fill('ws://127.0.0.1:9');
  await alice.page.getByRole('button', { name: 'Add relay' }).click();
  const dead = relays.getByRole('listitem').filter({ hasText: 'ws://127.0.0.1:9' });
  await expect(dead).toBeVisible();
  await expect(dead.getByText(/^(Connecting|Reconnecting|Offline)$/)).toBeVisible();
  await expect(dead.getByText(/^(Reconnecting|Offline)$/)).toBeVisible();
  await dead.scrollIntoViewIfNeeded();
  await alice.snap('07-dead-relay');
  await alice.page.getByRole('button', { name: 'Remove ws://127.0.0.1:9' }).click();
  await expect(relays.getByRole('listitem')).toHaveCount(2);
});

test('a three-person group chat', async ({ flash: alice, launchFlash }) => {
  const bob = await launchFlash('bob');
  const carol = await launchFlash('carol');
  const [, bobNpub, carolNpub] = await Promise.all([
    setUpMessaging(alice),
    setUpMessaging(bob),
    setUpMessaging(carol, { tryBadImport: true }),
  ]);

  await newMessage(alice.page, [bobNpub, carolNpub], 'Hello both');
  await expect(history(alice.page).getByText('Hello both')).toBeVisible();
  await expect(history(alice.page).getByText(/Sent to 2 of 2 relays/)).toBeVisible();

  for (const app of [bob, carol]) {
    const thread = conversations(app.page).getByRole('button', { name: /Group \(3\).*Hello both/ });
    await expect(thread).toBeVisible();
    await thread.click();
    await expect(history(app.page).getByText('Hello both')).toBeVisible();
  }
  await reply(carol.page, 'Hi from Carol');
  for (const app of [alice, bob]) {
    await expect(history(app.page).getByText('Hi from Carol')).toBeVisible();
  }
  await alice.snap('group');
  await carol.snap('group');
});
