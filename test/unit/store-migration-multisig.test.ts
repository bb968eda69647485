import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { MIGRATIONS } from '../../main/store/migrations';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-migrate-17-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A profile as schema 16 left it: one BIP84 account with an address and a transaction. */
function writeVersion16(file: string): void {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  for (const m of MIGRATIONS.filter((x) => x.version <= 16)) m.up(db);
  db.pragma('user_version = 16');
  db.pragma('foreign_keys = ON');
  db.prepare(
    `INSERT INTO wallets (id, name, network, account_type, account_path, xpub, fingerprint, signer, seed_wallet_id,
       created_at, announce_deposits)
     VALUES ('w1', 'Savings', 'regtest', 'bip84', 'm/84''/1''/0''', 'tpubX', '73c5da0a', 'seed', 'w1', 1, 1)`,
  ).run();
  db.prepare(
    `INSERT INTO wallet_addresses (wallet_id, chain, idx, address, script_pubkey, script_hash, used)
     VALUES ('w1', 0, 0, 'bcrt1qexample', x'0014', 'sh0', 1)`,
  ).run();
  db.prepare(
    `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, first_seen_at) VALUES ('w1', 'aa', -1, 1, 1)`,
  ).run();
  db.close();
}

describe('migration 17: multisig', () => {
  it('keeps accounts and their data, lets a multisig wallet in, and the aggregates triggers still fire', () => {
    const file = path.join(dir, 'flash.db');
    writeVersion16(file);
    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(17);
      expect(db.prepare(`SELECT name, account_type, signer FROM wallets WHERE id = 'w1'`).get()).toEqual({
        name: 'Savings',
        account_type: 'bip84',
        signer: 'seed',
      });
      expect(db.prepare(`SELECT tx_count FROM wallet_aggregates WHERE wallet_id = 'w1'`).get()).toEqual({
        tx_count: 1,
      });
      expect(db.pragma('foreign_key_check')).toEqual([]);

      // A multisig wallet row, its policy and cosigner; its aggregates row comes from the trigger.
      db.prepare(
        `INSERT INTO wallets (id, name, network, account_type, xpub, signer, created_at, announce_deposits)
         VALUES ('m1', 'Vault', 'regtest', 'multisig', 'wsh(sortedmulti(…))', 'multisig', 2, 0)`,
      ).run();
      db.prepare(`INSERT INTO multisig_wallets (wallet_id, script, threshold) VALUES ('m1', 'wsh', 2)`).run();
      db.prepare(
        `INSERT INTO multisig_cosigners (wallet_id, position, fingerprint, path, xpub, label, kind)
         VALUES ('m1', 0, '73c5da0a', 'm/48''/1''/0''/2''', 'tpubY', 'Ledger', 'ledger')`,
      ).run();
      expect(db.prepare(`SELECT tx_count FROM wallet_aggregates WHERE wallet_id = 'm1'`).get()).toEqual({
        tx_count: 0,
      });
      // Migration 012's triggers on other tables still name the wallets table and still run.
      db.prepare(
        `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, first_seen_at) VALUES ('m1', 'bb', -1, 1, 2)`,
      ).run();
      expect(db.prepare(`SELECT tx_count FROM wallet_aggregates WHERE wallet_id = 'm1'`).get()).toEqual({
        tx_count: 1,
      });
      // Multisig only with the multisig signer, and a policy is removed with its wallet.
      expect(() =>
        db
          .prepare(
            `INSERT INTO wallets (id, name, network, account_type, xpub, signer, created_at, announce_deposits)
             VALUES ('m2', 'Bad', 'regtest', 'multisig', 'x', 'watch', 3, 0)`,
          )
          .run(),
      ).toThrow(/CHECK/);
      db.prepare(`DELETE FROM wallets WHERE id = 'm1'`).run();
      expect(db.prepare(`SELECT COUNT(*) AS n FROM multisig_cosigners`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
