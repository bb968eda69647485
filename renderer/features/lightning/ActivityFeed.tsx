import { useCallback, useEffect, useState } from 'react';
import type { FeedItem } from '../../../shared/contract/activity';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { SelectField } from '../../components/Field';
import { useFormatDateTime, useI18n } from '../../i18n';
import { formatUnitAmount } from '../ecash/format';
import { formatMsatAsSats, shortHex } from './format';

type Rail = 'all' | 'onchain' | 'lightning' | 'ecash';
const PAGE = 50;

/** The CSV as a blob: URL for an <a download>; nothing goes over the network. */
function useBlobUrl(text: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (text === null) return;
    const next = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [text]);
  return url;
}

/**
 * One list for every rail: on-chain transactions of the account and Lightning payments, newest
 * first, each with its rail, amount, fee, status and who or what it was for; filterable by rail
 * and exportable as CSV. Refreshes itself when either rail reports a change.
 */
export function ActivityFeed({ walletId }: { walletId: string | null }) {
  const { t } = useI18n();
  const flash = useFlash();
  const [rail, setRail] = useState<Rail>('all');
  const [limit, setLimit] = useState(PAGE);
  const feed = useQuery(
    useCallback(
      () => flash.activity.feed({ walletId, rail, limit, offset: 0 }),
      [flash, walletId, rail, limit],
    ),
  );
  useFlashEvent('lightning.payment', () => feed.reload());
  useFlashEvent('wallet.updated', () => feed.reload());
  useFlashEvent('ecash.operation', () => feed.reload());
  const exportCsv = useAction(
    useCallback(() => flash.activity.exportCsv({ walletId, rail }), [flash, walletId, rail]),
  );
  const [csv, setCsv] = useState<string | null>(null);
  const csvUrl = useBlobUrl(csv);

  const items = feed.value?.items ?? [];
  return (
    <section className="card stack activity ln-feed" aria-labelledby="ln-feed-title">
      <h2 id="ln-feed-title">{t('ln.feed.title')}</h2>
      <div className="activity-actions">
        <SelectField
          label={t('ln.feed.filter')}
          value={rail}
          onChange={(e) => {
            setRail(e.target.value as Rail);
            setLimit(PAGE);
            setCsv(null);
          }}
          options={[
            { value: 'all', label: t('ln.feed.all') },
            { value: 'onchain', label: t('ln.feed.onchain') },
            { value: 'lightning', label: t('ln.feed.lightning') },
            { value: 'ecash', label: t('ecash.feed.rail') },
          ]}
        />
        <button
          type="button"
          disabled={exportCsv.busy}
          onClick={async () => {
            const out = await exportCsv.run();
            if (out) setCsv(out.csv);
          }}
        >
          {t('ln.feed.export')}
        </button>
        {csvUrl && (
          <a className="button-link" href={csvUrl} download={`flash-activity-${rail}.csv`}>
            {t('ln.feed.download')}
          </a>
        )}
      </div>
      <ErrorAlert error={feed.error ?? exportCsv.error} />
      {items.length === 0 && !feed.loading ? (
        <p className="hint">{t('ln.feed.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('ln.feed.col.date')}</th>
              <th>{t('ln.feed.col.rail')}</th>
              <th>{t('ln.feed.col.amount')}</th>
              <th>{t('ln.feed.col.fee')}</th>
              <th>{t('ln.feed.col.status')}</th>
              <th>{t('ln.feed.col.what')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <FeedRow key={item.id} item={item} />
            ))}
          </tbody>
        </table>
      )}
      {feed.value && feed.value.total > items.length && (
        <button type="button" onClick={() => setLimit((l) => l + PAGE)}>
          {t('ln.feed.more')}
        </button>
      )}
    </section>
  );
}

function FeedRow({ item }: { item: FeedItem }) {
  const { t, separators } = useI18n();
  const formatDateTime = useFormatDateTime();
  const sats = (msat: string) => t('amount.sats', { value: formatMsatAsSats(msat, separators) });
  const sign = item.direction === 'in' ? '+' : item.direction === 'out' ? '−' : '';
  const badge =
    item.status === 'complete'
      ? 'badge badge-verified'
      : item.status === 'failed'
        ? 'badge badge-failed'
        : 'badge badge-pending';
  const what = [item.counterparty, item.description, item.rail === 'ecash' ? item.mint : null].filter(
    (x): x is string => !!x,
  );
  // eCash in a currency unit (usd, eur) has no sats figure: its own amount and unit are shown.
  const inUnit = item.unit !== undefined && item.unit !== 'sat';
  const fmtUnit = (n: number) =>
    formatUnitAmount(n, item.unit ?? 'sat', separators, (value) => t('amount.sats', { value }));
  return (
    <tr data-rail={item.rail}>
      <td>{formatDateTime(item.timestamp)}</td>
      <td>
        {item.rail === 'onchain'
          ? t('ln.feed.onchain')
          : item.rail === 'ecash'
            ? t('ecash.feed.rail')
            : t('ln.feed.lightning')}
      </td>
      <td>
        <span className={item.direction === 'in' ? 'amount amount-in' : 'amount amount-out'}>
          <span className="ln-sr-only">{t(`ln.feed.${item.direction}`)} </span>
          {sign}
          {inUnit ? fmtUnit(item.unitAmount ?? 0) : sats(item.amountMsat)}
        </span>
      </td>
      <td>{inUnit ? fmtUnit(item.unitFee ?? 0) : item.feeMsat !== null ? sats(item.feeMsat) : ''}</td>
      <td>
        <span className={badge} title={item.detail}>
          {t(`ln.feed.status.${item.status}`)}
        </span>
      </td>
      <td className="ln-feed-what">
        {what.length > 0 ? (
          what.map((w) => (
            <span key={w} className={/^[0-9a-f]{66}$/.test(w) ? 'mono' : undefined}>
              {/^[0-9a-f]{66}$/.test(w) ? shortHex(w) : w}
            </span>
          ))
        ) : (
          <span className="mono hint">{shortHex(item.ref)}</span>
        )}
      </td>
    </tr>
  );
}
