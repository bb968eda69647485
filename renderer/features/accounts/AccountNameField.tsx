import { Field } from '../../components/Field';
import { useT } from '../../i18n';

/** An account's name, when adding one and when renaming it: one label and one length limit. */
export function AccountNameField({ value, onChange }: { value: string; onChange: (name: string) => void }) {
  const t = useT();
  return (
    <Field
      label={t('accounts.name')}
      value={value}
      maxLength={64}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
