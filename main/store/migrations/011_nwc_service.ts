import type { Migration } from './types';

/**
 * Flash as a Nostr Wallet Connect service (NIP-47): the apps allowed to spend from the default
 * Lightning provider. Each connection has its own service key (sealed in the vault, never here)
 * and knows only the app's public key: the app's secret lives in the URI shown once.
 *
 * `nwc_requests` records every request event before it is acted on, so a request delivered twice
 * (by two relays, or replayed) is answered from the record and never paid twice. `nwc_payments`
 * is what each connection spent or asked to receive: the budget counts its outgoing rows.
 */
export const nwcServiceMigration: Migration = {
  version: 11,
  name: 'lightning: NWC service connections, their requests and payments',
  up(db) {
    db.exec(`
      CREATE TABLE nwc_connections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        service_pubkey TEXT NOT NULL UNIQUE CHECK (length(service_pubkey) = 64),
        client_pubkey TEXT NOT NULL UNIQUE CHECK (length(client_pubkey) = 64),
        relays TEXT NOT NULL,                 -- JSON array of relay URLs named in the URI
        methods TEXT NOT NULL,                -- JSON array of NIP-47 methods allowed
        budget_sats INTEGER NOT NULL CHECK (budget_sats >= 0),
        budget_period TEXT NOT NULL CHECK (budget_period IN ('day', 'week', 'month')),
        expires_at INTEGER,                   -- seconds since the epoch; NULL: never
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        last_used_at INTEGER
      ) STRICT;
      CREATE TABLE nwc_requests (
        event_id TEXT PRIMARY KEY CHECK (length(event_id) = 64),
        connection_id TEXT NOT NULL REFERENCES nwc_connections(id) ON DELETE CASCADE,
        method TEXT NOT NULL,
        encryption TEXT NOT NULL CHECK (encryption IN ('nip04', 'nip44_v2')),
        received_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'answered')),
        response TEXT                         -- the JSON answer once there is one
      ) STRICT;
      CREATE INDEX nwc_requests_connection ON nwc_requests (connection_id, received_at);
      CREATE TABLE nwc_payments (
        connection_id TEXT NOT NULL REFERENCES nwc_connections(id) ON DELETE CASCADE,
        payment_hash TEXT NOT NULL CHECK (length(payment_hash) = 64),
        direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
        request_event_id TEXT NOT NULL,
        invoice TEXT NOT NULL,
        description TEXT,
        amount_msat INTEGER NOT NULL CHECK (amount_msat >= 0),
        fee_msat INTEGER NOT NULL CHECK (fee_msat >= 0),
        state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed')),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (connection_id, payment_hash, direction)
      ) STRICT;
      CREATE INDEX nwc_payments_hash ON nwc_payments (payment_hash);
    `);
  },
};
