import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { MIN_PASSWORD_LENGTH, passwordStrength } from './password-strength';

/** Chooses the vault password (typed twice) and creates the vault with it. */
export function SetPasswordStep({ onDone }: { onDone: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<'tooShort' | 'mismatch' | null>(null);
  const setup = useAction(useCallback((pw: string) => flash.vault.setup({ password: pw }), [flash]));
  const strength = passwordStrength(password);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD_LENGTH) return setProblem('tooShort');
    if (password !== repeat) return setProblem('mismatch');
    setProblem(null);
    const status = await setup.run(password);
    if (status) {
      setPassword('');
      setRepeat('');
      onDone();
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h1>{t('onboarding.password.title')}</h1>
      <p>{t('onboarding.password.intro')}</p>
      <Field
        label={t('onboarding.password.new')}
        type="password"
        autoComplete="new-password"
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={t('onboarding.password.rule', { min: MIN_PASSWORD_LENGTH })}
      />
      <p className={`strength strength-${strength}`} aria-live="polite">
        <span className="strength-bar" aria-hidden="true">
          <span />
        </span>
        {password ? t(`onboarding.password.strength.${strength}`) : ''}
      </p>
      <Field
        label={t('onboarding.password.repeat')}
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
      <ErrorAlert error={setup.error} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={setup.busy}>
          {t('common.continue')}
        </button>
      </div>
    </form>
  );
}
