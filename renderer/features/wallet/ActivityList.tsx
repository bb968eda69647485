import { Fragment, useState } from 'react';
import type { MouseEvent } from 'react';
import type { ActivityItem, ActivityPage } from '../../../shared/contract/wallet';
import { formatSats } from '../../../shared/money';
import { Amount } from '../../components/Amount';
import { useFormatDateTime, useI18n, useT } from '../../i18n';
import { formatFeeRate } from '../send/send-text';
import { TransactionDetails } from './TransactionDetails';

export function shortTxid(txid: string): string {
  return txid.length > 20 ? `${txid.slice(0, 8)}…${txid.slice(-8)}` : txid;
}

/**
 * In the mempool: "Unconfirmed". In a block but not verified yet (or its proof failed): only the
 * verification badge, since main counts no confirmation before the proof checks out. Verified: the
 * count, from our own validated tip, and the badge.
 */
function ConfirmationStatus({ item }: { item: ActivityItem }) {
  const t = useT();
  if (item.verification === 'mempool')
    return <span className="badge badge-pending">{t('activity.unconfirmed')}</span>;
  if (item.confirmations === 0) return <VerificationBadge item={item} />;
  return (
    <>
      <span className="badge">
        {item.confirmations === 1
          ? t('activity.confirmations.one')
          : t('activity.confirmations.other', { count: item.confirmations })}
      </span>{' '}
      <VerificationBadge item={item} />
    </>
  );
}

/** The SPV state: whether Flash checked the merkle proof against headers it validated itself. */
function VerificationBadge({ item }: { item: ActivityItem }) {
  const t = useT();
  if (item.verification === 'mempool') return null;
  const className =
    item.verification === 'verified'
      ? 'badge badge-verified'
      : item.verification === 'failed'
        ? 'badge badge-failed'
        : 'badge badge-pending';
  return (
    <span className={className} title={t(`activity.verification.${item.verification}.hint`)}>
      {t(`activity.verification.${item.verification}`)}
    </span>
  );
}

/**
 * What "Speed up" can do for a row: replace our own payment (RBF) or pay for an incoming one
 * (CPFP). Only in the mempool: a transaction in a block cannot be replaced, verified or not.
 */
function speedUpMethod(item: ActivityItem): 'bump' | 'cpfp' | null {
  if (item.height > 0) return null;
  return item.direction === 'in' ? 'cpfp' : 'bump';
}

/** The fee column: known for our own payments, unknown when a stranger's inputs were never stored. */
function FeeCell({ item }: { item: ActivityItem }) {
  const { t, separators } = useI18n();
  if (item.feeSats === null || item.feeRate === null) {
    return <span className="hint">{t('sendtools.activity.feeUnknown')}</span>;
  }
  return (
    <span className="activity-fee">
      {t('sendtools.activity.feeValue', {
        fee: formatSats(item.feeSats, { separators }),
        rate: formatFeeRate(item.feeRate, separators.decimal),
      })}
    </span>
  );
}

/** A click anywhere on a row opens its details, except on the row's own buttons and links. */
function fromControl(e: MouseEvent): boolean {
  return e.target instanceof Element && e.target.closest('button, a, input, select, textarea') !== null;
}

export function ActivityList(props: {
  page: ActivityPage;
  loadingMore: boolean;
  onShowMore: () => void;
  onSpeedUp?: (txid: string, method: 'bump' | 'cpfp') => void;
  /** Needed for the details view; without it the Details button is hidden. */
  walletId?: string;
}) {
  const { page, loadingMore, onShowMore, onSpeedUp, walletId } = props;
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="card activity" aria-labelledby="activity-title">
      <h2 id="activity-title">{t('activity.title')}</h2>
      {page.items.length === 0 ? (
        <p className="empty">{t('activity.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('activity.type')}</th>
              <th scope="col">{t('activity.amount')}</th>
              <th scope="col">{t('activity.status')}</th>
              <th scope="col">{t('sendtools.activity.fee')}</th>
              <th scope="col">{t('activity.date')}</th>
              <th scope="col">{t('activity.transaction')}</th>
              <th scope="col">{t('send.activity.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => {
              const method = onSpeedUp ? speedUpMethod(item) : null;
              const detailsId = `tx-details-${item.txid}`;
              const toggle = () => setOpen((o) => (o === item.txid ? null : item.txid));
              return (
                <Fragment key={item.txid}>
                  <tr
                    className={walletId ? 'activity-row activity-row-clickable' : 'activity-row'}
                    onClick={(e) => {
                      if (walletId && !fromControl(e)) toggle();
                    }}
                  >
                    <td>{t(`activity.direction.${item.direction}`)}</td>
                    <td>
                      <Amount sats={item.amountSats} signed />
                    </td>
                    <td>
                      <ConfirmationStatus item={item} />
                    </td>
                    <td>
                      <FeeCell item={item} />
                    </td>
                    <td>{formatDateTime(item.firstSeenAt)}</td>
                    <td>
                      <code className="txid" title={item.txid}>
                        {shortTxid(item.txid)}
                      </code>
                    </td>
                    <td>
                      <div className="activity-actions">
                        {method && (
                          <button
                            type="button"
                            className="button-small"
                            onClick={() => onSpeedUp?.(item.txid, method)}
                          >
                            {method === 'bump' ? t('send.activity.speedUp') : t('send.activity.speedUpCpfp')}
                          </button>
                        )}
                        {walletId && (
                          <button
                            type="button"
                            className="button-link button-small"
                            aria-expanded={open === item.txid}
                            aria-controls={detailsId}
                            onClick={toggle}
                          >
                            {t('send.activity.details')}
                          </button>
                        )}
                      </div>
                    </td>
                  </tr>
                  {walletId && open === item.txid && (
                    <tr id={detailsId} className="activity-details">
                      <td colSpan={7}>
                        <TransactionDetails
                          walletId={walletId}
                          txid={item.txid}
                          version={`${item.height}|${item.confirmations}|${item.verification}`}
                          {...(onSpeedUp ? { onSpeedUp } : {})}
                          onClose={() => setOpen(null)}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
      {page.total > page.items.length && (
        <button type="button" onClick={onShowMore} disabled={loadingMore}>
          {t('activity.showMore')}
        </button>
      )}
    </section>
  );
}
