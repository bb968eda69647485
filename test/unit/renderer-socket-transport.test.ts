import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSocketTransport } from '../../renderer/app/socket-transport';

/** A stand-in for the browser WebSocket: records sends, lets the test open/close/answer it. */
class FakeSocket {
  static all: FakeSocket[] = [];
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.onclose?.({ code: 1000 });
  }
  open() {
    this.onopen?.();
  }
  drop(code = 1006) {
    this.onclose?.({ code });
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

const make = () =>
  createSocketTransport({
    url: 'ws://127.0.0.1:1/bridge?token=t',
    backoffMs: [100, 200],
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
  });

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('browser-mode socket transport', () => {
  it('queues calls until open, then matches replies by id', async () => {
    const t = make();
    const pending = t.call('app.getState', {});
    const socket = FakeSocket.all[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(t.state()).toBe('open');
    expect(socket.sent).toEqual([{ id: 1, method: 'app.getState', input: {} }]);
    socket.receive({ id: 1, result: { ok: true, value: 42 } });
    await expect(pending).resolves.toEqual({ ok: true, value: 42 });
  });

  it('delivers events to subscribers', () => {
    const t = make();
    const seen: unknown[] = [];
    t.subscribe((event, payload) => seen.push([event, payload]));
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.receive({ event: 'wallet.updated', payload: { walletId: 'w' } });
    expect(seen).toEqual([['wallet.updated', { walletId: 'w' }]]);
  });

  it('fails pending calls when the socket drops, then reconnects with backoff', async () => {
    const t = make();
    const states: string[] = [];
    t.onState((s) => states.push(s));
    FakeSocket.all[0]!.open();
    const pending = t.call('wallet.list', {});
    FakeSocket.all[0]!.drop();
    await expect(pending).resolves.toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Connection to Flash lost' },
    });
    expect(t.state()).toBe('reconnecting');
    vi.advanceTimersByTime(99);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1]!.drop();
    vi.advanceTimersByTime(200);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.all[2]!.open();
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('stops retrying when the server rejects the token', async () => {
    const t = make();
    FakeSocket.all[0]!.drop(4401);
    expect(t.state()).toBe('rejected');
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(1);
    await expect(t.call('app.getInfo', {})).resolves.toMatchObject({ ok: false });
  });

  it('calls the token refused when the server answers HTTP but the handshake keeps failing', async () => {
    let reachable = true;
    const t = createSocketTransport({
      url: 'ws://x/bridge?token=old',
      backoffMs: [100],
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
      probeServer: () => Promise.resolve(reachable),
    });
    FakeSocket.all[0]!.drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(t.state()).toBe('reconnecting');
    FakeSocket.all[1]!.drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.state()).toBe('rejected');

    // A server that is simply down is retried forever.
    reachable = false;
    FakeSocket.all = [];
    const down = createSocketTransport({
      url: 'ws://x/bridge?token=t',
      backoffMs: [100],
      createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
      probeServer: () => Promise.resolve(reachable),
    });
    for (let i = 0; i < 5; i++) {
      FakeSocket.all[i]!.drop();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(down.state()).toBe('reconnecting');
    expect(FakeSocket.all).toHaveLength(6);
  });
});
