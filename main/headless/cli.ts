import path from 'node:path';
import pkg from '../../package.json';
import { DEFAULT_KDF } from '../core/config';
import { createFlashCore } from '../core/container';
import { createLogger } from '../core/logger';
import { defaultDataDir } from '../core/paths';
import {
  acquireProfileLock,
  EXIT_PROFILE_IN_USE,
  PROFILE_IN_USE_MESSAGE,
  ProfileInUseError,
  profileLockPath,
  type ProfileLock,
} from '../core/profile-lock';
import { ArgsError, parseHeadlessArgs, USAGE } from './args';
import { startWsBridge, type WsBridgeServer } from './ws-bridge';

/** Browser mode: the same main services in plain Node, with the renderer served on loopback. */
async function main(): Promise<void> {
  let args;
  try {
    args = parseHeadlessArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ArgsError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw err;
  }
  const dataDir = path.resolve(args.dataDir ?? defaultDataDir());
  const lock = takeProfileLock(dataDir, args.profile);
  process.on('exit', () => lock.release());

  // Signal handlers go in before anything is announced: a supervisor may stop us the moment it
  // reads FLASH_READY, and without a handler SIGTERM would end the process on the spot.
  let bridge: WsBridgeServer | null = null;
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await bridge?.close();
    core.stop();
    lock.release();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  const log = createLogger({ file: path.join(dataDir, 'logs', 'main.log') });
  const core = createFlashCore(
    {
      mode: 'browser',
      version: pkg.version,
      dataDir,
      profile: args.profile,
      defaultNetwork: args.network,
      electrumOverride: args.electrum,
      kdf: DEFAULT_KDF,
      nostrRelays: args.nostrRelays,
      simulatedDevices: args.simulatedDevices,
      breezStandIn: args.breezStandIn,
      simulatedNfc: args.simulatedNfc,
    },
    log,
  );
  core.start();
  bridge = await startWsBridge({
    dispatcher: core.dispatcher,
    bus: core.bus,
    log: log.child('bridge'),
    rendererDir: path.join(import.meta.dirname, '../renderer'),
    port: args.port,
  });
  process.stdout.write(
    [
      `Flash ${pkg.version} is running in browser mode (${args.network}).`,
      `Data folder: ${dataDir}`,
      core.storeProblem ? `Warning: ${core.storeProblem.message}` : null,
      `Open this address in your browser (it contains a one-time token):`,
      `  ${bridge.url}`,
      `FLASH_READY ${JSON.stringify({ url: bridge.url, port: bridge.port })}`,
      '',
    ]
      .filter((l) => l !== null)
      .join('\n'),
  );
}

/** A second process on the profile says so and leaves before it opens the database. */
function takeProfileLock(dataDir: string, profile: string): ProfileLock {
  try {
    return acquireProfileLock(profileLockPath({ dataDir, profile }));
  } catch (err) {
    if (!(err instanceof ProfileInUseError)) throw err;
    process.stderr.write(
      `${PROFILE_IN_USE_MESSAGE} (process ${err.pid}, data folder ${dataDir}, profile "${profile}").\n` +
        `Close it first, or start this one with another --data-dir or --profile.\n`,
    );
    process.exit(EXIT_PROFILE_IN_USE);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Flash could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
