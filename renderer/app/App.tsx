import { useCallback, useState } from 'react';
import { ConnectionBanner } from '../components/ConnectionBanner';
import { LockScreen } from '../features/lock/LockScreen';
import { Onboarding } from '../features/onboarding/Onboarding';
import { guessLanguage, I18nProvider } from '../i18n';
import { CustomerDisplay } from '../features/merchant/CustomerDisplay';
import { AppShell } from './AppShell';
import type { BridgeSetup } from './bridge';
import { FlashProvider, useConnectionState, useFlash } from './flash-context';
import { useFlashEvent, useOnReconnect, useQuery } from './hooks';
import { LoadingScreen, NoTokenScreen, StartupErrorScreen, StoreProblemScreen } from './screens';
import { SettingsProvider, useSettings } from './settings-context';

export function App({ setup }: { setup: BridgeSetup }) {
  if (setup.kind === 'no-token') {
    return (
      <I18nProvider language={guessLanguage()}>
        <NoTokenScreen />
      </I18nProvider>
    );
  }
  return (
    <FlashProvider client={setup.client} connection={setup.kind === 'browser' ? setup.connection : null}>
      <SettingsProvider>
        <ConnectionBanner />
        {isCustomerDisplay() ? <CustomerDisplay /> : <Root />}
      </SettingsProvider>
    </FlashProvider>
  );
}

/** The merchant counter's customer display (a second window or tab): `?display=customer`. */
function isCustomerDisplay(): boolean {
  return new URLSearchParams(window.location.search).get('display') === 'customer';
}

/** Picks the screen from app.getState: store problem, onboarding, lock screen, or the app. */
function Root() {
  const flash = useFlash();
  const connection = useConnectionState();
  const { settings } = useSettings();
  const appState = useQuery(useCallback(() => flash.app.getState(), [flash]));
  const { reload } = appState;
  const [onboarding, setOnboarding] = useState(false);

  useOnReconnect(reload);
  useFlashEvent('vault.status', reload);
  // The active wallet belongs to the active network.
  useFlashEvent('settings.changed', reload);

  const state = appState.value;
  // Once onboarding starts it stays on screen until the first wallet exists.
  if (state?.vault === 'uninitialized' && !onboarding) setOnboarding(true);

  if (connection === 'rejected') return <NoTokenScreen rejected />;
  if (!state) {
    return appState.error && !appState.loading ? (
      <StartupErrorScreen error={appState.error} onRetry={reload} />
    ) : (
      <LoadingScreen />
    );
  }
  if (state.storeProblem) return <StoreProblemScreen problem={state.storeProblem} onRetry={reload} />;
  if (state.vault === 'locked') return <LockScreen onUnlocked={reload} />;

  const network = settings?.network ?? state.network;
  const walletReady = () => {
    setOnboarding(false);
    reload();
  };
  if (state.vault === 'uninitialized' || (onboarding && state.activeWalletId === null)) {
    return (
      <Onboarding
        vaultState={state.vault}
        network={network}
        onVaultReady={reload}
        onWalletReady={walletReady}
      />
    );
  }
  return (
    <AppShell
      walletId={state.activeWalletId}
      network={network}
      onWalletReady={walletReady}
      onLocked={reload}
    />
  );
}
