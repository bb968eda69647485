import crypto from 'node:crypto';
import path from 'node:path';
import { createWalletRepository } from '../main/bitcoin/wallet/repository';
import { openDatabase } from '../main/store/database';
import { tempDir } from '../test/support/core';
import { fmtMs, printTable, ratio } from './stats';

const ROWS = 100_000;
const PAGE = 50;

interface Row {
  txid: string;
  height: number;
  net: number;
  seen: number;
}

function makeRows(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < ROWS; i++) {
    rows.push({
      txid: crypto.randomBytes(32).toString('hex'),
      height: i % 50 === 0 ? 0 : 1 + Math.floor(i / 10),
      net: (i % 3 === 0 ? -1 : 1) * (1000 + i),
      seen: 1_700_000_000_000 + i,
    });
  }
  return rows;
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

/**
 * 100,000 history rows: our wallet_txs table (constraints, generated sort column, activity index)
 * against a bare table with no index, filled and paged in the same run.
 */
export async function benchHistoryStore(): Promise<void> {
  const rows = makeRows();
  const db = openDatabase(path.join(tempDir('flash-bench-'), 'flash.db'));
  const repo = createWalletRepository(db);
  repo.insertWallet(
    {
      id: 'bench',
      name: 'Bench',
      network: 'regtest',
      accountType: 'bip84',
      accountPath: "m/84'/1'/0'",
      xpub: 'tpub-bench',
      fingerprint: '00000000',
      signer: 'seed',
      seedWalletId: 'bench',
      gapLimit: { receive: 20, change: 10 },
      createdAt: Date.now(),
      lastSyncedAt: null,
      announceDeposits: false,
    },
    [],
  );

  const insertOurs = db.prepare(
    `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, received_sats, sent_sats, net_sats, direction, first_seen_at, deposit_state)
     VALUES ('bench', ?, ?, 1, ?, ?, ?, ?, ?, 2)`,
  );
  const ours = time(() =>
    db.transaction(() => {
      for (const r of rows) {
        insertOurs.run(
          r.txid,
          r.height,
          Math.max(r.net, 0),
          Math.max(-r.net, 0),
          r.net,
          r.net > 0 ? 'in' : 'out',
          r.seen,
        );
      }
    })(),
  );

  db.exec('CREATE TABLE bare (txid TEXT, height INTEGER, net INTEGER, seen INTEGER)');
  const insertBare = db.prepare('INSERT INTO bare VALUES (?, ?, ?, ?)');
  const bare = time(() =>
    db.transaction(() => {
      for (const r of rows) insertBare.run(r.txid, r.height, r.net, r.seen);
    })(),
  );

  const firstPage = time(() => repo.activity('bench', PAGE, 0));
  const deepPage = time(() => repo.activity('bench', PAGE, ROWS / 2));
  const bareQuery = db.prepare(
    `SELECT txid, net, height FROM bare
     ORDER BY CASE WHEN height > 0 THEN height ELSE 9007199254740991 END DESC, seen DESC LIMIT ? OFFSET ?`,
  );
  const bareFirst = time(() => bareQuery.all(PAGE, 0));
  const bareDeep = time(() => bareQuery.all(PAGE, ROWS / 2));
  db.close();

  if (firstPage.value.length !== PAGE || deepPage.value.length !== PAGE)
    throw new Error('activity page came back short');
  printTable(
    `SQLite history, ${ROWS.toLocaleString('en-US')} rows (WAL, one transaction per fill)`,
    ['operation', 'ours', 'bare table (baseline)', 'ours vs baseline'],
    [
      ['insert all rows', fmtMs(ours.ms), fmtMs(bare.ms), ratio(ours.ms, bare.ms)],
      [
        `first page (${PAGE} rows)`,
        fmtMs(firstPage.ms),
        fmtMs(bareFirst.ms),
        ratio(firstPage.ms, bareFirst.ms),
      ],
      [`page at offset ${ROWS / 2}`, fmtMs(deepPage.ms), fmtMs(bareDeep.ms), ratio(deepPage.ms, bareDeep.ms)],
    ],
  );
  console.log(`Insert rate (ours): ${Math.round(ROWS / (ours.ms / 1000)).toLocaleString('en-US')} rows/s`);
}
