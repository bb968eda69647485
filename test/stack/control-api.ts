import http from 'node:http';
import { z } from 'zod';
import { ChainRejection } from './chain';

/** Thrown by a route for input it cannot use; answered as 400 with the message. */
export class BadRequest extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadRequest';
  }
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** `body` is the parsed JSON body (undefined for GET or an empty body). */
  handler: (body: unknown, url: URL) => unknown;
}

export interface ControlApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A tiny JSON-over-HTTP API on loopback for tests and demos to drive the stack. Each stack part
 * contributes its own routes, so new stand-ins (relays, mints) plug in without touching this file.
 */
export async function startControlApi(opts: {
  routes: readonly Route[];
  port?: number;
  host?: string;
}): Promise<ControlApi> {
  const host = opts.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    void handle(opts.routes, req, res);
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('control API has no port');
  const url = `http://${host}:${address.port}`;
  return {
    url,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  routes: readonly Route[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const samePath = routes.filter((r) => r.path === url.pathname);
  const route = samePath.find((r) => r.method === req.method);
  try {
    if (!route) {
      if (samePath.length > 0) {
        send(res, 405, { error: `use ${samePath.map((r) => r.method).join(' or ')} for ${url.pathname}` });
      } else {
        send(res, 404, { error: `no route ${req.method} ${url.pathname}` });
      }
      return;
    }
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    send(res, 200, await route.handler(body, url));
  } catch (err) {
    if (err instanceof BadRequest || err instanceof ChainRejection) send(res, 400, { error: err.message });
    else if (err instanceof z.ZodError) send(res, 400, { error: z.prettifyError(err) });
    else send(res, 500, { error: err instanceof Error ? err.message : String(err) });
  }
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadRequest('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (text === '') {
        resolve(undefined);
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BadRequest('body is not valid JSON'));
      }
    });
  });
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
