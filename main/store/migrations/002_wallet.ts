import type { Migration } from './types';

/**
 * On-chain wallets. Only public data lives here (account xpubs, addresses, transactions); the
 * recovery words live sealed in the vault under `wallet:<id>:mnemonic`.
 *
 * Amounts are integer sats. Heights follow Electrum: > 0 is a block height, 0 is in the mempool,
 * -1 is in the mempool with an unconfirmed parent.
 */
export const walletMigration: Migration = {
  version: 2,
  name: 'wallet: wallets, addresses, transactions',
  up(db) {
    db.exec(`
      CREATE TABLE wallets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        network TEXT NOT NULL CHECK (network IN ('mainnet', 'testnet', 'signet', 'regtest')),
        account_type TEXT NOT NULL CHECK (account_type IN ('bip84')),
        account_path TEXT NOT NULL,           -- e.g. m/84'/1'/0'
        xpub TEXT NOT NULL,                   -- account-level, xpub/tpub version bytes
        fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 8),
        created_at INTEGER NOT NULL,
        last_synced_at INTEGER,
        -- 0 while a restored wallet imports its past: old payments are history, not news.
        announce_deposits INTEGER NOT NULL CHECK (announce_deposits IN (0, 1)),
        -- The same words + passphrase on the same network give the same xpub: one wallet only.
        UNIQUE (network, xpub)
      ) STRICT;
      CREATE INDEX wallets_by_network ON wallets (network, created_at);

      CREATE TABLE wallet_addresses (
        wallet_id TEXT NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
        chain INTEGER NOT NULL CHECK (chain IN (0, 1)),
        idx INTEGER NOT NULL CHECK (idx >= 0),
        address TEXT NOT NULL,
        script_pubkey BLOB NOT NULL,
        script_hash TEXT NOT NULL,            -- Electrum key: sha256(script_pubkey) reversed, hex
        -- Electrum status hash of the history stored in wallet_address_history; NULL = no history.
        -- Compared with the server's on every (re)connect so unchanged addresses cost no request.
        status TEXT,
        used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),  -- sticky: never hand it out again
        PRIMARY KEY (wallet_id, chain, idx)
      ) STRICT, WITHOUT ROWID;
      CREATE UNIQUE INDEX wallet_addresses_by_script_hash ON wallet_addresses (wallet_id, script_hash);

      -- Raw transactions, content-addressed, shared by every wallet that touches them.
      CREATE TABLE bitcoin_txs (
        txid TEXT PRIMARY KEY,
        raw BLOB NOT NULL
      ) STRICT;

      -- One row per transaction touching a wallet, with its effect precomputed so the activity
      -- list pages straight from the index below.
      CREATE TABLE wallet_txs (
        wallet_id TEXT NOT NULL REFERENCES wallets (id) ON DELETE CASCADE,
        txid TEXT NOT NULL,
        height INTEGER NOT NULL CHECK (height >= -1),
        output_count INTEGER NOT NULL CHECK (output_count >= 0),
        received_sats INTEGER NOT NULL DEFAULT 0,  -- paid to our outputs
        sent_sats INTEGER NOT NULL DEFAULT 0,      -- our outputs this tx spends
        net_sats INTEGER NOT NULL DEFAULT 0,       -- received - sent
        direction TEXT NOT NULL DEFAULT 'in' CHECK (direction IN ('in', 'out', 'self')),
        first_seen_at INTEGER NOT NULL,
        -- 0: not yet judged; 1: announced as an unconfirmed deposit; 2: nothing more to announce.
        deposit_state INTEGER NOT NULL DEFAULT 0 CHECK (deposit_state IN (0, 1, 2)),
        -- Unconfirmed first, then newest block first.
        sort_height INTEGER GENERATED ALWAYS AS (CASE WHEN height > 0 THEN height ELSE 9007199254740991 END) VIRTUAL,
        PRIMARY KEY (wallet_id, txid)
      ) STRICT;
      CREATE INDEX wallet_txs_activity ON wallet_txs (wallet_id, sort_height DESC, first_seen_at DESC, txid DESC);
      CREATE INDEX wallet_txs_open_deposits ON wallet_txs (wallet_id) WHERE deposit_state < 2;

      -- Outputs paying one of our addresses (spent or not): with the inputs below, the UTXO set.
      CREATE TABLE wallet_tx_outputs (
        wallet_id TEXT NOT NULL,
        txid TEXT NOT NULL,
        vout INTEGER NOT NULL CHECK (vout >= 0),
        value_sats INTEGER NOT NULL CHECK (value_sats >= 0),
        chain INTEGER NOT NULL CHECK (chain IN (0, 1)),
        idx INTEGER NOT NULL CHECK (idx >= 0),
        PRIMARY KEY (wallet_id, txid, vout),
        FOREIGN KEY (wallet_id, txid) REFERENCES wallet_txs (wallet_id, txid) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;

      -- Every input of every wallet transaction, ours or not: whether a prevout is ours can change
      -- later (an address past the gap limit found on a deeper scan), so all are kept.
      CREATE TABLE wallet_tx_inputs (
        wallet_id TEXT NOT NULL,
        txid TEXT NOT NULL,
        vin INTEGER NOT NULL CHECK (vin >= 0),
        prev_txid TEXT NOT NULL,
        prev_vout INTEGER NOT NULL CHECK (prev_vout >= 0),
        PRIMARY KEY (wallet_id, txid, vin),
        FOREIGN KEY (wallet_id, txid) REFERENCES wallet_txs (wallet_id, txid) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX wallet_tx_inputs_by_prevout ON wallet_tx_inputs (wallet_id, prev_txid, prev_vout);

      -- The history the server reported per address, as of wallet_addresses.status. A tx that
      -- drops out of every address's history (replaced, reorged away) leaves the wallet.
      CREATE TABLE wallet_address_history (
        wallet_id TEXT NOT NULL,
        script_hash TEXT NOT NULL,
        txid TEXT NOT NULL,
        height INTEGER NOT NULL CHECK (height >= -1),
        PRIMARY KEY (wallet_id, script_hash, txid),
        FOREIGN KEY (wallet_id, script_hash) REFERENCES wallet_addresses (wallet_id, script_hash) ON DELETE CASCADE,
        FOREIGN KEY (wallet_id, txid) REFERENCES wallet_txs (wallet_id, txid) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX wallet_address_history_by_tx ON wallet_address_history (wallet_id, txid);

      -- Last chain tip seen per network, so confirmations still show while offline.
      CREATE TABLE wallet_chain_tips (
        network TEXT PRIMARY KEY CHECK (network IN ('mainnet', 'testnet', 'signet', 'regtest')),
        height INTEGER NOT NULL CHECK (height >= 0),
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
