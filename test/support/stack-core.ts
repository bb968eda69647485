/**
 * Whole cores (container, SQLite, vault, dispatcher) on the local regtest stack, called through the
 * dispatcher as the renderer's bridge calls them, for tests that follow a user's flow end to end.
 */
import type { WalletOverview } from '../../shared/contract';
import type { Stack } from '../stack';
import { startTestCore } from './core';
import { PASSWORD, useRegtestStack } from './stack-app';
import { until } from './wait';

export { PASSWORD };

export type StackCore = ReturnType<typeof startTestCore>;

/** Calls `method` as the bridge would; a refusal throws an Error that carries the FlashError code. */
export async function call<T>(core: StackCore, method: string, input: unknown = {}): Promise<T> {
  const r = await core.dispatcher.dispatch(method, input);
  if (!r.ok) throw Object.assign(new Error(`${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value as T;
}

/** The FlashError code `p` is refused with, or 'ok', so a test states which refusal it expects. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? 'unknown';
  }
}

export const overview = (core: StackCore, walletId: string) =>
  call<WalletOverview>(core, 'wallet.getOverview', { walletId });

/** Polls a core's answers (see wait.ts), 20 s at the most unless told otherwise. */
export function untilCore<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 20_000,
): Promise<T> {
  return until(what, fn, ms);
}

/**
 * Registers the hooks: one stack per file (`onStart` sees it first), and every core a test started
 * stopped after it.
 */
export function useStackCores(opts: { onStart?: (stack: Stack) => void } = {}): {
  readonly stack: Stack;
  /** A started core on the stack's Electrum server, its vault set up with PASSWORD. */
  startCore(core?: { simulatedDevices?: boolean }): Promise<StackCore>;
} {
  const suite = useRegtestStack('flash-stack-core-', opts.onStart ? { onStart: opts.onStart } : {});
  return {
    get stack() {
      return suite.stack;
    },
    async startCore(core = {}) {
      const started = startTestCore({ electrum: suite.stack.electrum, ...core });
      suite.cleanup.add(() => started.stop());
      await call(started, 'vault.setup', { password: PASSWORD });
      return started;
    },
  };
}
