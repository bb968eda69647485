import fs from 'node:fs';
import { create as createQr } from 'qrcode';

/** A gray picture: one byte of brightness per pixel, row by row. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/**
 * `text` as a QR drawn on a light-gray picture of the given size, centered, each module `scale`
 * pixels, as a camera pointed at a screen would see it (minus the blur).
 */
export function drawQr(text: string, opts: { width: number; height: number; scale?: number }): GrayImage {
  const { width, height } = opts;
  const modules = createQr(text, { errorCorrectionLevel: 'M' }).modules;
  const size = modules.size;
  const quiet = 4;
  const scale = opts.scale ?? Math.floor(Math.min(width, height) / (size + 2 * quiet));
  if (scale < 1) throw new Error(`a ${size}-module QR does not fit in ${width}x${height}`);
  const pixels = new Uint8Array(width * height).fill(200);
  const side = (size + 2 * quiet) * scale;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const row = Math.floor(y / scale) - quiet;
      const col = Math.floor(x / scale) - quiet;
      const dark = row >= 0 && col >= 0 && row < size && col < size && modules.get(row, col);
      pixels[(top + y) * width + left + x] = dark ? 16 : 240;
    }
  }
  return { width, height, pixels };
}

/** The picture as RGBA, as a canvas's getImageData gives it. */
export function toRgba(image: GrayImage): { data: Uint8ClampedArray; width: number; height: number } {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  image.pixels.forEach((v, i) => data.set([v, v, v, 255], i * 4));
  return { data, width: image.width, height: image.height };
}

/**
 * A Y4M video (4:2:0, gray) of the pictures, each held for `repeat` frames: what Chromium's fake
 * camera (`--use-file-for-fake-video-capture`) plays in a loop.
 */
export function writeY4m(
  file: string,
  images: GrayImage[],
  opts: { fps?: number; repeat?: number } = {},
): void {
  const first = images[0];
  if (!first) throw new Error('no pictures');
  const { width, height } = first;
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('Y4M 4:2:0 wants even sides');
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const chunks: Buffer[] = [
    Buffer.from(`YUV4MPEG2 W${width} H${height} F${opts.fps ?? 10}:1 Ip A1:1 C420jpeg\n`),
  ];
  for (const image of images) {
    for (let r = 0; r < (opts.repeat ?? 1); r++) {
      chunks.push(Buffer.from('FRAME\n'), Buffer.from(image.pixels), chroma, chroma);
    }
  }
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat(chunks));
  // Renamed into place so the camera never opens a half-written file.
  fs.renameSync(tmp, file);
}
