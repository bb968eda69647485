import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration suites start servers on loopback; one file at a time keeps ports and CPU calm.
          fileParallelism: false,
        },
      },
      {
        test: {
          // Property-based fuzzers (fast-check): a fixed seed and modest counts here, long runs
          // with FUZZ_RUNS through `npm run fuzz` (their own per-test limits apply then).
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          environment: 'node',
          testTimeout: process.env.FUZZ_RUNS ? 12 * 3_600_000 : 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
