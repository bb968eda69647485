import { FlashError } from '../../shared/errors';
import type { Sealer } from '../ecash/sealing';
import { createEcashStore } from '../ecash/store';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import type { PlainSecret } from './body';
import type { EcashMergePlan } from './merge-ecash';
import { quoteIdent, userTables } from './manifest';

export interface MergeReport {
  accountsAdded: number;
  accountsAlreadyHere: number;
  labelsAdded: number;
  frozenCoinsAdded: number;
  ecashMintsAdded: number;
  ecashProofsAdded: number;
  ecashSatsAdded: number;
  ecashProofsAlreadyHere: number;
  ecashProofsInOpenOperations: number;
  electrumPinsAdded: number;
}

/** The eCash part of a merge: the plan made before the transaction, and this profile's sealer. */
export interface EcashMerge {
  plan: EcashMergePlan;
  /** Seals under this profile's eCash key (created in the vault if this profile has none yet). */
  sealer: Sealer;
  /** Whether NUT-13 counters move up to the backup's (see `sameEcashSeed`). */
  raiseCounters: boolean;
}

type Row = Record<string, unknown>;

const SINGLE_KEY_ACCOUNT_TYPES = new Set(['bip44', 'bip49', 'bip84', 'bip86']);
/**
 * A merged account has none of its history here: it syncs from the start, and what it finds is
 * old money, not deposits to announce (as for an account restored from words).
 */
const FRESH_ACCOUNT: Record<string, unknown> = { last_synced_at: null, announce_deposits: 0 };
const mnemonicSecret = (walletId: string) => `wallet:${walletId}:mnemonic`;

function columns(db: Db, table: string): string[] {
  return (db.pragma(`table_xinfo(${quoteIdent(table)})`) as { name: string; hidden: number }[])
    .filter((c) => c.hidden === 0)
    .map((c) => c.name);
}

/**
 * Adds a backup's accounts, labels, frozen coins, eCash and Electrum pins to a profile that already
 * holds some, in ONE transaction. An account is the same when its network and extended public key
 * are (the wallets table's own uniqueness): it is kept as it is here, and the backup's labels and
 * frozen coins for it land on it. A new account comes with its recovery words when it holds them,
 * and syncs its history afresh without announcing old deposits as new. Labels, frozen coins, mints
 * and pins already here win over the backup's (their primary keys de-duplicate). eCash proofs
 * (checked with their mints before, see merge-ecash.ts) are re-sealed under this profile's key and
 * keyed by Y, so one held here already is not counted twice.
 *
 * What a merge does not bring: multisig accounts, history (the wallet syncs it again), NOSTR,
 * messages, Lightning, merchant data, the eCash journal and the Electrum server choice.
 */
export function mergeSnapshot(
  db: Db,
  snap: Db,
  secrets: readonly PlainSecret[],
  vault: VaultService,
  ecash: EcashMerge,
): MergeReport {
  const theirs = new Set(userTables(snap));
  const ours = new Set(userTables(db));
  const report: MergeReport = {
    accountsAdded: 0,
    accountsAlreadyHere: 0,
    labelsAdded: 0,
    frozenCoinsAdded: 0,
    ecashMintsAdded: 0,
    ecashProofsAdded: 0,
    ecashSatsAdded: 0,
    ecashProofsAlreadyHere: ecash.plan.alreadyHere,
    ecashProofsInOpenOperations: ecash.plan.inOpenOperations,
    electrumPinsAdded: 0,
  };
  db.transaction(() => {
    if (theirs.has('wallets')) mergeAccounts(db, snap, theirs, ours, secrets, vault, report);
    if (theirs.has('ecash_mints') && ours.has('ecash_mints')) mergeEcash(db, snap, ecash, report);
    report.electrumPinsAdded = copyAll(db, snap, 'electrum_cert_pins');
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0)
      throw new FlashError('BACKUP_DAMAGED', 'The merge would leave rows pointing at nothing.');
  })();
  return report;
}

/** Copies every row of a table whose primary key is not here yet; returns how many it added. */
function copyAll(db: Db, snap: Db, table: string): number {
  if (!userTables(snap).includes(table) || !userTables(db).includes(table)) return 0;
  const cols = columns(db, table).filter((c) => columns(snap, table).includes(c));
  const list = cols.map(quoteIdent).join(', ');
  const ins = db.prepare(
    `INSERT OR IGNORE INTO ${quoteIdent(table)} (${list}) VALUES (${cols.map(() => '?').join(', ')})`,
  );
  let added = 0;
  for (const row of snap
    .prepare(`SELECT ${list} FROM ${quoteIdent(table)}`)
    .raw()
    .iterate())
    added += ins.run(row as unknown[]).changes;
  return added;
}

