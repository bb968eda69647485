import { useT } from '../i18n';

/**
 * The ending most dialogs-as-forms share: the primary submit button, then Cancel. The submit button
 * stays type="submit" so Enter in any field submits the surrounding form.
 */
export function SubmitCancel({
  label,
  disabled,
  onCancel,
}: {
  label: string;
  disabled: boolean;
  onCancel: () => void;
}) {
  const t = useT();
  return (
    <div className="actions">
      <button type="submit" className="button-primary" disabled={disabled}>
        {label}
      </button>
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}
