import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract';
import type { EventBus } from '../../main/core/event-bus';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createSettingsService } from '../../main/core/settings';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumClient, ElectrumService } from '../../main/bitcoin/electrum/types';
import { createWalletService } from '../../main/bitcoin/wallet/service';
import type { WalletService } from '../../main/bitcoin/wallet/types';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';
import type { Stack } from '../stack';
import { startStack } from '../stack';

const PASSWORD = 'correct horse battery';
const WAIT_MS = 15_000;

/** Passes everything through to the real service, counting the methods the wallet sends. */
function countingElectrum(inner: ElectrumService): ElectrumService & { count(method: string): number } {
  const counts = new Map<string, number>();
  const wrapped = new WeakMap<ElectrumClient, ElectrumClient>();
  const add = (method: string) => counts.set(method, (counts.get(method) ?? 0) + 1);
  // One wrapper per client, so the wallet still recognises a connection it already has.
  const wrap = (client: ElectrumClient): ElectrumClient => {
    let w = wrapped.get(client);
    if (!w) {
      w = {
        get server() {
          return client.server;
        },
        get protocolVersion() {
          return client.protocolVersion;
        },
        get serverSoftware() {
          return client.serverSoftware;
        },
        get certificateFingerprint() {
          return client.certificateFingerprint;
        },
        get isOpen() {
          return client.isOpen;
        },
        request(method, params) {
          add(method);
          return client.request(method, params);
        },
        batch(calls) {
          for (const c of calls) add(c.method);
          return client.batch(calls);
        },
        onNotification: (l) => client.onNotification(l),
        onClose: (l) => client.onClose(l),
        close: () => client.close(),
      };
      wrapped.set(client, w);
    }
    return w;
  };
  return {
    status: () => inner.status(),
    client: () => wrap(inner.client()),
    onConnected: (listener) => inner.onConnected((client) => listener(wrap(client))),
    setServer: (server) => inner.setServer(server),
    reconnect: () => inner.reconnect(),
    trustNewCertificate: () => inner.trustNewCertificate(),
    start: () => inner.start(),
    stop: () => inner.stop(),
    count: (method) => counts.get(method) ?? 0,
  };
}

interface App {
  db: Db;
  bus: EventBus;
  vault: VaultService;
  electrum: ReturnType<typeof countingElectrum>;
  wallet: WalletService;
  events: { event: EventName; payload: unknown }[];
  deposits(): EventPayload<'deposit.detected'>[];
  /** Resolves with the first event (already seen or future) that matches. */
  waitFor<E extends EventName>(event: E, match: (p: EventPayload<E>) => boolean): Promise<EventPayload<E>>;
  close(): void;
}

let stack: Stack;
let dir: string;
const apps: App[] = [];

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-wallet-it-'));
});

afterEach(() => {
  for (const app of apps.splice(0)) app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startApp(): Promise<App> {
  const db = openDatabase(path.join(dir, 'flash.db'));
  const bus = createEventBus();
  const events: { event: EventName; payload: unknown }[] = [];
  const waiters = new Set<{
    event: EventName;
    match: (p: unknown) => boolean;
    resolve: (p: unknown) => void;
  }>();
  bus.onAny((event, payload) => {
    events.push({ event, payload });
    for (const w of [...waiters]) {
      if (w.event === event && w.match(payload)) {
        waiters.delete(w);
        w.resolve(payload);
      }
    }
  });
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  if (vault.status().state === 'uninitialized') await vault.setup(PASSWORD);
  else await vault.unlock(PASSWORD);
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: 'regtest',
    electrumOverride: stack.electrum,
  });
  const electrum = countingElectrum(
    createElectrumService({ db, bus, log: silentLogger, initialServer: settings.electrumServer('regtest') }),
  );
  const wallet = createWalletService({ db, vault, electrum, bus, settings, log: silentLogger });
  electrum.start();
  wallet.start();
  let closed = false;
  const app: App = {
    db,
    bus,
    vault,
    electrum,
    wallet,
    events,
    deposits: () =>
      events
        .filter((e) => e.event === 'deposit.detected')
        .map((e) => e.payload as EventPayload<'deposit.detected'>),
    waitFor(event, match) {
      const seen = events.find((e) => e.event === event && match(e.payload as never));
      if (seen) return Promise.resolve(seen.payload as never);
      return new Promise((resolve, reject) => {
        const w = {
          event,
          match: match as (p: unknown) => boolean,
          resolve: resolve as (p: unknown) => void,
        };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w)) reject(new Error(`timed out waiting for ${event}`));
        }, WAIT_MS).unref();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      wallet.stop();
      electrum.stop();
      vault.stop();
      db.close();
    },
  };
  apps.push(app);
  return app;
}

