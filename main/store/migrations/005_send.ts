import type { Migration } from './types';

/**
 * The outgoing-payment journal. Every payment is a row before any network call:
 *
 *   drafted ──sign──> signed ──(journal raw tx)──> broadcasting ──server ok──> broadcast ──mined──> confirmed
 *      │                 │                              │                          │
 *      └──> failed       └──> failed                    ├─ server rejects ──> failed
 *                                                       └─ crash / offline: start() asks the server
 *                                                          (known txid → broadcast) or re-broadcasts
 *   broadcast ──a bump of it is broadcast──> replaced
 *
 * `raw_tx` and `txid` are written in the same transaction that enters 'signed' or 'broadcasting',
 * so a crash after the network call can always be completed. Coins listed in
 * send_payment_inputs are reserved while a payment is signed, broadcasting or broadcast.
 * Fee rates are stored in sat/kvB (integer) so no float is persisted.
 */
export const sendMigration: Migration = {
  version: 5,
  name: 'send: outgoing payment journal',
  up(db) {
    db.exec(`
      CREATE TABLE send_payments (
        id TEXT PRIMARY KEY,
        wallet_id TEXT NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('send', 'bump', 'cpfp', 'import')),
        state TEXT NOT NULL CHECK (state IN
          ('drafted', 'signed', 'broadcasting', 'broadcast', 'confirmed', 'failed', 'replaced')),
        psbt BLOB NOT NULL,
        txid TEXT,
        raw_tx BLOB,
        amount_sats INTEGER NOT NULL CHECK (amount_sats >= 0),   -- paid to others
        fee_sats INTEGER NOT NULL CHECK (fee_sats >= 0),
        vsize INTEGER NOT NULL CHECK (vsize > 0),
        fee_rate_sat_per_kvb INTEGER NOT NULL CHECK (fee_rate_sat_per_kvb >= 0),
        change_sats INTEGER NOT NULL DEFAULT 0 CHECK (change_sats >= 0),
        change_index INTEGER,                -- change chain index used, if any
        replaces_txid TEXT,                  -- bump: the tx it replaces
        parent_txid TEXT,                    -- cpfp: the stuck parent
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK (state IN ('drafted', 'failed') OR (raw_tx IS NOT NULL AND txid IS NOT NULL))
      ) STRICT;
      CREATE INDEX send_payments_open ON send_payments (state)
        WHERE state IN ('signed', 'broadcasting', 'broadcast');
      CREATE INDEX send_payments_by_txid ON send_payments (txid);
      CREATE INDEX send_payments_by_wallet ON send_payments (wallet_id, created_at);

      CREATE TABLE send_payment_inputs (
        payment_id TEXT NOT NULL REFERENCES send_payments (id) ON DELETE CASCADE,
        prev_txid TEXT NOT NULL,
        prev_vout INTEGER NOT NULL CHECK (prev_vout >= 0),
        PRIMARY KEY (payment_id, prev_txid, prev_vout)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX send_payment_inputs_by_prevout ON send_payment_inputs (prev_txid, prev_vout);
    `);
  },
};
