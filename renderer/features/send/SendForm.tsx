import { useCallback, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { FeeEstimates, SendDraft } from '../../../shared/contract/send';
import { InflatedFeeNote } from './InflatedFeeNote';
import { formatBtc } from '../../../shared/money';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { SubmitCancel } from '../../components/FormActions';
import { useI18n } from '../../i18n';
import { selectedTotal } from './coin-choice';
import { CoinPicker } from './CoinPicker';
import type { RecipientValues } from './recipients';
import { checkRecipients, newRecipient } from './recipients';
import { RecipientRow } from './RecipientRow';
import { formatFeeRate, parseFeeRate, usableRate, useSendErrorText } from './send-text';
import { SendErrorAlert } from './SendErrorAlert';

export type FeeChoice = 'fast' | 'normal' | 'slow' | 'custom';
const PRESETS = ['fast', 'normal', 'slow'] as const;
/** The contract's limit on outputs per payment. */
const MAX_RECIPIENTS = 100;

export interface SendFormValues {
  recipients: RecipientValues[];
  fee: FeeChoice;
  customRate: string;
  /** Coin control: when on, exactly the `coins` ("txid:vout") are spent. */
  coinControl: boolean;
  coins: string[];
}

export function initialSendForm(prefill?: { address: string; sats?: number | null }): SendFormValues {
  return {
    recipients: [newRecipient(prefill)],
    fee: 'normal',
    customRate: '',
    coinControl: false,
    coins: [],
  };
}

/** Step 1: who (one or more recipients), how much, from which coins, and how fast. */
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
  const loadCoins = useCallback(() => flash.coins.list({ walletId }), [flash, walletId]);
  const coins = useQuery(loadCoins);
  const prepare = useAction(flash.send.prepare);
  const [submitted, setSubmitted] = useState(false);
  const [feeTouched, setFeeTouched] = useState(false);

  const set = (patch: Partial<SendFormValues>) => onChange({ ...values, ...patch });
  const setRow = (index: number, row: RecipientValues) =>
    set({ recipients: values.recipients.map((r, i) => (i === index ? row : r)) });

  const checked = checkRecipients(values.recipients, network, separators.decimal, t, sendErrorText);
  const rowsOk = checked.every((c) => !c.toError && !c.amountError);
  const maxIndex = values.recipients.findIndex((r) => r.max);

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

  // Coin control: at least one coin, and enough in them for the fixed amounts (the fee comes on top).
  const fixedTotal = checked.reduce((s, c) => s + (c.sats ?? 0), 0);
  const chosenTotal = selectedTotal(coins.value, values.coins);
  const chosenCount = coins.value
    ? coins.value.filter((c) => values.coins.includes(c.outpoint) && !c.frozen).length
    : values.coins.length;
  let coinsError: string | null = null;
  if (values.coinControl) {
    if (chosenCount === 0) coinsError = t('sendtools.coins.noneChosen');
    else if (coins.value && chosenTotal <= fixedTotal) {
      coinsError = t('sendtools.coins.notEnough', {
        chosen: formatBtc(chosenTotal, { separators }),
        needed: formatBtc(fixedTotal, { separators }),
      });
    }
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFeeTouched(true);
    if (!rowsOk || feeError || rate === null || coinsError) return;
    const outputs = checked.map((c, i) => {
      const address = c.address ?? '';
      return values.recipients[i]?.max ? { address, max: true as const } : { address, sats: c.sats ?? 0 };
    });
    const chosen = coins.value
      ? values.coins.filter((o) => coins.value?.some((c) => c.outpoint === o && !c.frozen))
      : values.coins;
    const draft = await prepare.run({
      walletId,
      outputs,
      feeRate: rate,
      ...(values.coinControl ? { coins: chosen } : {}),
    });
    if (draft) onDraft(draft);
  };

  return (
    <form className="card stack send-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('send.form.title')}</h2>
      {values.recipients.map((row, i) => (
        <RecipientRow
          key={row.key}
          index={i}
          count={values.recipients.length}
          network={network}
          values={row}
          checked={checked[i] ?? { address: null, sats: null, toError: null, amountError: null }}
          maxTaken={maxIndex !== -1 && maxIndex !== i}
          showErrors={submitted}
          idPrefix={id}
          onChange={(next) => setRow(i, next)}
          onRemove={() => set({ recipients: values.recipients.filter((_, k) => k !== i) })}
        />
      ))}
      <div className="actions send-recipient-actions">
        <button
          type="button"
          disabled={values.recipients.length >= MAX_RECIPIENTS}
          onClick={() => set({ recipients: [...values.recipients, newRecipient()] })}
        >
          {t('sendtools.form.addRecipient')}
        </button>
        <button
          type="button"
          aria-expanded={values.coinControl}
          onClick={() => set({ coinControl: !values.coinControl })}
        >
          {values.coinControl ? t('sendtools.coins.useAuto') : t('sendtools.coins.choose')}
        </button>
      </div>
      {values.coinControl && (
        <CoinPicker
          coins={coins.value}
          loadError={coins.error}
          selected={values.coins}
          onChange={(next) => set({ coins: next })}
          error={submitted ? coinsError : null}
        />
      )}

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
              aria-invalid={feeTouched && feeError ? true : undefined}
              aria-describedby={`${id}-rate-hint`}
              onChange={(e) => set({ customRate: e.target.value })}
              onBlur={() => setFeeTouched(true)}
            />
            <p id={`${id}-rate-hint`} className={feeTouched && feeError ? 'hint hint-error' : 'hint'}>
              {feeTouched && feeError ? feeError : t('send.form.customRateHint')}
            </p>
          </div>
        )}
        <InflatedFeeNote estimates={estimates} />
        {fees.error && <p className="hint hint-error">{sendErrorText(fees.error)}</p>}
      </fieldset>

      <SendErrorAlert error={prepare.error} />
      <SubmitCancel label={t('send.form.review')} disabled={prepare.busy} onCancel={onCancel} />
    </form>
  );
}
