import { useCallback, useEffect, useId } from 'react';
import type { PendingPayment } from '../../../shared/contract/send';
import { formatSats } from '../../../shared/money';
import { useFlash } from '../../app/flash-context';
import { useCountdown, useFlashEvent, useQuery } from '../../app/hooks';
import { useI18n } from '../../i18n';
import { shortTxid } from '../wallet/ActivityList';

/** How often the list asks main again while something is waiting (retries happen in main). */
const REFRESH_MS = 2_000;

function PendingRow({ payment }: { payment: PendingPayment }) {
  const { t, separators } = useI18n();
  const seconds = useCountdown(payment.nextRetryAt);
  const status =
    payment.nextRetryAt === null
      ? t('sendguard.pending.noServer')
      : seconds > 0
        ? t('sendguard.pending.retryIn', { seconds })
        : t('sendguard.pending.retryingNow');
  return (
    <li className="send-pending-item">
      <p>
        {t('sendguard.pending.item', {
          amount: t('amount.sats', { value: formatSats(payment.amountSats, { separators }) }),
          txid: shortTxid(payment.txid),
        })}
      </p>
      <p role="status">{status}</p>
      {payment.lastError && (
        <p className="hint">{t('sendguard.pending.reason', { reason: payment.lastError })}</p>
      )}
    </li>
  );
}

/**
 * Payments signed and kept by the journal that the network has not taken yet: what each one is,
 * why it is waiting, and when main tries again. Nothing when none is waiting.
 */
export function PendingPayments({ walletId }: { walletId: string }) {
  const { t } = useI18n();
  const flash = useFlash();
  const id = useId();
  const load = useCallback(() => flash.send.pending({ walletId }), [flash, walletId]);
  const pending = useQuery(load);
  const { reload } = pending;
  const waiting = pending.value ?? [];
  useFlashEvent('wallet.updated', (e) => e.walletId === walletId && reload());
  useEffect(() => {
    if (waiting.length === 0) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [waiting.length, reload]);
  if (waiting.length === 0) return null;
  return (
    <section className="card stack send-pending" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('sendguard.pending.title')}</h2>
      <ul>
        {waiting.map((p) => (
          <PendingRow key={p.draftId} payment={p} />
        ))}
      </ul>
      <p className="hint">{t('sendguard.pending.kept')}</p>
    </section>
  );
}
