import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import type { VaultStatus } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { KdfParams } from '../../main/core/config';
import { createEventBus } from '../../main/core/event-bus';
import type { LogFields, Logger } from '../../main/core/logger';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { scryptKey } from '../../main/vault/crypto';
import type { DeriveKey } from '../../main/vault/crypto';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';

const FAST_KDF: KdfParams = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = 'correct horse battery';
const OTHER = 'wrong password!';
const MINUTE = 60_000;

// --- helpers ---------------------------------------------------------------------------------

interface FakeClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void;
  /** Moves the wall clock without firing timers (a laptop waking from sleep). */
  jump(ms: number): void;
  pending(): number;
}

function fakeClock(start = 1_700_000_000_000): FakeClock {
  let t = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => t,
    setTimer(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimer(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = t + ms;
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers)
          if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
        if (!next) break;
        timers.delete(next[0]);
        t = next[1].at;
        next[1].fn();
      }
      t = end;
    },
    jump(ms) {
      t += ms;
    },
    pending: () => timers.size,
  };
}

function capturingLogger(lines: string[]): Logger {
  const make = (scope: string): Logger => {
    const write = (level: string) => (msg: string, fields?: LogFields) =>
      lines.push(JSON.stringify({ level, scope, msg, ...fields }));
    return {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (s) => make(`${scope}.${s}`),
    };
  };
  return make('test');
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<FlashError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FlashError);
    expect((err as FlashError).code).toBe(code);
    return err as FlashError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

function expectCodeSync(fn: () => unknown, code: string): FlashError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FlashError);
    expect((err as FlashError).code).toBe(code);
    return err as FlashError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

let dir: string;
let file: string;
const cleanups: (() => void)[] = [];

interface Harness {
  db: Db;
  vault: VaultService;
  clock: FakeClock;
  events: { name: EventName; payload: unknown }[];
  kdfCalls: () => number;
  logs: string[];
}

function makeVault(opts: { clock?: FakeClock; kdf?: KdfParams } = {}): Harness {
  const db = openDatabase(file);
  const clock = opts.clock ?? fakeClock();
  const bus = createEventBus();
  const events: Harness['events'] = [];
  bus.onAny((name, payload) => events.push({ name, payload }));
  let calls = 0;
  const deriveKey: DeriveKey = (password, salt, params) => {
    calls++;
    return scryptKey(password, salt, params);
  };
  const logs: string[] = [];
  const vault = createVaultService({
    db,
    bus,
    log: capturingLogger(logs),
    kdf: opts.kdf ?? FAST_KDF,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    deriveKey,
  });
  vault.start();
  cleanups.push(() => {
    vault.stop();
    if (db.open) db.close();
  });
  return { db, vault, clock, events, kdfCalls: () => calls, logs };
}

function vaultStatuses(h: Harness): VaultStatus[] {
  return h.events.filter((e) => e.name === 'vault.status').map((e) => e.payload as VaultStatus);
}

/** The database file and its WAL, as one buffer, for byte searches. */
function fileBytes(): Buffer {
  const parts = [fs.readFileSync(file)];
  if (fs.existsSync(`${file}-wal`)) parts.push(fs.readFileSync(`${file}-wal`));
  return Buffer.concat(parts);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-vault-'));
  file = path.join(dir, 'flash.db');
});
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
  fs.rmSync(dir, { recursive: true, force: true });
});

// --- tests -----------------------------------------------------------------------------------

