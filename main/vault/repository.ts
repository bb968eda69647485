import type { KdfParams } from '../core/config';
import type { Db } from '../store/database';
import type { Sealed } from './crypto';
import { toBuffer, toU8 } from './crypto';

export const VAULT_FORMAT = 1;
export const AUTO_LOCK_SETTING = 'vault.autoLockMinutes';

export interface VaultHeader {
  format: number;
  kdf: string;
  params: KdfParams;
  salt: Uint8Array;
  wrapped: Sealed;
  failedAttempts: number;
  lastFailureAt: number | null;
}

export interface KeyMaterial {
  params: KdfParams;
  salt: Uint8Array;
  wrapped: Sealed;
}

export interface Attempts {
  failedAttempts: number;
  lastFailureAt: number | null;
}

export interface SecretRow extends Sealed {
  name: string;
}

interface HeaderRow {
  format: number;
  kdf: string;
  kdf_n: number;
  kdf_r: number;
  kdf_p: number;
  salt: Buffer;
  wrap_nonce: Buffer;
  wrapped_key: Buffer;
  failed_attempts: number;
  last_failure_at: number | null;
}

interface SecretDbRow {
  name: string;
  nonce: Buffer;
  ciphertext: Buffer;
}

/** SQL for the vault tables (see migration 001). No crypto here: rows in, rows out. */
export function createVaultRepository(db: Db) {
  const selectHeader = db.prepare<[], HeaderRow>(
    `SELECT format, kdf, kdf_n, kdf_r, kdf_p, salt, wrap_nonce, wrapped_key, failed_attempts, last_failure_at
       FROM vault WHERE id = 1`,
  );
  const selectAttempts = db.prepare<[], { failed_attempts: number; last_failure_at: number | null }>(
    'SELECT failed_attempts, last_failure_at FROM vault WHERE id = 1',
  );
  const insertHeader = db.prepare(
    `INSERT INTO vault (id, format, kdf, kdf_n, kdf_r, kdf_p, salt, wrap_nonce, wrapped_key,
                        failed_attempts, last_failure_at, created_at, updated_at)
     VALUES (1, @format, 'scrypt', @n, @r, @p, @salt, @nonce, @wrapped, 0, NULL, @now, @now)`,
  );
  const updateKey = db.prepare(
    `UPDATE vault SET format = @format, kdf = 'scrypt', kdf_n = @n, kdf_r = @r, kdf_p = @p, salt = @salt,
            wrap_nonce = @nonce, wrapped_key = @wrapped, failed_attempts = 0, last_failure_at = NULL,
            updated_at = @now
      WHERE id = 1`,
  );
  const recordFailure = db.prepare(
    `UPDATE vault SET failed_attempts = failed_attempts + 1, last_failure_at = @now WHERE id = 1`,
  );
  const resetFailures = db.prepare(
    `UPDATE vault SET failed_attempts = 0, last_failure_at = NULL WHERE id = 1 AND failed_attempts > 0`,
  );
  const selectSecret = db.prepare<[string], SecretDbRow>(
    'SELECT name, nonce, ciphertext FROM vault_secrets WHERE name = ?',
  );
  const selectAllSecrets = db.prepare<[], SecretDbRow>(
    'SELECT name, nonce, ciphertext FROM vault_secrets ORDER BY name',
  );
  const existsSecret = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM vault_secrets WHERE name = ?',
  );
  const upsertSecret = db.prepare(
    `INSERT INTO vault_secrets (name, nonce, ciphertext, updated_at) VALUES (@name, @nonce, @ciphertext, @now)
     ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext,
                                      updated_at = excluded.updated_at`,
  );
  const removeSecret = db.prepare('DELETE FROM vault_secrets WHERE name = ?');
  const removeAllSecrets = db.prepare('DELETE FROM vault_secrets');
  const selectSetting = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsertSetting = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  const keyParams = (m: KeyMaterial, now: number) => ({
    format: VAULT_FORMAT,
    n: m.params.N,
    r: m.params.r,
    p: m.params.p,
    salt: toBuffer(m.salt),
    nonce: toBuffer(m.wrapped.nonce),
    wrapped: toBuffer(m.wrapped.ciphertext),
    now,
  });

  return {
    header(): VaultHeader | null {
      const row = selectHeader.get();
      if (!row) return null;
      return {
        format: row.format,
        kdf: row.kdf,
        params: { N: row.kdf_n, r: row.kdf_r, p: row.kdf_p },
        salt: toU8(row.salt),
        wrapped: { nonce: toU8(row.wrap_nonce), ciphertext: toU8(row.wrapped_key) },
        failedAttempts: row.failed_attempts,
        lastFailureAt: row.last_failure_at,
      };
    },
    exists(): boolean {
      return selectAttempts.get() !== undefined;
    },
    attempts(): Attempts {
      const row = selectAttempts.get();
      return { failedAttempts: row?.failed_attempts ?? 0, lastFailureAt: row?.last_failure_at ?? null };
    },
    /** Creates the header, dropping any orphaned secret rows (sealed under no known key). */
    create(m: KeyMaterial, now: number): void {
      db.transaction(() => {
        removeAllSecrets.run();
        insertHeader.run(keyParams(m, now));
      })();
    },
    replaceKey(m: KeyMaterial, now: number): void {
      updateKey.run(keyParams(m, now));
    },
    recordFailure(now: number): Attempts {
      recordFailure.run({ now });
      return this.attempts();
    },
    resetFailures(): void {
      resetFailures.run();
    },
    getSecret(name: string): SecretRow | null {
      const row = selectSecret.get(name);
      return row ? { name: row.name, nonce: toU8(row.nonce), ciphertext: toU8(row.ciphertext) } : null;
    },
    allSecrets(): SecretRow[] {
      return selectAllSecrets
        .all()
        .map((row) => ({ name: row.name, nonce: toU8(row.nonce), ciphertext: toU8(row.ciphertext) }));
    },
    hasSecret(name: string): boolean {
      return existsSecret.get(name) !== undefined;
    },
    putSecret(name: string, sealed: Sealed, now: number): void {
      upsertSecret.run({
        name,
        nonce: toBuffer(sealed.nonce),
        ciphertext: toBuffer(sealed.ciphertext),
        now,
      });
    },
    deleteSecret(name: string): boolean {
      return removeSecret.run(name).changes > 0;
    },
    readSetting(key: string): string | null {
      return selectSetting.get(key)?.value ?? null;
    },
    writeSetting(key: string, value: string): void {
      upsertSetting.run(key, value);
    },
  };
}

export type VaultRepository = ReturnType<typeof createVaultRepository>;
