export { createBackupService } from './service';
export type { BackupService, BackupServiceDeps } from './service';
