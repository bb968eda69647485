import { useCallback, useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { SubmitCancel } from '../../components/FormActions';
import { useI18n } from '../../i18n';
import { shortTxid } from '../wallet/ActivityList';
import { formatFeeRate, knownFeeRate, parseFeeRate, usableRate } from './send-text';
import { SendErrorAlert } from './SendErrorAlert';

/**
 * "Speed up": a new fee rate for an unconfirmed payment, either replacing it (RBF, our outgoing
 * payments) or adding a child that pays for it (CPFP, incoming ones). Leads to the review step.
 */
export function SpeedUp(props: {
  walletId: string;
  txid: string;
  method: 'bump' | 'cpfp';
  onDraft: (draft: SendDraft) => void;
  onCancel: () => void;
}) {
  const { walletId, txid, method, onDraft, onCancel } = props;
  const { t, separators } = useI18n();
  const flash = useFlash();
  const id = useId();
  const loadFees = useCallback(() => flash.send.estimateFees(), [flash]);
  const fees = useQuery(loadFees);
  const build = useAction(method === 'bump' ? flash.send.bumpFee : flash.send.cpfp);
  const [rateText, setRateText] = useState('');
  const [edited, setEdited] = useState(false);

  // The rate it pays now: remembered from this window's send, else read from the stored transaction.
  const loadTx = useCallback(() => flash.wallet.getTransaction({ walletId, txid }), [flash, walletId, txid]);
  const stored = useQuery(loadTx);
  // Default: the current rate + 2 sat/vB, or the Fast preset, whichever is higher.
  const current = knownFeeRate(txid) ?? stored.value?.feeRate ?? null;
  const fast = fees.value ? usableRate(fees.value.fast) : null;
  const suggested =
    fast === null && current === null ? null : Math.max(fast ?? 1, current !== null ? current + 2 : 1);
  useEffect(() => {
    if (!edited && suggested !== null) setRateText(formatFeeRate(suggested, separators.decimal));
  }, [edited, suggested, separators.decimal]);

  const rate = parseFeeRate(rateText);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (rate === null) return;
    const draft = await build.run({ walletId, txid, feeRate: rate });
    if (draft) onDraft(draft);
  };
  const invalid = rateText !== '' && rate === null;
  return (
    <form
      className="card stack send-speedup"
      role="dialog"
      aria-labelledby={`${id}-title`}
      onSubmit={submit}
      noValidate
    >
      <h2 id={`${id}-title`}>{method === 'bump' ? t('send.speedUp.title') : t('send.speedUp.cpfpTitle')}</h2>
      <p className="hint">
        {method === 'bump' ? t('send.speedUp.explain') : t('send.speedUp.cpfpExplain')}{' '}
        <code className="txid" title={txid}>
          {shortTxid(txid)}
        </code>
      </p>
      {current !== null && (
        <p className="hint">
          {t('send.speedUp.current', { rate: formatFeeRate(current, separators.decimal) })}
        </p>
      )}
      <div className="field field-narrow">
        <label htmlFor={`${id}-rate`}>{t('send.speedUp.rate')}</label>
        <input
          id={`${id}-rate`}
          inputMode="decimal"
          value={rateText}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${id}-rate-hint`}
          onChange={(e) => {
            setEdited(true);
            setRateText(e.target.value);
          }}
        />
        <p id={`${id}-rate-hint`} className={invalid ? 'hint hint-error' : 'hint'}>
          {invalid
            ? t('send.form.customRateInvalid')
            : fast !== null
              ? t('send.speedUp.fastHint', { rate: formatFeeRate(fast, separators.decimal) })
              : t('send.form.customRateHint')}
        </p>
      </div>
      <SendErrorAlert error={build.error} />
      <SubmitCancel
        label={t('send.form.review')}
        disabled={build.busy || rate === null}
        onCancel={onCancel}
      />
    </form>
  );
}
