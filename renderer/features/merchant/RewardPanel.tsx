import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Reward } from '../../../shared/contract/merchant';
import { useFlash } from '../../app/flash-context';
import { useAction, useFlashEvent, useQuery } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { CopyButton } from '../../components/CopyButton';
import { QrCode } from '../../components/QrCode';
import { useT } from '../../i18n';
import { TokenQr } from '../ecash/TokenQr';

/**
 * A paid sale's reward at the counter: the LNURL-withdraw QR, or the eCash token, the customer
 * scans (the customer display shows it too), whether it was claimed, and sending it to the customer's npub. Main
 * gives it on its own when the sale is settled; "Give the reward" retries after a failure. A reward
 * for the customer's Flash Card is added when the cashier presses "Add to the card" with it on the reader.
 */
export function RewardPanel({ invoiceId, settled }: { invoiceId: string; settled: boolean }) {
  const t = useT();
  const flash = useFlash();
  const rules = useQuery(useCallback(() => flash.merchant.getRewardRules(), [flash]));
  const found = useQuery(useCallback(() => flash.merchant.getReward({ invoiceId }), [flash, invoiceId]));
  const [reward, setReward] = useState<Reward | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [to, setTo] = useState('');
  const [sent, setSent] = useState(false);
  useEffect(() => {
    if (found.value) setReward(found.value);
  }, [found.value]);
  useFlashEvent('merchant.reward', (r) => {
    if (r.invoiceId !== invoiceId) return;
    setReward(r);
    setFailed(null);
  });
  useFlashEvent('merchant.rewardFailed', (f) => {
    if (f.invoiceId === invoiceId) setFailed(f.message);
  });
  const issue = useAction(useCallback(() => flash.merchant.issueReward({ invoiceId }), [flash, invoiceId]));
  const check = useAction(useCallback(() => flash.merchant.getReward({ invoiceId }), [flash, invoiceId]));
  const send = useAction(
    useCallback((npub: string) => flash.merchant.sendReward({ invoiceId, to: npub }), [flash, invoiceId]),
  );
  const enabled = rules.value?.enabled ?? false;
  // A Flash Card reward waits for the customer's card on the reader and the cashier's press.
  const toCard = rules.value?.giveAs === 'flashCard';
  // A stamp card rewards only the sale that fills it: other sales show nothing unless it failed.
  const stamps = rules.value?.kind === 'stamps';
  if (!reward && (!enabled || (stamps && !failed))) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    if (await send.run(to.trim())) setSent(true);
  };

  return (
    <section className="merchant-reward card stack" aria-labelledby="merchant-reward-title">
      <h2 id="merchant-reward-title">{t('merchant.reward.title')}</h2>
      {reward ? (
        <>
          <p className="merchant-reward-amount">{t('merchant.reward.amount', { sats: reward.sats })}</p>
          <p role="status" className={`merchant-reward-state merchant-reward-${reward.state}`}>
            {t(`merchant.reward.state.${reward.state}`)}
          </p>
          {reward.card && (
            <p className="hint">
              {reward.card.uid
                ? t('merchant.reward.onCard', { uid: reward.card.uid })
                : t('merchant.reward.onCardElsewhere')}
            </p>
          )}
          {reward.ecash && reward.state === 'unclaimed' && (
            <div className="merchant-qr stack">
              <p className="hint">{t('merchant.reward.ecashFrom', { mint: reward.ecash.mintUrl })}</p>
              {reward.ecash.qr?.animated ? (
                <TokenQr qr={reward.ecash.qr} token={reward.ecash.token} />
              ) : (
                <QrCode
                  value={reward.ecash.token}
                  alt={t('merchant.reward.scanEcash', { sats: reward.sats })}
                />
              )}
              <p className="mono merchant-link">{reward.ecash.token}</p>
              <CopyButton text={reward.ecash.token} label={t('merchant.reward.copyToken')} />
            </div>
          )}
          {reward.lnurl && reward.state === 'unclaimed' && (
            <div className="merchant-qr stack">
              <QrCode value={reward.lnurl} alt={t('merchant.reward.scan', { sats: reward.sats })} />
              <p className="mono merchant-link">{reward.lnurl}</p>
            </div>
          )}
          {reward.expiresAt !== null && reward.state === 'unclaimed' && (
            <p className="hint">
              {t('merchant.reward.expires', { date: new Date(reward.expiresAt).toLocaleDateString() })}
            </p>
          )}
          <div className="actions">
            <button
              type="button"
              disabled={check.busy}
              onClick={async () => {
                const r = await check.run();
                if (r) setReward(r);
              }}
            >
              {t('merchant.reward.check')}
            </button>
          </div>
          {reward.state === 'unclaimed' && (
            <form className="actions" onSubmit={submit}>
              <input
                aria-label={t('merchant.reward.npub')}
                placeholder={t('merchant.reward.npub')}
                value={to}
                onChange={(e) => setTo(e.target.value)}
              />
              <button type="submit" disabled={!to.trim() || send.busy}>
                {t('merchant.reward.send')}
              </button>
              {sent && <span role="status">{t('merchant.reward.sent')}</span>}
            </form>
          )}
        </>
      ) : !settled ? (
        <p className="hint">{t('merchant.reward.waiting')}</p>
      ) : (
        <>
          {failed && <p className="hint">{t('merchant.reward.failed', { message: failed })}</p>}
          {toCard && <p className="hint">{t('merchant.reward.tapCard')}</p>}
          <div className="actions">
            <button
              type="button"
              disabled={issue.busy}
              onClick={async () => {
                const r = await issue.run();
                if (r) setReward(r);
              }}
            >
              {t(toCard ? 'merchant.reward.addToCard' : 'merchant.reward.issue')}
            </button>
          </div>
        </>
      )}
      <ErrorAlert error={found.error ?? issue.error ?? check.error ?? send.error} />
    </section>
  );
}
