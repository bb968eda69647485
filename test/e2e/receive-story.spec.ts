import fs from 'node:fs';
import path from 'node:path';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { expect, test } from './fixtures';
import { PASSWORD, createWallet, qrText } from './steps';

test('a new user creates a wallet, receives coins live, locks and unlocks', async ({ flash, stack }) => {
  const { page } = flash;
  const words = await createWallet(flash);

  // 3. The receive address shows, with its QR code.
  const receive = page.getByRole('region', { name: 'Receive' });
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1q/ });
  await expect(qr).toBeVisible();
  const address = (await qrText(qr)).replace('QR code for ', '');
  expect(address).toMatch(/^bcrt1q[0-9a-z]{38}$/);
  await expect(receive.getByText(address)).toBeVisible();
  await expect(page.getByText(/Electrum: Connected/)).toBeVisible();
  await flash.snap('05-wallet-receive');

  // 4-5. The stack pays it: the deposit appears live as unconfirmed, without a reload.
  stack.chain.send(address, 100_000);
  await expect(
    page.getByRole('status').filter({ hasText: 'Deposit received: 100,000 sats (unconfirmed)' }),
  ).toBeVisible();
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByText('Unconfirmed')).toBeVisible();
  const balance = page.getByRole('region', { name: 'Balance' });
  await expect(balance).toContainText('0.00100000 BTC');
  await flash.snap('06-deposit-unconfirmed');

  // A new receive address replaces the used one.
  await expect(receive.getByRole('img', { name: /^QR code for bcrt1q/ })).not.toHaveAttribute(
    'alt',
    `QR code for ${address}`,
  );

  // ...then confirmed after a mined block.
  stack.chain.mine(1);
  await expect(activity.getByText('1 confirmation', { exact: true })).toBeVisible();
  // Confirmed only counts once Flash checked the merkle proof against headers it validated.
  await expect(activity.getByText('Verified', { exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Deposit confirmed: 100,000 sats' })).toBeVisible();
  await flash.snap('07-deposit-confirmed');

  // 6-7. Lock, a wrong password is refused with a visible error, the right one opens the wallet.
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Flash is locked' })).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('not my password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong password');
  await flash.snap('08-wrong-password');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('region', { name: 'Balance' })).toContainText('0.00100000 BTC');
  await flash.snap('09-unlocked');

  // Settings: the words can be shown again only after typing the password again.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Show recovery words' }).click();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Show words' }).click();
  await expect(page.getByText(words[11] ?? 'missing', { exact: true })).toBeVisible();
  await flash.snap('10-reveal-words');
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(page.getByText(words[11] ?? 'missing', { exact: true })).toBeHidden();

  // Spanish is one choice away, and the whole shell follows it at once.
  await page.getByLabel('Language', { exact: true }).selectOption('es');
  const nav = page.getByRole('navigation', { name: 'Principal' });
  await expect(nav.getByRole('button', { name: 'Ajustes' })).toBeVisible();
  await nav.getByRole('button', { name: 'Monedero' }).click();
  await flash.snap('11-spanish');
  await page.getByRole('navigation', { name: 'Principal' }).getByRole('button', { name: 'Ajustes' }).click();
  await page.getByLabel('Idioma', { exact: true }).selectOption('en');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  // The secret scan: the words, the seed and the root private key must appear nowhere on disk,
  // and in the bridge traffic only in the two deliberate reveals.
  const phrase = words.join(' ');
  const seed = mnemonicToSeedSync(phrase, '');
  const secrets = [
    phrase,
    JSON.stringify(words).slice(1, -1), // the words as they would look inside JSON
    Buffer.from(seed).toString('hex'),
    Buffer.from(seed).toString('base64'),
    HDKey.fromMasterSeed(seed, { private: 0x04358394, public: 0x043587cf }).privateExtendedKey,
  ];
  for (const file of listFiles(flash.dataDir)) {
    const bytes = fs.readFileSync(file);
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 12)}… found in ${file}`).toBe(false);
    }
    expect(bytes.includes(Buffer.from(seed)), `raw seed bytes found in ${file}`).toBe(false);
  }
  // Which method each request id called, from the frames the page sent.
  const methodById = new Map<number, string>();
  for (const frame of flash.bridgeFrames) {
    const msg = JSON.parse(frame) as { id?: number; method?: string };
    if (typeof msg.id === 'number' && typeof msg.method === 'string') methodById.set(msg.id, msg.method);
  }
  expect(methodById.size).toBeGreaterThan(10);
  const carriers = flash.bridgeFrames
    .filter((frame) => secrets.some((secret) => frame.includes(secret)))
    .map((frame) => {
      const msg = JSON.parse(frame) as { id?: number; method?: string; result?: unknown };
      return msg.method ? `request ${msg.method}` : `answer to ${methodById.get(msg.id ?? -1) ?? 'unknown'}`;
    });
  expect(carriers).toEqual(['answer to wallet.createDraft', 'answer to vault.revealRecoveryWords']);
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
