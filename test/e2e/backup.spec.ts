import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { expect, test } from './fixtures';
import { PASSWORD, createWallet, qrText, setPassword } from './steps';

const BACKUP_PASSWORD = 'paper in the safe 77';

test('automatic backups follow a deposit, and a fresh profile restores everything from the file', async ({
  launchFlash,
  stack,
}) => {
  test.setTimeout(180_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-e2e-backups-'));
  const backups = () => fs.readdirSync(folder).filter((f) => f.endsWith('.flashbak'));

  // The first computer: a wallet, then Settings → Backups → automatic backups on.
  const source = await launchFlash('source');
  const { page } = source;
  const words = await createWallet(source);
  const receive = page.getByRole('region', { name: 'Receive' });
  const address = (await qrText(receive.getByRole('img', { name: /^QR code for bcrt1q/ }))).replace(
    'QR code for ',
    '',
  );
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Backups' });
  await expect(section.getByTestId('backup-last')).toHaveText('No backup made yet.');
  const auto = section.getByRole('form', { name: 'Automatic backups' });
  await auto.getByLabel('Folder', { exact: true }).fill(folder);
  await auto.getByLabel('Backups to keep').fill('5');
  await auto.getByLabel('Backup password', { exact: true }).fill(BACKUP_PASSWORD);
  await expect(auto.getByText('Strength: strong')).toBeVisible();
  await source.snap('01-auto-form');
  await auto.getByRole('button', { name: 'Turn on automatic backups' }).click();
  await expect(section.getByTestId('backup-auto-state')).toContainText(
    `On: into ${folder}, keeping the last 5.`,
  );
  await expect(section.getByTestId('backup-last')).toContainText('Last backup:');
  expect(backups()).toHaveLength(1);
  const first = backups()[0]!;
  await source.snap('02-auto-on');

  // Money arrives: a new backup appears without asking for the password.
  stack.chain.send(address, 50_000);
  stack.chain.mine(1);
  await expect.poll(() => backups().length, { timeout: 60_000 }).toBe(2);
  await source.snap('03-after-deposit');

  const newest = backups().find((f) => f !== first)!;

  // The secret scan of the receive story, over the backup files: the words, the seed and the root
  // private key appear nowhere in them (the secrets travel sealed by the backup key).
  const seed = mnemonicToSeedSync(words.join(' '), '');
  const secrets = [
    words.join(' '),
    JSON.stringify(words).slice(1, -1),
    Buffer.from(seed).toString('hex'),
    Buffer.from(seed).toString('base64'),
    HDKey.fromMasterSeed(seed, { private: 0x04358394, public: 0x043587cf }).privateExtendedKey,
  ];
  for (const name of backups()) {
    const bytes = fs.readFileSync(path.join(folder, name));
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 12)}… found in ${name}`).toBe(false);
    }
    expect(bytes.includes(Buffer.from(seed)), `raw seed bytes found in ${name}`).toBe(false);
  }

  // Another computer: onboarding's third choice.
  const fresh = await launchFlash('fresh');
  const p2 = fresh.page;
  await setPassword(fresh);
  await p2.getByRole('button', { name: 'Restore from a backup file' }).click();
  await p2.getByLabel('Folder', { exact: true }).fill(folder);
  await p2.getByRole('button', { name: 'Show files' }).click();
  await expect(p2.getByText(`Backup files in ${folder}`)).toBeVisible();
  await fresh.snap('04-files');
  await expect(p2.getByRole('radio')).toHaveCount(2);
  // Newest first.
  await p2.getByRole('radio').first().check();
  await expect(p2.getByLabel('Backup file', { exact: true })).toHaveValue(path.join(folder, newest));
  await p2.getByLabel('Backup password', { exact: true }).fill('not the password');
  await p2.getByRole('button', { name: 'Open and check' }).click();
  await expect(p2.getByRole('alert')).toContainText('That is not the password of this backup.');
  await fresh.snap('05-wrong-password');
  await p2.getByLabel('Backup password', { exact: true }).fill(BACKUP_PASSWORD);
  await p2.getByRole('button', { name: 'Open and check' }).click();
  await expect(p2.getByText('The file is whole and the password is right. It holds:')).toBeVisible();
  await expect(p2.locator('[data-count="accounts"]')).toHaveText('1');
  await expect(p2.locator('[data-count="transactions"]')).toHaveText('1');
  await fresh.snap('06-manifest');
  await p2.getByRole('button', { name: 'Restore this backup' }).click();

  // Restored: Flash locks so every part reloads, and opens with this computer's password.
  await expect(p2.getByRole('heading', { name: 'Flash is locked' })).toBeVisible({ timeout: 30_000 });
  await fresh.snap('07-locked-after-restore');
  await p2.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await p2.getByRole('button', { name: 'Unlock' }).click();
  const balance = p2.getByRole('region', { name: 'Balance' });
  await expect(balance).toContainText('0.00050000 BTC', { timeout: 30_000 });
  await expect(
    p2.getByRole('region', { name: 'Activity' }).getByText('1 confirmation', { exact: true }),
  ).toBeVisible();
  await fresh.snap('08-restored-wallet');
});

test('a backup merges into a profile that already has an account', async ({ launchFlash }) => {
  test.setTimeout(180_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-e2e-merge-'));

  // The first computer: a wallet and a backup made by hand.
  const source = await launchFlash('merge-source');
  await createWallet(source);
  const { page } = source;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const make = page.getByRole('form', { name: 'Make a backup now' });
  await make.getByLabel('Backup password', { exact: true }).fill(BACKUP_PASSWORD);
  await make.getByLabel('Repeat the backup password', { exact: true }).fill(BACKUP_PASSWORD);
  await make.getByLabel('Folder', { exact: true }).fill(folder);
  await make.getByRole('button', { name: 'Make backup' }).click();
  await expect(make.getByRole('status')).toContainText('Saved flash-backup-');
  const file = path.join(
    folder,
    fs.readdirSync(folder).find((f) => f.endsWith('.flashbak'))!,
  );

  // Another profile with its own wallet: a full restore is refused, a merge adds the account.
  const other = await launchFlash('merge-target');
  await createWallet(other);
  const p2 = other.page;
  await p2.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await p2.getByLabel('Backup file', { exact: true }).fill(file);
  const open = p2.locator('form', { has: p2.getByLabel('Backup file', { exact: true }) });
  await open.getByLabel('Backup password', { exact: true }).fill(BACKUP_PASSWORD);
  await open.getByRole('button', { name: 'Open and check' }).click();
  await p2.getByRole('button', { name: 'Restore this backup' }).click();
  await expect(p2.getByRole('alert')).toContainText('This profile already holds accounts or money.');
  await expect(p2.getByText('Multisig accounts, NOSTR keys, contacts and messages')).toBeVisible();
  await other.snap('merge-01-offered');
  await p2.getByRole('button', { name: 'Merge it into this profile' }).click();
  await expect(p2.getByTestId('backup-merged-accounts')).toHaveText(
    'Added 1 account(s) (0 already here), 0 label(s) and 0 frozen coin(s). The wallet syncs their history now.',
    { timeout: 30_000 },
  );
  await expect(p2.getByTestId('backup-merged-ecash')).toHaveText(
    'eCash: added 0 proof(s) worth 0 sats and 0 mint(s); 0 proof(s) were already here.',
  );
  await other.snap('merge-02-merged');
});
