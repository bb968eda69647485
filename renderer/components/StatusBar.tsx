import type { ElectrumStatus } from '../../shared/contract/electrum';
import { useCountdown } from '../app/hooks';
import type { ElectrumStatusModel } from '../app/use-electrum-status';
import { errorMessageKey, useT } from '../i18n';
import { ErrorAlert } from './Alert';
import { BackupStatusItem } from '../features/backup/BackupStatusItem';

function serverLabel(server: ElectrumStatus['server']): string {
  return `${server.host}:${server.port} (${server.transport.toUpperCase()})`;
}

/** The bottom bar: Electrum state, server, tip height, why it is reconnecting, and "Retry now". */
export function StatusBar({ electrum }: { electrum: ElectrumStatusModel }) {
  const t = useT();
  const { status } = electrum;
  const retryIn = useCountdown(status?.state === 'backoff' ? status.nextRetryAt : null);
  return (
    <footer className="status-bar" aria-label={t('status.label')}>
      <span className="status-item">
        <span className={`status-dot status-${status?.state ?? 'unknown'}`} aria-hidden="true" />
        <strong>{t('status.electrum')}</strong>{' '}
        <span className="status-state">
          {status
            ? t(`electrum.state.${status.state}`)
            : electrum.loadError
              ? t('status.unknown')
              : t('status.loading')}
        </span>
      </span>
      {status && <span className="status-item status-server">{serverLabel(status.server)}</span>}
      {status?.tipHeight != null && (
        <span className="status-item">{t('status.tipHeight', { height: status.tipHeight })}</span>
      )}
      {status?.state === 'backoff' && status.lastError && (
        <span className="status-item status-problem">{t(errorMessageKey(status.lastError.code))}</span>
      )}
      {status?.state === 'backoff' && status.nextRetryAt !== null && retryIn > 0 && (
        <span className="status-item">{t('status.retryingIn', { seconds: retryIn })}</span>
      )}
      {status?.warning && (
        <span className="status-item status-problem" role="alert">
          {t(`status.warning.${status.warning.code}`)}
        </span>
      )}
      {(status?.state === 'backoff' || status?.state === 'idle') && (
        <button type="button" className="button-small" onClick={electrum.reconnect} disabled={electrum.busy}>
          {t('status.retryNow')}
        </button>
      )}
      <BackupStatusItem />
      <ErrorAlert error={electrum.actionError} />
    </footer>
  );
}
