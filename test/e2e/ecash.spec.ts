import type { Page } from '@playwright/test';
import type { Stack } from '../stack';
import { expect, test } from './fixtures';
import { createWallet, setPassword, trustMintOnEcashScreen } from './steps';

async function mintFromLightning(page: Page, stack: Stack, mintName: string, sats: number): Promise<void> {
  await page.getByRole('tab', { name: 'Receive' }).click();
  const mintLn = page.getByRole('region', { name: 'Mint from Lightning' });
  await mintLn.getByLabel('Mint', { exact: true }).selectOption({ label: mintName });
  await mintLn.getByLabel('Amount (sat)').fill(String(sats));
  await mintLn.getByRole('button', { name: 'Get invoice' }).click();
  const invoice = (await mintLn.getByTestId('ecash-mint-invoice').innerText()).trim();
  expect((await stack.lightning.pay('stack', invoice)).state).toBe('succeeded');
  await expect(mintLn.getByTestId('ecash-op-state')).toContainText('Done');
  await mintLn.getByRole('button', { name: 'Mint more' }).click();
}

async function openEcash(page: Page): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'eCash', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'eCash', level: 1 })).toBeVisible();
}

test('eCash: add a mint, mint from Lightning, send a token that another wallet claims, melt, the feed, a mint that is down', async ({
  flash,
  stack,
  launchFlash,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  const [alpha] = stack.cashuMints;
  if (!alpha) throw new Error('the stack runs two mints');
  await createWallet(flash);

  // Add the mint: its NUT-06 info (units, fees, supported NUTs) and the warning come before trusting it.
  await openEcash(page);
  await expect(page.getByText('No eCash yet.')).toBeVisible();
  await page.getByRole('tab', { name: 'Mints' }).click();
  const add = page.getByRole('region', { name: 'Add a mint' });
  await add.getByLabel('Mint address').fill('not a mint');
  await add.getByRole('button', { name: 'Look it up' }).click();
  await expect(add.getByRole('alert')).toContainText('That is not a mint address');
  await add.getByLabel('Mint address').fill(alpha.url);
  await add.getByRole('button', { name: 'Look it up' }).click();
  const about = add.getByRole('region', { name: 'About this mint' });
  await expect(about.getByRole('heading', { name: 'Mint alpha' })).toBeVisible();
  await expect(about.getByTestId('ecash-nuts')).toContainText('NUT-04');
  await expect(about.getByTestId('ecash-nuts')).toContainText('NUT-17');
  await expect(about).toContainText('sat: 100 ppk per proof spent');
  await flash.snap('01-mint-preview');
  await about.getByRole('button', { name: 'Trust this mint' }).click();
  const mintCard = page.getByRole('region', { name: 'Mint Mint alpha' });
  await expect(mintCard).toBeVisible();
  await expect(mintCard.getByText('Online')).toBeVisible();

  // Mint from Lightning: the invoice as a QR; the stack's Lightning wallet pays it; minted live.
  await page.getByRole('tab', { name: 'Receive' }).click();
  const mintLn = page.getByRole('region', { name: 'Mint from Lightning' });
  await mintLn.getByLabel('Amount (sat)').fill('5000');
  await mintLn.getByRole('button', { name: 'Get invoice' }).click();
  await expect(mintLn.getByRole('img', { name: 'QR code of the invoice to pay the mint' })).toBeVisible();
  const invoice = (await mintLn.getByTestId('ecash-mint-invoice').innerText()).trim();
  expect(invoice).toMatch(/^lnbcrt50u1/);
  await expect(mintLn.getByText('Waiting for payment', { exact: true })).toBeVisible();
  await flash.snap('02-mint-invoice');
  expect((await stack.lightning.pay('stack', invoice)).state).toBe('succeeded');
  await expect(mintLn.getByTestId('ecash-op-state')).toContainText('Done');
  await expect(page.getByTestId('ecash-total-sat')).toHaveText('5,000 sats');
  await flash.snap('03-minted');

  // The Wallet overview shows the eCash card: the mint and what it holds; its button leads back here.
  await page.getByRole('navigation').getByRole('button', { name: 'Wallet', exact: true }).click();
  const ecashCard = page.getByRole('region', { name: 'eCash' });
  await expect(ecashCard.getByRole('heading', { name: 'Mint alpha' })).toBeVisible();
  await expect(ecashCard.getByTestId('ecash-overview-spendable')).toContainText('5,000 sats');
  await flash.snap('03b-wallet-overview-ecash');
  await ecashCard.getByRole('button', { name: 'Open eCash' }).click();
  await expect(page.getByRole('heading', { name: 'eCash', level: 1 })).toBeVisible();

  // Send a token: text and QR code; it waits to be claimed.
  await page.getByRole('tab', { name: 'Send' }).click();
  const send = page.getByRole('region', { name: 'Send a token' });
  await expect(send.getByText('Spendable at this mint: 5,000 sats')).toBeVisible();
  await send.getByLabel('Amount (sat)').fill('1000');
  await send.getByLabel('Memo (optional)').fill('Lunch');
  await send.getByRole('button', { name: 'Make token' }).click();
  const sent = page.getByRole('region', { name: 'Token for 1,000 sats' });
  await expect(sent.getByRole('img', { name: /QR code of the eCash token/ })).toBeVisible();
  await expect(sent.getByTestId('ecash-op-state')).toContainText('Waiting to be claimed');
  const token = (await sent.getByTestId('ecash-token').innerText()).trim();
  expect(token).toMatch(/^cashuB/);
  await flash.snap('04-token');

  // A second wallet (another person) checks the token offline, trusts the mint and claims it.
  const bob = await launchFlash('bob');
  await createWallet(bob);
  await openEcash(bob.page);
  await bob.page.getByRole('tab', { name: 'Receive' }).click();
  const receive = bob.page.getByRole('region', { name: 'Receive a token' });
  await receive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)').fill(token);
  await receive.getByRole('button', { name: 'Check token' }).click();
  const checked = receive.getByRole('region', { name: 'Token checked' });
  await expect(checked).toContainText('1,000 sats');
  // Bob has not added the mint: its keysets (and so the DLEQ check) are not known yet.
  const alphaHost = alpha.url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  await expect(checked).toContainText(alphaHost);
  await expect(checked).toContainText('Lunch');
  await expect(checked).toContainText('Mint keys not known yet');
  await expect(checked).toContainText('from a mint you have not added');
  await bob.snap('05-token-checked');
  await checked.getByRole('button', { name: `Trust ${alphaHost} and claim` }).click();
  await expect(receive.getByTestId('ecash-op-state')).toContainText('Claimed');
  // The claim is a swap: the mint's input fee (100 ppk per proof) comes off what arrives.
  await expect(bob.page.getByTestId('ecash-total-sat')).toContainText(/^99\d sats$/);
  await bob.snap('06-claimed');

  // The sender hears that the token was claimed.
  await expect(
    page.getByRole('status').filter({ hasText: 'Your eCash token was claimed: 1,000 sats' }),
  ).toBeVisible({ timeout: 40_000 });
  await expect(sent.getByTestId('ecash-op-state')).toContainText('Claimed');
  await flash.snap('07-sent-claimed');

  // Claiming the same token twice is a typed error.
  await receive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)').fill(token);
  await receive.getByRole('button', { name: 'Check token' }).click();
  const again = receive.getByRole('region', { name: 'Token checked' });
  await expect(again).toContainText('Mint alpha');
  await expect(again).toContainText('Checked offline: real eCash of this mint');
  await again.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(receive.getByRole('alert')).toContainText('This eCash was already spent');
  await bob.snap('08-double-spend');

  // A token locked to Bob's key (NUT-11): Alice cannot claim it back by pasting it, Bob can.
  const bobKey = (await bob.page.getByTestId('ecash-lock-key').innerText()).trim();
  expect(bobKey).toMatch(/^0[23][0-9a-f]{64}$/);
  await sent.getByRole('button', { name: 'Send another' }).click();
  await send.getByLabel('Amount (sat)').fill('200');
  await send.getByLabel('Lock to a public key or npub (optional)').fill(bobKey);
  await send.getByRole('button', { name: 'Make token' }).click();
  const locked = (await page.getByTestId('ecash-token').innerText()).trim();
  await page.getByRole('tab', { name: 'Receive' }).click();
  const aliceReceive = page.getByRole('region', { name: 'Receive a token' });
  await aliceReceive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)').fill(locked);
  await aliceReceive.getByRole('button', { name: 'Check token' }).click();
  await expect(aliceReceive.getByRole('region', { name: 'Token checked' })).toContainText(
    'Locked to someone else',
  );
  await expect(aliceReceive.getByRole('alert')).toContainText('locked to someone else’s key');
  await receive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)').fill(locked);
  await receive.getByRole('button', { name: 'Check token' }).click();
  const lockedView = receive.getByRole('region', { name: 'Token checked' });
  await expect(lockedView).toContainText('Locked to your key');
  await expect(receive.getByRole('alert')).toHaveCount(0);
  await bob.snap('09-locked-to-bob');
  await lockedView.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(receive.getByTestId('ecash-op-state')).toContainText('Claimed');

  // Melt: pay a Lightning invoice with eCash; the fee reserve shows before "Pay now".
  await page.getByRole('tab', { name: 'Pay' }).click();
  const melt = page.getByRole('region', { name: 'Pay a Lightning invoice with eCash' });
  const bill = stack.lightning.createInvoice('stack', {
    amountMsat: 1_500_000n,
    description: 'Books',
  }).bolt11;
  await melt.getByLabel('Lightning invoice or address').fill(bill);
  await melt.getByRole('button', { name: 'Review payment' }).click();
  const review = melt.getByTestId('ecash-melt-review');
  await expect(review).toContainText('1,500 sats');
  await expect(review).toContainText('Fees');
  await expect(review).toContainText('at most');
  await flash.snap('09-melt-review');
  await melt.getByRole('button', { name: 'Pay now' }).click();
  await expect(melt.getByTestId('ecash-op-state')).toContainText('Paid');
  await flash.snap('10-melt-paid');

  // History: every operation with its state.
  await page.getByRole('tab', { name: 'History' }).click();
  const history = page.getByRole('region', { name: 'eCash history' });
  await expect(history.locator('tr[data-kind="mint"][data-state="done"]')).toHaveCount(1);
  await expect(history.locator('tr[data-kind="send"]')).toHaveCount(2);
  await expect(history.locator('tr[data-kind="send"][data-state="claimed"]').first()).toBeVisible();
  await expect(history.locator('tr[data-kind="melt"][data-state="paid"]')).toHaveCount(1);
  await history.getByRole('button', { name: 'Finish open operations now' }).click();
  await expect(history.getByText('Recovery done. Still open: 0')).toBeVisible();
  await flash.snap('11-history');

  // The unified activity feed has the eCash rail too.
  await page.getByRole('navigation').getByRole('button', { name: 'Lightning', exact: true }).click();
  await page.getByRole('tab', { name: 'Activity' }).click();
  const feed = page.getByRole('region', { name: 'Activity' }).last();
  await expect(feed.locator('tr[data-rail="ecash"]')).toHaveCount(4);
  await feed.getByLabel('Show').selectOption('ecash');
  await expect(feed.locator('tr[data-rail="ecash"]')).toHaveCount(4);
  await expect(feed).toContainText('−200 sats');
  await expect(feed).toContainText('+5,000 sats');
  await expect(feed).toContainText('−1,000 sats');
  await expect(feed).toContainText('−1,500 sats');
  await flash.snap('12-feed-ecash');

  // A mint that is down: a clear error, and what it holds is still shown as held.
  alpha.setFault('down');
  await openEcash(page);
  await page.getByRole('tab', { name: 'Receive' }).click();
  await mintLn.getByLabel('Amount (sat)').fill('100');
  await mintLn.getByRole('button', { name: 'Get invoice' }).click();
  await expect(mintLn.getByRole('alert')).toContainText('The mint cannot be reached right now');
  await page.getByRole('tab', { name: 'Mints' }).click();
  await mintCard.getByRole('button', { name: 'Refresh' }).click();
  await expect(mintCard.getByRole('alert')).toContainText('The mint cannot be reached right now');
  await expect(mintCard.getByText('Unreachable: its balance is still held')).toBeVisible();
  await expect(mintCard.getByTestId('ecash-spendable')).not.toHaveText('0 sats');
  await flash.snap('13-mint-down');
  // The Wallet overview says the same: the mint is unreachable and its eCash is still held there.
  await page.getByRole('navigation').getByRole('button', { name: 'Wallet', exact: true }).click();
  await expect(ecashCard.getByText('Unreachable: its balance is still held')).toBeVisible();
  await expect(ecashCard.getByTestId('ecash-overview-spendable')).not.toContainText(' 0 sats');
  await flash.snap('13b-wallet-overview-mint-down');
  await openEcash(page);
  await page.getByRole('tab', { name: 'Mints' }).click();
  alpha.setFault('none');
  await mintCard.getByRole('button', { name: 'Refresh' }).click();
  await expect(mintCard.getByText('Online')).toBeVisible();
});

