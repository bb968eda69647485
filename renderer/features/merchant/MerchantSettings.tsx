import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { Counter, MerchantStatus } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { setSoundsOn, soundsOn } from './counter-sounds';
import { EcashSettingsPanel } from './EcashSettingsPanel';
import { FlashCardTools } from './FlashCardPanels';
import { ReceiptSettingsPanel } from './ReceiptSettingsPanel';
import { RewardRulesPanel } from './RewardRulesPanel';
import { featureName, permissionWords } from './merchant-text';

/** What the key may do (in words), the tax settings Greenfield does not serve, cashier PIN. */
export function MerchantSettings({
  status,
  counter,
  onChanged,
  onChangeApp,
}: {
  status: MerchantStatus;
  counter: Counter | null;
  onChanged: () => void;
  onChangeApp: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const conn = status.connection;
  const [tax, setTax] = useState(
    counter?.tax ?? { defaultTaxRate: '0', taxIncluded: false, tipTaxRate: '0' },
  );
  const [pin, setPin] = useState('');
  const [sounds, setSounds] = useState(soundsOn);
  const saveTax = useAction(useCallback(() => flash.merchant.setTaxSettings(tax), [flash, tax]));
  const setPinAction = useAction(
    useCallback((p: string) => flash.merchant.setCashierPin({ pin: p }), [flash]),
  );
  const disconnect = useAction(useCallback(() => flash.merchant.disconnect(), [flash]));
  const enter = useAction(useCallback(() => flash.merchant.enterCashierMode(), [flash]));
  if (!conn) return null;

  const submitTax = async (e: FormEvent) => {
    e.preventDefault();
    if (await saveTax.run()) onChanged();
  };
  const submitPin = async (e: FormEvent) => {
    e.preventDefault();
    if (await setPinAction.run(pin)) {
      setPin('');
      onChanged();
    }
  };

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="merchant-conn-title">
        <h2 id="merchant-conn-title">{t('merchant.settings.connection', { server: conn.serverUrl })}</h2>
        <p>{t('merchant.settings.key', { label: conn.keyLabel })}</p>
        <p>{t('merchant.settings.store', { store: conn.storeName ?? '—', app: conn.appName ?? '—' })}</p>
        <ul className="merchant-features">
          {conn.features.map((f) => (
            <li key={f.feature} className={f.ok ? 'ok' : 'missing'}>
              <strong>{featureName(t, f.feature)}</strong>:{' '}
              {f.ok
                ? t('merchant.feature.ok')
                : t('merchant.feature.missing', {
                    list: f.missing.map((p) => permissionWords(t, p)).join(', '),
                  })}
            </li>
          ))}
        </ul>
        <div className="actions">
          <button type="button" onClick={onChangeApp}>
            {t('merchant.settings.change')}
          </button>
          <button
            type="button"
            onClick={async () => {
              if (await disconnect.run()) onChanged();
            }}
          >
            {t('merchant.settings.disconnect')}
          </button>
        </div>
        <ErrorAlert error={disconnect.error} />
      </section>

      <section className="card stack" aria-labelledby="merchant-tax-title">
        <h2 id="merchant-tax-title">{t('merchant.settings.tax')}</h2>
        <p className="hint">{t('merchant.settings.taxExplain')}</p>
        <form className="stack" onSubmit={submitTax}>
          <Field
            label={t('merchant.settings.defaultTax')}
            inputMode="decimal"
            value={tax.defaultTaxRate}
            onChange={(e) => setTax({ ...tax, defaultTaxRate: e.target.value })}
          />
          <label className="checkbox">
            <input
              type="checkbox"
              checked={tax.taxIncluded}
              onChange={(e) => setTax({ ...tax, taxIncluded: e.target.checked })}
            />
            {t('merchant.settings.taxIncluded')}
          </label>
          <Field
            label={t('merchant.settings.tipTax')}
            inputMode="decimal"
            value={tax.tipTaxRate}
            onChange={(e) => setTax({ ...tax, tipTaxRate: e.target.value })}
          />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={saveTax.busy}>
              {t('merchant.settings.saveTax')}
            </button>
          </div>
          <ErrorAlert error={saveTax.error} />
        </form>
      </section>

      <ReceiptSettingsPanel />

      <RewardRulesPanel currency={counter?.currency ?? ''} />

      <FlashCardTools />

      <EcashSettingsPanel />

      <section className="card stack" aria-labelledby="merchant-sounds-title">
        <h2 id="merchant-sounds-title">{t('merchant.sounds.title')}</h2>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={sounds}
            onChange={(e) => {
              setSoundsOn(e.target.checked);
              setSounds(e.target.checked);
            }}
          />
          {t('merchant.sounds.on')}
        </label>
      </section>

      <section className="card stack" aria-labelledby="merchant-cashier-title">
        <h2 id="merchant-cashier-title">{t('merchant.cashier.enter')}</h2>
        <p>{t('merchant.cashier.explain')}</p>
        {status.pinSet && <p className="hint">{t('merchant.cashier.pinSet')}</p>}
        <form className="actions" onSubmit={submitPin}>
          <Field
            label={t('merchant.cashier.pin')}
            inputMode="numeric"
            type="password"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
          />
          <button type="submit" disabled={pin.length < 4 || setPinAction.busy}>
            {t('merchant.cashier.setPin')}
          </button>
        </form>
        <div className="actions">
          <button
            type="button"
            className="button-primary"
            onClick={async () => {
              if (await enter.run()) onChanged();
            }}
          >
            {t('merchant.cashier.enter')}
          </button>
        </div>
        <ErrorAlert error={setPinAction.error ?? enter.error} />
      </section>
    </div>
  );
}
