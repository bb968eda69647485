import { spawn } from 'node:child_process';
import readline from 'node:readline';

/**
 * One life of an app child process for a crash harness: spawned with `tsx`, talking JSON lines
 * on stdout, waiting for "go" on stdin after it reports `ready` (so the parent can compare state
 * while nothing moves), and SIGKILLed after `killAfterMs` when no kill point is set. The child
 * exits when its stdin closes, so no orphan survives the parent.
 */
export interface Life {
  killed: boolean;
  exitCode: number | null;
  lines: Record<string, unknown>[];
}

export function runLife(opts: {
  script: string;
  env: Record<string, string>;
  killAfterMs?: number;
  onReady?: (ready: Record<string, unknown>) => void | Promise<void>;
}): Promise<Life> {
  const child = spawn(process.execPath, ['--import', 'tsx', opts.script], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  let timer: NodeJS.Timeout | null = null;
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    if ('ready' in line) {
      void Promise.resolve(opts.onReady?.(line['ready'] as Record<string, unknown>)).finally(() => {
        child.stdin.write('go\n');
        // The random kill clock starts when the life starts working, not while it recovers.
        if (opts.killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
      });
    }
  });
  child.stdin.on('error', () => {});
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0 && stderr) lines.push({ stderr });
      resolve({ killed: signal === 'SIGKILL', exitCode: code, lines });
    });
  });
}

/** Counts hits of named kill points; SIGKILLs this process at the chosen "<point>:<n>". */
export function killSwitch(spec: string | undefined): (at: string) => void {
  const [point, nth] = (spec ?? '').split(':');
  const target = Number(nth);
  let hits = 0;
  return (at) => {
    if (at !== point) return;
    hits++;
    if (hits === target) process.kill(process.pid, 'SIGKILL');
  };
}
