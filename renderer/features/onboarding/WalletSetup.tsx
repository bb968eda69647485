import { useState } from 'react';
import type { Network } from '../../../shared/contract/common';
import type { WalletSummary } from '../../../shared/contract/wallet';
import { NetworkNote } from '../../components/NetworkNote';
import { useT } from '../../i18n';
import { CreateWalletFlow } from './CreateWalletFlow';
import { RestoreWalletForm } from './RestoreWalletForm';
import { RestoreBackupForm } from '../backup/RestoreBackupForm';

/** The create-or-restore choice, then the chosen flow. Used in onboarding and when no wallet exists. */
export function WalletSetup({
  network,
  onDone,
}: {
  network: Network;
  onDone: (wallet: WalletSummary) => void;
}) {
  const t = useT();
  const [mode, setMode] = useState<'choose' | 'create' | 'restore' | 'backup'>('choose');
  const back = () => setMode('choose');
  if (mode === 'create') return <CreateWalletFlow network={network} onDone={onDone} onCancel={back} />;
  if (mode === 'restore') return <RestoreWalletForm network={network} onDone={onDone} onCancel={back} />;
  if (mode === 'backup') {
    // A restore locks Flash when it is done (every part reloads the restored profile on unlock).
    return (
      <div className="stack">
        <RestoreBackupForm />
        <div className="actions">
          <button type="button" className="button-secondary" onClick={back}>
            {t('common.back')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="stack">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <NetworkNote network={network} />
      <div className="choice-list">
        <button type="button" className="choice" onClick={() => setMode('create')}>
          <span className="choice-title">{t('setup.create')}</span>
          <span className="choice-detail">{t('setup.createDetail')}</span>
        </button>
        <button type="button" className="choice" onClick={() => setMode('restore')}>
          <span className="choice-title">{t('setup.restore')}</span>
          <span className="choice-detail">{t('setup.restoreDetail')}</span>
        </button>
        <button type="button" className="choice" onClick={() => setMode('backup')}>
          <span className="choice-title">{t('setup.fromBackup')}</span>
          <span className="choice-detail">{t('setup.fromBackupDetail')}</span>
        </button>
      </div>
    </div>
  );
}
