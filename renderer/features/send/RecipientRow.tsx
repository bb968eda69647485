import { useState } from 'react';
import { formatBtcAmount, isBitcoinUri, parseBitcoinUri } from '../../../shared/bitcoin/uri';
import type { Network } from '../../../shared/contract/common';
import { formatBtc, formatSats } from '../../../shared/money';
import type { Translate } from '../../i18n';
import { useI18n } from '../../i18n';
import type { CheckedRecipient, RecipientValues } from './recipients';

/** The first row keeps the plain labels; later rows name their number so each field is unique. */
function labelFor(t: Translate, base: string, index: number): string {
  return index === 0 ? base : t('sendtools.form.rowLabel', { label: base, row: index + 1 });
}

export function RecipientRow(props: {
  index: number;
  count: number;
  network: Network;
  values: RecipientValues;
  checked: CheckedRecipient;
  /** Whether another row already sends the maximum. */
  maxTaken: boolean;
  showErrors: boolean;
  idPrefix: string;
  onChange: (values: RecipientValues) => void;
  onRemove: () => void;
}) {
  const { index, count, network, values, checked, maxTaken, showErrors, idPrefix, onChange, onRemove } =
    props;
  const { t, separators } = useI18n();
  const [touched, setTouched] = useState({ to: values.to !== '', amount: false });
  const set = (patch: Partial<RecipientValues>) => onChange({ ...values, ...patch });
  const id = `${idPrefix}-r${values.key}`;

  // Pay to: an address, or a bitcoin: URI that also fills the amount and label.
  const onToChange = (text: string) => {
    if (isBitcoinUri(text)) {
      try {
        const uri = parseBitcoinUri(text, network);
        if (uri.address) {
          set({
            to: uri.address.address,
            label: uri.label,
            ...(uri.amountSats !== null
              ? {
                  amount: formatBtcAmount(uri.amountSats).replace('.', separators.decimal),
                  unit: 'btc',
                  max: false,
                }
              : {}),
          });
          setTouched((s) => ({ ...s, to: true }));
          return;
        }
      } catch {
        // Keep the text so the row's error names what is wrong with it.
      }
    }
    set({ to: text, label: null });
  };

  const showTo = (showErrors || touched.to) && checked.toError;
  const showAmount = (showErrors || touched.amount) && checked.amountError;
  const sats = checked.sats;
  const otherUnit =
    sats !== null
      ? values.unit === 'btc'
        ? t('amount.sats', { value: formatSats(sats, { separators }) })
        : t('amount.btc', { value: formatBtc(sats, { separators }) })
      : null;

  return (
    <fieldset className="send-recipient" aria-label={t('sendtools.form.recipient', { row: index + 1 })}>
      {count > 1 && <legend>{t('sendtools.form.recipient', { row: index + 1 })}</legend>}
      <div className="field">
        <label htmlFor={`${id}-to`}>{labelFor(t, t('send.form.to'), index)}</label>
        <input
          id={`${id}-to`}
          className="mono"
          value={values.to}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={showTo ? true : undefined}
          aria-describedby={`${id}-to-hint`}
          onChange={(e) => onToChange(e.target.value)}
          onBlur={() => setTouched((s) => ({ ...s, to: true }))}
        />
        <p id={`${id}-to-hint`} className={showTo ? 'hint hint-error' : 'hint'}>
          {showTo
            ? checked.toError
            : values.label
              ? t('send.form.uriLabel', { label: values.label })
              : t('send.form.toHint')}
        </p>
      </div>

      <div className="field-row send-amount-row">
        <div className="field">
          <label htmlFor={`${id}-amount`}>{labelFor(t, t('send.form.amount'), index)}</label>
          <input
            id={`${id}-amount`}
            inputMode="decimal"
            value={values.max ? '' : values.amount}
            disabled={values.max}
            autoComplete="off"
            aria-invalid={showAmount ? true : undefined}
            aria-describedby={`${id}-amount-hint`}
            onChange={(e) => set({ amount: e.target.value })}
            onBlur={() => setTouched((s) => ({ ...s, amount: true }))}
          />
          <p id={`${id}-amount-hint`} className={showAmount ? 'hint hint-error' : 'hint'}>
            {showAmount ? checked.amountError : values.max ? t('send.form.maxHint') : (otherUnit ?? '\u00a0')}
          </p>
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-unit`}>{labelFor(t, t('send.form.unit'), index)}</label>
          <select
            id={`${id}-unit`}
            value={values.unit}
            disabled={values.max}
            onChange={(e) => {
              const unit = e.target.value === 'sats' ? 'sats' : 'btc';
              // Keep the same amount when switching units.
              const amount =
                sats !== null
                  ? unit === 'sats'
                    ? String(sats)
                    : formatBtcAmount(sats).replace('.', separators.decimal)
                  : values.amount;
              set({ unit, amount });
            }}
          >
            <option value="btc">BTC</option>
            <option value="sats">sats</option>
          </select>
        </div>
        <label className="radio send-max" title={maxTaken ? t('sendtools.form.oneMax') : undefined}>
          <input
            type="checkbox"
            checked={values.max}
            disabled={maxTaken && !values.max}
            onChange={(e) => set({ max: e.target.checked })}
          />
          {labelFor(t, t('send.form.max'), index)}
        </label>
        {count > 1 && (
          <button type="button" className="button-small send-remove" onClick={onRemove}>
            {t('sendtools.form.remove', { row: index + 1 })}
          </button>
        )}
      </div>
    </fieldset>
  );
}
