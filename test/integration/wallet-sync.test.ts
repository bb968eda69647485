import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import type { ElectrumClient, ElectrumService } from '../../main/bitcoin/electrum/types';
import { createWallet, startStackApp, useRegtestStack } from '../support/stack-app';

/**
 * Passes everything through to the real service, counting the methods sent (by the wallet and by
 * the SPV layer beside it), also per first parameter.
 */
function countingElectrum(
  inner: ElectrumService,
): ElectrumService & { count(method: string, firstParam?: string): number } {
  const counts = new Map<string, number>();
  const wrapped = new WeakMap<ElectrumClient, ElectrumClient>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const add = (method: string, params: readonly unknown[]) => {
    bump(method);
    bump(`${method} ${String(params[0])}`);
  };
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
          add(method, params);
          return client.request(method, params);
        },
        batch(calls) {
          for (const c of calls) add(c.method, c.params);
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
    count: (method, firstParam) =>
      counts.get(firstParam === undefined ? method : `${method} ${firstParam}`) ?? 0,
  };
}

const suite = useRegtestStack('flash-wallet-it-');

function startApp() {
  return startStackApp(suite.stack, suite.dir, { wrapElectrum: countingElectrum, cleanup: suite.cleanup });
}

type App = Awaited<ReturnType<typeof startApp>>;

const deposits = (app: App) =>
  app.events
    .filter((e) => e.event === 'deposit.detected')
    .map((e) => e.payload as EventPayload<'deposit.detected'>);

const synced = (walletId: string) => (p: EventPayload<'sync.progress'>) =>
  p.walletId === walletId && p.sync.phase === 'synced';

describe('wallet against the regtest stack', () => {
  it('detects a deposit, its confirmation, and reopens without refetching history', async () => {
    const app = await startApp();
    const id = createWallet(app, 'Regtest').id;
    await app.waitFor('sync.progress', synced(id));
    expect(app.electrum.count('blockchain.scripthash.subscribe')).toBe(30);
    expect(app.electrum.count('blockchain.scripthash.get_history')).toBe(0);

    const receive = app.wallet.overview(id).receive;
    expect(receive.address.startsWith('bcrt1q')).toBe(true);
    const { txid } = suite.stack.chain.send(receive.address, 75_000);
    const unconfirmed = await app.waitFor('deposit.detected', (p) => p.txid === txid);
    expect(unconfirmed).toEqual({ walletId: id, txid, amountSats: 75_000, confirmed: false });
    await app.wallet.idle();
    let overview = app.wallet.overview(id);
    expect(overview.balance).toEqual({ confirmed: 0, confirming: 0, unconfirmed: 75_000 });
    expect(overview.receive.index).toBe(1);
    expect(app.wallet.activity(id, 10, 0).items).toEqual([
      expect.objectContaining({ txid, amountSats: 75_000, confirmations: 0, direction: 'in' }),
    ]);

    suite.stack.chain.mine(1);
    const confirmed = await app.waitFor('deposit.detected', (p) => p.txid === txid && p.confirmed);
    expect(confirmed).toEqual({ walletId: id, txid, amountSats: 75_000, confirmed: true });
    await app.wallet.idle();
    overview = app.wallet.overview(id);
    expect(overview.balance).toEqual({ confirmed: 75_000, confirming: 0, unconfirmed: 0 });
    expect(overview.tipHeight).toBe(suite.stack.chain.tipHeight);
    expect(app.wallet.activity(id, 10, 0).items[0]).toMatchObject({
      txid,
      height: suite.stack.chain.tipHeight,
      confirmations: 1,
    });
    expect(deposits(app)).toHaveLength(2);
    app.close();

    // A fresh process on the same file: nothing changed, so subscriptions only.
    const reopened = await startApp();
    await reopened.waitFor('sync.progress', synced(id));
    await reopened.wallet.idle();
    expect(reopened.electrum.count('blockchain.scripthash.subscribe')).toBe(31);
    expect(reopened.electrum.count('blockchain.scripthash.get_history')).toBe(0);
    expect(reopened.electrum.count('blockchain.transaction.get')).toBe(0);
    expect(deposits(reopened)).toEqual([]);
    expect(reopened.wallet.overview(id).balance).toEqual({
      confirmed: 75_000,
      confirming: 0,
      unconfirmed: 0,
    });
  });

  it('catches up on what happened while closed, fetching only what changed', async () => {
    const app = await startApp();
    const id = createWallet(app, 'Regtest').id;
    await app.waitFor('sync.progress', synced(id));
    const first = app.wallet.overview(id).receive.address;
    app.close();

    const { txid } = suite.stack.chain.send(first, 20_000);
    suite.stack.chain.mine(1);

    const reopened = await startApp();
    const news = await reopened.waitFor('deposit.detected', (p) => p.txid === txid);
    expect(news).toEqual({ walletId: id, txid, amountSats: 20_000, confirmed: true });
    await reopened.wallet.idle();
    expect(reopened.electrum.count('blockchain.scripthash.get_history')).toBe(1);
    // The payment once; the SPV check also fetches its block's coinbase (for the tree depth).
    expect(reopened.electrum.count('blockchain.transaction.get', txid)).toBe(1);
    expect(reopened.wallet.overview(id).balance).toEqual({
      confirmed: 20_000,
      confirming: 0,
      unconfirmed: 0,
    });
  });
});
