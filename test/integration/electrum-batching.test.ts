import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectElectrum } from '../../main/bitcoin/electrum/client';
import { createServerProfile } from '../../main/bitcoin/electrum/server-profile';
import type { ElectrumClient, JsonValue } from '../../main/bitcoin/electrum/types';
import { FlashError } from '../../shared/errors';

/**
 * A tiny JSON-RPC line server standing in for the ways real servers treat batches: capped size,
 * no batches at all, hanging up on a batch, or rate-limiting every request in it.
 */
type Mode =
  | { kind: 'ok' }
  | { kind: 'max-batch'; max: number }
  | { kind: 'no-batch' }
  | { kind: 'close-on-batch' }
  | { kind: 'rate-limit-batch' }
  | { kind: 'version'; reply: JsonValue | 'reject' };

interface Fake {
  server: { host: string; port: number; transport: 'tcp' };
  /** Sizes of the batch frames answered normally. */
  accepted: number[];
  /** Sizes of the batch frames refused. */
  refused: number[];
  singles: number;
  close(): Promise<void>;
}

const fakes: Fake[] = [];
const clients: ElectrumClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const f of fakes.splice(0)) await f.close();
});

async function fakeServer(mode: Mode): Promise<Fake> {
  const accepted: number[] = [];
  const refused: number[] = [];
  let singles = 0;
  const sockets = new Set<net.Socket>();
  const answer = (req: { id: number; method: string; params: JsonValue[] }): JsonValue => {
    if (req.method === 'server.version') {
      if (mode.kind === 'version') {
        if (mode.reply === 'reject')
          return {
            jsonrpc: '2.0',
            id: req.id,
            error: { code: 1, message: 'unsupported protocol version: 1.6' },
          };
        return { jsonrpc: '2.0', id: req.id, result: mode.reply };
      }
      return { jsonrpc: '2.0', id: req.id, result: ['FakeRPC 0.1', '1.4'] };
    }
    return { jsonrpc: '2.0', id: req.id, result: req.params[0] ?? null };
  };
  const srv = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = '';
    socket.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const msg = JSON.parse(line) as JsonValue;
        if (!Array.isArray(msg)) {
          singles++;
          socket.write(JSON.stringify(answer(msg as never)) + '\n');
          continue;
        }
        const n = msg.length;
        if (mode.kind === 'close-on-batch') {
          refused.push(n);
          socket.destroy();
          return;
        }
        if (mode.kind === 'no-batch' || (mode.kind === 'max-batch' && n > mode.max)) {
          refused.push(n);
          const message = mode.kind === 'no-batch' ? 'batch requests are not supported' : 'batch too large';
          socket.write(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } }) + '\n');
          continue;
        }
        if (mode.kind === 'rate-limit-batch') {
          refused.push(n);
          const replies = (msg as { id: number }[]).map((r) => ({
            jsonrpc: '2.0',
            id: r.id,
            error: { code: -101, message: 'excessive resource usage' },
          }));
          socket.write(JSON.stringify(replies) + '\n');
          continue;
        }
        accepted.push(n);
        socket.write(JSON.stringify((msg as never[]).map(answer)) + '\n');
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const fake: Fake = {
    server: { host: '127.0.0.1', port, transport: 'tcp' },
    accepted,
    refused,
    get singles() {
      return singles;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => srv.close(() => r()));
    },
  };
  fakes.push(fake);
  return fake;
}

const echoCalls = (n: number) => Array.from({ length: n }, (_, i) => ({ method: 'echo', params: [i] }));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function client(fake: Fake, opts: Parameters<typeof connectElectrum>[1] = {}) {
  const c = await connectElectrum(fake.server, { timeoutMs: 2_000, keepAliveMs: 0, ...opts });
  clients.push(c);
  return c;
}

