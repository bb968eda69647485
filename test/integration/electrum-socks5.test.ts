import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectElectrum } from '../../main/bitcoin/electrum/client';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumClient, ElectrumService } from '../../main/bitcoin/electrum/types';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { electrumMigration } from '../../main/store/migrations/003_electrum';
import { FlashError } from '../../shared/errors';
import type { Stack } from '../stack/index';
import { startStack } from '../stack/index';
import type { Socks5Server } from '../stack/socks5';
import { startSocks5Server } from '../stack/socks5';

let stack: Stack;
let proxy: Socks5Server;
let authProxy: Socks5Server;
const open: ElectrumClient[] = [];
const services: ElectrumService[] = [];

beforeAll(async () => {
  stack = await startStack();
  proxy = await startSocks5Server();
  authProxy = await startSocks5Server({ auth: { username: 'flash', password: 'tor-pass' } });
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
  for (const s of services.splice(0)) s.stop();
});

afterAll(async () => {
  await proxy.close();
  await authProxy.close();
  await stack.stop();
});

async function failure(p: Promise<unknown>): Promise<FlashError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FlashError);
  return err as FlashError;
}

describe('Electrum over a SOCKS5 proxy', () => {
  it('tunnels TCP through the proxy (the proxy sees the connection and the target)', async () => {
    const before = proxy.connections;
    const client = await connectElectrum(stack.electrum, {
      timeoutMs: 3_000,
      proxy: { host: proxy.host, port: proxy.port },
    });
    open.push(client);
    expect(proxy.connections).toBe(before + 1);
    expect(proxy.targets.at(-1)).toBe(`${stack.electrum.host}:${stack.electrum.port}`);
    expect(client.protocolVersion).toMatch(/^1\.[4-6]/);
    const tip = (await client.request('blockchain.headers.subscribe', [])) as { height: number };
    expect(tip.height).toBe(stack.chain.tipHeight);
  });

  it('runs TLS inside the tunnel and still checks the pinned certificate', async () => {
    const before = proxy.connections;
    const client = await connectElectrum(stack.electrumTls, {
      timeoutMs: 3_000,
      proxy: { host: proxy.host, port: proxy.port },
      pinnedFingerprint: stack.electrumTlsFingerprint,
    });
    open.push(client);
    expect(client.certificateFingerprint).toBe(stack.electrumTlsFingerprint);
    expect(proxy.targets.at(-1)).toBe(`${stack.electrumTls.host}:${stack.electrumTls.port}`);

    const wrongPin = 'AA:'.repeat(31) + 'AA';
    const err = await failure(
      connectElectrum(stack.electrumTls, {
        timeoutMs: 3_000,
        proxy: { host: proxy.host, port: proxy.port },
        pinnedFingerprint: wrongPin,
      }),
    );
    expect(err.code).toBe('ELECTRUM_CERT_CHANGED');
    expect(proxy.connections).toBe(before + 2);
  });

  it('authenticates with username and password, and fails clearly on a wrong password', async () => {
    const client = await connectElectrum(stack.electrum, {
      timeoutMs: 3_000,
      proxy: { host: authProxy.host, port: authProxy.port, username: 'flash', password: 'tor-pass' },
    });
    open.push(client);
    expect(authProxy.targets).toHaveLength(1);
    const err = await failure(
      connectElectrum(stack.electrum, {
        timeoutMs: 3_000,
        proxy: { host: authProxy.host, port: authProxy.port, username: 'flash', password: 'nope' },
      }),
    );
    expect(err.code).toBe('ELECTRUM_UNREACHABLE');
    expect(err.message).toMatch(/SOCKS5 proxy/);
    expect(authProxy.refused).toBe(1);
  });

  it('reports a dead proxy as ELECTRUM_UNREACHABLE', async () => {
    const err = await failure(
      connectElectrum(stack.electrum, { timeoutMs: 2_000, proxy: { host: '127.0.0.1', port: 9 } }),
    );
    expect(err.code).toBe('ELECTRUM_UNREACHABLE');
  });

  it('the service pins on first use through the proxy and keeps using it', async () => {
    const db = new Database(':memory:');
    electrumMigration.up(db);
    const bus = createEventBus();
    const before = proxy.connections;
    const service = createElectrumService({
      db,
      bus,
      log: silentLogger,
      initialServer: stack.electrumTls,
      proxy: { host: proxy.host, port: proxy.port },
      timeoutMs: 3_000,
    });
    services.push(service);
    const connected = new Promise<void>((resolve) =>
      bus.on('electrum.status', (s) => {
        if (s.state === 'connected') resolve();
      }),
    );
    service.start();
    await connected;
    expect(service.status().certificateFingerprint).toBe(stack.electrumTlsFingerprint);
    expect(proxy.connections).toBe(before + 1);
  });
});
