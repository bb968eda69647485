import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PriceStatus, Socks5ProxySetting } from '../../shared/contract';
import { createEventBus } from '../../main/core/event-bus';
import type { PriceService, PriceServiceDeps } from '../../main/prices/service';
import { createPriceService } from '../../main/prices/service';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import type { PriceStandIn } from '../stack/prices';
import { startPriceStandIn } from '../stack/prices';
import type { Socks5Server } from '../stack/socks5';
import { startSocks5Server } from '../stack/socks5';
import { until } from '../support/wait';

let standIn: PriceStandIn;
let proxyServer: Socks5Server;
const dirs: string[] = [];
const open: { service: PriceService; db: Db }[] = [];

beforeAll(async () => {
  standIn = await startPriceStandIn();
  proxyServer = await startSocks5Server();
});
afterAll(async () => {
  await proxyServer.close();
  await standIn.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const { service, db } of open.splice(0)) {
    service.stop();
    db.close();
  }
  standIn.fault = 'none';
});

function freshDbFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-prices-'));
  dirs.push(dir);
  return path.join(dir, 'flash.db');
}

function makeService(
  file: string,
  extra: Partial<PriceServiceDeps> = {},
  proxy: Socks5ProxySetting | null = null,
) {
  const db = openDatabase(file);
  const bus = createEventBus();
  const events: PriceStatus[] = [];
  bus.on('prices.changed', (s) => events.push(s));
  const service = createPriceService({
    db,
    bus,
    proxy: () => proxy,
    coinbaseUrl: standIn.url,
    timeoutMs: 2_000,
    ...extra,
  });
  open.push({ service, db });
  service.start();
  return { service, events, db };
}

/** Settings saved at once ('loading'); the price comes by the next 'prices.changed' after it. */
async function configured(
  service: PriceService,
  events: PriceStatus[],
  patch: Parameters<PriceService['configure']>[0],
): Promise<PriceStatus> {
  const seen = events.length;
  const saved = await service.configure(patch);
  expect(saved.state).toBe('loading');
  return until(
    'the price source answers',
    () => events.slice(seen).find((e) => e.state !== 'loading'),
    10_000,
  );
}

const requestsNow = (): number => standIn.requests.mempool + standIn.requests.coinbase;

