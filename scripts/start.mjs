// `npm start`: launch Electron, or browser mode where no Electron binary can be had.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const electronDir = path.dirname(require.resolve('electron/package.json'));

/** The installed binary, found the way the electron package does, without its noisy auto-download. */
function installedBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

function electronBinary() {
  const found = installedBinary();
  if (found || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return found;
  // First run after `npm install`: fetch the binary once (quietly; it fails fast with no internet).
  spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
    stdio: 'ignore',
    timeout: 10 * 60_000,
  });
  return installedBinary();
}

/** Chromium treats `--flag value` as a switch and a stray argument, so Electron gets `--flag=value`. */
function asSwitches(list) {
  const out = [];
  for (let i = 0; i < list.length; i++) {
    const next = list[i + 1];
    if (list[i].startsWith('--') && !list[i].includes('=') && next !== undefined && !next.startsWith('--')) {
      out.push(`${list[i]}=${next}`);
      i++;
    } else out.push(list[i]);
  }
  return out;
}

const binary = electronBinary();
const child = binary
  ? spawn(binary, ['.', ...asSwitches(args)], { stdio: 'inherit' })
  : (console.warn(
      'No Electron binary on this machine (it could not be downloaded): starting browser mode instead.',
    ),
    spawn(process.execPath, ['out/main/headless.js', ...args], { stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
// A child killed by a signal has no exit code: report it as shells do (128 + signal), never as 0.
child.on('exit', (code, signal) =>
  process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1)),
);
