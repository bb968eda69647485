// `npm run demo`: the local regtest stack plus the app pointed at it, for a newcomer with no internet.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

const dataDir = path.resolve(process.env.FLASH_DEMO_DIR ?? '.data/demo');
mkdirSync(dataDir, { recursive: true });
const children = [];

function start(command, args, readyPrefix) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.startsWith(readyPrefix)) resolve(JSON.parse(line.slice(readyPrefix.length)));
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

function stopAll() {
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

try {
  const stack = await start(process.execPath, ['--import', 'tsx', 'test/stack/cli.ts'], 'STACK_READY ');
  const electrum = `${stack.electrum.host}:${stack.electrum.port}:t`;
  const app = await start(
    process.execPath,
    [
      'out/main/headless.js',
      '--network',
      'regtest',
      '--data-dir',
      dataDir,
      '--electrum',
      electrum,
      '--nostr-relays',
      stack.relays.join(','),
      // The demo is regtest on this machine only: the Devices screen offers simulated devices.
      '--simulated-devices',
    ],
    'FLASH_READY ',
  );
  console.log(`
Flash demo is running on regtest, with no internet needed.

  Open the wallet:   ${app.url}
  Electrum server:   ${electrum} (regtest chain on this machine)
  NOSTR relays:      ${stack.relays.join(' ')}
  Stack control:     ${stack.controlUrl}
    pay an address:  curl -X POST ${stack.controlUrl}/send -d '{"address":"bcrt1...","sats":50000}'
    mine a block:    curl -X POST ${stack.controlUrl}/mine -d '{"blocks":1}'
  Devices:           a simulated Ledger and Trezor (test words) appear on the Devices screen
  Data folder:       ${dataDir}

Press Ctrl+C to stop.`);
} catch (err) {
  console.error(`Demo could not start: ${err.message}`);
  stopAll();
  process.exit(1);
}
