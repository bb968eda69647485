import { useCallback, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type {
  LightningPaymentView,
  ParsedPaymentView,
  PreparedLightningPayment,
} from '../../../shared/contract/lightning';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent } from '../../app/hooks';
import { openSendFlow } from '../../app/send-navigation';
import { Alert, ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { Field } from '../../components/Field';
import { ScanButton } from '../scan/ScanButton';
import { useFormatDateTime, useI18n } from '../../i18n';
import { FAILURE_ERROR, formatMsatAsSats, satsTextToMsat, shortHex } from './format';

/**
 * The one pay box: whatever is pasted or scanned goes to main's parser (lightning.parse), and what
 * it understood is shown — amount, description, payee, expiry — before anything is priced; the
 * priced payment (amount, fee limit, total) is shown again before "Pay now". Nothing moves until
 * then. LNURL-withdraw and login links get their own confirmations; on-chain goes to Send.
 */
export function PayBox() {
  const { t, separators } = useI18n();
  const flash = useFlash();
  const inputId = useId();
  const [text, setText] = useState('');
  const [parsed, setParsed] = useState<ParsedPaymentView | null>(null);
  const [amountText, setAmountText] = useState('');
  const [comment, setComment] = useState('');
  const [prepared, setPrepared] = useState<PreparedLightningPayment | null>(null);
  const [payment, setPayment] = useState<LightningPaymentView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const sats = (msat: string) => t('amount.sats', { value: formatMsatAsSats(msat, separators) });

  const parse = useAction(useCallback((s: string) => flash.lightning.parse({ text: s }), [flash]));
  const prepare = useAction(
    useCallback(
      (input: { text: string; amountMsat?: string; comment?: string }) => flash.lightning.prepare(input),
      [flash],
    ),
  );
  const confirm = useAction(useCallback((id: string) => flash.lightning.confirm({ prepareId: id }), [flash]));
  const withdraw = useAction(
    useCallback(
      (s: string, amountMsat: string) => flash.lightning.withdraw({ text: s, amountMsat }),
      [flash],
    ),
  );
  const auth = useAction(useCallback((s: string) => flash.lightning.auth({ text: s }), [flash]));

  // The payment keeps changing after "Pay now" (pending, then paid or failed): follow it.
  useFlashEvent('lightning.payment', (p) => {
    if (payment && p.id === payment.id) setPayment(p);
  });
  const [withdrawing, setWithdrawing] = useState<{ paymentId: string; domain: string } | null>(null);
  useFlashEvent('lightning.payment', (p) => {
    if (withdrawing && p.id === withdrawing.paymentId && p.state === 'succeeded') {
      setNotice(t('ln.withdraw.done', { amount: sats(p.amountMsat), domain: withdrawing.domain }));
      setWithdrawing(null);
    }
  });

  const reset = () => {
    setText('');
    setParsed(null);
    setPrepared(null);
    setPayment(null);
    setAmountText('');
    setComment('');
    setNotice(null);
    setWithdrawing(null);
    parse.clearError();
    prepare.clearError();
    confirm.clearError();
  };

  const onRead = async (e: FormEvent) => {
    e.preventDefault();
    setPrepared(null);
    setPayment(null);
    setNotice(null);
    const out = await parse.run(text.trim());
    if (out) setParsed(out);
  };

  const amountMsat = satsTextToMsat(amountText);
  const needsAmount =
    parsed !== null &&
    ((parsed.kind === 'bolt11' && parsed.amountMsat === null) ||
      (parsed.kind === 'bolt12' && parsed.amountMsat === null) ||
      parsed.kind === 'lnurl-pay' ||
      parsed.kind === 'lnurl-withdraw');

  const onReview = async (e: FormEvent) => {
    e.preventDefault();
    const out = await prepare.run({
      text: text.trim(),
      ...(needsAmount && amountMsat ? { amountMsat } : {}),
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    });
    if (out) setPrepared(out);
  };

  if (payment) return <PaymentResult payment={payment} parsed={parsed} onAnother={reset} />;

  return (
    <section className="card stack" aria-labelledby="ln-pay-title">
      <h2 id="ln-pay-title">{t('ln.tabs.pay')}</h2>
      <form className="stack" onSubmit={onRead}>
        <div className="field">
          <label htmlFor={inputId}>{t('ln.pay.label')}</label>
          <textarea
            id={inputId}
            className="mono"
            rows={3}
            value={text}
            placeholder={t('ln.pay.placeholder')}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              setText(e.target.value);
              setParsed(null);
              setPrepared(null);
            }}
          />
          <ScanButton
            onText={(scanned) => {
              setText(scanned);
              setParsed(null);
              setPrepared(null);
            }}
          />
        </div>
        {!parsed && (
          <div className="actions">
            <button type="submit" className="button-primary" disabled={parse.busy || text.trim() === ''}>
              {t('ln.pay.read')}
            </button>
          </div>
        )}
        <ErrorAlert error={parse.error} />
      </form>

      {parsed && !prepared && (
        <form className="stack" onSubmit={onReview} aria-label={t('ln.pay.review')}>
          <ParsedDetails parsed={parsed} />
          {needsAmount && (
            <Field
              label={t('ln.pay.amountSats')}
              inputMode="numeric"
              value={amountText}
              onChange={(e) => setAmountText(e.target.value)}
              hint={
                parsed.kind === 'lnurl-pay'
                  ? t('ln.pay.amountRange', {
                      min: sats(parsed.pay.minSendableMsat),
                      max: sats(parsed.pay.maxSendableMsat),
                    })
                  : parsed.kind === 'lnurl-withdraw'
                    ? t('ln.pay.amountRange', {
                        min: sats(parsed.withdraw.minWithdrawableMsat),
                        max: sats(parsed.withdraw.maxWithdrawableMsat),
                      })
                    : t('ln.pay.anyAmount')
              }
            />
          )}
          {parsed.kind === 'lnurl-pay' && parsed.pay.commentAllowed > 0 && (
            <Field
              label={t('ln.pay.comment', { max: parsed.pay.commentAllowed })}
              value={comment}
              maxLength={parsed.pay.commentAllowed}
              onChange={(e) => setComment(e.target.value)}
            />
          )}
          {notice && (
            <p role="status" className="alert alert-ok">
              {notice}
            </p>
          )}
          {withdrawing && <p role="status">{t('ln.withdraw.waiting', { domain: withdrawing.domain })}</p>}
          <div className="actions">
            {parsed.kind === 'onchain' ? (
              <button
                type="button"
                className="button-primary"
                disabled={!parsed.address}
                onClick={() =>
                  parsed.address && openSendFlow({ address: parsed.address, sats: parsed.amountSats })
                }
              >
                {t('ln.pay.openSend')}
              </button>
            ) : parsed.kind === 'lnurl-withdraw' ? (
              <button
                type="button"
                className="button-primary"
                disabled={withdraw.busy || !amountMsat || withdrawing !== null || notice !== null}
                onClick={async () => {
                  if (!amountMsat) return;
                  const out = await withdraw.run(text.trim(), amountMsat);
                  if (out) setWithdrawing({ paymentId: out.paymentId, domain: parsed.withdraw.domain });
                }}
              >
                {t('ln.withdraw.submit')}
              </button>
            ) : parsed.kind === 'lnurl-auth' ? (
              <button
                type="button"
                className="button-primary"
                disabled={auth.busy || notice !== null}
                onClick={async () => {
                  const out = await auth.run(text.trim());
                  if (out) setNotice(t('ln.auth.done', { domain: out.domain }));
                }}
              >
                {t('ln.auth.submit')}
              </button>
            ) : (
              <button
                type="submit"
                className="button-primary"
                disabled={
                  prepare.busy || (parsed.kind === 'bolt11' && parsed.expired) || (needsAmount && !amountMsat)
                }
              >
                {t('ln.pay.review')}
              </button>
            )}
            <button type="button" onClick={reset}>
              {t('common.cancel')}
            </button>
          </div>
          <ErrorAlert error={prepare.error ?? withdraw.error ?? auth.error} />
        </form>
      )}

      {prepared && (
        <div className="stack" aria-label={t('ln.pay.review')}>
          <dl className="facts">
            <dt>{t('ln.pay.amount')}</dt>
            <dd className="amount">{sats(prepared.amountMsat)}</dd>
            <dt>{t('ln.pay.fee')}</dt>
            <dd>
              {prepared.feeIsLimit
                ? t('ln.pay.feeLimit', { amount: sats(prepared.feeMsat) })
                : t('ln.pay.feeEstimate', { amount: sats(prepared.feeMsat) })}
            </dd>
            <dt>{t('ln.pay.total')}</dt>
            <dd className="amount">
              {sats((BigInt(prepared.amountMsat) + BigInt(prepared.feeMsat)).toString())}
            </dd>
            {prepared.description && (
              <>
                <dt>{t('ln.pay.description')}</dt>
                <dd>{prepared.description}</dd>
              </>
            )}
            {prepared.payee && (
              <>
                <dt>{t('ln.pay.payee')}</dt>
                <dd className="mono">
                  {/^[0-9a-f]{66}$/.test(prepared.payee) ? shortHex(prepared.payee) : prepared.payee}
                </dd>
              </>
            )}
            {prepared.comment && (
              <>
                <dt>{t('ln.pay.commentLabel')}</dt>
                <dd>{prepared.comment}</dd>
              </>
            )}
            {prepared.expiresAt !== null && <ExpiryRow expiresAt={prepared.expiresAt} />}
          </dl>
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={confirm.busy}
              onClick={async () => {
                const out = await confirm.run(prepared.prepareId);
                if (out) setPayment(out);
              }}
            >
              {confirm.busy ? t('ln.pay.sending') : t('ln.pay.confirm')}
            </button>
            <button type="button" onClick={reset} disabled={confirm.busy}>
              {t('common.cancel')}
            </button>
          </div>
          <ErrorAlert error={confirm.error} />
        </div>
      )}
    </section>
  );
}

