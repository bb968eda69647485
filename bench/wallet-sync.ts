import type { RateLimit } from '../main/bitcoin/electrum/rate-limit';
import { createChainService } from '../main/bitcoin/chain/service';
import { createElectrumService } from '../main/bitcoin/electrum/service';
import type { ClientStats, ElectrumService } from '../main/bitcoin/electrum/types';
import { createWalletService } from '../main/bitcoin/wallet/service';
import type { WalletService } from '../main/bitcoin/wallet/types';
import { createEventBus, type EventBus } from '../main/core/event-bus';
import { silentLogger } from '../main/core/logger';
import { createSettingsService } from '../main/core/settings';
import type { Db } from '../main/store/database';
import { openDatabase } from '../main/store/database';
import { createVaultService } from '../main/vault/service';
import type { VaultService } from '../main/vault/types';
import type { RegtestChain } from '../test/stack/chain';
import { fundMany } from '../test/stack/bulk';

/** The sync benches' wallet shape: the "abandon ... about" words, 800 receive and 200 change addresses used. */
export const BENCH_WORDS =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const RECEIVE_USED = 800;
export const CHANGE_USED = 200;
const PASSWORD = 'bench password';

export interface SyncRun {
  name: string;
  stats: ClientStats;
  ms: number;
  txs: number;
}

/** The first RECEIVE_USED receive addresses, then the first CHANGE_USED change addresses. */
export function usedAddresses(deriver: { derive(chain: 0 | 1, i: number): { address: string } }): string[] {
  return [
    ...Array.from({ length: RECEIVE_USED }, (_, i) => deriver.derive(0, i).address),
    ...Array.from({ length: CHANGE_USED }, (_, i) => deriver.derive(1, i).address),
  ];
}

/** `txs` payments spread over `used` in turn, 500 a block. */
export function fundUsed(chain: RegtestChain, used: string[], txs: number): ReturnType<typeof fundMany> {
  return fundMany(
    chain,
    Array.from({ length: txs }, (_, i) => ({ address: used[i % used.length] as string, sats: 10_000 + i })),
    { perBlock: 500 },
  );
}

/** The bench wallet restored from BENCH_WORDS. */
export function restoreBenchWallet(wallet: WalletService): string {
  return wallet.restore({ words: BENCH_WORDS.split(' '), passphrase: '', name: 'Bench', network: 'regtest' })
    .id;
}

export interface WalletServices {
  db: Db;
  bus: EventBus;
  vault: VaultService;
  electrum: ElectrumService;
  wallet: WalletService;
  /** Starts Electrum, the chain and the wallet, in the app's order. */
  start(): void;
  /** Resolves once Electrum is connected. */
  connected(): Promise<void>;
  stop(): void;
}

/**
 * The real vault, settings, Electrum, chain and wallet services on `dbFile`, as the app wires
 * them: headers validated and every confirmed transaction's merkle proof checked. With
 * `discovery`, the wallet also gets the chain service and that discovery mode.
 */
export function createWalletServices(opts: {
  dbFile: string;
  server: { host: string; port: number; transport: 'tcp' };
  /** Absent: the app's default cap; null: none. */
  rateLimit?: RateLimit | null;
  discovery?: 'widening' | 'walk';
}): WalletServices {
  const db = openDatabase(opts.dbFile);
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: 'regtest',
    electrumOverride: opts.server,
  });
  const electrum: ElectrumService = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: settings.electrumServer('regtest'),
    ...(opts.rateLimit !== undefined ? { rateLimit: opts.rateLimit } : {}),
  });
  const chain = createChainService({ db, electrum, log: silentLogger, network: 'regtest' });
  const wallet: WalletService = createWalletService({
    db,
    vault,
    electrum,
    bus,
    settings,
    log: silentLogger,
    verifier: chain,
    ...(opts.discovery ? { chain, discovery: opts.discovery } : {}),
  });
  return {
    db,
    bus,
    vault,
    electrum,
    wallet,
    start() {
      electrum.start();
      chain.start();
      wallet.start();
    },
    connected: () =>
      new Promise<void>((resolve) => {
        if (electrum.status().state === 'connected') resolve();
        const off = bus.on('electrum.status', (s) => {
          if (s.state === 'connected') {
            off();
            resolve();
          }
        });
      }),
    stop() {
      wallet.stop();
      chain.stop();
      electrum.stop();
      vault.stop();
      db.close();
    },
  };
}

/**
 * Starts the wallet services on `dbFile` and times them until the wallet reports "synced". With
 * `addWallet`, the vault is new and the wallet is added once Electrum is connected (a first
 * sync); without, the wallet the file already holds is reopened.
 */
export async function walletSyncRun(opts: {
  name: string;
  dbFile: string;
  server: { host: string; port: number; transport: 'tcp' };
  addWallet?: (services: { wallet: WalletService; db: Db }) => string;
  /** Absent: the app's default cap; null: none. */
  rateLimit?: RateLimit | null;
  timeoutMs: number;
}): Promise<SyncRun> {
  const { name, addWallet, timeoutMs } = opts;
  const services = createWalletServices(opts);
  const { db, bus, vault, electrum, wallet } = services;
  if (addWallet) await vault.setup(PASSWORD);
  let walletId: string | null = addWallet ? null : (wallet.list()[0]?.id ?? null);
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: not synced within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    bus.on('sync.progress', (p) => {
      if (p.sync.phase === 'synced' && (walletId === null || p.walletId === walletId)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const t0 = performance.now();
  services.start();
  if (addWallet) {
    await services.connected();
    walletId = addWallet({ wallet, db });
  }
  await synced;
  await wallet.idle();
  const ms = performance.now() - t0;
  const stats = electrum.stats?.() ?? { roundTrips: 0, requests: 0, bytesSent: 0, bytesReceived: 0 };
  const txs = walletId ? wallet.activity(walletId, 1, 0).total : 0;
  services.stop();
  return { name, stats, ms, txs };
}
