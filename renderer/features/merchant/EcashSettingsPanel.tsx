import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';

/** Store settings → eCash at the counter: the mints whose tokens the counter takes, and the most per sale. */
export function EcashSettingsPanel() {
  const t = useT();
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.merchant.getCounterEcash(), [flash]));
  const [trusted, setTrusted] = useState<string[]>([]);
  const [maxSats, setMaxSats] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!query.value) return;
    setTrusted(query.value.trustedMints);
    setMaxSats(String(query.value.maxSats));
  }, [query.value]);
  const save = useAction(
    useCallback(
      (next: { trustedMints: string[]; maxSats: number }) => flash.merchant.setCounterEcash(next),
      [flash],
    ),
  );
  const view = query.value;
  if (!view) return <ErrorAlert error={query.error} />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const out = await save.run({
      trustedMints: trusted,
      maxSats: /^\d{1,8}$/.test(maxSats) ? Number(maxSats) : 0,
    });
    if (out) {
      setTrusted(out.trustedMints);
      setMaxSats(String(out.maxSats));
      setSaved(true);
    }
  };

  return (
    <section className="card stack" aria-labelledby="merchant-ecash-title">
      <h2 id="merchant-ecash-title">{t('merchant.ecash.settingsTitle')}</h2>
      <p className="hint">{t('merchant.ecash.settingsExplain')}</p>
      <p className="hint">{t('merchant.ecash.risk')}</p>
      <form className="stack" onSubmit={submit}>
        {view.mints.length === 0 && <p>{t('merchant.ecash.noMints')}</p>}
        {view.mints.map((m) => (
          <label key={m.url} className="checkbox">
            <input
              type="checkbox"
              checked={trusted.includes(m.url)}
              onChange={(e) =>
                setTrusted((list) => (e.target.checked ? [...list, m.url] : list.filter((u) => u !== m.url)))
              }
            />
            {t('merchant.ecash.trust', { mint: m.name ? `${m.name} (${m.url})` : m.url })}
            {!m.reachable && ` ${t('merchant.ecash.notAnswering')}`}
          </label>
        ))}
        <Field
          label={t('merchant.ecash.maxSats')}
          inputMode="numeric"
          value={maxSats}
          onChange={(e) => setMaxSats(e.target.value.trim())}
        />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={save.busy}>
            {t('merchant.ecash.save')}
          </button>
          {saved && <span role="status">{t('merchant.ecash.saved')}</span>}
        </div>
        <ErrorAlert error={save.error} />
      </form>
    </section>
  );
}
