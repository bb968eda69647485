import WebSocket from 'ws';
import type { Logger } from '../core/logger';
import { DialRefusedError, describeRefusal } from './dial-policy';
import type { DialOptions, DialPlan } from './dialer';
import type { NostrEvent, Rejection } from './verify';
import { checkEvent, MAX_CONTENT_BYTES } from './verify';

export type RelayState = 'connecting' | 'open' | 'backoff' | 'closed';
export type AuthState = 'none' | 'challenged' | 'authenticated' | 'failed';

export interface RelayStatus {
  url: string;
  state: RelayState;
  auth: AuthState;
  /** Failed connection attempts since the last successful open. */
  attempts: number;
  /** When the next reconnect is due (ms since epoch), while in backoff. */
  nextRetryAt: number | null;
  lastError: string | null;
  /** Events this relay served that failed verification, by reason. */
  rejected: Record<Rejection, number>;
  /** Valid events received. */
  received: number;
}

export interface PublishResult {
  url: string;
  ok: boolean;
  /** The relay's OK message, or why we could not deliver. */
  message: string;
}

export type Filter = Record<string, unknown>;
export type WebSocketCtor = new (url: string, options?: WebSocket.ClientOptions) => WebSocket;
/** Signs the NIP-42 event template; null when no key is available (vault locked). */
export type AuthSigner = (template: {
  kind: number;
  created_at: number;
  tags: string[][];
  content: string;
}) => NostrEvent | null;

export interface RelayConnectionOptions {
  url: string;
  log: Logger;
  onEvent(event: NostrEvent, subId: string, url: string): void;
  onStatus(status: RelayStatus): void;
  /** End of stored events for a subscription. */
  onEose?(subId: string, url: string): void;
  signAuth?: AuthSigner;
  webSocket?: WebSocketCtor;
  /**
   * How to open the socket (proxy, checked address) or why not to, asked at every attempt.
   * Without it the relay is dialled directly.
   */
  dial?: (url: string) => DialPlan;
  now?: () => number;
  backoff?: { baseMs: number; maxMs: number };
  connectTimeoutMs?: number;
  publishTimeoutMs?: number;
  /**
   * True for an event already verified and stored with this id and this signature (it may note
   * that this relay holds it too): it is not verified again nor passed on, since nothing of it is
   * used. Reopening an inbox, relays resend days of it. Another signature is checked as usual.
   */
  knownEvent?: (id: string, sig: string, relayUrl: string) => boolean;
  maxContentBytes?: number;
}

interface PendingPublish {
  event: NostrEvent;
  waiters: ((r: PublishResult) => void)[];
  timer: ReturnType<typeof setTimeout>;
  retriedAfterAuth: boolean;
}

const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * One relay, one WebSocket: reconnects with exponential backoff (with jitter) until closed,
 * replays subscriptions after every (re)connect, answers NIP-42 AUTH challenges, resolves each
 * publish with the relay's OK (or the reason it could not be delivered), and verifies every event
 * it receives (id + signature), counting the ones it rejects.
 *
 * Written on `ws` rather than nostr-tools' AbstractRelay because the wallet needs what that
 * class hides: the per-relay rejection counters (it drops bad events silently), an explicit
 * state machine with backoff we can test, and a publish that retries once after AUTH.
 */
export class RelayConnection {
  readonly url: string;
  private ws: WebSocket | null = null;
  private state: RelayState = 'closed';
  private auth: AuthState = 'none';
  private attempts = 0;
  private nextRetryAt: number | null = null;
  private lastError: string | null = null;
  /** Set when the dial policy refused this relay: it is not retried until asked again. */
  private refused = false;
  private rejected: Record<Rejection, number> = { malformed: 0, oversized: 0, forged: 0 };
  private received = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private wanted = false;
  private readonly subs = new Map<string, Filter[]>();
  private readonly pending = new Map<string, PendingPublish>();
  private authEventId: string | null = null;
  private readonly openWaiters = new Set<() => void>();
  private readonly opts: RelayConnectionOptions;
  private readonly now: () => number;

  constructor(opts: RelayConnectionOptions) {
    this.url = opts.url;
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  status(): RelayStatus {
    return {
      url: this.url,
      state: this.state,
      auth: this.auth,
      attempts: this.attempts,
      nextRetryAt: this.nextRetryAt,
      lastError: this.lastError,
      rejected: { ...this.rejected },
      received: this.received,
    };
  }

  /** Starts connecting (and keeps reconnecting) until close(). */
  connect(): void {
    this.wanted = true;
    if (this.state === 'closed' || this.state === 'backoff') this.open();
  }

  /** Skips the backoff wait and tries now. */
  reconnectNow(): void {
    if (!this.wanted) return;
    if (this.state === 'backoff') this.open();
  }

  close(): void {
    this.wanted = false;
    this.clearTimers();
    for (const w of this.openWaiters) w();
    this.openWaiters.clear();
    this.failPending('connection closed');
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
    }
    this.setState('closed');
  }