describe('fiat price service against the price stand-in', () => {
  it('is off by default and sends no request at all, even when asked to refresh', async () => {
    const before = requestsNow();
    // A tiny interval: if the service polled while off, it would have done so many times here.
    const { service } = makeService(freshDbFile(), { intervalMs: 20, retryMs: 20 });
    expect(service.status()).toEqual({
      settings: { source: null, currency: 'USD', mempoolUrl: 'https://mempool.space' },
      state: 'off',
      quote: null,
      lastError: null,
      lastAttemptAt: null,
    });
    expect((await service.refresh()).state).toBe('off');
    await service.configure({ currency: 'EUR' });
    await new Promise((r) => setTimeout(r, 300));
    expect(requestsNow()).toBe(before);
    expect(service.status().quote).toBeNull();
  });

  it('turned on, fetches mempool.space’s price as a decimal string with the source’s time, and says so', async () => {
    const { service, events } = makeService(freshDbFile());
    const before = standIn.requests.mempool;
    const status = await configured(service, events, {
      source: 'mempool',
      currency: 'EUR',
      mempoolUrl: `${standIn.url}/`,
    });
    expect(standIn.requests.mempool).toBe(before + 1);
    expect(status.state).toBe('fresh');
    expect(status.settings.mempoolUrl).toBe(standIn.url);
    expect(status.quote).toMatchObject({ source: 'mempool', currency: 'EUR', price: '60123' });
    // mempool gives its time in seconds: within the second of the request.
    expect(Math.abs((status.quote?.time ?? 0) - Date.now())).toBeLessThan(5_000);
    expect(events.at(-1)?.quote?.price).toBe('60123');
  });

  it('Coinbase: the spot amount string, cents kept', async () => {
    const { service, events } = makeService(freshDbFile());
    const status = await configured(service, events, { source: 'coinbase', currency: 'USD' });
    expect(status.quote).toMatchObject({ source: 'coinbase', currency: 'USD', price: '65432.1' });
    expect(status.quote?.time).toBe(status.quote?.fetchedAt);
  });

  it('down: keeps the last price with its time and says the source is unreachable; back up, fresh again', async () => {
    const file = freshDbFile();
    const { service, events } = makeService(file);
    const first = await configured(service, events, {
      source: 'mempool',
      mempoolUrl: standIn.url,
      currency: 'USD',
    });
    expect(first.state).toBe('fresh');
    const kept = first.quote;

    standIn.fault = 'down';
    await new Promise((r) => setTimeout(r, 20));
    const down = await service.refresh();
    expect(down.state).toBe('stale');
    expect(down.quote).toEqual(kept);
    expect(down.lastError?.code).toBe('PRICE_UNREACHABLE');
    expect(down.lastAttemptAt).toBeGreaterThan(kept?.fetchedAt ?? Infinity);
    expect(events.at(-1)?.state).toBe('stale');

    standIn.fault = 'http-503';
    expect((await service.refresh()).lastError?.code).toBe('PRICE_UNREACHABLE');

    // A restart without the source still shows the last price and its time.
    service.stop();
    const again = makeService(file, { intervalMs: 60 * 60_000 });
    expect(again.service.status().quote).toEqual(kept);

    standIn.fault = 'none';
    await standIn.routes
      .find((r) => r.path === '/prices/set')
      ?.handler({ currency: 'USD', price: '70000.00' }, new URL('http://x'));
    const back = await again.service.refresh();
    expect(back.state).toBe('fresh');
    expect(back.lastError).toBeNull();
    expect(back.quote?.price).toBe('70000');
    await standIn.routes
      .find((r) => r.path === '/prices/set')
      ?.handler({ currency: 'USD', price: '65432.10' }, new URL('http://x'));
  });

  it('polls on its interval while on, and stops asking when turned off', async () => {
    const { service } = makeService(freshDbFile(), { intervalMs: 100 });
    await service.configure({ source: 'mempool', mempoolUrl: standIn.url });
    const start = standIn.requests.mempool;
    await until('two more polls', () => standIn.requests.mempool >= start + 2, 10_000);
    const off = await service.configure({ source: null });
    expect(off).toMatchObject({ state: 'off', quote: null });
    const stopped = standIn.requests.mempool;
    await new Promise((r) => setTimeout(r, 400));
    expect(standIn.requests.mempool).toBe(stopped);
  });

  it('goes through the SOCKS5 proxy when one is set', async () => {
    const before = proxyServer.connections;
    const { service, events } = makeService(
      freshDbFile(),
      {},
      { host: proxyServer.host, port: proxyServer.port },
    );
    const status = await configured(service, events, { source: 'mempool', mempoolUrl: standIn.url });
    expect(status.state).toBe('fresh');
    expect(proxyServer.connections).toBe(before + 1);
    expect(proxyServer.targets.at(-1)).toBe(new URL(standIn.url).host);
  });

  it('saves the settings at once while a source takes its time, and shows the price when it comes', async () => {
    let answer: (body: unknown) => void = () => {};
    const { service, events } = makeService(freshDbFile(), {
      get: () => new Promise((resolve) => (answer = resolve)),
    });
    const t0 = Date.now();
    const saved = await service.configure({ source: 'coinbase', currency: 'USD' });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(saved).toMatchObject({ state: 'loading', settings: { source: 'coinbase' } });
    expect(events.at(-1)?.state).toBe('loading');
    answer({ data: { amount: '61000.5', base: 'BTC', currency: 'USD' } });
    const shown = await until('the late price', () => events.find((e) => e.state === 'fresh'), 5_000);
    expect(shown.quote?.price).toBe('61000.5');
  });

  it('refuses bad settings with BAD_INPUT and keeps the old ones', async () => {
    const { service } = makeService(freshDbFile());
    for (const patch of [{ mempoolUrl: 'ftp://x' }, { mempoolUrl: 'https://x/?q=1' }, { currency: 'XYZ' }]) {
      await expect(service.configure(patch as never)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    }
    expect(service.status().settings.source).toBeNull();
  });
});
