import { useCallback, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { parseAddress } from '../../../shared/bitcoin/address';
import { formatBtcAmount, isBitcoinUri, parseBitcoinUri } from '../../../shared/bitcoin/uri';
import type { Network } from '../../../shared/contract/common';
import type { FeeEstimates, SendDraft } from '../../../shared/contract/send';
import { formatBtc, formatSats, parseBtc, parseSats } from '../../../shared/money';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { useI18n } from '../../i18n';
import { formatFeeRate, parseFeeRate, usableRate, useSendErrorText } from './send-text';

export type FeeChoice = 'fast' | 'normal' | 'slow' | 'custom';
const PRESETS = ['fast', 'normal', 'slow'] as const;

export interface SendFormValues {
  to: string;
  amount: string;
  unit: 'btc' | 'sats';
  max: boolean;
  fee: FeeChoice;
  customRate: string;
  label: string | null;
}

export function initialSendForm(prefill?: { address: string; sats?: number | null }): SendFormValues {
  return {
    to: prefill?.address ?? '',
    amount: prefill?.sats ? String(prefill.sats) : '',
    unit: prefill?.sats ? 'sats' : 'btc',
    max: false,
    fee: 'normal',
    customRate: '',
    label: null,
  };
}

/** Step 1: who, how much, and how fast. "Review" builds a draft with send.prepare. */
export function SendForm(props: {
  walletId: string;
  network: Network;
  values: SendFormValues;
  onChange: (values: SendFormValues) => void;
  onDraft: (draft: SendDraft) => void;
  onCancel: () => void;
}) {
  const { walletId, network, values, onChange, onDraft, onCancel } = props;
  const { t, separators } = useI18n();
  const flash = useFlash();
  const sendErrorText = useSendErrorText();
  const id = useId();
  const loadFees = useCallback(() => flash.send.estimateFees(), [flash]);
  const fees = useQuery(loadFees);
  const prepare = useAction(flash.send.prepare);
  const [touched, setTouched] = useState({ to: values.to !== '', amount: false, fee: false });

  const set = (patch: Partial<SendFormValues>) => onChange({ ...values, ...patch });

  // Pay to: an address, or a bitcoin: URI that also fills the amount and label.
  let toError: string | null = null;
  let address: string | null = null;
  if (values.to.trim() === '') toError = t('send.form.toRequired');
  else {
    try {
      address = parseAddress(values.to, network).address;
    } catch (err) {
      toError = sendErrorText(err);
    }
  }
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
        // Keep the text so the error below names what is wrong with it.
      }
    }
    set({ to: text, label: null });
  };
  let uriError: string | null = null;
  if (isBitcoinUri(values.to)) {
    try {
      const uri = parseBitcoinUri(values.to, network);
      if (!uri.address) uriError = t('send.uri.NO_ONCHAIN_ADDRESS');
    } catch (err) {
      uriError = sendErrorText(err);
    }
    if (uriError) toError = uriError;
  }

  const sats = values.max
    ? null
    : values.unit === 'btc'
      ? parseBtc(values.amount, separators.decimal)
      : parseSats(values.amount);
  const amountError =
    values.max || (sats !== null && sats > 0)
      ? null
      : values.amount.trim() === ''
        ? t('send.form.amountRequired')
        : values.unit === 'btc'
          ? t('send.form.amountInvalidBtc')
          : t('send.form.amountInvalidSats');

  const estimates: FeeEstimates | undefined = fees.value;
  const rate =
    values.fee === 'custom'
      ? parseFeeRate(values.customRate)
      : estimates
        ? usableRate(estimates[values.fee])
        : null;
  const feeError =
    values.fee === 'custom' && rate === null
      ? t('send.form.customRateInvalid')
      : rate === null
        ? t('send.form.feesLoading')
        : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched({ to: true, amount: true, fee: true });
    if (toError || amountError || feeError || !address || rate === null) return;
    const output = values.max ? { address, max: true as const } : { address, sats: sats ?? 0 };
    const draft = await prepare.run({ walletId, outputs: [output], feeRate: rate });
    if (draft) onDraft(draft);
  };

  const showTo = touched.to && toError;
  const showAmount = touched.amount && amountError;
  const otherUnit =
    sats !== null && sats > 0
      ? values.unit === 'btc'
        ? t('amount.sats', { value: formatSats(sats, { separators }) })
        : t('amount.btc', { value: formatBtc(sats, { separators }) })
      : null;

  return (
    <form className="card stack send-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('send.form.title')}</h2>
      <div className="field">
        <label htmlFor={`${id}-to`}>{t('send.form.to')}</label>
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
            ? toError
            : values.label
              ? t('send.form.uriLabel', { label: values.label })
              : t('send.form.toHint')}
        </p>
      </div>

      <div className="field-row send-amount-row">
        <div className="field">
          <label htmlFor={`${id}-amount`}>{t('send.form.amount')}</label>
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
            {values.max ? t('send.form.maxHint') : showAmount ? amountError : (otherUnit ?? '\u00a0')}
          </p>
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-unit`}>{t('send.form.unit')}</label>
          <select
            id={`${id}-unit`}
            value={values.unit}
            disabled={values.max}
            onChange={(e) => {
              const unit = e.target.value === 'sats' ? 'sats' : 'btc';
              // Keep the same amount when switching units.
              const amount =
                sats !== null && sats > 0
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
        <label className="radio send-max">
          <input type="checkbox" checked={values.max} onChange={(e) => set({ max: e.target.checked })} />
          {t('send.form.max')}
        </label>
      </div>

      <fieldset className="radio-group send-fees">
        <legend>{t('send.form.fee')}</legend>
        {PRESETS.map((p) => (
          <label key={p} className="radio">
            <input
              type="radio"
              name={`${id}-fee`}
              value={p}
              checked={values.fee === p}
              onChange={() => set({ fee: p })}
            />
            {t(`send.fee.${p}`)}
            <span className="hint">
              {estimates
                ? t('send.fee.rate', { rate: formatFeeRate(usableRate(estimates[p]), separators.decimal) })
                : t('send.form.feesLoading')}
            </span>
          </label>
        ))}
        <label className="radio">
          <input
            type="radio"
            name={`${id}-fee`}
            value="custom"
            checked={values.fee === 'custom'}
            onChange={() => set({ fee: 'custom' })}
          />
          {t('send.fee.custom')}
        </label>
        {values.fee === 'custom' && (
          <div className="field field-narrow send-custom-rate">
            <label htmlFor={`${id}-rate`}>{t('send.form.customRate')}</label>
            <input
              id={`${id}-rate`}
              inputMode="decimal"
              value={values.customRate}
              aria-invalid={touched.fee && feeError ? true : undefined}
              aria-describedby={`${id}-rate-hint`}
              onChange={(e) => set({ customRate: e.target.value })}
              onBlur={() => setTouched((s) => ({ ...s, fee: true }))}
            />
            <p id={`${id}-rate-hint`} className={touched.fee && feeError ? 'hint hint-error' : 'hint'}>
              {touched.fee && feeError ? feeError : t('send.form.customRateHint')}
            </p>
          </div>
        )}
        {fees.error && <p className="hint hint-error">{sendErrorText(fees.error)}</p>}
      </fieldset>

      {prepare.error && (
        <p role="alert" className="alert alert-error">
          {sendErrorText(prepare.error)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={prepare.busy}>
          {t('send.form.review')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
