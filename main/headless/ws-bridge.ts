import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { WireEvent, WireRequest, WireResponse } from '../../shared/bridge';
import type { Dispatcher } from '../api/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { serveStatic } from './static-files';

/**
 * Largest WebSocket frame accepted from the page. Bigger frames close the socket outright; those
 * under it but over the dispatcher's input limit get a typed BAD_INPUT answer.
 */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;

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
}): Promise<WsBridgeServer> {
  const token = deps.token ?? crypto.randomBytes(32).toString('base64url');
  const expectedToken = Buffer.from(token);
  let port = 0;
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = http.createServer((req, res) => {
    if (deps.rendererDir) serveStatic(deps.rendererDir, req, res);
    else res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const tokenOk = given.length === expectedToken.length && crypto.timingSafeEqual(given, expectedToken);
    const origin = req.headers.origin;
    // A missing Origin means a non-browser client (tests, bench); browsers always send one.
    const originOk = origin === undefined || allowedOrigins().has(origin);
    if (url.pathname !== '/bridge' || !tokenOk || !originOk) {
      deps.log.warn('bridge connection refused', {
        path: url.pathname,
        tokenOk,
        originOk,
        origin: origin ?? null,
      });
      socket.end(`HTTP/1.1 ${tokenOk ? 403 : 401} ${tokenOk ? 'Forbidden' : 'Unauthorized'}\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const clients = new Set<WebSocket>();
  const detachBus = deps.bus.onAny((event, payload) => {
    const frame = JSON.stringify({ event, payload } satisfies WireEvent);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  function attach(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      void handleFrame(ws, isBinary ? null : data.toString());
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
