import type { Migration } from './types';

export const electrumMigration: Migration = {
  version: 3,
  name: 'electrum: pinned TLS certificates',
  up(db) {
    // Keyed by host:port, not host alone: one host may run several servers with different certificates.
    db.exec(`
      CREATE TABLE electrum_cert_pins (
        server TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        pinned_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
