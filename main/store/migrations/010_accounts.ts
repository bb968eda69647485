import type { Migration } from './types';

/**
 * Several accounts per wallet: every account type (BIP44/49/84/86), watch-only accounts from an
 * xpub or descriptor, hardware-signed accounts, and per-account gap limits.
 *
 * A row of `wallets` is one account. Accounts derived from the same recovery words point at the
 * row whose vault secret holds them (`seed_wallet_id`); watch-only and device accounts have none.
 * SQLite cannot alter a CHECK constraint, so the table is rebuilt (the migration runner turns
 * foreign keys off around migrations and checks them before committing).
 */
export const accountsMigration: Migration = {
  version: 10,
  name: 'wallet: account types, watch-only and device accounts, gap limits',
  up(db) {
    db.exec(`
      CREATE TABLE wallets_v10 (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        network TEXT NOT NULL CHECK (network IN ('mainnet', 'testnet', 'signet', 'regtest')),
        account_type TEXT NOT NULL CHECK (account_type IN ('bip44', 'bip49', 'bip84', 'bip86')),
        account_path TEXT,                    -- NULL for a bare xpub imported without key origin
        xpub TEXT NOT NULL,                   -- account-level, xpub/tpub version bytes
        fingerprint TEXT CHECK (fingerprint IS NULL OR length(fingerprint) = 8),
        signer TEXT NOT NULL CHECK (signer IN ('seed', 'watch', 'ledger', 'trezor')),
        seed_wallet_id TEXT,
        gap_receive INTEGER NOT NULL DEFAULT 20 CHECK (gap_receive BETWEEN 1 AND 1000),
        gap_change INTEGER NOT NULL DEFAULT 10 CHECK (gap_change BETWEEN 1 AND 1000),
        created_at INTEGER NOT NULL,
        last_synced_at INTEGER,
        announce_deposits INTEGER NOT NULL CHECK (announce_deposits IN (0, 1)),
        UNIQUE (network, xpub),
        CHECK ((signer = 'seed') = (seed_wallet_id IS NOT NULL))
      ) STRICT;
      INSERT INTO wallets_v10 (id, name, network, account_type, account_path, xpub, fingerprint, signer,
                               seed_wallet_id, created_at, last_synced_at, announce_deposits)
        SELECT id, name, network, account_type, account_path, xpub, fingerprint, 'seed',
               id, created_at, last_synced_at, announce_deposits FROM wallets;
      DROP TABLE wallets;
      ALTER TABLE wallets_v10 RENAME TO wallets;
      CREATE INDEX wallets_by_network ON wallets (network, created_at);

      -- The account the user last picked on each network; absent = the oldest one.
      CREATE TABLE wallet_active (
        network TEXT PRIMARY KEY CHECK (network IN ('mainnet', 'testnet', 'signet', 'regtest')),
        wallet_id TEXT NOT NULL REFERENCES wallets (id) ON DELETE CASCADE
      ) STRICT;
    `);
  },
};
