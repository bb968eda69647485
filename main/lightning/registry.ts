import type { ConnectProviderInput, Network } from '../../shared/contract';
import type { Logger } from '../core/logger';
import type { LightningProvider, LightningProviderKind } from './provider';

/**
 * How a backend joins the Lightning service: one ProviderKindDefinition per kind, handed to
 * createLightningService in a map by kind (`kinds: { lnd, nwc, breez }`). The service owns
 * everything around a provider (storing the connection, sealing its secret in the vault, the
 * default, the journal, recovery, events); a kind only translates:
 *
 *   connectProvider(input)                       start() / unlock
 *        │                                             │
 *        ▼                                             ▼
 *   kind.prepareConnection(input) ──► stored ──► kind.create(connection) ──► provider.connect()
 *   (check the input, split it into               (settings from SQLite, secret() reads the
 *    plain settings + one secret)                   vault at each use)
 *
 * The service checks that a new connection works (create + connect) before it stores it, so a
 * typo in a macaroon never becomes a saved provider.
 */

/** JSON stored in plain SQLite: never a secret (macaroon, NWC secret, API key). */
export type ConnectionSettings = Record<string, string | number | boolean | null>;

export interface PreparedConnection {
  /** Shown in Settings (the LND alias, the NWC wallet's name); the user's label wins when given. */
  label: string;
  settings: ConnectionSettings;
  /** Sealed in the vault under the connection's id; null when the kind has no secret. */
  secret: Uint8Array | null;
  /** Where it connects to, for Settings (host:port, relay URL, "Breez SDK"); no secret. */
  endpoint: string;
}

export interface StoredConnection {
  id: string;
  kind: LightningProviderKind;
  label: string;
  settings: ConnectionSettings;
  endpoint: string;
  /** Reads the sealed secret now; throws VAULT_LOCKED while the vault is locked. */
  secret(): Uint8Array;
  hasSecret: boolean;
}

export interface KindContext {
  /** The wallet's network: a provider on another network is refused with LIGHTNING_WRONG_NETWORK. */
  network: Network;
  log: Logger;
}

export interface ProviderKindDefinition<K extends LightningProviderKind = LightningProviderKind> {
  kind: K;
  /**
   * Checks what the user entered for this kind (already shape-checked by the contract) and
   * splits it into settings and secret. Throws FlashError (e.g. LIGHTNING_BAD_CONNECTION) for
   * input that cannot work; must not store anything itself.
   */
  prepareConnection(
    input: Extract<ConnectProviderInput, { kind: K }>,
    ctx: KindContext,
  ): Promise<PreparedConnection> | PreparedConnection;
  /** Builds the provider for a stored connection. Must not touch the network until connect(). */
  create(connection: StoredConnection, ctx: KindContext): LightningProvider;
  /** Optional clean-up when the user removes the connection (e.g. a backend's working folder). */
  onRemove?(connection: StoredConnection): Promise<void>;
}

export type ProviderKinds = Partial<{ [K in LightningProviderKind]: ProviderKindDefinition<K> }>;
