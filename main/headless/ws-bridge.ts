import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WireEvent, WireRequest, WireResponse } from '../../shared/bridge';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { LogFields, Logger } from '../core/logger';
import { checkHost, parseRequestTarget, type Checked, type RequestTarget } from './request-guard';
import { serveStatic } from './static-files';

/**
 * Largest WebSocket frame accepted from the page. Bigger frames close the socket outright; those
 * under it but over the dispatcher's input limit get a typed BAD_INPUT answer.
 */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/**
 * How long a client may take and how many may be connected at once. A page or local process that
 * trickles headers (slowloris) or opens sockets without end is cut off; the app's own tab needs a
 * handful of HTTP connections and one WebSocket, which upgrades out of these timers.
 */
export interface ServerLimits {
  /** Time to receive a request's complete headers, counted from when the connection opens or the request starts. */
  headersTimeoutMs: number;
  /** Time to receive a whole request. */
  requestTimeoutMs: number;
  /** Idle time allowed between requests on a kept-alive connection. */
  keepAliveTimeoutMs: number;
  /** How often the two timeouts above are checked. */
  checkIntervalMs: number;
  /** Open sockets at once, WebSockets included; the next one is closed on arrival. */
  maxConnections: number;
  /** Largest request head (request line plus headers); bigger ones get 431. */
  maxHeaderBytes: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnections: 64,
  maxHeaderBytes: 16 * 1024,
};

export interface WsBridgeServer {
  port: number;
  token: string;
  /** The address to open, with the token in the fragment (never sent in HTTP requests or logs). */
  url: string;
  close(): Promise<void>;
}

/**
 * Browser mode's transport: the same contract as Electron IPC, over a WebSocket bound to
 * loopback. Possession of the per-launch token plus our own Origin is what a "trusted sender"
 * means here, since any local process or web page could otherwise dial the port.
 */
export async function startWsBridge(deps: {
  dispatcher: Dispatcher;
  bus: EventBus;
  log: Logger;
  rendererDir: string | null;
  port?: number;
  token?: string;
  limits?: Partial<ServerLimits>;
}): Promise<WsBridgeServer> {
  const token = deps.token ?? crypto.randomBytes(32).toString('base64url');
  const expectedToken = Buffer.from(token);
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...deps.limits };
  let port = 0;
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      maxHeaderSize: limits.maxHeaderBytes,
      requireHostHeader: true,
      insecureHTTPParser: false,
    },
    (req, res) => {
      try {
        const target = checkRequest(req);
        if (!target.ok) {
          refuseRequest(res, target.status, target.reason);
          return;
        }
        if (deps.rendererDir) serveStatic(deps.rendererDir, target.value, req, res);
        else res.writeHead(404).end();
      } catch (err) {
        // Nothing here should throw; if something does, this request fails and the server lives.
        deps.log.error('http request failed', { error: err instanceof Error ? err.message : String(err) });
        if (!res.headersSent) res.writeHead(500, { Connection: 'close' });
        res.end();
      }
    },
  );
  server.maxConnections = limits.maxConnections;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  /** Target first, then Host: a request naming another host, in either place, gets nothing. */
  function checkRequest(req: http.IncomingMessage): Checked<RequestTarget> {
    const target = parseRequestTarget(req.url, port);
    if (!target.ok) return target;
    const host = checkHost(req.headers.host, port);
    return host.ok ? target : host;
  }

  const noteRefusal = throttledWarning(deps.log, 'request refused');

  function refuseRequest(res: http.ServerResponse, status: number, reason: string): void {
    noteRefusal({ status, reason });
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
    res.end(`${http.STATUS_CODES[status] ?? 'Refused'}\n`);
  }

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands an upgrade's socket over without its own error listener: a client that resets
    // the connection while we answer would otherwise raise an unhandled 'error' and end the app.
    socket.on('error', () => socket.destroy());
    try {
      handleUpgrade(req, socket, head);
    } catch (err) {
      deps.log.error('upgrade failed', { error: err instanceof Error ? err.message : String(err) });
      refuseUpgrade(socket, 500);
    }
  });

  function handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = checkRequest(req);
    if (!target.ok) {
      noteRefusal({ status: target.status, reason: target.reason, upgrade: true });
      refuseUpgrade(socket, target.status);
      return;
    }
    if (req.method !== 'GET' || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      refuseUpgrade(socket, 400);
      return;
    }
    if (target.value.path !== '/bridge') {
      refuseUpgrade(socket, 404);
      return;
    }
    const given = Buffer.from(target.value.query.get('token') ?? '');
    const tokenOk = given.length === expectedToken.length && crypto.timingSafeEqual(given, expectedToken);
    const origin = req.headers.origin;
    // A missing Origin means a non-browser client (tests, bench); browsers always send one.
    const originOk = origin === undefined || allowedOrigins().has(origin);
    if (!tokenOk || !originOk) {
      noteRefusal({
        status: tokenOk ? 403 : 401,
        reason: tokenOk ? 'foreign Origin' : 'bad token',
        upgrade: true,
      });
      refuseUpgrade(socket, tokenOk ? 403 : 401);
      return;
    }
    // ws checks the rest of the handshake (key, version) and answers 400 itself when it is wrong.
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  }

  const clients = new Set<WebSocket>();
  const detachBus = deps.bus.onAny((event, payload) => {
    if (deps.dispatcher.deliversEvent?.(event) === false) return;
    const frame = JSON.stringify({ event, payload } satisfies WireEvent);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  function attach(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      handleFrame(ws, isBinary ? null : data.toString()).catch((err: unknown) => {
        deps.log.error('bridge frame failed', { error: err instanceof Error ? err.message : String(err) });
      });
    });
  }

  async function handleFrame(ws: WebSocket, text: string | null): Promise<void> {
    let request: WireRequest | null = null;
    try {
      const parsed: unknown = text === null ? null : JSON.parse(text);
      if (isWireRequest(parsed)) request = parsed;
    } catch {
      request = null;
    }
    const reply: WireResponse = request
      ? { id: request.id, result: await deps.dispatcher.dispatch(request.method, request.input) }
      : { id: -1, result: { ok: false, error: { code: 'BAD_INPUT', message: 'Malformed bridge message.' } } };
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // After listening, a server error (e.g. out of file descriptors on accept) is logged, not fatal.
  server.on('error', (err) => deps.log.error('http server error', { error: err.message }));

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    async close() {
      detachBus();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function isWireRequest(value: unknown): value is WireRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'number' && Number.isSafeInteger(v.id) && typeof v.method === 'string' && 'input' in v
  );
}

/**
 * Any page can make the browser send refused requests by the thousand: at most one log line a
 * second, with a count of the rest, so the log file can't be used to fill the disk.
 */
function throttledWarning(log: Logger, message: string): (fields: LogFields) => void {
  let windowStart = -Infinity;
  let suppressed = 0;
  return (fields) => {
    const now = Date.now();
    if (now - windowStart < 1000) {
      suppressed++;
      return;
    }
    windowStart = now;
    log.warn(message, suppressed > 0 ? { ...fields, suppressedBefore: suppressed } : fields);
    suppressed = 0;
  };
}

/** A plain HTTP answer on a socket that asked to upgrade; closed once written, whatever the client does. */
function refuseUpgrade(socket: Duplex, status: number): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}
