import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import { formatSats } from '../../../shared/money';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { Alert } from '../../components/Alert';
import { useI18n } from '../../i18n';
import { formatFeeRate } from './send-text';
import { SendErrorAlert } from './SendErrorAlert';

/** Whether a draft may be signed: no absurd fee, or one the user typed back. */
export function feeCleared(draft: SendDraft): boolean {
  return draft.feeWarning === null || draft.feeWarning.accepted;
}

/**
 * Why a draft's fee was stopped, and the only way on: typing the fee back, in sats, exactly.
 * `onAccepted` gets the draft as main now sees it (its warning marked accepted).
 */
export function FeeWarning({
  draft,
  onAccepted,
}: {
  draft: SendDraft;
  onAccepted: (draft: SendDraft) => void;
}) {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const id = useId();
  const accept = useAction(flash.send.acceptFee);
  const [typed, setTyped] = useState('');
  const warning = draft.feeWarning;
  if (!warning) return null;
  const sats = (n: number) => formatSats(n, { separators });
  if (warning.accepted) {
    return <p className="hint">{t('sendguard.fee.accepted', { fee: sats(draft.feeSats) })}</p>;
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const digits = typed.replace(/[\s.,_']/g, '');
    if (!/^\d{1,15}$/.test(digits)) return;
    const next = await accept.run({ draftId: draft.draftId, feeSats: Number(digits) });
    if (next) onAccepted(next);
  };
  const vars = {
    fee: sats(draft.feeSats),
    rate: formatFeeRate(draft.feeRate, separators.decimal),
    limitRate: sats(warning.limitRate),
    limitSats: sats(warning.limitSats),
    leaving: sats(draft.amountSats + draft.feeSats),
  };
  return (
    <form className="stack send-fee-warning" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <Alert tone="warning">
        <strong id={`${id}-title`}>{t('sendguard.fee.title')}</strong>{' '}
        {warning.reason === 'rate' ? t('sendguard.fee.rate', vars) : t('sendguard.fee.share', vars)}
      </Alert>
      <div className="field field-narrow">
        <label htmlFor={`${id}-fee`}>{t('sendguard.fee.input')}</label>
        <input
          id={`${id}-fee`}
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setTyped(e.target.value)}
        />
        <p id={`${id}-hint`} className="hint">
          {t('sendguard.fee.typeBack')}
        </p>
      </div>
      <SendErrorAlert error={accept.error} />
      <div className="actions">
        <button type="submit" disabled={accept.busy || typed.trim() === ''}>
          {t('sendguard.fee.accept')}
        </button>
      </div>
    </form>
  );
}
