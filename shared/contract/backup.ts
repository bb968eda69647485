import { z } from 'zod';
import { Empty, Network, Password } from './common';

/** What one backup file holds, shown before a restore writes anything. */
export const BackupCounts = z.object({
  accounts: z.number().int().nonnegative(),
  watchOnlyAccounts: z.number().int().nonnegative(),
  hardwareAccounts: z.number().int().nonnegative(),
  transactions: z.number().int().nonnegative(),
  labels: z.number().int().nonnegative(),
  frozenCoins: z.number().int().nonnegative(),
  nostrIdentities: z.number().int().nonnegative(),
  contacts: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  lightningConnections: z.number().int().nonnegative(),
  nwcConnections: z.number().int().nonnegative(),
  merchantStores: z.number().int().nonnegative(),
  ecashMints: z.number().int().nonnegative(),
  ecashProofs: z.number().int().nonnegative(),
  /** Sats in unspent and reserved eCash proofs. */
  ecashSats: z.number().int().nonnegative(),
  secrets: z.number().int().nonnegative(),
});
export type BackupCounts = z.infer<typeof BackupCounts>;

export const BackupManifest = z.object({
  format: z.literal(1),
  appVersion: z.string().max(64),
  createdAt: z.number().int().nonnegative(),
  schemaVersion: z.number().int().positive(),
  networks: z.array(Network),
  counts: BackupCounts,
  /** Rows per table in the snapshot; a restore checks it wrote exactly these. */
  tables: z.record(z.string().max(128), z.number().int().nonnegative()),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

export const BackupFile = z.object({
  path: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  modifiedAt: z.number().int().nonnegative(),
});
export type BackupFile = z.infer<typeof BackupFile>;

export const BackupProblem = z.object({
  code: z.string(),
  message: z.string(),
  at: z.number().int(),
});

export const BackupStatus = z.object({
  /** Where manual backups go unless another folder is given, and where restore lists files. */
  defaultFolder: z.string(),
  /** Electron: folders and files can be picked in the system's dialogs (backup.choose). */
  canChoose: z.boolean(),
  auto: z.object({
    enabled: z.boolean(),
    folder: z.string().nullable(),
    keep: z.number().int().positive(),
  }),
  running: z.boolean(),
  lastBackup: z
    .object({ path: z.string(), sizeBytes: z.number().int().nonnegative(), at: z.number().int() })
    .nullable(),
  /** The last automatic backup that failed (folder gone, disk full), cleared by the next success. */
  lastError: BackupProblem.nullable(),
});
export type BackupStatus = z.infer<typeof BackupStatus>;

/** An absolute folder or file path (validated again in main against the file system). */
const FsPath = z.string().min(1).max(4096);
export const BackupPassword = z.string().min(8).max(1024);
export const BACKUP_KEEP_DEFAULT = 10;

export const BackupRestoreReport = z.object({
  manifest: BackupManifest,
  /** eCash proofs the mint called spent (NUT-07) and that were dropped from the balance. */
  ecashSpentDropped: z.number().int().nonnegative(),
  /** Mints that could not be asked; their proofs stay as restored and are checked again on use. */
  ecashUnchecked: z.array(z.string()),
  /** Sats of eCash found again from the words (NUT-09) that the backup did not hold yet. */
  ecashRecoveredSats: z.number().int().nonnegative(),
  /** A merge into a profile that already held accounts: what it added (null for a full restore). */
  merged: z
    .object({
      accountsAdded: z.number().int().nonnegative(),
      accountsAlreadyHere: z.number().int().nonnegative(),
      labelsAdded: z.number().int().nonnegative(),
      frozenCoinsAdded: z.number().int().nonnegative(),
      ecashMintsAdded: z.number().int().nonnegative(),
      ecashProofsAdded: z.number().int().nonnegative(),
      ecashSatsAdded: z.number().int().nonnegative(),
      /** Proofs of the file this profile held already (same Y): not counted twice. */
      ecashProofsAlreadyHere: z.number().int().nonnegative(),
      /** Proofs the file's eCash journal had reserved for an operation still open: not brought. */
      ecashProofsInOpenOperations: z.number().int().nonnegative(),
      electrumPinsAdded: z.number().int().nonnegative(),
    })
    .nullable(),
});
export type BackupRestoreReport = z.infer<typeof BackupRestoreReport>;

export const backupMethods = {
  'backup.getStatus': { input: Empty, output: BackupStatus },
  /** Backup files in a folder (the default folder when none is given), newest first. */
  'backup.list': {
    input: z.object({ folder: FsPath.optional() }).strict(),
    output: z.object({ folder: z.string(), files: z.array(BackupFile) }),
  },
  /** Writes one backup now, sealed with `password`, into `folder` (default folder when omitted). */
  'backup.create': {
    input: z.object({ password: BackupPassword, folder: FsPath.optional() }).strict(),
    output: z.object({ file: BackupFile, manifest: BackupManifest }),
  },
  /** Opens and checks a whole file (every tag, SQLite integrity, counts) and shows its manifest. */
  'backup.inspect': {
    input: z.object({ path: FsPath, password: Password }).strict(),
    output: BackupManifest,
  },
  /**
   * Restores a file into this profile, which must hold no accounts or money yet; with `merge`, adds
   * the file's single-key accounts, labels, frozen coins, eCash (proofs the mint calls spent are
   * dropped) and Electrum pins to a profile that already has some instead.
   */
  'backup.restore': {
    input: z.object({ path: FsPath, password: Password, merge: z.boolean().default(false) }).strict(),
    output: BackupRestoreReport,
  },
  'backup.setAuto': {
    input: z.discriminatedUnion('enabled', [
      z
        .object({
          enabled: z.literal(true),
          password: BackupPassword,
          folder: FsPath,
          keep: z.number().int().min(1).max(1000).default(BACKUP_KEEP_DEFAULT),
        })
        .strict(),
      z.object({ enabled: z.literal(false) }).strict(),
    ]),
    output: BackupStatus,
  },
  /** Electron only: the system's dialog for a folder to write into or a backup file to open. */
  'backup.choose': {
    input: z.object({ kind: z.enum(['folder', 'file']) }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
} as const;

export const backupEvents = {
  'backup.status': BackupStatus,
  /** Long work under way: a backup being written or a file being opened or restored. */
  'backup.progress': z.object({
    operation: z.enum(['create', 'inspect', 'restore']),
    phase: z.enum(['snapshot', 'key', 'seal', 'open', 'check', 'write', 'ecash', 'done']),
    /** 0..1 within the whole operation. */
    fraction: z.number().min(0).max(1),
  }),
} as const;
