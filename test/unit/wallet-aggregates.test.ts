import crypto from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { standingOf } from '../../main/bitcoin/wallet/confirmation';
import { createWalletRepository } from '../../main/bitcoin/wallet/repository';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { tempDir } from '../support/core';

/** The balance the slow way: every unspent output, sorted by the one confirmation helper. */
function balanceFromHistory(db: Db, walletId: string) {
  const rows = db
    .prepare(
      `SELECT t.height, p.state AS proofState, o.value_sats AS sats
       FROM wallet_tx_outputs o
       JOIN wallet_txs t ON t.wallet_id = o.wallet_id AND t.txid = o.txid
       JOIN wallets w ON w.id = o.wallet_id
       LEFT JOIN chain_tx_proofs p ON p.network = w.network AND p.txid = t.txid AND p.height = t.height
       WHERE o.wallet_id = ? AND NOT EXISTS (SELECT 1 FROM wallet_tx_inputs i
         WHERE i.wallet_id = o.wallet_id AND i.prev_txid = o.txid AND i.prev_vout = o.vout)`,
    )
    .all(walletId) as {
    height: number;
    proofState: 'verified' | 'unverified' | 'failed' | null;
    sats: number;
  }[];
  const out = { confirmed: 0, confirming: 0, unconfirmed: 0 };
  for (const r of rows) {
    const s = standingOf(r);
    if (s === 'mempool') out.unconfirmed += r.sats;
    else out[s] += r.sats;
  }
  return out;
}

describe('wallet aggregates (migration 012)', () => {
  it('keep the balance and counts equal to the history, through every kind of change', () => {
    const db = openDatabase(path.join(tempDir('flash-agg-'), 'flash.db'));
    const repo = createWalletRepository(db);
    repo.insertWallet(
      {
        id: 'w',
        name: 'W',
        network: 'regtest',
        accountType: 'bip84',
        accountPath: "m/84'/1'/0'",
        xpub: 'tpub-agg',
        fingerprint: '00000000',
        signer: 'watch',
        seedWalletId: null,
        gapLimit: { receive: 20, change: 10 },
        createdAt: 0,
        lastSyncedAt: null,
        announceDeposits: false,
      },
      [],
    );
    const tx = db.prepare(
      `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, first_seen_at) VALUES ('w', ?, ?, 2, 0)`,
    );
    const out = db.prepare(
      `INSERT INTO wallet_tx_outputs (wallet_id, txid, vout, value_sats, chain, idx) VALUES ('w', ?, ?, ?, 0, 0)`,
    );
    const spend = db.prepare(
      `INSERT INTO wallet_tx_inputs (wallet_id, txid, vin, prev_txid, prev_vout) VALUES ('w', ?, ?, ?, ?)`,
    );
    const proof = db.prepare(
      `INSERT OR REPLACE INTO chain_tx_proofs (network, txid, height, state, checked_at) VALUES ('regtest', ?, ?, ?, 0)`,
    );
    const check = () => {
      expect(repo.balance('w')).toEqual(balanceFromHistory(db, 'w'));
      const n = (
        db.prepare(`SELECT COUNT(*) AS n FROM wallet_txs WHERE wallet_id = 'w'`).get() as { n: number }
      ).n;
      expect(repo.txCount('w')).toBe(n);
    };
    const ids = Array.from({ length: 8 }, () => crypto.randomBytes(32).toString('hex'));
    const [a, b, c, d, e] = ids as [string, string, string, string, string];
    // Proof first, then the tx (a sync verifies before it applies), and the other way round.
    proof.run(a, 10, 'verified');
    tx.run(a, 10);
    out.run(a, 0, 1_000);
    out.run(a, 1, 2_000);
    tx.run(b, 11);
    out.run(b, 0, 4_000);
    check();
    expect(repo.balance('w')).toEqual({ confirmed: 3_000, confirming: 4_000, unconfirmed: 0 });
    proof.run(b, 11, 'verified');
    check();
    // A proof at another height does not count; a failed one neither.
    tx.run(c, 12);
    out.run(c, 0, 8_000);
    proof.run(c, 13, 'verified');
    check();
    proof.run(c, 12, 'failed');
    check();
    // Mempool, then mined; a spend; a spend seen before the output it spends.
    tx.run(d, 0);
    out.run(d, 0, 16_000);
    check();
    db.prepare(`UPDATE wallet_txs SET height = 14 WHERE wallet_id = 'w' AND txid = ?`).run(d);
    proof.run(d, 14, 'verified');
    check();
    tx.run(e, 0);
    spend.run(e, 0, a, 0);
    spend.run(e, 1, 'f'.repeat(64), 0);
    out.run(e, 0, 500);
    check();
    tx.run('f'.repeat(64), 15);
    out.run('f'.repeat(64), 0, 32_000);
    check();
    // The output e spends is not money we hold.
    expect(repo.balance('w').confirming).toBe(8_000);
    // A reorg unverifies; a replaced tx leaves (its spend goes back to unspent).
    db.prepare(
      `UPDATE chain_tx_proofs SET state = 'unverified' WHERE network = 'regtest' AND height >= 11`,
    ).run();
    check();
    db.prepare(`DELETE FROM wallet_txs WHERE wallet_id = 'w' AND txid = ?`).run(e);
    check();
    expect(repo.balance('w').unconfirmed).toBe(0);
    db.prepare(`DELETE FROM chain_tx_proofs WHERE txid = ?`).run(a);
    check();
    expect(repo.balance('w').confirmed).toBe(0);
    db.close();
  });
});
