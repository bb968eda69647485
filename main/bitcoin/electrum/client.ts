import type { Duplex } from 'node:stream';
import type { ElectrumServer } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import type { Logger } from '../../core/logger';
import { silentLogger } from '../../core/logger';
import type { IncomingMessage } from './json-rpc';
import { parseLine, ProtocolViolation } from './json-rpc';
import { LineSplitter, LineTooLongError } from './line-splitter';
import { openSocket } from './socket';
import type { ElectrumClient, JsonValue } from './types';
import { negotiateVersion } from './version';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_KEEPALIVE_MS = 60_000;
/** Large enough for a big get_history or a 2016-header chunk, small enough to stop a runaway server. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_PROTOCOL_RANGE: readonly [string, string] = ['1.4', '1.6'];

export interface ClientOptions {
  server: ElectrumServer;
  /** An open byte stream to the server (a TCP or TLS socket, or a fake one in tests). */
  socket: Duplex;
  certificateFingerprint?: string | null;
  /** How long one request (or one batch) may wait for its reply. */
  timeoutMs?: number;
  /** Idle time after which `server.ping` is sent; 0 turns keep-alive off. */
  keepAliveMs?: number;
  maxLineBytes?: number;
  log?: Logger;
}

export interface ConnectOptions {
  /** Fingerprint a TLS certificate must match; null or absent accepts any (pin on first use). */
  pinnedFingerprint?: string | null;
  /** Bounds connecting, the version handshake and each later request. */
  timeoutMs?: number;
  keepAliveMs?: number;
  maxLineBytes?: number;
  /** Sent in server.version, e.g. "flash-desktop 0.1.0". */
  clientName?: string;
  protocolRange?: readonly [string, string];
  /** Aborting cancels a connection attempt that is still under way. */
  signal?: AbortSignal;
  log?: Logger;
}

/** A client that can still record the outcome of server.version (done once, by connectElectrum). */
export interface NegotiableClient extends ElectrumClient {
  setNegotiated(serverSoftware: string, protocolVersion: string): void;
}

interface Pending {
  method: string;
  resolve: (value: JsonValue) => void;
  reject: (err: Error) => void;
}

