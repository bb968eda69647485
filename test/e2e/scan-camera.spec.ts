import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { networks, payments, Psbt } from 'bitcoinjs-lib';
import config from '../../playwright.config';
import { UR, UREncoder } from '@ngraveio/bc-ur';
import { decodePsbtUr } from '../../main/bitcoin/send/ur';
import { drawQr, writeY4m, type GrayImage } from '../support/qr-frames';
import { expect, test } from './fixtures';
import { createWallet } from './steps';

/**
 * Chromium's fake camera plays this file in a loop. It must exist when the browser starts; each
 * step draws what the camera shows before the user clicks "Scan with camera".
 */
const CAMERA = path.resolve('test-results/camera/fake-camera.y4m');
const WIDTH = 640;
const HEIGHT = 480;
const blank = (): GrayImage => ({
  width: WIDTH,
  height: HEIGHT,
  pixels: new Uint8Array(WIDTH * HEIGHT).fill(128),
});
fs.mkdirSync(path.dirname(CAMERA), { recursive: true });
writeY4m(CAMERA, [blank()]);

const base = config.use?.launchOptions ?? {};
test.use({
  launchOptions: {
    ...base,
    args: [
      ...(base.args ?? []),
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${CAMERA}`,
    ],
  },
});

/** A real unsigned PSBT, as an air-gapped signer would show it back. */
function psbtBytes(inputs: number): Uint8Array {
  const psbt = new Psbt({ network: networks.regtest });
  for (let i = 0; i < inputs; i++) {
    const pubkey = Buffer.concat([Buffer.from([2]), randomBytes(32)]);
    const { output } = payments.p2wpkh({ pubkey, network: networks.regtest });
    psbt.addInput({ hash: randomBytes(32), index: i, witnessUtxo: { script: output!, value: 50_000n } });
  }
  const pubkey = Buffer.concat([Buffer.from([3]), randomBytes(32)]);
  const { address } = payments.p2wpkh({ pubkey, network: networks.regtest });
  psbt.addOutput({ address: address!, value: 40_000n * BigInt(inputs) });
  return psbt.toBuffer();
}

test('scan an animated PSBT QR into the import box, and a token QR into the eCash box', async ({ flash }) => {
  const { page } = flash;
  await createWallet(flash);

  // The signer's screen cycles the UR parts; each stays up for a few camera frames.
  const bytes = psbtBytes(4);
  expect(bytes.length).toBeGreaterThan(255);
  // As hardware signers do, the screen keeps showing fresh fountain parts after the plain ones,
  // so a frame the camera misreads every time is made up for by the parts that follow.
  const cbor = Buffer.concat([Buffer.from([0x59, bytes.length >> 8, bytes.length & 0xff]), bytes]);
  const encoder = new UREncoder(new UR(cbor, 'crypto-psbt'), 60);
  const parts = Array.from({ length: encoder.fragmentsLength * 5 }, () => encoder.nextPart());
  expect(encoder.fragmentsLength).toBeGreaterThan(3);
  writeY4m(
    CAMERA,
    parts.map((part) => drawQr(part, { width: WIDTH, height: HEIGHT })),
    { fps: 10, repeat: 3 },
  );
  await page.getByRole('button', { name: 'Import PSBT' }).click();
  await page.getByRole('button', { name: 'Scan with camera' }).click();
  const dialog = page.getByRole('dialog', { name: 'Scan a QR code' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('status')).toContainText(/Animated QR: \d+ of \d+ parts read/);
  await flash.snap('01-scanning-animated-psbt');
  const field = page.getByLabel('PSBT to import');
  await expect(field).toHaveValue(/^ur:crypto-psbt\//, { timeout: 60_000 });
  await expect(dialog).toBeHidden();
  // What landed in the box is the signer's PSBT, byte for byte.
  expect(Buffer.from(decodePsbtUr(await field.inputValue()))).toEqual(Buffer.from(bytes));
  await flash.snap('02-psbt-scanned');
  await page.getByRole('button', { name: 'Cancel' }).click();

  // A plain QR: a Cashu token fills the token box at once.
  const token = `cashuB${randomBytes(90).toString('base64url')}`;
  writeY4m(CAMERA, [drawQr(token, { width: WIDTH, height: HEIGHT })]);
  await page.getByRole('navigation').getByRole('button', { name: 'eCash', exact: true }).click();
  await page.getByRole('tab', { name: 'Receive' }).click();
  const receive = page.getByRole('region', { name: 'Receive a token' });
  await receive.getByRole('button', { name: 'Scan with camera' }).click();
  await expect(receive.getByLabel('Cashu token (cashuA…, cashuB… or cashu: link)')).toHaveValue(token);
  await expect(receive.getByRole('dialog')).toBeHidden();
  await flash.snap('03-token-scanned');
});
