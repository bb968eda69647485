import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ElectrumServer, Network } from '../../shared/contract';
import { createFlashCore, type FlashCore } from '../../main/core/container';
import { createLogger } from '../../main/core/logger';

/** A throwaway data folder under the OS temp dir. */
export function tempDir(prefix = 'flash-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A real core (real SQLite, real vault) with a cheap KDF so tests stay fast. */
export function startTestCore(
  opts: {
    dataDir?: string;
    network?: Network;
    electrum?: ElectrumServer;
  } = {},
): FlashCore & { dataDir: string } {
  const dataDir = opts.dataDir ?? tempDir();
  const core = createFlashCore(
    {
      mode: 'browser',
      version: '0.0.0-test',
      dataDir,
      profile: 'default',
      defaultNetwork: opts.network ?? 'regtest',
      // Port 9 (discard) on loopback: nothing answers, so Electrum sits in backoff unless a test gives a server.
      electrumOverride: opts.electrum ?? { host: '127.0.0.1', port: 9, transport: 'tcp' },
      kdf: { N: 2 ** 10, r: 8, p: 1 },
    },
    createLogger({ file: path.join(dataDir, 'logs', 'main.log') }),
  );
  core.start();
  return Object.assign(core, { dataDir });
}