function ExpiryRow({ expiresAt }: { expiresAt: number }) {
  const { t } = useI18n();
  const formatDateTime = useFormatDateTime();
  return (
    <>
      <dt>{t('ln.pay.expires')}</dt>
      <dd>{formatDateTime(expiresAt)}</dd>
    </>
  );
}

/** What the parser found, before any pricing. */
function ParsedDetails({ parsed }: { parsed: ParsedPaymentView }) {
  const { t, separators } = useI18n();
  const sats = (msat: string) => t('amount.sats', { value: formatMsatAsSats(msat, separators) });
  switch (parsed.kind) {
    case 'bolt11':
      return (
        <div className="stack">
          <h3>{t('ln.pay.kind.bolt11')}</h3>
          {parsed.onchain && <p className="hint">{t('ln.pay.unified')}</p>}
          <dl className="facts">
            <dt>{t('ln.pay.amount')}</dt>
            <dd className="amount">{parsed.amountMsat ? sats(parsed.amountMsat) : t('ln.pay.anyAmount')}</dd>
            <dt>{t('ln.pay.description')}</dt>
            <dd>
              {parsed.description ??
                (parsed.descriptionHash
                  ? t('ln.pay.descriptionHash', { hash: shortHex(parsed.descriptionHash) })
                  : '')}
            </dd>
            <dt>{t('ln.pay.payee')}</dt>
            <dd className="mono" title={parsed.payee}>
              {shortHex(parsed.payee)}
            </dd>
            <ExpiryRow expiresAt={parsed.expiresAt} />
          </dl>
          {parsed.expired && <Alert>{t('ln.pay.expired')}</Alert>}
        </div>
      );
    case 'bolt12':
      return (
        <div className="stack">
          <h3>{t('ln.pay.kind.bolt12')}</h3>
          <dl className="facts">
            <dt>{t('ln.pay.amount')}</dt>
            <dd className="amount">
              {parsed.amountMsat
                ? sats(parsed.amountMsat)
                : parsed.currency && parsed.currencyAmount
                  ? t('ln.pay.offerCurrency', { amount: parsed.currencyAmount, currency: parsed.currency })
                  : t('ln.pay.anyAmount')}
            </dd>
            {parsed.description && (
              <>
                <dt>{t('ln.pay.description')}</dt>
                <dd>{parsed.description}</dd>
              </>
            )}
            {parsed.issuer && (
              <>
                <dt>{t('ln.pay.issuer')}</dt>
                <dd>{parsed.issuer}</dd>
              </>
            )}
            {parsed.expiresAt !== null && <ExpiryRow expiresAt={parsed.expiresAt} />}
          </dl>
        </div>
      );
    case 'lnurl-pay':
      return (
        <div className="stack">
          <h3>
            {parsed.address
              ? t('ln.pay.kind.address', { address: parsed.address })
              : t('ln.pay.kind.lnurl-pay')}
          </h3>
          <div className="ln-lnurl">
            {parsed.pay.image && (
              <img className="ln-lnurl-image" src={parsed.pay.image} alt="" width={64} height={64} />
            )}
            <dl className="facts">
              <dt>{t('ln.pay.service')}</dt>
              <dd>{parsed.pay.domain}</dd>
              <dt>{t('ln.pay.description')}</dt>
              <dd>{parsed.pay.description}</dd>
              {parsed.pay.longDescription && (
                <>
                  <dt />
                  <dd className="hint">{parsed.pay.longDescription}</dd>
                </>
              )}
            </dl>
          </div>
        </div>
      );
    case 'lnurl-withdraw':
      return (
        <div className="stack">
          <h3>{t('ln.withdraw.title', { domain: parsed.withdraw.domain })}</h3>
          {parsed.withdraw.defaultDescription && <p>{parsed.withdraw.defaultDescription}</p>}
        </div>
      );
    case 'lnurl-auth':
      return (
        <div className="stack">
          <h3>
            {parsed.auth.action
              ? t(`ln.auth.action.${parsed.auth.action}`, { domain: parsed.auth.domain })
              : t('ln.auth.title', { domain: parsed.auth.domain })}
          </h3>
          <p className="hint">{t('ln.auth.explain')}</p>
        </div>
      );
    case 'onchain':
      return (
        <div className="stack">
          <h3>{t('ln.pay.kind.onchain')}</h3>
          <p>{t('ln.pay.onchain')}</p>
          {parsed.address && <p className="mono address">{parsed.address}</p>}
        </div>
      );
  }
}

