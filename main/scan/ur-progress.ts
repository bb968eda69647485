import type * as BcUr from '@ngraveio/bc-ur';
import type { UrProgress } from '../../shared/contract/scan';
import { lazyRequire } from '../core/lazy-require';

/** The UR library the PSBT and cosigner readers use; loaded on the first scan, not at start-up. */
const bcUr = lazyRequire<typeof BcUr>('@ngraveio/bc-ur');

/**
 * Feeds the scanned parts to the UR decoder and says how far they go. A damaged part (a misread
 * frame) is skipped rather than refused: the camera will see that frame again.
 */
export function urProgress(parts: readonly string[]): UrProgress {
  const decoder = new (bcUr().URDecoder)();
  let type = '';
  for (const part of parts) {
    try {
      if (decoder.receivePart(part.trim()) && type === '') type = part.slice(3).split('/')[0]!.toLowerCase();
    } catch {
      // A part the decoder cannot parse is a misread frame; the next loop of the QR brings it again.
    }
    if (decoder.isSuccess()) break;
  }
  const complete = decoder.isSuccess() === true;
  const expected = complete && decoder.expectedPartCount() === 0 ? 1 : decoder.expectedPartCount();
  return {
    type,
    received: complete ? expected : decoder.receivedPartIndexes().length,
    expected: type === '' ? 0 : expected,
    complete,
  };
}
