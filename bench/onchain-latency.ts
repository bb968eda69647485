import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { curveBackend } from '../main/bitcoin/accounts/child-keys';
import { createChainService } from '../main/bitcoin/chain/service';
import { createElectrumService } from '../main/bitcoin/electrum/service';
import type { RateLimit } from '../main/bitcoin/electrum/rate-limit';
import { DEFAULT_RATE_LIMIT } from '../main/bitcoin/electrum/rate-limit';
import type { ClientStats } from '../main/bitcoin/electrum/types';
import { createAddressDeriver, deriveAccount } from '../main/bitcoin/wallet/derivation';
import { createWalletService } from '../main/bitcoin/wallet/service';
import type { WalletService } from '../main/bitcoin/wallet/types';
import { createEventBus } from '../main/core/event-bus';
import { silentLogger } from '../main/core/logger';
import { createSettingsService } from '../main/core/settings';
import { openDatabase } from '../main/store/database';
import { createVaultService } from '../main/vault/service';
import { RegtestChain } from '../test/stack/chain';
import type { LatencyProfile } from '../test/stack/electrum-server';
import { createElectrumServer, FULCRUM_LATENCY } from '../test/stack/electrum-server';
import { fundChained } from './chained-payments';
import { fmtMs, printTable, ratio } from './stats';

export const BENCH_WORDS =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const USED_ADDRESSES = 1_000;
export const PAYMENTS = 5_000;

export interface LatencyServer {
  chain: RegtestChain;
  electrum: { host: string; port: number; transport: 'tcp' };
  xpub: string;
  /** Sats the wallet holds once synced (every payment, all confirmed). */
  expectedSats: number;
  latency: LatencyProfile;
  stop(): Promise<void>;
}

/**
 * The stack's Electrum server in its latency mode (Fulcrum's measured pace), over a chain where
 * one payer paid a watch-only BIP84 wallet 5,000 times, chained, to its first 1,000 receive
 * addresses in order.
 */
export async function startLatencyServer(): Promise<LatencyServer> {
  const chain = new RegtestChain();
  const xpub = deriveAccount(BENCH_WORDS, '', 'regtest').xpub;
  const deriver = createAddressDeriver(xpub, 'regtest');
  const addresses = Array.from({ length: USED_ADDRESSES }, (_, i) => deriver.derive(0, i).address);
  const amount = (i: number) => 10_000 + i;
  fundChained(chain, addresses, PAYMENTS, { perAddress: PAYMENTS / USED_ADDRESSES, amount });
  let expectedSats = 0;
  for (let i = 0; i < PAYMENTS; i++) expectedSats += amount(i);
  const server = createElectrumServer({ chain, latency: FULCRUM_LATENCY });
  const tcp = await server.listen({ transport: 'tcp' });
  return {
    chain,
    electrum: { host: tcp.host, port: tcp.port, transport: 'tcp' },
    xpub,
    expectedSats,
    latency: FULCRUM_LATENCY,
    stop: () => server.close(),
  };
}

export interface SyncRun {
  name: string;
  ms: number;
  stats: ClientStats;
  txs: number;
  verified: number;
  balance: number;
}

/**
 * Imports the watch-only account into a fresh profile and times it until the full balance is
 * shown as synced, with every confirmed transaction's merkle proof checked (SPV on, as in the app).
 */
