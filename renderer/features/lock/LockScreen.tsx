import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useFlash } from '../../app/flash-context';
import { useCountdown } from '../../app/hooks';
import type { BridgeCallError } from '../../app/result';
import { call, toBridgeCallError } from '../../app/result';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';

/** Asks for the vault password; after too many wrong tries it counts down until the next one. */
export function LockScreen({ onUnlocked }: { onUnlocked: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<BridgeCallError | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const secondsLeft = useCountdown(retryAt);
  const limited = secondsLeft > 0;

  useEffect(() => {
    let current = true;
    call(flash.vault.getStatus()).then(
      (status) => {
        if (current && status.retryAfterMs > 0) setRetryAt(Date.now() + status.retryAfterMs);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [flash]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password || limited || busy) return;
    setBusy(true);
    setError(null);
    try {
      await call(flash.vault.unlock({ password }));
      setPassword('');
      onUnlocked();
    } catch (err) {
      const failure = toBridgeCallError(err);
      const wait = failure.numberDetail('retryAfterMs');
      if (wait !== null && wait > 0) setRetryAt(Date.now() + wait);
      setError(failure.code === 'VAULT_RATE_LIMITED' ? null : failure);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="center-screen">
      <form className="card stack" onSubmit={submit} noValidate>
        <h1>{t('lock.title')}</h1>
        <p>{t('lock.intro')}</p>
        <Field
          label={t('lock.password')}
          type="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorAlert error={error} />
        {limited && <Alert>{t('lock.rateLimited', { seconds: secondsLeft })}</Alert>}
        <div className="actions">
          <button type="submit" className="button-primary" disabled={busy || limited || password === ''}>
            {t('lock.unlock')}
          </button>
        </div>
      </form>
    </main>
  );
}
