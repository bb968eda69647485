import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBackupService } from '../../main/backup/service';
import { backupFileName, isBackupFileName } from '../../main/backup/files';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import { tempDir } from '../support/core';

function service(
  desktop: Parameters<typeof createBackupService>[0]['desktop'],
  dir = tempDir('flash-backup-unit-'),
) {
  const db = openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 1024, r: 8, p: 1 } });
  return createBackupService({
    db,
    vault,
    bus,
    log: silentLogger,
    appVersion: 'test',
    defaultFolder: path.join(dir, 'backups'),
    kdf: { N: 1024, r: 8, p: 1 },
    desktop,
  });
}

describe('backup service', () => {
  it('offers the system dialog only where the shell gives one', async () => {
    const asked: string[] = [];
    const desktop = service({
      choose: async (kind) => {
        asked.push(kind);
        return kind === 'folder' ? '/home/ana/Backups' : null;
      },
    });
    expect(desktop.status().canChoose).toBe(true);
    expect(await desktop.choose('folder')).toEqual({ path: '/home/ana/Backups' });
    expect(await desktop.choose('file')).toEqual({ path: null });
    expect(asked).toEqual(['folder', 'file']);

    const browser = service(null);
    expect(browser.status().canChoose).toBe(false);
    await expect(browser.choose('folder')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('starts with automatic backups off and nothing written', () => {
    const s = service(null).status();
    expect(s.auto).toEqual({ enabled: false, folder: null, keep: 10 });
    expect(s.lastBackup).toBeNull();
    expect(s.lastError).toBeNull();
  });

  it('names files flash-backup-YYYYMMDD-HHMM.flashbak in UTC, with a suffix for a second one that minute', () => {
    const at = Date.UTC(2026, 11, 7, 6, 5, 59);
    expect(backupFileName(at)).toBe('flash-backup-20261207-0605.flashbak');
    expect(backupFileName(at, 2)).toBe('flash-backup-20261207-0605-2.flashbak');
    expect(isBackupFileName(backupFileName(at, 2))).toBe(true);
    expect(isBackupFileName('flash-backup-20261207-0605.flashbak.partial')).toBe(false);
    expect(isBackupFileName('notes.txt')).toBe(false);
  });

  it('removes snapshot files an interrupted backup left beside the database, and nothing else', async () => {
    const dir = tempDir('flash-backup-stale-');
    const stale = path.join(dir, '.backup-0123456789abcdef.db');
    fs.writeFileSync(stale, 'x');
    fs.writeFileSync(`${stale}-wal`, 'x');
    fs.writeFileSync(path.join(dir, 'notes.db'), 'x');
    const s = service(null, dir);
    s.start();
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(`${stale}-wal`)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'notes.db'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'flash.db'))).toBe(true);
    await s.stop();
  });
});
