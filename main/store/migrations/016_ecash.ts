import type { Migration } from './types';

/**
 * eCash (Cashu): mints, deterministic-secret counters, proofs and the operations journal.
 *
 * `ecash_mints`: one row per mint URL and network: its NUT-06 info and the public keysets it
 * serves (cashu-ts's KeyChainCache, so a wallet works offline), and whether it answered lately.
 *
 * `ecash_counters`: NUT-13's counter per keyset, the next index to derive. Reserved by one
 * `UPDATE … RETURNING` (an atomic read-and-increment), so two operations never share a counter.
 *
 * `ecash_proofs`: every proof the wallet holds or held, keyed by Y = hash_to_curve(secret) (what
 * NUT-07 asks about; a proof can never be stored twice). `sealed` holds the secret, C, DLEQ and
 * witness sealed with the vault's eCash key: the bearer parts never sit in plain SQLite.
 * States: unspent ──an operation reserves──> reserved ──> spent, or back to unspent.
 *
 * `ecash_ops`: the journal. Each mint, melt, swap, send, receive and move is a row written BEFORE
 * its network call, with its request and blinded outputs (sealed), walking the states each
 * operation module writes out (main/ecash/ops/*). Start-up resumes or reverts every row not in a
 * final state. A move's two legs point at it through parent_id.
 */
export const ecashMigration: Migration = {
  version: 16,
  name: 'ecash: mints, counters, proofs and operations journal',
  up(db) {
    db.exec(`
      CREATE TABLE ecash_mints (
        network TEXT NOT NULL CHECK (network IN ('mainnet', 'testnet', 'signet', 'regtest')),
        url TEXT NOT NULL,
        info TEXT NOT NULL CHECK (json_valid(info)),
        keychain TEXT NOT NULL CHECK (json_valid(keychain)),
        reachable INTEGER NOT NULL DEFAULT 1 CHECK (reachable IN (0, 1)),
        last_error TEXT,
        checked_at INTEGER NOT NULL,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (network, url)
      ) STRICT;

      CREATE TABLE ecash_counters (
        keyset_id TEXT PRIMARY KEY,
        next INTEGER NOT NULL CHECK (next >= 0)
      ) STRICT;

      CREATE TABLE ecash_proofs (
        y TEXT PRIMARY KEY,
        network TEXT NOT NULL,
        mint_url TEXT NOT NULL,
        unit TEXT NOT NULL,
        keyset_id TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        sealed BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('unspent', 'reserved', 'spent')),
        op_id TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX ecash_proofs_wallet ON ecash_proofs (network, mint_url, unit, state);
      CREATE INDEX ecash_proofs_op ON ecash_proofs (op_id);

      CREATE TABLE ecash_ops (
        id TEXT PRIMARY KEY,
        network TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('mint', 'melt', 'swap', 'send', 'receive', 'move')),
        mint_url TEXT NOT NULL,
        unit TEXT NOT NULL,
        state TEXT NOT NULL,
        final INTEGER NOT NULL DEFAULT 0 CHECK (final IN (0, 1)),
        amount INTEGER NOT NULL CHECK (amount >= 0),
        fee INTEGER NOT NULL DEFAULT 0,
        quote_id TEXT,
        request TEXT,
        sealed BLOB,
        parent_id TEXT,
        counterparty TEXT,
        memo TEXT,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX ecash_ops_open ON ecash_ops (network, final);
      CREATE INDEX ecash_ops_list ON ecash_ops (network, created_at);
    `);
  },
};
