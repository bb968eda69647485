import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectOptions } from '../../main/bitcoin/electrum/client';
import { createPinStore } from '../../main/bitcoin/electrum/pin-store';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumClient, ElectrumService, JsonValue } from '../../main/bitcoin/electrum/types';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { electrumMigration } from '../../main/store/migrations/003_electrum';
import type { ElectrumServer } from '../../shared/contract';
import { ElectrumStatus } from '../../shared/contract';
import { FlashError } from '../../shared/errors';

const TCP: ElectrumServer = { host: 'electrum.example', port: 50001, transport: 'tcp' };
const TLS: ElectrumServer = { host: 'electrum.example', port: 50002, transport: 'tls' };
const FP_A = 'AA:'.repeat(31) + 'AA';
const FP_B = 'BB:'.repeat(31) + 'BB';

/** A connected client as the service sees it; the test drives notifications and closes. */
class FakeClient implements ElectrumClient {
  protocolVersion = '1.4';
  serverSoftware = 'FakeX 1.0';
  isOpen = true;
  /** Methods of each batch asked for, in order. */
  readonly batches: string[][] = [];
  /** Makes server.features fail, as on a server that does not have it. */
  featuresFail = false;
  private notify = new Set<(m: string, p: JsonValue[]) => void>();
  private closeListeners = new Set<(e: Error | null) => void>();
  constructor(
    readonly server: ElectrumServer,
    readonly certificateFingerprint: string | null,
    private tip: number,
  ) {}
  /** A TLS fake shows a self-signed certificate: not CA-valid, so it is pinned on first use. */
  get certificateTrust() {
    return this.certificateFingerprint ? ('first-use' as const) : null;
  }
  async request(method: string): Promise<JsonValue> {
    if (method === 'blockchain.headers.subscribe') return { height: this.tip, hex: '00'.repeat(80) };
    if (method === 'server.features' && this.featuresFail)
      throw new FlashError('ELECTRUM_PROTOCOL', 'server.features failed: unknown method');
    return null;
  }
  async batch(calls: { method: string; params: JsonValue[] }[]): Promise<JsonValue[]> {
    this.batches.push(calls.map((c) => c.method));
    return Promise.all(calls.map((c) => this.request(c.method)));
  }
  onNotification(l: (m: string, p: JsonValue[]) => void) {
    this.notify.add(l);
    return () => this.notify.delete(l);
  }
  onClose(l: (e: Error | null) => void) {
    this.closeListeners.add(l);
    return () => this.closeListeners.delete(l);
  }
  close(): void {
    this.drop(null);
  }
  drop(err: Error | null): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    for (const l of this.closeListeners) l(err);
  }
  newBlock(height: number): void {
    for (const l of this.notify) l('blockchain.headers.subscribe', [{ height, hex: '00'.repeat(80) }]);
  }
}

type Outcome = { fingerprint?: string | null; tip?: number; featuresFail?: boolean } | FlashError;

function harness(initialServer: ElectrumServer = TCP) {
  const db = new Database(':memory:');
  electrumMigration.up(db);
  const bus = createEventBus();
  const events: ElectrumStatus[] = [];
  bus.on('electrum.status', (s) => events.push(ElectrumStatus.parse(s)));
  const outcomes: Outcome[] = [];
  const calls: { server: ElectrumServer; opts: ConnectOptions }[] = [];
  const clients: FakeClient[] = [];
  const service = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer,
    now: () => Date.now(),
    random: () => 1,
    backoff: { baseMs: 100, maxMs: 400 },
    async connect(server, opts) {
      calls.push({ server, opts });
      const outcome = outcomes.shift() ?? {};
      if (outcome instanceof FlashError) throw outcome;
      const client = new FakeClient(server, outcome.fingerprint ?? null, outcome.tip ?? 101);
      client.featuresFail = outcome.featuresFail ?? false;
      clients.push(client);
      return client;
    },
  });
  return { db, service, events, outcomes, calls, clients, pins: createPinStore(db) };
}

let service: ElectrumService | null = null;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  service?.stop();
  service = null;
  vi.useRealTimers();
});

