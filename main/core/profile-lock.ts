import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from './config';
import { profileDatabasePath } from './container';

/** What a second process on a profile tells the user before it exits. */
export const PROFILE_IN_USE_MESSAGE = 'Flash is already running with this profile';
/** Its exit status (1 is any other start-up failure, 2 bad arguments). */
export const EXIT_PROFILE_IN_USE = 3;

export class ProfileInUseError extends Error {
  constructor(
    readonly pid: number,
    readonly lockPath: string,
  ) {
    super(`${PROFILE_IN_USE_MESSAGE} (process ${pid}).`);
    this.name = 'ProfileInUseError';
  }
}

export interface ProfileLock {
  readonly path: string;
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): void;
}

interface LockRecord {
  pid: number;
  /** Tells our lock from a later holder's, so release never deletes someone else's. */
  nonce: string;
  /** Linux boot id: a pid from before a reboot says nothing about the process now using it. */
  bootId: string | null;
  startedAt: number;
}

export interface LockOptions {
  pid?: number;
  isAlive?: (pid: number) => boolean;
  bootId?: () => string | null;
}

/** The lock sits beside the profile's database: one per profile, whichever shell opens it. */
export function profileLockPath(config: Pick<AppConfig, 'dataDir' | 'profile'>): string {
  return path.join(path.dirname(profileDatabasePath(config)), 'flash.lock');
}

/**
 * Takes the profile's lock or throws ProfileInUseError. Two processes on one SQLite profile would
 * race on the same payment journal and vault, so the Electron shell and browser mode both call
 * this before opening anything. A lock left by a process that is gone (crash, SIGKILL, reboot) is
 * taken over.
 */
export function acquireProfileLock(lockPath: string, opts: LockOptions = {}): ProfileLock {
  const isAlive = opts.isAlive ?? processIsAlive;
  const record: LockRecord = {
    pid: opts.pid ?? process.pid,
    nonce: crypto.randomBytes(16).toString('hex'),
    bootId: (opts.bootId ?? currentBootId)(),
    startedAt: Date.now(),
  };
  const text = JSON.stringify(record);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });

  // The record is written whole to a private file (O_EXCL), then hard-linked into place: link
  // fails if the lock exists, and a reader never sees a half-written lock.
  const draft = `${lockPath}.${record.nonce}.tmp`;
  fs.writeFileSync(draft, text, { flag: 'wx', mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        placeLock(draft, lockPath, text);
        return ownedLock(lockPath, record.nonce);
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
      const existing = readText(lockPath);
      if (existing === null) continue; // released meanwhile: try again
      const holder = parseRecord(existing);
      if (holder && !isStale(holder, record, isAlive)) throw new ProfileInUseError(holder.pid, lockPath);
      takeOverStale(lockPath, existing, record.nonce);
    }
    throw new Error(`Could not take the profile lock at ${lockPath}: it keeps changing.`);
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/** Hard link where the file system has them; an exclusive create where it doesn't (FAT, exFAT). */
function placeLock(draft: string, lockPath: string, text: string): void {
  try {
    fs.linkSync(draft, lockPath);
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw err;
    fs.writeFileSync(lockPath, text, { flag: 'wx', mode: 0o600 });
  }
}

function isStale(holder: LockRecord, self: LockRecord, isAlive: (pid: number) => boolean): boolean {
  if (holder.bootId !== null && self.bootId !== null && holder.bootId !== self.bootId) return true;
  // Our own pid in a lock we did not write is a previous run's (containers reuse small pids).
  if (holder.pid === self.pid) return true;
  return !isAlive(holder.pid);
}

/**
 * Moves the stale lock aside (rename is atomic, so only one process gets it) and checks that the
 * file moved is the one judged stale: if another process replaced it in between, it goes back.
 */
function takeOverStale(lockPath: string, judged: string, nonce: string): void {
  const aside = `${lockPath}.${nonce}.stale`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return;
    throw err;
  }
  if (readText(aside) !== judged) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // A third process took the lock meanwhile; it holds it now.
    }
  }
  fs.rmSync(aside, { force: true });
}

function ownedLock(lockPath: string, nonce: string): ProfileLock {
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      const current = readText(lockPath);
      if (current !== null && parseRecord(current)?.nonce === nonce) fs.rmSync(lockPath, { force: true });
    },
  };
}

function parseRecord(text: string): LockRecord | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const v = value as Record<string, unknown>;
    if (typeof v.pid !== 'number' || !Number.isInteger(v.pid) || v.pid <= 0) return null;
    if (typeof v.nonce !== 'string') return null;
    return {
      pid: v.pid,
      nonce: v.nonce,
      bootId: typeof v.bootId === 'string' ? v.bootId : null,
      startedAt: typeof v.startedAt === 'number' ? v.startedAt : 0,
    };
  } catch {
    // Not written by this module (we write whole records): nobody can be holding it.
    return null;
  }
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(err) === 'EPERM';
  }
}

function currentBootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    throw err;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}
