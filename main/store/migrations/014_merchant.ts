import type { Migration } from './types';

/**
 * The merchant counter keeps no authoritative state: BTCPay is the source of truth. Kept here:
 * which server, store and app the counter uses (the API key itself is sealed in the vault),
 * counter settings Greenfield does not serve (the POS app's tax settings), cashier mode and its
 * PIN hash, and a journal of requests in flight (an invoice or refund asked for, written before
 * the network call, so a crash can find out what BTCPay did with it).
 */
export const merchantMigration: Migration = {
  version: 14,
  name: 'merchant: connection, settings, request journal',
  up(db) {
    db.exec(`
      CREATE TABLE merchant_connection (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        server_url TEXT NOT NULL,
        key_label TEXT NOT NULL,
        permissions TEXT NOT NULL,
        store_id TEXT,
        store_name TEXT,
        app_id TEXT,
        app_name TEXT,
        connected_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE merchant_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE merchant_journal (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('invoice', 'refund')),
        ref TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sent', 'done', 'failed')),
        result_id TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX merchant_journal_state ON merchant_journal (state);
    `);
  },
};
