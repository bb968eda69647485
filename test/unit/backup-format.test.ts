import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { xchachaOpen, xchachaSeal, xchachaSubkey } from '../../main/backup/aead';
import { decodeBody, encodeBody } from '../../main/backup/body';
import type { BackupManifest } from '../../shared/contract';
import {
  FORMAT_VERSION,
  MAGIC,
  keyMatches,
  openBackup,
  parseBackupFile,
  sealBackup,
} from '../../main/backup/format';
import { FlashError } from '../../shared/errors';

const KEY = new Uint8Array(randomBytes(32));
const SALT = new Uint8Array(randomBytes(32));
const FIELDS = {
  app: '1.2.3',
  createdAt: 1_765_000_000_000,
  kdf: { N: 1024, r: 8, p: 1 },
  salt: SALT,
  chunkSize: 1024,
};

async function sealed(plain: Uint8Array, key = KEY) {
  return sealBackup(plain, key, FIELDS);
}

async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(FlashError);
    return (err as FlashError).code;
  }
}

/** What a reader does: parse, check the key, open. */
async function read(file: Uint8Array, key = KEY): Promise<Uint8Array> {
  const parsed = parseBackupFile(file);
  if (!keyMatches(parsed.header, key)) throw new FlashError('BACKUP_WRONG_PASSWORD', 'wrong');
  return openBackup(parsed, key);
}

const MANIFEST: BackupManifest = {
  format: 1,
  appVersion: '1.2.3',
  createdAt: 1,
  schemaVersion: 16,
  networks: ['regtest'],
  counts: {
    accounts: 2,
    watchOnlyAccounts: 1,
    hardwareAccounts: 0,
    transactions: 3,
    labels: 1,
    frozenCoins: 1,
    nostrIdentities: 1,
    contacts: 2,
    messages: 4,
    lightningConnections: 0,
    nwcConnections: 0,
    merchantStores: 0,
    ecashMints: 1,
    ecashProofs: 3,
    ecashSats: 21,
    secrets: 2,
  },
  tables: { wallets: 2 },
};

describe('backup file format', () => {
  it('round-trips bodies of every size across chunk boundaries', async () => {
    for (const size of [0, 1, 1023, 1024, 1025, 4096, 5000]) {
      const plain = new Uint8Array(randomBytes(size));
      const file = await sealed(plain);
      expect(Buffer.from(file.subarray(0, 8)).toString()).toBe('FLASHBAK');
      expect(file[8]).toBe(FORMAT_VERSION);
      expect(await read(file)).toEqual(plain);
    }
  });

  it('keeps the header plain and says how to derive the key', async () => {
    const { header } = parseBackupFile(await sealed(new Uint8Array(10)));
    expect(header).toMatchObject({
      app: '1.2.3',
      createdAt: FIELDS.createdAt,
      kdf: { name: 'scrypt', N: 1024, r: 8, p: 1 },
    });
    expect(header.salt).toBe(Buffer.from(SALT).toString('hex'));
  });

  it('refuses a flipped bit anywhere in the body as damaged, and anywhere in the header', async () => {
    const plain = new Uint8Array(randomBytes(3000));
    const file = await sealed(plain);
    const headerLength = parseBackupFile(file).headerBytes.length;
    for (let pos = 0; pos < file.length; pos++) {
      const bad = new Uint8Array(file);
      bad[pos]! ^= 1 << (pos % 8);
      const code = await codeOf(() => read(bad));
      if (pos >= headerLength) expect(code, `byte ${pos}`).toBe('BACKUP_DAMAGED');
      else expect(code, `byte ${pos}`).not.toBe('ok');
    }
  });

  it('refuses a truncated file at every length', async () => {
    const file = await sealed(new Uint8Array(randomBytes(2500)));
    for (let len = 0; len < file.length; len++) {
      const code = await codeOf(() => read(file.subarray(0, len)));
      expect(['BACKUP_NOT_A_BACKUP', 'BACKUP_DAMAGED'], `length ${len}`).toContain(code);
    }
  });

  it('tells a wrong key from damage', async () => {
    const file = await sealed(new Uint8Array(100));
    const other = new Uint8Array(randomBytes(32));
    expect(keyMatches(parseBackupFile(file).header, other)).toBe(false);
    expect(await codeOf(() => read(file, other))).toBe('BACKUP_WRONG_PASSWORD');
  });

  it('refuses a file from a newer format, and files that are not backups', async () => {
    const file = await sealed(new Uint8Array(100));
    const future = new Uint8Array(file);
    future[MAGIC.length] = FORMAT_VERSION + 1;
    expect(await codeOf(() => read(future))).toBe('BACKUP_NEWER_VERSION');
    expect(await codeOf(() => read(new TextEncoder().encode('SQLite format 3\0')))).toBe(
      'BACKUP_NOT_A_BACKUP',
    );
  });

  it('refuses a header that asks for a KDF beyond the memory bound', async () => {
    const file = await sealed(new Uint8Array(100));
    const { header, headerBytes, body } = parseBackupFile(file);
    const json = new TextEncoder().encode(JSON.stringify({ ...header, kdf: { ...header.kdf, N: 2 ** 30 } }));
    const doctored = new Uint8Array(11 + json.length + body.length);
    doctored.set(headerBytes.subarray(0, 9));
    doctored[9] = json.length >> 8;
    doctored[10] = json.length & 0xff;
    doctored.set(json, 11);
    doctored.set(body, 11 + json.length);
    expect(await codeOf(() => parseBackupFile(doctored))).toBe('BACKUP_DAMAGED');
  });
});

describe('backup body', () => {
  it('carries the manifest, the secrets as bytes and the database', () => {
    const secrets = [
      { name: 'wallet.w1.words', value: new Uint8Array([1, 2, 3]) },
      { name: 'ecash.key', value: new Uint8Array(32).fill(7) },
    ];
    const database = new Uint8Array(randomBytes(777));
    const back = decodeBody(encodeBody({ manifest: MANIFEST, secrets, database }));
    expect(back.manifest).toEqual(MANIFEST);
    expect(back.secrets).toEqual(secrets);
    expect(back.database).toEqual(database);
  });

  it('refuses a body whose lengths run past its end', () => {
    const body = encodeBody({
      manifest: MANIFEST,
      secrets: [{ name: 'a', value: new Uint8Array(5) }],
      database: new Uint8Array(),
    });
    for (let len = 0; len < body.length; len++) {
      expect(() => decodeBody(body.subarray(0, len)), `length ${len}`).toThrow(FlashError);
    }
  });
});

describe('XChaCha20-Poly1305 on the native cipher', () => {
  it('is byte for byte the same as @noble/ciphers, and opens only what it sealed', () => {
    for (const size of [0, 1, 63, 64, 65, 1000, 70_000]) {
      const key = new Uint8Array(randomBytes(32));
      const nonce = new Uint8Array(randomBytes(24));
      const aad = new Uint8Array(randomBytes(size % 50));
      const plain = new Uint8Array(randomBytes(size));
      const sub = xchachaSubkey(key, nonce);
      const ours = xchachaSeal(sub, nonce, aad, plain);
      expect(Buffer.from(ours).toString('hex')).toBe(
        Buffer.from(xchacha20poly1305(key, nonce, aad).encrypt(plain)).toString('hex'),
      );
      expect(xchachaOpen(sub, nonce, aad, ours)).toEqual(plain);
      const bad = new Uint8Array(ours);
      bad[bad.length - 1]! ^= 1;
      expect(() => xchachaOpen(sub, nonce, aad, bad)).toThrow();
    }
  });
});
