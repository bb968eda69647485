import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { payments } from 'bitcoinjs-lib';
import { expect, test } from './fixtures';
import { setPassword } from './steps';

// The BIP84 test mnemonic: its addresses are public, so it can only ever hold test coins.
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const REGTEST = {
  bech32: 'bcrt',
  pubKeyHash: 0x6f,
  scriptHash: 0xc4,
  wif: 0xef,
  messagePrefix: '',
  bip32: { public: 0x043587cf, private: 0x04358394 },
};

/** Derived here with bitcoinjs-lib, independently of the app's own derivation code. */
function receiveAddress(index: number): string {
  const account = HDKey.fromMasterSeed(mnemonicToSeedSync(MNEMONIC)).derive("m/84'/1'/0'");
  const pubkey = account.deriveChild(0).deriveChild(index).publicKey!;
  return payments.p2wpkh({ pubkey, network: REGTEST }).address!;
}

test('restoring words that already have history shows their balance and activity', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  stack.chain.send(receiveAddress(0), 25_000);
  stack.chain.mine(1);
  stack.chain.send(receiveAddress(1), 40_000);

  await setPassword(flash);
  await page.getByRole('button', { name: 'Restore from recovery words' }).click();

  // A typo is caught before anything is sent.
  await page.getByLabel('Word 1', { exact: true }).fill(MNEMONIC.replace(/about$/, 'abuot'));
  await expect(page.getByText('1 word(s) are not in the recovery word list.')).toBeVisible();
  // Twelve real words with a wrong checksum are refused too.
  await page.getByLabel('Word 12', { exact: true }).fill('abandon');
  await expect(page.getByRole('alert')).toContainText('checksum');
  await expect(page.getByRole('button', { name: 'Restore wallet' })).toBeDisabled();
  await flash.snap('restore-bad-checksum');

  await page.getByLabel('Word 12', { exact: true }).fill('about');
  await expect(page.getByText('These recovery words are valid.')).toBeVisible();
  await page.getByLabel('Wallet name', { exact: true }).fill('Savings');
  await flash.snap('restore-valid');
  await page.getByRole('button', { name: 'Restore wallet' }).click();

  await expect(page.getByRole('heading', { name: 'Savings' })).toBeVisible();
  const balance = page.getByRole('region', { name: 'Balance' });
  await expect(balance).toContainText('0.00025000 BTC');
  await expect(balance).toContainText('0.00040000 BTC');
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByText('Unconfirmed')).toBeVisible();
  await expect(activity.getByText('1 confirmation', { exact: true })).toBeVisible();
  // The first two addresses are used, so the wallet offers the third.
  await expect(page.getByRole('img', { name: `QR code for ${receiveAddress(2)}` })).toBeVisible();
  await flash.snap('restore-history');
});
