import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/core';
import {
  bridgeCall,
  collectStderr,
  readyOrExit,
  spawnBrowserMode,
  startBrowserMode,
  type BrowserModeProcess,
} from '../support/browser-mode';

/** Issue 10 §5: one app per profile. Real browser-mode processes, one data folder. */
const running: BrowserModeProcess[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
});

const lockOf = (dataDir: string) => path.join(dataDir, 'profiles', 'default', 'flash.lock');

describe('one app per profile', () => {
  it('a second process on the same profile says so and exits non-zero; the first keeps working', async () => {
    const dataDir = tempDir('flash-profile-');
    const first = await startBrowserMode(dataDir);
    running.push(first);

    const second = spawnBrowserMode(dataDir);
    const stderr = collectStderr(second);
    const outcome = await readyOrExit(second);
    if (outcome.ready) second.kill('SIGKILL');
    expect(outcome).toMatchObject({ ready: false, signal: null });
    expect(outcome.ready === false && outcome.code).toBeGreaterThan(0);
    expect(stderr()).toContain('Flash is already running with this profile');
    expect(stderr()).toContain(`process ${first.child.pid}`);

    expect(JSON.parse(fs.readFileSync(lockOf(dataDir), 'utf8')).pid).toBe(first.child.pid);
    expect(await bridgeCall(first.port, first.token, 'app.getInfo')).toMatchObject({ ok: true });
    // Another profile in the same folder is a different wallet, and may run beside it.
    const other = await startBrowserMode(dataDir, ['--profile', 'work']);
    running.push(other);
    expect(await bridgeCall(other.port, other.token, 'app.getInfo')).toMatchObject({
      ok: true,
      value: { profile: 'work' },
    });
  });

  it('removes the lock on a clean exit', async () => {
    const dataDir = tempDir('flash-profile-');
    const app = await startBrowserMode(dataDir);
    expect(fs.existsSync(lockOf(dataDir))).toBe(true);
    app.child.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(lockOf(dataDir))).toBe(false);
  });

  it('takes over the lock of a process that was killed', async () => {
    const dataDir = tempDir('flash-profile-');
    const crashed = await startBrowserMode(dataDir);
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    // The dead process's lock is still there: nothing could remove it.
    expect(JSON.parse(fs.readFileSync(lockOf(dataDir), 'utf8')).pid).toBe(crashed.child.pid);

    const next = await startBrowserMode(dataDir);
    running.push(next);
    expect(JSON.parse(fs.readFileSync(lockOf(dataDir), 'utf8')).pid).toBe(next.child.pid);
    expect(await bridgeCall(next.port, next.token, 'app.getInfo')).toMatchObject({ ok: true });
  });
});
