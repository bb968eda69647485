import type { BridgeTransport, WireEvent, WireRequest, WireResponse } from '../../shared/bridge';
import type { EventName } from '../../shared/contract/events';
import type { MethodName } from '../../shared/contract/names';
import type { Result } from '../../shared/errors';

/**
 * 'connecting': first attempt. 'open': calls flow. 'reconnecting': the socket dropped (or never
 * opened) and we retry with backoff. 'rejected': the server refused our token; retrying is pointless.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'rejected';

export interface SocketTransport extends BridgeTransport {
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

export interface SocketTransportOptions {
  url: string;
  /** Delays before each retry, in ms; the last one repeats. */
  backoffMs?: readonly number[];
  createSocket?: (url: string) => WebSocket;
  /**
   * Whether the server itself answers (e.g. a plain HTTP request). The loopback server refuses a
   * bad token at the HTTP upgrade, which a browser reports like any failed connection; if the
   * server is reachable but our socket keeps failing before it opens, the token was refused.
   */
  probeServer?: () => Promise<boolean>;
}

/** Close codes with which the server says the token is wrong (4401/4403 custom, 1008 policy). */
const REJECTED_CLOSE_CODES = new Set([1008, 4401, 4403]);
/** Failed handshakes in a row, with the server answering HTTP, before we call the token refused. */
const REFUSALS_BEFORE_REJECTED = 2;
const DEFAULT_BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 10000] as const;

export const CONNECTION_LOST: Result<never> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'Connection to Flash lost' },
};

function isWireResponse(msg: unknown): msg is WireResponse {
  if (typeof msg !== 'object' || msg === null) return false;
  const m = msg as Record<string, unknown>;
  const result = m.result as Record<string, unknown> | null | undefined;
  return typeof m.id === 'number' && typeof result === 'object' && result !== null && 'ok' in result;
}

function isWireEvent(msg: unknown): msg is WireEvent {
  return (
    typeof msg === 'object' && msg !== null && typeof (msg as Record<string, unknown>).event === 'string'
  );
}

/** The browser-mode transport: one WebSocket to the loopback server, reconnected with backoff. */
export function createSocketTransport(opts: SocketTransportOptions): SocketTransport {
  const backoff = opts.backoffMs ?? DEFAULT_BACKOFF_MS;
  const createSocket = opts.createSocket ?? ((url: string) => new WebSocket(url));
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const unsent: WireRequest[] = [];
  const eventListeners = new Set<(event: EventName, payload: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closedByUs = false;
  let refusals = 0;

  const setState = (next: ConnectionState): void => {
    if (next === state) return;
    state = next;
    for (const fn of [...stateListeners]) fn(next);
  };

  const failPending = (): void => {
    unsent.length = 0;
    const waiting = [...pending.values()];
    pending.clear();
    for (const resolve of waiting) resolve(CONNECTION_LOST);
  };

  const onMessage = (raw: unknown): void => {
    if (typeof raw !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (isWireResponse(msg)) {
      const resolve = pending.get(msg.id);
      if (resolve) {
        pending.delete(msg.id);
        resolve(msg.result);
      }
    } else if (isWireEvent(msg)) {
      for (const fn of [...eventListeners]) fn(msg.event, msg.payload);
    }
  };

  const scheduleRetry = (): void => {
    const delay = backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
    attempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      connect();
    }, delay);
  };

  function connect(): void {
    let ws: WebSocket;
    try {
      ws = createSocket(opts.url);
    } catch {
      setState('reconnecting');
      scheduleRetry();
      return;
    }
    socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      attempt = 0;
      refusals = 0;
      setState('open');
      for (const req of unsent.splice(0)) ws.send(JSON.stringify(req));
    };
    ws.onmessage = (ev: { data: unknown }) => onMessage(ev.data);
    ws.onclose = (ev: { code: number }) => {
      if (socket === ws) socket = null;
      failPending();
      if (closedByUs) return;
      if (REJECTED_CLOSE_CODES.has(ev.code)) {
        setState('rejected');
        return;
      }
      setState('reconnecting');
      if (opened || !opts.probeServer) return scheduleRetry();
      void opts.probeServer().then(
        (reachable) => {
          if (closedByUs) return;
          refusals = reachable ? refusals + 1 : 0;
          if (refusals >= REFUSALS_BEFORE_REJECTED) setState('rejected');
          else scheduleRetry();
        },
        () => scheduleRetry(),
      );
    };
    // 'error' is always followed by 'close', which does the work.
    ws.onerror = () => undefined;
  }

  connect();

  return {
    call(method: MethodName, input: unknown): Promise<Result<unknown>> {
      if (state === 'rejected' || closedByUs) return Promise.resolve(CONNECTION_LOST);
      return new Promise((resolve) => {
        const req: WireRequest = { id: nextId++, method, input };
        pending.set(req.id, resolve);
        if (state === 'open' && socket) socket.send(JSON.stringify(req));
        else unsent.push(req);
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    state: () => state,
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
      failPending();
    },
  };
}
