import type { z } from 'zod';
import type { MethodName, MethodOutput, ParsedInput } from '../../shared/contract';
import { contract, isMethodName } from '../../shared/contract';
import { PASSIVE_METHODS } from '../../shared/contract/names';
import type { BridgeError, Result } from '../../shared/errors';
import { FlashError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { EventName } from '../../shared/contract/events';
import { allowedAtCounter, eventAtCounter } from './cashier-policy';
import { needsUnlockedVault } from './lock-policy';

export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

/** Largest request a renderer may send; anything bigger is refused before parsing. */
export const MAX_INPUT_BYTES = 64 * 1024;

export interface Dispatcher {
  /** Validates `rawInput` against the contract, runs the handler, and never throws. */
  dispatch(method: unknown, rawInput: unknown): Promise<Result<unknown>>;
  /**
   * Whether a bus event may go out to the renderer now. The transports ask before sending each
   * one, so the cashier-mode rule for events lives here, beside the one for calls.
   */
  deliversEvent?(event: EventName): boolean;
}

export function createDispatcher(deps: {
  handlers: Handlers;
  log: Logger;
  /** Called before every non-passive call, so the vault's idle timer counts real use. */
  onActivity?: (method: MethodName) => void;
  /** True while the vault is set up and locked: LOCK_POLICY's guarded calls are refused then. */
  isVaultLocked?: () => boolean;
  /** True while the merchant counter's cashier mode is on: only CASHIER_ALLOWED methods run then. */
  isCashierMode?: () => boolean;
}): Dispatcher {
  const { handlers, log } = deps;
  return {
    deliversEvent: (event) => eventAtCounter(event) || !deps.isCashierMode?.(),
    async dispatch(method, rawInput) {
      if (!isMethodName(method)) {
        return fail({ code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 80)}` });
      }
      // Before parsing: at a locked counter the answer is the same whatever the input.
      if (!allowedAtCounter(method) && deps.isCashierMode?.()) {
        return fail({
          code: 'MERCHANT_CASHIER_LOCKED',
          message: 'Cashier mode is on: only the counter works until the manager unlocks it.',
          details: { method },
        });
      }
      const def = contract[method];
      const parsed = parseInput(def.input, rawInput);
      if (!parsed.ok) return parsed;
      // Checked before onActivity: a call refused for the lock is not use of an open wallet.
      if (needsUnlockedVault(method, parsed.value) && deps.isVaultLocked?.()) {
        return fail({
          code: 'VAULT_LOCKED',
          message: 'Flash is locked. Unlock it to change this.',
          details: { method },
        });
      }
      if (!PASSIVE_METHODS.has(method)) deps.onActivity?.(method);
      try {
        const handler = handlers[method] as (input: unknown) => unknown;
        const value = await handler(parsed.value);
        // Parsing the answer strips any field the contract doesn't name, so nothing extra leaks.
        return { ok: true, value: def.output.parse(value) };
      } catch (err) {
        if (err instanceof FlashError) return fail(err.toBridge());
        log.error('handler failed', { method, error: err instanceof Error ? err.message : String(err) });
        return fail({
          code: 'INTERNAL',
          message: 'Something went wrong inside Flash. Details are in the log.',
        });
      }
    },
  };
}

function parseInput(schema: z.ZodType, rawInput: unknown): Result<unknown> {
  let size: number;
  try {
    size = JSON.stringify(rawInput ?? {}).length;
  } catch {
    return fail({ code: 'BAD_INPUT', message: 'Input must be plain JSON data.' });
  }
  if (size > MAX_INPUT_BYTES) {
    return fail({
      code: 'BAD_INPUT',
      message: `Input is too large (${size} bytes, limit ${MAX_INPUT_BYTES}).`,
    });
  }
  const result = schema.safeParse(rawInput ?? {});
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues[0];
  const where = first && first.path.length > 0 ? first.path.join('.') : 'input';
  return fail({
    code: 'BAD_INPUT',
    message: `Invalid ${where}: ${first?.message ?? 'malformed input'}`,
    details: { field: where },
  });
}

function fail(error: BridgeError): { ok: false; error: BridgeError } {
  return { ok: false, error };
}
