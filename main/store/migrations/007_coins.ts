import type { Migration } from './types';

/**
 * Coin control and labels. Frozen coins are keyed by outpoint, not tied by a foreign key to
 * wallet_tx_outputs: a BIP329 import into a freshly restored wallet may freeze a coin before the
 * sync has found it, and a reorg that drops and re-adds a coin must not forget that it was frozen.
 * Labels follow BIP329 (type + ref); types we do not use ourselves (input, pubkey, xpub) are kept
 * so an export gives back what was imported.
 */
export const coinsMigration: Migration = {
  version: 7,
  name: 'coins: frozen outputs and BIP329 labels',
  up(db) {
    db.exec(`
      CREATE TABLE wallet_frozen_outputs (
        wallet_id TEXT NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
        txid TEXT NOT NULL CHECK (length(txid) = 64),
        vout INTEGER NOT NULL CHECK (vout >= 0),
        frozen_at INTEGER NOT NULL,
        PRIMARY KEY (wallet_id, txid, vout)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE wallet_labels (
        wallet_id TEXT NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
        type TEXT NOT NULL CHECK (type IN ('tx', 'addr', 'pubkey', 'input', 'output', 'xpub')),
        ref TEXT NOT NULL CHECK (length(ref) BETWEEN 1 AND 200),
        label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 255),
        origin TEXT CHECK (origin IS NULL OR length(origin) <= 200),
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (wallet_id, type, ref)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
