import type { Migration } from './types';

export const coreMigration: Migration = {
  version: 1,
  name: 'core: settings and vault',
  up(db) {
    db.exec(`
      -- Small preferences, one JSON value per key ('settings.theme', 'vault.autoLockMinutes', ...).
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- The vault header: at most one row. The password key comes from the KDF below; it wraps
      -- (XChaCha20-Poly1305) a random 32-byte data key, which seals every secret. The wrap's
      -- Poly1305 tag is what tells a right password from a wrong one: no password hash is stored.
      CREATE TABLE vault (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        format INTEGER NOT NULL,              -- layout of this row and of vault_secrets; 1 today
        kdf TEXT NOT NULL CHECK (kdf IN ('scrypt')),
        kdf_n INTEGER NOT NULL,
        kdf_r INTEGER NOT NULL,
        kdf_p INTEGER NOT NULL,
        salt BLOB NOT NULL,
        wrap_nonce BLOB NOT NULL,
        wrapped_key BLOB NOT NULL,            -- data key + 16-byte tag
        failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        last_failure_at INTEGER,              -- ms since epoch of the last wrong password
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- One sealed secret per name. AAD = the name, so a row cannot be moved to another name.
      CREATE TABLE vault_secrets (
        name TEXT PRIMARY KEY,
        nonce BLOB NOT NULL,
        ciphertext BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
