import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { checkHost, parseRequestTarget } from '../../main/headless/request-guard';
import { startWsBridge, type WsBridgeServer } from '../../main/headless/ws-bridge';
import { tempDir } from '../support/core';

describe('parseRequestTarget', () => {
  it.each([
    ['/', '/'],
    ['/assets/index-abc.js', '/assets/index-abc.js'],
    ['/bridge?token=abc', '/bridge'],
    ['/a%20b', '/a b'],
    ['/caf%C3%A9', '/café'],
    ['http://127.0.0.1:4000/x?y=1', '/x'],
    ['http://LOCALHOST:4000/', '/'],
  ])('accepts %s as %s', (raw, path) => {
    const parsed = parseRequestTarget(raw, 4000);
    expect(parsed).toMatchObject({ ok: true, value: { path } });
  });

  it.each([
    [undefined, 400],
    ['', 400],
    ['/%', 400],
    ['/%E0%A4%A', 400],
    ['/%zz', 400],
    ['//', 400],
    ['//evil.com/x', 400],
    ['/a//b', 400],
    ['/%2F%2Fevil.com', 400],
    ['/a%00b', 400],
    ['/a%0d%0aSet-Cookie:x', 400],
    ['/a#frag', 400],
    ['*', 400],
    ['evil.com:443', 400],
    ['http://evil.com/', 421],
    ['http://127.0.0.1:4001/', 421],
    ['http://127.0.0.1:4000/%', 400],
    ['http://[::1/', 400],
  ])('refuses %s with %i', (raw, status) => {
    expect(parseRequestTarget(raw, 4000)).toMatchObject({ ok: false, status });
  });

  it('reads the query without throwing on bad escapes', () => {
    const parsed = parseRequestTarget('/bridge?token=a%&x=%E0%A4%A', 4000);
    expect(parsed.ok && parsed.value.query.get('token')).toBe('a%');
  });
});

describe('checkHost', () => {
  it.each(['127.0.0.1:4000', 'localhost:4000', 'LocalHost:4000'])('accepts %s', (host) => {
    expect(checkHost(host, 4000)).toEqual({ ok: true, value: true });
  });
  it.each([
    [undefined, 400],
    ['', 400],
    ['127.0.0.1', 421],
    ['localhost', 421],
    ['127.0.0.1:4001', 421],
    ['evil.com', 421],
    ['attacker.example:4000', 421],
    ['127.0.0.1:4000.evil.com', 421],
    ['[::1]:4000', 421],
  ])('refuses %s with %i', (host, status) => {
    expect(checkHost(host, 4000)).toMatchObject({ ok: false, status });
  });
});

describe('browser-mode server in process', () => {
  let bridge: WsBridgeServer;
  let root: string;
  beforeAll(async () => {
    root = path.join(tempDir('flash-renderer-'), 'renderer');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Flash</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'not for the page');
    bridge = await startWsBridge({
      dispatcher: { dispatch: async () => ({ ok: true, value: null }) },
      bus: createEventBus(),
      log: silentLogger,
      rendererDir: root,
      limits: { headersTimeoutMs: 300, requestTimeoutMs: 600, checkIntervalMs: 50, maxConnections: 3 },
    });
  });
  afterAll(async () => {
    await bridge.close();
  });

  const get = (target: string, host = `127.0.0.1:${bridge.port}`) =>
    new Promise<{ status: number; body: string; type: string | undefined }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: bridge.port, path: target, headers: { Host: host }, agent: false },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('serves the renderer for both allowed host names', async () => {
    expect(await get('/')).toMatchObject({ status: 200, body: '<!doctype html><title>Flash</title>' });
    expect(await get('/assets/app.js', `localhost:${bridge.port}`)).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
    });
    // Unknown screens get index.html so a reload works anywhere.
    expect(await get('/wallet/send')).toMatchObject({
      status: 200,
      body: '<!doctype html><title>Flash</title>',
    });
  });

  it('never serves a file outside the renderer folder', async () => {
    const res = await get('/..%2fsecret.txt');
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('not for the page');
  });

  it('gives a DNS-rebinding host nothing', async () => {
    const res = await get('/', `rebind.example:${bridge.port}`);
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('Flash');
  });

  it('cuts off a client that never finishes its headers, and keeps serving', async () => {
    const net = await import('node:net');
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect(bridge.port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: 127'));
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      s.on('close', () => resolve(text));
    });
    expect(outcome).toMatch(/^HTTP\/1\.1 408/);
    expect((await get('/')).status).toBe(200);
  });

  it('closes sockets over the cap on arrival', async () => {
    const net = await import('node:net');
    const sockets = Array.from({ length: 5 }, () => net.connect(bridge.port, '127.0.0.1'));
    const outcomes = await Promise.all(
      sockets.map(
        (s) =>
          new Promise<string>((resolve) => {
            let text = '';
            s.on('data', (d: Buffer) => (text += d.toString()));
            s.on('error', () => {});
            s.on('close', () => resolve(text.slice(0, 12)));
          }),
      ),
    );
    // At most three (the cap) were let in, and timed out waiting for headers; the rest were
    // closed with no answer. (A socket from the previous test may still hold a slot.)
    const letIn = outcomes.filter((o) => o === 'HTTP/1.1 408').length;
    expect(letIn).toBeGreaterThan(0);
    expect(letIn).toBeLessThanOrEqual(3);
    expect(outcomes.filter((o) => o === '')).toHaveLength(5 - letIn);
    expect((await get('/')).status).toBe(200);
  });
});
