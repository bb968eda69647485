// `npm run demo`: the local regtest stack plus the app pointed at it, for a newcomer with no internet.
// If either one ends, the demo stops the other and exits with its status, saying which and how.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createSupervisor, describeExit, exitStatusFor } from './supervise.mjs';

const STACK = 'the regtest stack (test/stack/cli.ts)';
const APP = 'the app (browser mode, out/main/headless.js)';

const dataDir = path.resolve(process.env.FLASH_DEMO_DIR ?? '.data/demo');
mkdirSync(dataDir, { recursive: true });
const supervisor = createSupervisor();

let leaving = false;
async function leave(status, message) {
  if (leaving) return;
  leaving = true;
  if (message) console.error(message);
  await supervisor.stopAll();
  process.exit(status);
}
// Ctrl+C: a normal way to end the demo, not an error of a child.
process.on('SIGINT', () => void leave(130));
process.on('SIGTERM', () => void leave(143));

void supervisor.firstExit.then((exit) =>
  leave(exitStatusFor(exit), `Demo stopped: ${describeExit(exit)}. The other part was stopped too.`),
);

try {
  const stack = await supervisor.start(
    STACK,
    process.execPath,
    ['--import', 'tsx', 'test/stack/cli.ts'],
    'STACK_READY ',
  );
  const electrum = `${stack.electrum.host}:${stack.electrum.port}:t`;
  const app = await supervisor.start(
    APP,
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
      // The demo is regtest on this machine only: the Devices screen offers simulated devices,
      // and Flash Cards use the stack's simulated NFC reader.
      '--simulated-devices',
      '--simulated-nfc',
      stack.nfc,
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
  Flash Cards:       a simulated NFC reader with a blank card (Merchant → Store settings → Flash Cards)
    new blank card:  curl -X POST ${stack.controlUrl}/nfc/card -d '{}'
    replay a tap:    curl -X POST ${stack.controlUrl}/nfc/replay
  Data folder:       ${dataDir}

Press Ctrl+C to stop.`);
} catch (err) {
  await leave(err.exit ? exitStatusFor(err.exit) : 1, `Demo could not start: ${err.message}`);
}
