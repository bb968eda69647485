import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJournal } from '../../main/bitcoin/send/journal';
import { createWalletReader } from '../../main/bitcoin/send/wallet-reader';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-send-journal-'));
  db = openDatabase(path.join(dir, 'flash.db'));
  db.prepare(
    `INSERT INTO wallets (id, name, network, account_type, account_path, xpub, fingerprint, signer, seed_wallet_id,
                          created_at, announce_deposits)
     VALUES ('w1', 'W', 'regtest', 'bip84', ?, 'tpubX', '00000000', 'seed', 'w1', 0, 1)`,
  ).run("m/84'/1'/0'");
});

afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const draft = (id: string) => ({
  id,
  walletId: 'w1',
  kind: 'send' as const,
  psbt: new Uint8Array([1, 2, 3]),
  amountSats: 1000,
  feeSats: 141,
  vsize: 141,
  feeRateSatPerKvb: 1000,
  changeSats: 0,
  changeIndex: null,
  inputs: [{ txid: 'aa'.repeat(32), vout: 1 }],
});

describe('send journal', () => {
  it('walks drafted -> broadcasting -> broadcast -> confirmed and refuses skipped steps', () => {
    const j = createJournal(db);
    j.insertDraft(draft('p1'), 1);
    expect(j.get('p1')?.state).toBe('drafted');
    expect(() => j.transition('p1', 'drafted', 'broadcast', 2)).toThrow(/not a valid transition/);
    // The schema itself refuses a broadcasting row without its raw tx.
    expect(() => db.prepare(`UPDATE send_payments SET state = 'broadcasting' WHERE id = 'p1'`).run()).toThrow(
      /CHECK/,
    );
    j.recordSigned(
      'p1',
      'drafted',
      'broadcasting',
      { psbt: new Uint8Array([9]), txid: 'bb'.repeat(32), rawTx: new Uint8Array([7]), feeSats: 141 },
      3,
    );
    expect(j.inState('broadcasting').map((r) => r.id)).toEqual(['p1']);
    expect(j.get('p1')?.rawTx).toEqual(new Uint8Array([7]));
    j.markBroadcast('p1', 4);
    j.transition('p1', 'broadcast', 'confirmed', 5);
    expect(j.get('p1')).toMatchObject({ state: 'confirmed', updatedAt: 5, txid: 'bb'.repeat(32) });
    expect(() => j.transition('p1', 'confirmed', 'failed', 6)).toThrow();
  });

  it('marks the replaced payment when its bump is broadcast, and reserves coins while in flight', () => {
    const j = createJournal(db);
    const reader = createWalletReader(db);
    j.insertDraft(draft('orig'), 1);
    j.recordSigned(
      'orig',
      'drafted',
      'broadcasting',
      { psbt: new Uint8Array([1]), txid: 'cc'.repeat(32), rawTx: new Uint8Array([1]), feeSats: 141 },
      2,
    );
    j.markBroadcast('orig', 3);
    j.insertDraft({ ...draft('bump'), kind: 'bump', replacesTxid: 'cc'.repeat(32) }, 4);
    j.recordSigned(
      'bump',
      'drafted',
      'broadcasting',
      { psbt: new Uint8Array([2]), txid: 'dd'.repeat(32), rawTx: new Uint8Array([2]), feeSats: 300 },
      5,
    );
    j.markBroadcast('bump', 6);
    expect(j.get('orig')?.state).toBe('replaced');
    expect(j.get('bump')?.state).toBe('broadcast');
    expect(reader.utxos('w1')).toEqual([]);
  });

  it('writes a signed transaction with synchronous=FULL, and only that write', () => {
    const j = createJournal(db);
    // A trigger records the connection's synchronous level at the moment each write lands.
    db.exec(`CREATE TABLE sync_seen (state TEXT, level INTEGER);
      CREATE TRIGGER sync_probe AFTER UPDATE ON send_payments BEGIN
        INSERT INTO sync_seen SELECT NEW.state, synchronous FROM pragma_synchronous;
      END;`);
    j.insertDraft(draft('p1'), 1);
    j.recordSigned(
      'p1',
      'drafted',
      'broadcasting',
      { psbt: new Uint8Array([9]), txid: 'bb'.repeat(32), rawTx: new Uint8Array([7]), feeSats: 141 },
      2,
    );
    j.markBroadcast('p1', 3);
    // 2 = FULL (the fsync before broadcast), 1 = NORMAL (the store's default) again afterwards.
    expect(db.prepare(`SELECT state, level FROM sync_seen`).all()).toEqual([
      { state: 'broadcasting', level: 2 },
      { state: 'broadcast', level: 1 },
    ]);
  });

  it('lets a dropped payment wait again, and fails the payments a bump evicts', () => {
    const j = createJournal(db);
    const signed = (id: string, txid: string) =>
      j.recordSigned(
        id,
        'drafted',
        'broadcasting',
        { psbt: new Uint8Array([1]), txid, rawTx: new Uint8Array([1]), feeSats: 141 },
        2,
      );
    j.insertDraft(draft('orig'), 1);
    signed('orig', 'cc'.repeat(32));
    j.markBroadcast('orig', 3);
    // Dropped from the mempool and refused for a passing reason: pending again, coins still reserved.
    j.transition('orig', 'broadcast', 'broadcasting', 4, 'mempool min fee not met');
    j.note('orig', 'broadcasting', 'mempool min fee not met, 141 < 500', 5);
    expect(j.get('orig')).toMatchObject({
      state: 'broadcasting',
      error: 'mempool min fee not met, 141 < 500',
    });
    // A later payment spending the change of 'orig', then a bump of 'orig'.
    j.insertDraft({ ...draft('later'), inputs: [{ txid: 'cc'.repeat(32), vout: 1 }] }, 6);
    signed('later', 'ee'.repeat(32));
    j.insertDraft({ ...draft('bump'), kind: 'bump', replacesTxid: 'cc'.repeat(32) }, 7);
    signed('bump', 'dd'.repeat(32));
    expect(j.liveSpending('cc'.repeat(32)).map((r) => r.id)).toEqual(['later']);
    j.markBroadcast('bump', 8);
    expect(j.get('orig')?.state).toBe('replaced');
    expect(j.get('later')).toMatchObject({ state: 'failed' });
    expect(j.get('later')?.error).toMatch(/fee bump/);
  });

  it('prunes stale drafts only', () => {
    const j = createJournal(db);
    j.insertDraft(draft('old'), 1);
    j.insertDraft(draft('new'), 100);
    j.pruneDrafts(50);
    expect(j.get('old')).toBeNull();
    expect(j.get('new')).not.toBeNull();
  });
});
