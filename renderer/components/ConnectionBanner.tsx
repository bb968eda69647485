import { useConnectionState } from '../app/flash-context';
import { useT } from '../i18n';

/** Browser mode only: a small notice while the socket to Flash is being re-established. */
export function ConnectionBanner() {
  const t = useT();
  const state = useConnectionState();
  return (
    <div
      role="status"
      className={state === 'reconnecting' ? 'connection-banner' : 'connection-banner-hidden'}
    >
      {state === 'reconnecting' ? t('connection.reconnecting') : ''}
    </div>
  );
}
