import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cappedGet, CappedGetError, parseJsonBody } from '../../main/net/capped-get';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      case '/moved':
        res.writeHead(302, { location: '/json' }).end();
        return;
      case '/declared-big':
        res.writeHead(200, { 'content-length': '100000' });
        res.write('x');
        return;
      case '/streamed-big':
        res.writeHead(200);
        res.write('x'.repeat(600));
        res.write('x'.repeat(600));
        return;
      case '/silent':
        return; // never answers
      default:
        res.writeHead(404).end('nope');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const get = (path: string, timeoutMs = 2_000) =>
  cappedGet(new URL(base + path), { agent: false, timeoutMs, maxBytes: 1_000 });
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CappedGetError);
  return (err as CappedGetError).reason;
};

describe('capped GET', () => {
  it('returns the status and body, and hands a redirect back instead of following it', async () => {
    const ok = await get('/json');
    expect(ok).toMatchObject({ kind: 'body', status: 200 });
    expect(ok.kind === 'body' && parseJsonBody(ok.body)).toEqual({ ok: true });
    expect(await get('/moved')).toEqual({ kind: 'redirect', status: 302, location: `${base}/json` });
    const missing = await get('/missing');
    expect(missing).toMatchObject({ kind: 'body', status: 404 });
    expect(missing.kind === 'body' && parseJsonBody(missing.body)).toBeUndefined();
  });

  it('refuses a body over the cap, declared or streamed, and a server that never answers', async () => {
    expect(await failure(get('/declared-big'))).toBe('too-large');
    expect(await failure(get('/streamed-big'))).toBe('too-large');
    expect(await failure(get('/silent', 200))).toBe('timeout');
  });

  it('says unreachable, with the socket’s own error, when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await cappedGet(new URL(`http://127.0.0.1:${port}/`), {
      agent: false,
      timeoutMs: 2_000,
      maxBytes: 10,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CappedGetError);
    expect((err as CappedGetError).reason).toBe('unreachable');
    expect((err as CappedGetError).cause).toBeInstanceOf(Error);
  });
});
