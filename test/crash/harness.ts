/**
 * Crash injection for the send journal. The regtest stack runs here, in the parent; the app runs
 * in a child process (child.ts) on one SQLite file, sending, bumping and making CPFP children as a
 * seeded user would. The child is killed with SIGKILL at random moments (a random delay, or right
 * after a journal write, or right before or after a broadcast), restarted on the same file, and
 * after every death the parent checks, from the database and the chain:
 *
 * - no two live payments of ours spend one coin (unless one replaces the other), and every
 *   transaction in the chain or mempool that spends a wallet coin is in the journal (journal first);
 * - no signed payment is lost: each is in the chain or mempool, or still pending with its coins
 *   reserved, or failed/replaced because another transaction took its coins (or its parent is gone);
 * - once the restarted app has settled (nothing pending), its balance equals what the chain says.
 *
 * Between lives the world moves on as it would while the app is closed: blocks are mined, strangers
 * pay the wallet (unconfirmed, for CPFP), and the mempool's fee floor sometimes rises above what the
 * user pays, so payments wait, are retried, and must not be forgotten.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as bitcoin from 'bitcoinjs-lib';
import type { BitcoinStack } from '../stack/bitcoin';
import { startBitcoinStack } from '../stack/bitcoin';
import type { RegtestChain } from '../stack/chain';
import { createRandom, type Random } from './random';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.ts');
const OUTSIDE = bitcoin.payments.p2wpkh({
  hash: new Uint8Array(20).fill(0x5a),
  network: bitcoin.networks.regtest,
}).address as string;
const KILL_POINTS = ['journal', 'before-send', 'after-send'] as const;

export interface CrashOptions {
  /** SIGKILLs to inflict (lives that end on their own do not count). */
  kills: number;
  seed: number;
  /** Progress lines (one per life); silent when absent. */
  log?: (line: string) => void;
}

export interface CrashReport {
  seed: number;
  kills: number;
  /** Kills by where they struck: a kill point, or a random delay. */
  byPoint: Record<string, number>;
  /** Payments the children signed and handed to the network (or the journal), by action. */
  ops: Record<string, number>;
  /** Lives that finished their user's actions before any kill. */
  cleanExits: number;
  /** Restarts whose balance was compared with the chain (the others still had payments pending). */
  balanceChecks: number;
  /** Payments the journal signed and then lost track of. */
  lost: string[];
  /** Two live payments on one coin, or a wallet coin spent by a transaction not in the journal. */
  doubled: string[];
  /** Settled balances that differ from the chain's. */
  balanceMismatches: string[];
  /** Children that failed on their own (an exception), with their last words. */
  childErrors: string[];
  payments: { signed: number; confirmed: number; failed: number; replaced: number; pending: number };
  seconds: number;
}

interface Life {
  killed: boolean;
  exitCode: number | null;
  lines: Record<string, unknown>[];
}

interface JournalRow {
  id: string;
  txid: string | null;
  state: string;
  replaces_txid: string | null;
  raw_tx: Uint8Array | null;
  error: string | null;
  kind: string;
}

/**
 * Why a payment may be failed in this world, where every transaction the app signs is valid:
 * another transaction took its coins, its parent vanished, or a fee bump evicted it.
 */
const GOOD_FAILURE =
  /spent by [0-9a-f]{64}|is gone from the chain and mempool|the fee bump [0-9a-f]{64} replaced/;

const keyOf = (txid: string, vout: number): string => `${txid}:${vout}`;
const prevTxid = (hash: Uint8Array): string => Buffer.from(hash).reverse().toString('hex');

/** Who spends each outpoint in the chain and the mempool (blocks are indexed once). */
function createSpendIndex(chain: RegtestChain) {
  const confirmed = new Map<string, string>();
  let indexedHeight = -1;
  let indexedTip = '';
  return (): Map<string, string> => {
    // A reorg would change old blocks; the harness never reorgs, but be honest about it.
    if (chain.blockAt(indexedHeight)?.hash !== indexedTip && indexedHeight >= 0) {
      confirmed.clear();
      indexedHeight = -1;
    }
    for (let h = indexedHeight + 1; h <= chain.tipHeight; h++) {
      const block = chain.blockAt(h);
      for (const tx of block?.block.transactions ?? []) {
        if (tx.isCoinbase()) continue;
        for (const input of tx.ins) confirmed.set(keyOf(prevTxid(input.hash), input.index), tx.getId());
      }
      indexedHeight = h;
      indexedTip = block?.hash ?? '';
    }
    const all = new Map(confirmed);
    for (const txid of chain.mempoolTxids()) {
      const tx = bitcoin.Transaction.fromHex(chain.transactionHex(txid) as string);
      for (const input of tx.ins) all.set(keyOf(prevTxid(input.hash), input.index), txid);
    }
    return all;
  };
}