describe('vault: setup, lock, unlock', () => {
  it('starts uninitialized and refuses secrets until set up', () => {
    const { vault } = makeVault();
    expect(vault.status()).toEqual({
      state: 'uninitialized',
      autoLockMinutes: 15,
      failedAttempts: 0,
      retryAfterMs: 0,
    });
    expectCodeSync(() => vault.getSecret('seed'), 'VAULT_NOT_SET_UP');
    expectCodeSync(() => vault.putSecret('seed', bytes('x')), 'VAULT_NOT_SET_UP');
    expect(vault.hasSecret('seed')).toBe(false);
  });

  it('rejects a short password and a second setup', async () => {
    const { vault } = makeVault();
    await expectCode(vault.setup('short'), 'VAULT_WEAK_PASSWORD');
    expect(vault.status().state).toBe('uninitialized');
    await vault.setup(PASSWORD);
    await expectCode(vault.setup('another password'), 'VAULT_ALREADY_SET_UP');
  });

  it('sets up unlocked, locks, and unlocks with the password', async () => {
    const h = makeVault();
    const { vault } = h;
    let locks = 0;
    let unlocks = 0;
    vault.onLock(() => locks++);
    vault.onUnlock(() => unlocks++);

    const afterSetup = await vault.setup(PASSWORD);
    expect(afterSetup.state).toBe('unlocked');
    expect(unlocks).toBe(1);

    vault.putSecret('wallet:1:seed', bytes('abandon abandon about'));
    expect(vault.hasSecret('wallet:1:seed')).toBe(true);
    expect(text(vault.getSecret('wallet:1:seed'))).toBe('abandon abandon about');

    expect(vault.lock().state).toBe('locked');
    expect(locks).toBe(1);
    expect(vault.lock().state).toBe('locked'); // idempotent: no second onLock
    expect(locks).toBe(1);
    expectCodeSync(() => vault.getSecret('wallet:1:seed'), 'VAULT_LOCKED');
    expectCodeSync(() => vault.putSecret('x', bytes('y')), 'VAULT_LOCKED');
    expectCodeSync(() => vault.deleteSecret('wallet:1:seed'), 'VAULT_LOCKED');
    expect(vault.hasSecret('wallet:1:seed')).toBe(true); // names are not secret

    expect((await vault.unlock(PASSWORD)).state).toBe('unlocked');
    expect(unlocks).toBe(2);
    expect(text(vault.getSecret('wallet:1:seed'))).toBe('abandon abandon about');

    expect(vaultStatuses(h).map((s) => s.state)).toEqual(['unlocked', 'locked', 'unlocked']);
  });

  it('returns copies: changing one does not change the vault', async () => {
    const { vault } = makeVault();
    await vault.setup(PASSWORD);
    const input = bytes('secret-value');
    vault.putSecret('k', input);
    input.fill(0);
    const out = vault.getSecret('k');
    expect(text(out)).toBe('secret-value');
    out.fill(0);
    expect(text(vault.getSecret('k'))).toBe('secret-value');
  });

  it('hands out copies that lock() does not reach, but its own cache is wiped', async () => {
    const { vault } = makeVault();
    await vault.setup(PASSWORD);
    vault.putSecret('k', bytes('value'));
    const copy = vault.getSecret('k');
    vault.lock();
    expect(text(copy)).toBe('value');
    expectCodeSync(() => vault.getSecret('k'), 'VAULT_LOCKED');
  });

  it('deletes secrets and reports unknown names', async () => {
    const { vault } = makeVault();
    await vault.setup(PASSWORD);
    vault.putSecret('k', bytes('v'));
    vault.deleteSecret('k');
    expect(vault.hasSecret('k')).toBe(false);
    expectCodeSync(() => vault.getSecret('k'), 'INTERNAL');
    vault.deleteSecret('k'); // no error for a missing name
  });

  it('overwrites a secret in place', async () => {
    const { vault } = makeVault();
    await vault.setup(PASSWORD);
    vault.putSecret('k', bytes('one'));
    vault.putSecret('k', bytes('two'));
    expect(text(vault.getSecret('k'))).toBe('two');
    vault.lock();
    await vault.unlock(PASSWORD);
    expect(text(vault.getSecret('k'))).toBe('two');
  });

  it('persists: a new service on the reopened file is locked and opens with the password', async () => {
    const first = makeVault();
    await first.vault.setup(PASSWORD);
    first.vault.putSecret('nsec', bytes('nsec1xyz'));
    first.vault.stop();
    first.db.close();

    const second = makeVault();
    expect(second.vault.status().state).toBe('locked');
    await second.vault.unlock(PASSWORD);
    expect(text(second.vault.getSecret('nsec'))).toBe('nsec1xyz');
  });

  it('stores its own KDF parameters and uses them, not the current defaults', async () => {
    const first = makeVault({ kdf: { N: 2 ** 11, r: 4, p: 1 } });
    await first.vault.setup(PASSWORD);
    first.vault.stop();
    first.db.close();

    const second = makeVault({ kdf: FAST_KDF });
    const row = second.db.prepare('SELECT kdf, kdf_n, kdf_r, kdf_p, length(salt) AS salt FROM vault').get();
    expect(row).toEqual({ kdf: 'scrypt', kdf_n: 2048, kdf_r: 4, kdf_p: 1, salt: 32 });
    await second.vault.unlock(PASSWORD);
    expect(second.vault.status().state).toBe('unlocked');
  });

  it('accepts the same password in another Unicode normal form', async () => {
    const { vault } = makeVault();
    await vault.setup('caf\u00e9-password'); // precomposed é
    vault.lock();
    await vault.unlock('cafe\u0301-password'); // e + combining accent
    expect(vault.status().state).toBe('unlocked');
  });

  it('never logs the password or a secret', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    h.vault.putSecret('k', bytes('TOP-SECRET-VALUE'));
    h.vault.lock();
    await expectCode(h.vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
    await h.vault.unlock(PASSWORD);
    h.vault.getSecret('k');
    await h.vault.changePassword(PASSWORD, 'a brand new password');
    const all = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(0);
    for (const s of [PASSWORD, OTHER, 'a brand new password', 'TOP-SECRET-VALUE'])
      expect(all).not.toContain(s);
  });
});

