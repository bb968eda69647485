import Database from 'better-sqlite3';
import type { BackupManifest } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../store/migrations';
import type { VaultService } from '../vault/types';
import type { PlainSecret } from './body';
import { LOCAL_PREFIX, NOT_BACKED_UP, quoteIdent, tableCounts, userTables } from './manifest';

/** Settings rows that belong to this computer's profile, not to the backed-up one. */
const KEEP_LOCAL_SETTINGS = `key LIKE 'vault.%' OR key LIKE '${LOCAL_PREFIX}%'`;

/** Tables whose rows mean the profile already holds accounts, keys, money or messages. */
const PROFILE_DATA = [
  'wallets',
  'nostr_identities',
  'nostr_messages',
  'ecash_proofs',
  'ecash_mints',
  'lightning_providers',
  'nwc_connections',
  'merchant_connection',
];

function damaged(message: string): FlashError {
  return new FlashError('BACKUP_DAMAGED', `The backup's database is not usable: ${message}.`);
}

/**
 * Opens the snapshot in memory, checks it (SQLite integrity, the manifest's row counts) and brings
 * an older schema up to this app's with the same migrations a profile gets. A schema newer than
 * this app is BACKUP_NEWER_VERSION: its tables may mean things this app does not know.
 */
export function openSnapshot(bytes: Uint8Array, manifest: BackupManifest): Db {
  let snap: Db;
  try {
    snap = new Database(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    throw damaged('it is not SQLite');
  }
  try {
    let version: number;
    try {
      version = Number(snap.pragma('user_version', { simple: true }));
      const check = snap.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw damaged(`integrity check says ${String(check)}`);
    } catch (err) {
      if (err instanceof FlashError) throw err;
      throw damaged('it is not SQLite');
    }
    if (version > LATEST_SCHEMA_VERSION || manifest.schemaVersion > LATEST_SCHEMA_VERSION) {
      throw new FlashError(
        'BACKUP_NEWER_VERSION',
        `This backup was made by a newer version of Flash (database schema ${Math.max(version, manifest.schemaVersion)}; this app knows ${LATEST_SCHEMA_VERSION}). Update Flash to restore it.`,
        { schemaVersion: version },
      );
    }
    if (version !== manifest.schemaVersion) throw damaged('the manifest names another schema');
    const counts = tableCounts(snap);
    for (const [table, n] of Object.entries(manifest.tables)) {
      if (counts[table] !== n)
        throw damaged(`table ${table} holds ${counts[table] ?? 0} rows, the manifest says ${n}`);
    }
    try {
      migrateSnapshot(snap, version);
    } catch {
      throw damaged(`its tables do not match schema ${version}`);
    }
    return snap;
  } catch (err) {
    snap.close();
    throw err;
  }
}

function migrateSnapshot(snap: Db, from: number): void {
  const pending = MIGRATIONS.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return;
  snap.pragma('foreign_keys = OFF');
  for (const m of pending) {
    snap.transaction(() => {
      m.up(snap);
      snap.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Refuses a profile that already holds accounts, keys, money or messages (restore is not a merge). */
export function requireEmptyProfile(db: Db): void {
  const tables = new Set(userTables(db));
  for (const t of PROFILE_DATA) {
    if (!tables.has(t)) continue;
    const row = db.prepare(`SELECT 1 AS one FROM ${quoteIdent(t)} LIMIT 1`).get();
    if (row) {
      throw new FlashError(
        'BACKUP_PROFILE_NOT_EMPTY',
        'This profile already holds accounts or money. Restore a backup into a new profile.',
        { table: t },
      );
    }
  }
}

function copyColumns(db: Db, snap: Db, table: string): string[] {
  const columns = (d: Db) =>
    (d.pragma(`table_xinfo(${quoteIdent(table)})`) as { name: string; hidden: number }[])
      // Generated columns are computed, never written.
      .filter((c) => c.hidden === 0)
      .map((c) => c.name);
  const theirs = new Set(columns(snap));
  return columns(db).filter((c) => theirs.has(c));
}

/**
 * Replaces this profile's rows with the snapshot's and re-seals its secrets under this profile's
 * vault, all in ONE SQLite transaction: it commits whole or not at all. Triggers (the wallet
 * aggregates) are dropped and recreated inside it, so copied rows are not counted twice by the
 * triggers that maintain the aggregate rows also being copied. Foreign keys are checked at commit.
 * Afterwards every table must hold exactly the snapshot's row count, or everything rolls back.
 */
export function importSnapshot(
  db: Db,
  snap: Db,
  secrets: readonly PlainSecret[],
  vault: VaultService,
  onTable: (done: number, total: number) => void,
): void {
  const targets = userTables(db).filter((t) => !NOT_BACKED_UP.has(t));
  const theirs = new Set(userTables(snap));
  const triggers = db
    .prepare<[], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
    .all();
  db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    for (const t of triggers) db.exec(`DROP TRIGGER ${quoteIdent(t.name)}`);
    for (const table of targets) {
      if (table === 'settings') db.exec(`DELETE FROM settings WHERE NOT (${KEEP_LOCAL_SETTINGS})`);
      else db.exec(`DELETE FROM ${quoteIdent(table)}`);
    }
    targets.forEach((table, i) => {
      if (theirs.has(table)) {
        const cols = copyColumns(db, snap, table);
        const list = cols.map(quoteIdent).join(', ');
        const where = table === 'settings' ? ` WHERE NOT (${KEEP_LOCAL_SETTINGS})` : '';
        const insert = db.prepare(
          `INSERT INTO ${quoteIdent(table)} (${list}) VALUES (${cols.map(() => '?').join(', ')})`,
        );
        const rows = snap.prepare(`SELECT ${list} FROM ${quoteIdent(table)}${where}`).raw();
        for (const row of rows.iterate()) insert.run(row as unknown[]);
      }
      onTable(i + 1, targets.length);
    });
    for (const t of triggers) db.exec(t.sql);

    const written = tableCounts(db);
    const expected = tableCounts(snap);
    const localRows = (d: Db) =>
      (d.prepare(`SELECT count(*) AS n FROM settings WHERE ${KEEP_LOCAL_SETTINGS}`).get() as { n: number }).n;
    for (const table of targets) {
      if (!theirs.has(table)) continue;
      const want =
        table === 'settings' ? (expected[table] ?? 0) - localRows(snap) + localRows(db) : expected[table];
      if (written[table] !== want) {
        throw new FlashError(
          'INTERNAL',
          `Restore wrote ${written[table]} rows to ${table}, expected ${want}.`,
        );
      }
    }
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw damaged(`${broken.length} rows point at rows that are not there`);
    for (const s of secrets) {
      if (!s.name.startsWith(LOCAL_PREFIX)) vault.putSecret(s.name, s.value);
    }
  })();
}
