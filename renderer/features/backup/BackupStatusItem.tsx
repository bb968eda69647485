import { useCallback } from 'react';
import { useFlash } from '../../app/flash-context';
import { useLiveValue } from '../../app/hooks';
import { useT } from '../../i18n';
import { useBackupProblemText } from './BackupSection';

/** The status bar's warning when the last automatic backup failed (folder gone, disk full). */
export function BackupStatusItem() {
  const t = useT();
  const flash = useFlash();
  const problemText = useBackupProblemText();
  const status = useLiveValue(
    useCallback(() => flash.backup.getStatus(), [flash]),
    'backup.status',
  );
  const problem = status.value?.auto.enabled ? status.value.lastError : null;
  if (!problem) return null;
  return (
    <span className="status-item status-problem" role="alert" title={problemText(problem)}>
      {t('statusbar.backupFailed')}: {problemText(problem)}
    </span>
  );
}
