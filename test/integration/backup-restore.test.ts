import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPublicKey, generateSecretKey } from 'nostr-tools';
import type {
  BackupManifest,
  BackupRestoreReport,
  EcashBalance,
  WalletOverview,
  WalletSummary,
} from '../../shared/contract';
import { deriveAccountKeys, describeAccount } from '../../main/bitcoin/accounts/account';
import { createFlashCore, type FlashCore } from '../../main/core/container';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import { createBackupService } from '../../main/backup/service';
import { openSnapshot } from '../../main/backup/restore';
import { LATEST_SCHEMA_VERSION } from '../../main/store/migrations';
import { ecashWallet } from '../support/ecash';
import { tempDir, testCoreConfig } from '../support/core';
import { startStack, type Stack } from '../stack';

/**
 * Issue 16's round trip: a profile filled through the real services on the stack (seed, Taproot,
 * watch-only and simulated-device accounts, money, a label and a frozen coin, a NOSTR key with a
 * contact and a message, an NWC Lightning connection, a BTCPay store, eCash proofs) is backed up
 * while it runs, restored into a fresh profile, and compared table by table and secret by secret.
 */

const PASSWORD = 'correct horse battery';
const OTHER_PASSWORD = 'another computer pw';
const BACKUP_PASSWORD = 'backup staple 42!';
const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const KDF = { N: 2 ** 10, r: 8, p: 1 };

let stack: Stack;
const cores: FlashCore[] = [];

beforeAll(async () => {
  stack = await startStack();
}, 120_000);
afterAll(async () => {
  for (const c of cores.splice(0)) c.stop();
  await stack?.stop();
});

function startCore(dataDir: string, online = true): FlashCore {
  const core = createFlashCore(
    testCoreConfig(dataDir, {
      ...(online ? { electrumOverride: stack.electrum } : {}),
      nostrRelays: stack.relays,
      simulatedDevices: true,
      kdf: KDF,
    }),
    silentLogger,
  );
  core.start();
  cores.push(core);
  return core;
}

