import type { ActivityItem, ActivityPage } from '../../../shared/contract/wallet';
import { Amount } from '../../components/Amount';
import { useFormatDateTime, useT } from '../../i18n';

export function shortTxid(txid: string): string {
  return txid.length > 20 ? `${txid.slice(0, 8)}…${txid.slice(-8)}` : txid;
}

function ConfirmationStatus({ item }: { item: ActivityItem }) {
  const t = useT();
  if (item.confirmations === 0)
    return <span className="badge badge-pending">{t('activity.unconfirmed')}</span>;
  return (
    <span className="badge">
      {item.confirmations === 1
        ? t('activity.confirmations.one')
        : t('activity.confirmations.other', { count: item.confirmations })}
    </span>
  );
}

export function ActivityList(props: { page: ActivityPage; loadingMore: boolean; onShowMore: () => void }) {
  const { page, loadingMore, onShowMore } = props;
  const t = useT();
  const formatDateTime = useFormatDateTime();
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
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <tr key={item.txid}>
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
              </tr>
            ))}
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
