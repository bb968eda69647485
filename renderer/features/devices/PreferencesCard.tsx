import { useCallback, useId, useState } from 'react';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';

/** "Always verify receive addresses on the device" (stored in main, per profile). */
export function PreferencesCard() {
  const t = useT();
  const flash = useFlash();
  const id = useId();
  const prefs = useQuery(useCallback(() => flash.hardware.getPreferences(), [flash]));
  const save = useAction(flash.hardware.setPreferences);
  // The box follows the click at once; a failed save puts it back and says why.
  const [local, setLocal] = useState<boolean | null>(null);
  const toggle = async (alwaysVerify: boolean) => {
    setLocal(alwaysVerify);
    const saved = await save.run({ alwaysVerify });
    setLocal(saved ? saved.alwaysVerify : null);
  };
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('hardware.prefs.title')}</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={local ?? prefs.value?.alwaysVerify ?? false}
          disabled={!prefs.value}
          onChange={(e) => void toggle(e.target.checked)}
        />{' '}
        {t('hardware.prefs.alwaysVerify')}
      </label>
      <ErrorAlert error={prefs.error ?? save.error} />
    </section>
  );
}
