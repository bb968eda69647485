import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { RewardRules } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';

/**
 * Store settings → Rewards: a fixed amount or a percentage back, or a stamp card (every Nth
 * purchase of a known customer), a minimum sale, days to claim, and
 * what the reward is (a BTCPay pull payment, or an eCash token from one of the wallet's mints).
 */
export function RewardRulesPanel({ currency }: { currency: string }) {
  const t = useT();
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.merchant.getRewardRules(), [flash]));
  // The wallet's eCash mints, for rewards paid as tokens (the same list the counter's eCash uses).
  const ecash = useQuery(useCallback(() => flash.merchant.getCounterEcash(), [flash]));
  const mints = ecash.value?.mints ?? [];
  const [rules, setRules] = useState<RewardRules | null>(null);
  const [sats, setSats] = useState('');
  const [days, setDays] = useState('');
  const [every, setEvery] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!query.value) return;
    setRules(query.value);
    setSats(String(query.value.sats));
    setDays(String(query.value.expiryDays));
    setEvery(String(query.value.stampEvery));
  }, [query.value]);
  const save = useAction(useCallback((next: RewardRules) => flash.merchant.setRewardRules(next), [flash]));
  if (!rules) return <ErrorAlert error={query.error} />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const next = {
      ...rules,
      sats: /^\d{1,7}$/.test(sats) ? Number(sats) : 0,
      expiryDays: /^\d{1,3}$/.test(days) ? Number(days) : 0,
      stampEvery: /^\d{1,3}$/.test(every) ? Number(every) : 0,
    };
    const out = await save.run(next);
    if (out) {
      setRules(out);
      setSaved(true);
    }
  };

  return (
    <section className="card stack" aria-labelledby="merchant-rules-title">
      <h2 id="merchant-rules-title">{t('merchant.rules.title')}</h2>
      <p className="hint">{t('merchant.rules.explain')}</p>
      <form className="stack" onSubmit={submit}>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={rules.enabled}
            onChange={(e) => setRules({ ...rules, enabled: e.target.checked })}
          />
          {t('merchant.rules.enabled')}
        </label>
        <fieldset className="stack">
          <legend>{t('merchant.rules.kind')}</legend>
          <label className="radio">
            <input
              type="radio"
              name="reward-kind"
              checked={rules.kind === 'fixed'}
              onChange={() => setRules({ ...rules, kind: 'fixed' })}
            />
            {t('merchant.rules.fixed')}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="reward-kind"
              checked={rules.kind === 'percent'}
              onChange={() => setRules({ ...rules, kind: 'percent' })}
            />
            {t('merchant.rules.percent')}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="reward-kind"
              checked={rules.kind === 'stamps'}
              onChange={() => setRules({ ...rules, kind: 'stamps' })}
            />
            {t('merchant.rules.stamps')}
          </label>
        </fieldset>
        {rules.kind === 'stamps' && (
          <>
            <Field
              label={t('merchant.rules.stampEvery')}
              inputMode="numeric"
              value={every}
              onChange={(e) => setEvery(e.target.value.trim())}
            />
            <fieldset className="stack">
              <legend>{t('merchant.rules.stampPays')}</legend>
              <label className="radio">
                <input
                  type="radio"
                  name="reward-stamp-pays"
                  checked={rules.stampPays === 'fixed'}
                  onChange={() => setRules({ ...rules, stampPays: 'fixed' })}
                />
                {t('merchant.rules.stampPaysFixed')}
              </label>
              <label className="radio">
                <input
                  type="radio"
                  name="reward-stamp-pays"
                  checked={rules.stampPays === 'percent'}
                  onChange={() => setRules({ ...rules, stampPays: 'percent' })}
                />
                {t('merchant.rules.stampPaysPercent')}
              </label>
            </fieldset>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={rules.stampSendDm}
                onChange={(e) => setRules({ ...rules, stampSendDm: e.target.checked })}
              />
              {t('merchant.rules.stampSendDm')}
            </label>
          </>
        )}
        {rules.kind === 'fixed' || (rules.kind === 'stamps' && rules.stampPays === 'fixed') ? (
          <Field
            label={t(rules.kind === 'stamps' ? 'merchant.rules.stampSats' : 'merchant.rules.sats')}
            inputMode="numeric"
            value={sats}
            onChange={(e) => setSats(e.target.value.trim())}
          />
        ) : (
          <Field
            label={t('merchant.rules.percentLabel')}
            inputMode="decimal"
            value={rules.percent}
            onChange={(e) => setRules({ ...rules, percent: e.target.value.trim() })}
          />
        )}
        <Field
          label={t('merchant.rules.minimum', { currency })}
          inputMode="decimal"
          value={rules.minimumSale}
          onChange={(e) => setRules({ ...rules, minimumSale: e.target.value.trim() })}
        />
        <fieldset className="stack">
          <legend>{t('merchant.rules.giveAs')}</legend>
          <label className="radio">
            <input
              type="radio"
              name="reward-give-as"
              checked={rules.giveAs === 'pullPayment'}
              onChange={() => setRules({ ...rules, giveAs: 'pullPayment' })}
            />
            {t('merchant.rules.giveAsPullPayment')}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="reward-give-as"
              checked={rules.giveAs === 'ecash'}
              onChange={() =>
                setRules({ ...rules, giveAs: 'ecash', ecashMint: rules.ecashMint ?? mints[0]?.url ?? null })
              }
            />
            {t('merchant.rules.giveAsEcash')}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="reward-give-as"
              checked={rules.giveAs === 'flashCard'}
              onChange={() => setRules({ ...rules, giveAs: 'flashCard' })}
            />
            {t('merchant.rules.giveAsFlashCard')}
          </label>
          {rules.giveAs === 'ecash' &&
            (mints.length === 0 ? (
              <p className="hint">{t('merchant.rules.noMints')}</p>
            ) : (
              <label className="stack">
                {t('merchant.rules.ecashMint')}
                <select
                  value={rules.ecashMint ?? ''}
                  onChange={(e) => setRules({ ...rules, ecashMint: e.target.value || null })}
                >
                  {mints.map((m) => (
                    <option key={m.url} value={m.url}>
                      {m.name ? `${m.name} (${m.url})` : m.url}
                    </option>
                  ))}
                </select>
              </label>
            ))}
        </fieldset>
        <Field
          label={t('merchant.rules.expiry')}
          inputMode="numeric"
          value={days}
          onChange={(e) => setDays(e.target.value.trim())}
        />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={save.busy}>
            {t('merchant.rules.save')}
          </button>
          {saved && <span role="status">{t('merchant.rules.saved')}</span>}
        </div>
        <ErrorAlert error={save.error} />
      </form>
    </section>
  );
}
