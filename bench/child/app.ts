import path from 'node:path';
import { DEFAULT_KDF } from '../../main/core/config';
import { createFlashCore } from '../../main/core/container';
import { silentLogger } from '../../main/core/logger';

/**
 * One app process for the bench (bundled by bench/app-process.ts, run by plain node): the real
 * core, as browser mode builds it, on a profile folder. Prints one JSON line of figures, in ms
 * since this process started (performance.now() counts from process start in Node).
 * argv: dataDir host port mode ('import' <xpub> | 'reopen')
 */
const [dataDir, host, port, mode, xpub] = process.argv.slice(2) as [string, string, string, string, string?];
const core = createFlashCore(
  {
    mode: 'browser',
    version: 'bench',
    dataDir: path.resolve(dataDir),
    profile: 'bench',
    defaultNetwork: 'regtest',
    electrumOverride: { host, port: Number(port), transport: 'tcp' },
    kdf: DEFAULT_KDF,
    nostrRelays: [],
  },
  silentLogger,
);
core.start();
const ready = performance.now();
let walletId: string | null = null;
core.bus.on('sync.progress', (p) => {
  if (p.sync.phase !== 'synced' || (walletId !== null && p.walletId !== walletId)) return;
  const synced = performance.now();
  const rss = process.memoryUsage().rss;
  process.stdout.write(`${JSON.stringify({ ready, synced, rss })}\n`);
  core.stop();
  process.exit(0);
});
if (mode === 'import') {
  const res = await core.dispatcher.dispatch('wallet.importWatchOnly', {
    name: 'Bench',
    key: xpub,
    accountType: 'bip84',
  });
  if (!res.ok) throw new Error(JSON.stringify(res));
  walletId = (res.value as { id: string }).id;
}
setTimeout(() => {
  process.stderr.write('not synced within 300 s\n');
  process.exit(1);
}, 300_000).unref();