/** Opens the socket, checks the TLS pin, negotiates the protocol version. */
export async function connectElectrum(
  server: ElectrumServer,
  opts: ConnectOptions = {},
): Promise<ElectrumClient> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { socket, certificateFingerprint } = await openSocket(server, {
    timeoutMs,
    pinnedFingerprint: opts.pinnedFingerprint ?? null,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const client = createElectrumClient({
    server,
    socket,
    certificateFingerprint,
    timeoutMs,
    ...(opts.keepAliveMs !== undefined ? { keepAliveMs: opts.keepAliveMs } : {}),
    ...(opts.maxLineBytes !== undefined ? { maxLineBytes: opts.maxLineBytes } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  const onAbort = (): void => client.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const negotiated = await negotiateVersion(
      client,
      opts.clientName ?? 'flash-desktop',
      opts.protocolRange ?? DEFAULT_PROTOCOL_RANGE,
    );
    client.setNegotiated(negotiated.serverSoftware, negotiated.protocolVersion);
    if (opts.signal?.aborted) throw new FlashError('ELECTRUM_NOT_CONNECTED', 'Connection was cancelled');
    return client;
  } catch (err) {
    client.close();
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * JSON-RPC over newline-delimited frames. Anything the server sends that is not JSON-RPC closes
 * the connection with ELECTRUM_PROTOCOL; a reply to an id we never sent (or already gave up on) is
 * ignored, since it can follow a timeout harmlessly.
 */
export function createElectrumClient(opts: ClientOptions): NegotiableClient {
  const { server, socket } = opts;
  const log = opts.log ?? silentLogger;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const keepAliveMs = opts.keepAliveMs ?? DEFAULT_KEEPALIVE_MS;
  const splitter = new LineSplitter(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const where = `${server.host}:${server.port}`;

  const pending = new Map<number, Pending>();
  const notificationListeners = new Set<(method: string, params: JsonValue[]) => void>();
  const closeListeners = new Set<(err: Error | null) => void>();
  const timers = new Set<NodeJS.Timeout>();
  let keepAliveTimer: NodeJS.Timeout | null = null;
  let nextId = 1;
  let open = true;
  let closedWith: Error | null = null;
  let protocolVersion: string | null = null;
  let serverSoftware: string | null = null;

  const shutdown = (err: Error | null): void => {
    if (!open) return;
    open = false;
    closedWith = err;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (keepAliveTimer) clearTimeout(keepAliveTimer);
    keepAliveTimer = null;
    socket.off('data', onData);
    socket.destroy();
    const reason = err ?? new FlashError('ELECTRUM_NOT_CONNECTED', `Connection to ${where} was closed`);
    for (const p of pending.values()) p.reject(reason);
    pending.clear();
    for (const listener of [...closeListeners]) {
      try {
        listener(err);
      } catch (listenerErr) {
        log.warn('close listener failed', { error: String(listenerErr) });
      }
    }
    closeListeners.clear();
    notificationListeners.clear();
  };

  const protocolFailure = (message: string): void => {
    log.warn('protocol violation, closing', { server: where, reason: message });
    shutdown(new FlashError('ELECTRUM_PROTOCOL', `${where} broke the Electrum protocol: ${message}`));
  };

  const dispatch = (msg: IncomingMessage): void => {
    if (msg.kind === 'notification') {
      for (const listener of [...notificationListeners]) {
        try {
          listener(msg.method, msg.params);
        } catch (err) {
          log.warn('notification listener failed', { method: msg.method, error: String(err) });
        }
      }
      return;
    }
    if (msg.kind === 'error' && msg.id === null) {
      // An error not tied to any request (e.g. the server could not parse ours): nothing to recover.
      protocolFailure(`server error without an id: ${msg.message}`);
      return;
    }
    const id = typeof msg.id === 'number' ? msg.id : Number(msg.id ?? NaN);
    const entry = pending.get(id);
    if (!entry) {
      log.debug('reply for an unknown id ignored', { server: where, id: String(msg.id) });
      return;
    }
    pending.delete(id);
    if (msg.kind === 'result') entry.resolve(msg.result);
    else
      entry.reject(
        new FlashError('ELECTRUM_PROTOCOL', `${entry.method} failed: ${msg.message}`, {
          method: entry.method,
          rpcCode: msg.code,
        }),
      );
  };

  function onData(chunk: Buffer | string): void {
    if (!open) return;
    let lines: string[];
    try {
      lines = splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    } catch (err) {
      protocolFailure(err instanceof LineTooLongError ? err.message : String(err));
      return;
    }
    for (const line of lines) {
      let messages: IncomingMessage[];
      try {
        messages = parseLine(line);
      } catch (err) {
        protocolFailure(err instanceof ProtocolViolation ? err.message : String(err));
        return;
      }
      for (const msg of messages) {
        dispatch(msg);
        if (!open) return;
      }
    }
  }

  const armKeepAlive = (): void => {
    if (keepAliveMs <= 0 || !open) return;
    if (keepAliveTimer) clearTimeout(keepAliveTimer);
    keepAliveTimer = setTimeout(() => {
      keepAliveTimer = null;
      // A failed ping closes the connection through the request timeout; nothing else to do here.
      send([{ method: 'server.ping', params: [] }], false).catch(() => {});
    }, keepAliveMs);
    keepAliveTimer.unref();
  };

  /** Writes one request or one batch and waits for every reply. */
  const send = (calls: { method: string; params: JsonValue[] }[], asBatch: boolean): Promise<JsonValue[]> => {
    if (!open) {
      return Promise.reject(new FlashError('ELECTRUM_NOT_CONNECTED', `Not connected to ${where}`));
    }
    const ids: number[] = [];
    const replies = calls.map(
      (call) =>
        new Promise<JsonValue>((resolve, reject) => {
          const id = nextId++;
          ids.push(id);
          pending.set(id, { method: call.method, resolve, reject });
        }),
    );
    const frames = calls.map((call, i) => ({
      jsonrpc: '2.0',
      id: ids[i],
      method: call.method,
      params: call.params,
    }));
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!ids.some((id) => pending.has(id))) return;
      const what = asBatch ? `a batch of ${calls.length}` : (calls[0]?.method ?? 'a request');
      // A server that stopped answering rarely recovers on the same socket: close so the owner reconnects.
      shutdown(new FlashError('ELECTRUM_TIMEOUT', `${where} did not answer ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    timers.add(timer);
    const all = Promise.all(replies).finally(() => {
      clearTimeout(timer);
      timers.delete(timer);
    });
    socket.write(JSON.stringify(asBatch ? frames : frames[0]) + '\n');
    armKeepAlive();
    return all;
  };

  socket.on('data', onData);
  socket.on('error', (err: Error) =>
    shutdown(new FlashError('ELECTRUM_UNREACHABLE', `Connection to ${where} failed: ${err.message}`)),
  );
  socket.on('close', () =>
    shutdown(new FlashError('ELECTRUM_UNREACHABLE', `${where} closed the connection`)),
  );
  armKeepAlive();

  return {
    server,
    get protocolVersion() {
      return protocolVersion;
    },
    get serverSoftware() {
      return serverSoftware;
    },
    certificateFingerprint: opts.certificateFingerprint ?? null,
    get isOpen() {
      return open;
    },
    setNegotiated(software, version) {
      serverSoftware = software;
      protocolVersion = version;
    },
    async request(method, params) {
      const [result] = await send([{ method, params }], false);
      return result ?? null;
    },
    async batch(calls) {
      if (calls.length === 0) return [];
      return send(calls, true);
    },
    onNotification(listener) {
      notificationListeners.add(listener);
      return () => notificationListeners.delete(listener);
    },
    onClose(listener) {
      if (!open) {
        queueMicrotask(() => listener(closedWith));
        return () => {};
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      shutdown(null);
    },
  };
}
