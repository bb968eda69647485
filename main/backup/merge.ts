import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import type { PlainSecret } from './body';
import { quoteIdent, userTables } from './manifest';

export interface MergeReport {
  accountsAdded: number;
  accountsAlreadyHere: number;
  labelsAdded: number;
  frozenCoinsAdded: number;
}

type Row = Record<string, unknown>;

const SINGLE_KEY_ACCOUNT_TYPES = new Set(['bip44', 'bip49', 'bip84', 'bip86']);
const mnemonicSecret = (walletId: string) => `wallet:${walletId}:mnemonic`;

function columns(db: Db, table: string): string[] {
  return (db.pragma(`table_xinfo(${quoteIdent(table)})`) as { name: string; hidden: number }[])
    .filter((c) => c.hidden === 0)
    .map((c) => c.name);
}

/**
 * Adds a backup's accounts, labels and frozen coins to a profile that already holds some, in ONE
 * transaction. An account is the same when its network and extended public key are (the wallets
 * table's own uniqueness): it is kept as it is here, and the backup's labels and frozen coins for
 * it land on it. A new account comes with its recovery words when it holds them. Labels and
 * frozen coins already here win over the backup's (their primary keys de-duplicate).
 *
 * What a merge does not bring: multisig accounts, history (the wallet syncs it again), NOSTR,
 * Lightning, merchant and eCash data. eCash proofs are sealed under the backup's eCash key while
 * this profile has its own; bringing them over means re-sealing each one, which is not done yet.
 */
export function mergeSnapshot(
  db: Db,
  snap: Db,
  secrets: readonly PlainSecret[],
  vault: VaultService,
): MergeReport {
  const theirs = new Set(userTables(snap));
  if (!theirs.has('wallets'))
    return { accountsAdded: 0, accountsAlreadyHere: 0, labelsAdded: 0, frozenCoinsAdded: 0 };
  const secretByName = new Map(secrets.map((s) => [s.name, s.value]));
  const walletCols = columns(db, 'wallets').filter((c) => columns(snap, 'wallets').includes(c));
  const rows = snap
    .prepare(`SELECT ${walletCols.map(quoteIdent).join(', ')} FROM wallets ORDER BY created_at`)
    .all() as Row[];
  const findSame = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM wallets WHERE network = ? AND xpub = ?',
  );
  const idTaken = db.prepare<[string], { id: string }>('SELECT id FROM wallets WHERE id = ?');
  const report: MergeReport = {
    accountsAdded: 0,
    accountsAlreadyHere: 0,
    labelsAdded: 0,
    frozenCoinsAdded: 0,
  };

  db.transaction(() => {
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
      insert.run(walletCols.map((c) => (c === 'seed_wallet_id' ? mapped : row[c])));
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
      if (!theirs.has(table) || !userTables(db).includes(table)) return 0;
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
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0)
      throw new FlashError('BACKUP_DAMAGED', 'The merge would leave rows pointing at nothing.');
  })();
  return report;
}
