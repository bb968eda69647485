import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import type { Network } from '../../../shared/contract/common';
import type {
  LightningPaymentView,
  ParsedPaymentView,
  PreparedLightningPayment,
} from '../../../shared/contract/lightning';
import { parseBitcoinUri } from '../../../shared/bitcoin/uri';
import type { PaymentUri } from '../../../shared/bitcoin/uri';
import { openSendFlow } from '../../app/send-navigation';
import { useFlash } from '../../app/flash-context';
import { useAction, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { Amount } from '../../components/Amount';
import { Field } from '../../components/Field';
import { useT } from '../../i18n';

function parse(uri: string, network: Network): PaymentUri | null {
  try {
    return parseBitcoinUri(uri, network);
  } catch {
    return null;
  }
}

/**
 * A BIP21 payment request found in a chat message. "Pay" opens the wallet's Send form with the
 * address and amount filled in; nothing is sent until the user reviews and confirms there.
 */
export function PayCard({ uri, network }: { uri: string; network: Network }) {
  const t = useT();
  const parsed = parse(uri, network);
  if (!parsed || !parsed.address) {
    return <p className="hint msg-pay-invalid">{t('messages.pay.invalid')}</p>;
  }
  const address = parsed.address.address;
  return (
    <section className="msg-pay" aria-label={t('messages.pay.title')}>
      <p className="msg-pay-title">{t('messages.pay.title')}</p>
      <dl className="msg-pay-facts">
        <div>
          <dt>{t('messages.pay.address')}</dt>
          <dd className="mono">{address}</dd>
        </div>
        <div>
          <dt>{t('messages.pay.amount')}</dt>
          <dd>
            {parsed.amountSats !== null ? <Amount sats={parsed.amountSats} /> : t('messages.pay.anyAmount')}
          </dd>
        </div>
      </dl>
      {parsed.message && <p className="hint">{t('messages.pay.note', { text: parsed.message })}</p>}
      <div className="actions">
        <button
          type="button"
          className="button-primary"
          onClick={() => openSendFlow({ address, sats: parsed.amountSats })}
        >
          {t('messages.pay.button')}
        </button>
      </div>
    </section>
  );
}

/** Whole sats of a msat decimal string, rounded up (what the user pays is never understated). */
function satsOf(msat: string): number {
  return Number((BigInt(msat) + 999n) / 1000n);
}

/**
 * An invoice found in a chat message (BOLT11, or a BOLT12 offer this card names as unsupported):
 * main decodes it without asking any server, so the card can show it at once. Lightning addresses
 * and LNURLs are never given to this card: they wait for Open (LightningAddressCard,
 * LnurlLinkCard). The form shows the price with the fee and pays only when the user confirms,
 * through the Lightning service (journaled like any payment).
 */
export function LightningPayCard({ text }: { text: string }) {
  const t = useT();
  const flash = useFlash();
  const load = useCallback(() => flash.lightning.parse({ text }), [flash, text]);
  const parsed = useQuery(load);
  const view = parsed.value;
  if (parsed.error) return <p className="hint msg-pay-invalid">{t('lnpay.invalid')}</p>;
  if (!view) return null;
  if (view.kind !== 'bolt11' && view.kind !== 'lnurl-pay')
    return <p className="hint msg-pay-invalid">{t('lnpay.unsupported')}</p>;
  return <LightningPayForm text={text} view={view} />;
}

export type PayableView = Extract<ParsedPaymentView, { kind: 'bolt11' | 'lnurl-pay' }>;

/** The pay form of a BOLT11 invoice or an LNURL-pay link main has already described. */
export function LightningPayForm({ text, view }: { text: string; view: PayableView }) {
  const t = useT();
  const flash = useFlash();
  const [sats, setSats] = useState('');
  const [comment, setComment] = useState('');
  const prepare = useAction(
    useCallback(
      (amountMsat: string | undefined, note: string) =>
        flash.lightning.prepare({
          text,
          ...(amountMsat ? { amountMsat } : {}),
          ...(note ? { comment: note } : {}),
        }),
      [flash, text],
    ),
  );
  const confirm = useAction(
    useCallback((prepareId: string) => flash.lightning.confirm({ prepareId }), [flash]),
  );
  const [prepared, setPrepared] = useState<PreparedLightningPayment | null>(null);
  const [paid, setPaid] = useState<LightningPaymentView | null>(null);
  const fixedMsat = view.kind === 'bolt11' ? view.amountMsat : null;
  const needsAmount = fixedMsat === null;
  const commentAllowed = view.kind === 'lnurl-pay' ? view.pay.commentAllowed : 0;
  const amount = Number(sats);
  const amountOk = !needsAmount || (Number.isSafeInteger(amount) && amount > 0);
  const expired = view.kind === 'bolt11' && view.expired;

  const review = async (e: FormEvent) => {
    e.preventDefault();
    if (!amountOk) return;
    const out = await prepare.run(needsAmount ? String(BigInt(amount) * 1000n) : undefined, comment.trim());
    if (out) setPrepared(out);
  };

  return (
    <section className="msg-pay msg-pay-ln" aria-label={t('lnpay.title')}>
      <p className="msg-pay-title">{t('lnpay.title')}</p>
      <dl className="msg-pay-facts">
        {view.kind === 'lnurl-pay' && (
          <div>
            <dt>{t('lnpay.to')}</dt>
            <dd className="mono">{view.address ?? view.pay.domain}</dd>
          </div>
        )}
        <div>
          <dt>{t('messages.pay.amount')}</dt>
          <dd>{fixedMsat !== null ? <Amount sats={satsOf(fixedMsat)} /> : t('messages.pay.anyAmount')}</dd>
        </div>
        {view.kind === 'bolt11' && view.description && (
          <div>
            <dt>{t('lnpay.description')}</dt>
            <dd>{view.description}</dd>
          </div>
        )}
        {view.kind === 'lnurl-pay' && (
          <div>
            <dt>{t('lnpay.description')}</dt>
            <dd>{view.pay.description}</dd>
          </div>
        )}
        {view.kind === 'bolt11' && (
          <div>
            <dt>{t('lnpay.expires')}</dt>
            <dd>{new Date(view.expiresAt * 1000).toLocaleString()}</dd>
          </div>
        )}
      </dl>
      {expired && <p className="alert alert-error">{t('lnpay.expired')}</p>}
      {paid ? (
        <p role="status" className="alert alert-ok">
          {paid.state === 'succeeded'
            ? t('lnpay.paid', { sats: satsOf(paid.amountMsat), fee: satsOf(paid.feeMsat) })
            : paid.state === 'failed'
              ? t('lnpay.failed')
              : t('lnpay.inFlight')}
        </p>
      ) : prepared ? (
        <div className="stack">
          <p>
            {t(prepared.feeIsLimit ? 'lnpay.priceLimit' : 'lnpay.price', {
              sats: satsOf(prepared.amountMsat),
              fee: satsOf(prepared.feeMsat),
            })}
          </p>
          <ErrorAlert error={confirm.error} />
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={confirm.busy}
              onClick={() => void confirm.run(prepared.prepareId).then((p) => p && setPaid(p))}
            >
              {t('lnpay.confirm', { sats: satsOf(prepared.amountMsat) })}
            </button>
            <button type="button" onClick={() => setPrepared(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        !expired && (
          <form className="stack" onSubmit={review}>
            {needsAmount && (
              <Field
                label={t('lnpay.amount')}
                inputMode="numeric"
                value={sats}
                onChange={(e) => setSats(e.target.value.replace(/[^\d]/g, ''))}
                required
              />
            )}
            {commentAllowed > 0 && (
              <Field
                label={t('lnpay.comment')}
                maxLength={commentAllowed}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
              />
            )}
            <ErrorAlert error={prepare.error} />
            <div className="actions">
              <button type="submit" className="button-primary" disabled={!amountOk || prepare.busy}>
                {t('lnpay.review')}
              </button>
            </div>
          </form>
        )
      )}
    </section>
  );
}
