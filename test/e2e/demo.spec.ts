import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * Issue 10 §1: `npm run demo` runs the regtest stack and the app side by side. When one of them
 * dies, the demo must say which and how, stop the other, and exit non-zero, instead of leaving a
 * newcomer staring at a dead URL.
 */

interface RunningDemo {
  demo: ChildProcess;
  output: () => string;
  appUrl: string;
  controlUrl: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** pid of the demo's child whose command line contains `marker`. */
  childPid(marker: string): number;
}

const started: ChildProcess[] = [];
test.afterEach(async () => {
  // A failed check must not leave a demo (and its stack and app) running: SIGTERM stops all three.
  for (const demo of started.splice(0)) {
    if (demo.exitCode !== null || demo.signalCode !== null) continue;
    demo.kill('SIGTERM');
    await new Promise((r) => demo.once('exit', r));
  }
});

async function startDemo(): Promise<RunningDemo> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-demo-'));
  const demo = spawn(process.execPath, ['scripts/demo.mjs'], {
    env: { ...process.env, FLASH_DEMO_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(demo);
  let text = '';
  demo.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  demo.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    demo.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await expect.poll(() => text, { timeout: 90_000 }).toContain('Press Ctrl+C to stop.');
  return {
    demo,
    output: () => text,
    appUrl: /Open the wallet:\s+(\S+)/.exec(text)![1]!,
    controlUrl: /Stack control:\s+(\S+)/.exec(text)![1]!,
    exited,
    childPid(marker) {
      const rows = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(demo.pid)]).toString();
      const row = rows.split('\n').find((r) => r.includes(marker));
      if (!row) throw new Error(`no child running ${marker}:\n${rows}`);
      return Number(row.trim().split(/\s+/)[0]);
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) });
    return true;
  } catch {
    return false;
  }
}

test('when the app dies, the demo says so, stops the stack and exits non-zero', async ({ page }) => {
  const run = await startDemo();
  await page.goto(run.appUrl);
  await expect(page.getByRole('heading', { name: 'Welcome to Flash' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/demo--running.png' });
  expect(await answers(`${run.controlUrl}/info`)).toBe(true);

  process.kill(run.childPid('out/main/headless.js'), 'SIGKILL');

  expect(await run.exited).toEqual({ code: 137, signal: null });
  expect(run.output()).toContain(
    'Demo stopped: the app (browser mode, out/main/headless.js) was killed by SIGKILL. The other part was stopped too.',
  );
  expect(await answers(`${run.controlUrl}/info`)).toBe(false);
});

test('when the stack dies, the demo says so, stops the app and exits non-zero', async () => {
  const run = await startDemo();
  expect(await answers(run.appUrl)).toBe(true);

  process.kill(run.childPid('test/stack/cli.ts'), 'SIGKILL');

  expect(await run.exited).toEqual({ code: 137, signal: null });
  expect(run.output()).toContain(
    'Demo stopped: the regtest stack (test/stack/cli.ts) was killed by SIGKILL. The other part was stopped too.',
  );
  expect(await answers(run.appUrl)).toBe(false);
});
