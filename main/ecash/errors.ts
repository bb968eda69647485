import {
  HttpResponseError,
  isMintOperationError,
  MeltChangeError,
  NetworkError,
  StaleKeysetError,
  UnknownKeysetError,
} from '@cashu/cashu-ts';
import { FlashError } from '../../shared/errors';

/** NUT error codes this wallet acts on (cashubtc/nuts error_codes.md). */
export const NUT = {
  alreadySpent: 11001,
  pending: 11002,
  outputsSigned: 11003,
  notBalanced: 11005,
  outOfLimits: 11006,
  unitNotSupported: 11013,
  keysetUnknown: 12001,
  keysetInactive: 12002,
  quoteNotPaid: 20001,
  quoteIssued: 20002,
  paymentFailed: 20004,
  quotePending: 20005,
  invoicePaid: 20006,
  quoteExpired: 20007,
} as const;

/** The NUT code inside an error from cashu-ts (also through StaleKeysetError's cause), or null. */
export function nutCode(err: unknown): number | null {
  if (isMintOperationError(err)) return err.code;
  if (err instanceof StaleKeysetError && isMintOperationError(err.cause)) return err.cause.code;
  if (err instanceof MeltChangeError) return nutCode(err.cause);
  return null;
}

/**
 * Whether the outcome of a request is unknown: the mint may or may not have acted (no answer,
 * a timeout, a 5xx). Such an operation stays open and is settled by asking the mint (NUT-07,
 * the quote state) and replaying (NUT-19), never by guessing.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  if (err instanceof HttpResponseError && !isMintOperationError(err)) {
    const status = (err as HttpResponseError & { status?: number }).status;
    return status === undefined || status >= 500;
  }
  return false;
}

/** Any error from talking to a mint, as the typed error the bridge carries. */
export function toFlashError(err: unknown, mintUrl?: string): FlashError {
  if (err instanceof FlashError) return err;
  const where: Record<string, string> = mintUrl ? { mint: mintUrl } : {};
  if (err instanceof NetworkError)
    return new FlashError('ECASH_MINT_UNREACHABLE', 'The mint cannot be reached right now.', where);
  const code = nutCode(err);
  const detail = err instanceof Error ? err.message.slice(0, 300) : String(err).slice(0, 300);
  switch (code) {
    case NUT.alreadySpent:
      return new FlashError('ECASH_ALREADY_SPENT', 'These eCash proofs were already spent.', where);
    case NUT.pending:
      return new FlashError(
        'ECASH_PROOFS_PENDING',
        'These proofs are in a payment that is still going on.',
        where,
      );
    case NUT.outOfLimits:
      return new FlashError('ECASH_AMOUNT_OUT_OF_RANGE', 'The mint does not accept this amount.', where);
    case NUT.unitNotSupported:
      return new FlashError('ECASH_UNIT_NOT_SUPPORTED', 'The mint does not offer this unit.', where);
    case NUT.quoteNotPaid:
      return new FlashError('ECASH_QUOTE_NOT_PAID', 'The invoice has not been paid yet.', where);
    case NUT.quoteExpired:
      return new FlashError('ECASH_QUOTE_EXPIRED', 'The quote expired.', where);
    case NUT.paymentFailed:
      return new FlashError(
        'ECASH_PAYMENT_FAILED',
        'The mint could not pay the invoice. Nothing was spent.',
        where,
      );
    case NUT.invoicePaid:
      return new FlashError('LIGHTNING_ALREADY_PAID', 'This invoice was already paid.', where);
    default:
      break;
  }
  if (err instanceof UnknownKeysetError || err instanceof StaleKeysetError)
    return new FlashError('ECASH_MINT_ERROR', 'The mint changed its keys; try again.', { ...where, detail });
  if (code !== null)
    return new FlashError('ECASH_MINT_ERROR', `The mint refused: ${detail}`, { ...where, code, detail });
  if (err instanceof HttpResponseError)
    return new FlashError('ECASH_MINT_ERROR', `The mint answered with an error: ${detail}`, {
      ...where,
      detail,
    });
  return new FlashError('ECASH_MINT_ERROR', `The mint's answer could not be used: ${detail}`, {
    ...where,
    detail,
  });
}

/** Signatures that do not check out (a DLEQ that fails, a signature under the wrong key). */
export function badSignatures(err: unknown): boolean {
  const text =
    err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : '';
  return (
    /dleq|signature|unblind|verif/i.test(text) && !(err instanceof NetworkError) && nutCode(err) === null
  );
}
