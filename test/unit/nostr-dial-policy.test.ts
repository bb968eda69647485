import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressClass, Resolver } from '../../main/nostr/dial-policy';
import {
  checkDialUrl,
  checkResolved,
  classifyAddress,
  DialRefusedError,
  guardedLookup,
} from '../../main/nostr/dial-policy';
import { createNostrDialer } from '../../main/nostr/dialer';
import { SocksHttpAgent, SocksHttpsAgent } from '../../main/nostr/socks-agent';

const ADDRESSES: [string, AddressClass | null][] = [
  // IPv4
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['10.0.0.1', 'private'],
  ['10.255.255.255', 'private'],
  ['172.15.255.255', 'public'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.0', 'public'],
  ['192.168.1.1', 'private'],
  ['192.169.0.1', 'public'],
  ['100.63.255.255', 'public'],
  ['100.64.0.1', 'private'],
  ['100.127.255.255', 'private'],
  ['100.128.0.0', 'public'],
  ['169.254.169.254', 'link-local'],
  ['169.253.0.1', 'public'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['192.0.2.10', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['203.0.113.7', 'reserved'],
  // IPv6
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['[::1]', 'loopback'],
  ['0:0:0:0:0:0:0:1', 'loopback'],
  ['2606:4700:4700::1111', 'public'],
  ['2001:4860:4860::8888', 'public'],
  ['fc00::1', 'private'],
  ['fd12:3456:789a::1', 'private'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['febf::1', 'link-local'],
  ['fec0::1', 'private'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'reserved'],
  ['3fff::1', 'public'],
  ['4000::1', 'reserved'],
  ['100::1', 'reserved'],
  // IPv4 inside IPv6
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::FFFF:10.1.2.3', 'private'],
  ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:8.8.8.8', 'public'],
  ['::127.0.0.1', 'loopback'],
  ['::8.8.8.8', 'reserved'],
  ['64:ff9b::127.0.0.1', 'loopback'],
  ['64:ff9b::808:808', 'public'],
  ['64:ff9b:1::1', 'private'],
  ['2002:c0a8:0101::1', 'private'],
  ['2002:0808:0808::1', 'public'],
  // not addresses
  ['example.com', null],
  ['localhost', null],
  ['1.2.3', null],
  ['256.1.1.1', null],
  ['::ffff:999.1.1.1', null],
  ['', null],
];

describe('the address classifier', () => {
  it.each(ADDRESSES)('%s is %s', (ip, expected) => {
    expect(classifyAddress(ip)).toBe(expected);
  });
});

describe('checkDialUrl', () => {
  const refused = (url: string) => {
    const d = checkDialUrl(url, { trusted: false });
    return d.ok ? null : d.refusal.reason;
  };

  it('lets strangers’ relays use 443 and 80 only, and no local or private hosts', () => {
    expect(refused('wss://relay.example.com')).toBeNull();
    expect(refused('wss://relay.example.com:443/path')).toBeNull();
    expect(refused('ws://relay.example.com')).toBeNull();
    expect(refused('ws://relay.example.com:80')).toBeNull();
    expect(refused('https://names.example/.well-known/nostr.json?name=bob')).toBeNull();
    expect(refused('wss://8.8.8.8')).toBeNull();
    expect(refused('wss://relay.example.com:7777')).toBe('port');
    expect(refused('ws://relay.example.com:443')).toBeNull();
    expect(refused('wss://relay.example.com:22')).toBe('port');
    expect(refused('ws://127.0.0.1:7777')).toBe('port');
    expect(refused('ws://127.0.0.1')).toBe('loopback');
    expect(refused('wss://[::1]')).toBe('loopback');
    expect(refused('wss://[::ffff:192.168.0.1]')).toBe('private');
    expect(refused('wss://[fe80::1]')).toBe('link-local');
    expect(refused('wss://10.1.1.1')).toBe('private');
    expect(refused('wss://169.254.169.254')).toBe('link-local');
    expect(refused('wss://0.0.0.0')).toBe('unspecified');
    expect(refused('wss://224.0.0.1')).toBe('multicast');
    expect(refused('wss://localhost')).toBe('local-name');
    expect(refused('wss://relay.localhost.')).toBe('local-name');
    // The URL parser turns other spellings of 127.0.0.1 into the dotted quad first.
    expect(refused('ws://2130706433')).toBe('loopback');
    expect(refused('ws://0x7f.1')).toBe('loopback');
    expect(refused('ws://017700000001')).toBe('loopback');
    expect(refused('ftp://relay.example.com')).toBe('bad-url');
    expect(refused('not a url')).toBe('bad-url');
  });

  it('trusts the relays the user added: any port, any host', () => {
    expect(checkDialUrl('ws://127.0.0.1:7777', { trusted: true })).toMatchObject({
      ok: true,
      host: '127.0.0.1',
      port: 7777,
      literal: true,
    });
    expect(checkDialUrl('wss://[::1]:4848', { trusted: true })).toMatchObject({ ok: true, host: '::1' });
  });
});

describe('the check after DNS', () => {
  const answers = (...ips: string[]): LookupAddress[] =>
    ips.map((address) => ({ address, family: net.isIPv6(address) ? 6 : 4 }));

  it('refuses a name when any answer is not public', () => {
    expect(checkResolved('ok.example', answers('8.8.8.8', '2606:4700:4700::1111'))).toBeNull();
    expect(checkResolved('mixed.example', answers('8.8.8.8', '127.0.0.1'))).toMatchObject({
      reason: 'loopback',
      address: '127.0.0.1',
    });
    expect(checkResolved('mapped.example', answers('::ffff:10.0.0.1'))).toMatchObject({ reason: 'private' });
    expect(checkResolved('none.example', [])).toMatchObject({ reason: 'bad-url' });
  });

  const servers: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('a socket dialled with the guarded lookup never reaches a rebinding answer', async () => {
    let connections = 0;
    const trap = net.createServer((s) => {
      connections += 1;
      s.destroy();
    });
    servers.push(trap);
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    const port = (trap.address() as net.AddressInfo).port;
    // A rebinding DNS server: public the first time it is asked, this machine afterwards.
    let asked = 0;
    const rebinding: Resolver = async () => {
      asked += 1;
      return answers(asked === 1 ? '93.184.216.34' : '127.0.0.1');
    };
    const lookup = guardedLookup(rebinding);
    // The first answer is public, so the lookup passes it on (the socket would go there):
    const first = await new Promise<unknown>((resolve) =>
      lookup('rebind.example', { all: true }, (err, addresses) => resolve(err ?? addresses)),
    );
    expect(first).toEqual(answers('93.184.216.34'));
    // ...and when the answer changes, the socket gets the refusal, not the address.
    const err = await new Promise<Error>((resolve) => {
      const socket = net.connect({ host: 'rebind.example', port, lookup });
      socket.on('error', resolve);
      socket.on('connect', () => resolve(new Error('connected')));
    });
    expect(err).toBeInstanceOf(DialRefusedError);
    expect((err as DialRefusedError).refusal).toMatchObject({ reason: 'loopback', address: '127.0.0.1' });
    await new Promise((r) => setTimeout(r, 50));
    expect(connections).toBe(0);
  });

  it('honours a family asked for, and says so when there is none', async () => {
    const lookup = guardedLookup(async () => answers('8.8.8.8'));
    const v4 = await new Promise<unknown[]>((resolve) =>
      lookup('a.example', { family: 4 }, (err, address, family) => resolve([err, address, family])),
    );
    expect(v4).toEqual([null, '8.8.8.8', 4]);
    const v6 = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      lookup('a.example', { family: 6 }, (err) => resolve(err)),
    );
    expect(v6?.code).toBe('ENOTFOUND');
  });
});

describe('the dialer', () => {
  const proxy = { host: '127.0.0.1', port: 9050 };

  it('plans a checked look-up for strangers, nothing for the user’s relays, the proxy for all', () => {
    let current: typeof proxy | null = null;
    const dialer = createNostrDialer({
      proxy: () => current,
      isTrustedRelay: (url) => url === 'ws://127.0.0.1:7000',
    });
    expect(dialer.relay('ws://127.0.0.1:7000')).toEqual({ ok: true, options: {} });
    const stranger = dialer.relay('wss://relay.example.com');
    expect(stranger.ok && typeof stranger.options.lookup).toBe('function');
    expect(dialer.relay('ws://127.0.0.1:7001')).toMatchObject({ ok: false, refusal: { reason: 'port' } });
    // NIP-05 is never trusted, even on a host:port the user has as a relay.
    expect(dialer.web('http://127.0.0.1:7000/.well-known/nostr.json')).toMatchObject({ ok: false });

    current = proxy;
    const own = dialer.relay('ws://127.0.0.1:7000');
    expect(own.ok && own.options.agent).toBeInstanceOf(SocksHttpAgent);
    const viaProxy = dialer.relay('wss://relay.example.com');
    expect(viaProxy.ok && viaProxy.options.agent).toBeInstanceOf(SocksHttpsAgent);
    expect(viaProxy.ok && viaProxy.options.lookup).toBeUndefined();
    // Literal addresses are still checked with a proxy; names are left to it.
    expect(dialer.relay('wss://10.0.0.1')).toMatchObject({ ok: false, refusal: { reason: 'private' } });
    expect(dialer.web('https://localhost/x')).toMatchObject({ ok: false, refusal: { reason: 'local-name' } });
  });
});
