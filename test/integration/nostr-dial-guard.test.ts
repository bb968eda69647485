import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as nip17 from 'nostr-tools/nip17';
import { neventEncode } from 'nostr-tools/nip19';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import type { Resolver } from '../../main/nostr/dial-policy';
import { createNostrDialer } from '../../main/nostr/dialer';
import { RelayPool } from '../../main/nostr/relay-pool';
import type { NostrServiceDeps } from '../../main/nostr/service';
import { startSocks5Server } from '../stack/socks5';
import { startNostrUser, untilRelays as until, useNostrSuite } from '../support/stack-app';
import { publishElsewhere, readElsewhere, startTrap } from './nostr-outside-client';

const suite = useNostrSuite('flash-nostr-dial-');
const relay = suite.relay;

const user = (
  name: string,
  relayUrls: string[],
  service: Partial<Pick<NostrServiceDeps, 'proxy' | 'resolve'>> = {},
) =>
  startNostrUser(suite.dir, name, relayUrls, {
    cleanup: suite.cleanup,
    setRelays: 'expect-ok',
    service: { defaultRelays: relayUrls, nip05Scheme: 'http', ...service },
  });

/** Someone who uses another NOSTR app: a key and the lists that app published. */
async function stranger(relayUrl: string, dmRelays: string[], inbox: string[] = dmRelays) {
  const sk = generateSecretKey();
  const now = Math.floor(Date.now() / 1000);
  await publishElsewhere(relayUrl, sk, [
    { kind: 10050, created_at: now, content: '', tags: dmRelays.map((u) => ['relay', u]) },
    { kind: 10002, created_at: now, content: '', tags: inbox.map((u) => ['r', u, 'read']) },
  ]);
  return { sk, pubkey: getPublicKey(sk) };
}

