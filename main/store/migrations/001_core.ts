import type { Migration } from './types';

export const coreMigration: Migration = {
  version: 1,
  name: 'core: settings and vault',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
