/**
 * Crash injection for the eCash journal. The two stand-in mints and the Lightning ledger run here;
 * the wallet runs in a child (ecash-child.ts) on one SQLite file, SIGKILLed at random moments
 * (right after a journal write, right before or after a request to a mint, or after a random
 * delay) and restarted. Whenever a restarted wallet has settled (no open operation), the parent
 * checks against the mints themselves:
 * - no proof lost: every proof the mints signed for the wallet's seed (found by a NUT-09 restore
 *   over every keyset, gap 300) that NUT-07 calls UNSPENT is in the wallet, unspent or reserved;
 * - none double-counted: every proof the wallet counts is UNSPENT at its mint, and none twice;
 * - so each balance (per mint) equals what the mint's NUT-07 answer says the seed holds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { mnemonicToSeedSync } from '@scure/bip39';
import { Mint, Wallet } from '@cashu/cashu-ts';
import { startControlApi } from '../stack/control-api';
import { startCashuStack } from '../stack/cashu';
import { LightningLedger } from '../stack/lightning/ledger';
import { ledgerRoutes } from '../stack/lightning/routes';
import { runLife } from './life';
import { createRandom } from './random';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ecash-child.ts');
const WORDS = 'half depart obvious quality work element tank gorilla view sugar picture humble';
const KILL_POINTS = ['journal', 'before-send', 'after-send'] as const;

export interface EcashCrashReport {
  seed: number;
  kills: number;
  byPoint: Record<string, number>;
  ops: Record<string, number>;
  cleanExits: number;
  balanceChecks: number;
  lost: string[];
  doubled: string[];
  balanceMismatches: string[];
  childErrors: string[];
  seconds: number;
}

export async function runEcashCrashHarness(opts: {
  kills: number;
  seed: number;
  log?: (line: string) => void;
}): Promise<EcashCrashReport> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const random = createRandom(opts.seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-ecash-crash-'));
  const dbPath = path.join(dir, 'flash.db');
  const ledger = new LightningLedger();
  ledger.createNode('stack', { balanceMsat: 1_000_000_000_000n });
  const cashu = await startCashuStack(ledger);
  const control = await startControlApi({ routes: ledgerRoutes(ledger) });
  const mintUrls = cashu.mints.map((m) => m.url);
  const report: EcashCrashReport = {
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
    seconds: 0,
  };
  const seedBytes = mnemonicToSeedSync(WORDS);
  const life = (kill: string | null, killAfterMs: number | undefined, ops: number | null, where: string) =>
    runLife({
      script: CHILD,
      env: {
        FLASH_CRASH_DB: dbPath,
        FLASH_CRASH_MINTS: mintUrls.join(','),
        FLASH_CRASH_CONTROL: control.url,
        FLASH_CRASH_WORDS: WORDS,
        FLASH_CRASH_SEED: String(random.int(2 ** 31)),
        FLASH_CRASH_KILL: kill ?? '',
        ...(ops !== null ? { FLASH_CRASH_OPS: String(ops) } : {}),
      },
      ...(killAfterMs !== undefined ? { killAfterMs } : {}),
      onReady: async (ready) => {
        if ((ready['open'] as number) > 0) return;
        await compare(where);
      },
    });
  try {
    let n = 0;
    while (report.kills < opts.kills) {
      n++;
      const byPoint = random.next() < 0.65;
      const kill = byPoint ? `${random.pick(KILL_POINTS)}:${1 + random.int(12)}` : null;
      const delay = byPoint ? undefined : 50 + random.int(1500);
      const result = await life(kill, delay, null, `life ${n}`);
      for (const l of result.lines)
        if ('op' in l) report.ops[String(l['op'])] = (report.ops[String(l['op'])] ?? 0) + 1;
      if (result.killed) {
        report.kills++;
        const at = kill ? (kill.split(':')[0] as string) : 'random-delay';
        report.byPoint[at] = (report.byPoint[at] ?? 0) + 1;
      } else if (result.exitCode === 0) report.cleanExits++;
      else
        report.childErrors.push(
          `life ${n}: exit ${result.exitCode}: ${JSON.stringify(result.lines.slice(-2)).slice(0, 600)}`,
        );
      log(
        `life ${n}: ${result.killed ? `killed (${kill ?? `after ${delay} ms`})` : `exit ${result.exitCode}`} · kills ${report.kills}/${opts.kills} · lost ${report.lost.length} · doubled ${report.doubled.length} · mismatches ${report.balanceMismatches.length}`,
      );
      if (n % 20 === 0 || report.kills >= opts.kills) {
        // Let the wallet settle with nothing in its way, then compare for sure.
        const settle = await life(null, undefined, 0, `settle after life ${n}`);
        if (settle.exitCode !== 0) report.childErrors.push(`settle after life ${n}: exit ${settle.exitCode}`);
      }
    }
  } finally {
    await control.close();
    await cashu.stop();
    ledger.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  report.seconds = Math.round((Date.now() - started) / 1000);
  return report;

  /** The wallet's book against the mints' (NUT-09 over the seed, then NUT-07). */
  async function compare(where: string): Promise<void> {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    let rows: { y: string; mint_url: string; amount: number; state: string }[];
    let opsText: string;
    try {
      rows = db.prepare(`SELECT y, mint_url, amount, state FROM ecash_proofs`).all() as typeof rows;
      opsText = (
        db
          .prepare(
            `SELECT kind, state, amount, error, attempts FROM ecash_ops ORDER BY created_at DESC LIMIT 6`,
          )
          .all() as {
          kind: string;
          state: string;
          amount: number;
          error: string | null;
          attempts: number;
        }[]
      )
        .map(
          (o) => `${o.kind}/${o.state}/${o.amount}/${o.attempts}${o.error ? `/${o.error.slice(0, 60)}` : ''}`,
        )
        .join(', ');
    } finally {
      db.close();
    }
    report.balanceChecks++;
    for (const url of mintUrls) {
      const wallet = new Wallet(new Mint(url), { unit: 'sat', bip39seed: seedBytes });
      await wallet.loadMint();
      const atMint = new Map<string, number>();
      for (const ks of wallet.keyChain.cache.keysets.filter((k) => k.unit === 'sat')) {
        await wallet.ensureOperableKeysets([ks.id]);
        const { proofs } = await wallet.batchRestore(300, 100, 0, ks.id);
        if (proofs.length === 0) continue;
        const states = await wallet.checkProofsStates(proofs);
        proofs.forEach((p, i) => {
          if (states[i]?.state === 'UNSPENT') atMint.set(states[i]!.Y, p.amount.toNumber());
        });
      }
      const held = rows.filter((r) => r.mint_url === url && r.state !== 'spent');
      const heldYs = new Set(held.map((r) => r.y));
      for (const [y, amount] of atMint)
        if (!heldYs.has(y))
          report.lost.push(
            `${where}: ${url} proof ${y.slice(0, 16)}… (${amount}) unspent at the mint, not in the wallet`,
          );
      for (const r of held)
        if (!atMint.has(r.y))
          report.doubled.push(
            `${where}: ${url} proof ${r.y.slice(0, 16)}… (${r.amount}, ${r.state}) counted but not unspent at the mint`,
          );
      const ours = held.reduce((s, r) => s + r.amount, 0);
      const theirs = [...atMint.values()].reduce((s, a) => s + a, 0);
      if (ours !== theirs)
        report.balanceMismatches.push(
          `${where}: ${url} wallet ${ours}, mint ${theirs}; latest ops: ${opsText}`,
        );
    }
  }
}
