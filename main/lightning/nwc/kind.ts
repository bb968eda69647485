import { FlashError } from '../../../shared/errors';
import type { Logger } from '../../core/logger';
import type { ProviderKindDefinition } from '../registry';
import { createNwcProvider } from './provider';
import type { NwcRelayPort } from './relays';
import { parseNwcUri } from './uri';

export interface NwcKindDeps {
  /** The app's one relay pool, lent by the NOSTR service. */
  port: NwcRelayPort;
  log: Logger;
  timeouts?: { infoMs?: number; requestMs?: number; payMs?: number };
}

/**
 * How an NWC wallet joins the Lightning service: the URI is split into plain settings (the
 * wallet's key, its relays, its Lightning address) and the one secret, which the service seals
 * in the vault. The provider reads the secret back at each use.
 */
export function createNwcKind(deps: NwcKindDeps): ProviderKindDefinition<'nwc'> {
  return {
    kind: 'nwc',
    prepareConnection(input) {
      const uri = parseNwcUri(input.uri);
      const first = uri.relays[0] ?? '';
      let host = first;
      try {
        host = new URL(first).host;
      } catch {
        // parseNwcUri checked it already
      }
      return {
        label: input.label || uri.lud16 || `NWC wallet ${uri.walletPubkey.slice(0, 8)}`,
        settings: {
          walletPubkey: uri.walletPubkey,
          // Settings hold plain values only: the relay list is kept as JSON text.
          relays: JSON.stringify(uri.relays),
          lud16: uri.lud16,
        },
        secret: uri.secret,
        endpoint: uri.relays.length > 1 ? `${host} +${uri.relays.length - 1}` : host,
      };
    },
    create(connection, ctx) {
      const walletPubkey = connection.settings.walletPubkey;
      const relaysJson = connection.settings.relays;
      let relays: unknown = null;
      try {
        relays = typeof relaysJson === 'string' ? JSON.parse(relaysJson) : null;
      } catch {
        relays = null;
      }
      if (
        typeof walletPubkey !== 'string' ||
        !Array.isArray(relays) ||
        !relays.every((r): r is string => typeof r === 'string')
      )
        throw new FlashError(
          'LIGHTNING_BAD_CONNECTION',
          'This NWC connection is damaged: connect the wallet again.',
        );
      return createNwcProvider({
        walletPubkey,
        relays,
        secret: () => connection.secret(),
        port: deps.port,
        log: ctx.log.child('nwc'),
        ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
      });
    },
  };
}
