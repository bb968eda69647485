import { useCallback, useEffect, useId } from 'react';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useQuery } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { DeviceCard } from './DeviceCard';
import { PreferencesCard } from './PreferencesCard';

const POLL_MS = 4000;

/** The Devices area: plugged-in Ledger and Trezor devices, connecting them, adding their accounts. */
export function DevicesScreen({ onOpenAccount }: { onOpenAccount: (account: WalletSummary) => void }) {
  const t = useT();
  const flash = useFlash();
  const id = useId();
  const load = useCallback(() => flash.hardware.listDevices(), [flash]);
  const list = useQuery(load);
  const { reload } = list;
  // Plugging a device in should show up without a click; listing is cheap and passive.
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const devices = list.value?.devices ?? [];
  return (
    <div className="stack devices-screen">
      <h1>{t('hardware.title')}</h1>
      <p className="hint">{t('hardware.intro')}</p>
      <section className="card stack" aria-labelledby={`${id}-devices`}>
        <div className="devices-toolbar">
          <h2 id={`${id}-devices`}>{t('nav.devices')}</h2>
          <button type="button" onClick={reload} disabled={list.loading}>
            {list.loading && !list.value ? t('hardware.searching') : t('hardware.refresh')}
          </button>
        </div>
        {list.value?.udevHint && <Alert tone="warning">{t('hardware.udevHint')}</Alert>}
        <ErrorAlert error={list.error} />
        {list.value && devices.length === 0 && <p role="status">{t('hardware.none')}</p>}
        <ul className="device-list">
          {devices.map((device) => (
            <li key={device.id}>
              <DeviceCard device={device} onChanged={reload} onOpenAccount={onOpenAccount} />
            </li>
          ))}
        </ul>
      </section>
      <PreferencesCard />
    </div>
  );
}