describe('batches against servers with limits', () => {
  it('sends a large batch as frames in one flight, and grows the frame size while batches succeed', async () => {
    const fake = await fakeServer({ kind: 'ok' });
    const c = await client(fake);
    expect(c.batchSize?.()).toBe(100);
    expect(await c.batch(echoCalls(700))).toEqual(range(700));
    // Seven frames of 100, all written before the first reply: one round trip of latency.
    expect(fake.accepted).toEqual([100, 100, 100, 100, 100, 100, 100]);
    expect(c.batchSize?.()).toBe(200);
    expect(c.stats!().roundTrips).toBe(1 + 1); // server.version + one flight
    expect(await c.batch(echoCalls(400))).toEqual(range(400));
    expect(fake.accepted.slice(7)).toEqual([200, 200]);
    const stats = c.stats!();
    expect(stats.roundTrips).toBe(1 + 2);
    expect(stats.requests).toBe(1 + 1100);
    expect(stats.bytesSent).toBeGreaterThan(1100 * 40);
    expect(stats.bytesReceived).toBeGreaterThan(1100 * 20);
  });

  it('grows the frame size only on full frames: a batch of two says nothing of a hundred', async () => {
    const fake = await fakeServer({ kind: 'ok' });
    const c = await client(fake);
    expect(await c.batch(echoCalls(2))).toEqual(range(2));
    expect(c.batchSize?.()).toBe(100);
    expect(await c.batch(echoCalls(100))).toEqual(range(100));
    expect(c.batchSize?.()).toBe(200);
  });

  it('shrinks when a batch is refused as too large, and still returns every result', async () => {
    const fake = await fakeServer({ kind: 'max-batch', max: 30 });
    const c = await client(fake);
    expect(await c.batch(echoCalls(200))).toEqual(range(200));
    expect(fake.refused[0]).toBe(100);
    expect(fake.accepted.every((n) => n <= 30)).toBe(true);
    expect(fake.accepted.reduce((a, b) => a + b, 0)).toBe(200);
    expect(c.isOpen).toBe(true);
  });

  it('falls back to single requests when the server does not support batches, and remembers it', async () => {
    const fake = await fakeServer({ kind: 'no-batch' });
    const c = await client(fake);
    expect(await c.batch(echoCalls(40))).toEqual(range(40));
    expect(fake.refused).toEqual([40]);
    expect(c.batchSize?.()).toBe(1);
    const singlesBefore = fake.singles;
    expect(await c.batch(echoCalls(10))).toEqual(range(10));
    expect(fake.refused).toEqual([40]); // no second try
    expect(fake.singles - singlesBefore).toBe(10);
  });

  it('retries rate-limited batches as single requests and shrinks', async () => {
    const fake = await fakeServer({ kind: 'rate-limit-batch' });
    const c = await client(fake);
    expect(await c.batch(echoCalls(20))).toEqual(range(20));
    expect(fake.refused).toEqual([20]);
    expect(c.batchSize?.()).toBe(25);
  });

  it('stops batching for a server that hangs up on batches twice (profile shared across connections)', async () => {
    const fake = await fakeServer({ kind: 'close-on-batch' });
    const profile = createServerProfile();
    for (let i = 0; i < 2; i++) {
      const c = await client(fake, { profile });
      const err = await c.batch(echoCalls(5)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FlashError);
      expect((err as FlashError).code).toBe('ELECTRUM_UNREACHABLE');
    }
    expect(profile.batchSupported).toBe(false);
    const c = await client(fake, { profile });
    expect(await c.batch(echoCalls(5))).toEqual(range(5));
  });
});

describe('protocol version negotiation', () => {
  it('accepts a server that only offers 1.4', async () => {
    const fake = await fakeServer({ kind: 'version', reply: ['OldX 1.0', '1.4'] });
    const c = await client(fake);
    expect(c.protocolVersion).toBe('1.4');
    expect(c.serverSoftware).toBe('OldX 1.0');
  });

  it('fails with a clear ELECTRUM_PROTOCOL error when the server rejects the range', async () => {
    const fake = await fakeServer({ kind: 'version', reply: 'reject' });
    const err = await connectElectrum(fake.server, { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlashError);
    expect((err as FlashError).code).toBe('ELECTRUM_PROTOCOL');
    expect((err as FlashError).message).toMatch(/does not speak Electrum protocol 1\.4-1\.6/);
  });

  it('refuses a server that picks a version outside the range', async () => {
    const fake = await fakeServer({ kind: 'version', reply: ['NewX', '2.0'] });
    const err = await connectElectrum(fake.server, { timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect((err as FlashError).code).toBe('ELECTRUM_PROTOCOL');
    expect((err as FlashError).message).toMatch(/outside the supported 1\.4-1\.6/);
  });
});
