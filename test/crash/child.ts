/**
 * One life of the app for the crash harness (harness.ts): opens the install on the same SQLite
 * file against the parent's regtest stack, lets the send service recover, reports what it sees,
 * then plays a seeded user who sends, bumps and makes CPFP children, until it is killed.
 *
 * Kill points (FLASH_CRASH_KILL, "<point>:<n>"): the process SIGKILLs itself at the n-th
 *   journal      ... right after a journal write of the send service commits;
 *   before-send  ... right before a broadcast request leaves;
 *   after-send   ... right after the server answered a broadcast, before the app sees the answer.
 * Without one, the parent kills it after a random delay. Lines on stdout are JSON.
 */
import { isFlashError } from '../../shared/errors';
import { createChainService } from '../../main/bitcoin/chain/service';
import type { ElectrumClient, ElectrumService, JsonValue } from '../../main/bitcoin/electrum/types';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import { createSendService } from '../../main/bitcoin/send/service';
import { createWalletService } from '../../main/bitcoin/wallet/service';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createSettingsService } from '../../main/core/settings';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import { createRandom } from './random';

const PASSWORD = 'crash harness password';
const KDF = { N: 2 ** 10, r: 8, p: 1 };

type Point = 'journal' | 'before-send' | 'after-send';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};

function say(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Counts the kill point's hits; SIGKILLs this process at the chosen one. */
function killSwitch(spec: string | undefined) {
  const [point, nth] = (spec ?? '').split(':');
  const target = Number(nth);
  let hits = 0;
  return (at: Point): void => {
    if (at !== point) return;
    hits++;
    if (hits === target) process.kill(process.pid, 'SIGKILL');
  };
}

/** The send service's database: after each committed journal write, the kill switch is asked. */
function journalWatch(db: Db, hit: (at: Point) => void): Db {
  const touchesJournal = (sql: string): boolean => /send_payment/i.test(sql) && !/^\s*select/i.test(sql);
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') {
        return (sql: string) => {
          const stmt = target.prepare(sql);
          if (!touchesJournal(sql)) return stmt;
          return new Proxy(stmt, {
            get(s, p) {
              if (p === 'run') {
                return (...args: unknown[]) => {
                  const result = (s.run as (...a: unknown[]) => unknown)(...args);
                  if (!target.inTransaction) hit('journal');
                  return result;
                };
              }
              const v: unknown = Reflect.get(s, p, s);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
            },
          });
        };
      }
      if (prop === 'transaction') {
        return (fn: (...a: unknown[]) => unknown) => {
          const tx = target.transaction(fn);
          return (...args: unknown[]) => {
            const result = tx(...args);
            if (!target.inTransaction) hit('journal');
            return result;
          };
        };
      }
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** The send service's Electrum connection, with the kill switch around every broadcast. */
function broadcastWatch(inner: ElectrumService, hit: (at: Point) => void): ElectrumService {
  return {
    ...inner,
    client(): ElectrumClient {
      const client = inner.client();
      return new Proxy(client, {
        get(target, prop) {
          if (prop === 'request') {
            return async (method: string, params: JsonValue[]) => {
              const broadcast = method.startsWith('blockchain.transaction.broadcast');
              if (broadcast) hit('before-send');
              try {
                return await target.request(method, params);
              } finally {
                if (broadcast) hit('after-send');
              }
            };
          }
          const v: unknown = Reflect.get(target, prop, target);
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    },
  };
}

async function main(): Promise<void> {
  // The parent holds our stdin: when it goes away, so do we (no orphan left reconnecting forever).
  process.stdin.on('end', () => process.exit(3));
  process.stdin.resume();
  const dbPath = env('FLASH_CRASH_DB');
  const [host = '127.0.0.1', port = '0'] = env('FLASH_CRASH_ELECTRUM').split(':');
  const mode = env('FLASH_CRASH_MODE') as 'setup' | 'run';
  const random = createRandom(Number(process.env['FLASH_CRASH_SEED'] ?? '1'));
  const hit = killSwitch(process.env['FLASH_CRASH_KILL']);
  const outside = process.env['FLASH_CRASH_OUTSIDE'] ?? '';

  const db = openDatabase(dbPath);
  const bus = createEventBus();
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: KDF });
  vault.start();
  if (vault.status().state === 'uninitialized') await vault.setup(PASSWORD);
  else await vault.unlock(PASSWORD);
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: 'regtest',
    electrumOverride: { host, port: Number(port), transport: 'tcp' },
  });
  const electrum = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: settings.electrumServer('regtest'),
    backoff: { baseMs: 50, maxMs: 200 },
  });
  const chain = createChainService({ db, electrum, bus, log: silentLogger, network: () => 'regtest' });
  const wallet = createWalletService({
    db,
    vault,
    electrum,
    bus,
    settings,
    log: silentLogger,
    verifier: chain,
  });
  const send = createSendService({
    db: journalWatch(db, hit),
    vault,
    electrum: broadcastWatch(electrum, hit),
    bus,
    log: silentLogger,
    retry: { baseMs: 200, maxMs: 1000 },
  });
  electrum.start();
  chain.start();
  wallet.start();

  if (mode === 'setup') {
    const draft = wallet.createDraft(12);
    const checks = draft.confirmIndexes.map((index) => ({ index, word: draft.words[index] ?? '' }));
    const id = wallet.confirmDraft({
      draftId: draft.draftId,
      checks,
      name: 'Crash',
      passphrase: '',
      network: 'regtest',
    }).id;
    await until(() => wallet.overview(id).sync.phase === 'synced');
    say({ setup: { walletId: id } });
    process.exit(0);
  }

  const walletId = env('FLASH_CRASH_WALLET');
  // Start the send service (its recovery pass) only once the wallet has caught up, as at a real start.
  await until(() => electrumReady(electrum));
  await wallet.idle();
  send.start();
  await send.recover();
  await wallet.idle();
  const pendingLeft = send.pending(walletId).length;
  const balance = wallet.overview(walletId).balance;
  say({ ready: { pending: pendingLeft, balance } });
  // The parent compares the balance with the chain while nothing moves, then says "go".
  await goSignal();

  const fixedOps = process.env['FLASH_CRASH_OPS'];
  const ops = fixedOps !== undefined && fixedOps !== '' ? Number(fixedOps) : 1 + random.int(3);
  for (let i = 0; i < ops; i++) {
    const op = random.pick(['send', 'send', 'self', 'bump', 'bump', 'cpfp', 'cpfp'] as const);
    try {
      const result = await play(op);
      say({ op, ...result });
    } catch (err) {
      say({ op, refused: isFlashError(err) ? String(err.details?.['reason'] ?? err.code) : String(err) });
    }
    await wallet.idle();
  }
  say({ done: true });
  send.stop();
  process.exit(0);

  async function play(op: 'send' | 'self' | 'bump' | 'cpfp'): Promise<Record<string, unknown>> {
    const rate = 1 + random.int(4);
    if (op === 'send' || op === 'self') {
      const to = op === 'send' ? outside : wallet.overview(walletId).receive.address;
      const draft = send.prepare({
        walletId,
        outputs: [{ address: to, sats: 5_000 + random.int(40_000) }],
        feeRate: rate,
      });
      return { sent: await send.signAndBroadcast(draft.draftId) };
    }
    if (op === 'bump') {
      const open = db
        .prepare<[string], { txid: string; fee_rate_sat_per_kvb: number }>(
          `SELECT txid, fee_rate_sat_per_kvb FROM send_payments
           WHERE wallet_id = ? AND state = 'broadcast' AND kind != 'cpfp' ORDER BY created_at DESC LIMIT 3`,
        )
        .all(walletId);
      const target = open.length > 0 ? random.pick(open) : null;
      if (!target) return { skipped: 'nothing to bump' };
      const draft = send.bumpFee({
        walletId,
        txid: target.txid,
        feeRate: Math.ceil(target.fee_rate_sat_per_kvb / 1000) + 2 + random.int(5),
      });
      return { bumped: target.txid, sent: await send.signAndBroadcast(draft.draftId) };
    }
    const incoming = wallet
      .activity(walletId, 50, 0)
      .items.filter((t) => t.direction === 'in' && t.height <= 0);
    const parent = incoming.length > 0 ? random.pick(incoming) : null;
    if (!parent) return { skipped: 'no stuck deposit' };
    const draft = await send.cpfp({ walletId, txid: parent.txid, feeRate: 10 + random.int(10) });
    return { child: parent.txid, sent: await send.signAndBroadcast(draft.draftId) };
  }
}

function goSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once('data', () => resolve());
  });
}

function electrumReady(electrum: ElectrumService): boolean {
  try {
    electrum.client();
    return true;
  } catch {
    return false;
  }
}

async function until(fn: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

main().catch((err: unknown) => {
  say({ error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  process.exit(2);
});