describe('vault: wrong passwords and rate limit', () => {
  it('rejects a wrong password and counts it', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    h.vault.lock();
    const err = await expectCode(h.vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
    expect(err.details).toMatchObject({ failedAttempts: 1, retryAfterMs: 0 });
    expect(h.vault.status()).toMatchObject({ state: 'locked', failedAttempts: 1, retryAfterMs: 0 });
    expect(vaultStatuses(h).at(-1)).toMatchObject({ failedAttempts: 1 });
  });

  it('gives 3 free tries, then growing delays without running the KDF, and resets on success', async () => {
    const h = makeVault();
    const { vault, clock } = h;
    await vault.setup(PASSWORD);
    vault.lock();
    const base = h.kdfCalls();

    for (let i = 1; i <= 3; i++) {
      const err = await expectCode(vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
      expect(err.details?.failedAttempts).toBe(i);
    }
    expect(h.kdfCalls()).toBe(base + 3);
    expect(vault.status()).toMatchObject({ failedAttempts: 3, retryAfterMs: 1000 });

    // Limited: even the right password is not tried, and the KDF does not run.
    let err = await expectCode(vault.unlock(PASSWORD), 'VAULT_RATE_LIMITED');
    expect(err.details?.retryAfterMs).toBe(1000);
    await expectCode(vault.verifyPassword(PASSWORD), 'VAULT_RATE_LIMITED');
    await expectCode(vault.changePassword(PASSWORD, 'new password 1'), 'VAULT_RATE_LIMITED');
    expect(h.kdfCalls()).toBe(base + 3);

    clock.advance(999);
    err = await expectCode(vault.unlock(OTHER), 'VAULT_RATE_LIMITED');
    expect(err.details?.retryAfterMs).toBe(1);
    expect(h.kdfCalls()).toBe(base + 3);

    // Each further failure doubles the wait: 1 s, 2 s, 4 s, 8 s ...
    const expected = [2000, 4000, 8000, 16000];
    clock.advance(1);
    for (const wait of expected) {
      err = await expectCode(vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
      expect(err.details?.retryAfterMs).toBe(wait);
      expect(vault.status().retryAfterMs).toBe(wait);
      await expectCode(vault.unlock(OTHER), 'VAULT_RATE_LIMITED');
      clock.advance(wait);
    }
    expect(h.kdfCalls()).toBe(base + 3 + expected.length);
    expect(vault.status()).toMatchObject({ failedAttempts: 7, retryAfterMs: 0 });

    await vault.unlock(PASSWORD);
    expect(vault.status()).toMatchObject({ state: 'unlocked', failedAttempts: 0, retryAfterMs: 0 });
  });

  it('caps the delay at 5 minutes', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    h.vault.lock();
    h.db.prepare('UPDATE vault SET failed_attempts = 40, last_failure_at = ?').run(h.clock.now());
    expect(h.vault.status().retryAfterMs).toBe(5 * MINUTE);
    h.clock.advance(5 * MINUTE);
    const err = await expectCode(h.vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
    expect(err.details).toMatchObject({ failedAttempts: 41, retryAfterMs: 5 * MINUTE });
  });

  it('keeps the counter across a restart', async () => {
    const clock = fakeClock();
    const first = makeVault({ clock });
    await first.vault.setup(PASSWORD);
    first.vault.lock();
    for (let i = 0; i < 4; i++) {
      await expectCode(first.vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
      clock.advance(60_000);
    }
    await expectCode(first.vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD'); // 5th: wait 4 s
    first.vault.stop();
    first.db.close();

    clock.advance(1000);
    const second = makeVault({ clock });
    expect(second.vault.status()).toMatchObject({ state: 'locked', failedAttempts: 5, retryAfterMs: 3000 });
    await expectCode(second.vault.unlock(PASSWORD), 'VAULT_RATE_LIMITED');
    expect(second.kdfCalls()).toBe(0);
    clock.advance(3000);
    await second.vault.unlock(PASSWORD);
    expect(second.vault.status().failedAttempts).toBe(0);
  });

  it('verifyPassword shares the counter and does not change the state', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    await expectCode(h.vault.verifyPassword(OTHER), 'VAULT_WRONG_PASSWORD');
    await expectCode(h.vault.verifyPassword(OTHER), 'VAULT_WRONG_PASSWORD');
    h.vault.lock();
    await expectCode(h.vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
    await expectCode(h.vault.unlock(PASSWORD), 'VAULT_RATE_LIMITED');
    h.clock.advance(1000);
    await h.vault.verifyPassword(PASSWORD);
    expect(h.vault.status()).toMatchObject({ state: 'locked', failedAttempts: 0 });
  });

  it('runs parallel attempts one at a time, so they cannot dodge the limit', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    h.vault.lock();
    const base = h.kdfCalls();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => h.vault.unlock(OTHER)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as FlashError).code : 'ok'));
    expect(codes).toEqual([
      'VAULT_WRONG_PASSWORD',
      'VAULT_WRONG_PASSWORD',
      'VAULT_WRONG_PASSWORD',
      'VAULT_RATE_LIMITED',
      'VAULT_RATE_LIMITED',
      'VAULT_RATE_LIMITED',
    ]);
    expect(h.kdfCalls()).toBe(base + 3);
  });

  it('checks (and counts) the password even when already unlocked', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    await expectCode(h.vault.unlock(OTHER), 'VAULT_WRONG_PASSWORD');
    expect(h.vault.status()).toMatchObject({ state: 'unlocked', failedAttempts: 1 });
    await h.vault.unlock(PASSWORD);
    expect(h.vault.status()).toMatchObject({ state: 'unlocked', failedAttempts: 0 });
  });
});

