/**
 * `npm run crash -- --kills 1000 [--seed 42] [--area send|ecash]`: a crash-injection harness at
 * full length: send (harness.ts, the default) or eCash (ecash-harness.ts). Prints a line per life and the report; exits 1 if a payment was lost or doubled, a
 * settled balance differed from the chain, or the app failed on its own.
 */
import { runEcashCrashHarness } from './ecash-harness';
import { runCrashHarness } from './harness';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
  return value;
}

const print = (line: string): void => void process.stdout.write(`${line}\n`);

const kills = arg('kills', 1000);
const areaAt = process.argv.indexOf('--area');
const area = areaAt >= 0 ? process.argv[areaAt + 1] : 'send';
if (area !== 'send' && area !== 'ecash') throw new Error('--area takes send or ecash');
const seed = arg('seed', Date.now() % 2 ** 31);
print(`crash harness (${area}): ${kills} kills, seed ${seed}`);
const report =
  area === 'ecash'
    ? { ...(await runEcashCrashHarness({ kills, seed, log: print })), payments: null }
    : await runCrashHarness({ kills, seed, log: print });
print(JSON.stringify(report, null, 2));
const bad =
  report.lost.length + report.doubled.length + report.balanceMismatches.length + report.childErrors.length;
print(
  `${report.kills} kills in ${report.seconds} s: ${report.lost.length} lost, ${report.doubled.length} doubled, ` +
    `${report.balanceMismatches.length} balance mismatches (${report.balanceChecks} checked), ${report.childErrors.length} child errors`,
);
process.exit(bad === 0 ? 0 : 1);
