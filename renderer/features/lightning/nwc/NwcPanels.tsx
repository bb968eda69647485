import { useT } from '../../../i18n';
import { ConnectNwcWallet } from './ConnectNwcWallet';
import { NwcServicePanel } from './NwcServicePanel';

/**
 * The NWC parts of the Lightning area: connecting a wallet by its NWC link, and the apps that may
 * spend from Flash. The Lightning screen places these among its own sections.
 */
export function NwcPanels() {
  const t = useT();
  return (
    <>
      <section className="card stack" aria-label={t('nwc.connect.title')}>
        <ConnectNwcWallet />
      </section>
      <NwcServicePanel />
    </>
  );
}