describe('electrum service (fake connections)', () => {
  it('connects on start, reports every state change, and follows the tip', async () => {
    const h = harness();
    service = h.service;
    expect(h.service.status().state).toBe('idle');
    h.service.start();
    expect(h.service.status().state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.service.status()).toMatchObject({
      state: 'connected',
      tipHeight: 101,
      serverVersion: 'FakeX 1.0',
      attempt: 0,
      lastError: null,
      certificateFingerprint: null,
    });
    expect(h.calls[0]!.opts.clientName).toMatch(/^flash-desktop /);
    expect(h.service.client()).toBe(h.clients[0]);
    h.clients[0]!.newBlock(105);
    expect(h.service.status().tipHeight).toBe(105);
    expect(h.events.map((e) => e.state)).toEqual(['connecting', 'connected', 'connected']);
  });

  it('asks for the tip and server.features in one batch; a server failing server.features still serves', async () => {
    const h = harness();
    service = h.service;
    h.outcomes.push({ featuresFail: true });
    h.service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.clients[0]!.batches).toEqual([['blockchain.headers.subscribe', 'server.features']]);
    expect(h.service.status()).toMatchObject({ state: 'connected', tipHeight: 101, features: null });
  });

  it('backs off exponentially after failures and recovers', async () => {
    const h = harness();
    service = h.service;
    const down = () => new FlashError('ELECTRUM_UNREACHABLE', 'refused');
    h.outcomes.push(down(), down(), down(), {});
    const t0 = Date.now();
    h.service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.service.status()).toMatchObject({ state: 'backoff', attempt: 1, nextRetryAt: t0 + 100 });
    expect(h.service.status().lastError?.code).toBe('ELECTRUM_UNREACHABLE');
    expect(() => h.service.client()).toThrow(FlashError);
    await vi.advanceTimersByTimeAsync(100);
    expect(h.service.status()).toMatchObject({ state: 'backoff', attempt: 2, nextRetryAt: t0 + 100 + 200 });
    await vi.advanceTimersByTimeAsync(200);
    expect(h.service.status()).toMatchObject({ state: 'backoff', attempt: 3, nextRetryAt: t0 + 300 + 400 });
    await vi.advanceTimersByTimeAsync(399);
    expect(h.service.status().state).toBe('backoff');
    await vi.advanceTimersByTimeAsync(1);
    expect(h.service.status()).toMatchObject({
      state: 'connected',
      attempt: 0,
      lastError: null,
      nextRetryAt: null,
    });
    expect(h.calls).toHaveLength(4);
  });

  it('reconnects when a live connection drops', async () => {
    const h = harness();
    service = h.service;
    h.service.start();
    await vi.advanceTimersByTimeAsync(0);
    const connected = vi.fn();
    h.service.onConnected(connected);
    h.clients[0]!.drop(new FlashError('ELECTRUM_TIMEOUT', 'no answer'));
    expect(h.service.status()).toMatchObject({ state: 'backoff', attempt: 1 });
    expect(h.service.status().lastError?.code).toBe('ELECTRUM_TIMEOUT');
    await vi.advanceTimersByTimeAsync(100);
    expect(h.service.status().state).toBe('connected');
    expect(connected).toHaveBeenCalledWith(h.clients[1]);
  });

  it('pins a TLS certificate on first use and sends the pin afterwards', async () => {
    const h = harness(TLS);
    service = h.service;
    h.outcomes.push({ fingerprint: FP_A });
    h.service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls[0]!.opts.pinnedFingerprint).toBeNull();
    expect(h.pins.get('electrum.example:50002')).toBe(FP_A);
    expect(h.service.status().certificateFingerprint).toBe(FP_A);
    h.service.reconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls[1]!.opts.pinnedFingerprint).toBe(FP_A);
  });

  it('stops on a changed certificate until the user trusts the new one', async () => {
    const h = harness(TLS);
    service = h.service;
    h.pins.set('electrum.example:50002', FP_A, 1);
    h.outcomes.push(new FlashError('ELECTRUM_CERT_CHANGED', 'changed', { pinned: FP_A, offered: FP_B }), {
      fingerprint: FP_B,
    });
    h.service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.service.status()).toMatchObject({
      state: 'idle',
      nextRetryAt: null,
      certificateFingerprint: FP_A,
    });
    expect(h.service.status().lastError?.code).toBe('ELECTRUM_CERT_CHANGED');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);

    const status = h.service.trustNewCertificate();
    expect(status.state).toBe('connecting');
    expect(h.pins.get('electrum.example:50002')).toBe(FP_B);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls[1]!.opts.pinnedFingerprint).toBe(FP_B);
    expect(h.service.status()).toMatchObject({
      state: 'connected',
      certificateFingerprint: FP_B,
      lastError: null,
    });
  });

  it('trustNewCertificate does nothing when no certificate change is pending', async () => {
    const h = harness(TLS);
    service = h.service;
    h.outcomes.push({ fingerprint: FP_A });
    h.service.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.service.trustNewCertificate().state).toBe('connected');
    expect(h.calls).toHaveLength(1);
  });

  it('setServer switches and reconnects; stop cancels timers and connections', async () => {
    const h = harness();
    service = h.service;
    h.service.start();
    await vi.advanceTimersByTimeAsync(0);
    const other: ElectrumServer = { host: '10.0.0.2', port: 60001, transport: 'tcp' };
    h.service.setServer(other);
    expect(h.clients[0]!.isOpen).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.service.status()).toMatchObject({ state: 'connected', server: other });
    expect(h.calls[1]!.server).toEqual(other);

    h.clients[1]!.drop(new FlashError('ELECTRUM_UNREACHABLE', 'gone'));
    expect(vi.getTimerCount()).toBe(1);
    h.service.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(h.service.status()).toMatchObject({ state: 'idle', nextRetryAt: null });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.calls).toHaveLength(2);
  });

  it('discards a connection that completes after stop()', async () => {
    const h = harness();
    service = h.service;
    let release: (() => void) | null = null;
    const late = new FakeClient(TCP, null, 1);
    const svc = createElectrumService({
      db: h.db,
      bus: createEventBus(),
      log: silentLogger,
      initialServer: TCP,
      connect: () => new Promise<ElectrumClient>((r) => (release = () => r(late))),
    });
    svc.start();
    svc.stop();
    release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(late.isOpen).toBe(false);
    expect(svc.status().state).toBe('idle');
  });
});

