import { describe, expect, it } from 'vitest';
import { runEcashCrashHarness } from '../crash/ecash-harness';

/** A short run here; `npm run crash -- --area ecash --kills 1000` is the long one. */
const KILLS = Number(process.env['FLASH_ECASH_CRASH_KILLS'] ?? 8);
const SEED = Number(process.env['FLASH_CRASH_SEED'] ?? 20_261_207);

describe('crash injection: eCash operations killed at random points and restarted', () => {
  it(
    `loses and double-counts no proof over ${KILLS} kills, and balances match the mints' NUT-07 answers`,
    async () => {
      const report = await runEcashCrashHarness({ kills: KILLS, seed: SEED });
      expect(report.kills).toBe(KILLS);
      expect(report.childErrors).toEqual([]);
      expect(report.lost).toEqual([]);
      expect(report.doubled).toEqual([]);
      expect(report.balanceMismatches).toEqual([]);
      expect(report.balanceChecks).toBeGreaterThan(0);
    },
    10 * 60_000,
  );
});
