import net from 'node:net';
import type { Filter } from 'nostr-tools/filter';
import { SimplePool, useWebSocketImplementation as usePoolWebSocket } from 'nostr-tools/pool';
import type { EventTemplate, NostrEvent } from 'nostr-tools/pure';
import { finalizeEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';
import type { Cleanup } from '../support/wait';

// nostr-tools is the outside client here: another NOSTR app, not ours, reading and writing.
useWebSocketImplementation(WebSocket);
usePoolWebSocket(WebSocket);

/** Signs and publishes events the way another client would; resolves once the relay said OK. */
export async function publishElsewhere(
  url: string,
  secretKey: Uint8Array,
  templates: EventTemplate[],
): Promise<NostrEvent[]> {
  const relay = await Relay.connect(url);
  try {
    const events = templates.map((t) => finalizeEvent(t, secretKey));
    for (const e of events) await relay.publish(e);
    return events;
  } finally {
    relay.close();
  }
}

/** Reads events back with nostr-tools' SimplePool. */
export async function readElsewhere(urls: string[], filter: Filter): Promise<NostrEvent[]> {
  const pool = new SimplePool();
  try {
    return await pool.querySync(urls, filter, { maxWait: 2000 });
  } finally {
    pool.close(urls);
    pool.destroy();
  }
}

/** A TCP listener on 127.0.0.1 that only counts who knocks. */
export async function startTrap(cleanup: Cleanup): Promise<{ port: number; connections(): number }> {
  let n = 0;
  const server = net.createServer((s) => {
    n += 1;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.add(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as net.AddressInfo).port, connections: () => n };
}

/** Polls an async check until it returns something truthy (relays answer on their own time). */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
