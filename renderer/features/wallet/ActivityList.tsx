import { Fragment, useState } from 'react';
import type { ActivityItem, ActivityPage } from '../../../shared/contract/wallet';
import { Amount } from '../../components/Amount';
import { CopyButton } from '../../components/CopyButton';
import { useFormatDateTime, useT } from '../../i18n';

export function shortTxid(txid: string): string {
  return txid.length > 20 ? `${txid.slice(0, 8)}…${txid.slice(-8)}` : txid;
}

function ConfirmationStatus({ item }: { item: ActivityItem }) {
  const t = useT();
  if (item.confirmations === 0)
    return <span className="badge badge-pending">{t('activity.unconfirmed')}</span>;
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

/** What "Speed up" can do for a row: replace our own payment (RBF) or pay for an incoming one (CPFP). */
function speedUpMethod(item: ActivityItem): 'bump' | 'cpfp' | null {
  if (item.confirmations > 0) return null;
  return item.direction === 'in' ? 'cpfp' : 'bump';
}

export function ActivityList(props: {
  page: ActivityPage;
  loadingMore: boolean;
  onShowMore: () => void;
  onSpeedUp?: (txid: string, method: 'bump' | 'cpfp') => void;
}) {
  const { page, loadingMore, onShowMore, onSpeedUp } = props;
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
              <th scope="col">{t('activity.date')}</th>
              <th scope="col">{t('activity.transaction')}</th>
              <th scope="col">{t('send.activity.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => {
              const method = onSpeedUp ? speedUpMethod(item) : null;
              const detailsId = `tx-details-${item.txid}`;
              return (
                <Fragment key={item.txid}>
                  <tr>
                    <td>{t(`activity.direction.${item.direction}`)}</td>
                    <td>
                      <Amount sats={item.amountSats} signed />
                    </td>
                    <td>
                      <ConfirmationStatus item={item} />
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
                        <button
                          type="button"
                          className="button-link button-small"
                          aria-expanded={open === item.txid}
                          aria-controls={detailsId}
                          onClick={() => setOpen((o) => (o === item.txid ? null : item.txid))}
                        >
                          {t('send.activity.details')}
                        </button>
                      </div>
                    </td>
                  </tr>
                  {open === item.txid && (
                    <tr id={detailsId} className="activity-details">
                      <td colSpan={6}>
                        <dl className="send-summary">
                          <div className="send-summary-row">
                            <dt>{t('send.activity.txid')}</dt>
                            <dd>
                              <span className="mono send-address">{item.txid}</span>{' '}
                              <CopyButton text={item.txid} label={t('send.result.copyTxid')} />
                            </dd>
                          </div>
                          <div className="send-summary-row">
                            <dt>{t('send.activity.height')}</dt>
                            <dd>{item.height > 0 ? item.height : t('activity.unconfirmed')}</dd>
                          </div>
                        </dl>
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