test('eCash: move between mints, receive while the mint is down and claim when it is back, restore on a fresh profile from the words', async ({
  flash,
  stack,
  launchFlash,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  const [alpha, beta] = stack.cashuMints;
  if (!alpha || !beta) throw new Error('the stack runs two mints');
  const words = await createWallet(flash);
  await openEcash(page);
  await trustMintOnEcashScreen(page, alpha.url, 'Mint Mint alpha');
  await trustMintOnEcashScreen(page, beta.url, 'Mint Mint beta');
  await mintFromLightning(page, stack, 'Mint alpha', 3000);
  await expect(page.getByTestId('ecash-total-sat')).toHaveText('3,000 sats');

  // Move 1,000 sats from alpha to beta: the price first, then one operation that ends Done.
  await page.getByRole('tab', { name: 'Mints' }).click();
  const move = page.getByRole('region', { name: 'Move between mints' });
  await move.getByLabel('From').selectOption({ label: 'Mint alpha' });
  await move.getByLabel('To').selectOption({ label: 'Mint beta' });
  await move.getByLabel('Amount in sats').fill('1000');
  await move.getByRole('button', { name: 'Review move' }).click();
  await expect(move.getByTestId('ecash-melt-review')).toContainText('From Mint alpha');
  await flash.snap('01-move-review');
  await move.getByRole('button', { name: 'Move now' }).click();
  await expect(move.getByTestId('ecash-op-state')).toContainText('Done');
  const betaCard = page.getByRole('region', { name: 'Mint Mint beta' });
  await expect(betaCard.getByTestId('ecash-spendable')).toHaveText('1,000 sats');
  await flash.snap('02-moved');

  // A token for Bob, who trusts alpha already; alpha goes down before he receives it.
  await page.getByRole('tab', { name: 'Send' }).click();
  const send = page.getByRole('region', { name: 'Send a token' });
  await send.getByLabel('Mint', { exact: true }).selectOption({ label: 'Mint alpha' });
  await send.getByLabel('Amount (sat)').fill('500');
  await send.getByRole('button', { name: 'Make token' }).click();
  const token = (await page.getByTestId('ecash-token').innerText()).trim();

  const bob = await launchFlash('bob');
  await createWallet(bob);
  await openEcash(bob.page);
  await trustMintOnEcashScreen(bob.page, alpha.url, 'Mint Mint alpha');
  alpha.setFault('down');
  await bob.page.getByRole('tab', { name: 'Receive' }).click();
  const receive = bob.page.getByRole('region', { name: 'Receive a token' });
  await receive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)').fill(token);
  await receive.getByRole('button', { name: 'Check token' }).click();
  const checked = receive.getByRole('region', { name: 'Token checked' });
  // Checked offline against the keys Bob already holds for alpha.
  await expect(checked).toContainText('Checked offline: real eCash of this mint');
  await checked.getByRole('button', { name: 'Claim', exact: true }).click();
  // The claim's swap is journaled and waits for the mint: pending, counted as on its way in.
  await expect(receive.getByTestId('ecash-op-state')).toContainText(/Claiming|Received, not yet claimed/);
  await expect(receive.getByText('claimed by itself when the mint answers')).toBeVisible();
  await expect(bob.page.getByRole('region', { name: 'eCash balance' })).toContainText(
    '500 sats on its way in',
  );
  await bob.snap('03-stored-offline');

  // Alpha is back: the stored token is claimed (here at once through "Finish open operations now").
  alpha.setFault('none');
  await bob.page.getByRole('tab', { name: 'History' }).click();
  const history = bob.page.getByRole('region', { name: 'eCash history' });
  await history.getByRole('button', { name: 'Finish open operations now' }).click();
  await expect(history.locator('tr[data-kind="receive"][data-state="claimed"]')).toHaveCount(1);
  await expect(bob.page.getByTestId('ecash-total-sat')).toContainText(/^49\d sats$/);
  await bob.snap('04-claimed-when-back');
  await expect(page.getByTestId('ecash-op-state')).toContainText('Claimed', { timeout: 40_000 });

  // Carol restores Alice's words on a fresh profile: the restore walks both mints with progress.
  // What Alice can spend (the claimed token is no longer hers): the restore must find exactly that.
  const total = (await page.getByTestId('ecash-total-sat').locator('strong').innerText()).trim();
  const carol = await launchFlash('carol');
  await setPassword(carol);
  await carol.page.getByRole('button', { name: 'Restore from recovery words' }).click();
  await carol.page.getByLabel('Word 1', { exact: true }).fill(words.join(' '));
  await expect(carol.page.getByText('These recovery words are valid.')).toBeVisible();
  await carol.page.getByRole('button', { name: 'Restore wallet' }).click();
  await openEcash(carol.page);
  await carol.page.getByRole('tab', { name: 'History' }).click();
  const restore = carol.page.getByRole('region', { name: 'Restore eCash from your recovery words' });
  await restore.getByLabel('Mints to restore from (one address per line)').fill(`${alpha.url}\n${beta.url}`);
  await restore.getByRole('button', { name: 'Restore' }).click();
  await expect(restore.getByText(/^Restoring mint \d of 2/)).toBeVisible();
  await carol.snap('05-restoring');
  const result = restore.getByRole('list', { name: 'Restore result' });
  await expect(result.getByRole('listitem')).toHaveCount(2, { timeout: 60_000 });
  await expect(result).toContainText('found 1,000 sats');
  await expect(carol.page.getByTestId('ecash-total-sat')).toHaveText(total);
  await carol.page.getByRole('tab', { name: 'Mints' }).click();
  await expect(carol.page.getByRole('region', { name: 'Mint Mint alpha' })).toBeVisible();
  await expect(
    carol.page.getByRole('region', { name: 'Mint Mint beta' }).getByTestId('ecash-spendable'),
  ).toHaveText('1,000 sats');
  await carol.snap('06-restored');

  // Beta rotates its keyset: Refresh follows it and swaps the eCash onto the new active keyset
  // (the swap's input fee comes off); the old keysets stay listed, rotated out and empty.
  beta.mint.rotate('sat');
  const carolBeta = carol.page.getByRole('region', { name: 'Mint Mint beta' });
  await carolBeta.getByRole('button', { name: 'Refresh' }).click();
  await expect(carolBeta.getByTestId('ecash-spendable')).toHaveText(/^99\d sats$/);
  await carolBeta.getByText('Mint details and keysets').click();
  const keysets = carolBeta.getByRole('table', { name: 'Keysets' });
  await expect(keysets.getByRole('row').filter({ hasText: 'Rotated out' })).toHaveCount(2);
  await expect(keysets.getByRole('row').filter({ hasText: 'Active' })).toContainText(/99\d sats/);
  await carol.snap('07-rotated');
  await carol.page.getByRole('tab', { name: 'History' }).click();
  await expect(
    carol.page
      .getByRole('region', { name: 'eCash history' })
      .locator('tr[data-kind="swap"][data-state="done"]'),
  ).toHaveCount(1);
});
