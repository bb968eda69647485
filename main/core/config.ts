import type { ElectrumServer, Network } from '../../shared/contract';
import type { DesktopMerchantHooks } from '../merchant/service';
import type { DesktopBackupHooks } from '../backup/service';

export interface KdfParams {
  /** scrypt cost; 2^17 by default (about 128 MiB and a few hundred ms here). */
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_KDF: KdfParams = { N: 2 ** 17, r: 8, p: 1 };

export interface AppConfig {
  mode: 'electron' | 'browser';
  version: string;
  /** Root data folder: Electron's userData, or --data-dir in browser mode. */
  dataDir: string;
  profile: string;
  /** Network used when the profile has no saved setting yet. */
  defaultNetwork: Network;
  /** A server given on the command line wins over the saved one for that network. */
  electrumOverride: ElectrumServer | null;
  kdf: KdfParams;
  /** Relays a new NOSTR identity starts with (e.g. the local stack's); null = the built-in list. */
  nostrRelays?: string[] | null;
  /**
   * Test-only: list a simulated Ledger and Trezor (main/hardware/simulated). Set only by browser mode's
   * --simulated-devices, which args.ts accepts with --network regtest alone.
   */
  simulatedDevices?: boolean;
  /**
   * Test-only: Breez calls answered by the local stack's Breez stand-in at this loopback URL
   * (main/lightning/breez/remote.ts). Set only by browser mode's --breez-stand-in, regtest alone.
   */
  breezStandIn?: string | null;
  /**
   * Test-only: Flash Cards use the local stack's simulated reader at this loopback address
   * (main/merchant/nfc/remote-readers.ts). Honoured only with simulatedDevices in browser mode on
   * regtest, the same gate as the simulated Ledger and Trezor.
   */
  simulatedNfc?: string | null;
  /** Electron only: the customer display window and Chromium's PDF printer for receipts. */
  desktopMerchant?: DesktopMerchantHooks | null;
  /** Electron only: the system's dialogs to pick a backup folder or file. */
  desktopBackup?: DesktopBackupHooks | null;
}
