import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ElectrumServer, Network } from '../../shared/contract';
import type { AppConfig } from '../../main/core/config';
import { createFlashCore, type FlashCore } from '../../main/core/container';
import { createLogger } from '../../main/core/logger';

/** A throwaway data folder under the OS temp dir. */
export function tempDir(prefix = 'flash-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The config every test core starts from: browser mode on regtest with a cheap KDF so tests stay
 * fast. Port 9 (discard) on loopback: nothing answers, so Electrum sits in backoff unless a test
 * gives a server.
 */
export function testCoreConfig(dataDir: string, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    mode: 'browser',
    version: '0.0.0-test',
    dataDir,
    profile: 'default',
    defaultNetwork: 'regtest',
    electrumOverride: { host: '127.0.0.1', port: 9, transport: 'tcp' },
    kdf: { N: 2 ** 10, r: 8, p: 1 },
    ...overrides,
  };
}

/** A real core (real SQLite, real vault), started, logging to its data folder. */
export function startTestCore(
  opts: {
    dataDir?: string;
    network?: Network;
    electrum?: ElectrumServer;
    /** The test-only simulated Ledger and Trezor (main/hardware/simulated). */
    simulatedDevices?: boolean;
  } = {},
): FlashCore & { dataDir: string } {
  const dataDir = opts.dataDir ?? tempDir();
  const core = createFlashCore(
    testCoreConfig(dataDir, {
      ...(opts.network ? { defaultNetwork: opts.network } : {}),
      ...(opts.electrum ? { electrumOverride: opts.electrum } : {}),
      ...(opts.simulatedDevices ? { simulatedDevices: true } : {}),
    }),
    createLogger({ file: path.join(dataDir, 'logs', 'main.log') }),
  );
  core.start();
  return Object.assign(core, { dataDir });
}
