import { useCallback } from 'react';
import { useFlash } from '../../app/flash-context';
import { useLiveValue } from '../../app/hooks';
import { useSettings } from '../../app/settings-context';
import { ErrorAlert } from '../../components/Alert';
import { useT } from '../../i18n';
import { AboutSection } from './AboutSection';
import { AppearanceSettings } from './AppearanceSettings';
import { AutoLockSettings } from './AutoLockSettings';
import { ChangePasswordForm } from './ChangePasswordForm';
import { NetworkSettings } from './NetworkSettings';
import { LightningSettings } from '../lightning/settings/LightningSettings';
import { RecoveryWordsSection } from './RecoveryWordsSection';
import { BackupSection } from '../backup/BackupSection';
import { FiatPriceSettings } from '../prices/FiatPriceSettings';

export function SettingsScreen({ walletId }: { walletId: string | null }) {
  const t = useT();
  const flash = useFlash();
  const { settings } = useSettings();
  const vault = useLiveValue(
    useCallback(() => flash.vault.getStatus(), [flash]),
    'vault.status',
  );
  return (
    <div className="stack settings-screen">
      <h1>{t('nav.settings')}</h1>
      {!settings && <p role="status">{t('settings.loading')}</p>}
      <AppearanceSettings />
      <NetworkSettings />
      <LightningSettings />
      <FiatPriceSettings />
      <section className="card stack">
        <h2 id="security-title">{t('settings.security')}</h2>
        <ErrorAlert error={vault.error} />
        {vault.value && <AutoLockSettings vault={vault.value} onChanged={vault.set} />}
        <ChangePasswordForm />
      </section>
      <RecoveryWordsSection walletId={walletId} />
      <BackupSection />
      <AboutSection />
    </div>
  );
}
