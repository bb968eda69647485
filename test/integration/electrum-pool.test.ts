import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumService } from '../../main/bitcoin/electrum/types';
import type { EventBus } from '../../main/core/event-bus';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { electrumMigration } from '../../main/store/migrations/003_electrum';
import type { ElectrumServer, ElectrumStatus } from '../../shared/contract';
import { ElectrumStatus as StatusSchema } from '../../shared/contract';
import type { Stack } from '../stack/index';
import { startStack } from '../stack/index';

const FIXED_CLOCK = () => 1_700_000_000;
const stacks: Stack[] = [];
const services: ElectrumService[] = [];

afterEach(async () => {
  for (const s of services.splice(0)) s.stop();
  for (const s of stacks.splice(0)) await s.stop();
});

/** Two stacks; with the same seed and a fixed clock they start with identical chains. */
async function twoStacks(seedB = 'flash-desktop regtest stack'): Promise<[Stack, Stack]> {
  const a = await startStack({ chain: { clock: FIXED_CLOCK } });
  const b = await startStack({ chain: { clock: FIXED_CLOCK, seed: seedB } });
  stacks.push(a, b);
  return [a, b];
}

function pool(primary: ElectrumServer, fallbacks: ElectrumServer[], crossCheck = true) {
  const db = new Database(':memory:');
  electrumMigration.up(db);
  const bus = createEventBus();
  const events: ElectrumStatus[] = [];
  bus.on('electrum.status', (s) => events.push(StatusSchema.parse(s)));
  const service = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: primary,
    fallbackServers: fallbacks,
    timeoutMs: 2_000,
    backoff: { baseMs: 200, maxMs: 400 },
    crossCheck,
  });
  services.push(service);
  return { service, bus, events };
}

function waitFor(bus: EventBus, service: ElectrumService, match: (s: ElectrumStatus) => boolean) {
  if (match(service.status())) return Promise.resolve(service.status());
  return new Promise<ElectrumStatus>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`status never matched: ${JSON.stringify(service.status())}`)),
      8_000,
    );
    const off = bus.on('electrum.status', (s) => {
      if (!match(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

describe('Electrum server pool', () => {
  it('fails over to the next server when the primary is down, and the status says which', async () => {
    const [a, b] = await twoStacks();
    a.setFault('down');
    const { service, bus, events } = pool(a.electrum, [b.electrum], false);
    service.start();
    const status = await waitFor(bus, service, (s) => s.state === 'connected');
    expect(status.server).toEqual(b.electrum);
    expect(service.client().server).toEqual(b.electrum);
    expect(events.some((e) => e.state === 'connecting' && e.server.port === a.electrum.port)).toBe(true);
    expect(service.servers?.()).toEqual([a.electrum, b.electrum]);

    // The fallback dies too while the primary is back: the pool goes back to the primary.
    a.setFault('none');
    b.setFault('down');
    const back = await waitFor(
      bus,
      service,
      (s) => s.state === 'connected' && s.server.port === a.electrum.port,
    );
    expect(back.server).toEqual(a.electrum);
  });

  it('keeps setServer(one) working: a single server backs off as before', async () => {
    const [a] = await twoStacks();
    a.setFault('down');
    const { service, bus } = pool(a.electrum, []);
    service.start();
    const s = await waitFor(bus, service, (x) => x.state === 'backoff');
    expect(s.server).toEqual(a.electrum);
    expect(s.nextRetryAt).not.toBeNull();
    a.setFault('none');
    await waitFor(bus, service, (x) => x.state === 'connected');
  });

  it('cross-checks the tip: 1 block apart is fine, 3 blocks apart is flagged', async () => {
    const [a, b] = await twoStacks();
    b.chain.mine(1);
    const { service, bus } = pool(a.electrum, [b.electrum]);
    service.start();
    await waitFor(bus, service, (s) => s.state === 'connected');
    const ok = await service.crossCheckTip!();
    expect(ok).toMatchObject({ ok: true, comparedAt: a.chain.tipHeight });
    expect(ok!.primary.hash).toBe(a.chain.tip().hash);
    expect(service.status().warning ?? null).toBeNull();

    b.chain.mine(2);
    const bad = await service.crossCheckTip!();
    expect(bad).toMatchObject({ ok: false });
    expect(bad!.secondary.height - bad!.primary.height).toBe(3);
    expect(service.status().warning).toMatchObject({ code: 'TIP_MISMATCH' });
    expect(service.status().warning!.message).toMatch(/at block/);
    // Still connected: the warning informs, the SPV layer decides.
    expect(service.status().state).toBe('connected');
  });

  it('flags servers that disagree about the block at the same height', async () => {
    const [a, b] = await twoStacks('another chain entirely');
    const { service, bus } = pool(a.electrum, [b.electrum]);
    service.start();
    const warned = await waitFor(bus, service, (s) => s.warning?.code === 'TIP_MISMATCH');
    expect(warned.warning!.message).toMatch(/disagree about block 101/);
  });

  it('markServerBad drops the current server and fails over to the next', async () => {
    const [a, b] = await twoStacks();
    const { service, bus } = pool(a.electrum, [b.electrum], false);
    service.start();
    await waitFor(bus, service, (s) => s.state === 'connected');
    service.markServerBad!(a.electrum, 'bad merkle proof');
    const s = await waitFor(
      bus,
      service,
      (x) => x.state === 'connected' && x.server.port === b.electrum.port,
    );
    expect(s.warning).toMatchObject({ code: 'SERVER_MARKED_BAD' });
    expect(s.warning!.message).toMatch(/bad merkle proof/);
  });
});
