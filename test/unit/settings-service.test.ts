import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ElectrumServer, Network, Settings, SettingsPatch } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import { createEventBus } from '../../main/core/event-bus';
import { createSettingsService, DEFAULT_ELECTRUM } from '../../main/core/settings';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';

let dir: string;
let file: string;
const dbs: Db[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-settings-'));
  file = path.join(dir, 'flash.db');
});
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function make(opts: { defaultNetwork?: Network; electrumOverride?: ElectrumServer | null } = {}) {
  const db = openDatabase(file);
  dbs.push(db);
  const bus = createEventBus();
  const changes: Settings[] = [];
  bus.on('settings.changed', (s) => changes.push(s));
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: opts.defaultNetwork ?? 'mainnet',
    electrumOverride: opts.electrumOverride ?? null,
  });
  return { db, settings, changes };
}

const local: ElectrumServer = { host: '192.168.1.20', port: 50001, transport: 'tcp' };

describe('settings service', () => {
  it('starts from the defaults', () => {
    const { settings } = make({ defaultNetwork: 'signet' });
    expect(settings.get()).toEqual({
      language: 'en',
      theme: 'system',
      network: 'signet',
      electrum: {
        mainnet: { host: 'electrum.blockstream.info', port: 50002, transport: 'tls' },
        testnet: { host: 'electrum.blockstream.info', port: 60002, transport: 'tls' },
        signet: { host: 'mempool.space', port: 60602, transport: 'tls' },
        regtest: { host: '127.0.0.1', port: 60401, transport: 'tcp' },
      },
      electrumFallbacks: { mainnet: [], testnet: [], signet: [], regtest: [] },
      electrumProxy: null,
    });
    expect(settings.electrumServer('regtest')).toEqual(DEFAULT_ELECTRUM.regtest);
  });

  it('saves updates, emits settings.changed and keeps them across a restart', () => {
    const first = make();
    const next = first.settings.update({ language: 'es', theme: 'dark' });
    expect(next).toMatchObject({ language: 'es', theme: 'dark', network: 'mainnet' });
    expect(first.changes).toEqual([next]);
    first.db.close();

    const second = make({ defaultNetwork: 'testnet' });
    expect(second.settings.get()).toMatchObject({ language: 'es', theme: 'dark', network: 'testnet' });
  });

  it('applies electrumServer to the active network', () => {
    const { settings } = make({ defaultNetwork: 'regtest' });
    const next = settings.update({ electrumServer: local });
    expect(next.electrum.regtest).toEqual(local);
    expect(next.electrum.mainnet).toEqual(DEFAULT_ELECTRUM.mainnet);
    expect(settings.electrumServer('regtest')).toEqual(local);
  });

  it('applies electrumServer to the newly chosen network in the same patch', () => {
    const { settings } = make({ defaultNetwork: 'mainnet' });
    const next = settings.update({ network: 'testnet', electrumServer: { ...local, host: '  node.local ' } });
    expect(next.network).toBe('testnet');
    expect(next.electrum.testnet).toEqual({ ...local, host: 'node.local' });
    expect(next.electrum.mainnet).toEqual(DEFAULT_ELECTRUM.mainnet);
    expect(settings.get()).toEqual(next);
  });

  it('rejects bad patches without writing or emitting', () => {
    const { settings, changes, db } = make();
    const bad: unknown[] = [
      { language: 'fr' },
      { network: 'liquid' },
      { electrumServer: { host: 'bad host!', port: 1, transport: 'tcp' } },
      { electrumServer: { host: 'ok.example', port: 70000, transport: 'tcp' } },
      { electrumServer: { host: 'ok.example', port: 1, transport: 'udp' } },
      { unknown: true },
    ];
    for (const patch of bad) {
      let caught: unknown;
      try {
        settings.update(patch as SettingsPatch);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FlashError);
      expect((caught as FlashError).code).toBe('BAD_INPUT');
    }
    expect(changes).toEqual([]);
    expect(db.prepare("SELECT count(*) FROM settings WHERE key LIKE 'settings.%'").pluck().get()).toBe(0);
  });

  it('lets a command-line server win for every network without saving or showing it', () => {
    const override: ElectrumServer = { host: '10.0.0.5', port: 50001, transport: 'tcp' };
    const { settings } = make({ electrumOverride: override });
    settings.update({ electrumServer: local });
    for (const network of ['mainnet', 'testnet', 'signet', 'regtest'] as const) {
      expect(settings.electrumServer(network)).toEqual(override);
    }
    expect(settings.get().electrum.mainnet).toEqual(local);
  });

  it('falls back to defaults for bad stored values instead of crashing', () => {
    const db = openDatabase(file);
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    put.run('settings.language', 'not json');
    put.run('settings.theme', '"neon"');
    put.run('settings.network', '"testnet"');
    put.run('settings.electrum.mainnet', '{"host":"x","port":"50002","transport":"tls"}');
    put.run('settings.electrum.signet', JSON.stringify(local));
    db.close();

    const { settings } = make();
    expect(settings.get()).toEqual({
      language: 'en',
      theme: 'system',
      network: 'testnet',
      electrum: { ...DEFAULT_ELECTRUM, signet: local },
      electrumFallbacks: { mainnet: [], testnet: [], signet: [], regtest: [] },
      electrumProxy: null,
    });
    // The next update repairs what it touches.
    expect(settings.update({ theme: 'light' }).theme).toBe('light');
  });

  it('does not hand out its internals', () => {
    const { settings } = make();
    const a = settings.get();
    a.electrum.mainnet.port = 1;
    expect(settings.get().electrum.mainnet.port).toBe(50002);
    expect(DEFAULT_ELECTRUM.mainnet.port).toBe(50002);
  });
});
