import { useState } from 'react';
import type { Language, SettingsPatch } from '../../../shared/contract/settings';
import { isOneOf, LANGUAGES, THEMES } from '../../app/choices';
import { useSettings } from '../../app/settings-context';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { useT } from '../../i18n';

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

/** Language and theme apply as soon as they are picked. */
export function AppearanceSettings() {
  const t = useT();
  const { settings, update } = useSettings();
  const [error, setError] = useState<unknown>(null);
  if (!settings) return null;
  const save = (patch: SettingsPatch) => {
    setError(null);
    update(patch).catch(setError);
  };
  return (
    <section className="card stack">
      <h2 id="appearance-title">{t('settings.appearance')}</h2>
      <SelectField
        label={t('settings.language')}
        value={settings.language}
        onChange={(e) => isOneOf(LANGUAGES, e.target.value) && save({ language: e.target.value })}
        options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
      />
      <SelectField
        label={t('settings.theme')}
        value={settings.theme}
        onChange={(e) => isOneOf(THEMES, e.target.value) && save({ theme: e.target.value })}
        options={THEMES.map((th) => ({ value: th, label: t(`settings.theme.${th}`) }))}
      />
      <ErrorAlert error={error} />
    </section>
  );
}
