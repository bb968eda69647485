import type { LightningFailureKind } from '../provider';
import { LightningError } from '../provider';

/** Every error code NIP-47 defines (the general list plus the per-command ones). */
export const NWC_ERROR_CODES = [
  'RATE_LIMITED',
  'NOT_IMPLEMENTED',
  'INSUFFICIENT_BALANCE',
  'QUOTA_EXCEEDED',
  'RESTRICTED',
  'UNAUTHORIZED',
  'INTERNAL',
  'UNSUPPORTED_ENCRYPTION',
  'OTHER',
  'PAYMENT_FAILED',
  'NOT_FOUND',
] as const;

export type NwcErrorCode = (typeof NWC_ERROR_CODES)[number];

export function isNwcErrorCode(code: string): code is NwcErrorCode {
  return (NWC_ERROR_CODES as readonly string[]).includes(code);
}

/**
 * NIP-47 codes onto the provider's failure kinds, so the user reads the same words whatever the
 * backend. RESTRICTED (this connection may not do that) and UNAUTHORIZED (no wallet behind this
 * key) are both a matter of permission for the user; PAYMENT_FAILED is NIP-47's "timeout,
 * exhausting all routes, insufficient capacity or similar", which is what no-route means to us.
 */
const KIND_OF: Record<NwcErrorCode, LightningFailureKind> = {
  RATE_LIMITED: 'provider-error',
  NOT_IMPLEMENTED: 'not-supported',
  INSUFFICIENT_BALANCE: 'insufficient-balance',
  QUOTA_EXCEEDED: 'quota-exceeded',
  RESTRICTED: 'unauthorized',
  UNAUTHORIZED: 'unauthorized',
  INTERNAL: 'provider-error',
  UNSUPPORTED_ENCRYPTION: 'not-supported',
  OTHER: 'provider-error',
  PAYMENT_FAILED: 'no-route',
  NOT_FOUND: 'provider-error',
};

/**
 * A wallet's error reply as a LightningError. The wallet's code stays in `details.nwcCode` (the
 * UI can say "try again in a few seconds" for RATE_LIMITED); its message is kept, cut short, as
 * it is the wallet's own words. An unknown code counts as OTHER.
 */
export function nwcErrorToLightning(code: string, message: string, method: string): LightningError {
  const known: NwcErrorCode = isNwcErrorCode(code) ? code : 'OTHER';
  const text = message.slice(0, 300) || code;
  return new LightningError(KIND_OF[known], `The wallet answered ${known} to ${method}: ${text}`, {
    nwcCode: known,
    ...(known !== code ? { nwcRawCode: code.slice(0, 64) } : {}),
    method,
    retryable: known === 'RATE_LIMITED' || known === 'INTERNAL',
  });
}

/** What a wallet service answers for a LightningError raised while serving a request. */
export function lightningToNwcCode(err: LightningError): NwcErrorCode {
  switch (err.kind) {
    case 'insufficient-balance':
      return 'INSUFFICIENT_BALANCE';
    case 'quota-exceeded':
      return 'QUOTA_EXCEEDED';
    case 'not-supported':
      return 'NOT_IMPLEMENTED';
    case 'unauthorized':
      return 'RESTRICTED';
    case 'no-route':
    case 'expired':
    case 'already-paid':
    case 'invoice-invalid':
    case 'amount-out-of-limits':
    case 'wrong-network':
    case 'timeout':
      return 'PAYMENT_FAILED';
    case 'unreachable':
    case 'provider-error':
      return 'INTERNAL';
    default:
      return 'OTHER';
  }
}
