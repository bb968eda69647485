import { useId, useState } from 'react';
import type { HardwareAccountType, HardwareDevice } from '../../../shared/contract/hardware';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useT } from '../../i18n';
import { accountTypeOptions } from '../accounts/account-labels';

const TYPES: readonly HardwareAccountType[] = ['bip84', 'bip86', 'bip49', 'bip44'];
const SHORT: Record<HardwareAccountType, string> = {
  bip84: 'BIP84',
  bip86: 'BIP86',
  bip49: 'BIP49',
  bip44: 'BIP44',
};

const vendorName = (d: HardwareDevice): string => (d.vendor === 'ledger' ? 'Ledger' : 'Trezor');

/** One device: its state, Connect, and once connected the form that imports one of its accounts. */
export function DeviceCard(props: {
  device: HardwareDevice;
  onChanged: () => void;
  onOpenAccount: (account: WalletSummary) => void;
}) {
  const { device, onChanged, onOpenAccount } = props;
  const t = useT();
  const flash = useFlash();
  const id = useId();
  const connect = useAction(flash.hardware.connect);
  const importAccount = useAction(flash.hardware.importAccount);
  const setActive = useAction(flash.wallet.setActive);
  const [type, setType] = useState<HardwareAccountType>('bip84');
  const [index, setIndex] = useState('0');
  const [name, setName] = useState<string | null>(null);
  const [added, setAdded] = useState<WalletSummary | null>(null);
  const defaultName = t('hardware.import.defaultName', { vendor: vendorName(device), type: SHORT[type] });
  const accountIndex = Number(index);
  const indexValid = /^\d{1,4}$/.test(index) && accountIndex <= 1000;

  const doConnect = async () => {
    await connect.run({ deviceId: device.id });
    onChanged();
  };
  const doImport = async () => {
    setAdded(null);
    const account = await importAccount.run({
      deviceId: device.id,
      accountType: type,
      accountIndex,
      name: (name ?? defaultName).trim() || defaultName,
    });
    if (account) setAdded(account);
  };
  const open = async () => {
    if (!added) return;
    if (await setActive.run({ walletId: added.id })) onOpenAccount(added);
  };

  return (
    <article className="device-card stack" aria-labelledby={`${id}-name`}>
      <header className="device-head">
        <h3 id={`${id}-name`}>{device.model}</h3>
        {device.simulated && <span className="badge badge-pending">{t('hardware.simulated')}</span>}
        <span className={`device-state device-state-${device.state}`} role="status">
          {t(`hardware.state.${device.state}`)}
        </span>
      </header>
      {device.fingerprint && (
        <p className="hint mono">
          {t('hardware.fingerprint', { fingerprint: device.fingerprint })}
          {device.appVersion && <> · {t('hardware.app', { app: device.appVersion })}</>}
        </p>
      )}
      {device.state !== 'ready' && (
        <div className="actions">
          <button type="button" className="button-primary" onClick={doConnect} disabled={connect.busy}>
            {connect.busy ? t('hardware.connecting') : t('hardware.connect')}
          </button>
        </div>
      )}
      <ErrorAlert error={connect.error} />
      {device.state === 'ready' && (
        <form
          className="stack device-import"
          aria-labelledby={`${id}-import`}
          onSubmit={(e) => {
            e.preventDefault();
            void doImport();
          }}
        >
          <h4 id={`${id}-import`}>{t('hardware.import.title')}</h4>
          <div className="device-import-fields">
            <SelectField
              label={t('hardware.import.type')}
              value={type}
              onChange={(e) => setType(e.target.value as HardwareAccountType)}
              options={accountTypeOptions(t, TYPES)}
            />
            <Field
              label={t('hardware.import.index')}
              inputMode="numeric"
              value={index}
              onChange={(e) => setIndex(e.target.value.trim())}
              aria-invalid={!indexValid}
            />
            <Field
              label={t('hardware.import.name')}
              value={name ?? defaultName}
              maxLength={64}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div className="actions">
            <button type="submit" className="button-primary" disabled={importAccount.busy || !indexValid}>
              {importAccount.busy ? t('hardware.import.working') : t('hardware.import.submit')}
            </button>
          </div>
          <ErrorAlert error={importAccount.error ?? setActive.error} />
          {added && (
            <div className="alert alert-success stack" role="status">
              <p>{t('hardware.import.done', { name: added.name })}</p>
              <div className="actions">
                <button type="button" onClick={open} disabled={setActive.busy}>
                  {t('hardware.import.open')}
                </button>
              </div>
            </div>
          )}
        </form>
      )}
    </article>
  );
}
