import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type {
  FeeQuoteView,
  OnchainReceiveView,
  PreparedOnchainSend,
  RefundableSwapView,
  SwapLimitsView,
} from '../../../../shared/contract/lightning-swaps';
import type { LightningPaymentView } from '../../../../shared/contract/lightning';
import { formatSats, parseSats } from '../../../../shared/money';
import { useFlash } from '../../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../../app/hooks';
import { ErrorAlert } from '../../../components/Alert';
import { CopyButton } from '../../../components/CopyButton';
import { Field } from '../../../components/Field';
import { QrCode } from '../../../components/QrCode';
import { useI18n } from '../../../i18n';
import { formatMsatAsSats, shortHex } from '../format';

/**
 * Breez's swaps between the Lightning balance and Bitcoin addresses: receiving to an address and
 * paying one (limits and fees shown before anything moves), refunding swaps that failed, and
 * accepting a swap's changed fee. Shown only while a wallet with swaps is connected.
 */
export function BreezSwaps({ walletId }: { walletId: string | null }) {
  const { t } = useI18n();
  const flash = useFlash();
  const limits = useQuery(useCallback(() => flash.lightning.swapLimits({}), [flash]));
  useFlashEvent('lightning.providers', () => limits.reload());
  const l = limits.value;
  if (!l) return null;
  return (
    <section className="card stack breez-swaps" aria-labelledby="breez-swaps-title">
      <h2 id="breez-swaps-title">{t('breez.swaps.title')}</h2>
      <p className="hint">{t('breez.swaps.intro')}</p>
      <ReceiveToAddress limits={l} />
      <PayToAddress limits={l} />
      <FeeDecisions />
      <Refunds walletId={walletId} />
    </section>
  );
}

function useSats() {
  const { t, separators } = useI18n();
  return (sats: number) => t('amount.sats', { value: formatSats(BigInt(sats), { separators }) });
}

