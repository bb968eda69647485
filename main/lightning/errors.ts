import type { ErrorCode } from '../../shared/errors';
import { FlashError } from '../../shared/errors';
import type { LightningFailureKind } from './provider';
import { LightningError } from './provider';

/** Each provider failure kind as the bridge error the renderer translates (EN/ES). */
export const FAILURE_CODE: Readonly<Record<LightningFailureKind, ErrorCode>> = {
  'no-route': 'LIGHTNING_NO_ROUTE',
  'insufficient-balance': 'LIGHTNING_INSUFFICIENT_BALANCE',
  expired: 'LIGHTNING_EXPIRED',
  'amount-out-of-limits': 'LIGHTNING_AMOUNT_OUT_OF_LIMITS',
  'wrong-network': 'LIGHTNING_WRONG_NETWORK',
  'already-paid': 'LIGHTNING_ALREADY_PAID',
  'invoice-invalid': 'LIGHTNING_INVOICE_INVALID',
  timeout: 'LIGHTNING_TIMEOUT',
  unauthorized: 'LIGHTNING_UNAUTHORIZED',
  'not-supported': 'LIGHTNING_NOT_SUPPORTED',
  'quota-exceeded': 'LIGHTNING_QUOTA_EXCEEDED',
  unreachable: 'LIGHTNING_UNREACHABLE',
  'provider-error': 'LIGHTNING_PROVIDER_ERROR',
};

/**
 * Failures that prove the payment did not leave: the journal may mark it failed at once. The
 * others (timeout, unreachable, provider-error) leave it unknown: it stays pending and is looked
 * up, because a node that timed out answering may still be routing it.
 */
export const DEFINITE_FAILURES: ReadonlySet<LightningFailureKind> = new Set<LightningFailureKind>([
  'no-route',
  'insufficient-balance',
  'expired',
  'amount-out-of-limits',
  'wrong-network',
  'already-paid',
  'invoice-invalid',
  'unauthorized',
  'not-supported',
  'quota-exceeded',
]);

/** Any error from a provider or below, as the FlashError the bridge sends. */
export function toFlashError(err: unknown): FlashError {
  if (err instanceof FlashError) return err;
  if (err instanceof LightningError) {
    const details = { ...(err.details ?? {}), kind: err.kind };
    return new FlashError(FAILURE_CODE[err.kind], err.message, details);
  }
  return new FlashError('LIGHTNING_PROVIDER_ERROR', 'The Lightning backend failed unexpectedly.');
}

/** The failure kind of an error thrown by a provider, or null if it is not a LightningError. */
export function failureKindOf(err: unknown): LightningFailureKind | null {
  return err instanceof LightningError ? err.kind : null;
}