  subscribe(subId: string, filters: Filter[]): void {
    this.subs.set(subId, filters);
    if (this.state === 'open') this.send(['REQ', subId, ...filters]);
  }

  unsubscribe(subId: string): void {
    if (!this.subs.delete(subId)) return;
    if (this.state === 'open') this.send(['CLOSE', subId]);
  }

  /**
   * Sends an event and resolves with the relay's OK. Never rejects: a relay that is down, slow
   * or refuses gives ok: false with a message. While connecting, it waits for the socket.
   */
  async publish(event: NostrEvent): Promise<PublishResult> {
    const timeoutMs = this.opts.publishTimeoutMs ?? 8000;
    if (this.state !== 'open') {
      if (!this.wanted) this.connect();
      if (this.refused || (this.state === 'backoff' && this.attempts > 0)) {
        return { url: this.url, ok: false, message: `not connected: ${this.lastError ?? 'unreachable'}` };
      }
      await this.waitOpen(this.opts.connectTimeoutMs ?? 5000);
      if ((this.state as RelayState) !== 'open' || this.refused) {
        return { url: this.url, ok: false, message: `not connected: ${this.lastError ?? 'unreachable'}` };
      }
    }
    const existing = this.pending.get(event.id);
    if (existing) {
      // Same event already in flight on this relay: share its outcome.
      return new Promise<PublishResult>((resolve) => existing.waiters.push(resolve));
    }
    return new Promise<PublishResult>((resolve) => {
      const timer = setTimeout(() => {
        this.settle(event.id, { url: this.url, ok: false, message: 'timeout: no OK from relay' });
      }, timeoutMs);
      timer.unref?.();
      this.pending.set(event.id, { event, waiters: [resolve], timer, retriedAfterAuth: false });
      this.send(['EVENT', event]);
    });
  }