function ReceiveToAddress({ limits }: { limits: SwapLimitsView }) {
  const { t } = useI18n();
  const sats = useSats();
  const flash = useFlash();
  const [amountText, setAmountText] = useState('');
  const [swap, setSwap] = useState<OnchainReceiveView | null>(null);
  const create = useAction(
    useCallback(
      (amountSats: number | null) =>
        flash.lightning.receiveOnchain({
          providerId: limits.providerId,
          ...(amountSats !== null ? { amountSats } : {}),
        }),
      [flash, limits.providerId],
    ),
  );
  const amount = amountText.trim() === '' ? null : parseSats(amountText);
  const bad = amountText.trim() !== '' && (amount === null || amount <= 0);
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await create.run(amount);
    if (out) setSwap(out);
  };
  const range = limits.onchain?.receive;
  return (
    <div className="stack breez-in" aria-labelledby="breez-in-title">
      <h3 id="breez-in-title">{t('breez.in.title')}</h3>
      {range && (
        <p className="hint">{t('breez.limits', { min: sats(range.minSats), max: sats(range.maxSats) })}</p>
      )}
      {!swap ? (
        <form className="stack" onSubmit={onSubmit}>
          <Field
            label={t('breez.in.amount')}
            inputMode="numeric"
            value={amountText}
            aria-invalid={bad}
            onChange={(e) => setAmountText(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="button-primary" disabled={create.busy || bad}>
              {t('breez.in.create')}
            </button>
          </div>
          <ErrorAlert error={create.error} />
        </form>
      ) : (
        <div className="receive" data-testid="breez-in-swap">
          <QrCode value={swap.bip21} alt={t('breez.in.qrAlt')} />
          <div className="receive-details stack">
            {swap.amountSats !== null && <p className="amount">{sats(swap.amountSats)}</p>}
            <p className="address mono" data-testid="breez-in-address">
              {swap.address}
            </p>
            <p data-testid="breez-in-fee">
              {swap.amountSats === null && swap.feeRatePercent !== null
                ? t('breez.in.feeRate', { fee: sats(swap.feeSats), percent: String(swap.feeRatePercent) })
                : t('breez.in.fee', { fee: sats(swap.feeSats) })}
            </p>
            {swap.amountSats !== null && (
              <p>{t('breez.in.receive', { amount: sats(Math.max(0, swap.amountSats - swap.feeSats)) })}</p>
            )}
            <p className="hint">
              {t('breez.in.limits', { min: sats(swap.minSats), max: sats(swap.maxSats) })}
            </p>
            <p role="status">{t('breez.in.waiting')}</p>
            <div className="actions">
              <CopyButton text={swap.address} label={t('breez.in.copy')} />
              <button
                type="button"
                onClick={() => {
                  setSwap(null);
                  setAmountText('');
                }}
              >
                {t('breez.in.new')}
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}

function PayToAddress({ limits }: { limits: SwapLimitsView }) {
  const { t } = useI18n();
  const sats = useSats();
  const flash = useFlash();
  const [address, setAddress] = useState('');
  const [amountText, setAmountText] = useState('');
  const [quote, setQuote] = useState<PreparedOnchainSend | null>(null);
  const [sent, setSent] = useState(false);
  const prepare = useAction(
    useCallback(
      (to: string, amountSats: number) =>
        flash.lightning.prepareOnchainSend({ providerId: limits.providerId, address: to, amountSats }),
      [flash, limits.providerId],
    ),
  );
  const confirm = useAction(
    useCallback((prepareId: string) => flash.lightning.confirmOnchainSend({ prepareId }), [flash]),
  );
  const amount = parseSats(amountText);
  const range = limits.onchain?.send;
  const onReview = async (e: FormEvent) => {
    e.preventDefault();
    if (amount === null || amount <= 0) return;
    setSent(false);
    const out = await prepare.run(address.trim(), amount);
    if (out) setQuote(out);
  };
  return (
    <div className="stack breez-out" aria-labelledby="breez-out-title">
      <h3 id="breez-out-title">{t('breez.out.title')}</h3>
      {range && (
        <p className="hint">{t('breez.limits', { min: sats(range.minSats), max: sats(range.maxSats) })}</p>
      )}
      {!quote ? (
        <form className="stack" onSubmit={onReview}>
          <Field
            label={t('breez.out.address')}
            className="mono"
            spellCheck={false}
            autoComplete="off"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            required
          />
          <Field
            label={t('breez.out.amount')}
            inputMode="numeric"
            value={amountText}
            onChange={(e) => setAmountText(e.target.value)}
            required
          />
          <div className="actions">
            <button
              type="submit"
              className="button-primary"
              disabled={prepare.busy || amount === null || amount <= 0}
            >
              {t('breez.out.review')}
            </button>
          </div>
          <ErrorAlert error={prepare.error} />
          {sent && (
            <p className="alert alert-ok" role="status">
              {t('breez.out.sent')}
            </p>
          )}
        </form>
      ) : (
        <div className="stack" data-testid="breez-out-review">
          <dl className="ln-review">
            <dt>{t('breez.out.address')}</dt>
            <dd className="mono">{quote.address}</dd>
            <dt>{t('breez.out.arrives')}</dt>
            <dd>{sats(quote.amountSats)}</dd>
            <dt>{t('breez.out.fee')}</dt>
            <dd data-testid="breez-out-fee">{sats(quote.feeSats)}</dd>
            <dt>{t('breez.out.total')}</dt>
            <dd>
              <strong>{sats(quote.totalSats)}</strong>
            </dd>
          </dl>
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={confirm.busy}
              onClick={() =>
                void confirm.run(quote.prepareId).then((out) => {
                  if (!out) return;
                  setQuote(null);
                  setAddress('');
                  setAmountText('');
                  setSent(true);
                })
              }
            >
              {t('breez.out.confirm')}
            </button>
            <button type="button" onClick={() => setQuote(null)}>
              {t('breez.out.cancel')}
            </button>
          </div>
          <ErrorAlert error={confirm.error} />
        </div>
      )}
    </div>
  );
}

/** Incoming swaps whose fee changed: the user sees the new fee and accepts it, or not. */
function FeeDecisions() {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const payments = useQuery(useCallback(() => flash.lightning.listPayments({ limit: 200 }), [flash]));
  useFlashEvent('lightning.payment', () => payments.reload());
  const waiting = (payments.value ?? []).filter((p) => p.state === 'waiting-fee-acceptance');
  if (waiting.length === 0) return null;
  return (
    <div className="stack breez-fees" aria-labelledby="breez-fees-title">
      <h3 id="breez-fees-title">{t('breez.fees.title')}</h3>
      <p className="hint">{t('breez.fees.what')}</p>
      <ul className="ln-providers">
        {waiting.map((p) => (
          <FeeDecision key={p.id} payment={p} amount={formatMsatAsSats(p.amountMsat, separators)} />
        ))}
      </ul>
    </div>
  );
}

function FeeDecision({ payment, amount }: { payment: LightningPaymentView; amount: string }) {
  const { t } = useI18n();
  const sats = useSats();
  const flash = useFlash();
  const [quote, setQuote] = useState<FeeQuoteView | null>(null);
  const [accepted, setAccepted] = useState(false);
  const review = useAction(
    useCallback(() => flash.lightning.feeQuote({ paymentId: payment.id }), [flash, payment.id]),
  );
  const accept = useAction(
    useCallback(() => flash.lightning.acceptFee({ paymentId: payment.id }), [flash, payment.id]),
  );
  return (
    <li className="ln-provider" data-testid="breez-fee-decision">
      <p>{t('breez.fees.item', { amount: t('amount.sats', { value: amount }) })}</p>
      {quote ? (
        <dl className="ln-review">
          <dt>{t('breez.fees.paid')}</dt>
          <dd>{sats(quote.payerAmountSats)}</dd>
          <dt>{t('breez.fees.fee')}</dt>
          <dd data-testid="breez-fee-new">{sats(quote.feeSats)}</dd>
          <dt>{t('breez.fees.receive')}</dt>
          <dd>
            <strong>{sats(quote.receiverAmountSats)}</strong>
          </dd>
        </dl>
      ) : null}
      <div className="actions">
        {!quote ? (
          <button
            type="button"
            className="button-small"
            disabled={review.busy}
            onClick={() => void review.run().then((q) => q && setQuote(q))}
          >
            {t('breez.fees.review')}
          </button>
        ) : (
          !accepted && (
            <button
              type="button"
              className="button-primary"
              disabled={accept.busy}
              onClick={() => void accept.run().then((out) => out && setAccepted(true))}
            >
              {t('breez.fees.accept')}
            </button>
          )
        )}
      </div>
      {accepted && (
        <p className="alert alert-ok" role="status">
          {t('breez.fees.accepted')}
        </p>
      )}
      <ErrorAlert error={review.error ?? accept.error} />
    </li>
  );
}

function Refunds({ walletId }: { walletId: string | null }) {
  const { t } = useI18n();
  const flash = useFlash();
  const list = useQuery(useCallback(() => flash.lightning.listRefundables({}), [flash]));
  useFlashEvent('lightning.payment', () => list.reload());
  const overview = useQuery(
    useCallback(
      () =>
        walletId
          ? flash.wallet.getOverview({ walletId })
          : Promise.resolve({ ok: true as const, value: null }),
      [flash, walletId],
    ),
  );
  const items = list.value ?? [];
  return (
    <div className="stack breez-refunds" aria-labelledby="breez-refunds-title">
      <h3 id="breez-refunds-title">{t('breez.refunds.title')}</h3>
      <ErrorAlert error={list.error} />
      {items.length === 0 ? (
        <p className="hint">{t('breez.refunds.none')}</p>
      ) : (
        <>
          <p className="hint">{t('breez.refunds.what')}</p>
          <ul className="ln-providers">
            {items.map((r) => (
              <Refund key={r.swapAddress} swap={r} defaultTo={overview.value?.receive.address ?? ''} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Refund({ swap, defaultTo }: { swap: RefundableSwapView; defaultTo: string }) {
  const { t } = useI18n();
  const sats = useSats();
  const flash = useFlash();
  const [to, setTo] = useState(defaultTo);
  const [rateText, setRateText] = useState('2');
  const [preview, setPreview] = useState<{ feeSats: number; receiveSats: number } | null>(null);
  const [txid, setTxid] = useState<string | null>(null);
  type RefundInput = Parameters<typeof flash.lightning.refund>[0];
  const input = (): RefundInput => ({
    providerId: swap.providerId,
    swapAddress: swap.swapAddress,
    toAddress: (to || defaultTo).trim(),
    feeRateSatPerVb: Number(rateText),
  });
  const prepare = useAction(useCallback((i: RefundInput) => flash.lightning.prepareRefund(i), [flash]));
  const refund = useAction(useCallback((i: RefundInput) => flash.lightning.refund(i), [flash]));
  const badRate = !(Number(rateText) >= 1);
  return (
    <li className="ln-provider stack" data-testid="breez-refundable">
      <p>{t('breez.refunds.item', { amount: sats(swap.amountSats), address: shortHex(swap.swapAddress) })}</p>
      {swap.lastRefundTxid && (
        <p className="hint">{t('breez.refunds.again', { txid: shortHex(swap.lastRefundTxid) })}</p>
      )}
      <Field
        label={t('breez.refunds.to')}
        className="mono"
        spellCheck={false}
        value={to || defaultTo}
        onChange={(e) => {
          setTo(e.target.value);
          setPreview(null);
        }}
      />
      <Field
        label={t('breez.refunds.feeRate')}
        inputMode="decimal"
        value={rateText}
        aria-invalid={badRate}
        onChange={(e) => {
          setRateText(e.target.value);
          setPreview(null);
        }}
      />
      {preview && (
        <p data-testid="breez-refund-preview">
          {t('breez.refunds.fee', { fee: sats(preview.feeSats), amount: sats(preview.receiveSats) })}
        </p>
      )}
      <div className="actions">
        {!preview ? (
          <button
            type="button"
            className="button-small"
            disabled={prepare.busy || badRate}
            onClick={() => void prepare.run(input()).then((p) => p && setPreview(p))}
          >
            {t('breez.refunds.preview')}
          </button>
        ) : (
          <button
            type="button"
            className="button-primary"
            disabled={refund.busy || txid !== null}
            onClick={() => void refund.run(input()).then((r) => r && setTxid(r.txid))}
          >
            {t('breez.refunds.confirm')}
          </button>
        )}
      </div>
      {txid && (
        <p className="alert alert-ok" role="status">
          {t('breez.refunds.sent', { txid: shortHex(txid) })}
        </p>
      )}
      <ErrorAlert error={prepare.error ?? refund.error} />
    </li>
  );
}
