import { Field } from '../../components/Field';
import { useT } from '../../i18n';

/** The optional BIP39 passphrase, tucked under "Advanced" because most people should not use one. */
export function PassphraseField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const t = useT();
  return (
    <details className="advanced">
      <summary>{t('common.advanced')}</summary>
      <Field
        label={t('passphrase.label')}
        type="password"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        hint={t('passphrase.hint')}
      />
    </details>
  );
}
