import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { expect, test } from './fixtures';
import { setPassword } from './steps';

// Public test mnemonics: their keys can only ever hold test coins.
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const COLD_MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const TPUB_VERSIONS = { public: 0x043587cf, private: 0x04358394 };

/** A "cold wallet" account key, derived here independently of the app: vpub-style BIP84 tpub. */
function coldAccountTpub(): string {
  return HDKey.fromMasterSeed(mnemonicToSeedSync(COLD_MNEMONIC), TPUB_VERSIONS).derive("m/84'/1'/0'")
    .publicExtendedKey;
}

test('several accounts: add a Taproot account, receive into it, and watch a cold wallet', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await setPassword(flash);
  await page.getByRole('button', { name: 'Restore from recovery words' }).click();
  await page.getByLabel('Word 1', { exact: true }).fill(MNEMONIC);
  await page.getByLabel('Wallet name', { exact: true }).fill('Main');
  await page.getByRole('button', { name: 'Restore wallet' }).click();
  await expect(page.getByRole('heading', { name: 'Main' })).toBeVisible();
  await expect(page.getByText('Native SegWit (BIP84)').first()).toBeVisible();

  // Add a Taproot account from the same words; it becomes the active one.
  await page.getByRole('button', { name: 'Accounts…' }).click();
  const add = page.getByRole('form', { name: 'Add an account from your recovery words' });
  await add.getByLabel('Account type').selectOption('bip86');
  await add.getByLabel('Name', { exact: true }).fill('Taproot savings');
  await flash.snap('accounts-add-taproot');
  await add.getByRole('button', { name: 'Add account' }).click();
  await expect(page.getByRole('heading', { name: 'Taproot savings' })).toBeVisible();
  const address = page.getByRole('region', { name: 'Receive' }).locator('.address');
  await expect(address).toHaveText(/^bcrt1p/);

  // A payment to the Taproot address shows up in that account.
  stack.chain.send((await address.textContent())!.trim(), 70_000);
  stack.chain.mine(1);
  await expect(page.getByRole('region', { name: 'Balance' })).toContainText('0.00070000 BTC');
  await flash.snap('accounts-taproot-funded');

  // Switching back shows the first account, without the Taproot coins.
  await page.getByLabel('Account', { exact: true }).selectOption({ label: 'Main · Native SegWit (BIP84)' });
  await expect(page.getByRole('heading', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Balance' })).not.toContainText('0.00070000 BTC');

  // Watch-only: a wrong key gets a clear error; a real one becomes a watch-only account.
  await page.getByRole('button', { name: 'Accounts…' }).click();
  const watch = page.getByRole('form', { name: 'Watch an account' });
  await watch.getByLabel('Extended public key or descriptor').fill('xpub-this-is-not-a-key');
  await watch.getByRole('button', { name: 'Watch this account' }).click();
  await expect(watch.getByRole('alert')).toBeVisible();
  await flash.snap('accounts-watch-bad-key');
  await watch.getByLabel('Extended public key or descriptor').fill(coldAccountTpub());
  await watch.getByLabel('Name', { exact: true }).fill('Cold storage');
  await watch.getByRole('button', { name: 'Watch this account' }).click();
  await expect(page.getByRole('heading', { name: 'Cold storage' })).toBeVisible();
  await expect(page.locator('.screen-header .badge', { hasText: 'Watch-only' })).toBeVisible();

  // Its descriptor can be exported for another wallet.
  await page.getByRole('button', { name: 'Accounts…' }).click();
  const card = page.getByRole('listitem', { name: 'Cold storage' });
  await card.getByRole('button', { name: 'Show key and descriptors' }).click();
  await expect(card.getByText(/^wpkh\(tpub.*\/<0;1>\/\*\)#[0-9a-z]{8}$/)).toBeVisible();
  await expect(card.getByText(/^vpub/)).toBeVisible();
  await flash.snap('accounts-export');
});
