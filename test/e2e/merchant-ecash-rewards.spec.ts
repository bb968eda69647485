import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { ecashWallet } from '../support/ecash';
import { expect, test } from './fixtures';
import {
  connectDemoStore,
  onboardWithNewWallet,
  openCounterWithCustomerDisplay,
  saveFixedRewardRules,
  sellLattePaidByLightning,
  stackMintAlpha,
  trustMint,
} from './merchant-steps';

test('rewards as eCash tokens from the shop’s own eCash: the token on the sale screen and the customer display, copied, claimed by the customer', async ({
  flash,
  stack,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  const alpha = stackMintAlpha(stack);
  await onboardWithNewWallet(flash);

  // The shop trusts the stack's mint "alpha" and mints 5,000 sats of eCash there from Lightning.
  await trustMint(page, alpha.url);
  await page.getByRole('tab', { name: 'Receive' }).click();
  const mintLn = page.getByRole('region', { name: 'Mint from Lightning' });
  await mintLn.getByLabel('Amount (sat)').fill('5000');
  await mintLn.getByRole('button', { name: 'Get invoice' }).click();
  const invoice = (await mintLn.getByTestId('ecash-mint-invoice').innerText()).trim();
  expect((await stack.lightning.pay('stack', invoice)).state).toBe('succeeded');
  await expect(mintLn.getByTestId('ecash-op-state')).toContainText('Done');

  // Connect the store; the reward rules give 300 sats back as eCash from that mint.
  await connectDemoStore(page, stack.btcpay);
  await saveFixedRewardRules(page, {
    satsPerPurchase: 300,
    giveAs: 'An eCash token from the store’s own eCash',
    // The only mint the wallet trusts is picked for the rewards.
    beforeSaving: () => expect(page.getByLabel('Mint whose eCash pays the rewards')).toHaveValue(alpha.url),
  });
  await flash.snap('01-rules-ecash');

  // A sale paid over Lightning by the stack: the token shows on the sale screen and the display.
  const display = await openCounterWithCustomerDisplay(page);
  await sellLattePaidByLightning(page, stack.btcpay);
  const reward = page.locator('.merchant-reward');
  await expect(reward.getByText('300 sats back')).toBeVisible();
  await expect(reward.getByText(`eCash token from ${alpha.url}`)).toBeVisible();
  // Too long for one QR a phone reads: NUT-16 animated parts, as the eCash screens show it.
  await expect(
    reward.getByRole('img', { name: /^QR code of the eCash token, part \d+ of \d+$/ }),
  ).toHaveAttribute('src', /^data:image\/svg/);
  await expect(reward.getByText(/^A big token: the QR cycles through \d+ parts/)).toBeVisible();
  const token = ((await reward.locator('.merchant-link').textContent()) ?? '').trim();
  expect(token).toMatch(/^cashuB[A-Za-z0-9_-]+$/);
  await reward.getByRole('button', { name: 'Copy the token' }).click();
  await expect(reward.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  await expect(display.getByText('A gift for you: 300 sats')).toBeVisible();
  await expect(
    display.getByRole('img', { name: /^QR code of the eCash token, part \d+ of \d+$/ }),
  ).toHaveAttribute('src', /^data:image\/svg/);
  await expect(display.getByText('Scan with a Cashu wallet to receive it')).toBeVisible();
  await flash.snap('02-sale-ecash-reward');
  await display.screenshot({ path: 'test-results/screens/merchant-ecash-rewards-customer-display.png' });

  // The customer's wallet receives the token; the counter sees the reward claimed.
  const customer = await ecashWallet(stack.lightning, { words: generateMnemonic(wordlist) });
  try {
    await customer.ecash.addMint(alpha.url);
    const received = await customer.ecash.receive(token);
    await expect
      .poll(async () => {
        await customer.ecash.recover();
        return customer.ecash.getOperation(received.id).state;
      })
      .toBe('claimed');
  } finally {
    await customer.close();
  }
  await reward.getByRole('button', { name: 'Check the claim' }).click();
  await expect(reward.getByRole('status').filter({ hasText: 'Claimed ✓' })).toBeVisible();
  // Claimed: the token leaves both screens.
  await expect(reward.locator('.merchant-link')).toHaveCount(0);
  await expect(display.getByText('A gift for you: 300 sats')).toHaveCount(0);
  await flash.snap('03-ecash-reward-claimed');

  // The sales list knows the reward and its claim.
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: 'Sales', exact: true }).click();
  await expect(
    page.locator('.merchant-history li').filter({ hasText: 'Reward 300 sats: Claimed ✓' }),
  ).toHaveCount(1);
  await flash.snap('04-sales-ecash-reward');
  stack.btcpay.server.assertNoSpecIssues();
});
