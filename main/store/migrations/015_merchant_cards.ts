import type { Migration } from './types';

/**
 * Flash Cards and rewards move money too, so their requests join the journal: a card's pull
 * payment asked for ('card'), a tap handed an invoice to pay ('cardTap'), a reward issued
 * ('reward'). SQLite cannot widen a CHECK in place: the table is copied into a new one.
 * Rewards keep a small local index (which sale earned which pull payment); what became of a
 * reward (claimed, expired) is always read back from BTCPay.
 */
export const merchantCardsMigration: Migration = {
  version: 15,
  name: 'merchant: card, tap and reward journal kinds; rewards index',
  up(db) {
    db.exec(`
      CREATE TABLE merchant_journal_next (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('invoice', 'refund', 'card', 'cardTap', 'reward')),
        ref TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sent', 'done', 'failed')),
        result_id TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      INSERT INTO merchant_journal_next SELECT * FROM merchant_journal;
      DROP TABLE merchant_journal;
      ALTER TABLE merchant_journal_next RENAME TO merchant_journal;
      CREATE INDEX merchant_journal_state ON merchant_journal (state);
      CREATE TABLE merchant_rewards (
        pull_payment_id TEXT PRIMARY KEY,
        invoice_id TEXT NOT NULL UNIQUE,
        amount_sats INTEGER NOT NULL CHECK (amount_sats > 0),
        lnurl TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER
      ) STRICT;
    `);
  },
};
