import { z } from 'zod';
import { Empty, Network } from './common';
import { ElectrumServer, MAX_FALLBACK_SERVERS, Socks5ProxySetting } from './electrum';

const Fallbacks = z.array(ElectrumServer).max(MAX_FALLBACK_SERVERS);

export const Language = z.enum(['en', 'es']);
export type Language = z.infer<typeof Language>;
export const Theme = z.enum(['light', 'dark', 'system']);
export type Theme = z.infer<typeof Theme>;

export const Settings = z.object({
  language: Language,
  theme: Theme,
  network: Network,
  /** The Electrum server used for each network. */
  electrum: z.object({
    mainnet: ElectrumServer,
    testnet: ElectrumServer,
    signet: ElectrumServer,
    regtest: ElectrumServer,
  }),
  /** Servers tried in order when a network's primary fails (also used to cross-check its tip). */
  electrumFallbacks: z.object({
    mainnet: Fallbacks,
    testnet: Fallbacks,
    signet: Fallbacks,
    regtest: Fallbacks,
  }),
  /**
   * SOCKS5 proxy (Tor) for every Electrum connection and every NOSTR socket (relays, NIP-05);
   * null connects directly. The name predates NOSTR using it.
   */
  electrumProxy: Socks5ProxySetting.nullable(),
});
export type Settings = z.infer<typeof Settings>;

export const SettingsPatch = z
  .object({
    language: Language.optional(),
    theme: Theme.optional(),
    network: Network.optional(),
    electrumServer: ElectrumServer.optional(),
    /** Replaces the fallback list of the active (or newly chosen) network. */
    electrumFallbacks: Fallbacks.optional(),
    /** null turns the proxy off. */
    electrumProxy: Socks5ProxySetting.nullable().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const settingsMethods = {
  'settings.get': { input: Empty, output: Settings },
  /** `electrumServer` applies to the active (or newly chosen) network. */
  'settings.update': { input: SettingsPatch, output: Settings },
} as const;
