/**
 * Polls `fn` every 50 ms until it returns (or resolves to) something truthy, and returns that value.
 * Integration tests watch services that react to a real server on their own schedule, so a
 * bounded poll is the honest way to wait; `what` names the wait in the timeout error.
 */
export async function until<T>(
  what: string,
  fn: () => T | null | undefined | false | PromiseLike<T | null | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Teardown steps, run newest first so clients close before the servers they talk to. */
export interface Cleanup {
  add(fn: () => void | Promise<void>): void;
  run(): Promise<void>;
}

export function createCleanup(): Cleanup {
  const steps: (() => void | Promise<void>)[] = [];
  return {
    add(fn) {
      steps.push(fn);
    },
    async run() {
      for (const step of steps.splice(0).reverse()) await step();
    },
  };
}
