import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { NostrService } from '../../nostr/service';
import { createZapLnurlPort } from '../../nostr/zap-lnurl';
import type { ZapService } from '../../nostr/zap-service';
import { createZapService } from '../../nostr/zap-service';
import type { Db } from '../../store/database';
import type { VaultService } from '../../vault/types';
import type { LnurlGet } from '../lnurl/http';
import type { ProviderKindDefinition } from '../registry';
import type { LightningService } from '../service';
import type { NwcKindDeps } from './kind';
import { createNwcKind } from './kind';
import type { NwcRelayPort } from './relays';
import { poolPort } from './relays';
import { nwcBackendFromLightning } from './service-side/lightning-backend';
import type { NwcWalletService } from './service-side/service';
import { createNwcWalletService } from './service-side/service';
import type { Network } from '../../../shared/contract/common';

/** The NWC client as a Lightning provider kind, on the NOSTR service's relay pool. */
export function createNwcKindForCore(
  nostr: NostrService,
  log: Logger,
  timeouts?: NwcKindDeps['timeouts'],
): {
  kind: ProviderKindDefinition<'nwc'>;
  port: NwcRelayPort;
} {
  const port = poolPort(nostr);
  return { kind: createNwcKind({ port, log: log.child('nwc'), ...(timeouts ? { timeouts } : {}) }), port };
}

export interface NwcAppServices {
  nwcService: NwcWalletService;
  zaps: ZapService;
  start(): void;
  stop(): void;
}

/**
 * Flash as an NWC wallet service, and zaps: both spend through the Lightning service (journaled,
 * with their origin in activity) and talk over the NOSTR service's relays.
 */
export function createNwcAppServices(deps: {
  db: Db;
  vault: VaultService;
  bus: EventBus;
  log: Logger;
  nostr: NostrService;
  port: NwcRelayPort;
  lightning: LightningService;
  lnurlGet: LnurlGet;
  network(): Network;
}): NwcAppServices {
  const nwcService = createNwcWalletService({
    db: deps.db,
    vault: deps.vault,
    log: deps.log.child('nwc-service'),
    port: deps.port,
    userRelays: () => {
      const r = deps.nostr.userRelays();
      return [...new Set([...r.write, ...r.read])].slice(0, 4);
    },
    backend: () =>
      deps.lightning.listProviders().length > 0 ? nwcBackendFromLightning(deps.lightning, deps.bus) : null,
    onChange: (id) => deps.bus.emit('nwcService.changed', { id }),
  });
  const zaps = createZapService({
    nostr: deps.nostr,
    lnurl: createZapLnurlPort({ get: deps.lnurlGet, network: deps.network }),
    payments: {
      async pay({ bolt11 }) {
        const v = await deps.lightning.pay({ text: bolt11, origin: 'zap' });
        return { paymentId: v.id, paymentHash: v.paymentHash, state: v.state };
      },
    },
    log: deps.log.child('zaps'),
    onZap: (zap) =>
      deps.bus.emit('nostr.zap', {
        receiptId: zap.receiptId,
        sender: zap.sender,
        recipient: zap.recipient,
        eventId: zap.eventId,
        amountSats: Number(zap.amountMsat / 1000n),
        comment: zap.comment,
        paidAt: zap.paidAt,
      }),
  });
  return {
    nwcService,
    zaps,
    start: () => nwcService.start(),
    stop: () => {
      zaps.stop();
      nwcService.stop();
    },
  };
}