describe('vault: changePassword', () => {
  type Row = { name: string; nonce: Buffer; ciphertext: Buffer };
  type Header = { salt: Buffer; wrap_nonce: Buffer; wrapped_key: Buffer };
  const rows = (db: Db) =>
    db.prepare<[], Row>('SELECT name, nonce, ciphertext FROM vault_secrets ORDER BY name').all();
  const header = (db: Db) => db.prepare<[], Header>('SELECT salt, wrap_nonce, wrapped_key FROM vault').get()!;

  it('re-encrypts every secret under a new data key and password', async () => {
    const h = makeVault();
    const { vault, db } = h;
    await vault.setup(PASSWORD);
    const secrets: Record<string, string> = {
      'wallet:1:seed': 'legal winner thank year wave sausage worth useful legal winner thank yellow',
      'nostr:nsec': 'nsec1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
      'btcpay:key': 'api-key-123',
    };
    for (const [name, value] of Object.entries(secrets)) vault.putSecret(name, bytes(value));
    const beforeRows = rows(db);
    const beforeHeader = header(db);
    const base = h.kdfCalls();

    const status = await vault.changePassword(PASSWORD, 'a new long password');
    expect(status).toMatchObject({ state: 'unlocked', failedAttempts: 0 });
    expect(h.kdfCalls()).toBe(base + 2); // check the old one, derive the new one

    const afterRows = rows(db);
    const afterHeader = header(db);
    expect(afterRows.map((r) => r.name)).toEqual(beforeRows.map((r) => r.name));
    for (let i = 0; i < afterRows.length; i++) {
      expect(afterRows[i]!.nonce.equals(beforeRows[i]!.nonce)).toBe(false);
      expect(afterRows[i]!.ciphertext.equals(beforeRows[i]!.ciphertext)).toBe(false);
    }
    expect(afterHeader.salt.equals(beforeHeader.salt)).toBe(false);
    expect(afterHeader.wrap_nonce.equals(beforeHeader.wrap_nonce)).toBe(false);
    expect(afterHeader.wrapped_key.equals(beforeHeader.wrapped_key)).toBe(false);

    // Still usable without relocking, then with the new password only.
    expect(text(vault.getSecret('btcpay:key'))).toBe('api-key-123');
    vault.lock();
    await expectCode(vault.unlock(PASSWORD), 'VAULT_WRONG_PASSWORD');
    await vault.unlock('a new long password');
    for (const [name, value] of Object.entries(secrets)) expect(text(vault.getSecret(name))).toBe(value);

    // The old wrapped key and old ciphertexts are gone from the file and its WAL.
    const onDisk = fileBytes();
    expect(onDisk.includes(beforeHeader.wrapped_key)).toBe(false);
    for (const r of beforeRows) expect(onDisk.includes(r.ciphertext)).toBe(false);
  });

  it('works while locked and stays locked', async () => {
    const { vault } = makeVault();
    await vault.setup(PASSWORD);
    vault.putSecret('k', bytes('v'));
    vault.lock();
    expect((await vault.changePassword(PASSWORD, 'another password')).state).toBe('locked');
    await vault.unlock('another password');
    expect(text(vault.getSecret('k'))).toBe('v');
  });

  it('rejects a wrong current password (counted) and a weak new one (not counted, no KDF)', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    const base = h.kdfCalls();
    await expectCode(h.vault.changePassword(PASSWORD, 'short'), 'VAULT_WEAK_PASSWORD');
    expect(h.kdfCalls()).toBe(base);
    await expectCode(h.vault.changePassword(OTHER, 'long enough password'), 'VAULT_WRONG_PASSWORD');
    expect(h.vault.status().failedAttempts).toBe(1);
    h.vault.lock();
    await h.vault.unlock(PASSWORD);
  });

  it('is all or nothing: a failure half-way leaves the old state intact', async () => {
    const h = makeVault();
    const { vault, db } = h;
    await vault.setup(PASSWORD);
    vault.putSecret('a-first', bytes('first'));
    vault.putSecret('z-damaged', bytes('second'));
    // Damage the second row so re-encryption fails after the first row was rewritten.
    db.prepare(
      "UPDATE vault_secrets SET ciphertext = zeroblob(length(ciphertext)) WHERE name = 'z-damaged'",
    ).run();
    const beforeRows = rows(db);
    const beforeHeader = header(db);

    const err = await expectCode(vault.changePassword(PASSWORD, 'a new long password'), 'STORE_CORRUPT');
    expect(err.message).toContain('z-damaged');

    expect(rows(db)).toEqual(beforeRows);
    expect(header(db)).toEqual(beforeHeader);
    vault.lock();
    await expectCode(vault.unlock('a new long password'), 'VAULT_WRONG_PASSWORD');
    await vault.unlock(PASSWORD);
    expect(text(vault.getSecret('a-first'))).toBe('first');
  });
});

