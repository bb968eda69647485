import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import WebSocket from 'ws';
import type { WireResponse } from '../../shared/bridge';
import type { Result } from '../../shared/errors';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BrowserModeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/**
 * Runs the real browser-mode entry (main/headless/cli.ts, through tsx so no build is needed) as
 * its own process, on regtest, with Electrum pointed at the discard port so nothing leaves.
 */
export function spawnBrowserMode(dataDir: string, extraArgs: string[] = []): ChildProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'main/headless/cli.ts',
      '--network',
      'regtest',
      '--data-dir',
      dataDir,
      '--electrum',
      '127.0.0.1:9:t',
      '--nostr-relays',
      'ws://127.0.0.1:9',
      ...extraArgs,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode });
      return;
    }
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

export function collectStderr(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

/** Whichever comes first: the process says it is ready, or it exits. */
export function readyOrExit(
  child: ChildProcess,
): Promise<{ ready: true } | { ready: false; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('FLASH_READY ')) resolve({ ready: true });
    });
    void exitOf(child).then((exit) => resolve({ ready: false, ...exit }));
  });
}

/** Starts browser mode and waits for its FLASH_READY line. */
export async function startBrowserMode(
  dataDir: string,
  extraArgs: string[] = [],
): Promise<BrowserModeProcess> {
  const child = spawnBrowserMode(dataDir, extraArgs);
  const stderr = collectStderr(child);
  const exited = exitOf(child);
  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('FLASH_READY ')) resolve(JSON.parse(line.slice('FLASH_READY '.length)));
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`browser mode exited (${code ?? signal}) before it was ready: ${stderr()}`)),
    );
  });
  const token = new URL(ready.url).hash.replace(/^#token=/, '');
  return {
    child,
    port: ready.port,
    token,
    stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One bridge call over a fresh WebSocket, as the page makes it. */
export async function bridgeCall(
  port: number,
  token: string,
  method: string,
  input: unknown = {},
): Promise<Result<unknown>> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge?token=${token}`, {
    origin: `http://127.0.0.1:${port}`,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    return await new Promise<Result<unknown>>((resolve, reject) => {
      ws.once('message', (data) => resolve((JSON.parse(data.toString()) as WireResponse).result));
      ws.once('close', () => reject(new Error('bridge closed before answering')));
      ws.send(JSON.stringify({ id: 1, method, input }));
    });
  } finally {
    ws.terminate();
  }
}
