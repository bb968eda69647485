import type Database from 'better-sqlite3';
import type { Migration } from './types';

/**
 * Multisig wallets (issue 14). A multisig wallet is one row of `wallets` like any account, so
 * sync, balances, activity, coin control and sending work on it unchanged; its account type and
 * signer are 'multisig', and its `xpub` column holds the wallet's canonical descriptor (the
 * public key material that defines its addresses: one wallet per descriptor and network, as one
 * account per xpub). `multisig_wallets` and `multisig_cosigners` keep the policy in columns;
 * `multisig_ledger_registrations` keeps, per wallet and Ledger (by master fingerprint), the
 * BIP388 policy id and the HMAC the device returned when the user approved the policy: the app
 * is stateless, so without it the device asks to register again. An HMAC spends nothing; it is
 * kept in plain columns.
 *
 * SQLite cannot alter a CHECK constraint, so `wallets` is rebuilt (as migration 010 did), and its
 * index and the aggregates trigger on it are made again. Migration 012's triggers on other tables
 * name `wallets`; with the modern ALTER TABLE, renaming the new table re-checks them while the old
 * one is gone and fails, so the rename runs in legacy mode (the triggers then name the new table).
 */
function rebuildWallets(db: Database.Database): void {
  db.exec(`
    CREATE TABLE wallets_v17 (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      network TEXT NOT NULL CHECK (network IN ('mainnet', 'testnet', 'signet', 'regtest')),
      account_type TEXT NOT NULL CHECK (account_type IN ('bip44', 'bip49', 'bip84', 'bip86', 'multisig')),
      account_path TEXT,
      xpub TEXT NOT NULL,                   -- account xpub; for multisig the wallet's descriptor
      fingerprint TEXT CHECK (fingerprint IS NULL OR length(fingerprint) = 8),
      signer TEXT NOT NULL CHECK (signer IN ('seed', 'watch', 'ledger', 'trezor', 'multisig')),
      seed_wallet_id TEXT,
      gap_receive INTEGER NOT NULL DEFAULT 20 CHECK (gap_receive BETWEEN 1 AND 1000),
      gap_change INTEGER NOT NULL DEFAULT 10 CHECK (gap_change BETWEEN 1 AND 1000),
      created_at INTEGER NOT NULL,
      last_synced_at INTEGER,
      announce_deposits INTEGER NOT NULL CHECK (announce_deposits IN (0, 1)),
      UNIQUE (network, xpub),
      CHECK ((signer = 'seed') = (seed_wallet_id IS NOT NULL)),
      CHECK ((account_type = 'multisig') = (signer = 'multisig'))
    ) STRICT;
    INSERT INTO wallets_v17 SELECT id, name, network, account_type, account_path, xpub, fingerprint, signer,
      seed_wallet_id, gap_receive, gap_change, created_at, last_synced_at, announce_deposits FROM wallets;
    DROP TABLE wallets;
    ALTER TABLE wallets_v17 RENAME TO wallets;
    CREATE INDEX wallets_by_network ON wallets (network, created_at);
    CREATE TRIGGER wallet_aggregates_new_wallet AFTER INSERT ON wallets BEGIN
      INSERT OR IGNORE INTO wallet_aggregates (wallet_id) VALUES (NEW.id);
    END;
  `);
}

export const multisigMigration: Migration = {
  version: 17,
  name: 'multisig: wallets, cosigners, Ledger policy registrations',
  up(db) {
    db.pragma('legacy_alter_table = ON');
    try {
      rebuildWallets(db);
    } finally {
      db.pragma('legacy_alter_table = OFF');
    }
    db.exec(`
      CREATE TABLE multisig_wallets (
        wallet_id TEXT PRIMARY KEY REFERENCES wallets (id) ON DELETE CASCADE,
        script TEXT NOT NULL CHECK (script IN ('wsh', 'sh-wsh', 'tr')),
        threshold INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 15)
      ) STRICT;

      CREATE TABLE multisig_cosigners (
        wallet_id TEXT NOT NULL REFERENCES multisig_wallets (wallet_id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 14),
        fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 8),
        path TEXT NOT NULL,
        xpub TEXT NOT NULL,
        label TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('ledger', 'trezor', 'seed', 'watch')),
        -- For kind 'seed': the account whose vault secret holds the words.
        seed_wallet_id TEXT REFERENCES wallets (id) ON DELETE SET NULL,
        PRIMARY KEY (wallet_id, position)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE multisig_ledger_registrations (
        wallet_id TEXT NOT NULL REFERENCES multisig_wallets (wallet_id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 8),
        policy_id TEXT NOT NULL CHECK (length(policy_id) = 64),
        hmac TEXT NOT NULL CHECK (length(hmac) = 64),
        registered_at INTEGER NOT NULL,
        PRIMARY KEY (wallet_id, fingerprint)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
