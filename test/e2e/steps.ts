import type { Locator, Page } from '@playwright/test';
import { expect, type FlashApp } from './fixtures';

export const PASSWORD = 'correct horse battery staple';

/** Onboarding up to the wallet choice: welcome, then the vault password typed twice. */
export async function setPassword(flash: FlashApp): Promise<void> {
  const { page } = flash;
  await expect(page.getByRole('heading', { name: 'Welcome to Flash' })).toBeVisible();
  await flash.snap('01-welcome');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat password', { exact: true }).fill(PASSWORD);
  await flash.snap('02-password');
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
}

/** Creates a new 12-word wallet: write the words down, then type back the ones asked for. */
export async function createWallet(flash: FlashApp): Promise<string[]> {
  const { page } = flash;
  await setPassword(flash);
  await page.getByRole('button', { name: 'Create new wallet' }).click();
  await page.getByRole('radio', { name: '12 words' }).check();
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  const wordList = page.getByRole('list', { name: 'Recovery words' });
  await expect(wordList).toBeVisible();
  const words = (await wordList.locator('.word').allInnerTexts()).map((w) => w.trim());
  expect(words).toHaveLength(12);
  await flash.snap('03-recovery-words');
  await page.getByRole('button', { name: 'I have written them down' }).click();

  // The confirm step asks for a few positions; answer them as a person reading their paper would.
  const fields = page.getByLabel(/^Word #\d+$/);
  await expect(fields.first()).toBeVisible();
  for (const field of await fields.all()) {
    const label = (await field.getAttribute('aria-label')) ?? (await labelText(field));
    const position = Number(/#(\d+)/.exec(label)?.[1]);
    await field.fill(words[position - 1] ?? '');
  }
  await flash.snap('04-confirm-words');
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  return words;
}

async function labelText(field: Locator): Promise<string> {
  const id = await field.getAttribute('id');
  return id ? ((await field.page().locator(`label[for="${id}"]`).textContent()) ?? '') : '';
}

/**
 * The text behind a QR code, from its alt. The QR draws asynchronously: until then a placeholder
 * carries the same accessible name but no alt, so wait for the drawn image first.
 */
export async function qrText(qr: Locator): Promise<string> {
  await expect(qr).toHaveAttribute('alt', /^QR code for /);
  return (await qr.getAttribute('alt')) ?? '';
}

/**
 * On the eCash screen: looks the mint up in the Mints tab and trusts it, then waits for its card
 * (`card`: the card's name, or a pattern for it).
 */
export async function trustMintOnEcashScreen(
  page: Page,
  mintUrl: string,
  card: string | RegExp = /^Mint /,
): Promise<void> {
  await page.getByRole('tab', { name: 'Mints' }).click();
  const add = page.getByRole('region', { name: 'Add a mint' });
  await add.getByLabel('Mint address').fill(mintUrl);
  await add.getByRole('button', { name: 'Look it up' }).click();
  await add
    .getByRole('region', { name: 'About this mint' })
    .getByRole('button', { name: 'Trust this mint' })
    .click();
  await expect(page.getByRole('region', { name: card })).toBeVisible();
}
