import type { Duplex } from 'node:stream';
import type { ElectrumServer } from '../../../shared/contract';
import { FlashError, isFlashError } from '../../../shared/errors';
import type { Logger } from '../../core/logger';
import { silentLogger } from '../../core/logger';
import type { IncomingMessage } from './json-rpc';
import { parseLine, ProtocolViolation } from './json-rpc';
import { LineSplitter, LineTooLongError } from './line-splitter';
import type { RateLimit, RateLimiter } from './rate-limit';
import { defaultRateLimitFor } from './own-server';
import { createRateLimiter } from './rate-limit';
import type { BatchRefusal, ServerProfile } from './server-profile';
import { classifyBatchRefusal, createServerProfile } from './server-profile';
import type { CertificateTrust, Socks5Proxy, TlsTrust } from './socket';
import { openSocket } from './socket';
import type { ClientStats, ElectrumClient, JsonValue } from './types';
import { negotiateVersion } from './version';
import { classifyRpcError } from './rpc-errors';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_KEEPALIVE_MS = 60_000;
/** Large enough for a big get_history or a 2016-header chunk, small enough to stop a runaway server. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
export const DEFAULT_PROTOCOL_RANGE: readonly [string, string] = ['1.4', '1.6'];
/** Tries after a "rate limited" reply before giving up on a request, and the first pause. */
const RATE_LIMIT_RETRIES = 4;
const RATE_LIMIT_PAUSE_MS = 250;

export interface ClientOptions {
  server: ElectrumServer;
  /** An open byte stream to the server (a TCP or TLS socket, or a fake one in tests). */
  socket: Duplex;
  certificateFingerprint?: string | null;
  certificateTrust?: CertificateTrust | null;
  /** How long one request (or one batch) may wait for its reply. */
  timeoutMs?: number;
  /** Idle time after which `server.ping` is sent; 0 turns keep-alive off. */
  keepAliveMs?: number;
  maxLineBytes?: number;
  log?: Logger;
  /** Request cap for this connection; null turns it off. Default: by host (defaultRateLimitFor). */
  rateLimit?: RateLimit | null;
  /** What we know of this server's batch handling; shared by its connections. A fresh one otherwise. */
  profile?: ServerProfile;
}

export interface ConnectOptions {
  /** Fingerprint a TLS certificate must match; null or absent accepts any (pin on first use). */
  pinnedFingerprint?: string | null;
  /** How this server was trusted before (CA-valid or pinned); wins over pinnedFingerprint. */
  trust?: TlsTrust | null;
  /** CA certificates (PEM) instead of Node's bundled roots (tests). */
  trustedCa?: readonly string[];
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
  rateLimit?: RateLimit | null;
  profile?: ServerProfile;
  /** Tunnel through a SOCKS5 proxy (Tor). */
  proxy?: Socks5Proxy | null;
}

/** A client that can still record the outcome of server.version (done once, by connectElectrum). */
export interface NegotiableClient extends ElectrumClient {
  setNegotiated(serverSoftware: string, protocolVersion: string): void;
}

interface Pending {
  method: string;
  resolve: (value: JsonValue) => void;
  reject: (err: Error) => void;
  /** The batch frame this request went out in, if any. */
  frame: Frame | null;
}

interface Frame {
  ids: number[];
}

type Call = { method: string; params: JsonValue[] };

/** The server refused a batch as a whole (error for the array, "batches not supported", rate limit). */
class BatchRefused extends Error {
  constructor(
    readonly kind: BatchRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'BatchRefused';
  }
}

