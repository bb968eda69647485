import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { BackupFile, BackupStatus } from '../../../shared/contract';
import { useFlash } from '../../app/flash-context';
import { useAction, useLiveValue } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { errorMessageKey, useFormatDateTime, useT } from '../../i18n';
import type { ErrorCode } from '../../../shared/errors';
import { ERROR_CODES } from '../../../shared/errors';
import {
  ChooseButton,
  MIN_BACKUP_PASSWORD,
  ManifestView,
  ProgressNote,
  StrengthNote,
  formatSize,
  useBackupProgress,
} from './BackupParts';
import { RestoreBackupForm } from './RestoreBackupForm';

/** Settings → Backups: the last backup, make one now, automatic backups, check or restore a file. */
export function BackupSection() {
  const t = useT();
  const flash = useFlash();
  const status = useLiveValue(
    useCallback(() => flash.backup.getStatus(), [flash]),
    'backup.status',
  );
  return (
    <section className="card stack" aria-labelledby="backup-title">
      <h2 id="backup-title">{t('backup.title')}</h2>
      <p>{t('backup.intro')}</p>
      <ErrorAlert error={status.error} />
      {status.value && <LastBackup status={status.value} />}
      {status.value && <MakeBackupForm defaultFolder={status.value.defaultFolder} />}
      {status.value && <AutoBackupForm status={status.value} onChanged={status.set} />}
      <RestoreBackupForm />
    </section>
  );
}

/** A stored error code as translated text (codes from main are known; anything else as given). */
export function useBackupProblemText(): (p: { code: string; message: string }) => string {
  const t = useT();
  return (p) =>
    (ERROR_CODES as readonly string[]).includes(p.code) ? t(errorMessageKey(p.code as ErrorCode)) : p.message;
}

function LastBackup({ status }: { status: BackupStatus }) {
  const t = useT();
  const when = useFormatDateTime();
  const problem = useBackupProblemText();
  return (
    <div className="stack">
      <p data-testid="backup-last">
        {status.lastBackup
          ? t('backup.last', {
              when: when(status.lastBackup.at),
              size: formatSize(status.lastBackup.sizeBytes),
            })
          : t('backup.none')}
      </p>
      {status.lastError && (
        <Alert tone="warning">{t('backup.lastFailed', { message: problem(status.lastError) })}</Alert>
      )}
    </div>
  );
}

function MakeBackupForm({ defaultFolder }: { defaultFolder: string }) {
  const t = useT();
  const flash = useFlash();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [folder, setFolder] = useState(defaultFolder);
  const [problem, setProblem] = useState<string | null>(null);
  const [made, setMade] = useState<{
    file: BackupFile;
    manifest: Parameters<typeof ManifestView>[0]['manifest'];
  } | null>(null);
  const create = useAction(
    useCallback(
      (pw: string, dir: string) => flash.backup.create({ password: pw, ...(dir ? { folder: dir } : {}) }),
      [flash],
    ),
  );
  const progress = useBackupProgress('create', create.busy);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMade(null);
    if ([...password].length < MIN_BACKUP_PASSWORD)
      return setProblem(t('backup.passwordShort', { min: MIN_BACKUP_PASSWORD }));
    if (password !== repeat) return setProblem(t('backup.passwordMismatch'));
    setProblem(null);
    const dir = folder.trim();
    const result = await create.run(password, dir === defaultFolder ? '' : dir);
    if (result) {
      setMade(result);
      setPassword('');
      setRepeat('');
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="backup-make-title">
      <h3 id="backup-make-title">{t('backup.make.title')}</h3>
      <Field
        label={t('backup.password')}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={t('backup.passwordHint')}
      />
      <StrengthNote password={password} />
      <Field
        label={t('backup.passwordRepeat')}
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => setRepeat(e.target.value)}
      />
      <Field
        label={t('backup.folder')}
        value={folder}
        onChange={(e) => setFolder(e.target.value)}
        hint={t('backup.folderHint')}
      />
      <ChooseButton kind="folder" onChosen={setFolder} />
      {problem && <Alert>{problem}</Alert>}
      <ErrorAlert error={create.error} />
      <ProgressNote progress={progress} />
      <div className="actions">
        <button type="submit" disabled={create.busy}>
          {t('backup.make')}
        </button>
      </div>
      {made && (
        <div className="stack" role="status">
          <p>{t('backup.made', { name: made.file.name, size: formatSize(made.file.sizeBytes) })}</p>
          <ManifestView manifest={made.manifest} />
        </div>
      )}
    </form>
  );
}

function AutoBackupForm({
  status,
  onChanged,
}: {
  status: BackupStatus;
  onChanged: (s: BackupStatus) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [folder, setFolder] = useState(status.defaultFolder);
  const [keep, setKeep] = useState(String(status.auto.keep));
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const enable = useAction(
    useCallback(
      (pw: string, dir: string, n: number) =>
        flash.backup.setAuto({ enabled: true, password: pw, folder: dir, keep: n }),
      [flash],
    ),
  );
  const disable = useAction(useCallback(() => flash.backup.setAuto({ enabled: false }), [flash]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(keep.trim());
    if ([...password].length < MIN_BACKUP_PASSWORD)
      return setProblem(t('backup.passwordShort', { min: MIN_BACKUP_PASSWORD }));
    if (!Number.isInteger(n) || n < 1 || n > 1000) return setProblem(t('backup.auto.keep'));
    setProblem(null);
    const next = await enable.run(password, folder.trim(), n);
    if (next) {
      setPassword('');
      onChanged(next);
    }
  };

  if (status.auto.enabled) {
    return (
      <div className="stack" aria-labelledby="backup-auto-title">
        <h3 id="backup-auto-title">{t('backup.auto.title')}</h3>
        <p data-testid="backup-auto-state">
          {t('backup.auto.on', { folder: status.auto.folder ?? '', keep: status.auto.keep })}
        </p>
        <ErrorAlert error={disable.error} />
        <div className="actions">
          <button
            type="button"
            className="button-secondary"
            disabled={disable.busy}
            onClick={async () => {
              const next = await disable.run();
              if (next) onChanged(next);
            }}
          >
            {t('backup.auto.disable')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <form className="stack" onSubmit={submit} noValidate aria-labelledby="backup-auto-title">
      <h3 id="backup-auto-title">{t('backup.auto.title')}</h3>
      <p data-testid="backup-auto-state">{t('backup.auto.off')}</p>
      <Field label={t('backup.folder')} value={folder} onChange={(e) => setFolder(e.target.value)} />
      <ChooseButton kind="folder" onChosen={setFolder} />
      <Field
        label={t('backup.auto.keep')}
        inputMode="numeric"
        className="field-narrow"
        value={keep}
        onChange={(e) => setKeep(e.target.value)}
      />
      <Field
        label={t('backup.password')}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={t('backup.auto.passwordHint')}
      />
      <StrengthNote password={password} />
      {problem && <Alert>{problem}</Alert>}
      <ErrorAlert error={enable.error} />
      <div className="actions">
        <button type="submit" disabled={enable.busy}>
          {t('backup.auto.enable')}
        </button>
      </div>
    </form>
  );
}
