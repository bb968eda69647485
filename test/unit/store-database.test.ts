import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import type { Db } from '../../main/store/database';
import { openDatabase, schemaVersion } from '../../main/store/database';
import { LATEST_SCHEMA_VERSION } from '../../main/store/migrations';

let dir: string;
const open: Db[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-store-'));
});
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function openTracked(file: string): Db {
  const db = openDatabase(file);
  open.push(db);
  return db;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function expectFlashError(fn: () => unknown, code: string): FlashError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FlashError);
    expect((err as FlashError).code).toBe(code);
    return err as FlashError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('openDatabase', () => {
  it('creates a new file (and its folder) in WAL mode at the latest schema', () => {
    const file = path.join(dir, 'nested', 'profile', 'flash.db');
    const db = openTracked(file);
    expect(fs.existsSync(file)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['settings', 'vault', 'vault_secrets']));
  });

  it.skipIf(process.platform === 'win32')('creates the file readable by its owner only', () => {
    const file = path.join(dir, 'flash.db');
    openTracked(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reopens idempotently and keeps the data', () => {
    const file = path.join(dir, 'flash.db');
    const first = openTracked(file);
    first.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('k', '"v"');
    first.close();
    const second = openTracked(file);
    expect(schemaVersion(second)).toBe(LATEST_SCHEMA_VERSION);
    expect(second.prepare('SELECT value FROM settings WHERE key = ?').pluck().get('k')).toBe('"v"');
    second.close();
    const third = openTracked(file);
    expect(schemaVersion(third)).toBe(LATEST_SCHEMA_VERSION);
    expect(third.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(1);
  });

  it('opens an existing empty (zero-byte) file as a new database', () => {
    const file = path.join(dir, 'flash.db');
    fs.writeFileSync(file, '');
    const db = openTracked(file);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
  });

  it('reports a file of random bytes as STORE_CORRUPT and leaves it untouched', () => {
    const file = path.join(dir, 'flash.db');
    fs.writeFileSync(file, randomBytes(64 * 1024));
    const before = sha256(file);
    const err = expectFlashError(() => openDatabase(file), 'STORE_CORRUPT');
    expect(err.details?.path).toBe(file);
    expect(sha256(file)).toBe(before);
    expect(fs.statSync(file).size).toBe(64 * 1024);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('reports a damaged SQLite file as STORE_CORRUPT and leaves it untouched', () => {
    const file = path.join(dir, 'flash.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x TEXT); CREATE INDEX t_x ON t (x);');
    const insert = db.prepare('INSERT INTO t (x) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'y'.repeat(50)}`);
    })();
    db.close();
    // Keep the header page, scribble over the b-tree pages.
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    randomBytes(bytes.length - 2 * pageSize).copy(bytes, 2 * pageSize);
    fs.writeFileSync(file, bytes);
    const before = sha256(file);
    expectFlashError(() => openDatabase(file), 'STORE_CORRUPT');
    expect(sha256(file)).toBe(before);
  });

  it('reports a newer schema as STORE_NEWER_VERSION and leaves the file untouched', () => {
    const file = path.join(dir, 'flash.db');
    const db = new Database(file);
    db.exec('CREATE TABLE future (x INTEGER)');
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    const before = sha256(file);
    const err = expectFlashError(() => openDatabase(file), 'STORE_NEWER_VERSION');
    expect(err.details?.schemaVersion).toBe(LATEST_SCHEMA_VERSION + 5);
    expect(sha256(file)).toBe(before);
    // Still not converted to WAL, nor migrated.
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 5);
    check.close();
  });

  it('does not fold a newer WAL database into its main file', () => {
    // A newer app left un-checkpointed frames in the -wal (e.g. it crashed). Closing a writable
    // connection would checkpoint them into the main file; ours must not.
    const live = path.join(dir, 'live.db');
    const db = new Database(live);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE future (x INTEGER)');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare('INSERT INTO future (x) VALUES (1)').run();
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    const file = path.join(dir, 'copy.db');
    fs.copyFileSync(live, file);
    fs.copyFileSync(`${live}-wal`, `${file}-wal`);
    db.close();
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const before = sha256(file);
    const walBefore = sha256(`${file}-wal`);
    expectFlashError(() => openDatabase(file), 'STORE_NEWER_VERSION');
    expect(sha256(file)).toBe(before);
    expect(sha256(`${file}-wal`)).toBe(walBefore);
  });

  it('reports an unusable path as STORE_UNAVAILABLE', () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'x');
    expectFlashError(() => openDatabase(path.join(blocker, 'flash.db')), 'STORE_UNAVAILABLE');
  });
});
