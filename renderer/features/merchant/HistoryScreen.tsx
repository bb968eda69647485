import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import type { HistoryRow, Refund } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { QrCode } from '../../components/QrCode';
import { useT } from '../../i18n';
import { saleStateText } from './merchant-text';
import { EcashSalesList } from './EcashSale';

type Range = 'today' | 'week' | 'month';
const VARIANTS = ['RateThen', 'CurrentRate', 'Fiat', 'OverpaidAmount', 'Custom'] as const;

function startOf(range: Range, now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  if (range === 'week') d.setDate(d.getDate() - 6);
  if (range === 'month') d.setDate(d.getDate() - 29);
  return d.getTime();
}

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

/** Sales from BTCPay: filters by period, status and text; refunds for paid ones. */
export function HistoryScreen({ cashierMode, canRefund }: { cashierMode: boolean; canRefund: boolean }) {
  const t = useT();
  const flash = useFlash();
  const [range, setRange] = useState<Range>('today');
  const [status, setStatus] = useState<'any' | 'paid' | 'unpaid'>('any');
  const [text, setText] = useState('');
  const [applied, setApplied] = useState('');
  const [limit, setLimit] = useState(50);
  const [refunding, setRefunding] = useState<HistoryRow | null>(null);
  const span = useMemo(() => {
    const now = Date.now();
    return { from: startOf(cashierMode ? 'today' : range, now), to: now + 60_000 };
  }, [range, cashierMode]);
  const query = useQuery(
    useCallback(
      () =>
        flash.merchant.history({
          from: span.from,
          to: span.to,
          status,
          limit,
          offset: 0,
          ...(applied ? { text: applied } : {}),
        }),
      [flash, span, status, limit, applied],
    ),
  );
  const [csv, setCsv] = useState<{ filename: string; csv: string; rows: number } | null>(null);
  const csvUrl = useBlobUrl(csv?.csv ?? null);
  const exportCsv = useAction(
    useCallback(
      () => flash.merchant.exportSalesCsv({ from: span.from, to: span.to, status }),
      [flash, span, status],
    ),
  );
  const search = (e: FormEvent) => {
    e.preventDefault();
    setApplied(text.trim());
  };

  return (
    <section className="stack" aria-label={t('merchant.tab.history')}>
      <form className="merchant-filters" onSubmit={search}>
        {!cashierMode && (
          <label className="field">
            <span>{t('merchant.history.range')}</span>
            <select value={range} onChange={(e) => setRange(e.target.value as Range)}>
              <option value="today">{t('merchant.history.today')}</option>
              <option value="week">{t('merchant.history.week')}</option>
              <option value="month">{t('merchant.history.month')}</option>
            </select>
          </label>
        )}
        <label className="field">
          <span>{t('merchant.history.status')}</span>
          <select value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="any">{t('merchant.history.any')}</option>
            <option value="paid">{t('merchant.history.paid')}</option>
            <option value="unpaid">{t('merchant.history.unpaid')}</option>
          </select>
        </label>
        <input
          type="search"
          aria-label={t('merchant.history.search')}
          placeholder={t('merchant.history.search')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
      <div className="actions">
        <button
          type="button"
          disabled={exportCsv.busy}
          onClick={async () => {
            const out = await exportCsv.run();
            if (out) setCsv(out);
          }}
        >
          {t('merchant.history.exportCsv')}
        </button>
        {csv && csvUrl && (
          <a className="button-link" href={csvUrl} download={csv.filename}>
            {t('merchant.history.downloadCsv', { rows: csv.rows })}
          </a>
        )}
      </div>
      {cashierMode && <p className="hint">{t('merchant.history.onlyToday')}</p>}
      <ErrorAlert error={query.error ?? exportCsv.error} />
      {query.value && query.value.rows.length === 0 && <p className="hint">{t('merchant.history.none')}</p>}
      <ul className="merchant-history">
        {query.value?.rows.map((row) => (
          <li key={row.invoiceId}>
            <span className="mono">{new Date(row.createdAt).toLocaleString()}</span>
            <span>{row.summary || row.orderId}</span>
            <span>
              {row.amount} {row.currency}
            </span>
            <span className={`merchant-state merchant-state-${row.state}`}>
              {saleStateText(t, row.state, 0)}
            </span>
            {/* Always a cell, so the rows' columns line up with or without a reward. */}
            <span
              className={row.reward ? `merchant-reward-state merchant-reward-${row.reward.state}` : undefined}
            >
              {row.reward &&
                t('merchant.reward.inHistory', {
                  sats: row.reward.sats,
                  state: t(`merchant.reward.state.${row.reward.state}`),
                })}
            </span>
            {canRefund &&
              !cashierMode &&
              ['paid', 'paidOver', 'paidLate', 'expiredPartial', 'invalid'].includes(row.state) && (
                <button type="button" onClick={() => setRefunding(row)}>
                  {t('merchant.history.refund')}
                </button>
              )}
          </li>
        ))}
      </ul>
      {query.value?.more && (
        <button type="button" onClick={() => setLimit((l) => Math.min(500, l + 50))}>
          {t('merchant.history.more')}
        </button>
      )}
      {refunding && <RefundPanel row={refunding} onClose={() => setRefunding(null)} />}
      <EcashSalesList />
    </section>
  );
}

function RefundPanel({ row, onClose }: { row: HistoryRow; onClose: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [variant, setVariant] = useState<(typeof VARIANTS)[number]>('RateThen');
  const [customAmount, setCustomAmount] = useState('');
  const [customCurrency, setCustomCurrency] = useState(row.currency);
  const [done, setDone] = useState<Refund | null>(null);
  const refund = useAction(
    useCallback(
      () =>
        flash.merchant.refund({
          invoiceId: row.invoiceId,
          variant,
          ...(variant === 'Custom' ? { customAmount, customCurrency } : {}),
        }),
      [flash, row.invoiceId, variant, customAmount, customCurrency],
    ),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await refund.run();
    if (r) setDone(r);
  };
  return (
    <section className="card stack" aria-labelledby="merchant-refund-title">
      <h2 id="merchant-refund-title">
        {t('merchant.refund.title', { amount: `${row.amount} ${row.currency}` })}
      </h2>
      {done ? (
        <div className="stack">
          <p role="status">{t('merchant.refund.done', { amount: done.amount, currency: done.currency })}</p>
          {done.lnurl && <QrCode value={done.lnurl} alt={done.lnurl} />}
          <p className="mono merchant-link">{done.lnurl ?? done.link}</p>
          {!done.autoApproved && <p className="hint">{t('merchant.refund.needsApproval')}</p>}
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t('common.back')}
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={submit}>
          <fieldset className="stack">
            <legend>{t('merchant.refund.variant')}</legend>
            {VARIANTS.map((v) => (
              <label key={v} className="radio">
                <input type="radio" name="variant" checked={variant === v} onChange={() => setVariant(v)} />
                {t(`merchant.refund.${v}`, { currency: row.currency })}
              </label>
            ))}
          </fieldset>
          {variant === 'Custom' && (
            <div className="actions">
              <label className="field">
                <span>{t('merchant.refund.customAmount')}</span>
                <input
                  inputMode="decimal"
                  value={customAmount}
                  onChange={(e) => setCustomAmount(e.target.value)}
                />
              </label>
              <label className="field">
                <span>{t('merchant.refund.customCurrency')}</span>
                <input
                  value={customCurrency}
                  onChange={(e) => setCustomCurrency(e.target.value.toUpperCase())}
                />
              </label>
            </div>
          )}
          <ErrorAlert error={refund.error} />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={refund.busy}>
              {t('merchant.refund.submit')}
            </button>
            <button type="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
