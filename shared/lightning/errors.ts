import type { ErrorCode } from '../errors';
import { FlashError } from '../errors';

/**
 * Why something pasted or scanned is not a payable Lightning target. Each code has its own EN/ES
 * text (renderer/i18n/areas/lightning.ts); `details.reason` names the exact rule that failed so a
 * test (or a bug report) can tell "no payment hash" from "bad amount".
 */
export type LightningParseCode = Extract<
  ErrorCode,
  | 'LIGHTNING_UNRECOGNIZED'
  | 'LIGHTNING_BAD_CHECKSUM'
  | 'LIGHTNING_MALFORMED'
  | 'LIGHTNING_BAD_SIGNATURE'
  | 'LIGHTNING_UNKNOWN_FEATURE'
  | 'LIGHTNING_WRONG_NETWORK'
  | 'LIGHTNING_EXPIRED'
>;

export class LightningParseError extends FlashError {
  declare readonly code: LightningParseCode;
  constructor(code: LightningParseCode, message: string, details: Record<string, string | number> = {}) {
    super(code, message, details);
    this.name = 'LightningParseError';
  }
}

export function malformed(reason: string, message: string, extra: Record<string, string | number> = {}) {
  return new LightningParseError('LIGHTNING_MALFORMED', message, { reason, ...extra });
}
