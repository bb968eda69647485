import type { MethodName } from '../../../shared/contract';
import type { BackupService } from '../../backup/service';
import type { Handlers } from '../dispatcher';

type BackupMethod = Extract<MethodName, `backup.${string}`>;

/** Binds backups (main/backup); routing only. */
export function createBackupHandlers(s: { backup: BackupService }): Pick<Handlers, BackupMethod> {
  const b = s.backup;
  return {
    'backup.getStatus': () => b.status(),
    'backup.list': ({ folder }) => b.list(folder),
    'backup.create': ({ password, folder }) => b.create(password, folder),
    'backup.inspect': ({ path, password }) => b.inspect(path, password),
    'backup.restore': ({ path, password, merge }) =>
      merge ? b.merge(path, password) : b.restore(path, password),
    'backup.setAuto': (input) => b.setAuto(input),
    'backup.choose': ({ kind }) => b.choose(kind),
  };
}
