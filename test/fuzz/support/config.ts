import fs from 'node:fs';
import fc from 'fast-check';
import { ERROR_CODES, FlashError } from '../../../shared/errors';

/**
 * How hard the fuzzers push. `npm test` runs every property with a fixed seed and a modest count
 * so the suite stays quick and repeatable; `npm run fuzz` sets FUZZ_RUNS (e.g. 20000) and draws a
 * fresh seed, printed once, so a failure found overnight replays with FUZZ_SEED=<seed>.
 */
const FIXED_SEED = 20_240_611;

function envInt(name: string): number | null {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return n;
}

const longRuns = envInt('FUZZ_RUNS');
const explicitSeed = envInt('FUZZ_SEED');

/** True under `npm run fuzz`: long runs, with a random seed unless FUZZ_SEED pins one. */
export const LONG_RUN = longRuns !== null;

export const FUZZ_SEED: number =
  explicitSeed ?? (LONG_RUN ? (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0 : FIXED_SEED);

let announced = false;
function announceSeed(): void {
  if (announced) return;
  announced = true;
  console.warn(`[fuzz] seed ${FUZZ_SEED} (replay with FUZZ_SEED=${FUZZ_SEED})`);
}

/**
 * Parameters for one property: `short` runs in the normal test run, FUZZ_RUNS (times `scale`,
 * for properties whose every run is a slow round trip) in a long one.
 */
export function fuzzParams<T>(short: number, scale = 1): fc.Parameters<T> {
  announceSeed();
  const numRuns = longRuns === null ? short : Math.max(short, Math.round(longRuns * scale));
  return { numRuns, seed: FUZZ_SEED, endOnFailure: false };
}

/** Runs per property in this file: name -> count (also appended to $FUZZ_REPORT when set). */
export const runCounts = new Map<string, number>();

/** Checks a property, fails with fast-check's report (seed, path, shrunk counterexample), and records its run count. */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  params: fc.Parameters<Ts>,
): Promise<void> {
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, params);
  if (details.failed) {
    const cause = details.errorInstance;
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    throw new Error(
      `${name}: ${fc.defaultReportMessage(details) ?? 'property failed'}\nGot: ${why.slice(0, 2000)}`,
      {
        cause,
      },
    );
  }
  runCounts.set(name, details.numRuns);
  if (LONG_RUN) console.warn(`[fuzz] ${name}: ${details.numRuns} runs passed`);
  // Console lines of quick tests can get lost between vitest's workers; a file keeps every count.
  const report = process.env.FUZZ_REPORT;
  if (report) fs.appendFileSync(report, `${name}\t${details.numRuns} runs passed\tseed ${FUZZ_SEED}\n`);
}

/** The project's typed error: a FlashError (or subclass) carrying a code the bridge knows. */
export function isTypedError(err: unknown): err is FlashError {
  return err instanceof FlashError && (ERROR_CODES as readonly string[]).includes(err.code);
}

/** Text that must never reach a caller: stack frames, source paths, install paths. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat [^\s()]+ \(/, // "at fn (file:line:col)"
  /^\s*at /m, // a bare frame line
  /\/work\//,
  /node_modules/,
  /\.[cm]?[tj]s:\d+/, // file.ts:12
];

export function leakIn(text: string): RegExp | null {
  return LEAK_PATTERNS.find((p) => p.test(text)) ?? null;
}

/**
 * Runs a parser and classifies the outcome: a value, or the typed error `expected` accepts.
 * Anything else (TypeError, RangeError, URIError, a bare Error) is rethrown with the input named,
 * so fast-check reports and shrinks it.
 */
export function parsesOrThrowsTyped<T>(
  run: () => T,
  expected: (err: unknown) => boolean = isTypedError,
): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: run() };
  } catch (err) {
    if (!expected(err)) {
      const name = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new Error(`untyped error escaped the parser: ${name.slice(0, 300)}`, { cause: err });
    }
    const message = err instanceof Error ? err.message : '';
    const leak = leakIn(message);
    if (leak) throw new Error(`error message leaks internals (${leak}): ${message.slice(0, 300)}`);
    return { ok: false, error: err };
  }
}
