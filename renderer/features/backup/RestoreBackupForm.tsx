import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { BackupManifest, BackupRestoreReport } from '../../../shared/contract';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useFormatDateTime, useT } from '../../i18n';
import { ChooseButton, ManifestView, ProgressNote, formatSize, useBackupProgress } from './BackupParts';

/**
 * Check or restore a backup file: choose it (from the folder's list or by path), type its
 * password, see the manifest, then restore. Used in Settings → Backups and in onboarding.
 */
export function RestoreBackupForm({ onRestored }: { onRestored?: (report: BackupRestoreReport) => void }) {
  const t = useT();
  const when = useFormatDateTime();
  const flash = useFlash();
  const [folderInput, setFolderInput] = useState('');
  const [folder, setFolder] = useState<string | undefined>(undefined);
  const listing = useQuery(useCallback(() => flash.backup.list(folder ? { folder } : {}), [flash, folder]));
  const [path, setPath] = useState('');
  const [password, setPassword] = useState('');
  const [manifest, setManifest] = useState<BackupManifest | null>(null);
  const [report, setReport] = useState<BackupRestoreReport | null>(null);
  const inspect = useAction(
    useCallback((p: string, pw: string) => flash.backup.inspect({ path: p, password: pw }), [flash]),
  );
  const restore = useAction(
    useCallback(
      (p: string, pw: string, merge: boolean) => flash.backup.restore({ path: p, password: pw, merge }),
      [flash],
    ),
  );
  const inspecting = useBackupProgress('inspect', inspect.busy);
  const restoring = useBackupProgress('restore', restore.busy);

  const check = async (e: FormEvent) => {
    e.preventDefault();
    setManifest(null);
    setReport(null);
    const m = await inspect.run(path.trim(), password);
    if (m) setManifest(m);
  };
  const doRestore = async (merge = false) => {
    const r = await restore.run(path.trim(), password, merge);
    if (r) {
      setReport(r);
      setPassword('');
      onRestored?.(r);
    }
  };
  const choose = (p: string) => {
    setPath(p);
    setManifest(null);
    setReport(null);
  };

  return (
    <div className="stack">
      <h3 id="backup-restore-title">{t('backup.restore.title')}</h3>
      <p>{t('backup.restore.intro')}</p>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          setFolder(folderInput.trim() || undefined);
        }}
      >
        <Field
          label={t('backup.folder')}
          value={folderInput}
          placeholder={listing.value?.folder ?? ''}
          onChange={(e) => setFolderInput(e.target.value)}
        />
        <button type="submit" className="button-secondary">
          {t('backup.restore.showFiles')}
        </button>
      </form>
      <ErrorAlert error={listing.error} />
      {listing.value && (
        <div className="stack">
          <p>{t('backup.restore.files', { folder: listing.value.folder })}</p>
          {listing.value.files.length === 0 ? (
            <p className="hint">{t('backup.restore.noFiles')}</p>
          ) : (
            <ul className="backup-files">
              {listing.value.files.map((f) => (
                <li key={f.path}>
                  <label>
                    <input
                      type="radio"
                      name="backup-file"
                      checked={path === f.path}
                      onChange={() => choose(f.path)}
                    />{' '}
                    <span className="backup-file-name">{f.name}</span>{' '}
                    <span className="hint">
                      {when(f.modifiedAt)} · {formatSize(f.sizeBytes)}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form className="stack" onSubmit={check} noValidate>
        <Field
          label={t('backup.restore.path')}
          value={path}
          onChange={(e) => choose(e.target.value)}
          hint={t('backup.restore.pathHint')}
        />
        <ChooseButton kind="file" onChosen={choose} />
        <Field
          label={t('backup.password')}
          type="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorAlert error={inspect.error} />
        <ProgressNote progress={inspecting} />
        <div className="actions">
          <button type="submit" disabled={inspect.busy || restore.busy || !path.trim() || !password}>
            {t('backup.restore.check')}
          </button>
        </div>
      </form>
      {manifest && !report && (
        <div className="stack card-inner">
          <p role="status">{t('backup.restore.ok')}</p>
          <ManifestView manifest={manifest} />
          <ErrorAlert error={restore.error} />
          <ProgressNote progress={restoring} />
          <div className="actions">
            <button type="button" onClick={() => doRestore()} disabled={restore.busy}>
              {t('backup.restore.confirm')}
            </button>
          </div>
          {restore.error?.code === 'BACKUP_PROFILE_NOT_EMPTY' && (
            <div className="stack">
              <p>{t('backup.restore.mergeNote')}</p>
              <div className="actions">
                <button type="button" onClick={() => doRestore(true)} disabled={restore.busy}>
                  {t('backup.restore.merge')}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
      {report && (
        <div className="stack" role="status">
          {report.merged ? (
            <>
              <p data-testid="backup-merged-accounts">
                {t('backup.restore.merged', {
                  accounts: report.merged.accountsAdded,
                  same: report.merged.accountsAlreadyHere,
                  labels: report.merged.labelsAdded,
                  frozen: report.merged.frozenCoinsAdded,
                })}
              </p>
              <p data-testid="backup-merged-ecash">
                {t('backup.restore.mergedEcash', {
                  proofs: report.merged.ecashProofsAdded,
                  sats: report.merged.ecashSatsAdded,
                  mints: report.merged.ecashMintsAdded,
                  same: report.merged.ecashProofsAlreadyHere,
                })}
              </p>
              {report.merged.ecashProofsInOpenOperations > 0 && (
                <p>
                  {t('backup.restore.mergedEcashOpen', {
                    count: report.merged.ecashProofsInOpenOperations,
                  })}
                </p>
              )}
              {report.merged.electrumPinsAdded > 0 && (
                <p>{t('backup.restore.mergedPins', { count: report.merged.electrumPinsAdded })}</p>
              )}
            </>
          ) : (
            <Alert tone="warning">{t('backup.restore.done')}</Alert>
          )}
          {report.ecashSpentDropped > 0 && (
            <p>{t('backup.restore.ecashDropped', { count: report.ecashSpentDropped })}</p>
          )}
          {report.ecashUnchecked.length > 0 && (
            <p>{t('backup.restore.ecashUnchecked', { mints: report.ecashUnchecked.join(', ') })}</p>
          )}
        </div>
      )}
    </div>
  );
}
