import { useState } from 'react';
import { useFlashEvent } from '../../app/hooks';
import { ErrorAlert } from '../../components/Alert';
import { useToast } from '../../components/Toasts';
import { useI18n } from '../../i18n';
import { ActivityFeed } from './ActivityFeed';
import { BreezSwaps } from './breez/BreezSwaps';
import { formatMsatAsSats } from './format';
import { FiatAmount } from '../prices/FiatAmount';
import { NwcPanels } from './nwc/NwcPanels';
import { PayBox } from './PayBox';
import { ReceiveInvoice } from './ReceiveInvoice';
import { useLightningStatus, useProviders } from './use-lightning';

type Tab = 'pay' | 'receive' | 'activity';
const TABS: Tab[] = ['pay', 'receive', 'activity'];

/**
 * The Lightning area: the default wallet's state, then Pay (the one box), Receive (invoice QR,
 * unified with on-chain) and the activity feed across rails; below them the apps allowed to spend
 * over NWC. Wallets (Breez, LND, NWC) are connected in Settings → Lightning.
 */
export function LightningArea({
  walletId,
  onOpenSettings,
}: {
  walletId: string | null;
  onOpenSettings: () => void;
}) {
  const { t, separators } = useI18n();
  const [tab, setTab] = useState<Tab>('pay');
  const providers = useProviders();
  const status = useLightningStatus();
  const sats = (msat: string) => t('amount.sats', { value: formatMsatAsSats(msat, separators) });
  const none = providers.value !== undefined && providers.value.length === 0;
  const s = status.value;

  return (
    <div className="stack ln-area">
      <h1>{t('nav.lightning')}</h1>
      {none ? (
        <section className="card stack" aria-labelledby="ln-none-title">
          <h2 id="ln-none-title">{t('ln.noProvider.title')}</h2>
          <p>{t('ln.noProvider.text')}</p>
          <div className="actions">
            <button type="button" className="button-primary" onClick={onOpenSettings}>
              {t('ln.noProvider.open')}
            </button>
          </div>
        </section>
      ) : (
        s && (
          <section className="card ln-status" aria-label={t('ln.status.via', { label: s.provider.label })}>
            <p>
              <strong>{t('ln.status.via', { label: s.provider.label })}</strong>
            </p>
            {s.provider.state !== 'connected' ? (
              <p className="hint">{t('ln.status.disconnected', { label: s.provider.label })}</p>
            ) : (
              s.balance && (
                <p data-testid="ln-balance">
                  {t('ln.status.send', { amount: sats(s.balance.spendableMsat) })}
                  <FiatAmount sats={Number(BigInt(s.balance.spendableMsat) / 1000n)} spaced />
                  {s.balance.receivableMsat !== null && (
                    <> · {t('ln.status.receive', { amount: sats(s.balance.receivableMsat) })}</>
                  )}
                </p>
              )
            )}
          </section>
        )
      )}
      <ErrorAlert error={status.error} />
      <div className="ln-tabs" role="tablist" aria-label={t('ln.tabs.label')}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'ln-tab ln-tab-active' : 'ln-tab'}
            onClick={() => setTab(id)}
          >
            {t(`ln.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'pay' && <PayBox />}
        {tab === 'receive' && <ReceiveInvoice walletId={walletId} />}
        {tab === 'activity' && <ActivityFeed walletId={walletId} />}
      </div>
      <BreezSwaps walletId={walletId} />
      <NwcPanels />
    </div>
  );
}

/** App-wide: a toast when one of our invoices is paid, wherever the user is. */
export function useLightningToasts(): void {
  const { t, separators } = useI18n();
  const toast = useToast();
  useFlashEvent('lightning.invoicePaid', (paid) => {
    toast(
      t('ln.toast.paid', {
        amount: t('amount.sats', { value: formatMsatAsSats(paid.amountMsat, separators) }),
      }),
    );
  });
}
