import type { ElectrumServer, Network, Settings, SettingsPatch } from '../../shared/contract';

export interface SettingsService {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  /** The server to use for a network (command-line override first). */
  electrumServer(network: Network): ElectrumServer;
}
