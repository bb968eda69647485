import http from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { WireOutput, WireProof } from './conditions';
import { badRequest, MintError } from './errors';
import type { MintKeyset } from './keysets';
import type { CashuMint, MintEvent } from './mint';
import { meltQuoteJson, mintQuoteJson } from './mint';

/**
 * The mint's HTTP API exactly as the NUTs give it (paths, bodies, 400 with `{detail, code}`),
 * NUT-06 info built from the options, NUT-17 JSON-RPC subscriptions on /v1/ws and NUT-19 cached
 * responses for mint, melt and swap. Faults: down, slow, down in the middle of a melt.
 */

export type ServerFault = 'none' | 'down' | 'slow' | 'down-mid-melt';

export interface MintServerOptions {
  /** NUT-17 websockets. */
  websocket: boolean;
  /** NUT-19 cached responses: ttl in seconds, or null for no caching advertised. */
  cacheTtl: number | null;
  slowMs: number;
  port?: number;
  description?: string;
}

export const DEFAULT_SERVER_OPTIONS: MintServerOptions = { websocket: true, cacheTtl: 300, slowMs: 1500 };

const CACHED: readonly { method: 'POST'; path: string }[] = [
  { method: 'POST', path: '/v1/mint/bolt11' },
  { method: 'POST', path: '/v1/melt/bolt11' },
  { method: 'POST', path: '/v1/swap' },
];

const Proof = z.object({
  amount: z.number().int().nonnegative(),
  id: z.string().regex(/^[0-9a-fA-F]+$/),
  secret: z.string().min(1).max(10_000),
  C: z.string(),
  witness: z
    .union([z.string(), z.object({ signatures: z.array(z.string()).optional() }).passthrough()])
    .optional(),
  dleq: z.unknown().optional(),
});
const Output = z.object({ amount: z.number().int().nonnegative(), id: z.string(), B_: z.string() });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`invalid ${what}: ${r.error.issues[0]?.message ?? 'malformed'}`);
  return r.data;
}

