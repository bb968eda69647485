import type { Logger } from '../core/logger';
import type {
  AuthSigner,
  Filter,
  PublishResult,
  RelayConnectionOptions,
  RelayStatus,
  WebSocketCtor,
} from './relay-connection';
import { RelayConnection } from './relay-connection';
import type { NostrEvent } from './verify';

export interface RelayPoolOptions {
  log: Logger;
  signAuth?: AuthSigner;
  webSocket?: WebSocketCtor;
  /** Proxy and dial policy for every connection (see dialer.ts). */
  dial?: RelayConnectionOptions['dial'];
  now?: () => number;
  backoff?: RelayConnectionOptions['backoff'];
  connectTimeoutMs?: number;
  publishTimeoutMs?: number;
  /** How many event ids to remember for dedupe across relays. */
  dedupeSize?: number;
  knownEvent?: RelayConnectionOptions['knownEvent'];
}

export type PoolEventListener = (
  event: NostrEvent,
  relayUrl: string,
  duplicate: boolean,
  subId: string,
) => void;

/** Lowercase scheme and host, no trailing slash: one spelling per relay. Throws on non-ws URLs. */
export function normalizeRelayUrl(input: string): string {
  const u = new URL(input.trim());
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error('relay URL must be ws:// or wss://');
  if (u.username || u.password) throw new Error('relay URL must not carry credentials');
  u.hash = '';
  let s = u.toString();
  if (s.endsWith('/') && u.pathname === '/' && !u.search) s = s.slice(0, -1);
  return s;
}

/**
 * Many relays: connections by URL, subscriptions on chosen relays, publish to a set of relays
 * with one result per relay, and dedupe of events seen on several relays (each sighting is still
 * reported with `duplicate: true` so callers can record which relays hold an event).
 */
export class RelayPool {
  private readonly conns = new Map<string, RelayConnection>();
  private readonly seen = new Set<string>();
  private readonly listeners = new Set<PoolEventListener>();
  private readonly eoseListeners = new Set<(subId: string, url: string) => void>();
  private queryCounter = 0;
  private readonly statusListeners = new Set<(s: RelayStatus) => void>();
  private readonly opts: RelayPoolOptions;
  private closed = false;

  constructor(opts: RelayPoolOptions) {
    this.opts = opts;
  }

