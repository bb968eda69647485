import { NwcServicePanel } from './NwcServicePanel';

/**
 * The NWC part of the Lightning area: the apps that may spend from Flash. Connecting an NWC wallet
 * as a backend lives in Settings → Lightning beside LND and Breez, so the form exists once.
 */
export function NwcPanels() {
  return <NwcServicePanel />;
}
