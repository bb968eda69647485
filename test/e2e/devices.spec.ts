import type { Locator, Page } from '@playwright/test';
import type { FlashApp } from './fixtures';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

// The simulated Ledger exists only in browser mode on regtest with this flag (main/hardware/simulated).
test.use({ extraArgs: ['--simulated-devices'] });

/**
 * BIP84 test vector: first receive address of "abandon … about" on a test chain
 * (tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk), here with the regtest prefix.
 */
const FIRST_ADDRESS = 'bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk';

/** Flips the simulated device's approve/reject through the test-only bridge method. */
async function deviceApproves(page: Page, approve: boolean): Promise<void> {
  const answer = await page.evaluate(async (value) => {
    const token = sessionStorage.getItem('flash.bridgeToken') ?? '';
    const ws = new WebSocket(`ws://${location.host}/bridge?token=${encodeURIComponent(token)}`);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const reply = new Promise<string>((resolve) => {
      ws.onmessage = (e) => {
        const data = String(e.data);
        if (data.includes('"id":777')) resolve(data);
      };
    });
    ws.send(JSON.stringify({ id: 777, method: 'hardware.simulatorSetApproval', input: { approve: value } }));
    const text = await reply;
    ws.close();
    return text;
  }, approve);
  expect(answer).toContain('"ok":true');
}

/** A software wallet first (the app needs one), then the Devices page. */
async function openDevicesWithWallet(flash: FlashApp): Promise<void> {
  await createWallet(flash);
  await expect(flash.page.getByRole('region', { name: 'Receive' })).toBeVisible();
  await flash.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Devices' }).click();
}

/** Connects a device card; both simulated devices hold "abandon … about" (fingerprint 73c5da0a). */
async function connect(card: Locator): Promise<void> {
  await card.getByRole('button', { name: 'Connect' }).click();
  await expect(card.getByText('Connected', { exact: true })).toBeVisible();
  await expect(card.getByText(/Fingerprint 73c5da0a/)).toBeVisible();
}

/** Fills the send form and asks for review; returns the "confirm on your device" region. */
async function reviewPayment(page: Page, address: string, amount: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const form = page.getByRole('form', { name: 'Send bitcoin' });
  await form.getByLabel('Pay to').fill(address);
  await form.getByLabel('Amount', { exact: true }).fill(amount);
  await form.getByRole('button', { name: 'Review' }).click();
  return page.getByRole('region', { name: 'Check, then confirm on your device' });
}

/** The payment's activity row shows one confirmation and a checked merkle proof. */
async function expectConfirmedAndVerified(page: Page, activity: Locator, txid: string): Promise<void> {
  const row = activity.getByRole('row').filter({ has: page.locator(`code[title="${txid}"]`) });
  await expect(row.getByText('1 confirmation', { exact: true })).toBeVisible();
  await expect(row.getByText('Verified', { exact: true })).toBeVisible();
}