function mergeEcash(db: Db, snap: Db, ecash: EcashMerge, report: MergeReport): void {
  report.ecashMintsAdded = copyAll(db, snap, 'ecash_mints');
  const store = createEcashStore(db, ecash.sealer);
  for (const p of ecash.plan.proofs) {
    // A mint the backup held proofs of is here now (copied above, or here already).
    const added = store.addProofs(p.network, p.mintUrl, p.unit, [p.proof], 'backup-merge');
    report.ecashProofsAdded += added;
    if (added > 0 && p.unit === 'sat') report.ecashSatsAdded += p.proof.amount;
    if (added === 0) report.ecashProofsAlreadyHere++;
  }
  if (ecash.raiseCounters && userTables(snap).includes('ecash_counters')) {
    const raise = db.prepare(
      `INSERT INTO ecash_counters (keyset_id, next) VALUES (?, ?)
       ON CONFLICT (keyset_id) DO UPDATE SET next = max(next, excluded.next)`,
    );
    for (const c of snap
      .prepare<[], { keyset_id: string; next: number }>('SELECT keyset_id, next FROM ecash_counters')
      .all())
      raise.run(c.keyset_id, c.next);
  }
}

function mergeAccounts(
  db: Db,
  snap: Db,
  theirs: Set<string>,
  ours: Set<string>,
  secrets: readonly PlainSecret[],
  vault: VaultService,
  report: MergeReport,
): void {
  const secretByName = new Map(secrets.map((s) => [s.name, s.value]));
  const walletCols = columns(db, 'wallets').filter((c) => columns(snap, 'wallets').includes(c));
  const rows = snap
    .prepare(`SELECT ${walletCols.map(quoteIdent).join(', ')} FROM wallets ORDER BY created_at`)
    .all() as Row[];
  const findSame = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM wallets WHERE network = ? AND xpub = ?',
  );
  const idTaken = db.prepare<[string], { id: string }>('SELECT id FROM wallets WHERE id = ?');
  // Their id -> the id of the same account here (itself when it is new).
  const idOf = new Map<string, string>();
  const fresh: Row[] = [];
  for (const row of rows) {
    if (typeof row['account_type'] === 'string' && !SINGLE_KEY_ACCOUNT_TYPES.has(row['account_type']))
      continue;
    const same = findSame.get(String(row['network']), String(row['xpub']));
    if (same) {
      idOf.set(String(row['id']), same.id);
      report.accountsAlreadyHere++;
      continue;
    }
    if (idTaken.get(String(row['id']))) {
      throw new FlashError('INTERNAL', 'An account of the backup has the id of another account here.');
    }
    idOf.set(String(row['id']), String(row['id']));
    fresh.push(row);
  }
  const insert = db.prepare(
    `INSERT INTO wallets (${walletCols.map(quoteIdent).join(', ')}) VALUES (${walletCols.map(() => '?').join(', ')})`,
  );
  for (const row of fresh) {
    const seed = row['seed_wallet_id'];
    const mapped = typeof seed === 'string' ? (idOf.get(seed) ?? seed) : seed;
    insert.run(
      walletCols.map((c) =>
        c in FRESH_ACCOUNT ? FRESH_ACCOUNT[c] : c === 'seed_wallet_id' ? mapped : row[c],
      ),
    );
    // A new account that holds its words brings them (an account of words already here uses those).
    if (typeof seed === 'string' && seed === row['id']) {
      const words = secretByName.get(mnemonicSecret(seed));
      if (!words)
        throw new FlashError('BACKUP_DAMAGED', 'The backup lacks the words of one of its accounts.');
      vault.putSecret(mnemonicSecret(seed), words);
    }
    report.accountsAdded++;
  }

  const copyPerWallet = (table: string): number => {
    if (!theirs.has(table) || !ours.has(table)) return 0;
    const cols = columns(db, table).filter((c) => columns(snap, table).includes(c));
    const ins = db.prepare(
      `INSERT OR IGNORE INTO ${quoteIdent(table)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    );
    let added = 0;
    for (const row of snap
      .prepare(`SELECT ${cols.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)}`)
      .all() as Row[]) {
      const walletId = idOf.get(String(row['wallet_id']));
      if (!walletId) continue;
      added += ins.run(cols.map((c) => (c === 'wallet_id' ? walletId : row[c]))).changes;
    }
    return added;
  };
  report.labelsAdded = copyPerWallet('wallet_labels');
  report.frozenCoinsAdded = copyPerWallet('wallet_frozen_outputs');
}
