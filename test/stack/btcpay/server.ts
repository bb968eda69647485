import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { RegtestChain } from '../chain';
import type { ApiContext } from './api';
import { OPERATIONS } from './api';
import type { InvoiceEvent } from './engine';
import { apiError, HttpError, missingPermission, readBody, sendJson } from './http';
import type { LightningNetworkPort } from './lightning-port';
import type { ApiKey } from './model';
import { allows, endpointPolicy } from './permissions';
import { authorizePage, handlePublic, registerBoltcard } from './public';
import type { SpecIssue, SpecValidator } from './spec-validator';
import { loadSpecValidator } from './spec-validator';
import type { BtcpayState } from './state';
import { createState } from './state';
import { deliverWebhooks } from './webhooks';

/**
 * The BTCPay Server stand-in's HTTP side. Every Greenfield request is matched to its operation
 * in the published spec, checked against it (parameters, body), authorized as BTCPay's code
 * authorizes it, answered, and the answer checked against the spec too. Anything off the spec
 * is recorded in `specIssues`; tests fail on any (see `assertNoSpecIssues`).
 */

export const FAULT_MODES = ['none', 'down', 'slow', 'unauthorized', 'forbidden'] as const;
export type BtcpayFault = (typeof FAULT_MODES)[number];

export interface BtcpayServer {
  url: string;
  port: number;
  state: BtcpayState;
  specIssues: SpecIssue[];
  fault: BtcpayFault;
  /** Delay of the `slow` fault, ms. */
  slowMs: number;
  setLightning(port: LightningNetworkPort | null): void;
  /** Throws (failing the test) when any request or response strayed from the spec. */
  assertNoSpecIssues(): void;
  close(): Promise<void>;
}

export interface BtcpayServerOptions {
  chain: RegtestChain;
  port?: number;
  /** Seconds since the epoch (default: the wall clock). */
  now?: () => number;
  issuerKey?: Uint8Array;
}

