import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { NostrMerchantProfile, NostrPublishResult } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { PublishResults } from './IdentityPanel';

type Draft = Record<keyof NostrMerchantProfile, string>;
const EMPTY: Draft = { businessName: '', description: '', website: '', lud16: '', onchainNote: '' };

/** The business profile (public, NIP-78 app data); its name goes on receipts. */
export function MerchantPanel() {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.nostr.getMerchantProfile(), [flash]);
  const query = useQuery(load);
  const { reload } = query;
  useFlashEvent('nostr.people', () => reload());
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [results, setResults] = useState<NostrPublishResult[] | null>(null);
  useEffect(() => {
    const p = query.value;
    if (p) setDraft({ ...EMPTY, ...p });
  }, [query.value]);
  const save = useAction(
    useCallback((profile: NostrMerchantProfile) => flash.nostr.setMerchantProfile({ profile }), [flash]),
  );
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const profile: NostrMerchantProfile = { businessName: draft.businessName.trim() };
    for (const k of ['description', 'website', 'lud16', 'onchainNote'] as const) {
      const v = draft[k].trim();
      if (v) profile[k] = v;
    }
    const out = await save.run(profile);
    if (out) {
      setResults(out.results);
      reload();
    }
  };
  const field = (k: keyof Draft, label: string, max: number) => (
    <Field
      label={label}
      value={draft[k]}
      maxLength={max}
      onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
    />
  );
  return (
    <section className="card stack social-merchant" aria-labelledby="social-merchant-title">
      <div className="msg-list-head">
        <h2 id="social-merchant-title">
          {t('social.merchant.title')}
          {query.value ? <span className="msg-identity-name"> · {query.value.businessName}</span> : null}
        </h2>
        <button type="button" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          {t('social.merchant.edit')}
        </button>
      </div>
      <p className="hint">{t('social.merchant.explain')}</p>
      {open && (
        <form className="stack msg-profile" onSubmit={onSubmit}>
          {field('businessName', t('social.merchant.businessName'), 200)}
          {field('description', t('social.merchant.description'), 2000)}
          {field('website', t('social.merchant.website'), 2000)}
          {field('lud16', t('social.merchant.lud16'), 320)}
          {field('onchainNote', t('social.merchant.onchainNote'), 1000)}
          <ErrorAlert error={save.error} />
          {results && <PublishResults results={results} />}
          <div className="actions">
            <button
              type="submit"
              className="button-primary"
              disabled={save.busy || draft.businessName.trim() === ''}
            >
              {t('social.merchant.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
