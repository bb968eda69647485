import { defineConfig } from 'vitest/config';

const integration = {
  environment: 'node' as const,
  testTimeout: 60_000,
  hookTimeout: 60_000,
  // Integration suites start servers on loopback; one file at a time keeps ports and CPU calm.
  fileParallelism: false,
};

/** Everything that talks to the stack's Electrum server: run once per protocol version. */
const ELECTRUM_SUITES = 'test/integration/{accounts,chain,coins,electrum,hardware,send,wallet}-*.test.ts';

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
        // The stack offers 1.4-1.6 as Fulcrum 2 does, so the wallet speaks 1.6 here.
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...integration },
      },
      {
        // The same suites against a server that stops at 1.4.2 (ElectrumX before 1.18, electrs).
        test: {
          name: 'integration (electrum 1.4)',
          include: [ELECTRUM_SUITES],
          env: { FLASH_STACK_ELECTRUM_PROTOCOL: '1.4' },
          ...integration,
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
