import * as ecc from '@bitcoinerlab/secp256k1';
import fs from 'node:fs';
import { networks, Psbt } from 'bitcoinjs-lib';
import { encodePsbtBbqr, joinBbqr } from '../../main/bitcoin/send/bbqr';
import { AIRGAP_WORDS, cosignerOf, rootOf } from '../fixtures/multisig/keys';
import { expect, test } from './fixtures';
import { createWallet } from './steps';

// The simulated Ledger exists only in browser mode on regtest with this flag (main/hardware/simulated).
test.use({ extraArgs: ['--simulated-devices'] });

/** The air-gapped cosigner: a seed outside Flash, signing the PSBT it is handed. */
function signAirGapped(psbtBase64: string): string {
  const psbt = Psbt.fromBase64(psbtBase64, { network: networks.regtest });
  const root = rootOf(AIRGAP_WORDS);
  psbt.data.inputs.forEach((input, i) => {
    const der = input.bip32Derivation?.find(
      (d) => Buffer.from(d.masterFingerprint).readUInt32BE(0) === root.fingerprint >>> 0,
    );
    if (!der) return;
    const child = root.derive(der.path);
    const priv = child.privateKey!;
    psbt.signInput(i, { publicKey: child.publicKey!, sign: (h: Uint8Array) => ecc.sign(h, priv) });
  });
  return psbt.toBase64();
}

