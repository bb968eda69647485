import { useCallback, useState } from 'react';
import type { BackupCounts, BackupManifest, EventPayload } from '../../../shared/contract';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { useFormatDateTime, useT } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { passwordStrength } from '../onboarding/password-strength';
import './backup.css';

export const MIN_BACKUP_PASSWORD = 8;

/** Bytes as people read them (kB / MB). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The strength hint under a new backup password (the same rule as the Flash password). */
export function StrengthNote({ password }: { password: string }) {
  const t = useT();
  const strength = passwordStrength(password);
  return (
    <p className={`strength strength-${strength}`} aria-live="polite">
      <span className="strength-bar" aria-hidden="true">
        <span />
      </span>
      {password ? t(`onboarding.password.strength.${strength}`) : ''}
    </p>
  );
}

type Progress = EventPayload<'backup.progress'>;

/** Follows main's progress events for one kind of work while `active`. */
export function useBackupProgress(operation: Progress['operation'], active: boolean): Progress | null {
  const [progress, setProgress] = useState<Progress | null>(null);
  useFlashEvent('backup.progress', (p) => {
    if (p.operation === operation) setProgress(p);
  });
  return active ? progress : null;
}

export function ProgressNote({ progress }: { progress: Progress | null }) {
  const t = useT();
  if (!progress) return null;
  const percent = Math.round(progress.fraction * 100);
  return (
    <div className="stack backup-progress" role="status">
      <progress max={100} value={percent} aria-label={t('backup.progress', { percent })} />
      <span>
        {t(`backup.phase.${progress.phase}`)} · {t('backup.progress', { percent })}
      </span>
    </div>
  );
}

const COUNT_KEYS: (keyof BackupCounts)[] = [
  'accounts',
  'watchOnlyAccounts',
  'hardwareAccounts',
  'transactions',
  'labels',
  'frozenCoins',
  'nostrIdentities',
  'contacts',
  'messages',
  'lightningConnections',
  'nwcConnections',
  'merchantStores',
  'ecashMints',
  'ecashProofs',
  'ecashSats',
  'secrets',
];

/** What a backup file holds, as counts per kind. */
export function ManifestView({ manifest }: { manifest: BackupManifest }) {
  const t = useT();
  const when = useFormatDateTime();
  return (
    <div className="stack backup-manifest">
      <p>
        {t('backup.manifest.made', {
          when: when(manifest.createdAt),
          version: manifest.appVersion,
          networks: manifest.networks.join(', ') || '—',
        })}
      </p>
      <dl className="backup-counts">
        {COUNT_KEYS.map((k) => (
          <div key={k}>
            <dt>{t(`backup.manifest.${k}` as MessageKey)}</dt>
            <dd data-count={k}>{manifest.counts[k]}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** Electron: picks a folder or a backup file in the system's dialog. Nothing in browser mode. */
export function ChooseButton({
  kind,
  onChosen,
}: {
  kind: 'folder' | 'file';
  onChosen: (path: string) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const status = useQuery(useCallback(() => flash.backup.getStatus(), [flash]));
  const choose = useAction(useCallback(() => flash.backup.choose({ kind }), [flash, kind]));
  if (!status.value?.canChoose) return null;
  return (
    <button
      type="button"
      className="button-secondary"
      disabled={choose.busy}
      onClick={async () => {
        const picked = await choose.run();
        if (picked?.path) onChosen(picked.path);
      }}
    >
      {t('backup.choose')}
    </button>
  );
}
