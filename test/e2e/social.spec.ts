import type { Page } from '@playwright/test';
import { expect, test, type FlashApp } from './fixtures';
import { createWallet, PASSWORD } from './steps';

/** Wallet onboarding, then Messages with a new NOSTR key; returns the npub shown on screen. */
async function setUpMessaging(app: FlashApp): Promise<string> {
  const { page } = app;
  await createWallet(app);
  await expect(page.getByRole('region', { name: 'Receive' })).toBeVisible();
  await page.getByRole('navigation').getByRole('button', { name: 'Messages', exact: true }).click();
  await page.getByRole('button', { name: 'Create NOSTR key' }).click();
  const npubText = page.getByLabel('Your public key (npub)');
  await expect(npubText).toHaveText(/^npub1[0-9a-z]{58}$/);
  await expect(
    page.getByRole('list', { name: 'Your relays' }).getByText('Connected', { exact: true }),
  ).toHaveCount(2);
  return ((await npubText.textContent()) ?? '').trim();
}

function channelPosts(page: Page) {
  return page.getByRole('list', { name: 'Channel posts' });
}

function history(page: Page) {
  return page.getByRole('list', { name: 'Message history' });
}

function conversations(page: Page) {
  return page.getByRole('list', { name: 'Conversations' });
}

test('a public channel: Alice creates it, Bob joins by id and posts, Alice sees it', async ({
  flash: alice,
  launchFlash,
}) => {
  const bob = await launchFlash('bob');
  await Promise.all([setUpMessaging(alice), setUpMessaging(bob)]);

  // Alice creates the channel; the form and the channel say it is public.
  await alice.page.getByRole('button', { name: 'New channel' }).click();
  await expect(alice.page.getByText(/Public channel: everything posted here/)).toBeVisible();
  await alice.page.getByLabel('Channel name').fill('Flash market');
  await alice.page.getByLabel('Description (optional)').fill('Buy and sell for sats');
  await alice.page.getByRole('button', { name: 'Create channel' }).click();
  await expect(alice.page.getByRole('heading', { name: '# Flash market' })).toBeVisible();
  const channelId = ((await alice.page.getByTestId('channel-id').textContent()) ?? '').trim();
  expect(channelId).toMatch(/^nevent1[0-9a-z]+$/);
  await alice.page.getByRole('heading', { name: '# Flash market' }).scrollIntoViewIfNeeded();
  await alice.snap('01-channel-created');

  // Bob joins with the id Alice shared, and posts.
  await bob.page.getByRole('button', { name: 'Join channel' }).click();
  await bob.page.getByLabel('Channel id').fill(channelId);
  await bob.page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(bob.page.getByRole('heading', { name: '# Flash market' })).toBeVisible();
  await expect(bob.page.getByText('Buy and sell for sats')).toBeVisible();
  await bob.page.getByLabel('Public post').fill('Selling a used ASIC, 50k sats');
  await bob.page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(channelPosts(bob.page).getByText('Selling a used ASIC, 50k sats')).toBeVisible();

  // Alice's open channel updates live; her own reply reaches Bob.
  await expect(channelPosts(alice.page).getByText('Selling a used ASIC, 50k sats')).toBeVisible();
  await alice.page.getByLabel('Public post').fill('Welcome Bob');
  await alice.page.getByRole('button', { name: 'Post', exact: true }).click();
  await expect(channelPosts(bob.page).getByText('Welcome Bob')).toBeVisible();
  await expect(
    alice.page.getByRole('list', { name: 'Your channels' }).getByRole('button', { name: /Flash market/ }),
  ).toBeVisible();
  await channelPosts(alice.page).scrollIntoViewIfNeeded();
  await alice.snap('02-channel-posts');
  await channelPosts(bob.page).scrollIntoViewIfNeeded();
  await bob.snap('02-channel-posts');

  // Only the creator can edit the channel; Bob sees the new name without reloading.
  await expect(bob.page.getByRole('button', { name: 'Edit channel' })).toHaveCount(0);
  await alice.page.getByRole('button', { name: 'Edit channel' }).click();
  await alice.page.getByLabel('Channel name').fill('Flash bazaar');
  await alice.page.getByRole('button', { name: 'Save and publish channel' }).click();
  await expect(alice.page.getByRole('heading', { name: '# Flash bazaar' })).toBeVisible();
  await expect(bob.page.getByRole('heading', { name: '# Flash bazaar' })).toBeVisible();

  // A mistyped id is refused with a clear error.
  await bob.page.getByRole('button', { name: 'Join channel' }).click();
  await bob.page.getByLabel('Channel id').fill('nevent1nope');
  await bob.page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(bob.page.getByRole('alert')).toHaveText(/not a channel id/);
});

