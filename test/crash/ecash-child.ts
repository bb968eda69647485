/**
 * One life of the eCash wallet for the crash harness (ecash-harness.ts): opens the same SQLite
 * file, lets the service recover every open operation, reports, then plays a seeded user who
 * mints, sends, claims its own tokens, melts, moves between the two mints and reclaims, until killed.
 *
 * Kill points (FLASH_CRASH_KILL "<point>:<n>"): journal (right after an eCash table write
 * commits), before-send (right before a request leaves for a mint), after-send (right after a
 * mint answered, before the wallet reads it).
 */
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createEcashService } from '../../main/ecash/service';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import { killSwitch } from './life';
import { createRandom } from './random';

const say = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const env = (n: string): string => process.env[n] ?? '';

function watchWrites(db: Db, hit: (at: string) => void): Db {
  const touches = (sql: string): boolean => /ecash_/i.test(sql) && !/^\s*select/i.test(sql);
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare')
        return (sql: string) => {
          const stmt = target.prepare(sql);
          if (!touches(sql)) return stmt;
          return new Proxy(stmt, {
            get(s, p) {
              if (p === 'run' || p === 'get') {
                return (...args: unknown[]) => {
                  const r = (Reflect.get(s, p, s) as (...a: unknown[]) => unknown).apply(s, args);
                  if (!target.inTransaction) hit('journal');
                  return r;
                };
              }
              const v: unknown = Reflect.get(s, p, s);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
            },
          });
        };
      if (prop === 'transaction')
        return (fn: (...a: unknown[]) => unknown) => {
          const tx = target.transaction(fn);
          const wrap =
            (run: (...a: unknown[]) => unknown) =>
            (...args: unknown[]) => {
              const r = run(...args);
              if (!target.inTransaction) hit('journal');
              return r;
            };
          return Object.assign(wrap(tx), { immediate: wrap(tx.immediate), deferred: wrap(tx.deferred) });
        };
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function main(): Promise<void> {
  process.stdin.on('end', () => process.exit(3));
  process.stdin.resume();
  const hit = killSwitch(env('FLASH_CRASH_KILL'));
  const mintUrls = env('FLASH_CRASH_MINTS').split(',');
  const control = env('FLASH_CRASH_CONTROL');
  const random = createRandom(Number(env('FLASH_CRASH_SEED') || '1'));
  // Every request to a mint passes the kill switch before it leaves and after the answer.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const toMint = mintUrls.some((m) => url.startsWith(m));
    if (toMint) hit('before-send');
    const res = await realFetch(input, init);
    if (toMint) hit('after-send');
    return res;
  };
  const raw = openDatabase(env('FLASH_CRASH_DB'));
  const db = watchWrites(raw, hit);
  const bus = createEventBus();
  const vault = createVaultService({ db: raw, bus, log: silentLogger, kdf: { N: 2 ** 10, r: 8, p: 1 } });
  vault.start();
  if (vault.status().state === 'uninitialized') await vault.setup('crash harness password');
  else await vault.unlock('crash harness password');
  const ecash = createEcashService({
    db,
    vault,
    bus,
    log: silentLogger,
    network: () => 'regtest',
    words: () => ({ mnemonic: env('FLASH_CRASH_WORDS'), passphrase: '' }),
    lightning: {
      pay: async ({ text }) => {
        const r = await realFetch(`${control}/lightning/pay`, {
          method: 'POST',
          body: JSON.stringify({ node: 'stack', invoice: text }),
        });
        return { state: r.ok ? 'succeeded' : 'failed' };
      },
    },
    recheckEveryMs: 3_600_000,
  });
  for (const url of mintUrls) if (!ecash.listMints().some((m) => m.url === url)) await ecash.addMint(url);
  // Recovery twice: a leg finished in the first pass may let its parent finish in the second.
  await ecash.recover();
  await ecash.recover();
  // Only operations with proofs in flight at a mint keep the check off. An unpaid mint quote holds
  // no money; a pending (unclaimed) token's proofs are reserved here and UNSPENT at the mint, which
  // is exactly what the check counts as held, so it must not keep the check off (it did: one
  // unclaimed token left every later life unchecked).
  const atStake = ecash
    .openOperations()
    .filter(
      (o) => !(o.kind === 'mint' && o.state === 'unpaid') && !(o.kind === 'send' && o.state === 'pending'),
    );
  say({ ready: { open: atStake.length } });
  await new Promise<void>((r) => process.stdin.once('data', () => r()));

  const ops = Number(env('FLASH_CRASH_OPS') || String(1 + random.int(4)));
  const invoice = async (sats: number): Promise<string> => {
    const r = await realFetch(`${control}/lightning/invoice`, {
      method: 'POST',
      body: JSON.stringify({ node: 'stack', sats, description: 'crash' }),
    });
    return ((await r.json()) as { bolt11: string }).bolt11;
  };
  for (let i = 0; i < ops; i++) {
    const [from, to] = random.next() < 0.5 ? [mintUrls[0]!, mintUrls[1]!] : [mintUrls[1]!, mintUrls[0]!];
    const op = random.pick(['mint', 'mint', 'send', 'send-claim', 'melt', 'move', 'reclaim'] as const);
    try {
      if (op === 'mint') {
        const q = await ecash.mintQuote({ mintUrl: from, unit: 'sat', amount: 200 + random.int(3000) });
        await ecash.payMintQuote(q.id);
      } else if (op === 'send' || op === 'send-claim') {
        const s = await ecash.send({ mintUrl: from, unit: 'sat', amount: 10 + random.int(400) });
        if (op === 'send-claim') await ecash.receive(s.token);
      } else if (op === 'melt') {
        const p = await ecash.prepareMelt({
          text: await invoice(20 + random.int(300)),
          unit: 'sat',
          mintUrl: from,
        });
        await ecash.confirmMelt(p.prepareId);
      } else if (op === 'move') {
        const p = await ecash.prepareMove({ from, to, unit: 'sat', amount: 20 + random.int(300) });
        await ecash.confirmMelt(p.prepareId);
      } else {
        const pending = ecash
          .listOperations(50, 0)
          .items.filter((o) => o.kind === 'send' && o.state === 'pending');
        if (pending.length > 0) await ecash.reclaim(random.pick(pending).id);
      }
      say({ op, ok: true });
    } catch (err) {
      say({ op, refused: (err as { code?: string }).code ?? String(err) });
    }
  }
  say({ done: true });
  await ecash.stop();
  process.exit(0);
}

main().catch((err: unknown) => {
  say({ error: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  process.exit(2);
});
