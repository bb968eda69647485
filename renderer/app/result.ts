import type { BridgeError, ErrorCode, Result } from '../../shared/errors';
import { ERROR_CODES } from '../../shared/errors';

/** A failed bridge call, thrown by `call`/`unwrap` so UI code can use try/catch with typed fields. */
export class BridgeCallError extends Error {
  readonly code: ErrorCode;
  readonly details: NonNullable<BridgeError['details']>;

  constructor(error: BridgeError) {
    super(error.message);
    this.name = 'BridgeCallError';
    this.code = (ERROR_CODES as readonly string[]).includes(error.code) ? error.code : 'INTERNAL';
    this.details = error.details ?? {};
  }

  /** A numeric detail such as `retryAfterMs`, or null when missing. */
  numberDetail(name: string): number | null {
    const v = this.details[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new BridgeCallError(result.error);
}

/** Awaits a bridge call and unwraps it; a transport that throws becomes an INTERNAL error. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await pending;
  } catch (err) {
    throw toBridgeCallError(err);
  }
  return unwrap(result);
}

export function toBridgeCallError(err: unknown): BridgeCallError {
  if (err instanceof BridgeCallError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BridgeCallError({ code: 'INTERNAL', message });
}

export function hasCode(err: unknown, code: ErrorCode): err is BridgeCallError {
  return err instanceof BridgeCallError && err.code === code;
}