  onEvent(listener: PoolEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A relay sent EOSE (or refused) for a subscription: its stored events are all delivered. */
  onEose(listener: (subId: string, url: string) => void): () => void {
    this.eoseListeners.add(listener);
    return () => this.eoseListeners.delete(listener);
  }

  onStatus(listener: (s: RelayStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The connection for `url`, created (and connecting) on first use. */
  relay(url: string): RelayConnection {
    const key = normalizeRelayUrl(url);
    let conn = this.conns.get(key);
    if (!conn) {
      conn = new RelayConnection({
        url: key,
        log: this.opts.log,
        onEvent: (event, subId, relayUrl) => this.dispatch(event, relayUrl, subId),
        onEose: (subId, relayUrl) => {
          for (const l of [...this.eoseListeners]) l(subId, relayUrl);
        },
        onStatus: (s) => {
          for (const l of [...this.statusListeners]) l(s);
        },
        ...(this.opts.signAuth ? { signAuth: this.opts.signAuth } : {}),
        ...(this.opts.webSocket ? { webSocket: this.opts.webSocket } : {}),
        ...(this.opts.dial ? { dial: this.opts.dial } : {}),
        ...(this.opts.now ? { now: this.opts.now } : {}),
        ...(this.opts.backoff ? { backoff: this.opts.backoff } : {}),
        ...(this.opts.connectTimeoutMs ? { connectTimeoutMs: this.opts.connectTimeoutMs } : {}),
        ...(this.opts.publishTimeoutMs ? { publishTimeoutMs: this.opts.publishTimeoutMs } : {}),
        ...(this.opts.knownEvent ? { knownEvent: this.opts.knownEvent } : {}),
      });
      this.conns.set(key, conn);
      if (!this.closed) conn.connect();
    }
    return conn;
  }

  /** Closes connections to relays not in `keep`. */
  retain(keep: Iterable<string>): void {
    const wanted = new Set([...keep].map(normalizeRelayUrl));
    for (const [url, conn] of this.conns) {
      if (!wanted.has(url)) {
        conn.close();
        this.conns.delete(url);
      }
    }
  }

  subscribe(subId: string, filters: Filter[], urls: Iterable<string>): void {
    const on = new Set([...urls].map(normalizeRelayUrl));
    for (const url of on) this.relay(url).subscribe(subId, filters);
    for (const [url, conn] of this.conns) if (!on.has(url)) conn.unsubscribe(subId);
  }

  unsubscribe(subId: string): void {
    for (const conn of this.conns.values()) conn.unsubscribe(subId);
  }

  /** Publishes to every relay in `urls` at once; one result per relay, never rejects. */
  async publish(event: NostrEvent, urls: Iterable<string>): Promise<PublishResult[]> {
    const list = [...new Set([...urls].map(normalizeRelayUrl))];
    return Promise.all(list.map((url) => this.relay(url).publish(event)));
  }

  statuses(): RelayStatus[] {
    return [...this.conns.values()].map((c) => c.status());
  }

  reconnectAll(): void {
    for (const c of this.conns.values()) c.reconnectNow();
  }

  /** Every live connection drops its socket and dials again (the proxy setting changed). */
  restartAll(): void {
    for (const c of this.conns.values()) c.restart();
  }

  close(): void {
    this.closed = true;
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }

  /**
   * One-shot query: subscribes on `urls`, collects verified events until every relay that is
   * open has sent EOSE (or refused), or `timeoutMs` passes, then closes the subscription.
   */
  async query(filters: Filter[], urls: Iterable<string>, timeoutMs = 3000): Promise<NostrEvent[]> {
    return (await this.queryReport(filters, urls, timeoutMs)).events;
  }

  /** `query`, also saying which relays answered (EOSE): an empty answer from nobody means "unknown". */
  queryReport(
    filters: Filter[],
    urls: Iterable<string>,
    timeoutMs = 3000,
  ): Promise<{ events: NostrEvent[]; answered: string[] }> {
    const list = [...new Set([...urls].map(normalizeRelayUrl))];
    const subId = `q${++this.queryCounter}`;
    const found = new Map<string, NostrEvent>();
    if (list.length === 0) return Promise.resolve({ events: [], answered: [] });
    return new Promise((resolve) => {
      const done = new Set<string>();
      const offEvent = this.onEvent((event, _url, _dup, sid) => {
        if (sid === subId) found.set(event.id, event);
      });
      const finish = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        offEvent();
        this.eoseListeners.delete(onEose);
        for (const url of list) this.conns.get(url)?.unsubscribe(subId);
        resolve({ events: [...found.values()], answered: [...done] });
      };
      const check = (): void => {
        const waiting = list.filter((u) => {
          const state = this.conns.get(u)?.status().state;
          // Down (backoff) or refused by the dial policy (closed): nothing will come.
          return !done.has(u) && state !== 'backoff' && state !== 'closed';
        });
        if (waiting.length === 0) finish();
      };
      const onEose = (sid: string, url: string): void => {
        if (sid !== subId) return;
        done.add(url);
        check();
      };
      this.eoseListeners.add(onEose);
      const timer = setTimeout(finish, timeoutMs);
      // Relays that fail to connect stop being waited for.
      const poll = setInterval(check, 100);
      for (const url of list) this.relay(url).subscribe(subId, filters);
    });
  }

  private dispatch(event: NostrEvent, relayUrl: string, subId: string): void {
    const duplicate = this.seen.has(event.id);
    if (!duplicate) {
      this.seen.add(event.id);
      const max = this.opts.dedupeSize ?? 50_000;
      if (this.seen.size > max) {
        const first = this.seen.values().next().value;
        if (first !== undefined) this.seen.delete(first);
      }
    }
    for (const l of [...this.listeners]) {
      try {
        l(event, relayUrl, duplicate, subId);
      } catch (err) {
        this.opts.log.warn('nostr pool listener failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }
}
