import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { NostrPublishResult } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { PublishResults } from './IdentityPanel';
import { shortNpub } from './keys';
import { displayName, PersonName, usePeople } from './people';
import { ZapButton } from './Zap';

/** Your NOSTR contacts (kind 3, public): add with a petname, rename, remove. */
export function ContactsPanel() {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.nostr.listContacts(), [flash]);
  const list = useQuery(load);
  const { reload } = list;
  useFlashEvent('nostr.people', () => reload());
  const contacts = list.value ?? [];
  const people = usePeople(contacts.map((c) => c.pubkey));
  const [npub, setNpub] = useState('');
  const [petname, setPetname] = useState('');
  const [relay, setRelay] = useState('');
  const [results, setResults] = useState<NostrPublishResult[] | null>(null);
  const follow = useAction(
    useCallback(
      (input: { pubkey: string; petname?: string; relay?: string }) => flash.nostr.follow(input),
      [flash],
    ),
  );
  const unfollow = useAction(useCallback((pubkey: string) => flash.nostr.unfollow({ pubkey }), [flash]));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await follow.run({
      pubkey: npub.trim(),
      ...(petname.trim() ? { petname: petname.trim() } : {}),
      ...(relay.trim() ? { relay: relay.trim() } : {}),
    });
    if (out) {
      setResults(out.results);
      setNpub('');
      setPetname('');
      setRelay('');
      reload();
    }
  };

  return (
    <section className="card stack social-contacts" aria-labelledby="social-contacts-title">
      <h2 id="social-contacts-title">{t('social.contacts.title')}</h2>
      <p className="hint">{t('social.contacts.explain')}</p>
      <ErrorAlert error={list.error} />
      {list.value && contacts.length === 0 && <p className="empty">{t('social.contacts.empty')}</p>}
      {contacts.length > 0 && (
        <ul className="social-contact-list" aria-label={t('social.contacts.list')}>
          {contacts.map((c) => (
            <li key={c.pubkey} className="social-contact">
              <PersonName pubkey={c.pubkey} people={people} />
              <span className="mono hint">{shortNpub(c.pubkey)}</span>
              <ZapButton recipient={c.pubkey} name={displayName(c.pubkey, people)} />
              <button
                type="button"
                className="button-small"
                disabled={unfollow.busy}
                aria-label={t('social.contacts.removeLabel', { name: c.petname ?? shortNpub(c.pubkey) })}
                onClick={() =>
                  void unfollow.run(c.pubkey).then((out) => {
                    if (out) {
                      setResults(out.results);
                      reload();
                    }
                  })
                }
              >
                {t('social.contacts.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert error={unfollow.error} />
      <form className="stack social-contact-form" onSubmit={onSubmit}>
        <h3>{t('social.contacts.add')}</h3>
        <Field
          label={t('social.contacts.npub')}
          className="msg-mono-input"
          value={npub}
          spellCheck={false}
          maxLength={512}
          onChange={(e) => setNpub(e.target.value)}
        />
        <Field
          label={t('social.contacts.petname')}
          hint={t('social.contacts.petnameHint')}
          value={petname}
          maxLength={100}
          onChange={(e) => setPetname(e.target.value)}
        />
        <Field
          label={t('social.contacts.relay')}
          value={relay}
          maxLength={512}
          spellCheck={false}
          onChange={(e) => setRelay(e.target.value)}
        />
        <ErrorAlert error={follow.error} />
        <div className="actions">
          <button type="submit" className="button-primary" disabled={follow.busy || npub.trim() === ''}>
            {t('social.contacts.save')}
          </button>
        </div>
      </form>
      {results && <PublishResults results={results} />}
    </section>
  );
}

/** "Add to contacts" from a conversation: a petname, then the same publish as the panel. */
export function AddContactInline({ pubkey }: { pubkey: string }) {
  const t = useT();
  const flash = useFlash();
  const [open, setOpen] = useState(false);
  const [petname, setPetname] = useState('');
  const follow = useAction(
    useCallback(
      (name: string) => flash.nostr.follow({ pubkey, ...(name ? { petname: name } : {}) }),
      [flash, pubkey],
    ),
  );
  if (!open)
    return (
      <div className="actions">
        <button type="button" className="button-small" onClick={() => setOpen(true)}>
          {t('social.contacts.addThis')}
        </button>
      </div>
    );
  return (
    <form
      className="field-row social-contact-inline"
      onSubmit={(e) => {
        e.preventDefault();
        void follow.run(petname.trim()).then((out) => out && setOpen(false));
      }}
    >
      <Field
        label={t('social.contacts.petname')}
        value={petname}
        maxLength={100}
        onChange={(e) => setPetname(e.target.value)}
      />
      <button type="submit" className="button-primary" disabled={follow.busy}>
        {t('social.contacts.save')}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
      <ErrorAlert error={follow.error} />
    </form>
  );
}
