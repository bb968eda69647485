import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

test('an Electrum server that goes down or sends garbage shows why, retries, and recovers', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);
  const statusBar = page.getByRole('contentinfo', { name: 'Connection status' });
  await expect(statusBar).toContainText('Connected');

  stack.setFault('down');
  await expect(statusBar).toContainText('Reconnecting');
  await expect(statusBar).toContainText('Can’t reach the Electrum server.');
  await expect(statusBar).toContainText(/retrying in \d+ s/);
  await flash.snap('server-down');

  stack.setFault('garbage');
  await statusBar.getByRole('button', { name: 'Retry now' }).click();
  await expect(statusBar).toContainText('sent an answer Flash does not understand');
  await flash.snap('server-garbage');

  stack.setFault('none');
  await statusBar.getByRole('button', { name: 'Retry now' }).click();
  await expect(statusBar).toContainText('Electrum: Connected');
  await expect(
    page.getByRole('region', { name: 'Receive' }).getByRole('img', { name: /QR code for/ }),
  ).toBeVisible();
  await flash.snap('server-recovered');
});

test('a server that lies about a merkle proof is caught, dropped, and the wallet recovers with an honest answer', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);
  const statusBar = page.getByRole('contentinfo', { name: 'Connection status' });
  await expect(statusBar).toContainText('Connected');
  const receive = page.getByRole('region', { name: 'Receive' });
  const address = (await qrText(receive.getByRole('img', { name: /QR code for/ }))).replace(
    'QR code for ',
    '',
  );

  stack.setLie('bad-merkle');
  stack.chain.send(address, 70_000);
  stack.chain.mine(1);
  await expect(statusBar).toContainText('Flash stopped using this server');
  // Never counted as verified on the liar's word.
  await expect(
    page.getByRole('region', { name: 'Activity' }).getByText('Verified', { exact: true }),
  ).toHaveCount(0);
  await flash.snap('liar-dropped');

  stack.setLie('none');
  await statusBar.getByRole('button', { name: 'Retry now' }).click();
  await expect(
    page.getByRole('region', { name: 'Activity' }).getByText('Verified', { exact: true }),
  ).toBeVisible();
  await expect(statusBar).not.toContainText('Flash stopped using this server');
  await flash.snap('liar-recovered');
});

test.describe('a damaged database', () => {
  const damaged = 'this is not a database, but it is the user’s file '.repeat(200);
  test.use({ plantedDatabase: damaged });

  test('gets a clear error screen and is never overwritten', async ({ flash }) => {
    const { page } = flash;
    await expect(page.getByRole('heading', { name: 'Your wallet data could not be opened' })).toBeVisible();
    await expect(page.getByText(/Nothing was changed or overwritten/)).toBeVisible();
    await expect(page.getByText(path.join(flash.dataDir, 'profiles', 'default', 'flash.db'))).toBeVisible();
    await flash.snap('store-corrupt');
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByRole('heading', { name: 'Your wallet data could not be opened' })).toBeVisible();
    expect(fs.readFileSync(path.join(flash.dataDir, 'profiles', 'default', 'flash.db'), 'utf8')).toBe(
      damaged,
    );
  });
});
