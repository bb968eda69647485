import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import readline from 'node:readline';
import { expect, test } from '@playwright/test';

/**
 * `npm start` (scripts/start.mjs) where no Electron binary exists starts browser mode. Issue 10:
 * a second one on the same profile says so and exits non-zero, and a browser mode that dies is
 * reported as a failure, not as a clean exit.
 */
const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');
const electronInstalled =
  fs.existsSync(pathFile) && fs.existsSync(path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8')));
// Where an Electron binary is installed, npm start opens Electron instead (it needs a display).
test.skip(electronInstalled, 'npm start opens Electron on this machine, not browser mode');

const started: ChildProcess[] = [];
test.afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

function npmStart(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['scripts/start.mjs', '--network', 'regtest', '--data-dir', dataDir, '--electrum', '127.0.0.1:9:t'],
    { env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  started.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<{ url: string }>((resolve) =>
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('FLASH_READY ')) resolve(JSON.parse(line.slice('FLASH_READY '.length)));
    }),
  );
  return { child, exited, ready, stderr: () => stderr };
}

test('a second npm start on the same profile says Flash is already running and exits non-zero', async ({
  page,
}) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-start-'));
  const first = npmStart(dataDir);
  const { url } = await first.ready;

  const second = npmStart(dataDir);
  const outcome = await Promise.race([second.exited, second.ready.then(() => 'started' as const)]);
  expect(outcome).toEqual({ code: 3, signal: null });
  expect(second.stderr()).toContain('Flash is already running with this profile');

  // The first one is untouched.
  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Welcome to Flash' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/start--first-still-running.png' });
});

test('npm start reports browser mode killed by a signal as a failure', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-start-'));
  const app = npmStart(dataDir);
  await app.ready;
  const rows = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(app.child.pid)]).toString();
  const browserMode = rows.split('\n').find((r) => r.includes('out/main/headless.js'));
  expect(browserMode, rows).toBeDefined();
  process.kill(Number(browserMode!.trim().split(/\s+/)[0]), 'SIGKILL');
  expect(await app.exited).toEqual({ code: 137, signal: null });
});
