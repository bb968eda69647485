import fs from 'node:fs';
import type {
  BackupFile,
  BackupManifest,
  BackupRestoreReport,
  BackupStatus,
  EventPayload,
  Network,
} from '../../shared/contract';
import { BACKUP_KEEP_DEFAULT } from '../../shared/contract/backup';
import { FlashError } from '../../shared/errors';
import type { KdfParams } from '../core/config';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import type { DeriveKey } from '../vault/crypto';
import { randomSalt, scryptKey } from '../vault/crypto';
import { createSealer } from '../ecash/sealing';
import { retryAfterMs } from '../vault/rate-limit';
import type { VaultService } from '../vault/types';
import { decodeBody, encodeBody } from './body';
import type { CheckSpent } from './ecash-check';
import { checkSpentWithMint, dropSpentProofs } from './ecash-check';
import { fsError, listBackupFiles, readBackupFile, requireAbsolute, rotate, writeBackupFile } from './files';
import { dataFingerprint } from './fingerprint';
import { keyMatches, openBackup, parseBackupFile, sealBackup } from './format';
import { kindCounts, networksIn, tableCounts } from './manifest';
import { mergeSnapshot } from './merge';
import { planEcashMerge, sameEcashSeed } from './merge-ecash';
import { importSnapshot, openSnapshot, requireEmptyProfile } from './restore';
import { removeStaleSnapshots, takeSnapshot } from './snapshot';
import type { AutoSettings } from './state';
import { createBackupState } from './state';

/** Electron only: the system's file dialogs (browser mode has none: the user types a path). */
export interface DesktopBackupHooks {
  choose(kind: 'folder' | 'file'): Promise<string | null>;
}

export interface BackupServiceDeps {
  db: Db;
  vault: VaultService;
  bus: EventBus;
  log: Logger;
  appVersion: string;
  /** Where manual backups go unless another folder is given. */
  defaultFolder: string;
  /** scrypt cost for new backup keys (the app's default is OWASP's N = 2^17, r = 8, p = 1). */
  kdf: KdfParams;
  deriveKey?: DeriveKey;
  /** NUT-07 for restored proofs; the real mint client unless a test points it elsewhere. */
  checkSpent?: CheckSpent;
  /** After a restore has committed: the container starts a wallet sync. */
  afterRestore?: () => void;
  /**
   * After a restore: NUT-09 over these mints from the restored words (the eCash service), which
   * finds proofs signed after the backup was made (change of a later spend) and moves the counters
   * past them. Proofs are keyed by Y, so one found again is not stored twice.
   */
  recoverEcash?: (mintUrls: string[]) => Promise<unknown>;
  /** The network the restored profile is on (its settings), for the mints to recover. */
  network?: () => Network;
  desktop?: DesktopBackupHooks | null;
  now?: () => number;
  /** How often automatic backups look for changes (ms). A change is backed up by the next look. */
  checkEveryMs?: number;
  /** Automatic backups run at least this often even with no change (ms). */
  maxAgeMs?: number;
}

export type Operation = 'create' | 'inspect' | 'restore';
type Phase = EventPayload<'backup.progress'>['phase'];

const AUTO_KEY_SECRET = 'backup.autoKey';
const MINT_CHECK_TIMEOUT_MS = 15_000;
/** Events after which a money or key change is likely: looked at within seconds, not at the next tick. */
const NUDGES = [
  'deposit.detected',
  'ecash.operation',
  'ecash.tokenClaimed',
  'lightning.payment',
  'lightning.invoicePaid',
  'lightning.providers',
  'nwcService.changed',
] as const;
const NUDGE_DELAY_MS = 5_000;

