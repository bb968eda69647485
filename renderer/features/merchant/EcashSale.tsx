import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { EcashRequest, EcashSale } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { QrCode } from '../../components/QrCode';
import { playCounterSound } from './counter-sounds';
import { useT } from '../../i18n';

/**
 * A sale paid in eCash while BTCPay is out of reach: the NUT-18 request's QR, the customer's
 * token pasted or scanned, the risk in words, then "Paid in eCash" and the claim as it happens.
 */
export function EcashSaleScreen({ request, onDone }: { request: EcashRequest; onDone: () => void }) {
  const t = useT();
  const flash = useFlash();
  const [token, setToken] = useState('');
  const [sale, setSale] = useState<EcashSale | null>(null);
  useFlashEvent('merchant.ecashSale', (next) => {
    if (next.id !== request.requestId) return;
    if (next.state === 'failed') playCounterSound('refused');
    setSale(next);
  });
  const accept = useAction(
    useCallback(
      (text: string) => flash.merchant.ecashAccept({ requestId: request.requestId, token: text }),
      [flash, request.requestId],
    ),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await accept.run(token.trim());
    playCounterSound(done ? 'paid' : 'refused');
    if (done) setSale((prev) => (prev?.state === 'claimed' ? prev : done));
  };
  const priced = t('merchant.ecash.priced', {
    amount: request.amount,
    currency: request.currency,
    sats: request.sats,
    rate: request.rate,
    age: request.rateAt ? new Date(request.rateAt).toLocaleString() : '?',
  });

  if (sale) {
    return (
      <section
        className={`merchant-sale card stack merchant-tone-${sale.state === 'failed' ? 'bad' : 'ok'}`}
        aria-labelledby="merchant-ecash-state"
      >
        <p id="merchant-ecash-state" className="merchant-sale-state" role="status" aria-live="assertive">
          {sale.state === 'failed' ? t('merchant.ecash.state.failed') : t('merchant.ecash.paid')}
        </p>
        <p className="merchant-sale-amount">
          {sale.amount} {sale.currency}
        </p>
        <p className={`merchant-ecash-state merchant-ecash-${sale.state}`}>
          {t(`merchant.ecash.state.${sale.state}`)}
        </p>
        {sale.state === 'toClaim' && <p>{t('merchant.ecash.recorded')}</p>}
        {sale.mintFeeSats > 0 && (
          <p className="hint">{t('merchant.ecash.mintFee', { sats: sale.mintFeeSats })}</p>
        )}
        {sale.receivedSats > sale.sats && (
          <p className="hint">{t('merchant.ecash.extra', { sats: sale.receivedSats - sale.sats })}</p>
        )}
        <div className="actions">
          <button type="button" className="button-primary" onClick={onDone}>
            {t('merchant.ecash.newSale')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="merchant-sale card stack" aria-labelledby="merchant-ecash-title">
      <h2 id="merchant-ecash-title">{t('merchant.ecash.title')}</h2>
      <p className="merchant-sale-amount">{priced}</p>
      <div className="merchant-qr merchant-ecash-qr stack">
        <QrCode value={request.request} alt={t('merchant.ecash.requestQr', { sats: request.sats })} />
        <p className="hint">{t('merchant.ecash.scan')}</p>
        <p className="hint mono merchant-link">
          {t('merchant.ecash.mints', { mints: request.mints.join(', ') })}
        </p>
      </div>
      <p className="alert alert-warning merchant-ecash-risk">{t('merchant.ecash.risk')}</p>
      <form className="stack merchant-ecash-form" onSubmit={submit}>
        <label className="stack">
          {t('merchant.ecash.token')}
          <textarea
            className="mono"
            rows={3}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            spellCheck={false}
          />
        </label>
        <div className="actions">
          <button type="submit" className="button-primary" disabled={token.trim().length < 10 || accept.busy}>
            {t('merchant.ecash.accept')}
          </button>
          <button type="button" onClick={onDone}>
            {t('merchant.ecash.cancel')}
          </button>
        </div>
        <ErrorAlert error={accept.error} />
      </form>
    </section>
  );
}

/** Sales → this counter's eCash sales (kept here, not on BTCPay), with their claim state live. */
export function EcashSalesList() {
  const t = useT();
  const flash = useFlash();
  const query = useQuery(useCallback(() => flash.merchant.ecashSales(), [flash]));
  const [sales, setSales] = useState<EcashSale[]>([]);
  useEffect(() => {
    if (query.value) setSales(query.value.sales);
  }, [query.value]);
  useFlashEvent('merchant.ecashSale', (next) =>
    setSales((list) =>
      list.some((s) => s.id === next.id) ? list.map((s) => (s.id === next.id ? next : s)) : [next, ...list],
    ),
  );
  if (sales.length === 0 && !query.error) return null;
  return (
    <section className="card stack" aria-labelledby="merchant-ecash-sales-title">
      <h2 id="merchant-ecash-sales-title">{t('merchant.ecash.salesTitle')}</h2>
      <p className="hint">{t('merchant.ecash.salesHint')}</p>
      <ErrorAlert error={query.error} />
      <ul className="merchant-history merchant-ecash-sales">
        {sales.map((s) => (
          <li key={s.id}>
            <span>{new Date(s.createdAt).toLocaleString()}</span>
            <span>
              {t('merchant.ecash.saleRow', {
                amount: s.amount,
                currency: s.currency,
                sats: s.receivedSats,
                mint: s.mintUrl,
              })}
              {s.mintFeeSats > 0 && ` · ${t('merchant.ecash.mintFee', { sats: s.mintFeeSats })}`}
            </span>
            <span className={`merchant-ecash-state merchant-ecash-${s.state}`}>
              {t(`merchant.ecash.state.${s.state}`)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