export async function startBtcpayServer(opts: BtcpayServerOptions): Promise<BtcpayServer> {
  const spec = loadSpecValidator();
  const now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  const sockets = new Map<string, Set<WebSocket>>();
  const specIssues: SpecIssue[] = [];
  let origin = '';

  const notifySockets = (invoiceId: string): void => {
    // BTCPay pushes one dummy byte on every change; the page then re-reads the invoice.
    for (const ws of sockets.get(invoiceId) ?? []) if (ws.readyState === ws.OPEN) ws.send(Buffer.alloc(1));
  };
  const onInvoiceEvent = (event: InvoiceEvent): void => {
    void deliverWebhooks(state, event, (type, body) => {
      // Events without a schema of their own (InvoiceCreated) are plain WebhookInvoiceEvents.
      const specific = `Webhook${type}Event`;
      const issues = spec.checkComponent(
        spec.hasComponent(specific) ? specific : 'WebhookInvoiceEvent',
        body,
      );
      for (const message of issues)
        specIssues.push({ where: 'response', method: 'POST', path: `webhook ${type}`, message });
    });
  };
  const state = createState({
    chain: opts.chain,
    now,
    onInvoiceEvent,
    onInvoiceChanged: notifySockets,
    ...(opts.issuerKey ? { issuerKey: opts.issuerKey } : {}),
  });

  const server: BtcpayServer = {
    url: '',
    port: 0,
    state,
    specIssues,
    fault: 'none',
    slowMs: 3000,
    setLightning(port) {
      state.lightning = port;
    },
    assertNoSpecIssues() {
      if (specIssues.length === 0) return;
      const lines = specIssues.map(
        (i) => `${i.where} ${i.method} ${i.path}${i.status ? ` ${i.status}` : ''}: ${i.message}`,
      );
      throw new Error(`BTCPay stand-in: traffic off the Greenfield spec:\n${lines.join('\n')}`);
    },
    close: async () => {},
  };

  const wss = new WebSocketServer({ noServer: true });
  const httpServer = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) sendJson(res, err.status, err.body);
      else
        sendJson(res, 500, { code: 'internal', message: err instanceof Error ? err.message : String(err) });
    });
  });
  httpServer.on('upgrade', (req, socket, head) => upgrade(req, socket, head));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (server.fault === 'down') {
      req.socket.destroy();
      return;
    }
    if (server.fault === 'slow') await new Promise((r) => setTimeout(r, server.slowMs));
    const url = new URL(req.url ?? '/', origin);
    const raw = req.method === 'GET' || req.method === 'HEAD' ? '' : await readBody(req);
    if (await handlePublic({ state, origin, url, req, res, body: raw })) return;
    if (url.pathname === '/api-keys/authorize' && req.method === 'GET') {
      authorizePage({ state, origin, url, req, res, body: raw });
      return;
    }
    const matched = spec.match(req.method ?? 'GET', url.pathname);
    if (!matched) {
      sendJson(res, 404, { code: 'not-found', message: 'Not found' });
      return;
    }
    const { op, params } = matched;
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        record({ where: 'request', method: op.method, path: url.pathname, message: 'body is not JSON' });
        sendJson(res, 400, [{ path: '', message: 'Invalid JSON' }]);
        return;
      }
    }
    const reqIssues = spec.checkRequest(op, url, params, body);
    if (reqIssues.length > 0) {
      for (const message of reqIssues)
        record({ where: 'request', method: op.method, path: op.template, message });
      reply(
        res,
        op,
        400,
        reqIssues.map((message) => ({ path: '', message })),
      );
      return;
    }
    try {
      const policy = endpointPolicy(op.method, op.template);
      const key = policy.kind === 'anonymous' ? null : authenticate(req);
      if (policy.kind === 'policy' && key) {
        if (server.fault === 'forbidden') throw missingPermission(policy.policy);
        // Routes naming a store are checked here; others by the handler once it knows the store.
        const storeId = params['storeId'] ?? null;
        if (!allows(key.permissions, policy.policy, storeId)) throw missingPermission(policy.policy);
      }
      const handler = OPERATIONS[op.operationId];
      if (op.operationId === 'PullPayments_LinkBoltcard') {
        const result = registerBoltcard(
          state,
          origin,
          params['pullPaymentId'] ?? '',
          (body ?? {}) as Record<string, unknown>,
          url.searchParams.get('onExisting'),
        );
        reply(res, op, 200, result);
        return;
      }
      if (!handler) {
        record({
          where: 'request',
          method: op.method,
          path: op.template,
          message: `${op.operationId} is not served by the stand-in`,
        });
        sendJson(res, 501, {
          code: 'not-implemented',
          message: `${op.operationId} is not served by the stand-in`,
        });
        return;
      }
      const ctx: ApiContext = {
        state,
        params,
        url,
        body,
        key,
        policy: policy.kind === 'policy' ? policy.policy : null,
        origin,
      };
      const result = await handler(ctx);
      reply(res, op, 200, result);
    } catch (err) {
      if (err instanceof HttpError) reply(res, op, err.status, err.body);
      else throw err;
    }
  }

  function authenticate(req: http.IncomingMessage): ApiKey {
    if (server.fault === 'unauthorized')
      throw apiError(401, 'unauthenticated', 'Authentication is required for accessing this endpoint');
    const header = req.headers['authorization'] ?? '';
    const token = /^token\s+(\S+)$/i.exec(header)?.[1];
    if (token) {
      const key = state.keys.get(token);
      if (key) return key;
    }
    const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
    if (basic) {
      const [email, password] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      const user = [...state.users.values()].find((u) => u.email === email && u.password === password);
      // Basic auth implicitly grants `unrestricted` (the spec says so).
      if (user) return { apiKey: '', label: 'basic', userId: user.id, permissions: ['unrestricted'] };
    }
    throw apiError(401, 'unauthenticated', 'Authentication is required for accessing this endpoint');
  }

  function reply(
    res: http.ServerResponse,
    op: Parameters<SpecValidator['checkResponse']>[0],
    status: number,
    body: unknown,
  ): void {
    // 401 and 403 come from BTCPay's authentication layer on every endpoint, listed in the spec
    // or not; their body is Greenfield's `{code, message}`.
    const issues =
      status === 401 || status === 403 ? authErrorIssues(body) : spec.checkResponse(op, status, body);
    if (issues.length > 0) {
      for (const message of issues)
        record({ where: 'response', method: op.method, path: op.template, status, message });
      sendJson(res, 500, { code: 'stand-in-spec-violation', message: issues.join('; ') });
      return;
    }
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    sendJson(res, status, body);
  }

  function record(issue: SpecIssue): void {
    specIssues.push(issue);
  }

  function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', origin);
    const m = /^\/(?:i|invoice)\/([^/]+)(?:\/[^/]+)?\/status\/ws$/.exec(url.pathname);
    const inv = m ? state.engine.invoices.get(decodeURIComponent(m[1] ?? '')) : undefined;
    // BTCPay answers 404 for a finished invoice: there is nothing left to watch.
    if (
      server.fault === 'down' ||
      !inv ||
      inv.status === 'Settled' ||
      inv.status === 'Invalid' ||
      inv.status === 'Expired'
    ) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let set = sockets.get(inv.id);
      if (!set) {
        set = new Set();
        sockets.set(inv.id, set);
      }
      set.add(ws);
      ws.on('close', () => set.delete(ws));
      ws.on('error', () => ws.terminate());
    });
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('BTCPay stand-in has no port');
  origin = `http://127.0.0.1:${address.port}`;
  server.url = origin;
  server.port = address.port;
  state.engine.start();
  server.close = () =>
    new Promise<void>((resolve) => {
      state.engine.stop();
      for (const set of sockets.values()) for (const ws of set) ws.terminate();
      wss.close();
      httpServer.close(() => resolve());
      httpServer.closeAllConnections();
    });
  return server;
}

function authErrorIssues(body: unknown): string[] {
  const b = body as { code?: unknown; message?: unknown } | null;
  return b && typeof b.code === 'string' && typeof b.message === 'string'
    ? []
    : ['an auth error needs {code, message}'];
}
