import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { test as base, _electron as electron, type Page } from '@playwright/test';
import { startStack, type Stack } from '../stack';

export interface FlashApp {
  page: Page;
  dataDir: string;
  /** Every bridge frame the page sent or received (browser mode), for secret scans. */
  bridgeFrames: string[];
  /** Saves a screenshot under test-results/screens/<name>.png. */
  snap(name: string): Promise<void>;
}

const SCREEN_DIR = path.resolve('test-results/screens');

const require = createRequire(import.meta.url);

/** The installed Electron binary, if any; never triggers the electron package's auto-download. */
function electronBinary(): string | null {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  return fs.existsSync(binary) ? binary : null;
}

async function startBrowserMode(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['out/main/headless.js', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('FLASH_READY ')) resolve((JSON.parse(line.slice(12)) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`browser mode exited with ${code}`)));
  });
  return { child, url };
}

export const test = base.extend<{
  stack: Stack;
  flash: FlashApp;
  /**
   * Starts one more browser-mode instance with its own data folder against the same stack (for
   * multi-user stories such as Messages). `name` prefixes its screenshots; all close at the end.
   */
  launchFlash: (name: string) => Promise<FlashApp>;
  /** Bytes planted as the profile's database before the app starts, e.g. a damaged file. */
  plantedDatabase: string | null;
  /**
   * Extra browser-mode flags for the `flash` fixture, e.g. ['--simulated-devices'];
   * `{controlUrl}` in one is replaced by the stack's control URL (['--breez-stand-in', '{controlUrl}']),
   * `{nfcUrl}` by its simulated NFC reader's (['--simulated-nfc', '{nfcUrl}']).
   */
  extraArgs: string[];
}>({
  plantedDatabase: [null, { option: true }],
  extraArgs: [[], { option: true }],
  // Playwright requires a destructuring pattern here even when no fixture is used.
  // eslint-disable-next-line no-empty-pattern
  stack: async ({}, use) => {
    const stack = await startStack();
    await use(stack);
    await stack.stop();
  },
  flash: async ({ stack, browser, plantedDatabase, extraArgs }, use, testInfo) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-e2e-'));
    if (plantedDatabase !== null) {
      fs.mkdirSync(path.join(dataDir, 'profiles', 'default'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'profiles', 'default', 'flash.db'), plantedDatabase);
    }
    const electrum = `${stack.electrum.host}:${stack.electrum.port}:t`;
    const bridgeFrames: string[] = [];
    fs.mkdirSync(SCREEN_DIR, { recursive: true });
    let page: Page;
    let cleanup: () => Promise<void>;
    const target = process.env['E2E_TARGET'] ?? 'browser';
    if (target === 'electron') {
      const executablePath = electronBinary();
      if (!executablePath) throw new Error('E2E_TARGET=electron but no Electron binary is installed here');
      const app = await electron.launch({
        executablePath,
        args: ['out/main/index.js', '--network=regtest', `--electrum=${electrum}`, `--data-dir=${dataDir}`],
      });
      page = await app.firstWindow();
      cleanup = () => app.close();
    } else {
      const { child, url } = await startBrowserMode([
        '--network',
        'regtest',
        '--data-dir',
        dataDir,
        '--electrum',
        electrum,
        '--nostr-relays',
        stack.relays.join(','),
        ...extraArgs.map((arg) =>
          arg.replace('{controlUrl}', stack.controlUrl).replace('{nfcUrl}', stack.nfc.url),
        ),
      ]);
      const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
      page = await context.newPage();
      page.on('websocket', (ws) => {
        ws.on('framesent', (f) => bridgeFrames.push(String(f.payload)));
        ws.on('framereceived', (f) => bridgeFrames.push(String(f.payload)));
      });
      await page.goto(url);
      cleanup = async () => {
        await context.close();
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      };
    }
    const prefix = testInfo.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await use({
      page,
      dataDir,
      bridgeFrames,
      snap: async (name) => {
        await page.screenshot({ path: path.join(SCREEN_DIR, `${prefix}--${name}.png`), fullPage: true });
      },
    });
    await cleanup();
  },
  launchFlash: async ({ stack, browser }, use, testInfo) => {
    const cleanups: (() => Promise<void>)[] = [];
    const prefix = testInfo.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    fs.mkdirSync(SCREEN_DIR, { recursive: true });
    await use(async (name) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `flash-e2e-${name}-`));
      const { child, url } = await startBrowserMode([
        '--network',
        'regtest',
        '--data-dir',
        dataDir,
        '--electrum',
        `${stack.electrum.host}:${stack.electrum.port}:t`,
        '--nostr-relays',
        stack.relays.join(','),
      ]);
      const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
      const page = await context.newPage();
      const bridgeFrames: string[] = [];
      page.on('websocket', (ws) => {
        ws.on('framesent', (f) => bridgeFrames.push(String(f.payload)));
        ws.on('framereceived', (f) => bridgeFrames.push(String(f.payload)));
      });
      cleanups.push(async () => {
        await context.close();
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        }
      });
      await page.goto(url);
      return {
        page,
        dataDir,
        bridgeFrames,
        snap: async (shot) => {
          await page.screenshot({
            path: path.join(SCREEN_DIR, `${prefix}--${name}-${shot}.png`),
            fullPage: true,
          });
        },
      };
    });
    for (const cleanup of cleanups.reverse()) await cleanup();
  },
});

export { expect } from '@playwright/test';