function createWallet(app: App): string {
  const d = app.wallet.createDraft(12);
  const checks = d.confirmIndexes.map((index) => ({ index, word: d.words[index] ?? '' }));
  return app.wallet.confirmDraft({
    draftId: d.draftId,
    checks,
    name: 'Regtest',
    passphrase: '',
    network: 'regtest',
  }).id;
}

const synced = (walletId: string) => (p: EventPayload<'sync.progress'>) =>
  p.walletId === walletId && p.sync.phase === 'synced';

describe('wallet against the regtest stack', () => {
  it('detects a deposit, its confirmation, and reopens without refetching history', async () => {
    const app = await startApp();
    const id = createWallet(app);
    await app.waitFor('sync.progress', synced(id));
    expect(app.electrum.count('blockchain.scripthash.subscribe')).toBe(30);
    expect(app.electrum.count('blockchain.scripthash.get_history')).toBe(0);

    const receive = app.wallet.overview(id).receive;
    expect(receive.address.startsWith('bcrt1q')).toBe(true);
    const { txid } = stack.chain.send(receive.address, 75_000);
    const unconfirmed = await app.waitFor('deposit.detected', (p) => p.txid === txid);
    expect(unconfirmed).toEqual({ walletId: id, txid, amountSats: 75_000, confirmed: false });
    await app.wallet.idle();
    let overview = app.wallet.overview(id);
    expect(overview.balance).toEqual({ confirmed: 0, unconfirmed: 75_000 });
    expect(overview.receive.index).toBe(1);
    expect(app.wallet.activity(id, 10, 0).items).toEqual([
      expect.objectContaining({ txid, amountSats: 75_000, confirmations: 0, direction: 'in' }),
    ]);

    stack.chain.mine(1);
    const confirmed = await app.waitFor('deposit.detected', (p) => p.txid === txid && p.confirmed);
    expect(confirmed).toEqual({ walletId: id, txid, amountSats: 75_000, confirmed: true });
    await app.wallet.idle();
    overview = app.wallet.overview(id);
    expect(overview.balance).toEqual({ confirmed: 75_000, unconfirmed: 0 });
    expect(overview.tipHeight).toBe(stack.chain.tipHeight);
    expect(app.wallet.activity(id, 10, 0).items[0]).toMatchObject({
      txid,
      height: stack.chain.tipHeight,
      confirmations: 1,
    });
    expect(app.deposits()).toHaveLength(2);
    app.close();

    // A fresh process on the same file: nothing changed, so subscriptions only.
    const reopened = await startApp();
    await reopened.waitFor('sync.progress', synced(id));
    await reopened.wallet.idle();
    expect(reopened.electrum.count('blockchain.scripthash.subscribe')).toBe(31);
    expect(reopened.electrum.count('blockchain.scripthash.get_history')).toBe(0);
    expect(reopened.electrum.count('blockchain.transaction.get')).toBe(0);
    expect(reopened.deposits()).toEqual([]);
    expect(reopened.wallet.overview(id).balance).toEqual({ confirmed: 75_000, unconfirmed: 0 });
  });

  it('catches up on what happened while closed, fetching only what changed', async () => {
    const app = await startApp();
    const id = createWallet(app);
    await app.waitFor('sync.progress', synced(id));
    const first = app.wallet.overview(id).receive.address;
    app.close();

    const { txid } = stack.chain.send(first, 20_000);
    stack.chain.mine(1);

    const reopened = await startApp();
    const news = await reopened.waitFor('deposit.detected', (p) => p.txid === txid);
    expect(news).toEqual({ walletId: id, txid, amountSats: 20_000, confirmed: true });
    await reopened.wallet.idle();
    expect(reopened.electrum.count('blockchain.scripthash.get_history')).toBe(1);
    expect(reopened.electrum.count('blockchain.transaction.get')).toBe(1);
    expect(reopened.wallet.overview(id).balance).toEqual({ confirmed: 20_000, unconfirmed: 0 });
  });
});
