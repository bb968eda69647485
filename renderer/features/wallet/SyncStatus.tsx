import type { SyncState } from '../../../shared/contract/wallet';
import { useFormatDateTime, useT } from '../../i18n';

/** Sync progress from 'sync.progress' events (or the overview), as a bar while syncing. */
export function SyncStatus({ sync }: { sync: SyncState }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  if (sync.phase === 'syncing') {
    const known = sync.total > 0;
    return (
      <div className="sync sync-syncing">
        <span id="sync-label">
          {known ? t('sync.progress', { done: sync.done, total: sync.total }) : t('sync.starting')}
        </span>
        <progress
          aria-labelledby="sync-label"
          value={known ? Math.min(sync.done, sync.total) : undefined}
          max={known ? sync.total : undefined}
        />
      </div>
    );
  }
  const text =
    sync.phase === 'synced'
      ? sync.lastSyncedAt !== null
        ? t('sync.syncedAt', { time: formatDateTime(sync.lastSyncedAt) })
        : t('sync.synced')
      : sync.phase === 'offline'
        ? t('sync.offline')
        : t('sync.idle');
  return <p className={`sync sync-${sync.phase}`}>{text}</p>;
}
