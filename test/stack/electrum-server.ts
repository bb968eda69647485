import net from 'node:net';
import tls from 'node:tls';
import type { JsonValue } from '../../main/bitcoin/electrum/types';
import type { ChainChange, RegtestChain } from './chain';
import type {
  DialectQuirk,
  ElectrumBackend,
  ProtocolOffer,
  ServerInfo,
  SessionState,
} from './electrum-methods';
import {
  createElectrumMethods,
  DEFAULT_PROTOCOL_OFFER,
  newSessionState,
  RPC,
  RpcError,
} from './electrum-methods';
import type { LieMode } from './lying';
import { createLyingBackend } from './lying';

/**
 * How the server misbehaves, for tests: 'garbage' answers every request with a non-JSON line,
 * 'silent' accepts connections and never answers, 'down' closes every connection at once.
 */
export type FaultMode = 'none' | 'garbage' | 'silent' | 'down';
export const FAULT_MODES: readonly FaultMode[] = ['none', 'garbage', 'silent', 'down'];

/**
 * A server that takes time to answer, modelled on what issue 15 measured against Fulcrum 2.1.1
 * with Bitcoin Core 31 on one 2-core machine (a 1,000-address, 5,000-transaction first sync):
 * - the client waited 12.5 s over about 250 sequential round trips, while the servers burned
 *   3.3 s of CPU between them: about 37 ms of every round trip was neither side computing, so
 *   each request line (one request, or one whole batch) costs a fixed delay, half on the way in
 *   and half on the way back;
 * - Fulcrum used 1.7 s of CPU for about 12,000 requests (0.14 ms each) and Bitcoin Core 1.6 s
 *   for the 5,000 `blockchain.transaction.get` it was asked to look up (0.32 ms more each);
 * - that work runs on as many workers as the machine has cores, and a connection's lines queue
 *   for them: a batch is not free, and a flood of batches waits its turn.
 */
export interface LatencyProfile {
  /** Round trip added to every request line, whatever it holds. */
  requestDelayMs: number;
  /** Work per request inside a line. */
  itemCostMs: number;
  /** Work per request of these methods instead of `itemCostMs`. */
  methodCostMs?: Readonly<Record<string, number>>;
  /** Requests of one connection worked on at once. */
  workers: number;
}

export const FULCRUM_LATENCY: LatencyProfile = {
  requestDelayMs: 37,
  itemCostMs: 0.14,
  methodCostMs: { 'blockchain.transaction.get': 0.46 },
  workers: 2,
};

export interface ListenOptions {
  transport: 'tcp' | 'tls';
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Required for 'tls'. */
  tls?: { key: string; cert: string };
}

export interface ElectrumTestServer {
  listen(opts: ListenOptions): Promise<{ host: string; port: number }>;
  setFault(mode: FaultMode): void;
  readonly fault: FaultMode;
  /** Makes the server lie to SPV clients (see lying.ts); 'none' tells the truth again. */
  setLie(mode: LieMode): void;
  readonly lie: LieMode;
  /** The protocol versions offered to connections made from now on. */
  setProtocol(offer: ProtocolOffer): void;
  readonly protocol: ProtocolOffer;
  /** Dialect faults (see electrum-methods.ts), replacing the current set; [] for none. */
  setQuirks(quirks: readonly DialectQuirk[]): void;
  readonly quirks: readonly DialectQuirk[];
  /** Answers late, as a real server over a real network does (see LatencyProfile); null: at once. */
  setLatency(profile: LatencyProfile | null): void;
  readonly latency: LatencyProfile | null;
  /** Open client connections (for tests that check clean-up). */
  readonly connectionCount: number;
  close(): Promise<void>;
}

const MAX_REQUEST_LINE = 8 * 1024 * 1024;

