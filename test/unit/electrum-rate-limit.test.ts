import { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createElectrumClient } from '../../main/bitcoin/electrum/client';
import { createRateLimiter, DEFAULT_RATE_LIMIT } from '../../main/bitcoin/electrum/rate-limit';
import { classifyBatchRefusal, createServerProfile } from '../../main/bitcoin/electrum/server-profile';
import type { JsonValue } from '../../main/bitcoin/electrum/types';

/** Answers every frame the client writes at once, so only the limiter paces the client. */
class EchoSocket extends Duplex {
  readonly writes: { at: number; size: number }[] = [];
  constructor(private readonly clock: () => number) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const msg = JSON.parse(chunk.toString('utf8')) as JsonValue;
    const list = (Array.isArray(msg) ? msg : [msg]) as { id: number }[];
    this.writes.push({ at: this.clock(), size: list.length });
    const replies = list.map((r) => ({ jsonrpc: '2.0', id: r.id, result: r.id }));
    this.push(JSON.stringify(Array.isArray(msg) ? replies : replies[0]) + '\n');
    cb();
  }
  override _read(): void {}
}

describe('rate limiter (fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets a burst through, then paces to the sustained rate', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 5, maxInFlight: 100 }, () =>
      Date.now(),
    );
    const granted: number[] = [];
    const t0 = Date.now();
    const all = Array.from({ length: 15 }, () =>
      limiter.acquire(1).then(() => {
        granted.push(Date.now() - t0);
        limiter.release(1);
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(500);
    expect(granted).toHaveLength(10);
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all(all);
    expect(granted).toHaveLength(15);
    // Never more than burst + rate × elapsed.
    granted.forEach((at, i) => expect(i + 1).toBeLessThanOrEqual(5 + Math.floor((at / 1000) * 10) + 1));
  });

  it('caps requests in flight, counting each request of a batch', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 0, burst: 1, maxInFlight: 10 }, () => Date.now());
    await limiter.acquire(8);
    let second = false;
    const p = limiter.acquire(5).then(() => (second = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(second).toBe(false);
    expect(limiter.inFlight).toBe(8);
    limiter.release(8);
    await p;
    expect(limiter.inFlight).toBe(5);
    // Larger than the cap on its own: allowed once nothing else is in flight.
    limiter.release(5);
    await limiter.acquire(50);
    expect(limiter.inFlight).toBe(50);
  });

  it('paces a client: every request counts, singles and batch members alike', async () => {
    const socket = new EchoSocket(() => Date.now());
    const client = createElectrumClient({
      server: { host: 'x', port: 1, transport: 'tcp' },
      socket,
      keepAliveMs: 0,
      timeoutMs: 60_000,
      rateLimit: { requestsPerSecond: 20, burst: 10, maxInFlight: 1000 },
    });
    const t0 = Date.now();
    const singles = Array.from({ length: 10 }, (_, i) => client.request('echo', [i]));
    const batch = client.batch(Array.from({ length: 20 }, (_, i) => ({ method: 'echo', params: [i] })));
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all([...singles, batch]);
    // 10 at once, then the batch of 20 needs a full bucket (10) and goes 20 into debt... at 20/s.
    expect(socket.writes.slice(0, 10).every((w) => w.at === t0)).toBe(true);
    const total = socket.writes.reduce((s, w) => s + w.size, 0);
    expect(total).toBe(30);
    const last = socket.writes.at(-1)!;
    expect(last.at - t0).toBeGreaterThanOrEqual(450);
    expect(client.stats!().requests).toBe(30);
    client.close();
  });
  it('by default paces a public server and leaves the user’s own server at its own pace', async () => {
    const over = DEFAULT_RATE_LIMIT.burst + 2_000;
    const run = async (host: string) => {
      const socket = new EchoSocket(() => Date.now());
      const client = createElectrumClient({
        server: { host, port: 50001, transport: 'tcp' },
        socket,
        keepAliveMs: 0,
        timeoutMs: 60_000,
      });
      const t0 = Date.now();
      const done = Promise.all(
        Array.from({ length: over / 500 }, (_, b) =>
          client.batch(Array.from({ length: 500 }, (_, i) => ({ method: 'echo', params: [b * 500 + i] }))),
        ),
      );
      await vi.advanceTimersByTimeAsync(5_000);
      await done;
      client.close();
      return socket.writes.at(-1)!.at - t0;
    };
    // Past the burst, a public server gets DEFAULT_RATE_LIMIT per second: 2,000 more take 400 ms.
    expect(await run('electrum.example.org')).toBeGreaterThanOrEqual(
      (2_000 / DEFAULT_RATE_LIMIT.requestsPerSecond) * 1000 - 5,
    );
    expect(await run('127.0.0.1')).toBe(0);
    expect(await run('192.168.1.20')).toBe(0);
  });

  it('a server on our own computer that asks to slow down gets half the public cap', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 0, burst: 10, maxInFlight: 1_000 }, () =>
      Date.now(),
    );
    limiter.slowDown();
    await limiter.acquire(10);
    limiter.release(10);
    const t0 = Date.now();
    let granted = 0;
    const all = Array.from({ length: 25 }, () => limiter.acquire(1).then(() => granted++));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toBe(0);
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all(all);
    expect(Date.now() - t0).toBeLessThanOrEqual(12);
  });
});

describe('server profile', () => {
  it('grows by doubling to the cap and shrinks by a quarter to the floor', () => {
    const p = createServerProfile({ initial: 100, min: 5, max: 1000 });
    p.grow();
    p.grow();
    p.grow();
    p.grow();
    expect(p.batchSize).toBe(1000);
    p.shrink();
    expect(p.batchSize).toBe(250);
    p.shrink();
    p.shrink();
    p.shrink();
    expect(p.batchSize).toBe(5);
  });

  it('classifies what servers say when they refuse a batch', () => {
    expect(classifyBatchRefusal('batch requests are not supported')).toBe('unsupported');
    expect(classifyBatchRefusal('Batching disabled')).toBe('unsupported');
    expect(classifyBatchRefusal('batch too large')).toBe('too-large');
    expect(classifyBatchRefusal('excessive resource usage')).toBe('rate-limited');
    expect(classifyBatchRefusal('Too many requests')).toBe('rate-limited');
    expect(classifyBatchRefusal('No such mempool or blockchain transaction')).toBeNull();
  });
});
