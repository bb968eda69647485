import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/logger';
import type { NostrEvent } from '../verify';
import type { Opened } from './open-wrap';
import { createWrapOpener } from './open-wrap';

/** Gift wraps per message to a worker: big enough to amortise the hop, small enough to spread. */
const CHUNK = 64;

export interface UnwrapPool {
  /** Opens every wrap; results in order. */
  open(events: readonly NostrEvent[]): Promise<Opened[]>;
  readonly kind: 'workers' | 'in-thread';
  readonly workers: number;
  close(): Promise<void>;
}

export interface WorkerScript {
  url: URL;
  execArgv: string[];
}

/**
 * Where the worker's code is: beside the built main bundle (electron-vite builds it as its own
 * entry, see electron.vite.config.ts), or, running from source (tests, benches), the TypeScript
 * file through tsx. Null when neither is there: the pool then opens wraps on this thread.
 */
export function findWorkerScript(): WorkerScript | null {
  const candidates = [
    new URL('./nostr-unwrap-worker.js', import.meta.url),
    new URL('../nostr-unwrap-worker.js', import.meta.url),
  ];
  for (const url of candidates) if (fs.existsSync(fileURLToPath(url))) return { url, execArgv: [] };
  const source = new URL('./unwrap-worker.ts', import.meta.url);
  if (fs.existsSync(fileURLToPath(source))) return sourceWorker(source);
  return null;
}

/**
 * A worker running a TypeScript file through tsx (tests, benches). WHY not `--import tsx` in the
 * worker's execArgv: Node 20 does not apply those loader hooks inside the worker, which then
 * failed on the .ts file, and the pool quietly opened everything on the main thread. A small
 * bootstrap registers tsx in the worker first. Null where tsx cannot be found.
 */
export function sourceWorker(file: URL): WorkerScript | null {
  let tsx: string;
  try {
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
  const code = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(file.href)});`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`), execArgv: [] };
}

/**
 * Opens NIP-17 gift wraps on worker threads (two to four, one per core), so a first load of thousands of
 * messages does not freeze the main thread (it answers the UI and writes SQLite meanwhile).
 *
 * WHY worker_threads: they share this process, so the secret key never crosses a process
 * boundary, and they run the same in plain Node (tests, browser mode) and in Electron's main
 * process. In Electron a utility process (utilityProcess.fork) would keep a crash in the crypto
 * away from the main process too; it needs the Electron shell to start it and a message port,
 * so this pool stays the one way until that shell exists to test it.
 */
export function createUnwrapPool(
  secretKey: Uint8Array,
  opts: { workers?: number; script?: WorkerScript | null; log?: Logger } = {},
): UnwrapPool {
  const inThread = createWrapOpener(secretKey);
  const script = opts.script === undefined ? findWorkerScript() : opts.script;
  // WHY at least two, even on two cores: the main thread mostly waits on SQLite and the relays
  // while wraps are opened, and two workers keep both cores busy with the crypto.
  const count = Math.max(0, opts.workers ?? Math.min(4, Math.max(2, os.availableParallelism())));
  const pending = new Map<number, { resolve: (r: Opened[]) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let broken = false;
  const workers: Worker[] = [];
  if (script && count > 0) {
    try {
      for (let i = 0; i < count; i++) {
        const w = new Worker(script.url, { workerData: { secretKey }, execArgv: script.execArgv });
        w.unref();
        w.on('message', (msg: { id: number; results: Opened[] }) => {
          const p = pending.get(msg.id);
          pending.delete(msg.id);
          p?.resolve(msg.results);
        });
        const fail = (err: Error): void => {
          if (broken) return;
          broken = true;
          opts.log?.warn('nostr: unwrap workers failed; opening messages on the main thread', {
            error: err.message,
          });
          for (const p of pending.values()) p.reject(err);
          pending.clear();
        };
        w.on('error', fail);
        w.on('exit', (code) => {
          if (code !== 0) fail(new Error(`unwrap worker exited with ${code}`));
        });
        workers.push(w);
      }
    } catch (err) {
      broken = true;
      opts.log?.warn('nostr: no unwrap workers', { error: err instanceof Error ? err.message : String(err) });
    }
  }
  let turn = 0;
  const onWorker = (events: NostrEvent[]): Promise<Opened[]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const w = workers[turn++ % workers.length] as Worker;
      w.postMessage({ id, events });
    });

  return {
    get kind() {
      return workers.length > 0 && !broken ? 'workers' : 'in-thread';
    },
    get workers() {
      return broken ? 0 : workers.length;
    },
    async open(events) {
      if (workers.length === 0 || broken) return events.map(inThread);
      const chunks: NostrEvent[][] = [];
      for (let i = 0; i < events.length; i += CHUNK) chunks.push(events.slice(i, i + CHUNK));
      try {
        return (await Promise.all(chunks.map(onWorker))).flat();
      } catch {
        // A worker died mid-way: what it held is opened here, nothing is lost.
        return events.map(inThread);
      }
    },
    async close() {
      broken = true;
      for (const p of pending.values()) p.reject(new Error('unwrap pool closed'));
      pending.clear();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
