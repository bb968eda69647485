import { expect, test } from './fixtures';
import {
  connectDemoStore,
  flashCardsSection,
  onboardWithNewWallet,
  openCounterWithCustomerDisplay,
  programBlankCard,
  saveFixedRewardRules,
  sellLattePaidByLightning,
} from './merchant-steps';

// The stack's simulated NFC reader with NTAG 424 cards: browser mode on regtest with the test flags.
test.use({ extraArgs: ['--simulated-devices', '--simulated-nfc', '{nfcUrl}'] });

test('rewards as a Flash Card top-up: the customer display asks for the tap, the cashier adds the reward to the card once', async ({
  flash,
  stack,
}) => {
  test.setTimeout(240_000);
  const { page } = flash;
  await onboardWithNewWallet(flash);
  await connectDemoStore(page, stack.btcpay);

  // Store settings: 300 sats back onto the customer's Flash Card; the blank card programmed.
  await saveFixedRewardRules(page, {
    satsPerPurchase: 300,
    giveAs: 'A top-up of the customer’s Flash Card (they tap it after paying)',
  });
  const cards = flashCardsSection(page);
  const uid = await programBlankCard(page, 20_000);
  await flash.snap('01-rules-flash-card');

  // A sale paid over Lightning: nothing is given until the card is on the reader.
  const display = await openCounterWithCustomerDisplay(page);
  await sellLattePaidByLightning(page, stack.btcpay);
  await expect(display.getByText('A gift for you: 300 sats')).toBeVisible();
  await expect(display.getByText('Put your Flash Card on the reader to add it')).toBeVisible();
  const reward = page.locator('.merchant-reward');
  await expect(reward.getByText(/^The reward goes onto the customer’s Flash Card/)).toBeVisible();
  await flash.snap('02-paid-asks-for-card');
  await display.screenshot({ path: 'test-results/screens/merchant-card-rewards-customer-tap.png' });

  // The customer's card is on the reader: the cashier adds the reward.
  await reward.getByRole('button', { name: 'Add to the card' }).click();
  await expect(reward.getByText(`Added to Flash Card ${uid} ✓`)).toBeVisible();
  await expect(reward.getByRole('status')).toHaveText('Claimed ✓');
  await expect(display.getByText('A gift for you: 300 sats')).toHaveCount(0);
  await expect(display.getByText('Paid ✓ Thank you!')).toBeVisible();
  await flash.snap('03-added-to-card');

  // The card holds it once; the sales list shows the reward as claimed.
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  await cards.getByRole('button', { name: 'Check the card’s balance' }).click();
  await expect(cards.getByText('The card holds 20300 sats.')).toBeVisible();
  await page.getByRole('button', { name: 'Sales', exact: true }).click();
  await expect(
    page.locator('.merchant-history li').filter({ hasText: 'Reward 300 sats: Claimed ✓' }),
  ).toHaveCount(1);
  await flash.snap('04-sales-card-reward');
  stack.btcpay.server.assertNoSpecIssues();
});
