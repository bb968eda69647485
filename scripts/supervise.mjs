// Runs long-lived child processes side by side (the demo's stack and app) and reports the first
// one that ends on its own, so the others can be stopped instead of serving a dead URL.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import readline from 'node:readline';

/** Grace period before a child that ignores SIGTERM is killed outright. */
const STOP_GRACE_MS = 5000;

/** "the app exited with code 1" / "the stack was killed by SIGKILL". */
export function describeExit({ name, code, signal }) {
  return signal ? `${name} was killed by ${signal}` : `${name} exited with code ${code}`;
}

/**
 * The status to leave with when a child ended on its own: its code, or 128 + signal number as
 * shells report it. A service that stops by itself is a failure even when it says 0.
 */
export function exitStatusFor({ code, signal }) {
  if (signal) return 128 + (constants.signals[signal] ?? 0);
  return code === 0 || code === null ? 1 : code;
}

export function createSupervisor() {
  const children = [];
  let stopping = false;
  let reportExit;
  /** Resolves with { name, code, signal } of the first child that ends while not being stopped. */
  const firstExit = new Promise((resolve) => (reportExit = resolve));

  /**
   * Spawns `command args` and resolves with the JSON after `readyPrefix` on its stdout. Rejects,
   * with the exit on the error (`err.exit`), if the child ends before saying it is ready.
   */
  function start(name, command, args, readyPrefix, options = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
      const entry = { name, child, exited: new Promise((r) => child.once('exit', r)) };
      children.push(entry);
      let ready = false;
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        if (ready || !line.startsWith(readyPrefix)) return;
        try {
          const payload = JSON.parse(line.slice(readyPrefix.length));
          ready = true;
          resolve(payload);
        } catch {
          reject(new Error(`${name} printed an unreadable ready line`));
        }
      });
      child.once('error', (err) => {
        const exit = { name, code: null, signal: null };
        if (!stopping) reportExit(exit);
        reject(Object.assign(new Error(`${name} could not start: ${err.message}`), { exit }));
      });
      child.once('exit', (code, signal) => {
        const exit = { name, code, signal };
        if (!stopping) reportExit(exit);
        if (!ready) reject(Object.assign(new Error(`${describeExit(exit)} before it was ready`), { exit }));
      });
    });
  }

  /** Stops every child still running (SIGTERM, then SIGKILL after a grace period). */
  async function stopAll() {
    stopping = true;
    await Promise.all(
      children.map(async ({ child, exited }) => {
        if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  return { start, stopAll, firstExit };
}
