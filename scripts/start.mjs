// `npm start`: launch Electron, or browser mode where no Electron binary is installed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const binary = require('electron'); // the package exports the binary's path, and throws when it is missing
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const child = binary
  ? spawn(binary, ['.', ...args], { stdio: 'inherit' })
  : (console.warn('Electron binary not found on this machine: starting browser mode instead.'),
    spawn(process.execPath, ['out/main/headless.js', ...args], { stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
