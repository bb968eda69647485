/**
 * NUT error codes (cashubtc/nuts error_codes.md) and the error a mint answers with: HTTP 400 and
 * `{ detail, code }` (NUT-00 §0.2).
 */
export const NUT_ERROR = {
  proofVerificationFailed: 10001,
  alreadySpent: 11001,
  proofsPending: 11002,
  outputsAlreadySigned: 11003,
  outputsPending: 11004,
  notBalanced: 11005,
  amountOutOfLimits: 11006,
  duplicateInputs: 11007,
  duplicateOutputs: 11008,
  multipleUnits: 11009,
  unitMismatch: 11010,
  amountlessNotSupported: 11011,
  amountMismatch: 11012,
  unitNotSupported: 11013,
  maxInputsExceeded: 11014,
  maxOutputsExceeded: 11015,
  keysetUnknown: 12001,
  keysetInactive: 12002,
  keysetExpired: 12003,
  quoteNotPaid: 20001,
  quoteIssued: 20002,
  mintingDisabled: 20003,
  lightningPaymentFailed: 20004,
  quotePending: 20005,
  invoiceAlreadyPaid: 20006,
  quoteExpired: 20007,
  mintQuoteSignatureInvalid: 20008,
  mintQuotePubkeyRequired: 20009,
} as const;

export type NutErrorCode = (typeof NUT_ERROR)[keyof typeof NUT_ERROR];

export class MintError extends Error {
  constructor(
    readonly code: NutErrorCode | 0,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'MintError';
  }
}

/** A request the mint cannot parse: NUT-00 gives no code for it, nutshell answers 400 without one. */
export function badRequest(detail: string): MintError {
  return new MintError(0, detail);
}
