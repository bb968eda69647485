import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { NostrIdentity, NostrKeyImport } from '../../../shared/contract/nostr';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';

type Kind = NostrKeyImport['kind'];
const KINDS: Kind[] = ['nsec', 'ncryptsec', 'words'];

/** No NOSTR key yet: explain, then create a new key or import one. */
export function IdentitySetup({ onReady }: { onReady: (identity: NostrIdentity) => void }) {
  const t = useT();
  const flash = useFlash();
  const create = useAction(useCallback(() => flash.nostr.createIdentity(), [flash]));
  const importKey = useAction(
    useCallback((input: NostrKeyImport) => flash.nostr.importIdentity(input), [flash]),
  );
  const [importing, setImporting] = useState(false);
  const [kind, setKind] = useState<Kind>('nsec');
  const [secret, setSecret] = useState('');
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');

  const onCreate = async () => {
    const identity = await create.run();
    if (identity) onReady(identity);
  };

  const onImport = async (e: FormEvent) => {
    e.preventDefault();
    const input: NostrKeyImport =
      kind === 'nsec'
        ? { kind, nsec: secret }
        : kind === 'ncryptsec'
          ? { kind, ncryptsec: secret, password }
          : { kind, words: secret, ...(passphrase ? { passphrase } : {}) };
    const identity = await importKey.run(input);
    if (identity) onReady(identity);
  };

  return (
    <section className="card stack msg-setup" aria-labelledby="msg-setup-title">
      <h2 id="msg-setup-title">{t('messages.setup.title')}</h2>
      <p>{t('messages.setup.explain')}</p>
      <div className="actions">
        <button type="button" className="button-primary" onClick={onCreate} disabled={create.busy}>
          {t('messages.setup.create')}
        </button>
        <button
          type="button"
          aria-expanded={importing}
          onClick={() => setImporting((v) => !v)}
          disabled={create.busy}
        >
          {t('messages.setup.import')}
        </button>
      </div>
      <ErrorAlert error={create.error} />
      {importing && (
        <form className="stack" onSubmit={onImport} aria-labelledby="msg-import-title">
          <h3 id="msg-import-title">{t('messages.import.title')}</h3>
          <fieldset className="msg-kinds">
            <legend>{t('messages.import.kind')}</legend>
            {KINDS.map((k) => (
              <label key={k}>
                <input
                  type="radio"
                  name="msg-import-kind"
                  value={k}
                  checked={kind === k}
                  onChange={() => {
                    setKind(k);
                    importKey.clearError();
                  }}
                />{' '}
                {t(`messages.import.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          {kind === 'words' ? (
            <>
              <div className="field">
                <label htmlFor="msg-import-words">{t('messages.import.words')}</label>
                <textarea
                  id="msg-import-words"
                  rows={3}
                  value={secret}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => setSecret(e.target.value)}
                />
              </div>
              <Field
                label={t('messages.import.passphrase')}
                type="password"
                value={passphrase}
                autoComplete="off"
                onChange={(e) => setPassphrase(e.target.value)}
              />
            </>
          ) : (
            <Field
              label={t(kind === 'nsec' ? 'messages.import.nsec' : 'messages.import.ncryptsec')}
              type="password"
              className="msg-mono-input"
              value={secret}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setSecret(e.target.value)}
            />
          )}
          {kind === 'ncryptsec' && (
            <Field
              label={t('messages.import.password')}
              type="password"
              value={password}
              autoComplete="off"
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
          <ErrorAlert error={importKey.error} />
          <div className="actions">
            <button
              type="submit"
              className="button-primary"
              disabled={importKey.busy || secret.trim() === ''}
            >
              {t('messages.import.submit')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