/** Opens the socket, checks the TLS pin, negotiates the protocol version. */
export async function connectElectrum(
  server: ElectrumServer,
  opts: ConnectOptions = {},
): Promise<ElectrumClient> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { socket, certificateFingerprint, certificateTrust } = await openSocket(server, {
    timeoutMs,
    pinnedFingerprint: opts.pinnedFingerprint ?? null,
    ...(opts.trust !== undefined ? { trust: opts.trust } : {}),
    ...(opts.trustedCa ? { trustedCa: opts.trustedCa } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.proxy ? { proxy: opts.proxy } : {}),
  });
  const client = createElectrumClient({
    server,
    socket,
    certificateFingerprint,
    certificateTrust,
    timeoutMs,
    ...(opts.keepAliveMs !== undefined ? { keepAliveMs: opts.keepAliveMs } : {}),
    ...(opts.maxLineBytes !== undefined ? { maxLineBytes: opts.maxLineBytes } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.rateLimit !== undefined ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
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
 *
 * `batch()` cuts its calls into frames of the server profile's current batch size (grown on
 * success, shrunk on timeouts and refusals); a server that refuses batches gets pipelined single
 * requests instead. Every write waits for the rate limiter.
 */
export function createElectrumClient(opts: ClientOptions): NegotiableClient {
  const { server, socket } = opts;
  const log = opts.log ?? silentLogger;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const keepAliveMs = opts.keepAliveMs ?? DEFAULT_KEEPALIVE_MS;
  const splitter = new LineSplitter(opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const where = `${server.host}:${server.port}`;
  const profile = opts.profile ?? createServerProfile();
  const rateLimit = opts.rateLimit === undefined ? defaultRateLimitFor(server.host) : opts.rateLimit;
  const limiter: RateLimiter | null = rateLimit ? createRateLimiter(rateLimit) : null;

  const pending = new Map<number, Pending>();
  /** Batch frames awaiting replies, oldest first: an error without an id answers the oldest. */
  const frames: Frame[] = [];
  const notificationListeners = new Set<(method: string, params: JsonValue[]) => void>();
  const closeListeners = new Set<(err: Error | null) => void>();
  const timers = new Set<NodeJS.Timeout>();
  const stats: ClientStats = { roundTrips: 0, requests: 0, bytesSent: 0, bytesReceived: 0 };
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
    if (err && frames.length > 0) {
      // Some servers hang up on a batch instead of refusing it: twice in a row and we stop batching.
      if (isFlashError(err) && err.code === 'ELECTRUM_TIMEOUT') profile.shrink();
      else if (err && !(isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL')) {
        profile.batchCloses++;
        profile.shrink();
        if (profile.batchCloses >= 2 && profile.batchSupported) {
          profile.batchSupported = false;
          log.warn('server keeps closing on batches; sending single requests', { server: where });
        }
      }
    }
    frames.length = 0;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (keepAliveTimer) clearTimeout(keepAliveTimer);
    keepAliveTimer = null;
    socket.off('data', onData);
    socket.destroy();
    const reason = err ?? new FlashError('ELECTRUM_NOT_CONNECTED', `Connection to ${where} was closed`);
    limiter?.abort(reason);
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

  const settleFrame = (frame: Frame | null): void => {
    if (!frame) return;
    if (frame.ids.some((id) => pending.has(id))) return;
    const at = frames.indexOf(frame);
    if (at >= 0) frames.splice(at, 1);
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
      const frame = frames[0];
      if (frame) {
        // One error for a whole batch: the server refuses batches (or this size). Not fatal.
        frames.shift();
        const refusal = new BatchRefused(
          // "Invalid request" for a well-formed array is how servers with batching off say no
          // (Fulcrum). Any other unexplained error for the whole array: assume the size, shrink, see.
          classifyBatchRefusal(msg.message) ?? (msg.code === -32600 ? 'unsupported' : 'too-large'),
          `${where} refused a batch of ${frame.ids.length}: ${msg.message}`,
        );
        for (const id of frame.ids) {
          const entry = pending.get(id);
          pending.delete(id);
          entry?.reject(refusal);
        }
        return;
      }
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
    settleFrame(entry.frame);
    if (msg.kind === 'result') entry.resolve(msg.result);
    else
      entry.reject(
        new FlashError('ELECTRUM_PROTOCOL', `${entry.method} failed: ${msg.message}`, {
          method: entry.method,
          rpcCode: msg.code,
          rpcKind: classifyRpcError(msg.code, msg.message),
        }),
      );
  };

  function onData(chunk: Buffer | string): void {
    if (!open) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    stats.bytesReceived += bytes.length;
    let lines: string[];
    try {
      lines = splitter.push(bytes);
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

  const notConnected = (): FlashError =>
    new FlashError('ELECTRUM_NOT_CONNECTED', `Not connected to ${where}`);

  /**
   * Writes one request or one batch frame (one round trip) and waits for every reply. Settles
   * per call, so a batch with one failing call still delivers the others.
   */
  const sendSettled = (
    calls: Call[],
    asBatch: boolean,
    newFlight = true,
  ): Promise<PromiseSettledResult<JsonValue>[]> => {
    if (!open) return Promise.reject(notConnected());
    // Written at once when the limiter allows it (callers may rely on the write being synchronous).
    if (!limiter || limiter.tryAcquire(calls.length)) return write(calls, asBatch, newFlight);
    return limiter.acquire(calls.length).then(() => {
      if (!open) {
        limiter.release(calls.length);
        throw notConnected();
      }
      return write(calls, asBatch, newFlight);
    });
  };

  /** `newFlight` false: this frame leaves together with others already counted as one round trip. */
  const write = async (
    calls: Call[],
    asBatch: boolean,
    newFlight: boolean,
  ): Promise<PromiseSettledResult<JsonValue>[]> => {
    const frame: Frame | null = asBatch ? { ids: [] } : null;
    const ids: number[] = [];
    const replies = calls.map(
      (call) =>
        new Promise<JsonValue>((resolve, reject) => {
          const id = nextId++;
          ids.push(id);
          pending.set(id, { method: call.method, resolve, reject, frame });
        }),
    );
    if (frame) {
      frame.ids = ids;
      frames.push(frame);
    }
    const payload = calls.map((call, i) => ({
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
    const line = JSON.stringify(asBatch ? payload : payload[0]) + '\n';
    if (newFlight) stats.roundTrips += 1;
    stats.requests += calls.length;
    stats.bytesSent += Buffer.byteLength(line);
    socket.write(line);
    armKeepAlive();
    try {
      return await Promise.allSettled(replies);
    } finally {
      clearTimeout(timer);
      timers.delete(timer);
      limiter?.release(calls.length);
    }
  };

  const send = (calls: Call[], asBatch: boolean): Promise<JsonValue[]> =>
    sendSettled(calls, asBatch).then((settled) =>
      settled.map((r) => {
        if (r.status === 'rejected') throw r.reason;
        return r.value;
      }),
    );

  /** One frame of a batch; a refusal (whole-array error, or every failure a refusal) is thrown as BatchRefused. */
  const sendFrame = async (calls: Call[], newFlight = true): Promise<JsonValue[]> => {
    const settled = await sendSettled(calls, true, newFlight);
    const failures = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length === 0) return settled.map((r) => (r as PromiseFulfilledResult<JsonValue>).value);
    const first = failures[0]?.reason as unknown;
    if (first instanceof BatchRefused) throw first;
    const kinds = failures.map((f) =>
      f.reason instanceof Error ? classifyBatchRefusal(f.reason.message) : null,
    );
    if (kinds.every((k) => k !== null)) {
      throw new BatchRefused(kinds[0] ?? 'too-large', (first as Error).message);
    }
    throw (failures.find((_, i) => kinds[i] === null)?.reason ?? first) as Error;
  };

  /**
   * One request on its own. A server that says "slow down" (an error reply, not a lie and not a
   * failure of the request) is asked again after a growing pause; the limiter's rate drops too, so
   * the requests after it do not hit the same wall.
   */
  const sendOne = async (call: Call): Promise<JsonValue> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const [value] = await send([call], false);
        return value ?? null;
      } catch (err) {
        const limited =
          isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL' && err.details?.rpcKind === 'rate-limited';
        if (!limited || attempt >= RATE_LIMIT_RETRIES || !open) throw err;
        limiter?.slowDown();
        log.info('rate-limited by the server; waiting', { server: where, method: call.method, attempt });
        await pause(RATE_LIMIT_PAUSE_MS * 2 ** attempt);
      }
    }
  };

  // Not tracked in `timers`: a pause cut short by a shutdown would leave its caller waiting forever;
  // this one just ends, and the next send fails with "not connected".
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

  /** Single requests, pipelined with bounded concurrency; results in call order. */
  const singles = async (calls: Call[]): Promise<JsonValue[]> => {
    const out = new Array<JsonValue>(calls.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < calls.length) {
        const i = next++;
        const call = calls[i] as Call;
        out[i] = await sendOne(call);
      }
    };
    const n = Math.max(1, Math.min(profile.policy.singleConcurrency, calls.length));
    await Promise.all(Array.from({ length: n }, worker));
    return out;
  };

  /**
   * Every frame of a large batch leaves at once (one round trip of latency) at the server's current
   * frame size; a frame the server refuses is redone on its own by the adaptive path below.
   */
  const batch = async (calls: Call[]): Promise<JsonValue[]> => {
    const size = profile.batchSize;
    if (!profile.batchSupported || calls.length <= size) return adaptiveBatch(calls);
    const pieces: Call[][] = [];
    for (let i = 0; i < calls.length; i += size) pieces.push(calls.slice(i, i + size));
    const settled = await Promise.allSettled(pieces.map((piece, k) => sendFrame(piece, k === 0)));
    const out: JsonValue[] = [];
    for (const [k, result] of settled.entries()) {
      if (result.status === 'fulfilled') out.push(...result.value);
      else if (result.reason instanceof BatchRefused) out.push(...(await adaptiveBatch(pieces[k] ?? [])));
      else throw result.reason;
    }
    if (settled.every((r) => r.status === 'fulfilled')) profile.grow();
    return out;
  };

  const adaptiveBatch = async (calls: Call[]): Promise<JsonValue[]> => {
    const out: JsonValue[] = [];
    let i = 0;
    while (i < calls.length) {
      if (!profile.batchSupported) {
        out.push(...(await singles(calls.slice(i))));
        break;
      }
      const size = profile.batchSize;
      const chunk = calls.slice(i, i + size);
      try {
        out.push(...(await sendFrame(chunk)));
        // Only a full frame says the server takes this size: a batch of two says nothing.
        if (chunk.length >= size) profile.grow();
      } catch (err) {
        if (!(err instanceof BatchRefused)) throw err;
        if (err.kind === 'too-large' && size > profile.policy.min) {
          profile.shrink();
          log.info('batch refused as too large; shrinking', {
            server: where,
            from: size,
            to: profile.batchSize,
          });
          continue;
        }
        if (err.kind === 'rate-limited') {
          profile.shrink();
          log.warn('rate-limited on a batch; retrying as single requests', { server: where });
        } else {
          profile.batchSupported = false;
          log.warn('server refuses batches; sending single requests', { server: where, reason: err.message });
        }
        out.push(...(await singles(chunk)));
      }
      i += chunk.length;
    }
    return out;
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
    certificateTrust: opts.certificateTrust ?? null,
    get isOpen() {
      return open;
    },
    setNegotiated(software, version) {
      serverSoftware = software;
      protocolVersion = version;
    },
    async request(method, params) {
      return sendOne({ method, params });
    },
    async batch(calls) {
      if (calls.length === 0) return [];
      return batch(calls);
    },
    stats() {
      return { ...stats };
    },
    batchSize() {
      return profile.batchSupported ? profile.batchSize : 1;
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
    abort(err) {
      shutdown(err);
    },
  };
}
