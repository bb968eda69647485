import { useT } from '../../i18n';

export function WelcomeStep({ onContinue }: { onContinue: () => void }) {
  const t = useT();
  return (
    <div className="stack">
      <h1>{t('onboarding.welcome.title')}</h1>
      <p>{t('onboarding.welcome.intro')}</p>
      <p>{t('onboarding.welcome.next')}</p>
      <div className="actions">
        <button type="button" className="button-primary" onClick={onContinue}>
          {t('common.continue')}
        </button>
      </div>
    </div>
  );
}
