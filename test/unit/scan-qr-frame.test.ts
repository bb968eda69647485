import { randomBytes } from 'node:crypto';
import * as zxing from '@zxing/library';
import jsQr from 'jsqr';
import { describe, expect, it } from 'vitest';
import { createQrFrameDecoder, toLuminance } from '../../renderer/features/scan/qr-frame';
import { drawQr, toRgba } from '../support/qr-frames';

const decode = createQrFrameDecoder(zxing, jsQr);

describe('reading a QR from a camera frame', () => {
  it('reads an invoice QR drawn off-center in a larger frame', () => {
    const invoice =
      'lnbcrt25u1pnxyzqpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpuaztrnwngzn3kdzw5hydlzf03qdgm2hdq27cqv3agm2awhz5se903vruatfhq77w3ls4evs3ch9zw97j25emudupq63nyw24cg27h2rspfj9srp';
    const frame = toRgba(drawQr(invoice, { width: 640, height: 480, scale: 3 }));
    expect(decode(frame)).toBe(invoice);
  });

  it('reads a UR part whatever its letter case', () => {
    const part =
      'UR:CRYPTO-PSBT/3-12/LPAXCFAXHLCYBKBYHDFXJYJZKPJOJPJTKTJLJPIEJYKPKTFNIMHSJOJPJLJKIHJPIHJTKTIHJYJZKPJSIAHSJPIH';
    expect(decode(toRgba(drawQr(part, { width: 480, height: 480 })))).toBe(part);
  });

  it('reads every one of 60 clean token QRs (ZXing alone misses about one in six)', () => {
    for (let i = 0; i < 60; i++) {
      const token = `cashuB${randomBytes(90 + (i % 40)).toString('base64url')}`;
      expect(decode(toRgba(drawQr(token, { width: 640, height: 480 })))).toBe(token);
    }
  });

  it('still reads with ZXing alone where jsQR is missing', () => {
    const invoice =
      'lnbcrt1u1pnxyzqpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4js';
    expect(createQrFrameDecoder(zxing)(toRgba(drawQr(invoice, { width: 480, height: 480 })))).toBe(invoice);
  });

  it('gives null for a frame without a QR, and for an empty frame', () => {
    const blank = toRgba({ width: 320, height: 240, pixels: new Uint8Array(320 * 240).fill(128) });
    expect(decode(blank)).toBeNull();
    expect(decode({ data: new Uint8ClampedArray(0), width: 0, height: 0 })).toBeNull();
  });

  it('weighs red, green and blue as luma, rounded', () => {
    const frame = {
      data: new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]),
      width: 3,
      height: 1,
    };
    expect([...toLuminance(frame)]).toEqual([76, 150, 29]);
  });
});