  private settle(id: string, result: PublishResult): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    for (const w of p.waiters) w(result);
  }

  private waitOpen(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.openWaiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      t.unref?.();
      this.openWaiters.add(done);
    });
  }

  /** Drops the socket and dials again now (e.g. the proxy setting changed). */
  restart(): void {
    if (!this.wanted) return;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
    }
    this.failPending('reconnecting');
    this.open();
  }

  private open(): void {
    this.clearTimers();
    this.nextRetryAt = null;
    this.auth = 'none';
    this.authEventId = null;
    this.refused = false;
    const plan = this.opts.dial ? this.opts.dial(this.url) : ({ ok: true, options: {} } as const);
    if (!plan.ok) return this.refuse(describeRefusal(plan.refusal));
    this.setState('connecting');
    const Ctor: WebSocketCtor = this.opts.webSocket ?? WebSocket;
    let ws: WebSocket;
    try {
      // `ws` hands `lookup` on to net/tls.connect; its types just do not list it.
      const options: WebSocket.ClientOptions & DialOptions = {
        maxPayload: MAX_FRAME_BYTES,
        handshakeTimeout: this.opts.connectTimeoutMs ?? 5000,
        ...plan.options,
      };
      ws = new Ctor(this.url, options);
    } catch (err) {
      this.scheduleRetry(describe(err));
      return;
    }
    this.ws = ws;
    this.connectTimer = setTimeout(() => {
      if (this.ws === ws && this.state === 'connecting') {
        ws.terminate();
      }
    }, this.opts.connectTimeoutMs ?? 5000);
    this.connectTimer.unref?.();
    ws.on('open', () => {
      if (this.ws !== ws) return;
      if (this.connectTimer) clearTimeout(this.connectTimer);
      this.attempts = 0;
      this.lastError = null;
      this.setState('open');
      for (const [id, filters] of this.subs) this.send(['REQ', id, ...filters]);
      for (const w of [...this.openWaiters]) w();
    });
    ws.on('message', (data, isBinary) => {
      if (this.ws !== ws) return;
      if (isBinary) return this.reject('malformed', 'binary frame');
      this.onMessage(data.toString());
    });
    ws.on('error', (err) => {
      if (this.ws !== ws) return;
      this.lastError = describe(err);
      if (err instanceof DialRefusedError) this.refused = true;
    });
    ws.on('close', (code) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.refused) return this.refuse(this.lastError ?? 'refused');
      if (!this.lastError && this.state === 'open') this.lastError = `closed (${code})`;
      this.failPending(`connection lost: ${this.lastError ?? code}`);
      if (this.wanted) this.scheduleRetry(this.lastError ?? `closed (${code})`);
      else this.setState('closed');
    });
  }

  /** The policy said no (after DNS, or before dialling): no retries, pending publishes fail. */
  private refuse(reason: string): void {
    this.refused = true;
    this.wanted = false;
    this.lastError = reason;
    this.opts.log.warn('nostr relay refused by the dial policy', { relay: this.url, reason });
    this.failPending(`not connected: ${reason}`);
    this.setState('closed');
    for (const w of [...this.openWaiters]) w();
  }

  private scheduleRetry(reason: string): void {
    this.lastError = reason;
    this.attempts += 1;
    const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 1000, maxMs: 60_000 };
    const exp = Math.min(maxMs, baseMs * 2 ** Math.min(this.attempts - 1, 16));
    const delay = Math.round(exp / 2 + Math.random() * (exp / 2));
    this.nextRetryAt = this.now() + delay;
    this.setState('backoff');
    for (const w of [...this.openWaiters]) w();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.wanted) this.open();
    }, delay);
    this.retryTimer.unref?.();
  }

  private onMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.reject('malformed', 'not JSON');
    }
    if (!Array.isArray(msg) || typeof msg[0] !== 'string')
      return this.reject('malformed', 'not a relay message');
    switch (msg[0]) {
      case 'EVENT': {
        const subId = msg[1];
        if (typeof subId !== 'string' || !this.subs.has(subId)) return;
        const { id, sig } = (msg[2] ?? {}) as { id?: unknown; sig?: unknown };
        if (typeof id === 'string' && typeof sig === 'string' && this.opts.knownEvent?.(id, sig, this.url)) {
          this.received += 1;
          return;
        }
        const checked = checkEvent(msg[2], this.opts.maxContentBytes ?? MAX_CONTENT_BYTES);
        if (!checked.ok) return this.reject(checked.reason, checked.detail);
        this.received += 1;
        try {
          this.opts.onEvent(checked.event, subId, this.url);
        } catch (err) {
          this.opts.log.warn('nostr event handler failed', { relay: this.url, error: describe(err) });
        }
        return;
      }
      case 'OK': {
        const [, id, ok, message] = msg as [string, unknown, unknown, unknown];
        if (typeof id !== 'string') return;
        const text = typeof message === 'string' ? message : '';
        if (id === this.authEventId) {
          this.auth = ok === true ? 'authenticated' : 'failed';
          this.emitStatus();
          if (ok === true) this.afterAuth();
          return;
        }
        const p = this.pending.get(id);
        if (!p) return;
        if (ok !== true && text.startsWith('auth-required') && !p.retriedAfterAuth && this.opts.signAuth) {
          // Resent once AUTH succeeds (the challenge usually arrives with the connection).
          p.retriedAfterAuth = true;
          if (this.auth === 'authenticated') this.send(['EVENT', p.event]);
          return;
        }
        this.settle(id, { url: this.url, ok: ok === true, message: text });
        return;
      }
      case 'AUTH': {
        const challenge = msg[1];
        if (typeof challenge !== 'string' || challenge.length > 512) return;
        this.answerAuth(challenge);
        return;
      }
      case 'CLOSED': {
        const [, subId, reason] = msg as [string, unknown, unknown];
        if (typeof subId === 'string' && typeof reason === 'string' && reason.startsWith('auth-required')) {
          // Keep the subscription: afterAuth() replays it.
          return;
        }
        if (typeof subId === 'string') {
          this.opts.log.info('nostr subscription closed', { relay: this.url, subId });
          // A refused subscription has nothing more to send: report it like an EOSE.
          if (this.subs.has(subId)) this.opts.onEose?.(subId, this.url);
        }
        return;
      }
      case 'EOSE': {
        if (typeof msg[1] === 'string' && this.subs.has(msg[1])) this.opts.onEose?.(msg[1], this.url);
        return;
      }
      case 'NOTICE':
        return;
      default:
        return;
    }
  }

  private answerAuth(challenge: string): void {
    this.auth = 'challenged';
    let signed: NostrEvent | null = null;
    try {
      signed =
        this.opts.signAuth?.({
          kind: 22242,
          created_at: Math.floor(this.now() / 1000),
          tags: [
            ['relay', this.url],
            ['challenge', challenge],
          ],
          content: '',
        }) ?? null;
    } catch (err) {
      this.opts.log.warn('nostr auth signing failed', { relay: this.url, error: describe(err) });
    }
    this.emitStatus();
    if (!signed) return;
    this.authEventId = signed.id;
    this.send(['AUTH', signed]);
  }

  private afterAuth(): void {
    for (const [id, filters] of this.subs) this.send(['REQ', id, ...filters]);
    for (const p of this.pending.values()) if (p.retriedAfterAuth) this.send(['EVENT', p.event]);
  }

  private reject(reason: Rejection, detail: string): void {
    this.rejected[reason] += 1;
    this.opts.log.warn('nostr relay sent a bad event', { relay: this.url, reason, detail });
    this.emitStatus();
  }

  private send(msg: unknown[]): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify(msg), (err) => {
      if (err) this.lastError = describe(err);
    });
  }

  private failPending(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { url: this.url, ok: false, message: reason });
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.retryTimer = null;
    this.connectTimer = null;
  }

  private setState(state: RelayState): void {
    this.state = state;
    this.emitStatus();
  }

  private emitStatus(): void {
    try {
      this.opts.onStatus(this.status());
    } catch {
      // A listener's failure is not the connection's.
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
