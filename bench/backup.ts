import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createBackupService } from '../main/backup/service';
import { createWalletRepository } from '../main/bitcoin/wallet/repository';
import { DEFAULT_KDF } from '../main/core/config';
import { createEventBus } from '../main/core/event-bus';
import { silentLogger } from '../main/core/logger';
import { openDatabase, type Db } from '../main/store/database';
import { scryptKey } from '../main/vault/crypto';
import { createVaultService } from '../main/vault/service';
import { tempDir } from '../test/support/core';
import { fmtMs, printTable, ratio } from './stats';

const HISTORY = 100_000;
const MESSAGES = 10_000;
const PASSWORD = 'bench vault password';
const BACKUP_PASSWORD = 'bench backup password';

async function profile(dir: string): Promise<{ db: Db; backup: ReturnType<typeof createBackupService> }> {
  const db = openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  await vault.setup(PASSWORD);
  // The backup key costs what it costs users: the app's scrypt (N = 2^17, r = 8, p = 1).
  const backup = createBackupService({
    db,
    vault,
    bus,
    log: silentLogger,
    appVersion: 'bench',
    defaultFolder: path.join(dir, 'backups'),
    kdf: DEFAULT_KDF,
    checkSpent: async () => new Set(),
  });
  return { db, backup };
}

/** 100,000 history rows and 10,000 sealed messages, written straight into the tables. */
function fill(db: Db): void {
  createWalletRepository(db).insertWallet(
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
  const tx = db.prepare(
    `INSERT INTO wallet_txs (wallet_id, txid, height, output_count, received_sats, sent_sats, net_sats, direction, first_seen_at, deposit_state)
     VALUES ('bench', ?, ?, 1, ?, 0, ?, 'in', ?, 2)`,
  );
  const me = crypto.randomBytes(32).toString('hex');
  const peer = crypto.randomBytes(32).toString('hex');
  const conversation = crypto.randomBytes(32).toString('hex');
  const msg = db.prepare(
    `INSERT INTO nostr_messages (id, conversation_id, sender, created_at, direction, nonce, sealed, stored_at)
     VALUES (?, ?, ?, ?, 'in', ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < HISTORY; i++) {
      tx.run(
        crypto.randomBytes(32).toString('hex'),
        1 + Math.floor(i / 10),
        1000 + i,
        1000 + i,
        1_700_000_000_000 + i,
      );
    }
    db.prepare(
      `INSERT INTO nostr_identities (id, pubkey, profile, created_at) VALUES ('me', ?, '{}', 0)`,
    ).run(me);
    db.prepare(
      `INSERT INTO nostr_conversations (id, identity_id, members, last_message_at) VALUES (?, 'me', ?, 0)`,
    ).run(conversation, JSON.stringify([peer]));
    for (let i = 0; i < MESSAGES; i++) {
      msg.run(
        crypto.randomBytes(32).toString('hex'),
        conversation,
        peer,
        1_700_000_000 + i,
        crypto.randomBytes(24),
        crypto.randomBytes(120 + (i % 200)),
        Date.now(),
      );
    }
  })();
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * Issue 16: backup and restore of a profile with 100,000 history rows and 10,000 messages, against
 * a plain SQLite backup() of the same database in the same run (the floor: what copying the pages
 * costs). The backup and restore figures include the scrypt derivation of the backup key at the
 * app's cost, measured on its own too.
 */
export async function benchBackup(): Promise<void> {
  const dir = tempDir('flash-bench-backup-');
  try {
    const source = await profile(path.join(dir, 'source'));
    fill(source.db);
    const dbBytes = fs.statSync(source.db.name).size;

    const plain = await time(() => source.db.backup(path.join(dir, 'plain-copy.db')));
    const kdf = await time(() => scryptKey(BACKUP_PASSWORD, crypto.randomBytes(32), DEFAULT_KDF));
    const made = await time(() => source.backup.create(BACKUP_PASSWORD));
    const inspected = await time(() => source.backup.inspect(made.value.file.path, BACKUP_PASSWORD));
    source.db.close();

    const target = await profile(path.join(dir, 'target'));
    const restored = await time(() => target.backup.restore(made.value.file.path, BACKUP_PASSWORD));
    const rows = (target.db.prepare('SELECT count(*) AS n FROM wallet_txs').get() as { n: number }).n;
    const messages = (target.db.prepare('SELECT count(*) AS n FROM nostr_messages').get() as { n: number }).n;
    target.db.close();
    if (rows !== HISTORY || messages !== MESSAGES)
      throw new Error(`restore came back short: ${rows} / ${messages}`);
    if (inspected.value.counts.messages !== MESSAGES) throw new Error('manifest miscounted');

    printTable(
      `Backups: ${HISTORY.toLocaleString('en-US')} history rows + ${MESSAGES.toLocaleString('en-US')} messages ` +
        `(database ${(dbBytes / 1024 / 1024).toFixed(1)} MB, file ${(made.value.file.sizeBytes / 1024 / 1024).toFixed(1)} MB)`,
      ['operation', 'time', 'plain SQLite backup() (baseline)', 'vs baseline'],
      [
        ['backup (snapshot, key, seal, write)', fmtMs(made.ms), fmtMs(plain.ms), ratio(made.ms, plain.ms)],
        [
          'check a file (open, integrity, counts)',
          fmtMs(inspected.ms),
          fmtMs(plain.ms),
          ratio(inspected.ms, plain.ms),
        ],
        ['restore into a fresh profile', fmtMs(restored.ms), fmtMs(plain.ms), ratio(restored.ms, plain.ms)],
        ['of which: scrypt N=2^17 once', fmtMs(kdf.ms), '', ''],
      ],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
