import type { ReactNode } from 'react';
import type { SendDraft } from '../../../shared/contract/send';
import { Amount } from '../../components/Amount';
import { useI18n } from '../../i18n';
import { formatFeeRate } from './send-text';

/** One label/value pair of a `send-summary` list. */
export function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="send-summary-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * The numbers of a draft before it is signed: who gets what, the fee, the total and the change.
 * `detailed` adds what only the software review shows (change addresses, amount, fee rate, size,
 * RBF); the hardware-wallet step keeps the short list so it matches what the device will display.
 */
export function DraftSummary({ draft, detailed = false }: { draft: SendDraft; detailed?: boolean }) {
  const { t, separators } = useI18n();
  const recipients = draft.outputs.filter((o) => !o.change);
  const changeOutputs = detailed ? draft.outputs.filter((o) => o.change) : [];
  const address = (a: string | null) => (
    <span className="mono send-address">{a ?? t('send.review.unknownAddress')}</span>
  );
  return (
    <dl className="send-summary">
      {recipients.map((o, i) => (
        <SummaryRow key={`${o.address ?? 'unknown'}-${i}`} label={t('send.review.recipient')}>
          {address(o.address)}
          <Amount sats={o.sats} />
        </SummaryRow>
      ))}
      {changeOutputs.map((o, i) => (
        <SummaryRow key={`change-${o.address ?? 'unknown'}-${i}`} label={t('sendtools.review.changeTo')}>
          {address(o.address)}
          <Amount sats={o.sats} />
        </SummaryRow>
      ))}
      {detailed && (
        <SummaryRow label={t('send.review.amount')}>
          <Amount sats={draft.amountSats} />
        </SummaryRow>
      )}
      <SummaryRow label={t('send.review.fee')}>
        <Amount sats={draft.feeSats} />
        {detailed && (
          <>
            {' '}
            <span className="hint">
              {t('send.fee.rate', { rate: formatFeeRate(draft.feeRate, separators.decimal) })}
            </span>
          </>
        )}
      </SummaryRow>
      <SummaryRow label={t('send.review.total')}>
        <Amount sats={draft.amountSats + draft.feeSats} />
      </SummaryRow>
      {detailed && (
        <SummaryRow label={t('send.review.vsize')}>
          {t('send.review.vbytes', { vsize: draft.vsize })}
        </SummaryRow>
      )}
      <SummaryRow label={t('send.review.change')}>
        <Amount sats={draft.changeSats} />
      </SummaryRow>
      {detailed && (
        <SummaryRow label={t('send.review.rbf')}>
          {draft.replaceable ? t('send.review.yes') : t('send.review.no')}
        </SummaryRow>
      )}
    </dl>
  );
}
