/**
 * `npm run crash -- --kills 1000 [--seed 42]`: the crash-injection harness (harness.ts) at full
 * length. Prints a line per life and the report; exits 1 if a payment was lost or doubled, a
 * settled balance differed from the chain, or the app failed on its own.
 */
import { runCrashHarness } from './harness';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
}

const print = (line: string): void => void process.stdout.write(`${line}\n`);

const kills = arg('kills', 1000);
const seed = arg('seed', Date.now() % 2 ** 31);
print(`crash harness: ${kills} kills, seed ${seed}`);
const report = await runCrashHarness({ kills, seed, log: print });
print(JSON.stringify(report, null, 2));
const bad =
  report.lost.length + report.doubled.length + report.balanceMismatches.length + report.childErrors.length;
print(
  `${report.kills} kills in ${report.seconds} s: ${report.lost.length} lost, ${report.doubled.length} doubled, ` +
    `${report.balanceMismatches.length} balance mismatches (${report.balanceChecks} checked), ${report.childErrors.length} child errors`,
);
process.exit(bad === 0 ? 0 : 1);
