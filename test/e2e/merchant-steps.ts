import type { Locator, Page } from '@playwright/test';
import type { Stack } from '../stack';
import type { BtcpayStack } from '../stack/btcpay';
import type { StandInMint } from '../stack/cashu';
import { expect, type FlashApp } from './fixtures';
import { createWallet, trustMintOnEcashScreen } from './steps';

/**
 * What a shopkeeper does the same way in every merchant story: connect the demo store, trust a
 * mint, set the reward rules, program a card, open the customer display, sell a latte paid over
 * Lightning. Each step waits for what the screen shows when it is done, so a story goes on from
 * a known screen.
 */

/** Onboarding with a new 12-word wallet, until the wallet's Receive screen where it ends. */
export async function onboardWithNewWallet(flash: FlashApp): Promise<void> {
  await createWallet(flash);
  await expect(flash.page.getByRole('region', { name: 'Receive' })).toBeVisible();
}

/** The stack's first Cashu mint, "alpha". */
export function stackMintAlpha(stack: Stack): StandInMint {
  const [alpha] = stack.cashuMints;
  if (!alpha) throw new Error('the stack runs two mints');
  return alpha;
}

/** Opens Merchant and connects the stack's demo store with its all-permissions key and POS app. */
export async function connectDemoStore(page: Page, btcpay: BtcpayStack): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'Merchant', exact: true }).click();
  await page.getByLabel('BTCPay Server address').fill(btcpay.url);
  await page.getByLabel('API key').fill(btcpay.seed.adminKey.apiKey);
  await page.getByRole('button', { name: 'Connect with this key' }).click();
  await page.getByRole('button', { name: 'Use this app' }).click();
  await expect(page.getByRole('button', { name: /^Latte/ })).toBeVisible();
}

/** In the wallet's own eCash screen, looks the mint up and trusts it. */
export async function trustMint(page: Page, mintUrl: string): Promise<void> {
  await page.getByRole('navigation').getByRole('button', { name: 'eCash', exact: true }).click();
  await trustMintOnEcashScreen(page, mintUrl);
}

/**
 * In Store settings, turns rewards on at a fixed `satsPerPurchase` and saves them. `giveAs` is the
 * label of the way they are given (left at the default pull payment when absent); `beforeSaving`
 * checks what the form shows once filled in.
 */
export async function saveFixedRewardRules(
  page: Page,
  rules: { satsPerPurchase: number; giveAs?: string; beforeSaving?: () => Promise<void> },
): Promise<void> {
  await page.getByRole('button', { name: 'Store settings', exact: true }).click();
  await page.getByLabel('Give rewards after paid sales').check();
  await page.getByLabel('Sats per purchase').fill(String(rules.satsPerPurchase));
  if (rules.giveAs) await page.getByLabel(rules.giveAs).check();
  await rules.beforeSaving?.();
  await page.getByRole('button', { name: 'Save reward rules' }).click();
  await expect(page.getByText('Reward rules saved.')).toBeVisible();
}

/** The Flash Cards section of Store settings. */
export function flashCardsSection(page: Page): Locator {
  return page.locator('section').filter({ has: page.getByRole('heading', { name: 'Flash Cards' }) });
}

/** Programs the blank card on the reader with `sats`; returns the card's UID the screen names. */
export async function programBlankCard(page: Page, sats: number): Promise<string> {
  const cards = flashCardsSection(page);
  await cards.getByLabel('Balance to load (sats)').fill(String(sats));
  await cards.getByRole('button', { name: 'Program a blank card' }).click();
  const programmed = cards.getByText(new RegExp(`^Card [0-9a-f]{14} programmed with ${sats} sats\\.$`));
  await expect(programmed).toBeVisible();
  return /^Card ([0-9a-f]{14})/.exec((await programmed.textContent()) ?? '')?.[1] ?? '';
}

/** Goes to the Counter and opens the customer display (a second window in browser mode). */
export async function openCounterWithCustomerDisplay(page: Page): Promise<Page> {
  await page.getByRole('button', { name: 'Counter', exact: true }).click();
  const [display] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Customer display' }).click(),
  ]);
  return display;
}

/**
 * Charges one latte, has the stack pay its invoice over Lightning as the customer's wallet would,
 * and waits until the counter says Paid; returns the BTCPay invoice id the sale screen shows.
 */
export async function sellLattePaidByLightning(page: Page, btcpay: BtcpayStack): Promise<string> {
  await page.getByRole('button', { name: /^Latte/ }).click();
  await page.getByRole('button', { name: /^Charge / }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Waiting for payment' })).toBeVisible();
  const invoiceId =
    ((await page.locator('.merchant-sale .mono').first().textContent()) ?? '').split('·')[1]?.trim() ?? '';
  await btcpay.payLightning(invoiceId);
  await expect(page.getByRole('status').filter({ hasText: /^Paid ✓$/ })).toBeVisible();
  return invoiceId;
}
