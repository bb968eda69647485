import type { Migration } from './types';

/**
 * Hardware wallet preferences. Device accounts themselves live in `wallets` (signer 'ledger' or
 * 'trezor', with fingerprint, path and xpub); Ledger multisig wallet-policy HMACs are not stored
 * because multisig through ledger-bitcoin is not built.
 */
export const hardwareMigration: Migration = {
  version: 9,
  name: 'hardware: preferences (always verify addresses on the device)',
  up(db) {
    db.exec(`
      CREATE TABLE hardware_preferences (
        key TEXT PRIMARY KEY CHECK (key IN ('always_verify')),
        value INTEGER NOT NULL CHECK (value IN (0, 1))
      ) STRICT;
    `);
  },
};
