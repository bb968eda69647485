import type { AuthSigner, Filter, PublishResult } from '../../nostr/relay-connection';
import type { PoolEventListener, RelayPool } from '../../nostr/relay-pool';
import type { NostrEvent } from '../../nostr/verify';

/**
 * What NWC needs from the app's one NOSTR relay pool (main/nostr/relay-pool.ts): no second relay
 * client is ever opened. `hold` keeps a wallet's relays open beside the user's own lists (the
 * NOSTR service would otherwise close them when the lists change) and marks them as chosen by the
 * user, who pasted them, so the dial policy treats them like the user's relays.
 */
export interface NwcRelayPort {
  publish(event: NostrEvent, urls: string[]): Promise<PublishResult[]>;
  subscribe(subId: string, filters: Filter[], urls: string[]): void;
  unsubscribe(subId: string): void;
  onEvent(listener: PoolEventListener): () => void;
  query(filters: Filter[], urls: string[], timeoutMs: number): Promise<NostrEvent[]>;
  /** `auth` answers NIP-42 challenges of these relays (when not the user's own) instead of the identity. */
  hold(owner: string, urls: string[], auth?: AuthSigner): void;
  release(owner: string): void;
}

/** Where a port finds the pool: the NOSTR service's, which exists only while that service runs. */
export interface PoolSource {
  relayPool(): RelayPool | null;
  holdRelays(owner: string, urls: string[], auth?: AuthSigner): void;
  releaseRelays(owner: string): void;
}

/**
 * A port over the NOSTR service's pool. Listeners and subscriptions survive the pool being
 * rebuilt (the NOSTR service stopped and started): they are attached again on next use.
 */
export function poolPort(source: PoolSource): NwcRelayPort {
  const listeners = new Set<PoolEventListener>();
  const subs = new Map<string, { filters: Filter[]; urls: string[] }>();
  let attachedTo: RelayPool | null = null;
  let detach: (() => void) | null = null;

  const pool = (): RelayPool => {
    const p = source.relayPool();
    if (!p) throw new Error('the NOSTR relay pool is not running');
    if (p !== attachedTo) {
      detach?.();
      attachedTo = p;
      detach = p.onEvent((event, url, duplicate, subId) => {
        for (const l of [...listeners]) l(event, url, duplicate, subId);
      });
      for (const [id, s] of subs) p.subscribe(id, s.filters, s.urls);
    }
    return p;
  };

  return {
    publish: (event, urls) => pool().publish(event, urls),
    subscribe(subId, filters, urls) {
      subs.set(subId, { filters, urls });
      pool().subscribe(subId, filters, urls);
    },
    unsubscribe(subId) {
      subs.delete(subId);
      source.relayPool()?.unsubscribe(subId);
    },
    onEvent(listener) {
      listeners.add(listener);
      try {
        pool();
      } catch {
        // attached once the pool exists
      }
      return () => listeners.delete(listener);
    },
    query: (filters, urls, timeoutMs) => pool().query(filters, urls, timeoutMs),
    hold: (owner, urls, auth) => source.holdRelays(owner, urls, auth),
    release: (owner) => source.releaseRelays(owner),
  };
}
