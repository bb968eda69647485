import { useCallback, useEffect, useState } from 'react';
import type { ReceiptSettings } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';

/** Receipts: the customer's language, and printing on its own (no dialog) when a sale is paid. */
export function ReceiptSettingsPanel() {
  const t = useT();
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.merchant.getReceiptSettings(), [flash]));
  const [settings, setSettings] = useState<ReceiptSettings | null>(null);
  useEffect(() => {
    if (query.value) setSettings(query.value);
  }, [query.value]);
  const save = useAction(
    useCallback((next: ReceiptSettings) => flash.merchant.setReceiptSettings(next), [flash]),
  );
  const change = async (next: ReceiptSettings) => {
    setSettings(next);
    await save.run(next);
  };
  if (!settings) return <ErrorAlert error={query.error} />;
  return (
    <section className="card stack" aria-labelledby="merchant-receipts-title">
      <h2 id="merchant-receipts-title">{t('merchant.receipts.title')}</h2>
      <label className="field">
        <span>{t('merchant.receipts.language')}</span>
        <select
          value={settings.language}
          onChange={(e) =>
            void change({ ...settings, language: e.target.value as ReceiptSettings['language'] })
          }
        >
          <option value="en">English</option>
          <option value="es">Español</option>
        </select>
      </label>
      <label className="field">
        <span>{t('merchant.receipts.layout')}</span>
        <select
          value={settings.layout}
          onChange={(e) => void change({ ...settings, layout: e.target.value as ReceiptSettings['layout'] })}
        >
          <option value="80mm">80 mm</option>
          <option value="58mm">58 mm</option>
          <option value="a4">A4</option>
        </select>
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.autoPrint}
          onChange={(e) => void change({ ...settings, autoPrint: e.target.checked })}
        />
        {t('merchant.receipts.autoPrint')}
      </label>
      <ErrorAlert error={save.error} />
    </section>
  );
}