export async function firstSync(
  name: string,
  server: LatencyServer,
  dbFile: string,
  discovery: 'widening' | 'walk',
  rateLimit?: RateLimit | null,
): Promise<SyncRun> {
  const db = openDatabase(dbFile);
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: 'regtest',
    electrumOverride: server.electrum,
  });
  const electrum = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: settings.electrumServer('regtest'),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
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
    chain,
    discovery,
  });
  electrum.start();
  chain.start();
  wallet.start();
  await new Promise<void>((resolve) => {
    if (electrum.status().state === 'connected') resolve();
    const off = bus.on('electrum.status', (s) => {
      if (s.state === 'connected') {
        off();
        resolve();
      }
    });
  });
  let walletId = '';
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not synced within 300 s`)), 300_000);
    bus.on('sync.progress', (p) => {
      if (p.walletId !== walletId || p.sync.phase !== 'synced') return;
      // Synced means the full balance shows, verified: nothing left confirming.
      const b = wallet.overview(walletId).balance;
      if (b.confirmed === server.expectedSats && b.confirming === 0) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const before = electrum.stats?.() ?? { roundTrips: 0, requests: 0, bytesSent: 0, bytesReceived: 0 };
  const t0 = performance.now();
  walletId = wallet.importWatchOnly({
    name: 'Bench',
    network: 'regtest',
    key: server.xpub,
    accountType: 'bip84',
  }).id;
  await synced;
  const ms = performance.now() - t0;
  await wallet.idle();
  const after = electrum.stats?.() ?? before;
  const page = wallet.activity(walletId, 500, 0);
  const verified = (
    db.prepare(`SELECT COUNT(*) AS n FROM wallet_txs WHERE wallet_id = ? AND standing = 2`).get(walletId) as {
      n: number;
    }
  ).n;
  const balance = wallet.overview(walletId).balance.confirmed;
  wallet.stop();
  chain.stop();
  electrum.stop();
  vault.stop();
  db.close();
  return {
    name,
    ms,
    txs: page.total,
    verified,
    balance,
    stats: {
      roundTrips: after.roundTrips - before.roundTrips,
      requests: after.requests - before.requests,
      bytesSent: after.bytesSent - before.bytesSent,
      bytesReceived: after.bytesReceived - before.bytesReceived,
    },
  };
}

export function printLatencyRuns(
  server: LatencyServer,
  walk: SyncRun,
  fast: SyncRun,
  uncapped: SyncRun | null,
): void {
  const l = server.latency;
  console.log(
    `\nFirst sync against the stack's Electrum server in latency mode (${l.requestDelayMs} ms per request ` +
      `line, ${l.itemCostMs} ms per request, transaction.get ${l.methodCostMs?.['blockchain.transaction.get'] ?? l.itemCostMs} ms, ` +
      `${l.workers} workers: Fulcrum's pace as issue 15 measured it). Watch-only BIP84, ${USED_ADDRESSES} used ` +
      `receive addresses, ${PAYMENTS} chained payments used in order, tip ${server.chain.tipHeight}; child keys on ${curveBackend()}.`,
  );
  printTable(
    'First sync, import to full balance shown as synced (same server, same run)',
    ['discovery', 'txs', 'proofs verified', 'round trips', 'requests', 'wall', 'vs walk'],
    [walk, fast, ...(uncapped ? [uncapped] : [])].map((r) => [
      r.name,
      String(r.txs),
      String(r.verified),
      String(r.stats.roundTrips),
      String(r.stats.requests),
      fmtMs(r.ms),
      r === walk ? '1.00×' : `${ratio(r.ms, walk.ms)} (${(walk.ms / r.ms).toFixed(1)}× faster)`,
    ]),
  );
  const cap = DEFAULT_RATE_LIMIT;
  console.log(
    `The app's client caps itself at ${cap.requestsPerSecond} requests/s (burst ${cap.burst}, ${cap.maxInFlight} in flight): ` +
      `a ${fast.stats.requests}-request first sync cannot take less than ` +
      `${((Math.max(0, fast.stats.requests - cap.burst) / cap.requestsPerSecond) * 1000).toFixed(0)} ms under it. ` +
      'The last row is the same sync with that cap off, to show what the cap costs.',
  );
}

/** `npx tsx bench/onchain-latency.ts`: this figure alone. */
async function main(): Promise<void> {
  const server = await startLatencyServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-bench-latency-'));
  try {
    const walk = await firstSync('gap-limit walk (baseline)', server, path.join(dir, 'walk.db'), 'walk');
    const fast = await firstSync('widening + pipelined (app)', server, path.join(dir, 'fast.db'), 'widening');
    const uncapped = await firstSync(
      'the same, no client rate cap',
      server,
      path.join(dir, 'uncapped.db'),
      'widening',
      null,
    );
    printLatencyRuns(server, walk, fast, uncapped);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && /onchain-latency\.ts$/.test(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
