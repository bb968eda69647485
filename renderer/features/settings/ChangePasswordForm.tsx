import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { MIN_PASSWORD_LENGTH } from '../onboarding/password-strength';
import { SavedNote } from './SavedNote';

export function ChangePasswordForm() {
  const t = useT();
  const flash = useFlash();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<'tooShort' | 'mismatch' | null>(null);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const change = useAction(
    useCallback((input: { current: string; next: string }) => flash.vault.changePassword(input), [flash]),
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next.length < MIN_PASSWORD_LENGTH) return setProblem('tooShort');
    if (next !== repeat) return setProblem('mismatch');
    setProblem(null);
    const status = await change.run({ current, next });
    setCurrent('');
    if (status) {
      setNext('');
      setRepeat('');
      setSavedAt(Date.now());
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h3 id="password-title">{t('settings.passwordTitle')}</h3>
      <Field
        label={t('settings.currentPassword')}
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <Field
        label={t('settings.newPassword')}
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        hint={t('onboarding.password.rule', { min: MIN_PASSWORD_LENGTH })}
      />
      <Field
        label={t('settings.repeatPassword')}
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={(e) => setRepeat(e.target.value)}
      />
      {problem && (
        <Alert>
          {problem === 'tooShort'
            ? t('onboarding.password.tooShort', { min: MIN_PASSWORD_LENGTH })
            : t('onboarding.password.mismatch')}
        </Alert>
      )}
      <ErrorAlert error={change.error} />
      <div className="actions">
        <button type="submit" disabled={change.busy || current === ''}>
          {t('settings.changePassword')}
        </button>
        <SavedNote savedAt={savedAt} text={t('settings.passwordChanged')} />
      </div>
    </form>
  );
}
