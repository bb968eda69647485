import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { useT } from '../../i18n';

/** Pick the store and its Point of Sale app. */
export function PickApp({ onPicked }: { onPicked: () => void }) {
  const t = useT();
  const flash = useFlash();
  const stores = useQuery(useCallback(() => flash.merchant.listStores(), [flash]));
  const [storeId, setStoreId] = useState('');
  const firstStore = stores.value?.[0]?.id ?? '';
  useEffect(() => {
    if (!storeId && firstStore) setStoreId(firstStore);
  }, [storeId, firstStore]);
  const apps = useQuery(
    useCallback(
      () =>
        storeId ? flash.merchant.listApps({ storeId }) : Promise.resolve({ ok: true as const, value: [] }),
      [flash, storeId],
    ),
  );
  const [appId, setAppId] = useState('');
  const firstApp = apps.value?.[0]?.id ?? '';
  useEffect(() => {
    setAppId(firstApp);
  }, [firstApp]);
  const select = useAction(
    useCallback((s: string, a: string) => flash.merchant.selectApp({ storeId: s, appId: a }), [flash]),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await select.run(storeId, appId)) onPicked();
  };

  return (
    <section className="card stack" aria-labelledby="merchant-pick-title">
      <h2 id="merchant-pick-title">{t('merchant.pick.title')}</h2>
      <form className="stack" onSubmit={submit}>
        <SelectField
          label={t('merchant.pick.store')}
          value={storeId}
          onChange={(e) => setStoreId(e.target.value)}
          options={(stores.value ?? []).map((s) => ({
            value: s.id,
            label: `${s.name} (${s.defaultCurrency})`,
          }))}
        />
        {apps.value && apps.value.length === 0 && !apps.loading ? (
          <p className="hint">{t('merchant.pick.noApps')}</p>
        ) : (
          <SelectField
            label={t('merchant.pick.app')}
            value={appId}
            onChange={(e) => setAppId(e.target.value)}
            options={(apps.value ?? []).map((a) => ({ value: a.id, label: a.name }))}
          />
        )}
        <div className="actions">
          <button type="submit" className="button-primary" disabled={!storeId || !appId || select.busy}>
            {t('merchant.pick.submit')}
          </button>
        </div>
      </form>
      <ErrorAlert error={stores.error ?? apps.error ?? select.error} />
    </section>
  );
}
