import type { Page } from '@playwright/test';
import { enableReplaceByFee } from '../stack/replacement';
import { expect, test } from './fixtures';
import { createWallet, qrText } from './steps';

/** A mainnet address (BIP173 test vector): the regtest wallet must refuse it, naming the network. */
const MAINNET_ADDRESS = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';

function activityRow(page: Page, txid: string) {
  return page
    .getByRole('region', { name: 'Activity' })
    .getByRole('row')
    .filter({ has: page.locator(`code[title="${txid}"]`) });
}

async function sentTxid(page: Page): Promise<string> {
  await expect(page.getByRole('heading', { name: 'Sent', exact: true })).toBeVisible();
  const txid = (await page.getByLabel('Transaction ID').innerText()).trim();
  expect(txid).toMatch(/^[0-9a-f]{64}$/);
  return txid;
}

test('send on-chain with RBF, speed it up, confirm, and round-trip a PSBT', async ({ flash, stack }) => {
  const { page } = flash;
  enableReplaceByFee(stack.chain);
  await createWallet(flash);

  // Fund the wallet from the stack and wait for the confirmed balance.
  const receive = page.getByRole('region', { name: 'Receive' });
  const qr = receive.getByRole('img', { name: /^QR code for bcrt1q/ });
  await expect(qr).toBeVisible();
  const address = (await qrText(qr)).replace('QR code for ', '');
  stack.chain.send(address, 200_000);
  const activity = page.getByRole('region', { name: 'Activity' });
  await expect(activity.getByText('Unconfirmed')).toBeVisible();
  stack.chain.mine(1);
  await expect(activity.getByText('1 confirmation', { exact: true })).toBeVisible();
  const balance = page.getByRole('region', { name: 'Balance' });
  await expect(balance.getByRole('definition').first()).toContainText('0.00200000 BTC');
  await flash.snap('01-funded');

  // The form: a wrong-network address is refused with the network named.
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const form = page.getByRole('form', { name: 'Send bitcoin' });
  await expect(form).toBeVisible();
  const payTo = form.getByLabel('Pay to');
  await payTo.fill(MAINNET_ADDRESS);
  await payTo.blur();
  await expect(form.getByText('This is a Mainnet address, but this wallet is on Regtest.')).toBeVisible();
  await expect(payTo).toHaveAttribute('aria-invalid', 'true');
  await flash.snap('02-wrong-network');

  // Send 0.0005 BTC to the stack's own address with the Normal preset.
  const outside = stack.chain.stackAddress;
  await payTo.fill(outside);
  await form.getByLabel('Amount', { exact: true }).fill('0.0005');
  await expect(form.getByText('50,000 sats')).toBeVisible();
  const normal = form.getByRole('radio', { name: /^Normal/ });
  await expect(normal).toBeChecked();
  await expect(form.getByText(/\d+(\.\d+)? sat\/vB/).first()).toBeVisible();
  await flash.snap('03-send-form');
  await form.getByRole('button', { name: 'Review' }).click();

  const review = page.getByRole('region', { name: 'Check before you send' });
  await expect(review).toBeVisible();
  await expect(review).toContainText(outside);
  await expect(review.getByRole('definition').filter({ hasText: '50,000 sats' }).first()).toBeVisible();
  const rbfRow = review.locator('.send-summary-row').filter({ hasText: 'Replaceable (RBF)' });
  await expect(rbfRow.getByRole('definition')).toHaveText('yes');
  await flash.snap('04-review');
  await review.getByRole('button', { name: 'Send now' }).click();

  const firstTxid = await sentTxid(page);
  expect(stack.chain.mempoolTxids()).toContain(firstTxid);
  await flash.snap('05-sent');
  await page.getByRole('button', { name: 'Done' }).click();

  // The payment shows as outgoing and unconfirmed, with "Speed up".
  const firstRow = activityRow(page, firstTxid);
  await expect(firstRow).toContainText('Unconfirmed');
  await expect(firstRow).toContainText('-0.00050');
  await flash.snap('06-outgoing-unconfirmed');

  // Speed up (RBF): the default starts above the current rate; pick a clearly higher one.
  await firstRow.getByRole('button', { name: 'Speed up', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Speed up' });
  const rate = dialog.getByLabel('New fee rate (sat/vB)');
  await expect(rate).not.toHaveValue('');
  expect(Number(await rate.inputValue())).toBeGreaterThanOrEqual(3);
  await rate.fill('12');
  await flash.snap('07-speed-up');
  await dialog.getByRole('button', { name: 'Review' }).click();
  const bumpReview = page.getByRole('region', { name: 'Check before you send' });
  await expect(bumpReview).toContainText(`Replaces transaction ${firstTxid}`);
  await expect(bumpReview).toContainText('12 sat/vB');
  await flash.snap('08-bump-review');
  await bumpReview.getByRole('button', { name: 'Send now' }).click();
  const secondTxid = await sentTxid(page);
  expect(secondTxid).not.toBe(firstTxid);
  const mempool = stack.chain.mempoolTxids();
  expect(mempool).toContain(secondTxid);
  expect(mempool).not.toContain(firstTxid);
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(activityRow(page, secondTxid)).toContainText('Unconfirmed');

  // A block confirms the replacement.
  stack.chain.mine(1);
  await expect(activityRow(page, secondTxid)).toContainText('1 confirmation');
  await expect(activityRow(page, secondTxid).getByRole('button', { name: 'Speed up' })).toHaveCount(0);
  await expect(activityRow(page, firstTxid)).toHaveCount(0);
  await flash.snap('09-confirmed');

  // Details of a row.
  await activityRow(page, secondTxid).getByRole('button', { name: 'Details' }).click();
  await expect(activity.getByText(secondTxid, { exact: true })).toBeVisible();

  // A new draft, from a payment link this time, exported as a PSBT...
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await form.getByLabel('Pay to').fill(`bitcoin:${outside}?amount=0.0001&label=Coffee`);
  await expect(form.getByLabel('Pay to')).toHaveValue(outside);
  await expect(form.getByLabel('Amount', { exact: true })).toHaveValue('0.0001');
  await expect(form.getByText('Payment link for “Coffee”.')).toBeVisible();
  await form.getByRole('radio', { name: /^Custom/ }).check();
  await form.getByLabel('Custom fee rate (sat/vB)').fill('3');
  await form.getByRole('button', { name: 'Review' }).click();
  await expect(review).toBeVisible();
  const summary = await review.locator('.send-summary').innerText();
  await review.getByRole('button', { name: 'Export PSBT' }).click();
  const psbtField = review.getByLabel('PSBT (base64)');
  await expect(psbtField).toHaveValue(/^cHNidP8/);
  await expect(review.getByRole('link', { name: 'Save .psbt file' })).toHaveAttribute('href', /^blob:/);
  const psbt = await psbtField.inputValue();
  await flash.snap('10-export-psbt');
  await review.getByRole('button', { name: 'Back' }).click();
  await form.getByRole('button', { name: 'Cancel' }).click();

  // ...and imported back: the review shows the same amounts.
  await page.getByRole('button', { name: 'Import PSBT' }).click();
  await page.getByLabel('PSBT to import').fill(psbt);
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(review).toBeVisible();
  expect(await review.locator('.send-summary').innerText()).toBe(summary);
  await expect(review).toContainText('0.00010000 BTC');
  await flash.snap('11-import-review');

  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();

  // An incoming unconfirmed payment can be sped up with a child (CPFP).
  const incoming = stack.chain.send(address, 30_000).txid;
  const incomingRow = activityRow(page, incoming);
  await expect(incomingRow).toContainText('Unconfirmed');
  await incomingRow.getByRole('button', { name: 'Speed up (CPFP)' }).click();
  const cpfp = page.getByRole('dialog', { name: 'Speed up (CPFP)' });
  const cpfpRate = cpfp.getByLabel('New fee rate (sat/vB)');
  // The suggested rate arrives asynchronously; typing before it lands would append to it.
  await expect(cpfpRate).not.toHaveValue('');
  await cpfpRate.fill('20');
  await cpfp.getByRole('button', { name: 'Review' }).click();
  await expect(review).toContainText(`Pays extra fee so transaction ${incoming} confirms sooner.`);
  await review.getByRole('button', { name: 'Send now' }).click();
  const childTxid = await sentTxid(page);
  expect(stack.chain.mempoolTxids()).toEqual(expect.arrayContaining([incoming, childTxid]));
  await page.getByRole('button', { name: 'Done' }).click();

  // Sign a message with the receive address, then verify it (and a tampered copy).
  await page.getByRole('button', { name: 'Sign or verify a message' }).click();
  const signForm = page.getByRole('form', { name: 'Sign message' });
  const signer = await signForm.getByLabel('Address').inputValue();
  expect(signer).toMatch(/^bcrt1q/);
  await signForm.getByLabel('Message').fill('Flash send e2e');
  await signForm.getByRole('button', { name: 'Sign', exact: true }).click();
  const signature = signForm.getByLabel('Signature');
  await expect(signature).not.toHaveValue('');
  const verifyForm = page.getByRole('form', { name: 'Verify message' });
  await verifyForm.getByLabel('Address').fill(signer);
  await verifyForm.getByLabel('Message').fill('Flash send e2e');
  await verifyForm.getByLabel('Signature').fill(await signature.inputValue());
  await verifyForm.getByRole('button', { name: 'Verify' }).click();
  await expect(verifyForm.getByRole('status')).toHaveText(
    'Valid signature: this address signed this message.',
  );
  await flash.snap('12-sign-verify');
  await verifyForm.getByLabel('Message').fill('Flash send e2e!');
  await verifyForm.getByRole('button', { name: 'Verify' }).click();
  await expect(verifyForm.getByRole('status')).toHaveText(
    'Not valid: this address did not sign this exact message.',
  );
  await page.getByRole('button', { name: 'Back' }).click();

  // Spanish: the send form and the review read naturally.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Language', { exact: true }).selectOption('es');
  const nav = page.getByRole('navigation', { name: 'Principal' });
  await nav.getByRole('button', { name: 'Monedero' }).click();
  await page.getByRole('button', { name: 'Enviar', exact: true }).click();
  const formEs = page.getByRole('form', { name: 'Enviar bitcoin' });
  await formEs.getByLabel('Pagar a').fill('bcrt1qqqqq');
  await formEs.getByLabel('Pagar a').blur();
  await expect(formEs.getByText('Esto no es una dirección de Bitcoin.')).toBeVisible();
  await formEs.getByLabel('Pagar a').fill(outside);
  await formEs.getByLabel('Importe', { exact: true }).fill('0,0002');
  await expect(formEs.getByText('20.000 sats')).toBeVisible();
  await formEs.getByRole('button', { name: 'Revisar' }).click();
  const reviewEs = page.getByRole('region', { name: 'Comprueba antes de enviar' });
  await expect(reviewEs).toContainText('Reemplazable (RBF)');
  await flash.snap('13-review-spanish');
  await reviewEs.getByRole('button', { name: 'Atrás' }).click();
  await formEs.getByRole('button', { name: 'Cancelar' }).click();
  await page.getByRole('navigation', { name: 'Principal' }).getByRole('button', { name: 'Ajustes' }).click();
  await page.getByLabel('Idioma', { exact: true }).selectOption('en');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});