/** A DNS server that puts these names on this machine. */
const lyingDns =
  (names: string[]): Resolver =>
  async (host) => {
    if (names.includes(host)) return [{ address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  };

describe('NOSTR dials only where the user meant', () => {
  it('a relay list that points at local ports is not dialled; the user’s own local relay is', async () => {
    const r1 = await relay();
    const trap = await startTrap(suite.cleanup);
    const local = [
      `ws://127.0.0.1:${trap.port}`,
      `ws://localhost:${trap.port}`,
      `ws://[::ffff:127.0.0.1]:${trap.port}`,
      `ws://2130706433:${trap.port}`,
      `ws://trap.example:${trap.port}`,
      'ws://127.0.0.1',
    ];
    const bob = await stranger(r1.url, [...local, 'ws://rebind.example', r1.url], local);
    const alice = await user('alice', [r1.url], { resolve: lyingDns(['rebind.example']) });

    // Bob's DM relays: every local one is dropped before anything is journaled or dialled;
    // the host name that DNS puts on this machine is refused after the look-up.
    expect(await alice.nostr.dmRelaysOf(bob.pubkey)).toEqual(['ws://rebind.example', r1.url]);
    const sent = await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'hello Bob' });
    const toBob = sent.results.filter((r) => r.recipient === bob.pubkey);
    expect(toBob).toEqual([
      expect.objectContaining({
        url: 'ws://rebind.example',
        ok: false,
        message: expect.stringMatching(/refused.*loopback/),
      }),
      expect.objectContaining({ url: r1.url, ok: true }),
    ]);
    const [wrap] = await readElsewhere([r1.url], { kinds: [1059], '#p': [bob.pubkey] });
    expect(wrap && nip17.unwrapEvent(wrap, bob.sk).content).toBe('hello Bob');

    // Relay hints in a channel reference are strangers' too.
    const nevent = neventEncode({ id: 'a'.repeat(64), relays: [`ws://127.0.0.1:${trap.port}`], kind: 40 });
    await expect(alice.nostr.joinChannel({ ref: nevent })).rejects.toMatchObject({
      code: 'NOSTR_CHANNEL_NOT_FOUND',
    });

    // Any caller of the pool gets the same answer, whatever list the URL came from.
    const pool = new RelayPool({
      log: silentLogger,
      dial: createNostrDialer({ proxy: () => null, isTrustedRelay: () => false }).relay,
    });
    suite.cleanup.add(() => pool.close());
    const note = finalizeEvent({ kind: 1, created_at: 1, tags: [], content: 'x' }, generateSecretKey());
    const [refused] = await pool.publish(note, [`ws://127.0.0.1:${trap.port}`]);
    expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('refused') });
    expect(pool.statuses()[0]).toMatchObject({
      state: 'closed',
      lastError: expect.stringContaining('refused'),
    });
    expect(await pool.query([{ kinds: [0] }], [`ws://127.0.0.1:${trap.port}`], 60_000)).toEqual([]);

    expect(trap.connections()).toBe(0);
    // The user's own relay on a local port works as before.
    expect(alice.nostr.relayStatuses().find((s) => s.url === r1.url)?.state).toBe('open');
  });

  it('with a SOCKS5 proxy set, every relay socket and NIP-05 fetch goes through it', async () => {
    const r1 = await relay();
    const r2 = await relay();
    const nip05Peers: number[] = [];
    const names: Record<string, string> = {};
    const nip05 = http.createServer((req, res) => {
      if (req.socket.remotePort !== undefined) nip05Peers.push(req.socket.remotePort);
      res.end(JSON.stringify({ names }));
    });
    await new Promise<void>((r) => nip05.listen(0, '127.0.0.1', r));
    suite.cleanup.add(() => new Promise<void>((r) => nip05.close(() => r())));
    const proxy = await startSocks5Server({
      names: {
        // Names only the proxy can resolve, like a Tor exit: a stranger's relay and NIP-05 host.
        'relay-b.example:80': `127.0.0.1:${r2.port}`,
        'names.example:80': `127.0.0.1:${(nip05.address() as AddressInfo).port}`,
      },
    });
    suite.cleanup.add(() => proxy.close());

    // Bob uses another app; his DM relay is a name. His app's own connections come first.
    const bob = await stranger(r1.url, ['ws://relay-b.example']);
    names.bob = bob.pubkey;
    const direct = { r1: r1.peerPorts.length, r2: r2.peerPorts.length };

    const alice = await user('alice', [r1.url], { proxy, resolve: lyingDns([]) });
    const sent = await alice.nostr.sendMessage({ to: [bob.pubkey], text: 'through the proxy' });
    expect(sent.results.filter((r) => r.recipient === bob.pubkey)).toEqual([
      expect.objectContaining({ url: 'ws://relay-b.example', ok: true }),
    ]);
    await expect(alice.nostr.verifyNip05(bob.pubkey, 'bob@names.example')).resolves.toEqual({
      verified: true,
    });

    const aliceToR1 = r1.peerPorts.slice(direct.r1);
    const aliceToR2 = r2.peerPorts.slice(direct.r2);
    expect(aliceToR1.length).toBeGreaterThan(0);
    expect(aliceToR2.length).toBeGreaterThan(0);
    expect(nip05Peers.length).toBe(1);
    for (const port of [...aliceToR1, ...aliceToR2, ...nip05Peers])
      expect(proxy.upstreamPorts).toContain(port);
    // Names went to the proxy unresolved (our DNS would not have known them).
    expect(proxy.targets).toEqual(
      expect.arrayContaining([`127.0.0.1:${r1.port}`, 'relay-b.example:80', 'names.example:80']),
    );
    // Bob's own app reads the message from the relay Alice reached only through the proxy.
    const [wrap] = await readElsewhere([r2.url], { kinds: [1059], '#p': [bob.pubkey] });
    expect(wrap && nip17.unwrapEvent(wrap, bob.sk).content).toBe('through the proxy');
  });

  it('turning the proxy on or off redials every relay the new way', async () => {
    const r1 = await relay();
    const proxy = await startSocks5Server();
    suite.cleanup.add(() => proxy.close());
    const alice = await user('alice', [r1.url]);
    const isOpen = () => alice.nostr.relayStatuses().find((s) => s.url === r1.url)?.state === 'open';
    expect(r1.peerPorts.some((p) => proxy.upstreamPorts.has(p))).toBe(false);

    const before = r1.peerPorts.length;
    alice.nostr.setProxy(proxy);
    await until('Alice is back on r1 through the proxy', () => isOpen() && r1.peerPorts.length > before);
    const after = r1.peerPorts.slice(before);
    for (const port of after) expect(proxy.upstreamPorts).toContain(port);
    await until('the direct socket is gone', () => r1.clientCount() === 1);
    expect(
      (await alice.nostr.setRelays([{ url: r1.url, read: true, write: true, dm: true }])).results,
    ).toEqual([expect.objectContaining({ ok: true })]);

    const viaProxy = r1.peerPorts.length;
    alice.nostr.setProxy(null);
    await until('Alice is back on r1 directly', () => isOpen() && r1.peerPorts.length > viaProxy);
    expect(r1.peerPorts.slice(viaProxy).some((p) => proxy.upstreamPorts.has(p))).toBe(false);
  });
});