export async function runCrashHarness(opts: CrashOptions): Promise<CrashReport> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const random = createRandom(opts.seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-crash-'));
  const dbPath = path.join(dir, 'flash.db');
  const stack = await startBitcoinStack();
  const chain = stack.chain;
  const spends = createSpendIndex(chain);
  const seen = new Set<string>();
  /** Records a finding once (by what it is about), with the life it was first seen in. */
  const find = (list: string[], about: string, where: string, text: string): void => {
    if (seen.has(about)) return;
    seen.add(about);
    list.push(`${where}: ${text}`);
  };
  const report: CrashReport = {
    seed: opts.seed,
    kills: 0,
    byPoint: {},
    ops: {},
    cleanExits: 0,
    balanceChecks: 0,
    lost: [],
    doubled: [],
    balanceMismatches: [],
    childErrors: [],
    payments: { signed: 0, confirmed: 0, failed: 0, replaced: 0, pending: 0 },
    seconds: 0,
  };
  let walletId = '';
  try {
    const setup = await live(stack, dbPath, { mode: 'setup', seed: 1 });
    walletId =
      (setup.lines.find((l) => 'setup' in l)?.['setup'] as { walletId: string } | undefined)?.walletId ?? '';
    if (!walletId) throw new Error(`setup failed: ${JSON.stringify(setup.lines)}`);
    fund(chain, dbPath, walletId, random, 6);
    chain.mine(1);

    let life = 0;
    while (report.kills < opts.kills) {
      life++;
      moveTheWorld(chain, dbPath, walletId, random);
      const plan = planKill(random);
      const result = await live(stack, dbPath, {
        mode: 'run',
        seed: random.int(2 ** 31),
        walletId,
        ...(plan.point ? { kill: plan.point } : { killAfterMs: plan.delayMs }),
        onReady: (ready) => compareBalance(ready, `life ${life}`),
      });
      if (result.killed) {
        report.kills++;
        const where = plan.point ? (plan.point.split(':')[0] ?? 'point') : 'random-delay';
        report.byPoint[where] = (report.byPoint[where] ?? 0) + 1;
      } else if (result.exitCode === 0) {
        report.cleanExits++;
      } else {
        report.childErrors.push(
          `life ${life}: exit ${result.exitCode}: ${JSON.stringify(result.lines.slice(-2))}`,
        );
      }
      const before = report.lost.length + report.doubled.length + report.balanceMismatches.length;
      checkJournal(`life ${life}`);
      const findings = [...report.lost, ...report.doubled, ...report.balanceMismatches];
      if (findings.length > before) log(`  ${findings.slice(before).join('\n  ')}`);
      for (const l of result.lines)
        if ('op' in l)
          report.ops[String(l['op'])] = (report.ops[String(l['op'])] ?? 0) + ('sent' in l ? 1 : 0);
      log(
        `life ${life}: ${result.killed ? `killed (${plan.point ?? `after ${plan.delayMs} ms`})` : `exit ${result.exitCode}`}` +
          ` · kills ${report.kills}/${opts.kills} · lost ${report.lost.length} · doubled ${report.doubled.length}`,
      );
      // Now and then, and at the end: let everything settle and compare the balance for sure.
      if (life % 25 === 0 || report.kills >= opts.kills) await settle(`settle after life ${life}`);
    }
    tally();
  } finally {
    await stack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  report.seconds = Math.round((Date.now() - started) / 1000);
  return report;

  /** The chain's view of the wallet's money: every watched script's confirmed and mempool balance. */
  function chainBalance(): number {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const hashes = db
        .prepare<[], { script_hash: string }>(`SELECT script_hash FROM wallet_addresses`)
        .all();
      return hashes.reduce((sum, { script_hash }) => {
        const b = chain.balance(script_hash);
        return sum + b.confirmed + b.unconfirmed;
      }, 0);
    } finally {
      db.close();
    }
  }

  function compareBalance(ready: Record<string, unknown>, where: string): void {
    const r = ready as {
      pending: number;
      balance: { confirmed: number; confirming: number; unconfirmed: number };
    };
    if (r.pending > 0) return; // not settled: a payment still waits for the network
    report.balanceChecks++;
    const app = r.balance.confirmed + r.balance.confirming + r.balance.unconfirmed;
    const onChain = chainBalance();
    if (app !== onChain) report.balanceMismatches.push(`${where}: app ${app} sats, chain ${onChain} sats`);
  }

  async function settle(where: string): Promise<void> {
    chain.mempoolMinFeeRate = 1;
    const result = await live(stack, dbPath, {
      mode: 'run',
      seed: 1,
      walletId,
      ops: 0,
      onReady: (ready) => {
        if ((ready as { pending: number }).pending > 0)
          report.balanceMismatches.push(`${where}: still pending`);
        compareBalance(ready, where);
      },
    });
    if (result.exitCode !== 0) report.childErrors.push(`${where}: exit ${result.exitCode}`);
    checkJournal(where, true);
  }

  /** `settled`: the app just recovered with nothing in its way, so a dropped payment was re-sent. */
  function checkJournal(where: string, settled = false): void {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare<[], JournalRow>(
          `SELECT id, txid, state, kind, replaces_txid, raw_tx, error FROM send_payments WHERE raw_tx IS NOT NULL`,
        )
        .all();
      const inputs = db
        .prepare<[], { payment_id: string; prev_txid: string; prev_vout: number }>(
          `SELECT payment_id, prev_txid, prev_vout FROM send_payment_inputs`,
        )
        .all();
      const walletOutputs = new Set(
        db
          .prepare<[], { txid: string; vout: number }>(`SELECT txid, vout FROM wallet_tx_outputs`)
          .all()
          .map((o) => keyOf(o.txid, o.vout)),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const journalTxids = new Set(rows.map((r) => r.txid));
      const inputsOf = new Map<string, string[]>();
      for (const i of inputs) {
        if (!byId.has(i.payment_id)) continue;
        inputsOf.set(i.payment_id, [...(inputsOf.get(i.payment_id) ?? []), keyOf(i.prev_txid, i.prev_vout)]);
      }
      const spent = spends();

      // Replacement families: a bump and what it replaces may share coins.
      const family = new Map<string, string>();
      const root = (txid: string): string => {
        let t = txid;
        while (family.has(t) && family.get(t) !== t) t = family.get(t) as string;
        return t;
      };
      for (const r of rows) if (r.txid && r.replaces_txid) family.set(r.txid, root(r.replaces_txid));

      const live = rows.filter((r) => ['signed', 'broadcasting', 'broadcast', 'confirmed'].includes(r.state));
      const holders = new Map<string, JournalRow[]>();
      for (const r of live)
        for (const k of inputsOf.get(r.id) ?? []) holders.set(k, [...(holders.get(k) ?? []), r]);
      for (const [coin, rs] of holders) {
        const families = new Set(rs.map((r) => root(r.txid as string)));
        if (families.size > 1) {
          const holdersText = rs.map((r) => `${r.id}(${r.state})`).join(', ');
          find(report.doubled, `coin ${coin}`, where, `coin ${coin} held by ${holdersText}`);
        }
      }
      // Journal first: every spend of a wallet coin in the chain or mempool is a journaled payment.
      for (const [coin, txid] of spent) {
        if (walletOutputs.has(coin) && !journalTxids.has(txid)) {
          find(report.doubled, `spend ${coin}`, where, `wallet coin ${coin} spent by ${txid}, not journaled`);
        }
      }

      for (const r of rows) {
        const txid = r.txid as string;
        // Given up before even trying, because the payment it replaces holds its coins: a lost bump.
        const replacedHolds =
          r.replaces_txid !== null &&
          (r.error ?? '').startsWith('its coin') &&
          r.error?.endsWith(r.replaces_txid);
        if (r.state === 'failed' && (!GOOD_FAILURE.test(r.error ?? '') || replacedHolds)) {
          find(report.lost, r.id, where, `payment ${r.id} ${txid} given up for a passing reason: ${r.error}`);
          continue;
        }
        if (chain.transactionHeight(txid) !== null) continue; // in the chain or the mempool
        if (r.state === 'signed' || r.state === 'broadcasting') continue; // pending, coins reserved
        // Still live (coins reserved): a mempool may drop a transaction, and the app sends it again.
        if (r.state === 'broadcast' && !settled) continue;
        const coins = inputsOf.get(r.id) ?? [];
        const takenElsewhere = coins.some((k) => {
          const by = spent.get(k);
          return by !== undefined && by !== txid;
        });
        const parentGone = coins.some((k) => chain.transactionHeight(k.split(':')[0] as string) === null);
        if (takenElsewhere || parentGone) continue; // replaced, or correctly failed
        find(
          report.lost,
          r.id,
          where,
          `payment ${r.id} (${r.state}, ${r.kind}, "${r.error ?? ''}") ${txid} is nowhere and its coins ` +
            `${coins.map((k) => `${k} (parent at ${chain.transactionHeight(k.split(':')[0] as string)})`).join(', ')} are free`,
        );
      }
    } finally {
      db.close();
    }
  }

  function tally(): void {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const count = (sql: string) => db.prepare<[], { n: number }>(sql).get()?.n ?? 0;
      report.payments = {
        signed: count(`SELECT COUNT(*) AS n FROM send_payments WHERE raw_tx IS NOT NULL`),
        confirmed: count(`SELECT COUNT(*) AS n FROM send_payments WHERE state = 'confirmed'`),
        failed: count(`SELECT COUNT(*) AS n FROM send_payments WHERE state = 'failed'`),
        replaced: count(`SELECT COUNT(*) AS n FROM send_payments WHERE state = 'replaced'`),
        pending: count(`SELECT COUNT(*) AS n FROM send_payments WHERE state IN ('signed', 'broadcasting')`),
      };
    } finally {
      db.close();
    }
  }
}

