import path from 'node:path';
import { DEFAULT_KDF } from '../../main/core/config';
import { createFlashCore } from '../../main/core/container';
import { silentLogger } from '../../main/core/logger';

/**
 * One app process for the bench (bundled by bench/app-process.ts, run by plain node): the real
 * core, as browser mode builds it, on a profile folder. Prints one JSON line of figures, in ms
 * since this process started (performance.now() counts from process start in Node).
 * argv: dataDir host port mode ('import' <xpub> [<relayUrl> <nsec> <messages>] | 'reopen')
 * With a relay, after the sync it sets a password, imports the NOSTR key and waits until that
 * many DMs are in from the relay, so the RSS is that of a synced wallet plus a loaded inbox.
 */
const [dataDir, host, port, mode, xpub, relayUrl, nsec, messages] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
  string?,
  string?,
  string?,
];
const core = createFlashCore(
  {
    mode: 'browser',
    version: 'bench',
    dataDir: path.resolve(dataDir),
    profile: 'bench',
    defaultNetwork: 'regtest',
    electrumOverride: { host, port: Number(port), transport: 'tcp' },
    kdf: DEFAULT_KDF,
    nostrRelays: relayUrl ? [relayUrl] : [],
  },
  silentLogger,
);
core.start();
const ready = performance.now();

async function call(method: string, input: unknown): Promise<unknown> {
  const res = await core.dispatcher.dispatch(method as never, input as never);
  if (!res.ok) throw new Error(`${method}: ${JSON.stringify(res)}`);
  return res.value;
}

/** Sets up the vault, imports the key, and resolves when `want` DMs are stored. */
async function loadInbox(want: number): Promise<{ messages: number; ms: number; rss: number }> {
  await call('vault.setup', { password: 'bench password 1' });
  let got = 0;
  const all = new Promise<void>((resolve) => {
    core.bus.on('nostr.message', () => {
      got += 1;
      if (got >= want) resolve();
    });
  });
  const t0 = performance.now();
  await call('nostr.importIdentity', { kind: 'nsec', nsec });
  await call('nostr.setRelays', { relays: [{ url: relayUrl, read: true, write: true, dm: true }] });
  await all;
  return { messages: got, ms: performance.now() - t0, rss: process.memoryUsage().rss };
}

let walletId: string | null = null;
let reported = false;
core.bus.on('sync.progress', (p) => {
  if (reported || p.sync.phase !== 'synced' || (walletId !== null && p.walletId !== walletId)) return;
  reported = true;
  const synced = performance.now();
  const rss = process.memoryUsage().rss;
  const finish = (inbox?: { messages: number; ms: number; rss: number }): void => {
    process.stdout.write(`${JSON.stringify({ ready, synced, rss, ...(inbox ? { inbox } : {}) })}\n`);
    core.stop();
    process.exit(0);
  };
  if (relayUrl && nsec && messages) {
    loadInbox(Number(messages)).then(finish, (err: unknown) => {
      process.stderr.write(`inbox: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
  } else finish();
});
if (mode === 'import') {
  const value = (await call('wallet.importWatchOnly', {
    name: 'Bench',
    key: xpub,
    accountType: 'bip84',
  })) as { id: string };
  walletId = value.id;
}
setTimeout(() => {
  process.stderr.write('not done within 300 s\n');
  process.exit(1);
}, 300_000).unref();