async function call<T>(core: FlashCore, method: string, input: unknown = {}): Promise<T> {
  const r = await core.dispatcher.dispatch(method, input);
  if (!r.ok)
    throw Object.assign(new Error(`${method}: ${r.error.code}: ${r.error.message}`), { code: r.error.code });
  return r.value as T;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every row of every table (vault tables and this computer's own settings left out), sorted. */
function dump(file: string, skip: (table: string) => boolean = () => false): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, string[]> = {};
    const tables = db
      .prepare<[], { name: string }>(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
      )
      .all()
      .map((r) => r.name)
      .filter((t) => t !== 'vault' && t !== 'vault_secrets' && !skip(t));
    for (const t of tables) {
      const where = t === 'settings' ? ` WHERE key NOT LIKE 'vault.%' AND key NOT LIKE 'backup.%'` : '';
      out[t] = db
        .prepare(`SELECT * FROM "${t}"${where}`)
        .all()
        .map((row) => JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** The plain secrets of a profile's vault, opened with its own password. */
async function secretsOf(file: string, password: string): Promise<Record<string, string>> {
  const db = openDatabase(file);
  try {
    const vault = createVaultService({ db, bus: createEventBus(), log: silentLogger, kdf: KDF });
    await vault.unlock(password);
    const names = db
      .prepare<[], { name: string }>(`SELECT name FROM vault_secrets WHERE name NOT LIKE 'backup.%'`)
      .all()
      .map((r) => r.name);
    const out = Object.fromEntries(names.map((n) => [n, Buffer.from(vault.getSecret(n)).toString('hex')]));
    vault.stop();
    return out;
  } finally {
    db.close();
  }
}

const dbFile = (dir: string) => path.join(dir, 'profiles', 'default', 'flash.db');

describe('backup and restore (issue 16)', () => {
  it('brings every rail back on a fresh profile, equal table by table; refuses bad files without changing anything', async () => {
    const dir = tempDir('flash-backup-src-');
    const core = startCore(dir);
    await call(core, 'vault.setup', { password: PASSWORD });

    // Accounts: seed (BIP84), Taproot, watch-only from a descriptor, a simulated Trezor.
    const main = await call<WalletSummary>(core, 'wallet.restore', { words: WORDS.split(' '), name: 'Main' });
    await call(core, 'wallet.addAccount', {
      seedWalletId: main.id,
      accountType: 'bip86',
      accountIndex: 0,
      name: 'Taproot',
    });
    const keys = deriveAccountKeys(
      'legal winner thank year wave sausage worth useful legal winner thank yellow',
      '',
      'regtest',
      'bip84',
      0,
    );
    const { descriptors } = describeAccount({
      type: 'bip84',
      network: 'regtest',
      xpub: keys.xpub,
      fingerprint: keys.fingerprint,
      path: keys.path,
    });
    await call(core, 'wallet.importWatchOnly', { name: 'Cold', key: descriptors.multipath });
    await call(core, 'hardware.connect', { deviceId: 'simulated:trezor-1' });
    await call(core, 'hardware.importAccount', {
      deviceId: 'simulated:trezor-1',
      accountType: 'bip44',
      accountIndex: 0,
      name: 'Device',
    });
    await call(core, 'wallet.setActive', { walletId: main.id });

    // Money, a label and a frozen coin.
    await until(
      'first sync',
      async () =>
        (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id })).sync.phase ===
        'synced',
    );
    const { address } = (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id }))
      .receive;
    stack.chain.send(address, 150_000);
    stack.chain.send(address, 50_000);
    stack.chain.mine(1);
    await until(
      'funds',
      async () =>
        (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id })).balance.confirmed ===
        200_000,
    );
    const utxos = await call<{ outpoint: string; txid: string; sats: number }[]>(core, 'coins.list', {
      walletId: main.id,
    });
    const small = utxos.find((u) => u.sats === 50_000)!;
    await call(core, 'coins.setFrozen', { walletId: main.id, outpoints: [small.outpoint], frozen: true });
    await call(core, 'coins.setLabel', {
      walletId: main.id,
      type: 'tx',
      ref: small.txid,
      label: 'Savings from Ana',
    });

    // NOSTR: our key, a contact, a message.
    await call(core, 'nostr.createIdentity');
    const friend = getPublicKey(generateSecretKey());
    await call(core, 'nostr.follow', { pubkey: friend, petname: 'Ana' });
    await call(core, 'nostr.sendMessage', { to: [friend], text: 'See you at the café' });

    // Lightning over NWC, a BTCPay store.
    await call(core, 'lightning.connectProvider', { kind: 'nwc', label: 'Wallet', uri: stack.nwc.nip44.uri });
    await call(core, 'merchant.connect', {
      serverUrl: stack.btcpay.url,
      apiKey: stack.btcpay.seed.adminKey.apiKey,
    });

    // eCash: a friend's wallet mints and sends us 300 sats, which we claim.
    const alpha = stack.cashuMints[0]!.url;
    const friendWallet = await ecashWallet(stack.lightning);
    try {
      await friendWallet.ecash.addMint(alpha);
      const quote = await friendWallet.ecash.mintQuote({ mintUrl: alpha, unit: 'sat', amount: 1000 });
      await friendWallet.ecash.payMintQuote(quote.id);
      const token = await friendWallet.ecash.send({ mintUrl: alpha, unit: 'sat', amount: 300 });
      await call(core, 'ecash.addMint', { url: alpha });
      const received = await call<{ state: string }>(core, 'ecash.receive', { token: token.token });
      // The mint's input fee takes a sat of the 300.
      const held = await until(`eCash claimed (${received.state})`, async () => {
        const b = (await call<EcashBalance[]>(core, 'ecash.balances')).find((x) => x.mintUrl === alpha);
        return b && b.pending === 0 && b.incoming === 0 && b.spendable >= 290 ? b.spendable : null;
      });

      // The backup, while the app keeps running.
      const folder = tempDir('flash-backup-files-');
      const made = await call<{
        file: { path: string; name: string; sizeBytes: number };
        manifest: BackupManifest;
      }>(core, 'backup.create', { password: BACKUP_PASSWORD, folder });
      expect(made.file.name).toMatch(/^flash-backup-\d{8}-\d{4}\.flashbak$/);
      expect(made.manifest.counts).toMatchObject({
        accounts: 4,
        watchOnlyAccounts: 1,
        hardwareAccounts: 1,
        labels: 1,
        frozenCoins: 1,
        nostrIdentities: 1,
        contacts: 1,
        messages: 1,
        lightningConnections: 1,
        merchantStores: 1,
        ecashMints: 1,
        ecashSats: held,
      });
      expect(made.manifest.networks).toEqual(['regtest']);
      const atBackup = dump(dbFile(dir));
      const secretsAtBackup = await secretsOf(dbFile(dir), PASSWORD);
      expect(Object.keys(secretsAtBackup).length).toBeGreaterThanOrEqual(4);

      // No secret sits in plain text in the file.
      const fileBytes = fs.readFileSync(made.file.path);
      for (const hex of Object.values(secretsAtBackup)) {
        expect(fileBytes.includes(Buffer.from(hex, 'hex')), 'a secret in plain bytes').toBe(false);
      }
      expect(fileBytes.includes(Buffer.from(WORDS))).toBe(false);
      expect(fileBytes.includes(Buffer.from('See you at the café'))).toBe(false);

      // After the backup, 100 of those sats are spent: the friend claims a token we send.
      const sent = await call<{ token: string }>(core, 'ecash.send', {
        mintUrl: alpha,
        unit: 'sat',
        amount: 100,
      });
      await friendWallet.ecash.receive(sent.token);
      let last: EcashBalance | undefined;
      const finalBalance = await until('token claimed', async () => {
        const b = (await call<EcashBalance[]>(core, 'ecash.balances')).find((x) => x.mintUrl === alpha);
        last = b;
        return b && b.pending === 0 && b.spendable <= held - 100 ? b : null;
      }).catch((err: Error) => {
        throw new Error(`${err.message}; last balance ${JSON.stringify(last)}`);
      });
      core.stop();

      // A fresh profile on another computer: its own Flash password.
      const freshDir = tempDir('flash-backup-dst-');
      const fresh = startCore(freshDir, false);
      await call(fresh, 'vault.setup', { password: OTHER_PASSWORD });

      // Bad files first: each its own error, and nothing is written.
      const before = dump(dbFile(freshDir));
      const bad = (p: string, password = BACKUP_PASSWORD) =>
        codeOf(call(fresh, 'backup.restore', { path: p, password }));
      const flipped = path.join(folder, 'flipped.flashbak');
      const damaged = Buffer.from(fileBytes);
      damaged[Math.floor(damaged.length / 2)]! ^= 0x10;
      fs.writeFileSync(flipped, damaged);
      const cut = path.join(folder, 'cut.flashbak');
      fs.writeFileSync(cut, fileBytes.subarray(0, fileBytes.length - 100));
      const future = path.join(folder, 'future.flashbak');
      const newer = Buffer.from(fileBytes);
      newer[8] = 2;
      fs.writeFileSync(future, newer);
      expect(await bad(flipped)).toBe('BACKUP_DAMAGED');
      expect(await bad(cut)).toBe('BACKUP_DAMAGED');
      expect(await bad(future)).toBe('BACKUP_NEWER_VERSION');
      expect(await bad(path.join(folder, 'missing.flashbak'))).toBe('BACKUP_FILE_NOT_FOUND');
      expect(await bad(dbFile(freshDir))).toBe('BACKUP_NOT_A_BACKUP');
      expect(await bad(made.file.path, 'not the password')).toBe('BACKUP_WRONG_PASSWORD');
      expect(dump(dbFile(freshDir))).toEqual(before);

      // The manifest before anything is written, then the restore.
      const manifest = await call<BackupManifest>(fresh, 'backup.inspect', {
        path: made.file.path,
        password: BACKUP_PASSWORD,
      });
      expect(manifest).toEqual(made.manifest);
      const report = await call<BackupRestoreReport>(fresh, 'backup.restore', {
        path: made.file.path,
        password: BACKUP_PASSWORD,
      });
      // The proofs spent after the backup were dropped (NUT-07); the change of that spend, if the
      // wallet had to swap for it, was found again from the words (NUT-09): the eCash balance
      // after the restore equals the original's final one (checked below).
      expect(report.ecashSpentDropped).toBeGreaterThan(0);
      expect(report.ecashUnchecked).toEqual([]);
      expect(report.ecashRecoveredSats).toBeGreaterThanOrEqual(0);
      expect((await call<{ state: string }>(fresh, 'vault.getStatus')).state).toBe('locked');

      // Table by table: everything the backup held, except the eCash the mints settled since.
      const restored = dump(dbFile(freshDir), (t) => t.startsWith('ecash_'));
      const original = Object.fromEntries(Object.entries(atBackup).filter(([t]) => !t.startsWith('ecash_')));
      expect(restored).toEqual(original);
      expect(await secretsOf(dbFile(freshDir), OTHER_PASSWORD)).toEqual(secretsAtBackup);
      // eCash: the mints as they were, and every proof of the backup once (keyed by Y), either as
      // it was or marked spent because the mint says so; the ones found again from the words are new.
      const proofsAt = new Map(
        atBackup['ecash_proofs']!.map(
          (r) => JSON.parse(r) as { y: string; state: string; amount: number },
        ).map((p) => [p.y, p]),
      );
      const proofsNow = dump(dbFile(freshDir))['ecash_proofs']!.map(
        (r) => JSON.parse(r) as { y: string; state: string },
      );
      expect(new Set(proofsNow.map((p) => p.y)).size).toBe(proofsNow.length);
      for (const p of proofsAt.values()) {
        const now = proofsNow.find((x) => x.y === p.y);
        expect(now?.state === p.state || now?.state === 'spent', p.y).toBe(true);
      }
      expect(
        proofsNow.filter((p) => proofsAt.get(p.y)?.state === 'unspent' && p.state === 'spent').length,
      ).toBe(report.ecashSpentDropped);

      // The same balances after the restored profile opens: eCash as the original ended.
      await call(fresh, 'vault.unlock', { password: OTHER_PASSWORD });
      const balance = (await call<EcashBalance[]>(fresh, 'ecash.balances')).find((x) => x.mintUrl === alpha);
      expect(balance?.spendable).toBe(finalBalance.spendable);
      const wallets = await call<WalletSummary[]>(fresh, 'wallet.list');
      expect(wallets.map((w) => w.name).sort()).toEqual(['Cold', 'Device', 'Main', 'Taproot']);
      expect(await call(fresh, 'coins.labels', { walletId: main.id })).toEqual([
        expect.objectContaining({ ref: small.txid, label: 'Savings from Ana' }),
      ]);

      // Restore is not a merge: a second one into the now-full profile is refused.
      expect(await bad(made.file.path)).toBe('BACKUP_PROFILE_NOT_EMPTY');
    } finally {
      await friendWallet.close();
    }
  }, 240_000);

  it('automatic backups follow money, rotate, and a backup taken during a sync and a send is consistent', async () => {
    const dir = tempDir('flash-backup-auto-');
    const core = startCore(dir);
    await call(core, 'vault.setup', { password: PASSWORD });
    const main = await call<WalletSummary>(core, 'wallet.restore', { words: WORDS.split(' '), name: 'Main' });
    const folder = tempDir('flash-backup-auto-files-');
    const files = async () =>
      (await call<{ files: { path: string }[] }>(core, 'backup.list', { folder })).files;

    // A folder that is not there is refused before anything is saved.
    expect(
      await codeOf(
        call(core, 'backup.setAuto', {
          enabled: true,
          password: BACKUP_PASSWORD,
          folder: path.join(folder, 'nope'),
          keep: 2,
        }),
      ),
    ).toBe('BACKUP_FOLDER_UNAVAILABLE');
    const on = await call<{
      auto: { enabled: boolean; keep: number };
      lastBackup: { sizeBytes: number } | null;
    }>(core, 'backup.setAuto', { enabled: true, password: BACKUP_PASSWORD, folder, keep: 2 });
    expect(on.auto).toMatchObject({ enabled: true, keep: 2 });
    expect(on.lastBackup?.sizeBytes).toBeGreaterThan(0);
    expect(await files()).toHaveLength(1);

    // Money arrives: a new backup follows without a password, twice; only the newest two are kept.
    await until(
      'first sync',
      async () =>
        (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id })).sync.phase ===
        'synced',
    );
    for (const [i, sats] of [70_000, 30_000].entries()) {
      const { address } = (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id }))
        .receive;
      const seen = (await call<{ lastBackup: { path: string } }>(core, 'backup.getStatus')).lastBackup.path;
      stack.chain.send(address, sats);
      stack.chain.mine(1);
      await until(
        `automatic backup ${i + 2}`,
        async () => {
          const s = await call<{ lastBackup: { path: string } | null; lastError: unknown }>(
            core,
            'backup.getStatus',
          );
          expect(s.lastError).toBeNull();
          return s.lastBackup && s.lastBackup.path !== seen;
        },
        30_000,
      );
    }
    const kept = await files();
    expect(kept).toHaveLength(2);
    const newest = await call<BackupManifest>(core, 'backup.inspect', {
      path: kept[0]!.path,
      password: BACKUP_PASSWORD,
    });
    const history = await call<{ total: number }>(core, 'wallet.listActivity', { walletId: main.id });
    expect(newest.counts.transactions).toBe(history.total);

    // The folder disappears (an unplugged disk): the next automatic backup fails, and the status says so.
    const gone = `${folder}-unplugged`;
    fs.renameSync(folder, gone);
    const { address: next } = (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id }))
      .receive;
    stack.chain.send(next, 10_000);
    stack.chain.mine(1);
    const failed = await until(
      'automatic backup failure',
      async () => (await call<{ lastError: { code: string } | null }>(core, 'backup.getStatus')).lastError,
      30_000,
    );
    expect(failed.code).toBe('BACKUP_FOLDER_UNAVAILABLE');
    // Back in place: the next look writes the backup it owes and clears the warning.
    fs.renameSync(gone, folder);
    const { address: again } = (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id }))
      .receive;
    stack.chain.send(again, 10_000);
    stack.chain.mine(1);
    const fixed = await until(
      'automatic backup after the folder is back',
      async () => {
        const s = await call<{ lastError: unknown }>(core, 'backup.getStatus');
        return s.lastError === null ? s : null;
      },
      30_000,
    );
    expect(fixed).toBeTruthy();

    // A backup taken while a send is being signed and broadcast and new blocks are syncing.
    const OUTSIDE = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    const draft = await call<{ draftId: string }>(core, 'send.prepare', {
      walletId: main.id,
      outputs: [{ address: OUTSIDE, sats: 20_000 }],
      feeRate: 2,
    });
    const sending = call(core, 'send.confirm', { draftId: draft.draftId });
    stack.chain.mine(3);
    const during = call<{ file: { path: string } }>(core, 'backup.create', {
      password: BACKUP_PASSWORD,
      folder,
    });
    const [, made] = await Promise.all([sending, during]);
    // inspect opens the whole file and runs SQLite's integrity_check on the snapshot.
    const manifest = await call<BackupManifest>(core, 'backup.inspect', {
      path: made.file.path,
      password: BACKUP_PASSWORD,
    });
    expect(manifest.counts.accounts).toBe(1);

    // Wrong passwords are counted like the vault's: after three, the next must wait.
    for (let i = 0; i < 3; i++) {
      expect(
        await codeOf(call(core, 'backup.inspect', { path: made.file.path, password: `wrong ${i}` })),
      ).toBe('BACKUP_WRONG_PASSWORD');
    }
    expect(
      await codeOf(call(core, 'backup.inspect', { path: made.file.path, password: BACKUP_PASSWORD })),
    ).toBe('BACKUP_RATE_LIMITED');
    await new Promise((r) => setTimeout(r, 1_100));
    await call(core, 'backup.inspect', { path: made.file.path, password: BACKUP_PASSWORD });

    // Locked: no backup, no restore, and turning automatic backups off needs the password too.
    await call(core, 'vault.lock');
    expect(await codeOf(call(core, 'backup.create', { password: BACKUP_PASSWORD, folder }))).toBe(
      'VAULT_LOCKED',
    );
    expect(await codeOf(call(core, 'backup.setAuto', { enabled: false }))).toBe('VAULT_LOCKED');
    await call(core, 'vault.unlock', { password: PASSWORD });
    const off = await call<{ auto: { enabled: boolean } }>(core, 'backup.setAuto', { enabled: false });
    expect(off.auto.enabled).toBe(false);
  }, 180_000);

  it('an eCash receive is backed up within a minute, and a day without changes still gets its backup', async () => {
    const dir = tempDir('flash-backup-ecash-');
    const core = startCore(dir);
    await call(core, 'vault.setup', { password: PASSWORD });
    await call(core, 'wallet.restore', { words: WORDS.split(' '), name: 'Main' });
    const folder = tempDir('flash-backup-ecash-files-');
    await call(core, 'backup.setAuto', { enabled: true, password: BACKUP_PASSWORD, folder, keep: 10 });
    const alpha = stack.cashuMints[0]!.url;
    await call(core, 'ecash.addMint', { url: alpha });
    const before = (await call<{ lastBackup: { path: string } }>(core, 'backup.getStatus')).lastBackup.path;

    const friendWallet = await ecashWallet(stack.lightning);
    try {
      await friendWallet.ecash.addMint(alpha);
      const quote = await friendWallet.ecash.mintQuote({ mintUrl: alpha, unit: 'sat', amount: 200 });
      await friendWallet.ecash.payMintQuote(quote.id);
      const token = await friendWallet.ecash.send({ mintUrl: alpha, unit: 'sat', amount: 100 });
      await call(core, 'ecash.receive', { token: token.token });
      const after = await until(
        'a backup holding the received eCash',
        async () => {
          const s = await call<{ lastBackup: { path: string } }>(core, 'backup.getStatus');
          if (s.lastBackup.path === before) return null;
          const m = await call<BackupManifest>(core, 'backup.inspect', {
            path: s.lastBackup.path,
            password: BACKUP_PASSWORD,
          });
          return m.counts.ecashSats > 0 ? m : null;
        },
        60_000,
      );
      expect(after.counts.ecashProofs).toBeGreaterThan(0);
    } finally {
      await friendWallet.close();
    }
    core.stop();

    // At least daily: with no change at all, a backup older than the limit is made again.
    const db = openDatabase(dbFile(dir));
    const bus = createEventBus();
    const vault = createVaultService({ db, bus, log: silentLogger, kdf: KDF });
    await vault.unlock(PASSWORD);
    let clock = Date.now();
    const service = createBackupService({
      db,
      vault,
      bus,
      log: silentLogger,
      appVersion: 'test',
      defaultFolder: folder,
      kdf: KDF,
      now: () => clock,
      maxAgeMs: 24 * 3_600_000,
    });
    const last = service.status().lastBackup!;
    await service.runAuto('timer');
    expect(service.status().lastBackup).toEqual(last);
    clock += 24 * 3_600_000 + 1;
    await service.runAuto('timer');
    expect(service.status().lastBackup?.path).not.toBe(last.path);
    await service.stop();
    vault.stop();
    db.close();
  }, 120_000);

  it('never half-restores: a failure in the middle rolls every table and secret back; a newer schema is refused', async () => {
    const dir = tempDir('flash-backup-half-');
    const core = startCore(dir, false);
    await call(core, 'vault.setup', { password: PASSWORD });
    const main = await call<WalletSummary>(core, 'wallet.restore', { words: WORDS.split(' '), name: 'Main' });
    const { address } = (await call<WalletOverview>(core, 'wallet.getOverview', { walletId: main.id }))
      .receive;
    await call(core, 'coins.setLabel', {
      walletId: main.id,
      type: 'addr',
      ref: address,
      label: 'Shop',
    });
    await call(core, 'nostr.createIdentity');
    const folder = tempDir('flash-backup-half-files-');
    const made = await call<{ file: { path: string } }>(core, 'backup.create', {
      password: BACKUP_PASSWORD,
      folder,
    });
    core.stop();

    // A fresh profile whose vault fails on the second secret it is given, as a full disk would.
    const targetDir = tempDir('flash-backup-half-dst-');
    const file = path.join(targetDir, 'flash.db');
    const db = openDatabase(file);
    const bus = createEventBus();
    const vault = createVaultService({ db, bus, log: silentLogger, kdf: KDF });
    await vault.setup(OTHER_PASSWORD);
    let puts = 0;
    const failing = {
      ...vault,
      putSecret(name: string, value: Uint8Array) {
        if (++puts === 2) throw new Error('disk I/O error');
        vault.putSecret(name, value);
      },
    };
    const service = createBackupService({
      db,
      vault: failing,
      bus,
      log: silentLogger,
      appVersion: 'test',
      defaultFolder: folder,
      kdf: KDF,
      checkSpent: async () => new Set(),
    });
    const before = dump(file);
    await expect(service.restore(made.file.path, BACKUP_PASSWORD)).rejects.toThrow('disk I/O error');
    expect(puts).toBe(2);
    expect(dump(file)).toEqual(before);
    expect(db.prepare('SELECT count(*) AS n FROM vault_secrets').get()).toEqual({ n: 0 });
    // The vault locked itself so that nothing it was handed in memory outlives the rollback.
    expect(vault.status().state).toBe('locked');
    await vault.unlock(OTHER_PASSWORD);

    // A snapshot from a newer app (its schema beyond this one's) is refused before anything is written.
    const future = new Database(':memory:');
    future.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    const bytes = future.serialize();
    future.close();
    const manifest = await service.inspect(made.file.path, BACKUP_PASSWORD);
    expect(() =>
      openSnapshot(bytes, { ...manifest, schemaVersion: LATEST_SCHEMA_VERSION + 1, tables: {} }),
    ).toThrow(expect.objectContaining({ code: 'BACKUP_NEWER_VERSION' }));

    // With a working vault the same file restores whole.
    const ok = createBackupService({
      db,
      vault,
      bus,
      log: silentLogger,
      appVersion: 'test',
      defaultFolder: folder,
      kdf: KDF,
      checkSpent: async () => new Set(),
    });
    // This profile already holds a secret of the same name with another value (as a key a service
    // made before the restore would be): the vault locks right after the import, so no service
    // keeps the old one in memory, and the restored value is what it opens with.
    const sourceSecrets = await secretsOf(dbFile(dir), PASSWORD);
    const shared = Object.keys(sourceSecrets)[0]!;
    vault.putSecret(shared, new Uint8Array(32).fill(9));
    const report = await ok.restore(made.file.path, BACKUP_PASSWORD);
    expect(report.manifest.counts).toMatchObject({ accounts: 1, labels: 1, nostrIdentities: 1 });
    expect(vault.status().state).toBe('locked');
    await vault.unlock(OTHER_PASSWORD);
    expect(Buffer.from(vault.getSecret(shared)).toString('hex')).toBe(sourceSecrets[shared]);
    await service.stop();
    await ok.stop();
    vault.stop();
    db.close();
  }, 60_000);

  it('merges into a profile that already has accounts: the same account once, labels and frozen coins added', async () => {
    const srcDir = tempDir('flash-backup-merge-src-');
    const src = startCore(srcDir);
    await call(src, 'vault.setup', { password: PASSWORD });
    const main = await call<WalletSummary>(src, 'wallet.restore', { words: WORDS.split(' '), name: 'Main' });
    const taproot = await call<WalletSummary>(src, 'wallet.addAccount', {
      seedWalletId: main.id,
      accountType: 'bip86',
      accountIndex: 0,
      name: 'Taproot',
    });
    await until(
      'first sync',
      async () =>
        (await call<WalletOverview>(src, 'wallet.getOverview', { walletId: main.id })).sync.phase ===
        'synced',
    );
    const { address } = (await call<WalletOverview>(src, 'wallet.getOverview', { walletId: main.id }))
      .receive;
    stack.chain.send(address, 33_000);
    stack.chain.mine(1);
    const coin = await until('the coin', async () =>
      (
        await call<{ outpoint: string; txid: string; sats: number }[]>(src, 'coins.list', {
          walletId: main.id,
        })
      ).find((u) => u.sats === 33_000),
    );
    await call(src, 'coins.setFrozen', { walletId: main.id, outpoints: [coin.outpoint], frozen: true });
    await call(src, 'coins.setLabel', {
      walletId: main.id,
      type: 'tx',
      ref: coin.txid,
      label: 'From the backup',
    });
    const folder = tempDir('flash-backup-merge-files-');
    const made = await call<{ file: { path: string } }>(src, 'backup.create', {
      password: BACKUP_PASSWORD,
      folder,
    });
    src.stop();

    // Another profile: the same words (another id for the same account), its own label and a watch-only account.
    const dstDir = tempDir('flash-backup-merge-dst-');
    const dst = startCore(dstDir, false);
    await call(dst, 'vault.setup', { password: OTHER_PASSWORD });
    const here = await call<WalletSummary>(dst, 'wallet.restore', { words: WORDS.split(' '), name: 'Mine' });
    expect(here.id).not.toBe(main.id);
    const mineAddress = (await call<WalletOverview>(dst, 'wallet.getOverview', { walletId: here.id })).receive
      .address;
    await call(dst, 'coins.setLabel', {
      walletId: here.id,
      type: 'addr',
      ref: mineAddress,
      label: 'Mine already',
    });

    expect(
      await codeOf(call(dst, 'backup.restore', { path: made.file.path, password: BACKUP_PASSWORD })),
    ).toBe('BACKUP_PROFILE_NOT_EMPTY');
    const report = await call<BackupRestoreReport>(dst, 'backup.restore', {
      path: made.file.path,
      password: BACKUP_PASSWORD,
      merge: true,
    });
    expect(report.merged).toMatchObject({
      accountsAdded: 1,
      accountsAlreadyHere: 1,
      labelsAdded: 1,
      frozenCoinsAdded: 1,
      ecashProofsAdded: 0,
    });
    const wallets = await call<WalletSummary[]>(dst, 'wallet.list');
    expect(wallets.map((w) => w.name).sort()).toEqual(['Mine', 'Taproot']);
    const added = wallets.find((w) => w.name === 'Taproot')!;
    expect(added.id).toBe(taproot.id);
    expect(added.seedWalletId).toBe(here.id);
    const words = await call<{ words: string[] }>(dst, 'vault.revealRecoveryWords', {
      walletId: added.id,
      password: OTHER_PASSWORD,
    });
    expect(words.words.join(' ')).toBe(WORDS);
    const labels = await call<{ ref: string; label: string }[]>(dst, 'coins.labels', { walletId: here.id });
    expect(labels.map((l) => l.label).sort()).toEqual(['From the backup', 'Mine already']);
    const view = new Database(dbFile(dstDir), { readonly: true });
    expect(view.prepare('SELECT wallet_id, txid, vout FROM wallet_frozen_outputs').all()).toEqual([
      { wallet_id: here.id, txid: coin.txid, vout: Number(coin.outpoint.split(':')[1]) },
    ]);
    view.close();

    // Merging the same file again adds nothing.
    const again = await call<BackupRestoreReport>(dst, 'backup.restore', {
      path: made.file.path,
      password: BACKUP_PASSWORD,
      merge: true,
    });
    expect(again.merged).toEqual({
      accountsAdded: 0,
      accountsAlreadyHere: 2,
      labelsAdded: 0,
      frozenCoinsAdded: 0,
      ecashMintsAdded: 0,
      ecashProofsAdded: 0,
      ecashSatsAdded: 0,
      ecashProofsAlreadyHere: 0,
      ecashProofsInOpenOperations: 0,
      electrumPinsAdded: 0,
    });
    // A merged account syncs from the start and does not announce its old coins as new deposits.
    const check = new Database(dbFile(dstDir), { readonly: true });
    expect(check.prepare('SELECT announce_deposits FROM wallets WHERE id = ?').get(taproot.id)).toEqual({
      announce_deposits: 0,
    });
    check.close();
  }, 120_000);

  it('merges eCash: proofs spent since the backup are dropped (NUT-07), held ones are not doubled, the rest spend here', async () => {
    const alpha = stack.cashuMints[0]!.url;
    const srcDir = tempDir('flash-backup-merge-ecash-src-');
    const src = startCore(srcDir, false);
    await call(src, 'vault.setup', { password: PASSWORD });
    await call(src, 'wallet.restore', { words: WORDS.split(' '), name: 'Main' });
    await call(src, 'ecash.addMint', { url: alpha });
    const balanceOf = async (core: FlashCore) =>
      (await call<EcashBalance[]>(core, 'ecash.balances')).find((x) => x.mintUrl === alpha);
    const friendWallet = await ecashWallet(stack.lightning);
    try {
      await friendWallet.ecash.addMint(alpha);
      const quote = await friendWallet.ecash.mintQuote({ mintUrl: alpha, unit: 'sat', amount: 1000 });
      await friendWallet.ecash.payMintQuote(quote.id);
      const token = await friendWallet.ecash.send({ mintUrl: alpha, unit: 'sat', amount: 400 });
      await call(src, 'ecash.receive', { token: token.token });
      await until('eCash claimed', async () => {
        const b = await balanceOf(src);
        return b && b.pending === 0 && b.incoming === 0 && b.spendable >= 390;
      });
      const folder = tempDir('flash-backup-merge-ecash-files-');
      const made = await call<{ file: { path: string } }>(src, 'backup.create', {
        password: BACKUP_PASSWORD,
        folder,
      });
      const atBackup = dump(dbFile(srcDir))['ecash_proofs']!.map(
        (r) => JSON.parse(r) as { y: string; state: string; amount: number; sealed: string },
      );
      const unspentAtBackup = atBackup.filter((p) => p.state === 'unspent');
      expect(unspentAtBackup.length).toBeGreaterThan(1);

      // After the backup, the source spends part of it: the friend claims a token it sends.
      const sent = await call<{ token: string }>(src, 'ecash.send', {
        mintUrl: alpha,
        unit: 'sat',
        amount: 100,
      });
      await friendWallet.ecash.receive(sent.token);
      await until('token claimed', async () => {
        const b = await balanceOf(src);
        return b && b.pending === 0;
      });
      src.stop();
      const proofsAfter = dump(dbFile(srcDir))['ecash_proofs']!.map(
        (r) => JSON.parse(r) as { y: string; state: string },
      );
      const spentSince = new Set(proofsAfter.filter((p) => p.state === 'spent').map((p) => p.y));
      const kept = unspentAtBackup.filter((p) => !spentSince.has(p.y));
      const dropped = unspentAtBackup.filter((p) => spentSince.has(p.y));
      expect(kept.length).toBeGreaterThan(0);
      expect(dropped.length).toBeGreaterThan(0);
      const keptSats = kept.reduce((s, p) => s + p.amount, 0);

      // Another profile with an account of the same words, its own Flash password and eCash key.
      const dstDir = tempDir('flash-backup-merge-ecash-dst-');
      const dst = startCore(dstDir, false);
      await call(dst, 'vault.setup', { password: OTHER_PASSWORD });
      await call(dst, 'wallet.restore', { words: WORDS.split(' '), name: 'Mine' });
      const report = await call<BackupRestoreReport>(dst, 'backup.restore', {
        path: made.file.path,
        password: BACKUP_PASSWORD,
        merge: true,
      });
      expect(report.ecashSpentDropped).toBe(dropped.length);
      expect(report.ecashUnchecked).toEqual([]);
      expect(report.merged).toMatchObject({
        accountsAdded: 0,
        accountsAlreadyHere: 1,
        ecashMintsAdded: 1,
        ecashProofsAdded: kept.length,
        ecashSatsAdded: keptSats,
        ecashProofsAlreadyHere: 0,
        ecashProofsInOpenOperations: 0,
      });
      expect((await balanceOf(dst))?.spendable).toBe(keptSats);
      // Re-sealed under this profile's key: the same proofs, other ciphertext.
      const here = dump(dbFile(dstDir))['ecash_proofs']!.map(
        (r) => JSON.parse(r) as { y: string; state: string; sealed: string },
      );
      expect(here.map((p) => p.y).sort()).toEqual(kept.map((p) => p.y).sort());
      for (const p of here) {
        expect(p.state).toBe('unspent');
        expect(p.sealed).not.toBe(atBackup.find((x) => x.y === p.y)!.sealed);
      }

      // The same file again: the proofs held already are not doubled.
      const again = await call<BackupRestoreReport>(dst, 'backup.restore', {
        path: made.file.path,
        password: BACKUP_PASSWORD,
        merge: true,
      });
      expect(again.merged).toMatchObject({
        ecashMintsAdded: 0,
        ecashProofsAdded: 0,
        ecashSatsAdded: 0,
        ecashProofsAlreadyHere: kept.length,
      });
      expect((await balanceOf(dst))?.spendable).toBe(keptSats);
      expect(dump(dbFile(dstDir))['ecash_proofs']).toHaveLength(kept.length);

      // The merged money spends here: the mint swaps it (outputs derived past the source's
      // counters, as both profiles hold the same words) and the friend claims the token.
      const gift = await call<{ token: string }>(dst, 'ecash.send', {
        mintUrl: alpha,
        unit: 'sat',
        amount: 50,
      });
      const claimed = await friendWallet.ecash.receive(gift.token);
      expect(claimed).toBeTruthy();
      await until('gift claimed', async () => {
        const b = await balanceOf(dst);
        return b && b.pending === 0 && b.spendable <= keptSats - 50;
      });
    } finally {
      await friendWallet.close();
    }
  }, 180_000);
});
