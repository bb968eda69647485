import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { curveBackend } from '../main/bitcoin/accounts/child-keys';
import type { RateLimit } from '../main/bitcoin/electrum/rate-limit';
import { isOwnServerHost, OWN_SERVER_RATE_LIMIT } from '../main/bitcoin/electrum/own-server';
import { DEFAULT_RATE_LIMIT } from '../main/bitcoin/electrum/rate-limit';
import type { ClientStats } from '../main/bitcoin/electrum/types';
import { sourceWorker } from '../main/nostr/inbox/unwrap-pool';
import type { LatencyProfile } from '../test/stack/electrum-server';
import { FULCRUM_LATENCY } from '../test/stack/electrum-server';
import { fmtMs, printTable, ratio } from './stats';
import { createWalletServices } from './wallet-sync';

export const BENCH_WORDS =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const USED_ADDRESSES = 1_000;
export const PAYMENTS = 5_000;

export interface LatencyServer {
  tipHeight: number;
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
 * addresses in order. It runs on its own thread (latency-server-worker.ts): WHY, in the issue's
 * setup Fulcrum and Bitcoin Core are processes of their own, and on the bench's thread the
 * server's work (encoding replies, merkle branches) was taken from the client being measured.
 * The baseline walk and the app's discovery talk to the same server, so both get the same.
 */
export async function startLatencyServer(): Promise<LatencyServer> {
  const script = sourceWorker(new URL('./latency-server-worker.ts', import.meta.url));
  if (!script) throw new Error('the latency server thread needs tsx');
  const worker = new Worker(script.url, { execArgv: script.execArgv });
  const info = await new Promise<{
    host: string;
    port: number;
    xpub: string;
    expectedSats: number;
    tipHeight: number;
  }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`latency server thread exited with ${code}`)));
  });
  return {
    tipHeight: info.tipHeight,
    electrum: { host: info.host, port: info.port, transport: 'tcp' },
    xpub: info.xpub,
    expectedSats: info.expectedSats,
    latency: FULCRUM_LATENCY,
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}

export interface SyncRun {
  name: string;
  ms: number;
  /** Every run's time when this one is the median of several. */
  runsMs?: number[];
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
  const services = createWalletServices({
    dbFile,
    server: server.electrum,
    discovery,
    ...(rateLimit !== undefined ? { rateLimit } : {}),
  });
  const { db, bus, electrum, wallet } = services;
  services.start();
  await services.connected();
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
  services.stop();
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

/** Rounds of the three first syncs; the issue measured its figures as the median of 3. */
export const FIRST_SYNC_ROUNDS = 3;

function median(runs: SyncRun[]): SyncRun {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const mid = sorted[Math.floor(sorted.length / 2)] as SyncRun;
  return { ...mid, runsMs: runs.map((r) => r.ms) };
}

/**
 * The walk, the app's discovery and the app's discovery under the public-server cap, in rounds
 * (one of each per round, so a noisy moment hits all three alike), each a fresh profile; the
 * median of each.
 */
export async function firstSyncMedians(
  server: LatencyServer,
  dir: string,
  rounds = FIRST_SYNC_ROUNDS,
): Promise<{ walk: SyncRun; fast: SyncRun; capped: SyncRun }> {
  const walk: SyncRun[] = [];
  const fast: SyncRun[] = [];
  const capped: SyncRun[] = [];
  for (let i = 0; i < rounds; i++) {
    walk.push(await firstSync('gap-limit walk (baseline)', server, path.join(dir, `walk-${i}.db`), 'walk'));
    // The server is on this computer: the app's default for it is no per-second cap (own server).
    fast.push(
      await firstSync('widening + pipelined (app)', server, path.join(dir, `fast-${i}.db`), 'widening'),
    );
    capped.push(
      await firstSync(
        'the same, with the public-server cap',
        server,
        path.join(dir, `capped-${i}.db`),
        'widening',
        DEFAULT_RATE_LIMIT,
      ),
    );
  }
  return { walk: median(walk), fast: median(fast), capped: median(capped) };
}

export function printLatencyRuns(
  server: LatencyServer,
  walk: SyncRun,
  fast: SyncRun,
  capped: SyncRun | null,
): void {
  const l = server.latency;
  console.log(
    `\nFirst sync against the stack's Electrum server in latency mode (${l.requestDelayMs} ms per request ` +
      `line, ${l.itemCostMs} ms per request, transaction.get ${l.methodCostMs?.['blockchain.transaction.get'] ?? l.itemCostMs} ms, ` +
      `${l.workers} workers: Fulcrum's pace as issue 15 measured it). Watch-only BIP84, ${USED_ADDRESSES} used ` +
      `receive addresses, ${PAYMENTS} chained payments used in order, tip ${server.tipHeight}; child keys on ${curveBackend()}.`,
  );
  printTable(
    `First sync, import to full balance shown as synced (same server, same run; median of ${walk.runsMs?.length ?? 1})`,
    ['discovery', 'txs', 'proofs verified', 'round trips', 'requests', 'wall', 'runs', 'vs walk'],
    [walk, fast, ...(capped ? [capped] : [])].map((r) => [
      r.name,
      String(r.txs),
      String(r.verified),
      String(r.stats.roundTrips),
      String(r.stats.requests),
      fmtMs(r.ms),
      (r.runsMs ?? [r.ms]).map((ms) => (ms / 1000).toFixed(2)).join(' / ') + ' s',
      r === walk ? '1.00×' : `${ratio(r.ms, walk.ms)} (${(walk.ms / r.ms).toFixed(1)}× faster)`,
    ]),
  );
  const cap = DEFAULT_RATE_LIMIT;
  const own = isOwnServerHost(server.electrum.host);
  console.log(
    `The server is at ${server.electrum.host}, ${own ? 'on this computer: the app treats it as the user’s own server and does not cap requests per second' : 'a public address: the app caps requests per second'} ` +
      `(own: ${OWN_SERVER_RATE_LIMIT.maxInFlight} awaiting replies at most; public: ${cap.maxInFlight}). Public servers get ${cap.requestsPerSecond} requests/s after a burst of ${cap.burst}: ` +
      `a ${fast.stats.requests}-request first sync cannot take less than ` +
      `${((Math.max(0, fast.stats.requests - cap.burst) / cap.requestsPerSecond) * 1000).toFixed(0)} ms under that cap, ` +
      'which the last row shows.',
  );
}

/** `npx tsx bench/onchain-latency.ts`: this figure alone. */
async function main(): Promise<void> {
  const server = await startLatencyServer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-bench-latency-'));
  try {
    const { walk, fast, capped } = await firstSyncMedians(server, dir);
    printLatencyRuns(server, walk, fast, capped);
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
