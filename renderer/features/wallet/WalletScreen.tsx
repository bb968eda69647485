import { useCallback, useEffect, useRef, useState } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { SyncState, WalletSummary } from '../../../shared/contract/wallet';
import { useFlash } from '../../app/flash-context';
import { useFlashEvent, useOnReconnect, useQuery } from '../../app/hooks';
import { takePendingSendRequest, useSendRequests } from '../../app/send-navigation';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { EcashOverviewCard } from '../ecash/EcashOverviewCard';
import { AccountSwitcher } from '../accounts/AccountSwitcher';
import { AccountsPanel } from '../accounts/AccountsPanel';
import { WalletSetup } from '../onboarding/WalletSetup';
import type { SendStart } from '../send/SendFlow';
import { SendFlow } from '../send/SendFlow';
import { PendingPayments } from '../send/PendingPayments';
import { ActivityList } from './ActivityList';
import { BalanceCard } from './BalanceCard';
import { CoinsPanel } from './CoinsPanel';
import { ReceivePanel } from './ReceivePanel';
import { VaultPanel } from '../multisig/VaultPanel';
import { SyncStatus } from './SyncStatus';

const PAGE_SIZE = 50;

/** The Wallet area: the active wallet, or the create/restore choice when there is none. */
export function WalletArea(props: {
  walletId: string | null;
  network: Network;
  onWalletReady: (wallet: WalletSummary) => void;
  onOpenEcash: () => void;
}) {
  if (!props.walletId) return <WalletSetup network={props.network} onDone={props.onWalletReady} />;
  return (
    <WalletScreen
      key={props.walletId}
      walletId={props.walletId}
      onAccountChanged={props.onWalletReady}
      onOpenEcash={props.onOpenEcash}
    />
  );
}

function WalletScreen({
  walletId,
  onAccountChanged,
  onOpenEcash,
}: {
  walletId: string;
  /** Another account became active (switched, added, or this one removed): the app reloads its state. */
  onAccountChanged: (account: WalletSummary) => void;
  onOpenEcash: () => void;
}) {
  const t = useT();
  const flash = useFlash();
  const [managing, setManaging] = useState(false);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const loadOverview = useCallback(() => flash.wallet.getOverview({ walletId }), [flash, walletId]);
  const loadActivity = useCallback(
    () => flash.wallet.listActivity({ walletId, limit, offset: 0 }),
    [flash, walletId, limit],
  );
  const overview = useQuery(loadOverview);
  const activity = useQuery(loadActivity);
  const { reload: reloadOverview } = overview;
  const { reload: reloadActivity } = activity;
  const refresh = useCallback(() => {
    reloadOverview();
    reloadActivity();
  }, [reloadOverview, reloadActivity]);

  // Progress events are newer than the overview until the overview is fetched again.
  const [liveSync, setLiveSync] = useState<SyncState | null>(null);
  useEffect(() => setLiveSync(null), [overview.value]);

  const lastTip = useRef<number | null>(null);
  useFlashEvent('wallet.updated', (e) => e.walletId === walletId && refresh());
  useFlashEvent('deposit.detected', (e) => e.walletId === walletId && refresh());
  useFlashEvent('sync.progress', (e) => {
    if (e.walletId !== walletId) return;
    setLiveSync(e.sync);
    if (e.sync.phase === 'synced') refresh();
  });
  useFlashEvent('electrum.status', (s) => {
    // A new block changes every confirmation count.
    if (s.tipHeight !== null && s.tipHeight !== lastTip.current) {
      const first = lastTip.current === null;
      lastTip.current = s.tipHeight;
      if (!first) refresh();
    }
  });
  useOnReconnect(refresh);

  // The send flow (and PSBT import, speed-up, message signing) replaces the overview while open.
  const [flow, setFlow] = useState<{ start: SendStart; key: number } | null>(null);
  const openFlow = useCallback((start: SendStart) => setFlow({ start, key: Date.now() }), []);
  useEffect(() => {
    const request = takePendingSendRequest();
    if (request) openFlow({ kind: 'send', prefill: request });
  }, [openFlow]);
  useSendRequests(() => {
    const request = takePendingSendRequest();
    if (request) openFlow({ kind: 'send', prefill: request });
  });

  const data = overview.value;
  if (!data) {
    return (
      <div className="stack">
        <h1>{t('nav.wallet')}</h1>
        {overview.error ? (
          <>
            <ErrorAlert error={overview.error} />
            <button type="button" onClick={refresh}>
              {t('common.tryAgain')}
            </button>
          </>
        ) : (
          <p role="status">{t('wallet.loading')}</p>
        )}
      </div>
    );
  }
  return (
    <div className="stack wallet-screen">
      <header className="screen-header">
        <h1>{data.wallet.name}</h1>
        <p className="hint">
          {t(`network.${data.wallet.network}`)} · {t(`accounts.type.${data.wallet.accountType}`)} ·{' '}
          {t('wallet.fingerprint', { fingerprint: data.wallet.fingerprint ?? '—' })}
          {data.wallet.signer !== 'seed' && (
            <span className="badge badge-pending">{t(`accounts.signer.${data.wallet.signer}`)}</span>
          )}
        </p>
        <AccountSwitcher
          activeId={walletId}
          network={data.wallet.network}
          onSwitched={onAccountChanged}
          onManage={() => setManaging(true)}
        />
      </header>
      <SyncStatus sync={liveSync ?? data.sync} />
      <ErrorAlert error={overview.error} />
      {managing ? (
        <AccountsPanel
          network={data.wallet.network}
          onClose={() => setManaging(false)}
          onAdded={(account) => {
            void flash.wallet.setActive({ walletId: account.id }).then(() => onAccountChanged(account));
          }}
          onChanged={() => {
            refresh();
            onAccountChanged(data.wallet);
          }}
        />
      ) : flow ? (
        <SendFlow
          key={flow.key}
          walletId={walletId}
          network={data.wallet.network}
          receiveAddress={data.receive.address}
          start={flow.start}
          onClose={(sent) => {
            setFlow(null);
            if (sent) refresh();
          }}
        />
      ) : (
        <>
          <div className="actions wallet-actions">
            <button type="button" className="button-primary" onClick={() => openFlow({ kind: 'send' })}>
              {t('send.wallet.send')}
            </button>
            <button type="button" onClick={() => openFlow({ kind: 'import' })}>
              {t('send.wallet.importPsbt')}
            </button>
            <button type="button" onClick={() => openFlow({ kind: 'messages' })}>
              {t('send.wallet.messages')}
            </button>
          </div>
          <PendingPayments walletId={walletId} />
          <div className="wallet-grid">
            <BalanceCard balance={data.balance} />
            <ReceivePanel receive={data.receive} />
          </div>
          <EcashOverviewCard onOpen={onOpenEcash} />
          {data.wallet.accountType === 'multisig' && (
            <VaultPanel walletId={walletId} receive={data.receive} />
          )}
          {activity.value ? (
            <ActivityList
              page={activity.value}
              loadingMore={activity.loading}
              onShowMore={() => setLimit((n) => Math.min(500, n + PAGE_SIZE))}
              onSpeedUp={(txid, method) => openFlow({ kind: method, txid })}
              walletId={walletId}
            />
          ) : (
            <ErrorAlert error={activity.error} />
          )}
          <CoinsPanel walletId={walletId} />
        </>
      )}
    </div>
  );
}
