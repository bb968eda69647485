import { useId, useState } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import { formatSats } from '../../../shared/money';
import { useFlash } from '../../app/flash-context';
import { useAction } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useI18n } from '../../i18n';
import { DraftSummary } from '../send/DraftSummary';
import { EvictedPayments } from '../send/EvictedPayments';
import { FeeWarning, feeCleared } from '../send/FeeWarning';
import type { DeviceAccount } from './use-device-account';

type Phase = 'review' | 'device' | 'broadcasting';

/**
 * Review, then "Confirm on your device" listing what the device screen must show, then broadcast.
 * The draft itself is never changed: the device's signature comes back as a new signed draft, so
 * an unplugged device or a rejection leaves everything as it was and "Try again" just repeats.
 */
export function ConfirmOnDevice(props: {
  account: DeviceAccount;
  draft: SendDraft;
  onBack: () => void;
  onSent: (result: { txid: string; state: 'broadcast' | 'broadcasting' }) => void;
}) {
  const { account, onBack, onSent } = props;
  // The fee warning's acceptance comes back as a newer copy of the same draft.
  const [draft, setDraft] = useState(props.draft);
  const { t, separators } = useI18n();
  const flash = useFlash();
  const id = useId();
  const sign = useAction(flash.hardware.signDraft);
  const confirm = useAction(flash.send.confirm);
  const cancel = useAction(flash.hardware.cancel);
  const [phase, setPhase] = useState<Phase>('review');
  const vendor = account.signer === 'ledger' ? 'Ledger' : 'Trezor';
  const sats = (n: number) => t('amount.sats', { value: formatSats(n, { separators }) });
  const recipients = draft.outputs.filter((o) => !o.change);
  const change = draft.outputs.filter((o) => o.change);

  const start = async () => {
    setPhase('device');
    const signed = await sign.run({ draftId: draft.draftId });
    if (!signed) {
      setPhase('review');
      return;
    }
    setPhase('broadcasting');
    const sent = await confirm.run({ draftId: signed.draftId });
    if (sent) onSent({ txid: sent.txid, state: sent.state });
    else setPhase('review');
  };

  const error = sign.error ?? confirm.error;
  return (
    <section className="card stack device-send" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {phase === 'review' ? t('hardware.send.title') : t('hardware.send.waitingTitle')}
      </h2>
      <p>{t('hardware.send.explain', { vendor })}</p>
      {phase === 'review' && <EvictedPayments draft={draft} />}
      {phase === 'review' ? (
        <DraftSummary draft={draft} />
      ) : (
        <div className="device-checklist" role="status">
          <p>{phase === 'broadcasting' ? t('hardware.send.broadcasting') : t('hardware.send.waiting')}</p>
          <ul>
            {recipients.map((o, i) => (
              <li key={`${o.address ?? 'x'}-${i}`} className="mono">
                {t('hardware.send.checkRecipient', { amount: sats(o.sats), address: o.address ?? '?' })}
              </li>
            ))}
            <li className="mono">{t('hardware.send.checkFee', { fee: sats(draft.feeSats) })}</li>
            {change.map((o, i) => (
              <li key={`change-${i}`} className="hint">
                {t('hardware.send.checkChange', { amount: sats(o.sats) })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {phase === 'device' && (
        <div className="actions">
          <button type="button" onClick={() => void cancel.run()} disabled={cancel.busy}>
            {t('hardware.send.cancel')}
          </button>
        </div>
      )}
      <ErrorAlert error={error} />
      {error && phase === 'review' && <p className="hint">{t('hardware.send.kept')}</p>}
      {phase === 'review' && <FeeWarning draft={draft} onAccepted={setDraft} />}
      {phase === 'review' && (
        <div className="actions">
          <button type="button" className="button-primary" onClick={start} disabled={!feeCleared(draft)}>
            {error ? t('hardware.send.retry') : t('hardware.send.sign')}
          </button>
          <button type="button" onClick={onBack}>
            {t('common.back')}
          </button>
        </div>
      )}
    </section>
  );
}
