import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountExport, Settings, WalletSummary } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { FlashCore } from '../../main/core/container';
import { startTestCore } from '../support/core';
import { connectOverWebSocket, type ConnectedClient } from '../support/transports';

/**
 * Issue 10 §5: someone at a locked computer (or holding the browser-mode token) changes nothing
 * that decides where money is sent or seen, and deletes nothing. Reading stays allowed.
 */
const PASSWORD = 'correct horse battery';
const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const EVIL_SERVER = { host: 'evil.example', port: 50002, transport: 'tls' } as const;

function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('a locked vault changes nothing', () => {
  let core: FlashCore;
  let conn: ConnectedClient;
  let main: WalletSummary;
  let extra: WalletSummary;
  let settingsBefore: Settings;
  let serverBefore: unknown;

  beforeAll(async () => {
    core = startTestCore();
    conn = await connectOverWebSocket(core);
    value(await conn.raw('vault.setup', { password: PASSWORD }));
    main = value(await conn.raw('wallet.restore', { words: WORDS.split(' '), name: 'Main' }));
    extra = value(
      await conn.raw('wallet.addAccount', {
        seedWalletId: main.id,
        accountType: 'bip86',
        accountIndex: 0,
        name: 'Taproot',
      }),
    );
    settingsBefore = value(await conn.raw('settings.get', {}));
    serverBefore = value<{ server: unknown }>(await conn.raw('electrum.getStatus', {})).server;
    value(await conn.raw('vault.lock', {}));
  });
  afterAll(async () => {
    await conn.close();
    core.stop();
  });

  const expectLocked = async (method: string, input: unknown) => {
    expect(await conn.raw(method, input), method).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
  };

  it('refuses Electrum server, fallback, proxy and network changes, and keeps the settings', async () => {
    await expectLocked('settings.update', { electrumServer: EVIL_SERVER });
    await expectLocked('settings.update', { electrumFallbacks: [EVIL_SERVER] });
    await expectLocked('settings.update', { electrumProxy: { host: '203.0.113.9', port: 9050 } });
    await expectLocked('settings.update', { network: 'mainnet' });
    await expectLocked('electrum.trustNewCertificate', {});
    expect(value(await conn.raw('settings.get', {}))).toEqual(settingsBefore);
    expect(value<{ server: unknown }>(await conn.raw('electrum.getStatus', {})).server).toEqual(serverBefore);
  });

  it('refuses account removal, imports and gap limits, and the accounts stay as they were', async () => {
    // Reading works while locked: the extra account's descriptor is exported from the locked app.
    const exported = value<AccountExport>(await conn.raw('wallet.exportAccount', { walletId: extra.id }));
    await expectLocked('wallet.remove', { walletId: extra.id });
    await expectLocked('wallet.setGapLimit', {
      walletId: extra.id,
      gapLimit: { receive: 1000, change: 1000 },
    });
    await expectLocked('wallet.importWatchOnly', { name: 'Not mine', key: exported.descriptors.multipath });
    await expectLocked('hardware.importAccount', { deviceId: 'any', name: 'Device' });
    await expectLocked('wallet.rename', { walletId: main.id, name: 'Renamed' });
    const list = value<WalletSummary[]>(await conn.raw('wallet.list', {}));
    expect(list.map((w) => [w.id, w.name, w.gapLimit])).toEqual(
      [main, extra].map((w) => [w.id, w.name, w.gapLimit]),
    );
  });

  it('refuses NOSTR relay and contact changes', async () => {
    await expectLocked('nostr.setRelays', { relays: [] });
    await expectLocked('nostr.unfollow', { pubkey: 'ab'.repeat(32) });
  });

  it('still answers reads, and follows the language on the lock screen', async () => {
    expect(value<{ vault: string }>(await conn.raw('app.getState', {})).vault).toBe('locked');
    expect(value<unknown[]>(await conn.raw('wallet.list', {}))).toHaveLength(2);
    expect(await conn.raw('wallet.getOverview', { walletId: main.id })).toMatchObject({ ok: true });
    expect(value<Settings>(await conn.raw('settings.update', { language: 'es' })).language).toBe('es');
  });

  it('allows the same changes once unlocked', async () => {
    value(await conn.raw('vault.unlock', { password: PASSWORD }));
    expect(
      value<Settings>(await conn.raw('settings.update', { electrumProxy: { host: '127.0.0.1', port: 9050 } }))
        .electrumProxy,
    ).toEqual({ host: '127.0.0.1', port: 9050 });
    value(await conn.raw('wallet.remove', { walletId: extra.id }));
    expect(value<unknown[]>(await conn.raw('wallet.list', {}))).toHaveLength(1);
  });
});