export interface MintServer {
  url: string;
  port: number;
  fault: ServerFault;
  readonly options: MintServerOptions;
  /** Sets the fault; going down also drops every open connection and websocket. */
  setFault(fault: ServerFault): void;
  info(): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startMintServer(
  mint: CashuMint,
  opts: Partial<MintServerOptions> = {},
): Promise<MintServer> {
  const options = { ...DEFAULT_SERVER_OPTIONS, ...opts };
  const cache = new Map<string, { expires: number; body: string }>();
  const sockets = new Set<Socket>();
  let url = '';

  const state: MintServer = {
    url: '',
    port: 0,
    fault: 'none',
    options,
    info: () => info(),
    setFault(fault) {
      state.fault = fault;
      if (fault === 'down') {
        for (const s of sockets) s.destroy();
        wss?.clients.forEach((c) => c.terminate());
      }
    },
    close: async () => {},
  };

  function info(): Record<string, unknown> {
    const o = mint.opts;
    const methods = o.units.map((unit) => ({
      method: 'bolt11',
      unit,
      min_amount: o.minAmount,
      max_amount: o.maxAmount,
    }));
    const nuts: Record<string, unknown> = {
      '4': { methods: methods.map((m) => ({ ...m, options: { description: true } })), disabled: false },
      '5': { methods: methods.map((m) => ({ ...m, options: { amountless: false } })), disabled: false },
      '7': { supported: true },
      '8': { supported: o.change },
      '9': { supported: true },
      '10': { supported: true },
      '11': { supported: true },
      '12': { supported: o.dleq },
      '20': { supported: o.nut20 !== 'off' },
    };
    if (o.mpp) nuts['15'] = { methods: o.units.map((unit) => ({ method: 'bolt11', unit })) };
    if (options.websocket)
      nuts['17'] = {
        supported: o.units.map((unit) => ({
          method: 'bolt11',
          unit,
          commands: ['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state'],
        })),
      };
    if (options.cacheTtl !== null) nuts['19'] = { ttl: options.cacheTtl, cached_endpoints: CACHED };
    return {
      name: o.name,
      pubkey: mint.pubkey,
      version: 'FlashStandIn/1.0',
      description: options.description ?? `${o.name}: a local test mint on the Flash stack.`,
      description_long:
        'A Cashu mint stand-in for tests and demos: it follows the NUTs and pays on the stack Lightning ledger.',
      contact: [
        { method: 'email', info: 'mint@flash.invalid' },
        { method: 'nostr', info: 'npub1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqsw8c5ga' },
      ],
      motd: 'Test mint: the money here is not real.',
      urls: [url],
      time: Math.floor(mint.now() / 1000),
      nuts,
    };
  }

  function keysetJson(withKeys: boolean) {
    return (k: MintKeyset) => ({
      id: k.id,
      unit: k.unit,
      active: k.active,
      input_fee_ppk: k.inputFeePpk,
      final_expiry: null,
      ...(withKeys ? { keys: k.publicKeys } : {}),
    });
  }

  async function route(
    method: string,
    path: string,
    body: unknown,
    onAccepted: () => void,
  ): Promise<unknown> {
    const b = (body ?? {}) as Record<string, unknown>;
    if (method === 'GET' && path === '/v1/info') return info();
    if (method === 'GET' && path === '/v1/keys')
      return {
        keysets: mint.keysets
          .all()
          .filter((k) => k.active)
          .map(keysetJson(true)),
      };
    if (method === 'GET' && path.startsWith('/v1/keys/')) {
      const k = mint.keysets.get(decodeURIComponent(path.slice('/v1/keys/'.length)));
      if (!k) throw new MintError(12001, 'Keyset is not known');
      return { keysets: [keysetJson(true)(k)] };
    }
    if (method === 'GET' && path === '/v1/keysets')
      return { keysets: mint.keysets.all().map(keysetJson(false)) };
    if (method === 'POST' && path === '/v1/swap') {
      const inputs = parse(z.array(Proof), b['inputs'], 'inputs') as WireProof[];
      const outputs = parse(z.array(Output), b['outputs'], 'outputs');
      return { signatures: mint.swap(inputs, outputs) };
    }
    if (method === 'POST' && path === '/v1/checkstate') {
      const ys = parse(z.array(z.string()).max(10_000), b['Ys'], 'Ys');
      return { states: mint.checkState(ys) };
    }
    if (method === 'POST' && path === '/v1/restore') {
      const outputs = parse(z.array(Output).max(10_000), b['outputs'], 'outputs');
      return mint.restore(outputs);
    }
    if (method === 'POST' && path === '/v1/mint/quote/bolt11') return mintQuoteJson(mint.createMintQuote(b));
    if (method === 'GET' && path.startsWith('/v1/mint/quote/bolt11/'))
      return mintQuoteJson(mint.mintQuote(decodeURIComponent(path.split('/').at(-1) ?? '')));
    if (method === 'POST' && path === '/v1/mint/bolt11') {
      const outputs = parse(z.array(Output), b['outputs'], 'outputs') as WireOutput[];
      return { signatures: mint.mint(b, outputs) };
    }
    if (method === 'POST' && path === '/v1/melt/quote/bolt11') return meltQuoteJson(mint.createMeltQuote(b));
    if (method === 'GET' && path.startsWith('/v1/melt/quote/bolt11/'))
      return meltQuoteJson(mint.meltQuote(decodeURIComponent(path.split('/').at(-1) ?? '')));
    if (method === 'POST' && path === '/v1/melt/bolt11') {
      const inputs = parse(z.array(Proof), b['inputs'], 'inputs') as WireProof[];
      const outputs =
        b['outputs'] === undefined || b['outputs'] === null
          ? []
          : parse(z.array(Output), b['outputs'], 'outputs');
      return meltQuoteJson(await mint.melt(b, inputs, outputs, onAccepted));
    }
    throw Object.assign(new Error('not found'), { status: 404 });
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (s: Socket) => {
    if (state.fault === 'down') {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 4 * 1024 * 1024) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    if (state.fault === 'slow') await new Promise((r) => setTimeout(r, options.slowMs));
    const send = (status: number, text: string): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };
    const cacheKey = `${method} ${path} ${raw}`;
    const cacheable = options.cacheTtl !== null && CACHED.some((c) => c.method === method && c.path === path);
    if (cacheable) {
      const hit = cache.get(cacheKey);
      if (hit && hit.expires > Date.now()) return send(200, hit.body);
    }
    let body: unknown = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(400, JSON.stringify({ detail: 'body is not JSON', code: 0 }));
      }
    }
    const midMelt = state.fault === 'down-mid-melt' && path === '/v1/melt/bolt11';
    try {
      const result = await route(method, path, body, () => {
        // The mint holds the inputs and pays on; the wallet never hears back.
        if (midMelt) req.socket.destroy();
      });
      const text = JSON.stringify(result);
      if (cacheable)
        cache.set(cacheKey, { expires: Date.now() + (options.cacheTtl ?? 0) * 1000, body: text });
      send(200, text);
    } catch (err) {
      if (err instanceof MintError) return send(400, JSON.stringify({ detail: err.detail, code: err.code }));
      if ((err as { status?: number }).status === 404)
        return send(404, JSON.stringify({ detail: 'Not Found' }));
      send(500, JSON.stringify({ detail: `internal error: ${(err as Error).message}`, code: 0 }));
    }
  }

  const wss = options.websocket ? new WebSocketServer({ noServer: true }) : null;
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!wss || path !== '/v1/ws' || state.fault === 'down') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  /** NUT-17: subscribe/unsubscribe; the current state first, then every change. */
  function serveSocket(ws: WebSocket): void {
    const subs = new Map<string, { kind: string; filters: Set<string> }>();
    const stop = mint.on((e: MintEvent) => {
      for (const [subId, sub] of subs)
        if (sub.kind === e.kind && sub.filters.has(e.id)) notify(subId, e.payload);
    });
    const notify = (subId: string, payload: unknown): void => {
      if (ws.readyState === ws.OPEN)
        ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'subscribe', params: { subId, payload } }));
    };
    const reply = (id: unknown, result: unknown): void =>
      ws.send(JSON.stringify({ jsonrpc: '2.0', result, id }));
    const error = (id: unknown, code: number, message: string): void =>
      ws.send(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id }));
    ws.on('close', stop);
    ws.on('message', (data) => {
      let msg: { id?: unknown; method?: unknown; params?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return error(null, -32700, 'Parse error');
      }
      const params = (typeof msg.params === 'string' ? safeJson(msg.params) : msg.params) as
        { kind?: unknown; subId?: unknown; filters?: unknown } | undefined;
      if (msg.method === 'unsubscribe') {
        if (typeof params?.subId !== 'string') return error(msg.id, -32602, 'Invalid params');
        subs.delete(params.subId);
        return reply(msg.id, { status: 'OK', subId: params.subId });
      }
      if (msg.method !== 'subscribe') return error(msg.id, -32601, 'Method not found');
      const kinds = ['bolt11_mint_quote', 'bolt11_melt_quote', 'proof_state'];
      if (
        typeof params?.subId !== 'string' ||
        typeof params.kind !== 'string' ||
        !kinds.includes(params.kind) ||
        !Array.isArray(params.filters) ||
        params.filters.some((f) => typeof f !== 'string')
      )
        return error(msg.id, -32602, 'Invalid params');
      const filters = params.filters as string[];
      subs.set(params.subId, { kind: params.kind, filters: new Set(filters) });
      reply(msg.id, { status: 'OK', subId: params.subId });
      for (const f of filters) {
        try {
          const payload =
            params.kind === 'proof_state'
              ? mint.stateOf(f)
              : params.kind === 'bolt11_mint_quote'
                ? mintQuoteJson(mint.mintQuote(f))
                : meltQuoteJson(mint.meltQuote(f));
          notify(params.subId, payload);
        } catch {
          // an unknown quote id: nothing to report yet
        }
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('mint has no port');
  url = `http://127.0.0.1:${addr.port}`;
  state.url = url;
  state.port = addr.port;
  state.close = () =>
    new Promise<void>((resolve) => {
      wss?.clients.forEach((c) => c.terminate());
      wss?.close();
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
