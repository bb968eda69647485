import { useState } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { VaultState } from '../../../shared/contract/vault';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { useT } from '../../i18n';
import { SetPasswordStep } from './SetPasswordStep';
import { WalletSetup } from './WalletSetup';
import { WelcomeStep } from './WelcomeStep';

interface Props {
  vaultState: VaultState;
  network: Network;
  onVaultReady: () => void;
  onWalletReady: (wallet: WalletSummary) => void;
}

/**
 * First run: welcome, password, then the first wallet. Which part shows follows the vault's state,
 * so the flow resumes in the right place after a reload or an auto-lock.
 */
export function Onboarding({ vaultState, network, onVaultReady, onWalletReady }: Props) {
  const t = useT();
  const [welcomed, setWelcomed] = useState(false);
  let content;
  if (vaultState !== 'uninitialized') content = <WalletSetup network={network} onDone={onWalletReady} />;
  else if (!welcomed) content = <WelcomeStep onContinue={() => setWelcomed(true)} />;
  else content = <SetPasswordStep onDone={onVaultReady} />;
  return (
    <main className="center-screen" aria-label={t('onboarding.label')}>
      <div className="card card-wide">{content}</div>
    </main>
  );
}
