import { FlashError } from '../../../shared/errors';

/**
 * Coin-control and label failures. Like SendError they cross the bridge as BAD_INPUT with
 * `details.reason` naming the case (shared/errors.ts has no coins codes; the lead may promote them).
 */
export type CoinsErrorReason = 'UNKNOWN_COIN' | 'BAD_REF' | 'LABEL_TOO_LONG' | 'IMPORT_TOO_LARGE';

export class CoinsError extends FlashError {
  readonly reason: CoinsErrorReason;
  constructor(
    reason: CoinsErrorReason,
    message: string,
    details: Record<string, string | number | boolean | null> = {},
  ) {
    super('BAD_INPUT', message, { reason, ...details });
    this.name = 'CoinsError';
    this.reason = reason;
  }
}
