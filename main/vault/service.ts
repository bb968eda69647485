import type { VaultState, VaultStatus } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { KdfParams } from '../core/config';
import {
  DATA_KEY_AAD,
  KEY_BYTES,
  SALT_BYTES,
  kdfParamsProblem,
  open,
  randomKey,
  randomSalt,
  scryptKey,
  seal,
  secretAad,
} from './crypto';
import { retryAfterMs } from './rate-limit';
import type { VaultHeader } from './repository';
import { AUTO_LOCK_SETTING, VAULT_FORMAT, createVaultRepository } from './repository';
import type { TimerHandle, VaultDeps, VaultService } from './types';

export const DEFAULT_AUTO_LOCK_MINUTES = 15;
export const MAX_AUTO_LOCK_MINUTES = 24 * 60;
export const MIN_PASSWORD_LENGTH = 8;
const MAX_SECRET_NAME_LENGTH = 256;

/**
 * The vault: one password-derived key wraps a random data key; the data key seals each secret.
 *
 * - Password attempts (setup, unlock, verifyPassword, changePassword) run one at a time, so two
 *   parallel guesses cannot both slip past the rate limit.
 * - While unlocked, the data key and the secrets read so far live in memory; lock() overwrites
 *   them with zeros. Copies handed to callers are theirs to drop (onLock tells them when).
 * - Auto-lock: a timer fires after `autoLockMinutes` without touch(); in addition, every call
 *   compares the wall clock with the last activity, because timers stop counting while the
 *   computer sleeps and the vault must not stay open after a long suspend.
 */
