import { useCallback, useEffect, useState } from 'react';
import type { Network } from '../../shared/contract/common';
import type { WalletSummary } from '../../shared/contract/wallet';
import { formatSats } from '../../shared/money';
import { ErrorAlert } from '../components/Alert';
import { CertificateWarning } from '../components/CertificateWarning';
import { StatusBar } from '../components/StatusBar';
import { ToastProvider, useToast } from '../components/Toasts';
import type { PlannedArea } from '../features/placeholder/NotAvailableYet';
import { DevicesScreen } from '../features/devices/DevicesScreen';
import { EcashArea, useEcashToasts } from '../features/ecash/EcashArea';
import { MessagesArea } from '../features/messages/MessagesArea';
import { MerchantArea, useCashierMode } from '../features/merchant/MerchantArea';
import { LightningArea, useLightningToasts } from '../features/lightning/LightningArea';
import { NotAvailableYet } from '../features/placeholder/NotAvailableYet';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { PricesProvider } from '../features/prices/prices-context';
import { WalletArea } from '../features/wallet/WalletScreen';
import { useI18n, useT } from '../i18n';
import { useFlash } from './flash-context';
import { useAction, useFlashEvent, useReportUserActivity } from './hooks';
import { useSendRequests } from './send-navigation';
import { useElectrumStatus } from './use-electrum-status';

const AREAS = ['wallet', 'lightning', 'ecash', 'messages', 'merchant', 'devices', 'settings'] as const;
type AreaId = (typeof AREAS)[number];

interface Props {
  walletId: string | null;
  network: Network;
  onWalletReady: (wallet: WalletSummary) => void;
  onLocked: () => void;
}

/** The unlocked app: navigation, the current area, the Electrum status bar and toasts. */
export function AppShell(props: Props) {
  return (
    <ToastProvider>
      <PricesProvider>
        <Shell {...props} />
      </PricesProvider>
    </ToastProvider>
  );
}

function Shell({ walletId, network, onWalletReady, onLocked }: Props) {
  const t = useT();
  const flash = useFlash();
  const [area, setArea] = useState<AreaId>('wallet');
  // Cashier mode locks the app to the merchant counter until the PIN or password is given.
  const cashierMode = useCashierMode();
  useEffect(() => {
    if (cashierMode) setArea('merchant');
  }, [cashierMode]);
  const electrum = useElectrumStatus();
  // openSendFlow() from any area: the Wallet area opens the prefilled Send form.
  useSendRequests(() => setArea('wallet'));
  const lock = useAction(useCallback(() => flash.vault.lock(), [flash]));
  useReportUserActivity();
  useDepositToasts();
  useLightningToasts();
  useEcashToasts();

  const lockNow = async () => {
    if (await lock.run()) onLocked();
  };

  return (
    <div className="shell">
      <nav className="nav" aria-label={t('nav.label')}>
        <p className="brand">Flash</p>
        <ul>
          {AREAS.filter((id) => !cashierMode || id === 'merchant').map((id) => (
            <li key={id}>
              <button
                type="button"
                className="nav-item"
                aria-current={area === id ? 'page' : undefined}
                onClick={() => setArea(id)}
              >
                {t(`nav.${id}`)}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="nav-lock" onClick={lockNow} disabled={lock.busy}>
          {t('nav.lock')}
        </button>
        <ErrorAlert error={lock.error} />
      </nav>
      <main className="content">
        <CertificateWarning electrum={electrum} />
        {area === 'wallet' ? (
          <WalletArea
            walletId={walletId}
            network={network}
            onWalletReady={onWalletReady}
            onOpenEcash={() => setArea('ecash')}
          />
        ) : area === 'messages' ? (
          <MessagesArea network={network} />
        ) : area === 'devices' ? (
          <DevicesScreen
            onOpenAccount={(account) => {
              onWalletReady(account);
              setArea('wallet');
            }}
          />
        ) : area === 'lightning' ? (
          <LightningArea walletId={walletId} onOpenSettings={() => setArea('settings')} />
        ) : area === 'ecash' ? (
          <EcashArea />
        ) : area === 'merchant' ? (
          <MerchantArea />
        ) : area === 'settings' && !cashierMode ? (
          <SettingsScreen walletId={walletId} />
        ) : (
          <NotAvailableYet area={area as PlannedArea} />
        )}
      </main>
      <StatusBar electrum={electrum} />
    </div>
  );
}

/** "Deposit received: X sats (unconfirmed)" / "Deposit confirmed: X sats" toasts, app-wide. */
function useDepositToasts(): void {
  const { t, separators } = useI18n();
  const toast = useToast();
  useFlashEvent('deposit.detected', (deposit) => {
    const amount = formatSats(deposit.amountSats, { separators });
    toast(
      deposit.confirmed ? t('toast.depositConfirmed', { amount }) : t('toast.depositReceived', { amount }),
    );
  });
}
