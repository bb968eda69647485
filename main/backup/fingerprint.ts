import { createHash } from 'node:crypto';
import type { Db } from '../store/database';
import { LOCAL_PREFIX, quoteIdent, userTables } from './manifest';

/**
 * A digest of what a lost computer would cost the user: accounts, labels, frozen coins, keys,
 * connections, merchant settings, eCash proofs and counters, and the count of transactions and
 * payments. Automatic backups compare it with the one at the last backup, so they follow every
 * money- or key-changing event (whoever made it: an API call, a sync finding a deposit, a token
 * claimed in the background) without firing on noise such as headers, relay state or a mint's
 * "last checked" time.
 *
 * Small tables are read whole; big ones (transactions, payments) only counted, which is enough to
 * notice a new one and costs a few milliseconds on 100,000 rows.
 */
const WHOLE = [
  'wallets',
  'wallet_labels',
  'wallet_frozen_outputs',
  'nostr_identities',
  'lightning_providers',
  'nwc_connections',
  'merchant_connection',
  'merchant_settings',
  'merchant_rewards',
  'ecash_counters',
  'multisig_wallets',
  'multisig_cosigners',
];
/** Columns that change with use, not with what the user owns (sync times, reachability). */
const VOLATILE = new Set([
  'last_synced_at',
  'checked_at',
  'reachable',
  'last_error',
  'last_seen_at',
  'last_used_at',
]);
const COUNTED = ['wallet_txs', 'send_payments', 'lightning_payments', 'nwc_payments', 'ecash_ops'];

const QUERIES: Record<string, string> = {
  ecash_proofs: `SELECT y, state FROM ecash_proofs ORDER BY y`,
  ecash_mints: `SELECT network, url FROM ecash_mints ORDER BY network, url`,
  vault_secrets: `SELECT name, updated_at FROM vault_secrets WHERE name NOT LIKE '${LOCAL_PREFIX}%' ORDER BY name`,
  settings: `SELECT key, value FROM settings WHERE key NOT LIKE '${LOCAL_PREFIX}%' ORDER BY key`,
  // Our own follow list (contacts): its event id changes with every follow or unfollow.
  nostr_replaceable: `SELECT event_id FROM nostr_replaceable
                          WHERE kind = 3 AND pubkey IN (SELECT pubkey FROM nostr_identities) ORDER BY event_id`,
};

export function dataFingerprint(db: Db): string {
  const have = new Set(userTables(db));
  const hash = createHash('sha256');
  const feed = (label: string, rows: unknown[]) => {
    hash.update(label);
    hash.update(JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
  };
  for (const t of WHOLE) {
    if (!have.has(t)) continue;
    const cols = (db.pragma(`table_info(${quoteIdent(t)})`) as { name: string }[])
      .map((c) => c.name)
      .filter((c) => !VOLATILE.has(c));
    feed(
      t,
      db
        .prepare(`SELECT ${cols.map(quoteIdent).join(', ')} FROM ${quoteIdent(t)} ORDER BY 1`)
        .raw()
        .all(),
    );
  }
  for (const t of COUNTED) {
    if (have.has(t))
      feed(
        t,
        db
          .prepare(`SELECT count(*) FROM ${quoteIdent(t)}`)
          .raw()
          .all(),
      );
  }
  for (const [t, sql] of Object.entries(QUERIES)) {
    if (have.has(t) && (t !== 'nostr_replaceable' || have.has('nostr_identities'))) {
      feed(t, db.prepare(sql).raw().all());
    }
  }
  return hash.digest('hex');
}
