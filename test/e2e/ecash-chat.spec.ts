import type { Page } from '@playwright/test';
import type { Stack } from '../stack';
import { expect, test, type FlashApp } from './fixtures';
import { createWallet, trustMintOnEcashScreen } from './steps';

async function openArea(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
}

/** Wallet, a NOSTR key on the stack's relays, and the stack's first mint trusted; returns the npub. */
async function setUp(app: FlashApp, mintUrl: string): Promise<string> {
  const { page } = app;
  await createWallet(app);
  await openArea(page, 'Messages');
  await page.getByRole('button', { name: 'Create NOSTR key' }).click();
  const npubText = page.getByLabel('Your public key (npub)');
  await expect(npubText).toHaveText(/^npub1[0-9a-z]{58}$/);
  await expect(
    page.getByRole('list', { name: 'Your relays' }).getByText('Connected', { exact: true }),
  ).toHaveCount(2);
  const npub = ((await npubText.textContent()) ?? '').trim();
  await openArea(page, 'eCash');
  await trustMintOnEcashScreen(page, mintUrl, 'Mint Mint alpha');
  return npub;
}

async function mint(app: FlashApp, stack: Stack, sats: number): Promise<void> {
  const { page } = app;
  await page.getByRole('tab', { name: 'Receive' }).click();
  const mintLn = page.getByRole('region', { name: 'Mint from Lightning' });
  await mintLn.getByLabel('Amount (sat)').fill(String(sats));
  await mintLn.getByRole('button', { name: 'Get invoice' }).click();
  const invoice = (await mintLn.getByTestId('ecash-mint-invoice').innerText()).trim();
  expect((await stack.lightning.pay('stack', invoice)).state).toBe('succeeded');
  await expect(mintLn.getByTestId('ecash-op-state')).toContainText('Done');
}

test('eCash in chat: Alice sends Bob a token in a NIP-17 chat, Bob claims it; Bob’s NUT-18 request is paid from its pay card and claimed by itself', async ({
  flash: alice,
  stack,
  launchFlash,
}) => {
  test.setTimeout(240_000);
  const [alpha] = stack.cashuMints;
  if (!alpha) throw new Error('the stack runs two mints');
  const bob = await launchFlash('bob');
  const [, bobNpub] = await Promise.all([setUp(alice, alpha.url), setUp(bob, alpha.url)]);
  await mint(alice, stack, 2000);

  // Alice opens a chat with Bob and sends him eCash from it.
  await openArea(alice.page, 'Messages');
  await alice.page.getByRole('button', { name: 'New message' }).click();
  await alice.page.getByLabel('To (npub)').fill(bobNpub);
  await alice.page.getByLabel('Message', { exact: true }).fill('Lunch money coming');
  await alice.page.getByRole('button', { name: 'Send', exact: true }).click();
  await alice.page.getByRole('button', { name: 'Send eCash' }).click();
  const form = alice.page.getByRole('form', { name: 'Send eCash in this chat' });
  await expect(form).toContainText('Until it is claimed you can take it back');
  await form.getByLabel('Amount (sats)').fill('300');
  await form.getByLabel('Note (optional)').fill('Lunch');
  await alice.snap('01-send-ecash-form');
  await form.getByRole('button', { name: 'Send token' }).click();
  const sentCard = alice.page.getByRole('region', { name: 'eCash token' });
  await expect(sentCard).toContainText('300 sats');
  await expect(sentCard).toContainText('You sent this eCash');
  await sentCard.scrollIntoViewIfNeeded();
  await alice.snap('02-token-sent');

  // Bob's chat shows the token as a pay card; he claims it.
  await openArea(bob.page, 'Messages');
  await bob.page.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
  const card = bob.page.getByRole('region', { name: 'eCash token' });
  await expect(card).toContainText('300 sats');
  await expect(card).toContainText(alpha.url.replace(/\/$/, ''));
  await card.scrollIntoViewIfNeeded();
  await bob.snap('03-token-card');
  await card.getByRole('button', { name: 'Claim' }).click();
  await expect(card.getByRole('status')).toHaveText(/^Claimed: 29\d sats \(mint fee \d\)\.$/);
  await card.scrollIntoViewIfNeeded();
  await bob.snap('04-token-claimed');

  // Bob asks Alice for 50 sats from the chat: a NUT-18 request (NOSTR transport) as a message.
  await bob.page.getByRole('button', { name: 'Ask for eCash' }).click();
  const ask = bob.page.getByRole('form', { name: 'Ask for eCash in this chat' });
  await expect(ask).toContainText('Cashu payment request (NUT-18)');
  await ask.getByLabel('Amount (sats)').fill('50');
  await ask.getByLabel('What for (optional)').fill('Coffee');
  await bob.snap('05-ask-form');
  await ask.getByRole('button', { name: 'Send request' }).click();
  await expect(bob.page.getByRole('region', { name: 'eCash payment request' })).toContainText(
    'Your request: eCash sent for it is claimed by itself.',
  );
  const requestCard = alice.page.getByRole('region', { name: 'eCash payment request' });
  await expect(requestCard).toContainText('50 sats');
  await expect(requestCard).toContainText('For: Coffee');
  await requestCard.scrollIntoViewIfNeeded();
  await alice.snap('06-request-card');
  await requestCard.getByRole('button', { name: 'Pay with eCash' }).click();
  await expect(requestCard.getByRole('status')).toHaveText('Paid and delivered.');

  // The payment arrives in Bob's chat and his wallet claims it by itself.
  const payment = bob.page.getByRole('region', { name: 'eCash payment for your request' });
  await expect(payment).toContainText('50 sats');
  await expect(payment.getByRole('status')).toHaveText(/^Claimed: 4\d sats \(mint fee \d\)\.$/, {
    timeout: 20_000,
  });
  await payment.scrollIntoViewIfNeeded();
  await bob.snap('07-request-paid');
});