export function createVaultService(deps: VaultDeps): VaultService {
  const { db, bus } = deps;
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const setTimer =
    deps.setTimer ??
    ((fn: () => void, ms: number): TimerHandle => {
      const t = setTimeout(fn, ms);
      t.unref();
      return t;
    });
  const clearTimer =
    deps.clearTimer ?? ((h: TimerHandle) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const deriveKey = deps.deriveKey ?? scryptKey;
  const kdfProblem = kdfParamsProblem(deps.kdf);
  if (kdfProblem) throw new FlashError('INTERNAL', `Bad vault KDF parameters: ${kdfProblem}`);
  const newParams: KdfParams = { N: deps.kdf.N, r: deps.kdf.r, p: deps.kdf.p };

  const repo = createVaultRepository(db);
  let setUp = repo.exists();
  let dataKey: Uint8Array | null = null;
  /** Plain secrets read or written while unlocked; zeroed on lock. */
  const cache = new Map<string, Uint8Array>();
  let autoLockMinutes = readAutoLock();
  let lastActivity = 0;
  let timer: TimerHandle | null = null;
  const lockListeners = new Set<() => void>();
  const unlockListeners = new Set<() => void>();
  let queue: Promise<unknown> = Promise.resolve();

  function readAutoLock(): number {
    const raw = repo.readSetting(AUTO_LOCK_SETTING);
    if (raw === null) return DEFAULT_AUTO_LOCK_MINUTES;
    try {
      const value: unknown = JSON.parse(raw);
      if (isAutoLockMinutes(value)) return value;
    } catch {
      // fall through
    }
    log.warn('ignoring a bad stored auto-lock value; using the default');
    return DEFAULT_AUTO_LOCK_MINUTES;
  }

  /** Runs password work one call at a time, in call order. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  function state(): VaultState {
    if (dataKey) return 'unlocked';
    return setUp ? 'locked' : 'uninitialized';
  }

  function snapshot(): VaultStatus {
    const a = repo.attempts();
    return {
      state: state(),
      autoLockMinutes,
      failedAttempts: a.failedAttempts,
      retryAfterMs: retryAfterMs(a.failedAttempts, a.lastFailureAt, now()),
    };
  }

  function emitStatus(): void {
    bus.emit('vault.status', snapshot());
  }

  function notify(listeners: Set<() => void>, what: string): void {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (err) {
        log.error(`${what} listener failed`, { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  // --- auto-lock -------------------------------------------------------------------------------

  function idleLimitMs(): number {
    return autoLockMinutes * 60_000;
  }

  function cancelTimer(): void {
    if (timer !== null) {
      clearTimer(timer);
      timer = null;
    }
  }

  function schedule(): void {
    cancelTimer();
    if (!dataKey || autoLockMinutes === 0) return;
    timer = setTimer(() => {
      timer = null;
      if (dataKey) lockNow('idle');
    }, idleLimitMs());
  }

  /** Locks if the wall clock says the idle limit has passed (e.g. after the computer slept). */
  function checkIdle(): void {
    if (dataKey && autoLockMinutes > 0 && now() - lastActivity >= idleLimitMs()) lockNow('idle');
  }

  function markActivity(): void {
    lastActivity = now();
    schedule();
  }

  // --- lock / unlock ---------------------------------------------------------------------------

  function wipe(): boolean {
    cancelTimer();
    const wasUnlocked = dataKey !== null;
    dataKey?.fill(0);
    dataKey = null;
    for (const value of cache.values()) value.fill(0);
    cache.clear();
    return wasUnlocked;
  }

  function lockNow(reason: 'manual' | 'idle'): void {
    if (!wipe()) return;
    log.info('vault locked', { reason });
    emitStatus();
    notify(lockListeners, 'onLock');
  }

  function activate(key: Uint8Array): void {
    wipe();
    dataKey = key;
    markActivity();
    emitStatus();
    notify(unlockListeners, 'onUnlock');
  }

  function requireUnlocked(): Uint8Array {
    checkIdle();
    if (dataKey) return dataKey;
    if (!setUp) throw new FlashError('VAULT_NOT_SET_UP', 'The vault has not been set up yet.');
    throw new FlashError('VAULT_LOCKED', 'The vault is locked.');
  }

  function requireHeader(): VaultHeader {
    const header = setUp ? repo.header() : null;
    if (!header) throw new FlashError('VAULT_NOT_SET_UP', 'The vault has not been set up yet.');
    const problem =
      header.format !== VAULT_FORMAT
        ? `unknown format ${header.format}`
        : header.kdf !== 'scrypt'
          ? `unknown KDF ${header.kdf}`
          : header.salt.length !== SALT_BYTES
            ? 'bad salt'
            : kdfParamsProblem(header.params);
    if (problem) throw new FlashError('STORE_CORRUPT', `The vault header is damaged: ${problem}.`);
    return header;
  }

  function requirePassword(password: unknown, label = 'password'): asserts password is string {
    if (typeof password !== 'string') throw new FlashError('BAD_INPUT', `The ${label} must be a string.`);
  }

  function requireStrong(password: string): void {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new FlashError(
        'VAULT_WEAK_PASSWORD',
        `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
        { minLength: MIN_PASSWORD_LENGTH },
      );
    }
  }

  /**
   * Checks a password against the stored wrapped key, under the rate limit, and returns the
   * unwrapped data key (the caller owns it and must zero it). Must run inside serial().
   */
  async function unwrapWithPassword(password: string): Promise<Uint8Array> {
    const header = requireHeader();
    const wait = retryAfterMs(header.failedAttempts, header.lastFailureAt, now());
    if (wait > 0) {
      throw new FlashError(
        'VAULT_RATE_LIMITED',
        `Too many wrong passwords. Try again in ${Math.ceil(wait / 1000)} s.`,
        { retryAfterMs: wait, failedAttempts: header.failedAttempts },
      );
    }
    const passwordKey = await deriveKey(password, header.salt, header.params);
    let key: Uint8Array | null = null;
    try {
      key = open(passwordKey, header.wrapped, DATA_KEY_AAD);
    } catch {
      key = null;
    } finally {
      passwordKey.fill(0);
    }
    if (!key || key.length !== KEY_BYTES) {
      key?.fill(0);
      const a = repo.recordFailure(now());
      const retry = retryAfterMs(a.failedAttempts, a.lastFailureAt, now());
      log.warn('wrong password', { failedAttempts: a.failedAttempts, retryAfterMs: retry });
      emitStatus();
      throw new FlashError('VAULT_WRONG_PASSWORD', 'Wrong password.', {
        failedAttempts: a.failedAttempts,
        retryAfterMs: retry,
      });
    }
    if (header.failedAttempts > 0) repo.resetFailures();
    return key;
  }

  /**
   * Runs a write with SQLite's secure_delete on, so that replaced or deleted vault rows (old
   * wrapped keys, old ciphertexts) are overwritten with zeros rather than left in free pages; with
   * `checkpoint`, also folds the WAL into the main file and truncates it, so no old copy survives
   * in the -wal file either.
   */
  function secureWrite(fn: () => void, checkpoint: boolean): void {
    const before = Number(db.pragma('secure_delete', { simple: true }));
    db.pragma('secure_delete = ON');
    try {
      fn();
    } finally {
      db.pragma(`secure_delete = ${before === 2 ? 'FAST' : before ? 'ON' : 'OFF'}`);
    }
    if (checkpoint && !db.inTransaction) {
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (err) {
        log.warn('WAL checkpoint after a vault change failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  function requireName(name: unknown): asserts name is string {
    if (typeof name !== 'string' || name.length === 0 || name.length > MAX_SECRET_NAME_LENGTH) {
      throw new FlashError('BAD_INPUT', `A secret name must be 1..${MAX_SECRET_NAME_LENGTH} characters.`);
    }
  }

  function undecryptable(name: string): FlashError {
    return new FlashError(
      'STORE_CORRUPT',
      `The vault secret "${name}" cannot be decrypted: its record was altered or moved from another name.`,
      { name },
    );
  }

  // --- the service -----------------------------------------------------------------------------

  const service: VaultService = {
    status() {
      checkIdle();
      return snapshot();
    },

    setup(password) {
      return serial(async () => {
        requirePassword(password);
        if (setUp) throw new FlashError('VAULT_ALREADY_SET_UP', 'The vault is already set up.');
        requireStrong(password);
        const salt = randomSalt();
        const passwordKey = await deriveKey(password, salt, newParams);
        const key = randomKey();
        try {
          const wrapped = seal(passwordKey, key, DATA_KEY_AAD);
          repo.create({ params: newParams, salt, wrapped }, now());
        } catch (err) {
          key.fill(0);
          throw err;
        } finally {
          passwordKey.fill(0);
        }
        setUp = true;
        log.info('vault set up', { N: newParams.N, r: newParams.r, p: newParams.p });
        activate(key);
        return snapshot();
      });
    },

    unlock(password) {
      return serial(async () => {
        requirePassword(password);
        const key = await unwrapWithPassword(password);
        checkIdle();
        if (dataKey) {
          // Already open: the password was checked (and counted), nothing else changes.
          key.fill(0);
          markActivity();
          return snapshot();
        }
        log.info('vault unlocked');
        activate(key);
        return snapshot();
      });
    },

    lock() {
      lockNow('manual');
      return snapshot();
    },

    touch() {
      checkIdle();
      if (dataKey) markActivity();
    },

    verifyPassword(password) {
      return serial(async () => {
        requirePassword(password);
        const hadFailures = repo.attempts().failedAttempts > 0;
        const key = await unwrapWithPassword(password);
        key.fill(0);
        if (hadFailures) emitStatus();
      });
    },

    changePassword(current, next) {
      return serial(async () => {
        requirePassword(current, 'current password');
        requirePassword(next, 'new password');
        requireHeader();
        requireStrong(next);
        const oldKey = await unwrapWithPassword(current);
        const salt = randomSalt();
        let passwordKey: Uint8Array;
        try {
          passwordKey = await deriveKey(next, salt, newParams);
        } catch (err) {
          oldKey.fill(0);
          throw err;
        }
        const newKey = randomKey();
        try {
          const wrapped = seal(passwordKey, newKey, DATA_KEY_AAD);
          const t = now();
          // One transaction: after a crash the file holds either the old key and old ciphertexts
          // or the new key and new ciphertexts, never a mix.
          secureWrite(
            () =>
              db.transaction(() => {
                for (const row of repo.allSecrets()) {
                  let plain: Uint8Array;
                  try {
                    plain = open(oldKey, row, secretAad(row.name));
                  } catch {
                    throw undecryptable(row.name);
                  }
                  const sealed = seal(newKey, plain, secretAad(row.name));
                  plain.fill(0);
                  repo.putSecret(row.name, sealed, t);
                }
                repo.replaceKey({ params: newParams, salt, wrapped }, t);
              })(),
            true,
          );
        } catch (err) {
          newKey.fill(0);
          throw err;
        } finally {
          passwordKey.fill(0);
          oldKey.fill(0);
        }
        if (dataKey) {
          dataKey.fill(0);
          dataKey = newKey;
          markActivity();
        } else {
          newKey.fill(0);
        }
        log.info('vault password changed', { N: newParams.N, r: newParams.r, p: newParams.p });
        emitStatus();
        return snapshot();
      });
    },

    setAutoLock(minutes) {
      if (!isAutoLockMinutes(minutes)) {
        throw new FlashError(
          'BAD_INPUT',
          `Auto-lock must be a whole number of minutes, 0..${MAX_AUTO_LOCK_MINUTES}.`,
        );
      }
      // Weakening the auto-lock needs an open vault, like every other vault setting.
      requireUnlocked();
      repo.writeSetting(AUTO_LOCK_SETTING, JSON.stringify(minutes));
      autoLockMinutes = minutes;
      markActivity();
      emitStatus();
      return snapshot();
    },

    putSecret(name, value) {
      requireName(name);
      if (!(value instanceof Uint8Array)) throw new FlashError('BAD_INPUT', 'A secret must be bytes.');
      const key = requireUnlocked();
      const plain = new Uint8Array(value);
      const sealed = seal(key, plain, secretAad(name));
      try {
        secureWrite(() => repo.putSecret(name, sealed, now()), false);
      } catch (err) {
        plain.fill(0);
        throw err;
      }
      cache.get(name)?.fill(0);
      cache.set(name, plain);
    },

    getSecret(name) {
      requireName(name);
      const key = requireUnlocked();
      let plain = cache.get(name);
      if (!plain) {
        const row = repo.getSecret(name);
        if (!row) throw new FlashError('INTERNAL', `The vault has no secret named "${name}".`, { name });
        try {
          plain = open(key, row, secretAad(name));
        } catch {
          throw undecryptable(name);
        }
        cache.set(name, plain);
      }
      return new Uint8Array(plain);
    },

    hasSecret(name) {
      requireName(name);
      return setUp && repo.hasSecret(name);
    },

    deleteSecret(name) {
      requireName(name);
      requireUnlocked();
      secureWrite(() => repo.deleteSecret(name), true);
      cache.get(name)?.fill(0);
      cache.delete(name);
    },

    onLock(listener) {
      lockListeners.add(listener);
      return () => lockListeners.delete(listener);
    },

    onUnlock(listener) {
      unlockListeners.add(listener);
      return () => unlockListeners.delete(listener);
    },

    start() {
      // State comes from the database at construction; nothing to open here.
    },

    /** Clears timers and zeroes key material without events (the app is shutting down). */
    stop() {
      wipe();
    },
  };
  return service;
}

function isAutoLockMinutes(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_AUTO_LOCK_MINUTES;
}
