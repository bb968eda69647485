import type {
  ClientContext,
  HandleMessagePlugin,
  HandleMessageResult,
  IncomingMessage,
} from '@nostr-relay/common';
import { NostrRelay } from '@nostr-relay/core';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { Validator } from '@nostr-relay/validator';
import type { IncomingMessage as HttpRequest } from 'node:http';
import type { WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import { z } from 'zod';
import type { Route } from './control-api';
import { BadRequest } from './control-api';

/** How a misbehaving relay tampers with every event it serves. */
export type ForgeMode = 'forged-sig' | 'garbled';
export const FORGE_MODES = ['forged-sig', 'garbled'] as const;

export interface NostrRelayOptions {
  /** NIP-42: every EVENT and REQ is refused with `auth-required:` until the client authenticates. */
  requireAuth?: boolean;
  forge?: ForgeMode | null;
  port?: number;
}

export interface TestRelay {
  readonly url: string;
  readonly port: number;
  readonly requireAuth: boolean;
  forge: ForgeMode | null;
  /** Connected clients right now. */
  clientCount(): number;
  /** NIP-42: the pubkeys clients authenticated as, in order (requireAuth relays only). */
  readonly authenticatedAs: readonly string[];
  /**
   * Source ports of every WebSocket client accepted since start, in order: with the client and a
   * proxy on one machine, they tell which connections came through the proxy.
   */
  readonly peerPorts: readonly number[];
  /** Events stored (the repository survives pause/resume). */
  eventCount(): Promise<number>;
  /** Drops every client and stops listening; stored events are kept. */
  pause(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  /** Clients, then wss.close(), then relay.destroy() (which closes the repository). */
  stop(): Promise<void>;
}

const silentRelayLogger = {
  setLogLevel() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Refuses EVENT and REQ from clients that have not answered the AUTH challenge. */
class RequireAuthPlugin implements HandleMessagePlugin {
  readonly authenticatedAs: string[] = [];

  async handleMessage(
    ctx: ClientContext,
    message: IncomingMessage,
    next: () => Promise<HandleMessageResult>,
  ): Promise<HandleMessageResult> {
    if (!ctx.pubkey && message[0] === 'EVENT') {
      ctx.sendMessage(['OK', message[1].id, false, 'auth-required: this relay needs NIP-42']);
      return { messageType: 'EVENT', success: false, noReplyNeeded: true } as HandleMessageResult;
    }
    if (!ctx.pubkey && message[0] === 'REQ') {
      ctx.sendMessage(['CLOSED', message[1], 'auth-required: this relay needs NIP-42']);
      ctx.sendMessage(['AUTH', ctx.id]);
      return { messageType: 'REQ', events: [] } as HandleMessageResult;
    }
    if (message[0] === 'AUTH') {
      const result = await next();
      if (ctx.pubkey) this.authenticatedAs.push(ctx.pubkey);
      return result;
    }
    return next();
  }
}

function tamper(data: string, mode: ForgeMode): string {
  let msg: unknown;
  try {
    msg = JSON.parse(data);
  } catch {
    return data;
  }
  if (!Array.isArray(msg) || msg[0] !== 'EVENT' || typeof msg[2] !== 'object') return data;
  if (mode === 'garbled') return data.slice(0, Math.max(1, Math.floor(data.length / 2)));
  const ev = msg[2] as { sig: string; content: string };
  // Same id, signature of someone else's message: looks fine unless you verify it.
  const last = ev.sig.slice(-1);
  ev.sig = ev.sig.slice(0, -1) + (last === '0' ? '1' : '0');
  return JSON.stringify(msg);
}

/** One real relay (@nostr-relay/core + sqlite repository + validator) on 127.0.0.1. */
export async function startNostrRelay(opts: NostrRelayOptions = {}): Promise<TestRelay> {
  const repo = new EventRepositorySqlite(':memory:');
  await repo.init();
  const relay = new NostrRelay(repo, {
    ...(opts.requireAuth ? { hostname: '127.0.0.1' } : {}),
    logger: silentRelayLogger,
    eventHandlingResultCacheTtl: 0,
    filterResultCacheTtl: 0,
  });
  const authPlugin = opts.requireAuth ? new RequireAuthPlugin() : null;
  if (authPlugin) relay.register(authPlugin);
  const validator = new Validator();
  const clients = new Set<WebSocket>();
  const peerPorts: number[] = [];
  let wss: WebSocketServer | null = null;
  let port = opts.port ?? 0;

  const handle: TestRelay = {
    get url() {
      return `ws://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    requireAuth: opts.requireAuth ?? false,
    forge: opts.forge ?? null,
    clientCount: () => clients.size,
    authenticatedAs: authPlugin?.authenticatedAs ?? [],
    peerPorts,
    async eventCount() {
      return (await repo.find({ limit: 100_000 })).length;
    },
    pause: () => closeServer(),
    resume: () => listen(),
    async stop() {
      await closeServer();
      await relay.destroy();
    },
  };

  function onConnection(ws: WebSocket, req: HttpRequest): void {
    clients.add(ws);
    if (req.socket.remotePort !== undefined) peerPorts.push(req.socket.remotePort);
    const client = {
      send(data: string, cb?: (err?: Error) => void) {
        ws.send(handle.forge ? tamper(data, handle.forge) : data, cb);
      },
      get readyState() {
        return ws.readyState as 0 | 1 | 2 | 3;
      },
    };
    relay.handleConnection(client, '127.0.0.1');
    ws.on('message', (data) => {
      void (async () => {
        try {
          const msg = await validator.validateIncomingMessage(data as Buffer);
          await relay.handleMessage(client, msg);
        } catch (err) {
          client.send(
            JSON.stringify(['NOTICE', `invalid: ${err instanceof Error ? err.message : String(err)}`]),
          );
        }
      })();
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      clients.delete(ws);
      relay.handleDisconnect(client);
    });
  }

  async function listen(): Promise<void> {
    if (wss) return;
    const server = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 4 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const addr = server.address();
    if (typeof addr === 'object' && addr) port = addr.port;
    server.on('connection', onConnection);
    wss = server;
  }

  async function closeServer(): Promise<void> {
    const server = wss;
    wss = null;
    if (!server) return;
    for (const ws of clients) ws.terminate();
    clients.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  try {
    await listen();
  } catch (err) {
    await relay.destroy();
    throw err;
  }
  return handle;
}

export interface NostrRelaysPart {
  relays: TestRelay[];
  urls: string[];
  routes: Route[];
  stop(): Promise<void>;
}

/** Starts `count` relays (options per relay, or one set for all) with control routes. */
export async function startNostrRelays(
  count = 2,
  opts: NostrRelayOptions | NostrRelayOptions[] = {},
): Promise<NostrRelaysPart> {
  const relays: TestRelay[] = [];
  const stop = async (): Promise<void> => {
    for (const r of relays.splice(0).reverse()) await r.stop();
  };
  try {
    for (let i = 0; i < count; i++)
      relays.push(await startNostrRelay(Array.isArray(opts) ? (opts[i] ?? {}) : opts));
  } catch (err) {
    await stop();
    throw err;
  }
  const ForgeBody = z
    .object({ index: z.number().int().min(0), forge: z.enum(FORGE_MODES).nullable() })
    .strict();
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/nostr',
      handler: () => ({
        relays: relays.map((r) => ({
          url: r.url,
          requireAuth: r.requireAuth,
          forge: r.forge,
          clients: r.clientCount(),
        })),
      }),
    },
    {
      method: 'POST',
      path: '/nostr/forge',
      handler: (body) => {
        const parsed = ForgeBody.safeParse(body ?? {});
        if (!parsed.success) throw new BadRequest('expected {index, forge: "forged-sig" | "garbled" | null}');
        const relay = relays[parsed.data.index];
        if (!relay) throw new BadRequest('no relay with that index');
        relay.forge = parsed.data.forge;
        return { url: relay.url, forge: relay.forge };
      },
    },
  ];
  return {
    relays,
    get urls() {
      return relays.map((r) => r.url);
    },
    routes,
    stop,
  };
}
