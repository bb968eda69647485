import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/contract/vault';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';
import { SavedNote } from './SavedNote';

const MAX_MINUTES = 24 * 60;

export function AutoLockSettings({
  vault,
  onChanged,
}: {
  vault: VaultStatus;
  onChanged: (s: VaultStatus) => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [minutes, setMinutes] = useState(String(vault.autoLockMinutes));
  // Follow changes made elsewhere (another window, or our own save) without remounting.
  const [shown, setShown] = useState(vault.autoLockMinutes);
  if (vault.autoLockMinutes !== shown) {
    setShown(vault.autoLockMinutes);
    setMinutes(String(vault.autoLockMinutes));
  }
  const [invalid, setInvalid] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const save = useAction(useCallback((m: number) => flash.vault.setAutoLock({ minutes: m }), [flash]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = Number(minutes.trim());
    if (!/^\d+$/.test(minutes.trim()) || value > MAX_MINUTES) return setInvalid(true);
    setInvalid(false);
    const status = await save.run(value);
    if (status) {
      onChanged(status);
      setSavedAt(Date.now());
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <h3 id="autolock-title">{t('settings.autoLockTitle')}</h3>
      <Field
        label={t('settings.autoLockLabel')}
        inputMode="numeric"
        className="field-narrow"
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        hint={t('settings.autoLockHint')}
      />
      {invalid && <Alert>{t('settings.autoLockInvalid', { max: MAX_MINUTES })}</Alert>}
      <ErrorAlert error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          {t('settings.autoLockSave')}
        </button>
        <SavedNote savedAt={savedAt} />
      </div>
    </form>
  );
}
