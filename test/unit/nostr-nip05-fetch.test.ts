import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNostrDialer } from '../../main/nostr/dialer';
import { fetchNip05Json, NIP05_MAX_BYTES } from '../../main/nostr/nip05-fetch';
import type { Socks5Server } from '../stack/socks5';
import { startSocks5Server } from '../stack/socks5';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A NIP-05 host on 127.0.0.1; every request it gets is counted. */
async function host(handler: Handler): Promise<{ origin: string; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { origin: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/**
 * The way a real NIP-05 host is reached in these tests: by name, through the stack's SOCKS5
 * proxy, which resolves `names.example` to the local server (a stranger's domain may not be
 * this machine when dialled directly).
 */
async function viaProxy(
  origin: string,
): Promise<{ proxy: Socks5Server; dialer: ReturnType<typeof createNostrDialer> }> {
  const proxy = await startSocks5Server({ names: { 'names.example:80': origin } });
  closers.push(() => proxy.close());
  const dialer = createNostrDialer({ proxy: () => proxy, isTrustedRelay: () => false });
  return { proxy, dialer };
}

const URL_BOB = 'http://names.example/.well-known/nostr.json?name=bob';

describe('NIP-05 fetches', () => {
  it('reads a normal document through the proxy, which resolves the name', async () => {
    const h = await host((_req, res) => res.end(JSON.stringify({ names: { bob: 'ab'.repeat(32) } })));
    const { proxy, dialer } = await viaProxy(h.origin);
    await expect(fetchNip05Json(URL_BOB, dialer)).resolves.toEqual({ names: { bob: 'ab'.repeat(32) } });
    expect(proxy.targets).toEqual(['names.example:80']);
    expect(h.requests).toEqual(['/.well-known/nostr.json?name=bob']);
  });

  it('stops reading past 64 KiB, declared or streamed', async () => {
    const pad = Buffer.alloc(16 * 1024, 0x20);
    let cutOff: () => void = () => {};
    const serverSawClose = new Promise<void>((r) => (cutOff = r));
    const endless = await host((req, res) => {
      if (req.url?.includes('declared')) {
        res
          .writeHead(200, { 'content-length': String(NIP05_MAX_BYTES + 1) })
          .end(Buffer.alloc(NIP05_MAX_BYTES + 1, 0x20));
        return;
      }
      // No length, and no end: only a client that counts stops this.
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(pad), 2);
      res.on('close', () => {
        clearInterval(timer);
        cutOff();
      });
    });
    const { dialer } = await viaProxy(endless.origin);
    await expect(fetchNip05Json(URL_BOB, dialer, { timeoutMs: 20_000 })).rejects.toMatchObject({
      code: 'NOSTR_NIP05_FAILED',
      details: expect.objectContaining({ reason: 'too-large', limit: NIP05_MAX_BYTES }),
    });
    await expect(
      fetchNip05Json('http://names.example/declared', dialer, { timeoutMs: 20_000 }),
    ).rejects.toMatchObject({ details: expect.objectContaining({ reason: 'too-large' }) });
    // The client hung up on the endless answer (the wait ends only when it did).
    await serverSawClose;
  });

  it('times out on a host that never answers, or drips its answer', async () => {
    const silent = await host((req, res) => {
      if (req.url?.includes('drip')) {
        res.writeHead(200);
        const timer = setInterval(() => res.write(' '), 20);
        res.on('close', () => clearInterval(timer));
      }
      // otherwise: never answers
    });
    const { dialer } = await viaProxy(silent.origin);
    await expect(fetchNip05Json(URL_BOB, dialer, { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'NOSTR_NIP05_FAILED',
      details: expect.objectContaining({ reason: 'timeout' }),
    });
    await expect(
      fetchNip05Json('http://names.example/drip', dialer, { timeoutMs: 300 }),
    ).rejects.toMatchObject({ details: expect.objectContaining({ reason: 'timeout' }) });
  });

  it('does not follow redirects, and types bad answers', async () => {
    const target = await host((_req, res) => res.end('{"names":{}}'));
    const h = await host((req, res) => {
      if (req.url?.includes('moved')) res.writeHead(302, { location: `http://${target.origin}/` }).end();
      else if (req.url?.includes('broken')) res.writeHead(500).end();
      else res.end('<html>not json</html>');
    });
    const { dialer } = await viaProxy(h.origin);
    const reason = (url: string) =>
      fetchNip05Json(url, dialer).then(
        () => 'resolved',
        (err: { details?: { reason?: string } }) => err.details?.reason,
      );
    expect(await reason('http://names.example/moved')).toBe('redirect');
    expect(target.requests).toEqual([]);
    expect(await reason('http://names.example/broken')).toBe('http');
    expect(await reason('http://names.example/page')).toBe('format');
  });

  it('refuses local hosts without a proxy, before and after DNS, and never reaches them', async () => {
    const h = await host((_req, res) => res.end('{"names":{}}'));
    const port = Number(h.origin.split(':')[1]);
    const dialer = createNostrDialer({
      proxy: () => null,
      isTrustedRelay: () => true, // even a relay the user added does not make NIP-05 trusted
      // A DNS answer that points the stranger's name at this machine.
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const reason = (url: string) =>
      fetchNip05Json(url, dialer).then(
        () => 'resolved',
        (err: { code?: string; details?: { reason?: string; refusal?: string } }) =>
          `${err.code}/${err.details?.reason}/${err.details?.refusal}`,
      );
    expect(await reason(`http://${h.origin}/.well-known/nostr.json?name=bob`)).toBe(
      'NOSTR_NIP05_FAILED/refused/port',
    );
    expect(await reason('http://127.0.0.1/.well-known/nostr.json?name=bob')).toBe(
      'NOSTR_NIP05_FAILED/refused/loopback',
    );
    expect(await reason('http://rebind.example/.well-known/nostr.json?name=bob')).toBe(
      'NOSTR_NIP05_FAILED/refused/loopback',
    );
    expect(await reason(`http://names.example:${port}/.well-known/nostr.json`)).toBe(
      'NOSTR_NIP05_FAILED/refused/port',
    );
    expect(h.requests).toEqual([]);
  });
});