test('a Ledger account: add it, verify the address, receive, send signed on the device, confirmed', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await openDevicesWithWallet(flash);

  // 1. Devices: the simulated Ledger is listed; connect it and read its fingerprint.
  await expect(page.getByRole('heading', { name: 'Devices', level: 1 })).toBeVisible();
  const card = page.getByRole('article', { name: 'Ledger Nano S Plus (simulated)' });
  await expect(card).toBeVisible();
  await expect(card.getByText('Simulated (test only)')).toBeVisible();
  await connect(card);
  await page.getByLabel('Always verify receive addresses on the device before showing them').check();
  await flash.snap('01-device-connected');

  // Import the BIP84 account 0 as a watch-only account signed by the device.
  await expect(card.getByLabel('Account type')).toHaveValue('bip84');
  await card.getByLabel('Account name').fill('My Ledger');
  await card.getByRole('button', { name: 'Import as watch-only account' }).click();
  await expect(card.getByText('Account “My Ledger” added. The device signs its payments.')).toBeVisible();
  await flash.snap('02-account-imported');
  await card.getByRole('button', { name: 'Open the account' }).click();
  await expect(page.getByRole('heading', { name: 'My Ledger', level: 1 })).toBeVisible();

  // 2. "Always verify": the address stays hidden until the device shows and confirms it.
  const receive = page.getByRole('region', { name: 'Receive' });
  await expect(receive.getByText('The address is hidden until the device confirms it.')).toBeVisible();
  await expect(receive.getByRole('img', { name: /^QR code for/ })).toHaveCount(0);
  await flash.snap('03-verify-required');
  await receive.getByRole('button', { name: 'Verify address on device' }).click();
  await expect(receive.getByText('Verified on the device.')).toBeVisible();
  const qr = receive.getByRole('img', { name: `QR code for ${FIRST_ADDRESS}` });
  await expect(qr).toBeVisible();
  await flash.snap('04-address-verified');

  // 3. Receive: the stack pays the device account, and a block confirms it.
  stack.chain.send(FIRST_ADDRESS, 200_000);
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByText('Unconfirmed')).toBeVisible();
  stack.chain.mine(1);
  await expect(activity.getByText('1 confirmation', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Balance' })).toContainText('0.00200000 BTC');
  await flash.snap('05-funded');

  // 4. Send: review, then "Confirm on your device".
  const confirm = await reviewPayment(page, stack.chain.stackAddress, '0.0005');
  await expect(confirm).toBeVisible();
  await expect(confirm.getByText(stack.chain.stackAddress)).toBeVisible();
  await flash.snap('06-device-review');

  // The user rejects on the device: a clear message, the draft is kept, and a retry works.
  await deviceApproves(page, false);
  await confirm.getByRole('button', { name: 'Confirm on device' }).click();
  await expect(confirm.getByRole('alert')).toContainText(
    'You rejected the request on the device. Nothing was signed.',
  );
  await expect(confirm.getByText('The payment draft is kept: fix the problem and try again.')).toBeVisible();
  await flash.snap('07-rejected-on-device');
  await deviceApproves(page, true);
  await confirm.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
  const txid = (await page.getByLabel('Transaction ID').innerText()).trim();
  expect(txid).toMatch(/^[0-9a-f]{64}$/);
  await flash.snap('08-sent');
  await page.getByRole('button', { name: 'Done' }).click();

  // 5. Mined: the payment shows confirmed and verified.
  stack.chain.mine(1);
  await expectConfirmedAndVerified(page, activity, txid);
  await flash.snap('09-confirmed');
});

test('a Trezor taproot account next to a Ledger: verify, receive, send signed on the Trezor, confirmed', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await openDevicesWithWallet(flash);

  // Several devices at once: both simulated devices are listed; connect the Trezor.
  await expect(page.getByRole('article', { name: 'Ledger Nano S Plus (simulated)' })).toBeVisible();
  const card = page.getByRole('article', { name: 'Trezor Safe 3 (simulated)' });
  await connect(card);

  await card.getByLabel('Account type').selectOption('bip86');
  await expect(card.getByLabel('Account name')).toHaveValue('Trezor BIP86');
  await card.getByRole('button', { name: 'Import as watch-only account' }).click();
  await expect(card.getByText('Account “Trezor BIP86” added. The device signs its payments.')).toBeVisible();
  await flash.snap('t01-trezor-imported');
  await card.getByRole('button', { name: 'Open the account' }).click();
  await expect(page.getByRole('heading', { name: 'Trezor BIP86', level: 1 })).toBeVisible();

  // Without "always verify" the QR shows at once, and the device check is one click away.
  const receive = page.getByRole('region', { name: 'Receive' });
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1p/ });
  await expect(qr).toBeVisible();
  const address = (await qrText(qr)).replace('QR code for ', '');
  await receive.getByRole('button', { name: 'Verify address on device' }).click();
  await expect(receive.getByText('Verified on the device.')).toBeVisible();
  await flash.snap('t02-taproot-verified');

  stack.chain.send(address, 150_000);
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByText('Unconfirmed')).toBeVisible();
  stack.chain.mine(1);
  await expect(activity.getByText('1 confirmation', { exact: true })).toBeVisible();

  const confirm = await reviewPayment(page, stack.chain.stackAddress, '0.0004');
  await expect(confirm.getByText('Your Trezor signs this payment.', { exact: false })).toBeVisible();
  await confirm.getByRole('button', { name: 'Confirm on device' }).click();
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
  const txid = (await page.getByLabel('Transaction ID').innerText()).trim();
  await flash.snap('t03-trezor-sent');
  await page.getByRole('button', { name: 'Done' }).click();

  stack.chain.mine(1);
  await expectConfirmedAndVerified(page, activity, txid);
  await flash.snap('t04-trezor-confirmed');
});
