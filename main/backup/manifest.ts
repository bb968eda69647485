import type { BackupCounts, Network } from '../../shared/contract';
import { NETWORKS } from '../../shared/contract';
import type { Db } from '../store/database';

/** Tables whose rows a backup never carries: the vault's header is per profile (its password). */
export const NOT_BACKED_UP = new Set(['vault', 'vault_secrets']);
/** Settings and secrets of the backup feature itself stay with the computer that made them. */
export const LOCAL_PREFIX = 'backup.';

/** Every user table of a database, in name order (SQLite's own tables excluded). */
export function userTables(db: Db): string[] {
  return db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .all()
    .map((r) => r.name);
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function tableCounts(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of userTables(db)) {
    if (NOT_BACKED_UP.has(t)) continue;
    out[t] = (db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(t)}`).get() as { n: number }).n;
  }
  return out;
}

/** A count that is 0 when the table (a rail this profile's schema lacks) is not there. */
function count(db: Db, tables: Set<string>, needs: string[], sql: string): number {
  if (!needs.every((t) => tables.has(t))) return 0;
  const row = db.prepare(sql).get() as { n: number | null } | undefined;
  return Number(row?.n ?? 0);
}

/** What a person recognises: accounts, messages, proofs. */
export function kindCounts(db: Db, secrets: number): BackupCounts {
  const t = new Set(userTables(db));
  return {
    accounts: count(db, t, ['wallets'], `SELECT count(*) AS n FROM wallets`),
    watchOnlyAccounts: count(db, t, ['wallets'], `SELECT count(*) AS n FROM wallets WHERE signer = 'watch'`),
    hardwareAccounts: count(
      db,
      t,
      ['wallets'],
      `SELECT count(*) AS n FROM wallets WHERE signer IN ('ledger', 'trezor')`,
    ),
    transactions: count(db, t, ['wallet_txs'], `SELECT count(*) AS n FROM wallet_txs`),
    labels: count(db, t, ['wallet_labels'], `SELECT count(*) AS n FROM wallet_labels`),
    frozenCoins: count(db, t, ['wallet_frozen_outputs'], `SELECT count(*) AS n FROM wallet_frozen_outputs`),
    nostrIdentities: count(db, t, ['nostr_identities'], `SELECT count(*) AS n FROM nostr_identities`),
    // Contacts are the `p` tags of our own kind-3 follow list.
    contacts: count(
      db,
      t,
      ['nostr_replaceable', 'nostr_identities'],
      `SELECT count(*) AS n FROM nostr_replaceable r, json_each(json_extract(r.raw, '$.tags')) tag
        WHERE r.kind = 3 AND r.pubkey IN (SELECT pubkey FROM nostr_identities)
          AND json_valid(r.raw) AND json_extract(tag.value, '$[0]') = 'p'`,
    ),
    messages: count(db, t, ['nostr_messages'], `SELECT count(*) AS n FROM nostr_messages`),
    lightningConnections: count(
      db,
      t,
      ['lightning_providers'],
      `SELECT count(*) AS n FROM lightning_providers`,
    ),
    nwcConnections: count(db, t, ['nwc_connections'], `SELECT count(*) AS n FROM nwc_connections`),
    merchantStores: count(db, t, ['merchant_connection'], `SELECT count(*) AS n FROM merchant_connection`),
    ecashMints: count(db, t, ['ecash_mints'], `SELECT count(*) AS n FROM ecash_mints`),
    ecashProofs: count(
      db,
      t,
      ['ecash_proofs'],
      `SELECT count(*) AS n FROM ecash_proofs WHERE state IN ('unspent', 'reserved')`,
    ),
    ecashSats: count(
      db,
      t,
      ['ecash_proofs'],
      `SELECT sum(amount) AS n FROM ecash_proofs WHERE state IN ('unspent', 'reserved') AND unit = 'sat'`,
    ),
    secrets,
  };
}

/** Networks that hold anything: accounts, eCash mints or Lightning connections. */
export function networksIn(db: Db): Network[] {
  const t = new Set(userTables(db));
  const parts = [
    ['wallets', 'SELECT network FROM wallets'],
    ['ecash_mints', 'SELECT network FROM ecash_mints'],
    ['lightning_providers', 'SELECT network FROM lightning_providers'],
  ].filter(([table]) => t.has(table!));
  if (parts.length === 0) return [];
  const found = new Set(
    db
      .prepare<[], { network: string }>(parts.map(([, sql]) => sql).join(' UNION '))
      .all()
      .map((r) => r.network),
  );
  return NETWORKS.filter((n) => found.has(n));
}