describe('electrum service pool (fake connections)', () => {
  const B: ElectrumServer = { host: 'backup.example', port: 50001, transport: 'tcp' };
  const C: ElectrumServer = { host: 'third.example', port: 50001, transport: 'tcp' };

  function poolHarness(fails: Set<string>) {
    const db = new Database(':memory:');
    electrumMigration.up(db);
    const bus = createEventBus();
    const events: ElectrumStatus[] = [];
    bus.on('electrum.status', (s) => events.push(ElectrumStatus.parse(s)));
    const calls: string[] = [];
    const svc = createElectrumService({
      db,
      bus,
      log: silentLogger,
      initialServer: TCP,
      fallbackServers: [B, C],
      crossCheck: false,
      random: () => 1,
      backoff: { baseMs: 100, maxMs: 400 },
      async connect(server) {
        calls.push(server.host);
        if (fails.has(server.host)) throw new FlashError('ELECTRUM_UNREACHABLE', `${server.host} refused`);
        return new FakeClient(server, null, 101);
      },
    });
    return { svc, events, calls };
  }

  it('fails over in order at once, then backs off per server when all are down', async () => {
    const fails = new Set(['electrum.example', 'backup.example']);
    const h = poolHarness(fails);
    service = h.svc;
    h.svc.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual(['electrum.example', 'backup.example', 'third.example']);
    expect(h.svc.status()).toMatchObject({ state: 'connected', server: C });

    fails.add('third.example');
    (h.svc.client() as FakeClient).drop(new FlashError('ELECTRUM_UNREACHABLE', 'gone'));
    await vi.advanceTimersByTimeAsync(0);
    // The primary and backup are still backing off: wait for the earliest.
    expect(h.svc.status().state).toBe('backoff');
    fails.clear();
    await vi.advanceTimersByTimeAsync(100);
    expect(h.svc.status()).toMatchObject({ state: 'connected', server: TCP });
  });

  it('markServerBad skips the server until reconnect()', async () => {
    const h = poolHarness(new Set());
    service = h.svc;
    h.svc.start();
    await vi.advanceTimersByTimeAsync(0);
    h.svc.markServerBad!(TCP, 'lied about a merkle proof');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.svc.status()).toMatchObject({ state: 'connected', server: B });
    expect(h.svc.status().warning).toMatchObject({ code: 'SERVER_MARKED_BAD' });
    h.svc.reconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.svc.status().state).toBe('connected');
  });

  it('setServer replaces the primary and keeps the fallbacks', async () => {
    const h = poolHarness(new Set());
    service = h.svc;
    h.svc.start();
    await vi.advanceTimersByTimeAsync(0);
    const other: ElectrumServer = { host: '10.0.0.2', port: 60001, transport: 'tcp' };
    h.svc.setServer(other);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.svc.servers!()).toEqual([other, B, C]);
    expect(h.svc.status()).toMatchObject({ state: 'connected', server: other });
  });
});
