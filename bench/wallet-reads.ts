import crypto from 'node:crypto';
import path from 'node:path';
import { createElectrumService } from '../main/bitcoin/electrum/service';
import { createAddressDeriver, deriveAccount } from '../main/bitcoin/wallet/derivation';
import { createWalletService } from '../main/bitcoin/wallet/service';
import { createEventBus } from '../main/core/event-bus';
import { silentLogger } from '../main/core/logger';
import { createSettingsService } from '../main/core/settings';
import { openDatabase } from '../main/store/database';
import { createVaultService } from '../main/vault/service';
import { tempDir } from '../test/support/core';
import { BENCH_WORDS } from './onchain-latency';
import { fmtMs, printTable, ratio } from './stats';

/** The balance as it was computed before migration 012: a sum over every output ever received. */
const BALANCE_FROM_HISTORY = `SELECT t.height, p.state AS proofState, SUM(o.value_sats) AS sats
  FROM wallet_tx_outputs o
  JOIN wallet_txs t ON t.wallet_id = o.wallet_id AND t.txid = o.txid
  JOIN wallets w ON w.id = o.wallet_id
  LEFT JOIN chain_tx_proofs p ON p.network = w.network AND p.txid = t.txid AND p.height = t.height
  WHERE o.wallet_id = ?
    AND NOT EXISTS (SELECT 1 FROM wallet_tx_inputs i
                    WHERE i.wallet_id = o.wallet_id AND i.prev_txid = o.txid AND i.prev_vout = o.vout)
  GROUP BY t.height, p.state`;

export interface ReadFigures {
  txs: number;
  overviewMs: number;
  activityMs: number;
  balanceMs: number;
  balanceFromHistoryMs: number;
}

function best(fn: () => unknown, rounds = 20): number {
  let min = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/**
 * Overview, first activity page and balance of a wallet with `n` transactions (written straight
 * into the tables, so the triggers of migration 012 keep the sums as a sync would), best of 20,
 * against the balance summed over the history as before, in the same run.
 */
async function readsAt(n: number): Promise<ReadFigures> {
  const db = openDatabase(path.join(tempDir('flash-bench-reads-'), 'flash.db'));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  const settings = createSettingsService({ db, bus, defaultNetwork: 'regtest', electrumOverride: null });
  const electrum = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: settings.electrumServer('regtest'),
  });
  const wallet = createWalletService({ db, vault, electrum, bus, settings, log: silentLogger });
  const keys = deriveAccount(BENCH_WORDS, '', 'regtest');
  const id = wallet.importWatchOnly({
    name: 'Reads',
    network: 'regtest',
    key: keys.xpub,
    accountType: 'bip84',
  }).id;
  const deriver = createAddressDeriver(keys.xpub, 'regtest');
  const addr = deriver.derive(0, 0);
  const insTx = db.prepare(
    `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, received_sats, net_sats, direction, first_seen_at, deposit_state)
     VALUES (?, ?, ?, 1, ?, ?, 'in', ?, 2)`,
  );
  const insOut = db.prepare(
    `INSERT INTO wallet_tx_outputs (wallet_id, txid, vout, value_sats, chain, idx) VALUES (?, ?, 0, ?, 0, 0)`,
  );
  const insProof = db.prepare(
    `INSERT INTO chain_tx_proofs (network, txid, height, state, checked_at) VALUES ('regtest', ?, ?, 'verified', 0)`,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const txid = crypto.randomBytes(32).toString('hex');
      const height = i % 50 === 0 ? 0 : 1 + Math.floor(i / 10);
      if (height > 0 && i % 7 !== 0) insProof.run(txid, height);
      insTx.run(id, txid, height, 10_000 + i, 10_000 + i, 1_700_000_000_000 + i);
      insOut.run(id, txid, 10_000 + i);
    }
  })();
  void addr;
  const balanceStmt = db.prepare(BALANCE_FROM_HISTORY);
  const figures: ReadFigures = {
    txs: wallet.activity(id, 1, 0).total,
    overviewMs: best(() => wallet.overview(id)),
    activityMs: best(() => wallet.activity(id, 50, 0)),
    balanceMs: best(() => wallet.overview(id).balance),
    balanceFromHistoryMs: best(() => balanceStmt.all(id), 5),
  };
  db.close();
  return figures;
}

export async function benchWalletReads(): Promise<ReadFigures[]> {
  const rows = [await readsAt(5_000), await readsAt(100_000)];
  printTable(
    'Wallet reads (best of 20): overview, first activity page (50), balance; baseline: the balance summed over the history as before migration 012',
    ['txs', 'overview', 'activity page', 'balance', 'balance over history (baseline)', 'balance vs baseline'],
    rows.map((r) => [
      r.txs.toLocaleString('en-US'),
      fmtMs(r.overviewMs),
      fmtMs(r.activityMs),
      fmtMs(r.balanceMs),
      fmtMs(r.balanceFromHistoryMs),
      `${ratio(r.balanceMs, r.balanceFromHistoryMs)} (${Math.round(r.balanceFromHistoryMs / r.balanceMs).toLocaleString('en-US')}× faster)`,
    ]),
  );
  return rows;
}

if (process.argv[1] && /wallet-reads\.ts$/.test(process.argv[1])) {
  benchWalletReads().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