test('contacts with petnames, profile names, receipts and the key backup', async ({
  flash: alice,
  launchFlash,
}) => {
  const bob = await launchFlash('bob');
  const [, bobNpub] = await Promise.all([setUpMessaging(alice), setUpMessaging(bob)]);

  // Alice names herself; Bob will see that name instead of her npub.
  await alice.page.getByRole('button', { name: 'Edit profile' }).click();
  await alice.page.getByLabel('Name', { exact: true }).fill('Alice');
  await alice.page.getByRole('button', { name: 'Save and publish profile' }).click();
  await expect(alice.page.getByRole('heading', { name: /Your NOSTR identity · Alice/ })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Close', exact: true }).click();

  // Alice adds Bob as a contact with a petname.
  const contacts = alice.page.getByRole('region', { name: 'Contacts' });
  await contacts.getByLabel('Contact’s npub').fill(bobNpub);
  await contacts.getByLabel('Name for this contact (optional)').fill('Bobby the baker');
  await contacts.getByRole('button', { name: 'Save contact' }).click();
  await expect(
    contacts.getByRole('list', { name: 'Your contacts' }).getByText('Bobby the baker'),
  ).toBeVisible();
  await expect(contacts.getByText(/: accepted$/)).toHaveCount(2);
  await contacts.scrollIntoViewIfNeeded();
  await alice.snap('03-contacts');

  // Her conversation with Bob shows the petname, not the npub.
  await alice.page.getByRole('button', { name: 'New message' }).click();
  await alice.page.getByLabel('To (npub)').fill(bobNpub);
  await alice.page.getByLabel('Message', { exact: true }).fill('Your order is ready');
  await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(history(alice.page).getByText('Your order is ready')).toBeVisible();
  await expect(conversations(alice.page).getByRole('button', { name: /Bobby the baker/ })).toBeVisible();
  await expect(alice.page.getByRole('heading', { name: 'Conversation with Bobby the baker' })).toBeVisible();

  // Bob sees Alice's profile name (fetched from the relays) in his list.
  const bobThread = conversations(bob.page).getByRole('button', { name: /Alice.*Your order is ready/ });
  await expect(bobThread).toBeVisible();
  await bobThread.click();
  await expect(bob.page.getByRole('heading', { name: 'Conversation with Alice' })).toBeVisible();

  // Bob adds Alice to his contacts from the conversation itself; the petname replaces her name.
  await bob.page.getByRole('button', { name: 'Add to contacts' }).click();
  await bob.page.getByLabel('Name for this contact (optional)').first().fill('Alice at the bakery');
  await bob.page.getByRole('button', { name: 'Save contact' }).first().click();
  await expect(
    bob.page.getByRole('heading', { name: 'Conversation with Alice at the bakery' }),
  ).toBeVisible();
  await expect(bob.page.getByRole('button', { name: 'Add to contacts' })).toHaveCount(0);
  await expect(
    bob.page.getByRole('list', { name: 'Your contacts' }).getByText('Alice at the bakery'),
  ).toBeVisible();

  // Alice sets up her business profile, then sends Bob a receipt from the chat.
  const merchant = alice.page.getByRole('region', { name: /Business profile/ });
  await merchant.getByRole('button', { name: 'Edit business profile' }).click();
  await merchant.getByLabel('Business name').fill('Corner Bakery');
  await merchant.getByLabel('Website').fill('https://bakery.example');
  await merchant.getByRole('button', { name: 'Save and publish business profile' }).click();
  await expect(merchant.getByRole('heading', { name: /Business profile · Corner Bakery/ })).toBeVisible();

  await conversations(alice.page)
    .getByRole('button', { name: /Bobby the baker/ })
    .click();
  await alice.page.getByRole('button', { name: 'Send receipt' }).click();
  await alice.page.getByLabel('Item').fill('Sourdough loaf');
  await alice.page.getByLabel('Quantity').fill('2');
  await alice.page.getByLabel('Price each (sats)').fill('4000');
  await alice.page.getByRole('button', { name: 'Add line' }).click();
  await alice.page.getByLabel('Item').nth(1).fill('Croissant');
  await alice.page.getByLabel('Price each (sats)').nth(1).fill('1500');
  await alice.page.getByLabel('Transaction id or Lightning invoice (optional)').fill('ab'.repeat(32));
  await expect(alice.page.getByRole('status').filter({ hasText: 'Total' })).toContainText('9,500 sats');
  await alice.snap('04-receipt-form');
  await alice.page.getByRole('button', { name: 'Send receipt' }).click();
  await expect(history(alice.page).getByRole('region', { name: 'Receipt from Corner Bakery' })).toBeVisible();

  // Bob sees it as a receipt card, not as raw text.
  const card = history(bob.page).getByRole('region', { name: 'Receipt from Corner Bakery' });
  await expect(
    bob.page.getByRole('heading', { name: 'Conversation with Alice at the bakery' }),
  ).toBeVisible();
  await expect(card).toBeVisible();
  await expect(card.getByRole('cell', { name: 'Sourdough loaf' })).toBeVisible();
  await expect(card.getByRole('row', { name: /Total/ })).toContainText('9,500 sats');
  await expect(card.getByText(`Transaction: ${'ab'.repeat(32)}`)).toBeVisible();
  await expect(history(bob.page).getByText('flash-receipt:v1:')).toHaveCount(0);
  await card.scrollIntoViewIfNeeded();
  await bob.snap('05-receipt-card');

  // Alice backs up her key as an ncryptsec (password asked twice).
  await alice.page.getByRole('button', { name: 'Back up key' }).click();
  await expect(alice.page.getByText(/This is a backup of your secret key/)).toBeVisible();
  await alice.page.getByLabel('Your Flash password').fill(PASSWORD);
  await alice.page.getByLabel('Password for the backup', { exact: true }).fill('backup pw 1');
  await alice.page.getByLabel('Repeat the backup password').fill('backup pw 2');
  await expect(alice.page.getByText('The two passwords do not match.')).toBeVisible();
  await expect(alice.page.getByRole('button', { name: 'Create backup' })).toBeDisabled();
  await alice.page.getByLabel('Repeat the backup password').fill('backup pw 1');
  await alice.page.getByRole('button', { name: 'Create backup' }).click();
  await expect(alice.page.getByTestId('ncryptsec')).toHaveText(/^ncryptsec1[0-9a-z]+$/);
  await expect(alice.page.getByRole('button', { name: 'Copy encrypted key' })).toBeVisible();
  await alice.page.getByTestId('ncryptsec').scrollIntoViewIfNeeded();
  await alice.snap('06-key-backup');
});
