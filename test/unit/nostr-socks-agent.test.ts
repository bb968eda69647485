import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { socksAgentFor } from '../../main/nostr/socks-agent';
import { startSocks5Server } from '../stack/socks5';
import { generateTlsCredentials } from '../stack/tls';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A wss:// echo server on 127.0.0.1 whose certificate names `name`. */
async function wssServer(name: string) {
  const creds = await generateTlsCredentials(name);
  const server = https.createServer({ key: creds.key, cert: creds.cert });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo ${String(m)}`)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.close(() => r());
      }),
  );
  return { port: (server.address() as AddressInfo).port, cert: creds.cert };
}

function talk(url: string, options: WebSocket.ClientOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('open', () => ws.send('hi'));
    ws.on('message', (m) => {
      resolve(String(m));
      ws.close();
    });
    ws.on('error', reject);
  });
}

describe('the SOCKS5 agent', () => {
  it('carries wss:// by name through the proxy, and TLS still checks the certificate’s name', async () => {
    const good = await wssServer('relay.example');
    const wrong = await wssServer('someone-else.example');
    const proxy = await startSocks5Server({
      names: {
        'relay.example:443': `127.0.0.1:${good.port}`,
        'relay.example:8443': `127.0.0.1:${wrong.port}`,
      },
    });
    closers.push(() => proxy.close());

    const url = 'wss://relay.example';
    await expect(talk(url, { agent: socksAgentFor(url, proxy, 5000), ca: good.cert })).resolves.toBe(
      'echo hi',
    );
    expect(proxy.targets).toEqual(['relay.example:443']);

    // Same name, a server whose certificate is for another name: refused by TLS inside the tunnel.
    const other = 'wss://relay.example:8443';
    await expect(talk(other, { agent: socksAgentFor(other, proxy, 5000), ca: wrong.cert })).rejects.toThrow(
      /altnames|does not match|Hostname/i,
    );
    // And an unknown certificate authority is refused too.
    await expect(talk(url, { agent: socksAgentFor(url, proxy, 5000) })).rejects.toThrow(
      /self[- ]signed|certificate/i,
    );
  });

  it('reports a proxy that is not there as an error, not a hang', async () => {
    const url = 'ws://relay.example';
    const dead = { host: '127.0.0.1', port: 1 };
    await expect(talk(url, { agent: socksAgentFor(url, dead, 2000) })).rejects.toThrow(
      /SOCKS5 proxy 127\.0\.0\.1:1/,
    );
  });
});
