import { useCallback, useEffect, useId, useState } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { CopyButton } from '../../components/CopyButton';
import { useI18n } from '../../i18n';
import { AnimatedQr } from './AnimatedQr';
import { DraftSummary } from './DraftSummary';
import { EvictedPayments } from './EvictedPayments';
import { FeeWarning, feeCleared } from './FeeWarning';
import { PendingPayments } from './PendingPayments';
import { base64ToBytes, rememberFeeRate } from './send-text';
import { SendErrorAlert } from './SendErrorAlert';

export interface SentResult {
  txid: string;
  state: 'broadcast' | 'broadcasting';
}

/** Step 2: "Check before you send" — every number of the draft, then Send now / Back / Export PSBT. */
export function ReviewDraft(props: {
  draft: SendDraft;
  onBack: () => void;
  onSent: (result: SentResult) => void;
}) {
  const { onBack, onSent } = props;
  // The fee warning's acceptance comes back as a newer copy of the same draft.
  const [draft, setDraft] = useState(props.draft);
  const { t } = useI18n();
  const flash = useFlash();
  const id = useId();
  const confirm = useAction(flash.send.confirm);
  const exportPsbt = useAction(flash.send.exportPsbt);
  const exportUr = useAction(flash.send.exportPsbtUr);
  const [psbt, setPsbt] = useState<string | null>(null);
  const [urParts, setUrParts] = useState<string[] | null>(null);
  const [fileUrl, setFileUrl] = useState<string | null>(null);
  useEffect(
    () => () => {
      if (fileUrl) URL.revokeObjectURL(fileUrl);
    },
    [fileUrl],
  );

  const sendNow = async () => {
    const result = await confirm.run({ draftId: draft.draftId });
    if (result) {
      rememberFeeRate(result.txid, draft.feeRate);
      onSent({ txid: result.txid, state: result.state });
    }
  };
  const doExport = useCallback(async () => {
    const [result, ur] = await Promise.all([
      exportPsbt.run({ draftId: draft.draftId }),
      exportUr.run({ draftId: draft.draftId }),
    ]);
    if (!result) return;
    setPsbt(result.base64);
    setUrParts(ur?.parts ?? null);
    try {
      const bytes = base64ToBytes(result.base64);
      const blob = new Blob([bytes.buffer as ArrayBuffer], { type: 'application/octet-stream' });
      setFileUrl(URL.createObjectURL(blob));
    } catch {
      setFileUrl(null);
    }
  }, [exportPsbt, exportUr, draft.draftId]);

  return (
    <section className="card stack send-review" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('send.review.title')}</h2>
      {draft.kind === 'bump' && draft.replacesTxid && (
        <p className="hint">{t('send.review.replaces', { txid: draft.replacesTxid })}</p>
      )}
      {draft.kind === 'cpfp' && draft.parentTxid && (
        <p className="hint">{t('send.review.child', { txid: draft.parentTxid })}</p>
      )}
      <EvictedPayments draft={draft} />
      <DraftSummary draft={draft} detailed />
      <FeeWarning draft={draft} onAccepted={setDraft} />
      <SendErrorAlert error={confirm.error} />
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          onClick={sendNow}
          disabled={confirm.busy || !feeCleared(draft)}
        >
          {confirm.busy ? t('send.review.sending') : t('send.review.sendNow')}
        </button>
        <button type="button" onClick={onBack} disabled={confirm.busy}>
          {t('common.back')}
        </button>
        <button type="button" onClick={doExport} disabled={exportPsbt.busy || confirm.busy}>
          {t('send.review.export')}
        </button>
      </div>
      <SendErrorAlert error={exportPsbt.error ?? exportUr.error} />
      {psbt !== null && (
        <div className="field send-psbt">
          <label htmlFor={`${id}-psbt`}>{t('send.review.psbtLabel')}</label>
          <textarea
            id={`${id}-psbt`}
            className="mono"
            readOnly
            rows={5}
            value={psbt}
            aria-describedby={`${id}-psbt-hint`}
          />
          <p id={`${id}-psbt-hint`} className="hint">
            {t('send.review.psbtHint')}
          </p>
          {urParts && (
            <div className="send-psbt-qr">
              <h3>{t('sendtools.qr.title')}</h3>
              <p className="hint">{t('sendtools.qr.hint')}</p>
              <AnimatedQr parts={urParts} alt={t('sendtools.qr.alt')} />
            </div>
          )}
          <div className="actions">
            <CopyButton text={psbt} label={t('send.review.copyPsbt')} />
            {fileUrl && (
              <a className="button-link" href={fileUrl} download={`flash-${draft.draftId.slice(0, 8)}.psbt`}>
                {t('send.review.savePsbt')}
              </a>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** Step 3: the broadcast answer; a payment still waiting shows why and when it is tried again. */
export function SendResult({
  walletId,
  result,
  onDone,
}: {
  walletId: string;
  result: SentResult;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="card stack send-result" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {result.state === 'broadcast' ? t('send.result.sent') : t('send.result.broadcasting')}
      </h2>
      <p role="status">
        {result.state === 'broadcast' ? t('send.result.sentNote') : t('send.result.broadcastingNote')}
      </p>
      {result.state === 'broadcasting' && <PendingPayments walletId={walletId} />}
      <p className="label" id={`${id}-txid`}>
        {t('send.result.txid')}
      </p>
      <p className="mono send-txid" aria-labelledby={`${id}-txid`}>
        {result.txid}
      </p>
      <div className="actions">
        <CopyButton text={result.txid} label={t('send.result.copyTxid')} />
        <button type="button" className="button-primary" onClick={onDone}>
          {t('send.result.done')}
        </button>
      </div>
    </section>
  );
}
