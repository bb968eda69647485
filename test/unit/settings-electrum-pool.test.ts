import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ElectrumServer, SettingsPatch } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { createEventBus } from '../../main/core/event-bus';
import { createSettingsService, DEFAULT_ELECTRUM } from '../../main/core/settings';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import {
  checkServer,
  fallbackConflict,
  formatProxy,
  parseProxy,
} from '../../renderer/features/settings/server-input';

let dir: string;
let file: string;
const dbs: Db[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-settings-pool-'));
  file = path.join(dir, 'flash.db');
});
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function make() {
  const db = openDatabase(file);
  dbs.push(db);
  const bus = createEventBus();
  const settings = createSettingsService({ db, bus, defaultNetwork: 'regtest', electrumOverride: null });
  return { db, settings };
}

const a: ElectrumServer = { host: 'a.example', port: 50002, transport: 'tls' };
const b: ElectrumServer = { host: 'b.example', port: 50001, transport: 'tcp' };

function bridgeError(fn: () => unknown): FlashError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FlashError);
    return err as FlashError;
  }
  throw new Error('expected a FlashError');
}

describe('Electrum fallbacks and SOCKS5 proxy settings', () => {
  it('loads a profile saved before these settings existed with no fallbacks and no proxy', () => {
    // What an older version wrote: only the primary server and the other fields.
    const db = openDatabase(file);
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    put.run('settings.language', '"es"');
    put.run('settings.network', '"regtest"');
    put.run('settings.electrum.regtest', JSON.stringify(b));
    db.close();

    const { settings } = make();
    expect(settings.get()).toMatchObject({
      language: 'es',
      network: 'regtest',
      electrum: { ...DEFAULT_ELECTRUM, regtest: b },
      electrumFallbacks: { mainnet: [], testnet: [], signet: [], regtest: [] },
      electrumProxy: null,
    });
  });

  it('saves fallbacks for the active network and a proxy for all, across a restart', () => {
    const first = make();
    first.settings.update({ electrumFallbacks: [a, b], electrumProxy: { host: '127.0.0.1', port: 9050 } });
    first.settings.update({ network: 'signet', electrumFallbacks: [b] });
    first.db.close();

    const { settings } = make();
    const s = settings.get();
    expect(s.electrumFallbacks.regtest).toEqual([a, b]);
    expect(s.electrumFallbacks.signet).toEqual([b]);
    expect(s.electrumFallbacks.mainnet).toEqual([]);
    expect(s.electrumProxy).toEqual({ host: '127.0.0.1', port: 9050 });
    expect(settings.update({ electrumProxy: null }).electrumProxy).toBeNull();
  });

  it('refuses a fallback that repeats the primary or another fallback, naming which', () => {
    const { settings } = make();
    const primary = DEFAULT_ELECTRUM.regtest;
    const asPrimary = bridgeError(() => settings.update({ electrumFallbacks: [a, { ...primary }] }));
    expect(asPrimary.message).toBe('Fallback server 2 (127.0.0.1:60401) is the primary server.');
    expect(asPrimary.details).toMatchObject({ reason: 'FALLBACK_IS_PRIMARY', index: 1 });
    const twice = bridgeError(() =>
      settings.update({ electrumFallbacks: [a, b, { ...a, host: 'A.EXAMPLE', transport: 'tcp' }] }),
    );
    expect(twice.message).toBe('Fallback server 3 (a.example:50002) is listed twice.');
    expect(settings.get().electrumFallbacks.regtest).toEqual([]);
  });

  it('drops a fallback that becomes the primary', () => {
    const { settings } = make();
    settings.update({ electrumFallbacks: [a, b] });
    const next = settings.update({ electrumServer: b });
    expect(next.electrum.regtest).toEqual(b);
    expect(next.electrumFallbacks.regtest).toEqual([a]);
    expect(settings.get().electrumFallbacks.regtest).toEqual([a]);
  });

  it('validates shapes in the contract and ignores bad stored rows', () => {
    const { settings, db } = make();
    const bad: unknown[] = [
      { electrumProxy: { host: 'bad host', port: 9050 } },
      { electrumProxy: { host: '127.0.0.1', port: 0 } },
      { electrumFallbacks: Array.from({ length: 11 }, (_, i) => ({ ...a, port: 1000 + i })) },
      { electrumFallbacks: [{ ...a, transport: 'udp' }] },
    ];
    for (const patch of bad) {
      expect(bridgeError(() => settings.update(patch as SettingsPatch)).code).toBe('BAD_INPUT');
    }
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('settings.electrumProxy', '{"host":1}');
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(
      'settings.electrumFallbacks.regtest',
      'not json',
    );
    expect(settings.get().electrumProxy).toBeNull();
    expect(settings.get().electrumFallbacks.regtest).toEqual([]);
  });
});

describe('server input in the settings screen', () => {
  it('names the field that is wrong', () => {
    expect(checkServer({ host: ' ', port: '50002', transport: 'tls' })).toEqual({
      ok: false,
      host: 'hostRequired',
      port: null,
    });
    expect(checkServer({ host: 'bad host', port: '70000', transport: 'tls' })).toEqual({
      ok: false,
      host: 'hostInvalid',
      port: 'portInvalid',
    });
    expect(checkServer({ host: ' node.local ', port: '50001', transport: 'tcp' })).toEqual({
      ok: true,
      server: { host: 'node.local', port: 50001, transport: 'tcp' },
    });
  });

  it('finds conflicts with the primary, the list and the limit', () => {
    expect(fallbackConflict(a, a, [], 10)).toBe('isPrimary');
    expect(fallbackConflict({ ...b, transport: 'tls' }, a, [b], 10)).toBe('duplicate');
    expect(fallbackConflict(b, a, [], 0)).toBe('tooMany');
    expect(fallbackConflict(b, a, [], 10)).toBeNull();
  });

  it('reads a proxy as host:port', () => {
    expect(parseProxy(' 127.0.0.1:9050 ')).toEqual({ host: '127.0.0.1', port: 9050 });
    expect(parseProxy('[::1]:9150')).toEqual({ host: '::1', port: 9150 });
    expect(formatProxy({ host: '::1', port: 9150 })).toBe('[::1]:9150');
    expect(parseProxy('tor.local:9050')).toEqual({ host: 'tor.local', port: 9050 });
    for (const bad of [
      '127.0.0.1',
      '127.0.0.1:',
      ':9050',
      '127.0.0.1:0',
      '127.0.0.1:65536',
      'a b:1',
      '::1:9050',
    ]) {
      expect(parseProxy(bad), bad).toBeNull();
    }
  });
});
