import { useCallback, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import type { DeviceAccount } from './use-device-account';
import { useDeviceAccount } from './use-device-account';

/**
 * Wraps the receive QR and address. For a device account it adds "Verify address on device"; with
 * the "always verify" preference on, the address and QR stay hidden until the device confirmed it.
 * Other accounts see the children unchanged.
 */
export function VerifyOnDevice({ address, children }: { address: string; children: ReactNode }) {
  const account = useDeviceAccount(null);
  if (!account.value) return <>{children}</>;
  return (
    <DeviceVerify key={address} account={account.value} address={address}>
      {children}
    </DeviceVerify>
  );
}

function DeviceVerify(props: { account: DeviceAccount; address: string; children: ReactNode }) {
  const { account, address, children } = props;
  const t = useT();
  const flash = useFlash();
  const prefs = useQuery(useCallback(() => flash.hardware.getPreferences(), [flash]));
  const verify = useAction(flash.hardware.verifyAddress);
  const [verified, setVerified] = useState(false);
  useEffect(() => setVerified(false), [address]);
  const run = async () => {
    const r = await verify.run({ walletId: account.id, address });
    if (r) setVerified(true);
  };
  const mustVerify = prefs.value?.alwaysVerify === true && !verified;
  return (
    <div className="stack device-verify">
      {mustVerify ? <p className="hint device-verify-hidden">{t('hardware.verify.hidden')}</p> : children}
      {!verified && mustVerify && <p role="status">{t('hardware.verify.required')}</p>}
      {verify.busy && (
        <p role="status" className="alert alert-warning">
          {t('hardware.verify.working')} <span className="mono">{address}</span>
        </p>
      )}
      {verified ? (
        <p role="status" className="alert alert-success">
          {t('hardware.verify.ok')}
        </p>
      ) : (
        <div className="actions">
          <button
            type="button"
            className={mustVerify ? 'button-primary' : undefined}
            onClick={run}
            disabled={verify.busy}
          >
            {t('hardware.verify.button')}
          </button>
        </div>
      )}
      <ErrorAlert error={verify.error} />
    </div>
  );
}
