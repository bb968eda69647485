import type * as Zxing from '@zxing/library';
import type JsQr from 'jsqr';

/** One camera frame as a canvas gives it: RGBA bytes, row by row. */
export interface RgbaFrame {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

export type QrFrameDecoder = (frame: RgbaFrame) => string | null;

/** Gray levels with the usual luma weights; the QR reader works on brightness only. */
export function toLuminance(frame: RgbaFrame): Uint8ClampedArray {
  const { data, width, height } = frame;
  const out = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    out[i] = (data[p]! * 299 + data[p + 1]! * 587 + data[p + 2]! * 114) / 1000;
  }
  return out;
}

/**
 * A frame decoder over two QR readers; a frame without a readable QR gives null. WHY two: ZXing
 * alone missed about one clean, sharply drawn QR in six (48 of 300 random tokens drawn as our
 * e2e camera shows them, with both its binarizers), and a still code misread once is misread on
 * every frame. jsQR read all 300; ZXing is kept as the second try for what jsQR misses on real
 * cameras (uneven light suits ZXing's local-threshold binarizer).
 */
export function createQrFrameDecoder(zxing: typeof Zxing, jsQr: typeof JsQr | null = null): QrFrameDecoder {
  const reader = new zxing.QRCodeReader();
  const hints = new Map<Zxing.DecodeHintType, unknown>([[zxing.DecodeHintType.TRY_HARDER, true]]);
  return (frame) => {
    if (frame.width <= 0 || frame.height <= 0) return null;
    if (jsQr) {
      const found = jsQr(frame.data, frame.width, frame.height, { inversionAttempts: 'dontInvert' });
      if (found && found.data.length > 0) return found.data;
    }
    const source = new zxing.RGBLuminanceSource(
      toLuminance(frame),
      frame.width,
      frame.height,
      frame.width,
      frame.height,
      0,
      0,
    );
    // The local-threshold binarizer suits uneven light; the global one reads some codes the first
    // misses, so a frame gets both before it counts as empty.
    for (const binarizer of [new zxing.HybridBinarizer(source), new zxing.GlobalHistogramBinarizer(source)]) {
      try {
        return reader.decode(new zxing.BinaryBitmap(binarizer), hints).getText();
      } catch {
        // Most frames hold no QR, or a blurred one: ZXing throws NotFound/Checksum/Format for those.
      } finally {
        reader.reset();
      }
    }
    return null;
  };
}

/** Loaded on the first scan: the readers are only needed when the camera is open. */
export async function loadQrFrameDecoder(): Promise<QrFrameDecoder> {
  const [zxing, jsQr] = await Promise.all([import('@zxing/library'), import('jsqr')]);
  return createQrFrameDecoder(zxing, jsQr.default);
}
