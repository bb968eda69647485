import { useCallback, useState } from 'react';
import type { ParsedPaymentView } from '../../../shared/contract/lightning';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent } from '../../app/hooks';
import { call } from '../../app/result';
import { Alert } from '../../components/Alert';
import { Amount } from '../../components/Amount';
import { useErrorText, useT } from '../../i18n';
import { claimAmountMsat, claimProblemOf, isFinalProblem } from './lnurl-claim';
import { OpenButton, useOpenOnPress } from './open-on-press';
import { LightningPayForm } from './PayCard';

type WithdrawView = Extract<ParsedPaymentView, { kind: 'lnurl-withdraw' }>;

/** Whole sats of a msat decimal string, rounded down (what the user gets is never overstated). */
function satsDown(msat: string): number {
  return Number(BigInt(msat) / 1000n);
}

/**
 * An LNURL in a chat message. It is only a web address of someone's server, so the card asks
 * nothing until the user presses Open: resolving it on display would tell that server (whoever
 * sent the message, a stranger included) this computer's IP address and that the message was read.
 * Once opened, main resolves it (the renderer's view is never trusted) and the card becomes what
 * it is: a claim for a withdraw link (a merchant's reward), the pay form for a payment link.
 */
export function LnurlLinkCard({ text, mine }: { text: string; mine: boolean }) {
  const t = useT();
  const open = useOpenOnPress(text);
  const { view } = open;

  if (view?.kind === 'lnurl-withdraw') return <WithdrawClaimCard text={text} view={view} />;
  if (view?.kind === 'lnurl-pay' || view?.kind === 'bolt11')
    return <LightningPayForm text={text} view={view} />;
  if (view) return <p className="hint msg-pay-invalid">{t('lnpay.unsupported')}</p>;
  // A link we sent (a merchant's reward "Send by NOSTR" shows in its own Messages too) is for the
  // recipient: offering Claim here would let the sender take back the reward by a mis-click.
  if (mine)
    return (
      <section className="msg-pay msg-pay-ln" aria-label={t('lnclaim.link.title')}>
        <p className="msg-pay-title">{t('lnclaim.link.title')}</p>
        <p className="hint">{t('lnclaim.link.sent')}</p>
      </section>
    );
  // Opening again helps when the service was unreachable, never for a spent or expired link.
  const final = open.error !== null && isFinalProblem(claimProblemOf(open.error).problem);
  return (
    <section className="msg-pay msg-pay-ln" aria-label={t('lnclaim.link.title')}>
      <p className="msg-pay-title">{t('lnclaim.link.title')}</p>
      <p className="hint">{t('lnclaim.link.privacy')}</p>
      {open.error && <ClaimProblemAlert error={open.error} />}
      {!final && <OpenButton busy={open.busy} onPress={open.press} />}
    </section>
  );
}

type ClaimState =
  | { step: 'ready' }
  | { step: 'waiting'; paymentId: string }
  | { step: 'claimed'; sats: number }
  | { step: 'unpaid' };

/**
 * "Claim N sats": the Lightning rail's LNURL-withdraw (lightning.withdraw), so the default
 * Lightning wallet makes the invoice and it is journaled before the service is called, exactly as
 * from Lightning → Pay. The service pays after answering OK, so the card follows the payment.
 */
function WithdrawClaimCard({ text, view }: { text: string; view: WithdrawView }) {
  const t = useT();
  const flash = useFlash();
  const { domain, defaultDescription, minWithdrawableMsat, maxWithdrawableMsat } = view.withdraw;
  const amountMsat = claimAmountMsat(minWithdrawableMsat, maxWithdrawableMsat);
  const [state, setState] = useState<ClaimState>({ step: 'ready' });
  const claim = useAction(
    useCallback((msat: string) => flash.lightning.withdraw({ text, amountMsat: msat }), [flash, text]),
  );

  const follow = (p: { id: string; state: string; amountMsat: string }) => {
    if (p.state === 'succeeded') setState({ step: 'claimed', sats: satsDown(p.amountMsat) });
    else if (p.state === 'failed') setState({ step: 'unpaid' });
  };
  useFlashEvent('lightning.payment', (p) => {
    if (state.step === 'waiting' && p.id === state.paymentId) follow(p);
  });

  const onClaim = async () => {
    if (!amountMsat) return;
    const out = await claim.run(amountMsat);
    if (!out) return;
    setState({ step: 'waiting', paymentId: out.paymentId });
    // A service may pay before it answers OK (BTCPay with instant payouts): the event can have
    // gone by already, so ask once for where the invoice stands.
    try {
      follow(await call(flash.lightning.getPayment({ id: out.paymentId })));
    } catch {
      // The event above still tells; the Lightning activity shows it too.
    }
  };

  const min = satsDown(minWithdrawableMsat);
  const max = satsDown(maxWithdrawableMsat);
  const claimSats = amountMsat ? satsDown(amountMsat) : 0;
  return (
    <section className="msg-pay msg-pay-ln" aria-label={t('lnclaim.title')}>
      <p className="msg-pay-title">{t('lnclaim.from', { domain })}</p>
      <dl className="msg-pay-facts">
        {defaultDescription && (
          <div>
            <dt>{t('lnpay.description')}</dt>
            <dd>{defaultDescription}</dd>
          </div>
        )}
        <div>
          <dt>{t('messages.pay.amount')}</dt>
          <dd>
            {min === max ? <Amount sats={max} /> : t('lnclaim.range', { min: String(min), max: String(max) })}
          </dd>
        </div>
      </dl>
      {state.step === 'claimed' ? (
        <p role="status" className="alert alert-ok">
          {t('lnclaim.claimed', { sats: String(state.sats) })}
        </p>
      ) : state.step === 'waiting' ? (
        <p role="status">{t('lnclaim.waiting', { domain })}</p>
      ) : state.step === 'unpaid' ? (
        <Alert>{t('lnclaim.unpaid', { domain })}</Alert>
      ) : claim.error && isFinalProblem(claimProblemOf(claim.error).problem) ? (
        <ClaimProblemAlert error={claim.error} />
      ) : (
        <>
          {claim.error && <ClaimProblemAlert error={claim.error} />}
          <div className="actions">
            <button
              type="button"
              className="button-primary"
              disabled={claim.busy || !amountMsat}
              onClick={() => void onClaim()}
            >
              {claim.busy ? t('lnclaim.claiming') : t('lnclaim.claim', { sats: String(claimSats) })}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** A failed open or claim in the customer's terms; anything else in the error's own words. */
function ClaimProblemAlert({ error }: { error: unknown }) {
  const t = useT();
  const errorText = useErrorText();
  const { problem, domain, reason } = claimProblemOf(error);
  switch (problem) {
    case 'no-provider':
      return <Alert>{t('lnclaim.problem.noProvider')}</Alert>;
    case 'expired':
      return <Alert>{t('lnclaim.problem.expired', { domain })}</Alert>;
    case 'already-claimed':
      return <Alert>{t('lnclaim.problem.alreadyClaimed', { domain })}</Alert>;
    case 'unreachable':
      return <Alert>{t('lnclaim.problem.unreachable', { domain })}</Alert>;
    case 'service-refused':
      return <Alert>{t('lnclaim.problem.refused', { domain, reason })}</Alert>;
    default:
      return <Alert>{errorText(error)}</Alert>;
  }
}
