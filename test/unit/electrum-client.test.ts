import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../main/bitcoin/electrum/backoff';
import type { NegotiableClient } from '../../main/bitcoin/electrum/client';
import { createElectrumClient } from '../../main/bitcoin/electrum/client';
import { createServerProfile } from '../../main/bitcoin/electrum/server-profile';
import { parseLine, ProtocolViolation } from '../../main/bitcoin/electrum/json-rpc';
import { LineSplitter, LineTooLongError } from '../../main/bitcoin/electrum/line-splitter';
import { normalizeFingerprint, serverKey } from '../../main/bitcoin/electrum/socket';
import { negotiateVersion } from '../../main/bitcoin/electrum/version';
import type { JsonValue } from '../../main/bitcoin/electrum/types';
import { FlashError } from '../../shared/errors';

/** A socket stand-in: records what the client writes, and lets the test play the server. */
class FakeSocket extends Duplex {
  readonly written: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.written.push(chunk.toString('utf8'));
    cb();
  }
  override _read(): void {}
  /** Server -> client bytes. */
  serve(text: string | Buffer): void {
    this.push(typeof text === 'string' ? Buffer.from(text) : text);
  }
  /** The parsed frames the client sent so far. */
  frames(): JsonValue[] {
    return this.written.map((w) => JSON.parse(w) as JsonValue);
  }
}

const SERVER = { host: '127.0.0.1', port: 50001, transport: 'tcp' as const };
const clients: NegotiableClient[] = [];

function setup(opts: { timeoutMs?: number; keepAliveMs?: number; maxLineBytes?: number } = {}) {
  const socket = new FakeSocket();
  const client = createElectrumClient({ server: SERVER, socket, keepAliveMs: 0, ...opts });
  clients.push(client);
  return { socket, client };
}

const tick = () => new Promise((r) => setImmediate(r));

function expectFlash(err: unknown, code: string): void {
  expect(err).toBeInstanceOf(FlashError);
  expect((err as FlashError).code).toBe(code);
}

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

describe('LineSplitter', () => {
  it('joins lines split across chunks, including inside a multi-byte character', () => {
    const s = new LineSplitter(1024);
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\n', 'utf8');
    const cut = bytes.indexOf(0xa9); // second byte of "é"
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut, cut + 4))).toEqual(['{"a":"é"}']);
    expect(s.push(bytes.subarray(cut + 4))).toEqual(['{"b":2}']);
  });

  it('returns several lines from one chunk and skips blank ones', () => {
    expect(new LineSplitter(1024).push(Buffer.from('1\n\n2\r\n3\n'))).toEqual(['1', '2', '3']);
  });

  it('refuses to buffer past its cap', () => {
    const s = new LineSplitter(10);
    s.push(Buffer.from('12345'));
    expect(() => s.push(Buffer.from('678901'))).toThrow(LineTooLongError);
    expect(() => new LineSplitter(10).push(Buffer.from('123456789012\n'))).toThrow(LineTooLongError);
  });
});

describe('parseLine', () => {
  it('classifies results, errors, notifications and batches', () => {
    expect(parseLine('{"jsonrpc":"2.0","id":1,"result":null}')).toEqual([
      { kind: 'result', id: 1, result: null },
    ]);
    expect(parseLine('{"id":2,"error":{"code":1,"message":"bad"}}')).toEqual([
      { kind: 'error', id: 2, code: 1, message: 'bad' },
    ]);
    expect(parseLine('{"id":3,"result":null,"error":"old style"}')).toEqual([
      { kind: 'error', id: 3, code: null, message: 'old style' },
    ]);
    expect(parseLine('{"method":"blockchain.headers.subscribe","params":[{"height":1}]}')).toEqual([
      { kind: 'notification', method: 'blockchain.headers.subscribe', params: [{ height: 1 }] },
    ]);
    expect(parseLine('[{"id":1,"result":1},{"id":2,"result":2}]')).toHaveLength(2);
  });

  it('rejects anything that is not JSON-RPC', () => {
    for (const bad of [
      'garbage',
      '42',
      '"x"',
      '[]',
      '{"id":1}',
      '{"method":"x","params":{}}',
      '{"foo":1}',
      '[1]',
    ]) {
      expect(() => parseLine(bad), bad).toThrow(ProtocolViolation);
    }
  });
});

