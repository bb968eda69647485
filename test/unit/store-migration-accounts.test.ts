import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { MIGRATIONS } from '../../main/store/migrations';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-migrate-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A database as the previous release left it: schema 7 with one BIP84 wallet and its data. */
function writeVersion7(file: string): void {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  for (const m of MIGRATIONS.filter((x) => x.version <= 7)) m.up(db);
  db.pragma('user_version = 7');
  db.prepare(
    `INSERT INTO wallets (id, name, network, account_type, account_path, xpub, fingerprint, created_at, announce_deposits)
     VALUES ('w1', 'Savings', 'regtest', 'bip84', 'm/84''/1''/0''', 'tpubX', '73c5da0a', 1, 1)`,
  ).run();
  db.prepare(
    `INSERT INTO wallet_addresses (wallet_id, chain, idx, address, script_pubkey, script_hash, used)
     VALUES ('w1', 0, 0, 'bcrt1qexample', x'0014', 'sh0', 1)`,
  ).run();
  db.prepare(
    `INSERT INTO wallet_labels (wallet_id, type, ref, label, updated_at) VALUES ('w1', 'tx', 'ab', 'rent', 1)`,
  ).run();
  db.close();
}

describe('migration 10: accounts', () => {
  it('keeps an existing wallet, its addresses and labels, and marks it as the words holder', () => {
    const file = path.join(dir, 'flash.db');
    writeVersion7(file);
    const db = openDatabase(file);
    try {
      const wallet = db.prepare(`SELECT * FROM wallets WHERE id = 'w1'`).get() as Record<string, unknown>;
      expect(wallet).toMatchObject({
        name: 'Savings',
        account_type: 'bip84',
        signer: 'seed',
        seed_wallet_id: 'w1',
        gap_receive: 20,
        gap_change: 10,
        fingerprint: '73c5da0a',
      });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM wallet_addresses`).get()).toEqual({ n: 1 });
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      // The rebuilt table still anchors its children: removing the wallet removes them.
      db.prepare(`DELETE FROM wallets WHERE id = 'w1'`).run();
      expect(db.prepare(`SELECT COUNT(*) AS n FROM wallet_addresses`).get()).toEqual({ n: 0 });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM wallet_labels`).get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('refuses a watch-only row that claims recovery words, and an unknown account type', () => {
    const db = openDatabase(path.join(dir, 'fresh.db'));
    try {
      const insert = (signer: string, seed: string | null, type = 'bip86') =>
        db
          .prepare(
            `INSERT INTO wallets (id, name, network, account_type, xpub, signer, seed_wallet_id, created_at, announce_deposits)
             VALUES (?, 'x', 'regtest', ?, ?, ?, ?, 1, 0)`,
          )
          .run(`id-${signer}-${type}`, type, `xpub-${signer}-${type}`, signer, seed);
      expect(() => insert('watch', 'w1')).toThrow(/CHECK/);
      expect(() => insert('seed', null)).toThrow(/CHECK/);
      expect(() => insert('watch', null, 'bip99')).toThrow(/CHECK/);
      expect(() => insert('ledger', null)).not.toThrow();
    } finally {
      db.close();
    }
  });
});
