import { negotiatedVersion } from '../support/protocol';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPinStore } from '../../main/bitcoin/electrum/pin-store';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumService } from '../../main/bitcoin/electrum/types';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import type { ElectrumServer } from '../../shared/contract';
import { ElectrumStatus } from '../../shared/contract';
import { createElectrumServer } from '../stack/electrum-server';
import type { Stack } from '../stack/index';
import { startStack } from '../stack/index';
import { generateTlsCredentials } from '../stack/tls';

let stack: Stack;
let dir: string;
const running: { service: ElectrumService; db: Db }[] = [];

beforeAll(async () => {
  stack = await startStack();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-electrum-'));
});

afterEach(() => {
  for (const r of running.splice(0)) {
    r.service.stop();
    r.db.close();
  }
  stack.setFault('none');
});

afterAll(async () => {
  await stack.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

let dbCount = 0;
function makeService(server: ElectrumServer, opts: { keepAliveMs?: number; timeoutMs?: number } = {}) {
  const db = openDatabase(path.join(dir, `profile-${++dbCount}.db`));
  const bus = createEventBus();
  const events: ElectrumStatus[] = [];
  bus.on('electrum.status', (payload) => events.push(ElectrumStatus.parse(payload)));
  const service = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: server,
    backoff: { baseMs: 20, maxMs: 100 },
    timeoutMs: opts.timeoutMs ?? 1_000,
    ...(opts.keepAliveMs !== undefined ? { keepAliveMs: opts.keepAliveMs } : {}),
    appVersion: 'test',
  });
  running.push({ service, db });
  return { service, events, db };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const connected = (s: ElectrumService) => () => s.status().state === 'connected';

describe('Electrum service against the regtest stack', () => {
  it('connects, follows new blocks, and emits only valid status events', async () => {
    const { service, events } = makeService(stack.electrum);
    service.start();
    await waitFor(connected(service), 'connected');
    expect(service.status()).toMatchObject({
      tipHeight: stack.chain.tipHeight,
      serverVersion: 'flash-stack 0.2',
      protocolVersion: negotiatedVersion(),
      attempt: 0,
      lastError: null,
    });
    expect(service.client().protocolVersion).toBe(negotiatedVersion());
    stack.chain.mine(2);
    await waitFor(() => service.status().tipHeight === stack.chain.tipHeight, 'tip update');
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]!.state).toBe('connecting');
  });

  it('backs off while the server is down and recovers when it returns', async () => {
    const { service, events } = makeService(stack.electrum);
    service.start();
    await waitFor(connected(service), 'connected');
    stack.setFault('down');
    await waitFor(() => service.status().attempt >= 3, 'three failed attempts');
    const status = service.status();
    expect(status.lastError?.code).toBe('ELECTRUM_UNREACHABLE');
    expect(['backoff', 'connecting']).toContain(status.state);
    const backoffs = events.filter((e) => e.state === 'backoff');
    expect(backoffs.every((e) => e.nextRetryAt !== null && e.lastError !== null)).toBe(true);
    expect(backoffs.map((e) => e.attempt).slice(0, 3)).toEqual([1, 2, 3]);
    stack.setFault('none');
    await waitFor(connected(service), 'reconnected');
    expect(service.status()).toMatchObject({ attempt: 0, lastError: null, nextRetryAt: null });
  });

  it('detects a silent server through keep-alive pings (ELECTRUM_TIMEOUT) and recovers', async () => {
    const { service } = makeService(stack.electrum, { keepAliveMs: 50, timeoutMs: 200 });
    service.start();
    await waitFor(connected(service), 'connected');
    stack.setFault('silent');
    await waitFor(() => service.status().lastError?.code === 'ELECTRUM_TIMEOUT', 'timeout error');
    expect(service.status().state).not.toBe('connected');
    stack.setFault('none');
    await waitFor(connected(service), 'reconnected');
  });

  it('reports a garbage-speaking server as ELECTRUM_PROTOCOL and recovers', async () => {
    const { service } = makeService(stack.electrum, { keepAliveMs: 50 });
    service.start();
    await waitFor(connected(service), 'connected');
    stack.setFault('garbage');
    await waitFor(() => service.status().lastError?.code === 'ELECTRUM_PROTOCOL', 'protocol error');
    stack.setFault('none');
    await waitFor(connected(service), 'reconnected');
    expect(service.status().lastError).toBeNull();
  });

  it('pins TLS on first use, refuses a new certificate, and accepts it only when trusted', async () => {
    const certA = await generateTlsCredentials();
    const certB = await generateTlsCredentials();
    let server = createElectrumServer({ chain: stack.chain });
    try {
      const { port } = await server.listen({ transport: 'tls', port: 0, tls: certA });
      const target: ElectrumServer = { host: '127.0.0.1', port, transport: 'tls' };
      const { service, db } = makeService(target);
      service.start();
      await waitFor(connected(service), 'connected over TLS');
      expect(service.status().certificateFingerprint).toBe(certA.fingerprint256);
      expect(createPinStore(db).get(`127.0.0.1:${port}`)).toBe(certA.fingerprint256);

      // The server comes back on the same port with another certificate.
      await server.close();
      server = createElectrumServer({ chain: stack.chain });
      await server.listen({ transport: 'tls', port, tls: certB });
      await waitFor(() => service.status().lastError?.code === 'ELECTRUM_CERT_CHANGED', 'certificate change');
      expect(service.status()).toMatchObject({
        state: 'idle',
        nextRetryAt: null,
        certificateFingerprint: certA.fingerprint256,
      });
      expect(service.status().lastError?.message).toContain(certB.fingerprint256);
      expect(() => service.client()).toThrow();

      service.trustNewCertificate();
      await waitFor(connected(service), 'connected after trusting');
      expect(service.status().certificateFingerprint).toBe(certB.fingerprint256);
      expect(createPinStore(db).get(`127.0.0.1:${port}`)).toBe(certB.fingerprint256);
    } finally {
      await server.close();
    }
  });

  it('switches servers with setServer', async () => {
    const { service } = makeService(stack.electrum);
    service.start();
    await waitFor(connected(service), 'connected over TCP');
    service.setServer(stack.electrumTls);
    await waitFor(
      () => service.status().state === 'connected' && service.status().server.transport === 'tls',
      'connected over TLS',
    );
    expect(service.client().server).toEqual(stack.electrumTls);
    expect(service.status().certificateFingerprint).toBe(stack.electrumTlsFingerprint);
  });

  it('leaves no sockets or timers behind after stop()', async () => {
    const handles = () =>
      process
        .getActiveResourcesInfo()
        .filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap' || r === 'Timeout').length;
    // Let connections from earlier tests finish closing before taking the baseline.
    await waitFor(() => stack.electrumServer.connectionCount === 0, 'earlier connections closed');
    await new Promise((r) => setTimeout(r, 20));
    const baseline = handles();
    const { service } = makeService(stack.electrum, { keepAliveMs: 1_000 });
    service.start();
    await waitFor(connected(service), 'connected');
    expect(handles()).toBeGreaterThan(baseline);
    stack.setFault('down');
    await waitFor(() => service.status().state === 'backoff', 'backoff');
    service.stop();
    expect(service.status()).toMatchObject({ state: 'idle', nextRetryAt: null });
    await waitFor(() => handles() <= baseline, 'handles released');
    expect(stack.electrumServer.connectionCount).toBe(0);
  });
});