describe('ElectrumClient over a fake socket', () => {
  it('matches replies by id, even when lines arrive split and out of order', async () => {
    const { socket, client } = setup();
    const a = client.request('server.ping', []);
    const b = client.request('blockchain.relayfee', []);
    const frames = socket.frames() as { id: number; method: string; jsonrpc: string }[];
    expect(frames.map((f) => f.method)).toEqual(['server.ping', 'blockchain.relayfee']);
    expect(frames.every((f) => f.jsonrpc === '2.0')).toBe(true);
    const reply = `{"jsonrpc":"2.0","id":${frames[1]!.id},"result":0.00001}\n{"jsonrpc":"2.0","id":${frames[0]!.id},"result":null}\n`;
    socket.serve(reply.slice(0, 7));
    socket.serve(reply.slice(7, 50));
    socket.serve(reply.slice(50));
    await expect(b).resolves.toBe(0.00001);
    await expect(a).resolves.toBeNull();
    expect(client.isOpen).toBe(true);
  });

  it('ignores replies with unknown ids and keeps working', async () => {
    const { socket, client } = setup();
    const p = client.request('server.ping', []);
    socket.serve('{"jsonrpc":"2.0","id":999,"result":"stray"}\n{"jsonrpc":"2.0","id":"abc","result":1}\n');
    await tick();
    expect(client.isOpen).toBe(true);
    const id = (socket.frames()[0] as { id: number }).id;
    socket.serve(`{"jsonrpc":"2.0","id":${id},"result":null}\n`);
    await expect(p).resolves.toBeNull();
  });

  it('rejects one request on a JSON-RPC error object, with the server message', async () => {
    const { socket, client } = setup();
    const p = client.request('blockchain.transaction.get', ['00']);
    const id = (socket.frames()[0] as { id: number }).id;
    socket.serve(`{"jsonrpc":"2.0","id":${id},"error":{"code":2,"message":"No such transaction"}}\n`);
    const err = await p.catch((e: unknown) => e);
    expectFlash(err, 'ELECTRUM_PROTOCOL');
    expect((err as FlashError).message).toContain('No such transaction');
    expect((err as FlashError).details).toMatchObject({ method: 'blockchain.transaction.get', rpcCode: 2 });
    expect(client.isOpen).toBe(true);
  });

  it('closes with ELECTRUM_PROTOCOL on garbage and fails pending requests', async () => {
    const { socket, client } = setup();
    const closed = new Promise<Error | null>((r) => client.onClose(r));
    const p = client.request('server.ping', []);
    socket.serve('<html>not json</html>\n');
    expectFlash(await p.catch((e: unknown) => e), 'ELECTRUM_PROTOCOL');
    expectFlash(await closed, 'ELECTRUM_PROTOCOL');
    expect(client.isOpen).toBe(false);
    expect(socket.destroyed).toBe(true);
    expectFlash(await client.request('server.ping', []).catch((e: unknown) => e), 'ELECTRUM_NOT_CONNECTED');
  });

  it('closes on a well-formed JSON line of the wrong shape', async () => {
    const { socket, client } = setup();
    const closed = new Promise<Error | null>((r) => client.onClose(r));
    socket.serve('{"hello":"world"}\n');
    expectFlash(await closed, 'ELECTRUM_PROTOCOL');
  });

  it('caps the line buffer', async () => {
    const { socket, client } = setup({ maxLineBytes: 64 });
    const closed = new Promise<Error | null>((r) => client.onClose(r));
    socket.serve('x'.repeat(40));
    socket.serve('x'.repeat(40));
    const err = await closed;
    expectFlash(err, 'ELECTRUM_PROTOCOL');
    expect(err?.message).toMatch(/exceeded 64 bytes/);
  });

  it('sends a batch as one JSON array in one write and returns results in call order', async () => {
    const { socket, client } = setup();
    const p = client.batch([
      { method: 'blockchain.scripthash.get_balance', params: ['aa'] },
      { method: 'blockchain.scripthash.get_history', params: ['bb'] },
      { method: 'server.ping', params: [] },
    ]);
    expect(socket.written).toHaveLength(1);
    expect(socket.written[0]!.endsWith('\n')).toBe(true);
    const frames = JSON.parse(socket.written[0]!) as { id: number }[];
    expect(Array.isArray(frames)).toBe(true);
    // Reply in a different order, as one array.
    socket.serve(
      JSON.stringify([
        { jsonrpc: '2.0', id: frames[2]!.id, result: null },
        { jsonrpc: '2.0', id: frames[0]!.id, result: { confirmed: 1, unconfirmed: 0 } },
        { jsonrpc: '2.0', id: frames[1]!.id, result: [] },
      ]) + '\n',
    );
    await expect(p).resolves.toEqual([{ confirmed: 1, unconfirmed: 0 }, [], null]);
    await expect(client.batch([])).resolves.toEqual([]);
  });

  it('delivers notifications to listeners, and survives a throwing listener', async () => {
    const { socket, client } = setup();
    const seen: [string, JsonValue[]][] = [];
    client.onNotification(() => {
      throw new Error('listener bug');
    });
    const off = client.onNotification((m, p) => seen.push([m, p]));
    socket.serve('{"jsonrpc":"2.0","method":"blockchain.scripthash.subscribe","params":["ab","cd"]}\n');
    await tick();
    off();
    socket.serve('{"jsonrpc":"2.0","method":"blockchain.scripthash.subscribe","params":["ab","ef"]}\n');
    await tick();
    expect(seen).toEqual([['blockchain.scripthash.subscribe', ['ab', 'cd']]]);
    expect(client.isOpen).toBe(true);
  });

  it('times out a request with ELECTRUM_TIMEOUT and closes the connection', async () => {
    const { client } = setup({ timeoutMs: 30 });
    const closed = new Promise<Error | null>((r) => client.onClose(r));
    expectFlash(await client.request('server.ping', []).catch((e: unknown) => e), 'ELECTRUM_TIMEOUT');
    expectFlash(await closed, 'ELECTRUM_TIMEOUT');
  });

  it('reports a socket close as ELECTRUM_UNREACHABLE, and close() as a clean close', async () => {
    const a = setup();
    const closedA = new Promise<Error | null>((r) => a.client.onClose(r));
    a.socket.destroy();
    expectFlash(await closedA, 'ELECTRUM_UNREACHABLE');

    const b = setup();
    const closedB = new Promise<Error | null>((r) => b.client.onClose(r));
    const pending = b.client.request('server.ping', []);
    b.client.close();
    expect(await closedB).toBeNull();
    expectFlash(await pending.catch((e: unknown) => e), 'ELECTRUM_NOT_CONNECTED');
  });

  it('pings when idle', async () => {
    const { socket } = setup({ keepAliveMs: 20 });
    await new Promise((r) => setTimeout(r, 60));
    const methods = (socket.frames() as { method: string }[]).map((f) => f.method);
    expect(methods[0]).toBe('server.ping');
  });

  it('negotiates the protocol version and refuses one outside the range', async () => {
    const { socket, client } = setup();
    const p = negotiateVersion(client, 'flash-desktop test', ['1.4', '1.6']);
    const frame = socket.frames()[0] as { id: number; params: JsonValue[] };
    expect(frame.params).toEqual(['flash-desktop test', ['1.4', '1.6']]);
    socket.serve(`{"jsonrpc":"2.0","id":${frame.id},"result":["ElectrumX 1.16.0","1.4.2"]}\n`);
    await expect(p).resolves.toEqual({ serverSoftware: 'ElectrumX 1.16.0', protocolVersion: '1.4.2' });

    const other = setup();
    const q = negotiateVersion(other.client, 'x', ['1.4', '1.6']);
    const id = (other.socket.frames()[0] as { id: number }).id;
    other.socket.serve(`{"jsonrpc":"2.0","id":${id},"result":["Old","1.2"]}\n`);
    expectFlash(await q.catch((e: unknown) => e), 'ELECTRUM_PROTOCOL');
  });
});

