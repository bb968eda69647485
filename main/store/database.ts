import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FlashError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens (or creates) one profile's database. A file that is not SQLite, fails its integrity
 * check, or was written by a newer app version is reported and left untouched: nothing here
 * writes to it before those checks pass.
 */
export function openDatabase(file: string): Db {
  const exists = fs.existsSync(file);
  if (!exists) fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: exists });
  } catch (err) {
    throw new FlashError('STORE_UNAVAILABLE', `Cannot open the database: ${describe(err)}`, { path: file });
  }
  try {
    checkReadable(db, file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function checkReadable(db: Db, file: string): void {
  let version: number;
  try {
    version = Number(db.pragma('user_version', { simple: true }));
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(String(check));
  } catch (err) {
    throw new FlashError('STORE_CORRUPT', `The database file is damaged: ${describe(err)}`, { path: file });
  }
  if (version > LATEST_SCHEMA_VERSION) {
    throw new FlashError(
      'STORE_NEWER_VERSION',
      `The database was written by a newer version of Flash (schema ${version}, this app knows ${LATEST_SCHEMA_VERSION}).`,
      { path: file, schemaVersion: version },
    );
  }
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function migrate(db: Db, file: string): void {
  const current = schemaVersion(db);
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        migration.up(db);
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
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