describe('vault: sealing', () => {
  it('binds each ciphertext to its name: swapped rows fail with a clear error', async () => {
    const { vault, db } = makeVault();
    await vault.setup(PASSWORD);
    vault.putSecret('wallet:1:seed', bytes('seed one'));
    vault.putSecret('wallet:2:seed', bytes('seed two'));
    db.exec(`
      UPDATE vault_secrets SET name = 'tmp' WHERE name = 'wallet:1:seed';
      UPDATE vault_secrets SET name = 'wallet:1:seed' WHERE name = 'wallet:2:seed';
      UPDATE vault_secrets SET name = 'wallet:2:seed' WHERE name = 'tmp';
    `);
    vault.lock(); // drop the in-memory copies
    await vault.unlock(PASSWORD);
    const err = expectCodeSync(() => vault.getSecret('wallet:1:seed'), 'STORE_CORRUPT');
    expect(err.message).toMatch(/wallet:1:seed.*cannot be decrypted/);
    expectCodeSync(() => vault.getSecret('wallet:2:seed'), 'STORE_CORRUPT');
  });

  it('detects a tampered ciphertext', async () => {
    const { vault, db } = makeVault();
    await vault.setup(PASSWORD);
    vault.putSecret('k', bytes('value'));
    const row = db
      .prepare<[], { ciphertext: Buffer }>("SELECT ciphertext FROM vault_secrets WHERE name = 'k'")
      .get()!;
    row.ciphertext[0]! ^= 1;
    db.prepare("UPDATE vault_secrets SET ciphertext = ? WHERE name = 'k'").run(row.ciphertext);
    vault.lock();
    await vault.unlock(PASSWORD);
    expectCodeSync(() => vault.getSecret('k'), 'STORE_CORRUPT');
  });

  it('uses a fresh 24-byte nonce for every seal', async () => {
    const { vault, db } = makeVault();
    await vault.setup(PASSWORD);
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
      vault.putSecret('k', bytes('same value'));
      const nonce = db
        .prepare<[], { nonce: Buffer }>("SELECT nonce FROM vault_secrets WHERE name = 'k'")
        .get()!.nonce;
      expect(nonce.length).toBe(24);
      nonces.add(nonce.toString('hex'));
    }
    expect(nonces.size).toBe(20);
  });

  it('never writes a plain secret to the database file or its WAL', async () => {
    const marker = 'FLASH-PLAINTEXT-MARKER-7f3a9c1e-legal-winner-thank-year';
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    h.vault.putSecret('wallet:1:seed', bytes(marker));
    h.vault.putSecret('binary', bytes(`${marker}-binary`));
    const needle = Buffer.from(marker);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    expect(fileBytes().includes(needle)).toBe(false);
    expect(fileBytes().includes(Buffer.from(PASSWORD))).toBe(false);
    await h.vault.changePassword(PASSWORD, 'a new long password');
    h.vault.deleteSecret('binary');
    h.vault.stop();
    h.db.close();
    expect(fileBytes().includes(needle)).toBe(false);
    expect(fileBytes().includes(Buffer.from('a new long password'))).toBe(false);
  });
});