export function createBackupService(deps: BackupServiceDeps) {
  const { db, vault, bus, log } = deps;
  const now = deps.now ?? Date.now;
  const deriveKey = deps.deriveKey ?? scryptKey;
  const checkSpent = deps.checkSpent ?? checkSpentWithMint;
  const checkEveryMs = deps.checkEveryMs ?? 60_000;
  const maxAgeMs = deps.maxAgeMs ?? 24 * 3_600_000;
  const state = createBackupState(db);
  // Merged eCash proofs are sealed under this profile's key, as the eCash service seals its own.
  const ecashSealer = createSealer(vault);
  let running = false;
  let queue: Promise<unknown> = Promise.resolve();
  let ticker: ReturnType<typeof setInterval> | null = null;
  let nudge: ReturnType<typeof setTimeout> | null = null;
  const stops: (() => void)[] = [];

  /** One backup or restore at a time: two would race over the same snapshot and files. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      running = true;
      emitStatus();
      try {
        return await fn();
      } finally {
        running = false;
        emitStatus();
      }
    });
    queue = run.catch(() => undefined);
    return run;
  }

  function status(): BackupStatus {
    const auto = state.auto();
    return {
      defaultFolder: deps.defaultFolder,
      canChoose: Boolean(deps.desktop),
      auto: {
        enabled: auto?.enabled ?? false,
        folder: auto?.folder ?? null,
        keep: auto?.keep ?? BACKUP_KEEP_DEFAULT,
      },
      running,
      lastBackup: state.last(),
      lastError: state.lastError(),
    };
  }

  function emitStatus(): void {
    bus.emit('backup.status', status());
  }

  function progress(operation: Operation, phase: Phase, fraction: number): void {
    bus.emit('backup.progress', { operation, phase, fraction: Math.min(1, Math.max(0, fraction)) });
  }

  function requireUnlocked(): void {
    const s = vault.status().state;
    if (s === 'uninitialized') throw new FlashError('VAULT_NOT_SET_UP', 'Set a password for Flash first.');
    if (s !== 'unlocked') throw new FlashError('VAULT_LOCKED', 'Flash is locked. Unlock it first.');
  }

  /** Snapshot, manifest and body, sealed with `key`; returns the whole file. */
  async function buildFile(
    key: Uint8Array,
    salt: Uint8Array,
    kdf: KdfParams,
  ): Promise<{ bytes: Uint8Array; manifest: BackupManifest }> {
    const snapshot = await takeSnapshot(db, vault, (f) => progress('create', 'snapshot', 0.5 * f));
    let body: Uint8Array | null = null;
    try {
      const createdAt = now();
      const manifest: BackupManifest = {
        format: 1,
        appVersion: deps.appVersion,
        createdAt,
        schemaVersion: Number(snapshot.db.pragma('user_version', { simple: true })),
        networks: networksIn(snapshot.db),
        counts: kindCounts(snapshot.db, snapshot.secrets.length),
        tables: tableCounts(snapshot.db),
      };
      body = encodeBody({ manifest, secrets: snapshot.secrets, database: snapshot.database });
      const bytes = await sealBackup(
        body,
        key,
        { app: deps.appVersion, createdAt, kdf, salt },
        (done, total) => progress('create', 'seal', 0.5 + (0.45 * done) / total),
      );
      return { bytes, manifest };
    } finally {
      body?.fill(0);
      for (const s of snapshot.secrets) s.value.fill(0);
      snapshot.db.close();
    }
  }

  function record(file: BackupFile): void {
    state.setLast({ path: file.path, sizeBytes: file.sizeBytes, at: file.modifiedAt });
  }

  // ── opening a file (inspect and restore) ──────────────────────────────────────────────────

  /** Password attempts on files count like the vault's: growing waits after three wrong ones. */
  async function keyForFile(
    op: Operation,
    header: ReturnType<typeof parseBackupFile>['header'],
    password: string,
  ): Promise<Uint8Array> {
    const attempts = state.attempts();
    const wait = retryAfterMs(attempts.failed, attempts.lastAt, now());
    if (wait > 0) {
      throw new FlashError(
        'BACKUP_RATE_LIMITED',
        `Too many wrong backup passwords. Try again in ${Math.ceil(wait / 1000)} s.`,
        {
          retryAfterMs: wait,
        },
      );
    }
    progress(op, 'key', 0.05);
    const key = await deriveKey(password, Buffer.from(header.salt, 'hex'), header.kdf);
    if (!keyMatches(header, key)) {
      key.fill(0);
      const after = state.recordFailure(now());
      throw new FlashError('BACKUP_WRONG_PASSWORD', 'That is not the password of this backup.', {
        failedAttempts: after.failed,
        retryAfterMs: retryAfterMs(after.failed, after.lastAt, now()),
      });
    }
    state.resetFailures();
    return key;
  }

  async function openFile(op: Operation, path: string, password: string) {
    const file = parseBackupFile(readBackupFile(requireAbsolute(path, 'backup file')));
    const key = await keyForFile(op, file.header, password);
    let plain: Uint8Array;
    try {
      plain = await openBackup(file, key, (done, total) => progress(op, 'open', 0.1 + (0.4 * done) / total));
    } finally {
      key.fill(0);
    }
    try {
      const body = decodeBody(plain);
      progress(op, 'check', 0.55);
      const snap = openSnapshot(body.database, body.manifest);
      return { body, snap, plain };
    } catch (err) {
      plain.fill(0);
      throw err;
    }
  }

  // ── automatic backups ─────────────────────────────────────────────────────────────────────

  async function autoBackup(reason: string): Promise<void> {
    const auto = state.auto();
    if (!auto?.enabled || vault.status().state !== 'unlocked') return;
    const fingerprint = dataFingerprint(db);
    const last = state.last();
    const due = last === null || now() - last.at >= maxAgeMs || fingerprint !== state.fingerprint();
    if (!due) return;
    try {
      if (!vault.hasSecret(AUTO_KEY_SECRET))
        throw new FlashError('BACKUP_AUTO_KEY_MISSING', 'Set up automatic backups again.');
      const key = vault.getSecret(AUTO_KEY_SECRET);
      try {
        const { bytes } = await buildFile(key, Buffer.from(auto.salt, 'hex'), auto.kdf);
        const file = writeBackupFile(auto.folder, now(), bytes);
        progress('create', 'done', 1);
        record(file);
        state.setFingerprint(fingerprint);
        state.setLastError(null);
        const removed = rotate(auto.folder, auto.keep);
        log.info('automatic backup written', { reason, sizeBytes: file.sizeBytes, rotated: removed.length });
      } finally {
        key.fill(0);
      }
    } catch (err) {
      const e = err instanceof FlashError ? err : fsError(err, auto.folder);
      state.setLastError({ code: e.code, message: e.message, at: now() });
      log.warn('automatic backup failed', { reason, code: e.code });
    }
  }

  function runAuto(reason: string): Promise<void> {
    if (!state.auto()?.enabled) return Promise.resolve();
    return serial(() => autoBackup(reason));
  }

  function scheduleNudge(): void {
    if (nudge || !state.auto()?.enabled) return;
    nudge = setTimeout(
      () => {
        nudge = null;
        void runAuto('change');
      },
      Math.min(NUDGE_DELAY_MS, checkEveryMs),
    );
    nudge.unref?.();
  }

  function unspentSats(): number {
    const row = db
      .prepare(
        `SELECT coalesce(sum(amount), 0) AS n FROM ecash_proofs WHERE state = 'unspent' AND unit = 'sat'`,
      )
      .get() as { n: number };
    return row.n;
  }

  /** NUT-09 after a restore; returns the sats it found that the backup did not hold. */
  async function recoverEcash(): Promise<number> {
    if (!deps.recoverEcash || !deps.network) return 0;
    const urls = db
      .prepare<[string], { url: string }>('SELECT url FROM ecash_mints WHERE network = ? ORDER BY added_at')
      .all(deps.network())
      .map((r) => r.url);
    if (urls.length === 0) return 0;
    const before = unspentSats();
    try {
      await deps.recoverEcash(urls);
    } catch (err) {
      log.warn('eCash recovery after restore failed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
    return Math.max(0, unspentSats() - before);
  }

  // ── the service ───────────────────────────────────────────────────────────────────────────

  return {
    status,

    list(folder?: string): { folder: string; files: BackupFile[] } {
      const dir = folder ? requireAbsolute(folder, 'folder') : deps.defaultFolder;
      return { folder: dir, files: listBackupFiles(dir) };
    },

    create(password: string, folder?: string): Promise<{ file: BackupFile; manifest: BackupManifest }> {
      return serial(async () => {
        requireUnlocked();
        const dir = folder ? requireAbsolute(folder, 'folder') : deps.defaultFolder;
        if (!folder) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const salt = randomSalt();
        const key = await deriveKey(password, salt, deps.kdf);
        try {
          const { bytes, manifest } = await buildFile(key, salt, deps.kdf);
          progress('create', 'write', 0.97);
          const file = writeBackupFile(dir, now(), bytes);
          record(file);
          progress('create', 'done', 1);
          log.info('backup written', { sizeBytes: file.sizeBytes });
          return { file, manifest };
        } finally {
          key.fill(0);
        }
      });
    },

    inspect(path: string, password: string): Promise<BackupManifest> {
      return serial(async () => {
        const { body, snap, plain } = await openFile('inspect', path, password);
        snap.close();
        for (const s of body.secrets) s.value.fill(0);
        plain.fill(0);
        progress('inspect', 'done', 1);
        return body.manifest;
      });
    },

    restore(path: string, password: string): Promise<BackupRestoreReport> {
      return serial(async () => {
        requireUnlocked();
        requireEmptyProfile(db);
        const { body, snap, plain } = await openFile('restore', path, password);
        // A secret this profile already had under the same name with another value (a key a
        // service made before the restore): a service may hold the old one in memory, so the vault
        // locks right after the import and no service works on the restored rows until it opens.
        let replacesSecrets = false;
        try {
          requireEmptyProfile(db);
          replacesSecrets = body.secrets.some((s) => {
            if (!vault.hasSecret(s.name)) return false;
            const mine = vault.getSecret(s.name);
            const same = Buffer.from(mine).equals(Buffer.from(s.value));
            mine.fill(0);
            return !same;
          });
          try {
            importSnapshot(db, snap, body.secrets, vault, (done, total) =>
              progress('restore', 'write', 0.6 + (0.3 * done) / total),
            );
          } catch (err) {
            // The transaction rolled back; the vault may still hold the secrets it was given in memory.
            vault.lock();
            throw err;
          }
        } finally {
          snap.close();
          for (const s of body.secrets) s.value.fill(0);
          plain.fill(0);
        }
        log.info('backup restored', {
          schemaVersion: body.manifest.schemaVersion,
          tables: Object.keys(body.manifest.tables).length,
        });
        if (replacesSecrets) vault.lock();
        progress('restore', 'ecash', 0.92);
        const ecash = await dropSpentProofs(db, withTimeout(checkSpent), log);
        // NUT-09 needs the words and the eCash key open; after a locked import it waits for the
        // user (Settings → eCash → restore from the words), and the report says 0 found.
        const recovered = replacesSecrets ? 0 : await recoverEcash();
        state.setFingerprint(dataFingerprint(db));
        progress('restore', 'done', 1);
        // Every service reads its keys and rows again when the vault opens: locking now means
        // nothing keeps serving what it loaded before the restore.
        vault.lock();
        deps.afterRestore?.();
        return {
          manifest: body.manifest,
          ecashSpentDropped: ecash.dropped,
          ecashUnchecked: ecash.unchecked,
          ecashRecoveredSats: recovered,
          merged: null,
        };
      });
    },

    /**
     * Adds a file's accounts, labels, frozen coins, eCash and Electrum pins to this profile (see
     * merge.ts for what it leaves). The mints are asked about the proofs (NUT-07) first; the
     * writes then happen in one transaction.
     */
    merge(path: string, password: string): Promise<BackupRestoreReport> {
      return serial(async () => {
        requireUnlocked();
        const { body, snap, plain } = await openFile('restore', path, password);
        let merged;
        let plan;
        try {
          progress('restore', 'ecash', 0.6);
          plan = await planEcashMerge(db, snap, body.secrets, withTimeout(checkSpent), log);
          requireUnlocked();
          progress('restore', 'write', 0.8);
          try {
            merged = mergeSnapshot(db, snap, body.secrets, vault, {
              plan,
              sealer: ecashSealer,
              raiseCounters: sameEcashSeed(vault, body.secrets),
            });
          } catch (err) {
            // Rolled back; words and keys handed to the vault may still sit in its memory.
            vault.lock();
            throw err;
          }
        } finally {
          snap.close();
          for (const s of body.secrets) s.value.fill(0);
          plain.fill(0);
        }
        for (const mintUrl of new Set(plan.proofs.map((p) => p.mintUrl))) bus.emit('ecash.mint', { mintUrl });
        const balances = new Map(plan.proofs.map((p) => [`${p.mintUrl} ${p.unit}`, p]));
        for (const p of balances.values()) bus.emit('ecash.balance', { mintUrl: p.mintUrl, unit: p.unit });
        log.info('backup merged', { ...merged, ecashSpentDropped: plan.spentDropped });
        progress('restore', 'done', 1);
        deps.afterRestore?.();
        return {
          manifest: body.manifest,
          ecashSpentDropped: plan.spentDropped,
          ecashUnchecked: plan.unchecked,
          ecashRecoveredSats: 0,
          merged,
        };
      });
    },

    setAuto(
      input: { enabled: true; password: string; folder: string; keep: number } | { enabled: false },
    ): Promise<BackupStatus> {
      return serial(async () => {
        requireUnlocked();
        if (!input.enabled) {
          const auto = state.auto();
          if (auto) state.setAuto({ ...auto, enabled: false });
          if (vault.hasSecret(AUTO_KEY_SECRET)) vault.deleteSecret(AUTO_KEY_SECRET);
          state.setLastError(null);
          return status();
        }
        const folder = requireAbsolute(input.folder, 'folder');
        if (folder === deps.defaultFolder) fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
        try {
          if (!fs.statSync(folder).isDirectory())
            throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
          fs.accessSync(folder, fs.constants.W_OK);
        } catch (err) {
          throw fsError(err, folder);
        }
        // The key is derived once, here, and kept sealed in the vault: automatic backups never
        // ask for the password, and every file they write opens with it.
        const salt = randomSalt();
        const key = await deriveKey(input.password, salt, deps.kdf);
        try {
          vault.putSecret(AUTO_KEY_SECRET, key);
        } finally {
          key.fill(0);
        }
        const settings: AutoSettings = {
          enabled: true,
          folder,
          keep: input.keep,
          salt: Buffer.from(salt).toString('hex'),
          kdf: { N: deps.kdf.N, r: deps.kdf.r, p: deps.kdf.p },
        };
        state.setAuto(settings);
        state.setFingerprint(null);
        await autoBackup('enabled');
        return status();
      });
    },

    /** A folder (to write into) or a backup file (to open), picked in the system's dialog. */
    async choose(kind: 'folder' | 'file'): Promise<{ path: string | null }> {
      if (!deps.desktop) throw new FlashError('BAD_INPUT', 'There is no file dialog here: type the path.');
      return { path: await deps.desktop.choose(kind) };
    },

    /** Runs the automatic check now (tests, and the status bar's "back up now"). */
    runAuto,

    start(): void {
      try {
        const stale = removeStaleSnapshots(db);
        if (stale > 0) log.info('removed snapshot files left by an interrupted backup', { files: stale });
      } catch (err) {
        log.warn('could not look for stale snapshot files', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      for (const name of NUDGES) stops.push(bus.on(name, () => scheduleNudge()));
      stops.push(vault.onUnlock(() => scheduleNudge()));
      ticker = setInterval(() => void runAuto('timer'), checkEveryMs);
      ticker.unref?.();
      state.onChange(emitStatus);
    },

    async stop(): Promise<void> {
      if (ticker) clearInterval(ticker);
      if (nudge) clearTimeout(nudge);
      ticker = null;
      nudge = null;
      for (const s of stops.splice(0)) s();
      await queue;
    },
  };
}

function withTimeout(check: CheckSpent): CheckSpent {
  return (mintUrl, ys) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('the mint did not answer in time')),
        MINT_CHECK_TIMEOUT_MS,
      );
      check(mintUrl, ys).then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
}

export type BackupService = ReturnType<typeof createBackupService>;
