import fs from 'node:fs';
import path from 'node:path';
import type { BackupFile } from '../../shared/contract';
import { FlashError } from '../../shared/errors';

export const EXTENSION = '.flashbak';
const NAME = /^flash-backup-\d{8}-\d{4}(-\d+)?\.flashbak$/;
/** A file bigger than this is not a backup of ours (a profile is far smaller); refused before reading. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024 - 1;

const pad = (n: number) => String(n).padStart(2, '0');

/** `flash-backup-YYYYMMDD-HHMM.flashbak` in UTC (the same on every computer the file travels to). */
export function backupFileName(at: number, attempt = 1): string {
  const d = new Date(at);
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  return `flash-backup-${stamp}${attempt > 1 ? `-${attempt}` : ''}${EXTENSION}`;
}

export function isBackupFileName(name: string): boolean {
  return NAME.test(name);
}

export function requireAbsolute(p: string, what: string): string {
  if (!path.isAbsolute(p) || p.includes('\0')) {
    throw new FlashError('BAD_INPUT', `The ${what} must be a full path.`, { path: p });
  }
  return path.normalize(p);
}

/** Maps a file-system failure to what the user can act on. */
export function fsError(err: unknown, p: string): FlashError {
  if (err instanceof FlashError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new FlashError('BACKUP_DISK_FULL', 'The disk is full: the backup could not be written.', {
      path: p,
    });
  }
  return new FlashError(
    'BACKUP_FOLDER_UNAVAILABLE',
    `The backup folder cannot be used (${code || 'error'}).`,
    {
      path: p,
      reason: code,
    },
  );
}

/**
 * Writes the file under a name not taken yet, atomically: a `.partial` file is written and synced,
 * then renamed, so a crash or a full disk never leaves a half backup with a real backup's name.
 */
export function writeBackupFile(folder: string, at: number, bytes: Uint8Array): BackupFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (err) {
    throw fsError(err, folder);
  }
  if (!stat.isDirectory()) {
    throw new FlashError('BACKUP_FOLDER_UNAVAILABLE', 'The backup folder is not a folder.', {
      path: folder,
      reason: 'ENOTDIR',
    });
  }
  let attempt = 1;
  let target = path.join(folder, backupFileName(at, attempt));
  while (fs.existsSync(target)) target = path.join(folder, backupFileName(at, ++attempt));
  const partial = `${target}.partial`;
  try {
    const fd = fs.openSync(partial, 'wx', 0o600);
    try {
      let off = 0;
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, target);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw fsError(err, folder);
  }
  const written = fs.statSync(target);
  return {
    path: target,
    name: path.basename(target),
    sizeBytes: written.size,
    modifiedAt: Math.trunc(written.mtimeMs),
  };
}

/** Backup files in a folder, newest first (by time written, then name). */
export function listBackupFiles(folder: string): BackupFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fsError(err, folder);
  }
  const files: BackupFile[] = [];
  for (const name of names) {
    if (!isBackupFileName(name)) continue;
    const p = path.join(folder, name);
    try {
      const s = fs.statSync(p);
      if (s.isFile()) files.push({ path: p, name, sizeBytes: s.size, modifiedAt: Math.trunc(s.mtimeMs) });
    } catch {
      // Gone between readdir and stat: not listed.
    }
  }
  return files.sort(
    (a, b) => b.modifiedAt - a.modifiedAt || b.name.localeCompare(a.name, 'en', { numeric: true }),
  );
}

/** Keeps the newest `keep` backups of the folder and deletes the older ones (only files named as ours). */
export function rotate(folder: string, keep: number): string[] {
  const old = listBackupFiles(folder).slice(keep);
  for (const f of old) fs.rmSync(f.path, { force: true });
  return old.map((f) => f.path);
}

export function readBackupFile(p: string): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new FlashError('BACKUP_FILE_NOT_FOUND', 'There is no backup file at that place.', { path: p });
    }
    throw fsError(err, p);
  }
  if (!stat.isFile())
    throw new FlashError('BACKUP_NOT_A_BACKUP', 'This is not a Flash backup file.', { path: p });
  if (stat.size > MAX_FILE_BYTES)
    throw new FlashError('BACKUP_NOT_A_BACKUP', 'This file is too large to be a Flash backup.');
  return new Uint8Array(fs.readFileSync(p));
}