interface Session {
  socket: net.Socket;
  state: SessionState;
  buffer: string;
  /** For the 'rate-limit' quirk: requests still allowed in the current second. */
  budget: number;
  budgetAt: number;
  /** Latency mode: when this connection's workers are next free (ms, performance clock). */
  busyUntil: number;
  /** Latency mode: replies waiting for their time, in order. */
  outbox: { at: number; payload: JsonValue | string | null; close: boolean }[];
  outboxTimer: NodeJS.Timeout | null;
}

/** Requests per second a 'rate-limit' server answers before it says "excessive resource usage". */
export const RATE_LIMIT_PER_SECOND = 150;

/**
 * An Electrum protocol server (1.4, 1.5 and 1.6, see electrum-methods.ts) over a regtest chain,
 * on TCP and/or TLS listeners.
 */
export function createElectrumServer(opts: {
  chain: RegtestChain;
  /** Defaults to the chain behind a lying wrapper (truthful until setLie). */
  backend?: ElectrumBackend;
  protocol?: ProtocolOffer;
  quirks?: readonly DialectQuirk[];
  latency?: LatencyProfile | null;
}): ElectrumTestServer {
  const lying = opts.backend ? null : createLyingBackend(opts.chain);
  const backend = opts.backend ?? (lying as ElectrumBackend);
  const listeners: { server: net.Server; transport: 'tcp' | 'tls'; host: string; port: number }[] = [];
  const rawSockets = new Set<net.Socket>();
  const sessions = new Set<Session>();
  let fault: FaultMode = 'none';
  let closed = false;
  let offer: ProtocolOffer = opts.protocol ?? DEFAULT_PROTOCOL_OFFER;
  let quirks = new Set<DialectQuirk>(opts.quirks ?? []);
  let latency: LatencyProfile | null = opts.latency ?? null;
  const quirk = (q: DialectQuirk): boolean => quirks.has(q);

  const info = (): ServerInfo => ({
    host: listeners[0]?.host ?? '127.0.0.1',
    tcpPort: listeners.find((l) => l.transport === 'tcp')?.port ?? null,
    tlsPort: listeners.find((l) => l.transport === 'tls')?.port ?? null,
  });
  const methods = createElectrumMethods(backend, info, {
    offer: () => offer,
    quirks: () => quirks,
    chain: opts.chain,
  });

  /** 'rate-limit': a budget per second per connection; false when this request is over it. */
  const withinBudget = (session: Session): boolean => {
    if (!quirk('rate-limit')) return true;
    const now = Date.now();
    if (now - session.budgetAt >= 1000) {
      session.budgetAt = now;
      session.budget = RATE_LIMIT_PER_SECOND;
    }
    if (session.budget <= 0) return false;
    session.budget -= 1;
    return true;
  };

  const writeNow = (session: Session, payload: JsonValue | string): void => {
    if (session.socket.destroyed) return;
    session.socket.write((typeof payload === 'string' ? payload : JSON.stringify(payload)) + '\n');
  };

  /** When the reply to a line holding `calls` leaves, in latency mode (null: now). */
  const replyTime = (session: Session, calls: readonly JsonValue[]): number | null => {
    if (!latency) return null;
    const now = performance.now();
    let work = 0;
    for (const c of calls) {
      const method =
        typeof c === 'object' && c !== null && !Array.isArray(c) && typeof c.method === 'string'
          ? c.method
          : '';
      work += latency.methodCostMs?.[method] ?? latency.itemCostMs;
    }
    const arrives = now + latency.requestDelayMs / 2;
    const start = Math.max(arrives, session.busyUntil);
    session.busyUntil = start + work / Math.max(1, latency.workers);
    return session.busyUntil + latency.requestDelayMs / 2;
  };

  const pumpOutbox = (session: Session): void => {
    session.outboxTimer = null;
    const now = performance.now();
    while (session.outbox.length > 0 && (session.outbox[0]?.at ?? Infinity) <= now + 0.5) {
      const next = session.outbox.shift();
      if (!next) break;
      if (next.payload !== null) writeNow(session, next.payload);
      if (next.close) {
        session.socket.end();
        session.outbox.length = 0;
        return;
      }
    }
    const head = session.outbox[0];
    if (head) session.outboxTimer = setTimeout(() => pumpOutbox(session), Math.max(0, head.at - now));
  };

  /** Sends a reply now, or at `at` (after every reply queued before it: one connection, one order). */
  /** `payload` null: nothing to say, only the close. */
  const reply = (
    session: Session,
    payload: JsonValue | string | null,
    at: number | null,
    close = false,
  ): void => {
    if (at === null && session.outbox.length === 0) {
      if (payload !== null) writeNow(session, payload);
      if (close) session.socket.end();
      return;
    }
    const last = session.outbox[session.outbox.length - 1];
    session.outbox.push({ at: Math.max(at ?? 0, last?.at ?? 0), payload, close });
    if (session.outboxTimer === null) pumpOutbox(session);
  };
  const write = writeNow;

  const answer = (request: JsonValue, session: Session): { reply: JsonValue | null; close: boolean } => {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return { reply: errorReply(null, RPC.INVALID_REQUEST, 'invalid request'), close: false };
    }
    const id = typeof request.id === 'number' || typeof request.id === 'string' ? request.id : null;
    const isNotification = !('id' in request);
    if (typeof request.method !== 'string') {
      return { reply: errorReply(id, RPC.INVALID_REQUEST, 'missing method'), close: false };
    }
    const params = request.params ?? [];
    if (!Array.isArray(params)) {
      return { reply: errorReply(id, RPC.INVALID_PARAMS, 'params must be a list'), close: false };
    }
    if (!withinBudget(session)) {
      return {
        reply: errorReply(id, RPC.EXCESSIVE_RESOURCE_USAGE, 'excessive resource usage'),
        close: false,
      };
    }
    try {
      const result = methods.call(request.method, params, session.state);
      return { reply: isNotification ? null : { jsonrpc: '2.0', id, result }, close: false };
    } catch (err) {
      if (err instanceof RpcError)
        return { reply: errorReply(id, err.code, err.message), close: err.closeAfter };
      return { reply: errorReply(id, RPC.DAEMON_ERROR, `internal error: ${String(err)}`), close: false };
    }
  };

  const handleLine = (session: Session, line: string): void => {
    if (fault === 'silent') return;
    if (fault === 'garbage') {
      write(session, 'this is not JSON }{');
      return;
    }
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(line) as JsonValue;
    } catch {
      write(session, errorReply(null, RPC.PARSE_ERROR, 'parse error'));
      return;
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0 || quirk('no-batch')) {
        // Fulcrum with batching off answers an array as it would any request it cannot take.
        write(
          session,
          errorReply(null, RPC.INVALID_REQUEST, parsed.length === 0 ? 'empty batch' : 'Invalid request'),
        );
        if (quirk('close-on-error')) session.socket.end();
        return;
      }
      const at = replyTime(session, parsed);
      const replies: JsonValue[] = [];
      let close = false;
      for (const request of parsed) {
        const out = answer(request, session);
        if (out.reply !== null) replies.push(out.reply);
        close ||= out.close || (quirk('close-on-error') && isError(out.reply));
      }
      if (replies.length > 0) reply(session, replies, at, close);
      else if (close) reply(session, null, at, true);
      return;
    }
    const at = replyTime(session, [parsed]);
    const out = answer(parsed, session);
    const close = out.close || (quirk('close-on-error') && isError(out.reply));
    if (out.reply !== null) reply(session, out.reply, at, close);
    else if (close) reply(session, null, at, true);
  };

  const startSession = (socket: net.Socket): void => {
    const session: Session = {
      socket,
      state: newSessionState(),
      buffer: '',
      budget: RATE_LIMIT_PER_SECOND,
      budgetAt: Date.now(),
      busyUntil: 0,
      outbox: [],
      outboxTimer: null,
    };
    sessions.add(session);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      session.buffer += chunk;
      let nl: number;
      while ((nl = session.buffer.indexOf('\n')) !== -1) {
        const line = session.buffer.slice(0, nl).trim();
        session.buffer = session.buffer.slice(nl + 1);
        if (line !== '') handleLine(session, line);
        if (socket.destroyed) return;
      }
      if (session.buffer.length > MAX_REQUEST_LINE) socket.destroy();
    });
    socket.on('close', () => {
      sessions.delete(session);
      if (session.outboxTimer) clearTimeout(session.outboxTimer);
      session.outbox.length = 0;
    });
  };

  const onChainChange = (change: ChainChange): void => {
    if (fault !== 'none') return;
    for (const session of sessions) {
      if (change.newTip && session.state.headersSubscribed) {
        write(session, {
          jsonrpc: '2.0',
          method: 'blockchain.headers.subscribe',
          params: [{ height: backend.tipHeight, hex: backend.tip().headerHex }],
        });
      }
      for (const sh of change.touched) {
        if (!session.state.scriptHashes.has(sh)) continue;
        const status = methods.statusFor(sh, session.state);
        if (status === session.state.scriptHashes.get(sh)) continue;
        session.state.scriptHashes.set(sh, status);
        write(session, { jsonrpc: '2.0', method: 'blockchain.scripthash.subscribe', params: [sh, status] });
      }
    }
  };
  const unsubscribeChain = opts.chain.onChange(onChainChange);

  const track = (socket: net.Socket): boolean => {
    socket.on('error', () => {});
    if (fault === 'down' || closed) {
      socket.resetAndDestroy();
      return false;
    }
    rawSockets.add(socket);
    socket.on('close', () => rawSockets.delete(socket));
    return true;
  };

  return {
    async listen(listenOpts) {
      const host = listenOpts.host ?? '127.0.0.1';
      let server: net.Server;
      if (listenOpts.transport === 'tls') {
        if (!listenOpts.tls) throw new Error('a TLS listener needs a key and certificate');
        const tlsServer = tls.createServer(
          { key: listenOpts.tls.key, cert: listenOpts.tls.cert },
          (socket) => {
            socket.on('error', () => {});
            startSession(socket);
          },
        );
        // The raw TCP socket arrives first: refuse it there in 'down' mode, before any handshake.
        tlsServer.on('connection', (socket: net.Socket) => {
          track(socket);
        });
        tlsServer.on('tlsClientError', () => {});
        server = tlsServer;
      } else {
        server = net.createServer((socket) => {
          if (track(socket)) startSession(socket);
        });
      }
      server.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(listenOpts.port ?? 0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('listener has no port');
      listeners.push({ server, transport: listenOpts.transport, host, port: address.port });
      return { host, port: address.port };
    },
    setFault(mode) {
      fault = mode;
      if (mode === 'down') for (const socket of rawSockets) socket.resetAndDestroy();
    },
    get fault() {
      return fault;
    },
    setLie(mode) {
      if (!lying) throw new Error('this server was given its own backend: it cannot lie');
      lying.setLie(mode);
    },
    get lie() {
      return lying?.lie ?? 'none';
    },
    setProtocol(next) {
      offer = next;
    },
    get protocol() {
      return offer;
    },
    setQuirks(next) {
      quirks = new Set(next);
    },
    get quirks() {
      return [...quirks];
    },
    setLatency(next) {
      latency = next;
    },
    get latency() {
      return latency;
    },
    get connectionCount() {
      return rawSockets.size;
    },
    async close() {
      if (closed) return;
      closed = true;
      unsubscribeChain();
      for (const socket of rawSockets) socket.destroy();
      await Promise.all(
        listeners.map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))),
      );
    },
  };
}

function isError(reply: JsonValue | null): boolean {
  return typeof reply === 'object' && reply !== null && !Array.isArray(reply) && 'error' in reply;
}

function errorReply(id: number | string | null, code: number, message: string): JsonValue {
  return { jsonrpc: '2.0', id, error: { code, message } };
}
