import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import type { PlainSecret } from './body';
import { LOCAL_PREFIX } from './manifest';

export interface Snapshot {
  /** The database without the vault's rows and this computer's backup settings, serialized. */
  database: Uint8Array;
  /** The plain vault secrets the snapshot's rows were sealed under; re-sealed by the caller. */
  secrets: PlainSecret[];
  /** The snapshot, open in memory, for counting. Closed by the caller. */
  db: Db;
}

/**
 * A consistent copy of the live database, taken with SQLite's online backup API (pages copied in
 * steps while the app keeps writing; SQLite restarts the copy if another connection changes a
 * page, and follows changes made through this connection). A file copy of a WAL database could
 * miss committed pages still in the -wal file or catch a half-written one.
 *
 * The copy lands in a temporary file beside the profile (owner-only, like the database) and is
 * deleted at once. The vault's rows are removed from it with secure_delete on and the file is
 * vacuumed, so no sealed row of this computer's vault, nor its wrapped key, survives in the pages
 * the backup carries: the secrets travel sealed by the backup key instead.
 */
export async function takeSnapshot(
  db: Db,
  vault: VaultService,
  onProgress: (fraction: number) => void,
): Promise<Snapshot> {
  const dir = path.dirname(db.name);
  const tmp = path.join(dir, `.backup-${randomBytes(8).toString('hex')}.db`);
  try {
    fs.closeSync(fs.openSync(tmp, 'wx', 0o600));
    await db.backup(tmp, {
      progress({ totalPages, remainingPages }) {
        onProgress(totalPages === 0 ? 1 : 1 - remainingPages / totalPages);
        return 1000;
      },
    });
    const copy = new Database(tmp);
    let secrets: PlainSecret[] = [];
    try {
      copy.pragma('journal_mode = DELETE');
      // The secrets the snapshot's rows were sealed under, named by the snapshot itself, so
      // the two agree even if the vault changed while pages were being copied.
      const names = copy
        .prepare<[], { name: string }>('SELECT name FROM vault_secrets ORDER BY name')
        .all()
        .map((r) => r.name)
        .filter((name) => !name.startsWith(LOCAL_PREFIX) && vault.hasSecret(name));
      secrets = names.map((name) => ({ name, value: vault.getSecret(name) }));
      copy.pragma('secure_delete = ON');
      copy.exec('DELETE FROM vault_secrets; DELETE FROM vault;');
      copy.prepare('DELETE FROM settings WHERE key LIKE ?').run(`${LOCAL_PREFIX}%`);
      copy.exec('VACUUM');
      const database = copy.serialize();
      copy.close();
      return { database, secrets, db: new Database(database) };
    } catch (err) {
      if (copy.open) copy.close();
      for (const s of secrets) s.value.fill(0);
      throw err;
    }
  } finally {
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  }
}

/** Snapshot files a crash left behind (they hold the same sealed rows as the database): removed at start. */
export function removeStaleSnapshots(db: Db): number {
  const dir = path.dirname(db.name);
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    if (/^\.backup-[0-9a-f]{16}\.db(-journal|-wal|-shm)?$/.test(name)) {
      fs.rmSync(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