function planKill(random: Random): { point?: string; delayMs: number } {
  if (random.next() < 0.6) {
    return { point: `${random.pick(KILL_POINTS)}:${1 + random.int(3)}`, delayMs: 0 };
  }
  return { delayMs: 300 + random.int(2700) };
}

/** Between two lives: blocks, strangers' deposits, a fee floor that comes and goes, fresh funds. */
function moveTheWorld(chain: RegtestChain, dbPath: string, walletId: string, random: Random): void {
  // The stack pays 2 sat/vB itself: deposits go in before the floor may rise for the next life.
  chain.mempoolMinFeeRate = 1;
  if (random.next() < 0.3) chain.mine(1);
  // A stranger's unconfirmed payment: something to make a CPFP child for.
  if (random.next() < 0.5) {
    const receive = receiveAddresses(dbPath, walletId);
    if (receive.length > 0) chain.send(random.pick(receive), 20_000 + random.int(60_000));
  }
  if (spendable(chain, dbPath) < 300_000) {
    fund(chain, dbPath, walletId, random, 4);
    chain.mine(1);
  }
  chain.mempoolMinFeeRate = random.next() < 0.25 ? 6 : 1;
}

function receiveAddresses(dbPath: string, walletId: string): string[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[string], { address: string }>(
        `SELECT address FROM wallet_addresses WHERE wallet_id = ? AND chain = 0`,
      )
      .all(walletId)
      .map((r) => r.address);
  } finally {
    db.close();
  }
}

