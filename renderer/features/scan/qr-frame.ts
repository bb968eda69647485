import type * as Zxing from '@zxing/library';

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

/** A frame decoder over ZXing's QR reader; a frame without a readable QR gives null. */
export function createQrFrameDecoder(zxing: typeof Zxing): QrFrameDecoder {
  const reader = new zxing.QRCodeReader();
  const hints = new Map<Zxing.DecodeHintType, unknown>([[zxing.DecodeHintType.TRY_HARDER, true]]);
  return (frame) => {
    if (frame.width <= 0 || frame.height <= 0) return null;
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
    // misses (about one QR in five in our tests), so a frame gets both before it counts as empty.
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

/** Loaded on the first scan: the reader is only needed when the camera is open. */
export async function loadQrFrameDecoder(): Promise<QrFrameDecoder> {
  return createQrFrameDecoder(await import('@zxing/library'));
}
