import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { PRICE_SOURCES } from '../../../shared/contract/prices';
import type { PriceSourceKind } from '../../../shared/contract/prices';
import type { FiatCurrency } from '../../../shared/fiat';
import { FIAT_CURRENCIES } from '../../../shared/fiat';
import { ErrorAlert } from '../../components/Alert';
import { Field, SelectField } from '../../components/Field';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { SavedNote } from '../settings/SavedNote';
import { useSave } from '../settings/use-save';
import { quoteVars } from './fiat-text';
import { usePrices } from './prices-context';

const OFF = 'off';

/** Settings → Fiat prices: off (the default), or a public source and a currency. */
export function FiatPriceSettings() {
  const { t, separators } = useI18n();
  const prices = usePrices();
  const status = prices?.status ?? null;
  const [source, setSource] = useState<PriceSourceKind | typeof OFF>(OFF);
  const [currency, setCurrency] = useState<FiatCurrency>('USD');
  const [mempoolUrl, setMempoolUrl] = useState('');
  const save = useSave();
  const retry = useSave();

  const saved = status?.settings;
  useEffect(() => {
    if (!saved) return;
    setSource(saved.source ?? OFF);
    setCurrency(saved.currency);
    setMempoolUrl(saved.mempoolUrl);
  }, [saved]);

  if (!prices || !status) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save.run(() =>
      prices.configure({
        source: source === OFF ? null : source,
        currency,
        ...(source === 'mempool' ? { mempoolUrl } : {}),
      }),
    );
  };
  const quote = status.quote;
  const reason = status.lastError ? t(`error.${status.lastError.code}` as MessageKey) : '';

  return (
    <section className="card stack" aria-labelledby="fiat-prices-title">
      <h2 id="fiat-prices-title">{t('prices.title')}</h2>
      <p className="hint">{t('prices.intro')}</p>
      <form className="stack" onSubmit={onSubmit}>
        <SelectField
          label={t('prices.source')}
          value={source}
          onChange={(e) => {
            const v = e.target.value;
            setSource(v === OFF ? OFF : (PRICE_SOURCES.find((s) => s === v) ?? OFF));
          }}
          options={[
            { value: OFF, label: t('prices.source.off') },
            ...PRICE_SOURCES.map((s) => ({ value: s, label: t(`prices.source.${s}`) })),
          ]}
        />
        {source !== OFF && (
          <SelectField
            label={t('prices.currency')}
            value={currency}
            onChange={(e) => setCurrency(FIAT_CURRENCIES.find((c) => c === e.target.value) ?? 'USD')}
            options={FIAT_CURRENCIES.map((c) => ({ value: c, label: c }))}
          />
        )}
        {source === 'mempool' && (
          <Field
            label={t('prices.mempoolUrl')}
            hint={t('prices.mempoolUrlHint')}
            value={mempoolUrl}
            onChange={(e) => setMempoolUrl(e.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
        )}
        <div className="actions">
          <button type="submit" className="button-primary" disabled={save.busy}>
            {t('prices.save')}
          </button>
          <SavedNote savedAt={save.savedAt} />
        </div>
        <ErrorAlert error={save.error} />
      </form>
      {status.state === 'loading' && !status.lastError && <p role="status">{t('prices.loading')}</p>}
      {status.state === 'loading' && status.lastError && <p className="alert alert-warning">{reason}</p>}
      {status.state === 'fresh' && quote && (
        <p role="status" data-testid="price-status">
          {t('prices.fresh', quoteVars(t, quote, separators, prices.now))}
        </p>
      )}
      {status.state === 'stale' && quote && (
        <p className="alert alert-warning" data-testid="price-status">
          {t('prices.stale', { ...quoteVars(t, quote, separators, prices.now), reason })}
        </p>
      )}
      {(status.state === 'stale' || (status.state === 'loading' && status.lastError)) && (
        <div className="actions">
          <button type="button" disabled={retry.busy} onClick={() => void retry.run(prices.refresh)}>
            {t('prices.retry')}
          </button>
          <ErrorAlert error={retry.error} />
        </div>
      )}
    </section>
  );
}