function spendable(chain: RegtestChain, dbPath: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[], { script_hash: string }>(`SELECT script_hash FROM wallet_addresses`)
      .all()
      .reduce((s, r) => s + chain.balance(r.script_hash).confirmed, 0);
  } finally {
    db.close();
  }
}

function fund(chain: RegtestChain, dbPath: string, walletId: string, random: Random, coins: number): void {
  const receive = receiveAddresses(dbPath, walletId);
  for (let i = 0; i < coins; i++) chain.send(random.pick(receive), 100_000 + random.int(200_000));
}

/** Runs one life of the app; resolves when the child is gone (exited or killed). */
function live(
  stack: BitcoinStack,
  dbPath: string,
  opts: {
    mode: 'setup' | 'run';
    seed: number;
    walletId?: string;
    kill?: string;
    killAfterMs?: number;
    ops?: number;
    onReady?: (ready: Record<string, unknown>) => void;
  },
): Promise<Life> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      FLASH_CRASH_DB: dbPath,
      FLASH_CRASH_ELECTRUM: `${stack.electrum.host}:${stack.electrum.port}`,
      FLASH_CRASH_MODE: opts.mode,
      FLASH_CRASH_SEED: String(opts.seed),
      FLASH_CRASH_OUTSIDE: OUTSIDE,
      FLASH_CRASH_WALLET: opts.walletId ?? '',
      FLASH_CRASH_KILL: opts.kill ?? '',
      ...(opts.ops !== undefined ? { FLASH_CRASH_OPS: String(opts.ops) } : {}),
    },
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const timer =
    opts.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : null;
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    if ('ready' in line) {
      // The child waits for "go": the chain is compared while nothing moves.
      opts.onReady?.(line['ready'] as Record<string, unknown>);
      child.stdin.write('go\n');
    }
  });
  child.stdin.on('error', () => {}); // the child may be dead before it reads "go"
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0 && stderr) lines.push({ stderr });
      resolve({ killed: signal === 'SIGKILL', exitCode: code, lines });
    });
  });
}
