import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FlashError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens (or creates) one profile's database. A file that is not SQLite, fails its integrity
 * check, or was written by a newer app version is reported and left untouched: an existing file
 * is first inspected through a read-only connection (which can neither write pages nor checkpoint
 * a WAL into the file when it closes), and only a file that passes is opened for writing, given
 * its pragmas and migrated.
 *
 * Errors: STORE_CORRUPT (not SQLite / damaged), STORE_NEWER_VERSION (schema newer than this app),
 * STORE_UNAVAILABLE (cannot open, locked by another process, or a migration failed).
 */
export function openDatabase(file: string): Db {
  const exists = fs.existsSync(file);
  let checked = false;
  if (exists) {
    checked = inspectReadOnly(file);
  } else {
    createEmptyFile(file);
  }
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (err) {
    throw new FlashError('STORE_UNAVAILABLE', `Cannot open the database: ${describe(err)}`, { path: file });
  }
  try {
    // A file the read-only look could not judge (e.g. it has a hot journal to roll back first)
    // is checked here, still before any pragma that writes.
    if (!checked) checkReadable(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
    return db;
  } catch (err) {
    db.close();
    if (err instanceof FlashError) throw err;
    throw new FlashError('STORE_UNAVAILABLE', `Cannot open the database: ${describe(err)}`, { path: file });
  }
}

/**
 * Checks an existing file through a read-only connection. Returns true when it passed, false when
 * a read-only connection cannot judge it (the read-write open then checks it), and throws the
 * store errors otherwise.
 */
function inspectReadOnly(file: string): boolean {
  let ro: Db;
  try {
    ro = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    if (needsWriter(err)) return false;
    throw classify(err, file);
  }
  try {
    checkReadable(ro, file);
    return true;
  } catch (err) {
    if (needsWriter(err)) return false;
    throw err;
  } finally {
    ro.close();
  }
}

/** New database files are readable by their owner only: they hold the sealed vault. */
function createEmptyFile(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // A zero-byte file is a valid, empty SQLite database.
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new FlashError('STORE_UNAVAILABLE', `Cannot create the database: ${describe(err)}`, { path: file });
  }
}

function checkReadable(db: Db, file: string): void {
  let version: number;
  try {
    version = Number(db.pragma('user_version', { simple: true }));
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new FlashError('STORE_CORRUPT', `The database file is damaged: ${String(check)}`, { path: file });
    }
  } catch (err) {
    if (needsWriter(err)) throw err;
    throw classify(err, file);
  }
  if (version > LATEST_SCHEMA_VERSION) {
    throw new FlashError(
      'STORE_NEWER_VERSION',
      `The database was written by a newer version of Flash (schema ${version}, this app knows ${LATEST_SCHEMA_VERSION}).`,
      { path: file, schemaVersion: version },
    );
  }
}

/** SQLite result codes that mean "this is not a (healthy) database". */
const CORRUPT_CODES = /^SQLITE_(NOTADB|CORRUPT|FORMAT)/;
/** Codes a read-only connection gives for files it cannot judge without writing. */
const NEEDS_WRITER_CODES = /^SQLITE_(READONLY|CANTOPEN)/;

function sqliteCode(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : '';
}

function needsWriter(err: unknown): boolean {
  return !(err instanceof FlashError) && NEEDS_WRITER_CODES.test(sqliteCode(err));
}

function classify(err: unknown, file: string): FlashError {
  if (err instanceof FlashError) return err;
  if (CORRUPT_CODES.test(sqliteCode(err))) {
    return new FlashError('STORE_CORRUPT', `The database file is damaged: ${describe(err)}`, { path: file });
  }
  return new FlashError('STORE_UNAVAILABLE', `Cannot read the database: ${describe(err)}`, { path: file });
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function migrate(db: Db, file: string): void {
  const current = schemaVersion(db);
  const pending = MIGRATIONS.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return;
  // Changing a table's constraints means rebuilding it, which SQLite only allows safely with
  // foreign keys off (the pragma is ignored inside a transaction); each migration's result is
  // checked with foreign_key_check before it commits instead.
  db.pragma('foreign_keys = OFF');
  try {
    for (const migration of pending) {
      try {
        db.transaction(() => {
          migration.up(db);
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`${broken.length} rows break a foreign key`);
          db.pragma(`user_version = ${migration.version}`);
        })();
      } catch (err) {
        throw new FlashError(
          'STORE_UNAVAILABLE',
          `Migration ${migration.version} (${migration.name}) failed: ${describe(err)}`,
          { path: file },
        );
      }
    }
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
