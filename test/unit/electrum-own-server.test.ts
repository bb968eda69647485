import { describe, expect, it } from 'vitest';
import { defaultRateLimitFor, isOwnServerHost } from '../../main/bitcoin/electrum/own-server';
import { DEFAULT_RATE_LIMIT } from '../../main/bitcoin/electrum/rate-limit';

describe('own server or public server', () => {
  it('counts this computer and the local network as the user’s own', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.0.3',
      'localhost',
      'LOCALHOST',
      'node.local',
      '10.0.0.5',
      '172.16.0.1',
      '172.31.255.254',
      '192.168.1.20',
      '169.254.10.1',
      '::1',
      '[::1]',
      'fd12:3456::1',
      'fe80::1',
      '::ffff:192.168.0.9',
    ])
      expect(isOwnServerHost(host), host).toBe(true);
  });

  it('counts everything else as public, onion services included', () => {
    for (const host of [
      'electrum.blockstream.info',
      'fulcrum.example.org',
      '172.32.0.1',
      '172.15.0.1',
      '192.169.1.1',
      '8.8.8.8',
      '2001:db8::1',
      '::ffff:8.8.8.8',
      'explorerzydxu5ecjrkwceayqybizmpjjznk5izmitf2modhcusuqlid.onion',
      'localhost.example.com',
    ])
      expect(isOwnServerHost(host), host).toBe(false);
  });

  it('caps requests per second only for public servers, and keeps an in-flight ceiling for both', () => {
    expect(defaultRateLimitFor('electrum.example.org')).toEqual(DEFAULT_RATE_LIMIT);
    const own = defaultRateLimitFor('127.0.0.1');
    expect(own.requestsPerSecond).toBe(0);
    expect(own.maxInFlight).toBeGreaterThanOrEqual(DEFAULT_RATE_LIMIT.maxInFlight);
    expect(Number.isFinite(own.maxInFlight)).toBe(true);
  });
});
