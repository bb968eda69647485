import type { Migration } from './types';

/**
 * SPV: validated block headers per network, the proof state of every transaction the wallet was
 * told about, and the servers caught lying. All public chain data.
 */
export const chainMigration: Migration = {
  version: 4,
  name: 'chain: block headers and transaction proofs',
  up(db) {
    db.exec(`
      -- Headers we validated. The best chain runs contiguously from the network's anchor (just
      -- after the last checkpoint) to the tip: chainwork set. Below the anchor only single headers
      -- the wallet needed are kept, each checked with its whole 2016-block period against the
      -- checkpoints: chainwork NULL.
      CREATE TABLE chain_headers (
        network TEXT NOT NULL CHECK (network IN ('mainnet', 'testnet', 'testnet4', 'signet', 'regtest')),
        height INTEGER NOT NULL CHECK (height >= 0),
        hash TEXT NOT NULL CHECK (length(hash) = 64),    -- display hex
        header BLOB NOT NULL CHECK (length(header) = 80),
        -- Cumulative work from the anchor up to and including this header, 64 hex digits
        -- (relative to the anchor: compared only between our own headers).
        chainwork TEXT CHECK (chainwork IS NULL OR length(chainwork) = 64),
        PRIMARY KEY (network, height)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX chain_headers_by_hash ON chain_headers (network, hash);

      -- SPV state of one transaction at one height. 'verified': its merkle branch leads to the
      -- root of our header at that height (block_hash says which). 'unverified': not checked yet,
      -- unconfirmed, or its block was reorged away. 'failed': the server's proof was wrong.
      CREATE TABLE chain_tx_proofs (
        network TEXT NOT NULL CHECK (network IN ('mainnet', 'testnet', 'testnet4', 'signet', 'regtest')),
        txid TEXT NOT NULL CHECK (length(txid) = 64),
        height INTEGER NOT NULL CHECK (height >= -1),
        state TEXT NOT NULL CHECK (state IN ('verified', 'unverified', 'failed')),
        reason TEXT,
        block_hash TEXT CHECK (block_hash IS NULL OR length(block_hash) = 64),
        pos INTEGER CHECK (pos IS NULL OR pos >= 0),
        checked_at INTEGER NOT NULL,
        PRIMARY KEY (network, txid)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX chain_tx_proofs_by_height ON chain_tx_proofs (network, height);

      -- Servers caught lying (bad proof of work, bad merkle branch, a tx not matching its id, a
      -- confirmed tx it cannot prove). The server pool skips these.
      CREATE TABLE chain_server_lies (
        id INTEGER PRIMARY KEY,
        server TEXT NOT NULL,                 -- host:port
        network TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL,
        caught_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX chain_server_lies_by_server ON chain_server_lies (server, caught_at);
    `);
  },
};
