import { describe, expect, it } from 'vitest';
import { runCrashHarness } from '../crash/harness';

/** A short run here; `npm run crash -- --kills 1000` is the long one. */
const KILLS = Number(process.env['FLASH_CRASH_KILLS'] ?? 6);
const SEED = Number(process.env['FLASH_CRASH_SEED'] ?? 20_240_607);

describe('crash injection: send, bump and CPFP killed at random points and restarted', () => {
  it(
    `loses and doubles no payment over ${KILLS} kills, and the settled balance matches the chain`,
    async () => {
      const report = await runCrashHarness({ kills: KILLS, seed: SEED });
      expect(report.kills).toBe(KILLS);
      expect(report.childErrors).toEqual([]);
      expect(report.lost).toEqual([]);
      expect(report.doubled).toEqual([]);
      expect(report.balanceMismatches).toEqual([]);
      // The final settle always compares the balance.
      expect(report.balanceChecks).toBeGreaterThan(0);
    },
    // Each life is a real process start against the stack; the guard is generous, not a target.
    10 * 60_000,
  );
});