test('a 2-of-3 vault: Ledger, this computer and a pasted key; backed up, verified on the Ledger, spent with two signatures, confirmed', async ({
  flash,
  stack,
}) => {
  const { page } = flash;
  await createWallet(flash);
  await expect(page.getByRole('region', { name: 'Receive' })).toBeVisible();

  // 1. Create the vault: the Ledger's key read from the device, this computer's words, a pasted key.
  await page.getByRole('button', { name: 'Accounts…' }).click();
  const form = page.getByRole('form', { name: 'Create a vault' });
  await expect(form.getByLabel('Signatures needed')).toHaveValue('2');
  const ledgerRow = form.getByRole('listitem', { name: 'Cosigner 1' });
  await ledgerRow.getByLabel('Name of this key').fill('Ledger');
  await ledgerRow.getByRole('button', { name: 'Read key from device' }).click();
  await expect(ledgerRow.getByLabel('Key ([fingerprint/path]xpub)')).toHaveValue(
    /^\[73c5da0a\/48'\/1'\/0'\/2'\]tpub/,
  );
  const seedRow = form.getByRole('listitem', { name: 'Cosigner 2' });
  await seedRow.getByLabel('Key kept on').selectOption('seed');
  await seedRow.getByLabel('Name of this key').fill('This computer');
  const paperRow = form.getByRole('listitem', { name: 'Cosigner 3' });
  const paper = cosignerOf(AIRGAP_WORDS, 'wsh');
  await paperRow.getByLabel('Name of this key').fill('Paper');
  await paperRow
    .getByLabel('Key ([fingerprint/path]xpub)')
    .fill(`[${paper.fingerprint}${paper.path.slice(1)}]${paper.xpub}`);
  await form.getByLabel('Name', { exact: true }).fill('Family vault');
  await flash.snap('ms01-create-vault');
  await form.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { name: 'Family vault', level: 1 })).toBeVisible();
  const keys = page.getByRole('region', { name: 'Vault keys' });
  await expect(keys.getByText('Each payment needs 2 of 3 signatures.')).toBeVisible();

  // 2. Export the descriptor and the backup sheet.
  const [descriptorFile] = await Promise.all([
    page.waitForEvent('download'),
    keys.getByRole('button', { name: 'Descriptor' }).click(),
  ]);
  const descriptor = fs.readFileSync((await descriptorFile.path())!, 'utf8').trim();
  expect(descriptor).toMatch(/^wsh\(sortedmulti\(2,\[73c5da0a\/48h\/1h\/0h\/2h\]tpub.*\)\)#[0-9a-z]{8}$/);
  const [sheetFile] = await Promise.all([
    page.waitForEvent('download'),
    keys.getByRole('button', { name: 'Backup sheet (print it)' }).click(),
  ]);
  const sheet = fs.readFileSync((await sheetFile.path())!, 'utf8');
  expect(sheet).toContain('The recovery words alone cannot rebuild the wallet');
  expect(sheet).toContain('<svg');
  expect(sheet).toContain(paper.fingerprint);

  // 3. Register on the Ledger (its policy is shown first), then check the receive address on it.
  await keys.getByText('Register the vault on this Ledger…').click();
  await expect(keys.getByText('wsh(sortedmulti(2,@0/**,@1/**,@2/**))')).toBeVisible();
  await flash.snap('ms02-register-policy');
  await keys.getByRole('button', { name: 'Register on Ledger' }).click();
  await expect(keys.getByText('Registered on this Ledger')).toBeVisible();
  await keys.getByRole('button', { name: 'Check on device 1 of 1: Ledger' }).click();
  await expect(keys.getByText('Matches on device 1 of 1')).toBeVisible();
  await flash.snap('ms03-verified');

  // Receive into the vault.
  const address = (await page
    .getByRole('region', { name: 'Receive' })
    .locator('.address')
    .textContent())!.trim();
  expect(address).toMatch(/^bcrt1q[a-z0-9]{58}$/);
  stack.chain.send(address, 200_000);
  stack.chain.mine(1);
  await expect(page.getByRole('region', { name: 'Balance' })).toContainText('0.00200000 BTC');

  // 4. Send: the review lists the recipient, then two signatures: the Ledger, and an imported PSBT.
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const send = page.getByRole('form', { name: 'Send bitcoin' });
  await send.getByLabel('Pay to').fill(stack.chain.stackAddress);
  await send.getByLabel('Amount', { exact: true }).fill('0.0005');
  await send.getByRole('button', { name: 'Review' }).click();
  const sign = page.getByRole('region', { name: 'Collect signatures' });
  await expect(sign.getByText('0 of 2 signatures')).toBeVisible();
  await expect(sign.getByText(stack.chain.stackAddress)).toBeVisible();
  await flash.snap('ms04-sign-checklist');
  await sign
    .getByRole('listitem', { name: 'Ledger' })
    .getByRole('button', { name: 'Sign on Ledger' })
    .click();
  await expect(sign.getByText('1 of 2 signatures')).toBeVisible();
  await sign.getByRole('button', { name: 'Show PSBT' }).click();
  // The air-gapped signer reads the BBQr code (its parts, as text here) and answers in BBQr parts.
  await sign.getByLabel('BBQr (Coldcard Q, Sparrow…)').check();
  await expect(sign.getByRole('img', { name: 'Animated BBQr code of the PSBT' })).toBeVisible();
  const bbqrParts = await sign.getByRole('textbox', { name: 'BBQr parts as text' }).inputValue();
  expect(bbqrParts).toMatch(/^B\$ZP/);
  const psbt = Buffer.from(joinBbqr(bbqrParts).data).toString('base64');
  expect(psbt).toBe(await sign.getByLabel('PSBT', { exact: true }).inputValue());
  await flash.snap('ms04b-bbqr-export');
  const answer = encodePsbtBbqr(Buffer.from(signAirGapped(psbt), 'base64'), { version: 8 });
  expect(answer.parts.length).toBeGreaterThan(1);
  await sign
    .getByLabel('Signed PSBT (base64, hex, or the UR or BBQr parts)')
    .fill([...answer.parts].reverse().join('\n'));
  await sign.getByRole('button', { name: 'Add signatures' }).click();
  await expect(sign.getByText('2 of 2 signatures')).toBeVisible();
  await flash.snap('ms05-two-signatures');
  await sign.getByRole('button', { name: 'Send now' }).click();
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
  const txid = (await page.getByLabel('Transaction ID').innerText()).trim();
  expect(txid).toMatch(/^[0-9a-f]{64}$/);
  await page.getByRole('button', { name: 'Done' }).click();

  // 5. Mined: confirmed.
  stack.chain.mine(1);
  const activity = page.getByRole('region', { name: 'Activity' });
  const row = activity.getByRole('row').filter({ has: page.locator(`code[title="${txid}"]`) });
  await expect(row.getByText('1 confirmation', { exact: true })).toBeVisible();
  await flash.snap('ms06-confirmed');
});