describe('helpers', () => {
  it('normalises fingerprints and keys servers by host:port', () => {
    expect(normalizeFingerprint('ab:cd:EF')).toBe('AB:CD:EF');
    expect(normalizeFingerprint('abcdef')).toBe('AB:CD:EF');
    expect(serverKey({ host: 'Example.COM', port: 50002, transport: 'tls' })).toBe('example.com:50002');
    expect(serverKey({ host: '::1', port: 50002, transport: 'tls' })).toBe('[::1]:50002');
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 1)).toBe(4000);
    expect(backoffDelay(20, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(20, policy, () => 0)).toBe(30_000);
    for (let i = 1; i < 12; i++)
      expect(backoffDelay(i + 1, policy, () => 0.5)).toBeGreaterThanOrEqual(
        backoffDelay(i, policy, () => 0.5),
      );
  });
});

describe('adaptive batches over a fake socket', () => {
  it('shrinks the batch size after a batch times out', async () => {
    const socket = new FakeSocket();
    const profile = createServerProfile({ initial: 200 });
    const client = createElectrumClient({ server: SERVER, socket, keepAliveMs: 0, timeoutMs: 30, profile });
    clients.push(client);
    const err = await client
      .batch(Array.from({ length: 3 }, () => ({ method: 'server.ping', params: [] })))
      .catch((e: unknown) => e);
    expectFlash(err, 'ELECTRUM_TIMEOUT');
    expect(profile.batchSize).toBe(50);
    expect(profile.batchSupported).toBe(true);
  });

  it('treats an id-less error as a refusal of the oldest batch, not a broken connection', async () => {
    const socket = new FakeSocket();
    const client = createElectrumClient({ server: SERVER, socket, keepAliveMs: 0 });
    clients.push(client);
    const p = client.batch(Array.from({ length: 8 }, (_, i) => ({ method: 'echo', params: [i] })));
    await tick();
    socket.serve(
      '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch requests are not supported"}}\n',
    );
    await tick();
    // Then single requests, answered one by one.
    for (let round = 0; round < 20 && client.isOpen; round++) {
      const frames = socket.frames().slice(1) as { id: number; params: JsonValue[] }[];
      const answered = new Set<number>((socket as FakeSocket & { answered?: Set<number> }).answered ?? []);
      for (const f of frames) {
        if (answered.has(f.id)) continue;
        answered.add(f.id);
        socket.serve(`{"jsonrpc":"2.0","id":${f.id},"result":${JSON.stringify(f.params[0])}}\n`);
      }
      (socket as FakeSocket & { answered?: Set<number> }).answered = answered;
      await tick();
    }
    expect(await p).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(client.isOpen).toBe(true);
    expect(client.batchSize?.()).toBe(1);
    expect(client.stats!().roundTrips).toBe(9);
  });
});
