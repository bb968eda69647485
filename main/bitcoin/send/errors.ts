import { FlashError } from '../../../shared/errors';

/**
 * Send failures. They cross the bridge as BAD_INPUT (or the code given) with `details.reason`
 * naming the exact case; shared/errors.ts has no send codes yet (the lead may promote these).
 */
export type SendErrorReason =
  | 'INSUFFICIENT_FUNDS'
  | 'AMOUNT_BELOW_DUST'
  | 'BAD_FEE_RATE'
  | 'BAD_OUTPUTS'
  | 'UNKNOWN_COIN'
  | 'COIN_FROZEN'
  | 'DRAFT_STATE'
  | 'NOT_REPLACEABLE'
  | 'FEE_TOO_LOW'
  | 'NOTHING_TO_SPEND'
  | 'BAD_PSBT'
  | 'PSBT_NOT_OURS'
  | 'PSBT_INCOMPLETE'
  | 'TX_NOT_FOUND'
  | 'BROADCAST_REJECTED'
  | 'BAD_SIGNATURE_FORMAT'
  | 'UNSUPPORTED_ADDRESS'
  | 'BAD_UR'
  | 'UR_UNKNOWN_TYPE'
  | 'UR_INCOMPLETE'
  | 'BBQR_BAD_HEADER'
  | 'BBQR_MIXED'
  | 'BBQR_INCOMPLETE'
  | 'BBQR_BAD_DATA'
  | 'BBQR_WRONG_TYPE'
  | 'BBQR_TOO_LARGE'
  | 'BBQR_BAD_VERSION'
  | 'INPUT_AMOUNT_UNKNOWN'
  | 'INPUT_AMOUNT_MISMATCH'
  | 'FEE_ABSURD'
  | 'FEE_CONFIRMATION_MISMATCH';

export class SendError extends FlashError {
  readonly reason: SendErrorReason;
  constructor(
    reason: SendErrorReason,
    message: string,
    details: Record<string, string | number | boolean | null> = {},
  ) {
    super('BAD_INPUT', message, { reason, ...details });
    this.name = 'SendError';
    this.reason = reason;
  }
}
