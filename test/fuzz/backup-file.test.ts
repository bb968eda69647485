import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBody, encodeBody } from '../../main/backup/body';
import { keyMatches, openBackup, parseBackupFile, sealBackup } from '../../main/backup/format';
import { tableCounts } from '../../main/backup/manifest';
import { openSnapshot } from '../../main/backup/restore';
import { openDatabase } from '../../main/store/database';
import { LATEST_SCHEMA_VERSION } from '../../main/store/migrations';
import type { BackupManifest } from '../../shared/contract';
import { checkProperty, fuzzParams, parsesOrThrowsTyped } from './support/config';
import { mutatedBytes, mutatedString } from './support/mutate';

/**
 * The backup file parser meets files from anywhere (a USB stick, a download): whatever the bytes,
 * it answers a header or a typed error (BACKUP_NOT_A_BACKUP, BACKUP_DAMAGED, BACKUP_NEWER_VERSION),
 * never another exception, and a body it opens is exactly the one that was sealed.
 */

const KEY = new Uint8Array(randomBytes(32));
const MANIFEST: BackupManifest = {
  format: 1,
  appVersion: '0.1.0',
  createdAt: 1_765_000_000_000,
  schemaVersion: 1,
  networks: ['regtest'],
  counts: {
    accounts: 0,
    watchOnlyAccounts: 0,
    hardwareAccounts: 0,
    transactions: 0,
    labels: 0,
    frozenCoins: 0,
    nostrIdentities: 0,
    contacts: 0,
    messages: 0,
    lightningConnections: 0,
    nwcConnections: 0,
    merchantStores: 0,
    ecashMints: 0,
    ecashProofs: 0,
    ecashSats: 0,
    secrets: 1,
  },
  tables: {},
};

let files: Uint8Array[] = [];
let plains: Uint8Array[] = [];
let headers: string[] = [];
let database: Uint8Array = new Uint8Array();

beforeAll(async () => {
  // A real profile's schema, with one setting.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-fuzz-backup-'));
  const db = openDatabase(path.join(dir, 'flash.db'));
  db.prepare(`INSERT INTO settings (key, value) VALUES ('settings.theme', '"dark"')`).run();
  db.exec('DELETE FROM vault; DELETE FROM vault_secrets;');
  // As the snapshot does: an in-memory copy cannot use a WAL.
  db.pragma('journal_mode = DELETE');
  database = db.serialize();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  const snap = new Database(Buffer.from(database));
  MANIFEST.schemaVersion = LATEST_SCHEMA_VERSION;
  MANIFEST.tables = tableCounts(snap);
  snap.close();
  const manifest = MANIFEST;
  // The body's database part is opaque to decodeBody: a short stand-in keeps each run quick
  // (the real snapshot is fuzzed on its own below).
  const body = encodeBody({
    manifest,
    secrets: [{ name: 'wallet.words', value: new Uint8Array([1, 2, 3]) }],
    database: new Uint8Array(randomBytes(64)),
  });
  plains = [body, new Uint8Array(0), new Uint8Array(randomBytes(2500))];
  const fields = {
    app: '0.1.0',
    createdAt: 1,
    kdf: { N: 1024, r: 8, p: 1 },
    salt: new Uint8Array(32),
    chunkSize: 1024,
  };
  files = await Promise.all(plains.map((p) => sealBackup(p, KEY, fields)));
  headers = files.map((f) => new TextDecoder().decode(parseBackupFile(f).headerBytes.subarray(11)));
});

/** A file with a mutated header JSON but a consistent length field. */
function withHeader(json: string): Uint8Array {
  const bytes = new TextEncoder().encode(json);
  const out = new Uint8Array(11 + bytes.length + 32);
  out.set(files[0]!.subarray(0, 9));
  out[9] = (bytes.length >> 8) & 0xff;
  out[10] = bytes.length & 0xff;
  out.set(bytes.subarray(0, 0xffff), 11);
  return out;
}

describe('backup file fuzzing', () => {
  it('parses any bytes into a header or a typed error', async () => {
    await checkProperty(
      'backup.parseBackupFile(mutated file)',
      fc.property(
        fc.oneof(
          mutatedBytes(() => files),
          fc.uint8Array({ maxLength: 400 }),
        ),
        (bytes) => {
          parsesOrThrowsTyped(() => parseBackupFile(bytes));
        },
      ),
      fuzzParams(400),
    );
  });

  it('parses any header text into a header or a typed error', async () => {
    await checkProperty(
      'backup.parseBackupFile(mutated header)',
      fc.property(
        mutatedString(() => headers, '{}[]":,0123456789abcdef'),
        (json) => {
          parsesOrThrowsTyped(() => parseBackupFile(withHeader(json)));
        },
      ),
      fuzzParams(400),
    );
  });

  it('opens a changed file only if it is the very body that was sealed', async () => {
    await checkProperty(
      'backup.openBackup(mutated file)',
      fc.asyncProperty(
        mutatedBytes(() => files),
        async (bytes) => {
          const parsed = parsesOrThrowsTyped(() => parseBackupFile(bytes));
          if (!parsed.ok || !keyMatches(parsed.value.header, KEY)) return;
          try {
            const plain = await openBackup(parsed.value, KEY);
            expect(plains.some((p) => Buffer.from(p).equals(Buffer.from(plain)))).toBe(true);
          } catch (err) {
            expect((err as { code?: string }).code).toBe('BACKUP_DAMAGED');
          }
        },
      ),
      fuzzParams(300),
    );
  });

  it('decodes any body into its parts or a typed error', async () => {
    await checkProperty(
      'backup.decodeBody(mutated body)',
      fc.property(
        mutatedBytes(() => plains.slice(0, 1)),
        (bytes) => {
          parsesOrThrowsTyped(() => decodeBody(bytes));
        },
      ),
      fuzzParams(400),
    );
  });

  it('opens a damaged snapshot as a typed error, never a crash', async () => {
    await checkProperty(
      'backup.openSnapshot(mutated SQLite)',
      fc.property(
        mutatedBytes(() => [database]),
        (bytes) => {
          const r = parsesOrThrowsTyped(() => openSnapshot(bytes, MANIFEST));
          if (r.ok) {
            expect(tableCounts(r.value)).toEqual(MANIFEST.tables);
            r.value.close();
          }
        },
      ),
      fuzzParams(30, 0.1),
    );
  });
});
