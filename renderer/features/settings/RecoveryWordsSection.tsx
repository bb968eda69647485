import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { RecoveryWords } from '../../../shared/contract/vault';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { WordGrid } from '../../components/WordGrid';
import { useT } from '../../i18n';

/** Shows the active wallet's words only after the password is typed again; "Hide" forgets them. */
export function RecoveryWordsSection({ walletId }: { walletId: string | null }) {
  const t = useT();
  const flash = useFlash();
  const [asking, setAsking] = useState(false);
  const [password, setPassword] = useState('');
  const [revealed, setRevealed] = useState<RecoveryWords | null>(null);
  const reveal = useAction(
    useCallback(
      (input: { walletId: string; password: string }) => flash.vault.revealRecoveryWords(input),
      [flash],
    ),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!walletId || password === '') return;
    const words = await reveal.run({ walletId, password });
    setPassword('');
    if (words) {
      setRevealed(words);
      setAsking(false);
    }
  };

  const hide = () => {
    setRevealed(null);
    setAsking(false);
    reveal.clearError();
  };

  let body;
  if (!walletId) {
    body = <p className="hint">{t('recovery.noWallet')}</p>;
  } else if (revealed) {
    body = (
      <>
        <div className="warning-panel">
          <p>
            <strong>{t('recovery.warning')}</strong>
          </p>
          {revealed.hasPassphrase && <p>{t('recovery.hasPassphrase')}</p>}
        </div>
        <WordGrid words={revealed.words} />
        <div className="actions">
          <button type="button" className="button-primary" onClick={hide}>
            {t('recovery.hide')}
          </button>
        </div>
      </>
    );
  } else if (asking) {
    body = (
      <form className="stack" onSubmit={submit} noValidate>
        <p>{t('recovery.askPassword')}</p>
        <Field
          label={t('lock.password')}
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorAlert error={reveal.error} />
        <div className="actions">
          <button type="button" onClick={hide}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button-primary" disabled={reveal.busy || password === ''}>
            {t('recovery.showWords')}
          </button>
        </div>
      </form>
    );
  } else {
    body = (
      <div className="actions">
        <button type="button" onClick={() => setAsking(true)}>
          {t('recovery.show')}
        </button>
      </div>
    );
  }

  return (
    <section className="card stack">
      <h2 id="recovery-title">{t('recovery.title')}</h2>
      <p>{t('recovery.intro')}</p>
      {body}
    </section>
  );
}
