import type { Migration } from './types';

/**
 * Lightning: the connected providers and the payments journal.
 *
 * `lightning_providers` holds what is not secret (kind, label, host and port, the LND TLS
 * certificate, NWC relays); each provider's secret (macaroon, NWC secret, API key) is sealed in
 * the vault under `lightning.provider.<id>`. `kind` has no CHECK so a new backend needs no
 * migration. One default per network (partial unique index).
 *
 * `lightning_payments` is the journal. An outgoing payment is a row BEFORE the provider is asked
 * to send it, so a crash can never lose or repeat it:
 *
 *   sending ──provider accepted──> pending ──> succeeded | failed
 *      │                              └──> refundable | waiting-fee-acceptance (swaps)
 *      └─ crash: start() asks the provider about the hash: known → its state; unknown → failed
 *
 * A hash journaled as sending, pending or succeeded is never sent again (the unique index makes
 * one outgoing row per hash; a failed row is re-used for a retry). Incoming rows are our
 * invoices: pending until paid (succeeded) or expired (failed, failure 'expired').
 * Amounts are msat in INTEGER (64-bit: 21M BTC is 2.1e18 msat, under 9.2e18).
 */
export const lightningMigration: Migration = {
  version: 13,
  name: 'lightning: providers and payments journal',
  up(db) {
    db.exec(`
      CREATE TABLE lightning_providers (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        network TEXT NOT NULL CHECK (network IN ('mainnet', 'testnet', 'signet', 'regtest')),
        settings TEXT NOT NULL CHECK (json_valid(settings)),
        endpoint TEXT NOT NULL,
        has_secret INTEGER NOT NULL CHECK (has_secret IN (0, 1)),
        is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX lightning_providers_default ON lightning_providers (network) WHERE is_default = 1;

      CREATE TABLE lightning_payments (
        id TEXT PRIMARY KEY,
        payment_hash TEXT CHECK (payment_hash IS NULL OR length(payment_hash) = 64),
        direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
        provider_id TEXT,                      -- no foreign key: history outlives a removed provider
        provider_kind TEXT NOT NULL,
        network TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN
          ('sending', 'pending', 'succeeded', 'failed', 'refundable', 'waiting-fee-acceptance')),
        amount_msat INTEGER NOT NULL CHECK (amount_msat >= 0),
        fee_msat INTEGER NOT NULL DEFAULT 0 CHECK (fee_msat >= 0),
        fee_limit_msat INTEGER,
        bolt11 TEXT,
        description TEXT,
        counterparty TEXT,
        preimage TEXT,
        failure TEXT,
        origin TEXT NOT NULL DEFAULT 'user',   -- user | lnurl | nwc:<app> | zap ...
        comment TEXT,
        success_action TEXT CHECK (success_action IS NULL OR json_valid(success_action)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        settled_at INTEGER,
        expires_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX lightning_payments_hash ON lightning_payments (direction, payment_hash)
        WHERE payment_hash IS NOT NULL;
      CREATE INDEX lightning_payments_open ON lightning_payments (state)
        WHERE state IN ('sending', 'pending', 'waiting-fee-acceptance');
      CREATE INDEX lightning_payments_by_time ON lightning_payments (network, created_at);
    `);
  },
};