describe('vault: auto-lock', () => {
  it('locks after 15 idle minutes by default; touch() postpones it', async () => {
    const h = makeVault();
    const { vault, clock } = h;
    let locks = 0;
    vault.onLock(() => locks++);
    await vault.setup(PASSWORD);
    vault.putSecret('k', bytes('v'));

    clock.advance(10 * MINUTE);
    vault.touch();
    clock.advance(14 * MINUTE);
    expect(vault.status().state).toBe('unlocked');
    clock.advance(MINUTE);
    expect(locks).toBe(1);
    expect(vault.status().state).toBe('locked');
    expect(vaultStatuses(h).at(-1)?.state).toBe('locked');
    expectCodeSync(() => vault.getSecret('k'), 'VAULT_LOCKED');
    expect(clock.pending()).toBe(0);
  });

  it('locks on the next call when the wall clock says the limit passed (timers paused in sleep)', async () => {
    const { vault, clock } = makeVault();
    await vault.setup(PASSWORD);
    vault.putSecret('k', bytes('v'));
    clock.jump(16 * MINUTE);
    expectCodeSync(() => vault.getSecret('k'), 'VAULT_LOCKED');
    expect(vault.status().state).toBe('locked');
  });

  it('touch() after the limit does not reopen the vault', async () => {
    const { vault, clock } = makeVault();
    await vault.setup(PASSWORD);
    clock.jump(20 * MINUTE);
    vault.touch();
    expect(vault.status().state).toBe('locked');
  });

  it('setAutoLock changes and persists the delay; 0 never locks', async () => {
    const first = makeVault();
    await first.vault.setup(PASSWORD);
    expect(first.vault.setAutoLock(1).autoLockMinutes).toBe(1);
    first.clock.advance(MINUTE);
    expect(first.vault.status().state).toBe('locked');
    expectCodeSync(() => first.vault.setAutoLock(0), 'VAULT_LOCKED');
    expectCodeSync(() => first.vault.setAutoLock(-1), 'BAD_INPUT');
    expectCodeSync(() => first.vault.setAutoLock(1.5), 'BAD_INPUT');
    await first.vault.unlock(PASSWORD);
    first.vault.setAutoLock(0);
    first.clock.advance(7 * 24 * 60 * MINUTE);
    expect(first.vault.status().state).toBe('unlocked');
    expect(first.clock.pending()).toBe(0);
    first.vault.setAutoLock(5);
    first.vault.stop();
    first.db.close();

    const second = makeVault();
    expect(second.vault.status().autoLockMinutes).toBe(5);
    expect(
      second.db.prepare("SELECT value FROM settings WHERE key = 'vault.autoLockMinutes'").pluck().get(),
    ).toBe('5');
  });

  it('falls back to 15 minutes when the stored value is bad', () => {
    const db = openDatabase(file);
    db.prepare("INSERT INTO settings (key, value) VALUES ('vault.autoLockMinutes', '\"soon\"')").run();
    db.close();
    const { vault } = makeVault();
    expect(vault.status().autoLockMinutes).toBe(15);
  });

  it('stop() clears the timer and wipes the key without events', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    const count = h.events.length;
    h.vault.stop();
    expect(h.clock.pending()).toBe(0);
    expect(h.events.length).toBe(count);
    expect(h.vault.status().state).toBe('locked');
  });
});

describe('vault: configuration', () => {
  it('refuses nonsense KDF parameters', () => {
    const db = openDatabase(file);
    cleanups.push(() => db.close());
    const base = { db, bus: createEventBus(), log: capturingLogger([]) };
    expect(() => createVaultService({ ...base, kdf: { N: 1000, r: 8, p: 1 } })).toThrow(FlashError);
    expect(() => createVaultService({ ...base, kdf: { N: 2 ** 24, r: 8, p: 1 } })).toThrow(FlashError);
  });

  it('reports a doctored header (huge N) as STORE_CORRUPT without running the KDF', async () => {
    const h = makeVault();
    await h.vault.setup(PASSWORD);
    h.vault.lock();
    h.db.prepare('UPDATE vault SET kdf_n = ?').run(2 ** 30);
    const base = h.kdfCalls();
    await expectCode(h.vault.unlock(PASSWORD), 'STORE_CORRUPT');
    expect(h.kdfCalls()).toBe(base);
  });
});
