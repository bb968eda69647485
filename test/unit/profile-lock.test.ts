import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  acquireProfileLock,
  PROFILE_IN_USE_MESSAGE,
  ProfileInUseError,
  profileLockPath,
} from '../../main/core/profile-lock';
import { tempDir } from '../support/core';

const BOOT = () => 'boot-1';
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

function lockFile(): string {
  return profileLockPath({ dataDir: tempDir('flash-lock-'), profile: 'default' });
}

describe('profile lock', () => {
  it('lives beside the profile database', () => {
    expect(profileLockPath({ dataDir: '/data', profile: 'work' })).toBe(
      path.join('/data', 'profiles', 'work', 'flash.lock'),
    );
  });

  it('writes the pid, refuses a second holder while the first is alive, and is free after release', () => {
    const file = lockFile();
    const first = acquireProfileLock(file, { pid: 1001, isAlive: alive([1001, 1002]), bootId: BOOT });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ pid: 1001, bootId: 'boot-1' });
    // No temporary files are left beside it.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['flash.lock']);

    let refused: unknown;
    try {
      acquireProfileLock(file, { pid: 1002, isAlive: alive([1001, 1002]), bootId: BOOT });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ProfileInUseError);
    expect((refused as ProfileInUseError).pid).toBe(1001);
    expect((refused as Error).message).toContain(PROFILE_IN_USE_MESSAGE);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['flash.lock']);

    first.release();
    expect(fs.existsSync(file)).toBe(false);
    const second = acquireProfileLock(file, { pid: 1002, isAlive: alive([1002]), bootId: BOOT });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(1002);
    second.release();
  });

  it('takes over a lock whose process is gone', () => {
    const file = lockFile();
    acquireProfileLock(file, { pid: 2001, isAlive: () => true, bootId: BOOT }); // never released: a crash
    const next = acquireProfileLock(file, { pid: 2002, isAlive: alive([2002]), bootId: BOOT });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(2002);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['flash.lock']);
    next.release();
  });

  it('takes over a lock from before a reboot even if its pid is in use again', () => {
    const file = lockFile();
    acquireProfileLock(file, { pid: 3001, isAlive: () => true, bootId: () => 'boot-old' });
    acquireProfileLock(file, { pid: 3002, isAlive: () => true, bootId: () => 'boot-new' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(3002);
  });

  it('takes over a lock carrying its own pid (a previous run in a container that reuses pids)', () => {
    const file = lockFile();
    acquireProfileLock(file, { pid: 1, isAlive: () => true, bootId: BOOT });
    const again = acquireProfileLock(file, { pid: 1, isAlive: () => true, bootId: BOOT });
    expect(fs.existsSync(file)).toBe(true);
    again.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('takes over an empty or unreadable lock file', () => {
    for (const junk of ['', 'not json', '{"pid":"12"}', '{"pid":-4,"nonce":"x"}']) {
      const file = lockFile();
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, junk);
      acquireProfileLock(file, { pid: 4002, isAlive: () => true, bootId: BOOT }).release();
      expect(fs.existsSync(file), JSON.stringify(junk)).toBe(false);
    }
  });

  it('release never deletes a lock that another process holds now', () => {
    const file = lockFile();
    const old = acquireProfileLock(file, { pid: 5001, isAlive: () => true, bootId: BOOT });
    // 5001 is considered gone by the newcomer, which takes over.
    const current = acquireProfileLock(file, { pid: 5002, isAlive: alive([5002]), bootId: BOOT });
    old.release();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(5002);
    current.release();
    current.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('reports a live process with the real liveness check (this test runner)', () => {
    const file = lockFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, nonce: 'x', bootId: null, startedAt: 0 }));
    expect(() => acquireProfileLock(file, { pid: process.pid + 1 })).toThrow(ProfileInUseError);
  });
});