/** After "Pay now": paid (with the success action), on its way, or failed. */
function PaymentResult({
  payment,
  parsed,
  onAnother,
}: {
  payment: LightningPaymentView;
  parsed: ParsedPaymentView | null;
  onAnother: () => void;
}) {
  const { t, separators } = useI18n();
  const sats = (msat: string) => t('amount.sats', { value: formatMsatAsSats(msat, separators) });
  const domain = parsed?.kind === 'lnurl-pay' ? parsed.pay.domain : (payment.counterparty ?? '');
  const action = payment.successAction;
  return (
    <section className="card stack" aria-labelledby="ln-paid-title" aria-live="polite">
      {payment.state === 'succeeded' ? (
        <>
          <h2 id="ln-paid-title">{t('ln.pay.succeeded', { amount: sats(payment.amountMsat) })}</h2>
          <p>{t('ln.pay.feePaid', { amount: sats(payment.feeMsat) })}</p>
          {action?.tag === 'message' && (
            <div className="alert alert-ok" role="status">
              <p className="label">{t('ln.pay.success.message', { domain })}</p>
              <p>{action.message}</p>
            </div>
          )}
          {action?.tag === 'url' && (
            <div className="alert alert-ok" role="status">
              <p className="label">{t('ln.pay.success.url', { domain })}</p>
              <p>{action.description}</p>
              <p className="mono">{action.url}</p>
              <CopyButton text={action.url} label={t('ln.receive.copyUri')} />
            </div>
          )}
          {action?.tag === 'aes' && (
            <div className="alert alert-ok" role="status">
              <p className="label">{t('ln.pay.success.aes', { domain })}</p>
              <p>{action.description}</p>
              <p className="mono">{action.plaintext ?? t('ln.pay.success.aesFailed')}</p>
            </div>
          )}
          {payment.preimage && (
            <details>
              <summary>{t('ln.pay.preimage')}</summary>
              <p className="mono">{payment.preimage}</p>
            </details>
          )}
        </>
      ) : payment.state === 'failed' ? (
        <>
          <h2 id="ln-paid-title">{t('ln.feed.status.failed')}</h2>
          <Alert>
            {t(`error.${payment.failure ? FAILURE_ERROR[payment.failure] : 'LIGHTNING_PROVIDER_ERROR'}`)}
          </Alert>
        </>
      ) : (
        <>
          <h2 id="ln-paid-title">{t('ln.pay.sending')}</h2>
          <p>{t('ln.pay.pending')}</p>
        </>
      )}
      <div className="actions">
        <button type="button" onClick={onAnother}>
          {t('ln.pay.another')}
        </button>
      </div>
    </section>
  );
}
