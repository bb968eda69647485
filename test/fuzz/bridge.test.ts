import fs from 'node:fs';
import nodePath from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract';
import { contract, METHOD_NAMES } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { ERROR_CODES } from '../../shared/errors';
import type { Stack } from '../stack';
import { startStack } from '../stack';
import { tempDir } from '../support/core';
import type { Harness, Pool } from './support/bridge-harness';
import { startBridgeHarness } from './support/bridge-harness';
import { checkProperty, fuzzParams, leakIn, LONG_RUN } from './support/config';
import { mutatedString } from './support/mutate';
import type { Hint, Path } from './support/zod-arbitrary';
import { arbitraryFromSchema, hostileValue, mutatedInput } from './support/zod-arbitrary';

/**
 * Every bridge method, called through the real dispatcher of a real core against the regtest
 * stack, with inputs generated from its zod schema (using real ids and payloads from the pool)
 * and mutated around it. Each answer must be a value the contract's output schema accepts or a
 * typed error with a known code (never INTERNAL: that is an untyped throw caught at the edge),
 * with no stack trace or source path in it; nothing may reject unhandled; the core keeps
 * answering; Object.prototype stays clean.
 */

/**
 * Methods left out of random calls, with the reason. Empty today: `send.confirm` spends real
 * regtest coins of the stack and `nostr.verifyNip05` looks up random domains, which fail fast
 * offline; both are fuzzed like the rest.
 */
const EXCLUDED: Partial<Record<MethodName, string>> = {};

/** Long runs (`npm run fuzz`): each bridge run is a real round trip plus a restore, so a fraction of FUZZ_RUNS. */
const LONG_SCALE = 0.025;
const SHORT_RUNS = 6;

const pick = <T>(list: () => readonly T[], fallback: T) =>
  fc.nat().map((i) => {
    const l = list();
    return l.length === 0 ? fallback : (l[i % l.length] as T);
  });

const LIST_FIELDS = new Set(['outpoints', 'coins', 'to', 'pubkeys']);

/** Pool values (and mutations of them) for the fields whose names say what they hold. */
function poolHint(pool: Pool, password: () => string): Hint {
  const mutated = (list: () => readonly string[], alphabet = '') =>
    fc.oneof(
      { arbitrary: pick(list, 'none'), weight: 3 },
      { arbitrary: mutatedString(() => (list().length ? list() : ['none']), alphabet), weight: 1 },
    );
  const byName: Record<string, () => fc.Arbitrary<unknown>> = {
    walletId: () => pick(() => pool.walletIds, 'none'),
    seedWalletId: () => pick(() => pool.walletIds, 'none'),
    draftId: () => pick(() => [...pool.draftIds, ...pool.mnemonicDraftIds], 'none'),
    txid: () => pick(() => pool.txids, '0'.repeat(64)),
    address: () => mutated(() => pool.addresses, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'),
    outpoints: () => pick(() => pool.outpoints, 'none'),
    coins: () => pick(() => pool.outpoints, 'none'),
    data: () =>
      mutated(() => pool.psbtTexts, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
    key: () => mutated(() => pool.keys),
    jsonl: () => mutated(() => pool.jsonl, '{}":,'),
    pubkey: () => mutated(() => pool.pubkeys),
    to: () => pick(() => pool.pubkeys, 'none'),
    pubkeys: () => pick(() => pool.pubkeys.filter((p) => /^[0-9a-f]{64}$/.test(p)), '0'.repeat(64)),
    channelId: () => pick(() => pool.channelIds, '0'.repeat(64)),
    replyTo: () => pick(() => pool.channelIds, '0'.repeat(64)),
    ref: () => mutated(() => [...pool.channelRefs, ...pool.outpoints, ...pool.addresses, ...pool.txids]),
    conversationId: () => pick(() => pool.conversationIds, '0'.repeat(64)),
    deviceId: () => pick(() => pool.deviceIds, 'none'),
    signature: () => mutated(() => pool.signatures),
    message: () => pick(() => pool.messages, 'hello'),
    url: () => pick(() => pool.relays, 'ws://127.0.0.1:9'),
    relay: () => pick(() => pool.relays, 'ws://127.0.0.1:9'),
    nsec: () => mutated(() => pool.nsecs),
    // The merchant counter: real invoices, store, app, server and key of the stack's BTCPay.
    invoiceId: () => mutated(() => pool.invoiceIds),
    storeId: () => mutated(() => pool.storeIds),
    appId: () => mutated(() => pool.appIds),
    serverUrl: () => mutated(() => pool.serverUrls),
    apiKey: () => mutated(() => pool.apiKeys),
    pin: () => mutated(() => pool.pins, '0123456789'),
    // Amounts and fee rates a wallet with a few million sats can pay, so drafts get built.
    sats: () => fc.integer({ min: 1, max: 300_000 }),
    feeRate: () => fc.oneof(fc.integer({ min: 1, max: 60 }), fc.double({ min: 1, max: 60, noNaN: true })),
    password: () => fc.constant(null).map(() => password()),
    current: () => fc.constant(null).map(() => password()),
    vaultPassword: () => fc.constant(null).map(() => password()),
  };
  return (path: Path) => {
    const last = path[path.length - 1];
    const name = typeof last === 'number' ? path[path.length - 2] : last;
    if (typeof name !== 'string') return undefined;
    // These name lists: the pool gives their elements, never the list itself.
    if (LIST_FIELDS.has(name) && typeof last !== 'number') return undefined;
    // Recovery words: a real mnemonic, or one with a word changed.
    if (name === 'words') {
      return typeof last === 'number'
        ? undefined
        : fc.oneof(
            pick(() => pool.mnemonics, '').map((m) => (path.length === 1 ? m.split(' ') : m)),
            mutated(() => pool.mnemonics).map((m) => (path.length === 1 ? m.split(' ') : m)),
          );
    }
    return byName[name]?.();
  };
}

/** Methods whose `to` is one recipient (a string), not the list nostr.sendMessage takes. */
const ONE_RECIPIENT = new Set<MethodName>(['merchant.sendReceipt', 'merchant.sendReward']);

/** The pool's hints, with the per-method differences the field names alone cannot tell. */
function hintFor(method: MethodName, pool: Pool, base: Hint): Hint {
  if (method.startsWith('backup.')) return backupHint(base);
  if (!ONE_RECIPIENT.has(method)) return base;
  return (path, schema) =>
    path.length === 1 && path[0] === 'to' ? pick(() => pool.pubkeys, 'none') : base(path, schema);
}

/**
 * Backups write and read files: their folders and files stay inside the harness's data folder
 * (its default backup folder, its files, or a folder that is not there), because the fuzzer may run
 * as a user who can write anywhere.
 */
function backupHint(base: Hint): Hint {
  const folder = () => nodePath.join(dataDir, 'backups', 'default');
  return (p, schema) => {
    if (p.length === 1 && p[0] === 'folder') {
      return fc.oneof(
        fc.constant(null).map(folder),
        fc.constant(null).map(() => nodePath.join(dataDir, 'no-such-folder')),
      );
    }
    if (p.length === 1 && p[0] === 'path') {
      return fc.nat().map((i) => {
        const files = fs.existsSync(folder()) ? fs.readdirSync(folder()) : [];
        return files.length === 0
          ? nodePath.join(folder(), 'missing.flashbak')
          : nodePath.join(folder(), files[i % files.length]!);
      });
    }
    return base(p, schema);
  };
}

function inputFor(method: MethodName, hint: Hint): fc.Arbitrary<unknown> {
  const valid = arbitraryFromSchema(contract[method].input, hint);
  return fc.oneof(
    { arbitrary: valid, weight: 6 },
    { arbitrary: mutatedInput(valid), weight: 3 },
    { arbitrary: hostileValue, weight: 1 },
  );
}

const KNOWN_CODES: readonly string[] = ERROR_CODES;

/** "CODE" or "CODE:reason" (send and coins errors name their case; bad input names the field). */
function outcomeOf(error: { code: string; details?: Record<string, unknown> }): string {
  const why = error.details?.reason ?? error.details?.field;
  return typeof why === 'string' ? `${error.code}:${why}` : error.code;
}

function describeInput(input: unknown): string {
  try {
    return (
      JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(input)
    ).slice(0, 400);
  } catch {
    // Too deep to print (String() of a nested array recurses too): fast-check's report names it.
    return fc.stringify(input).slice(0, 400);
  }
}

let stack: Stack;
let harness: Harness;
let dataDir = '';
const unhandled: unknown[] = [];
/** method -> outcome ("ok" or the error code) -> count: shows how deep the runs got. */
const outcomes = new Map<string, Map<string, number>>();
function tally(method: string, outcome: string): void {
  const m = outcomes.get(method) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  outcomes.set(method, m);
}
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  stack = await startStack();
  dataDir = tempDir('flash-fuzz-bridge-');
  harness = await startBridgeHarness(stack, dataDir);
});

afterEach(() => {
  expect(unhandled.map(String)).toEqual([]);
});

afterAll(async () => {
  if (LONG_RUN || process.env.FUZZ_STATS) {
    const lines = [...outcomes].map(([m, o]) => `${m}: ${[...o].map(([k, n]) => `${k}=${n}`).join(' ')}`);
    console.warn(`[fuzz] bridge outcomes\n${lines.join('\n')}`);
  }
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  harness?.stop();
  await stack?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('fuzz: every bridge method through the real dispatcher', () => {
  it('covers every contract method, or names why one is left out', () => {
    for (const [method, reason] of Object.entries(EXCLUDED)) {
      expect(METHOD_NAMES as readonly string[]).toContain(method);
      expect(reason.length).toBeGreaterThan(10);
    }
  });

  it.each(METHOD_NAMES.filter((m) => !(m in EXCLUDED)))(
    '%s answers typed, locked or unlocked',
    async (method) => {
      const hint = hintFor(method, harness.pool, poolHint(harness.pool, harness.password));
      await checkProperty(
        `bridge.${method}`,
        fc.asyncProperty(fc.boolean(), inputFor(method, hint), async (locked, input) => {
          await harness.setLocked(locked);
          const result: Result<unknown> = await harness.call(method, input);
          tally(method, result.ok ? 'ok' : outcomeOf(result.error));
          const where = `${method}(${describeInput(input)}) ${locked ? 'locked' : 'unlocked'}`;
          try {
            if (result.ok) {
              const parsed = contract[method].output.safeParse(result.value);
              expect(parsed.success, `${where}: answer outside the contract`).toBe(true);
            } else {
              const { code, message, details } = result.error;
              expect(KNOWN_CODES, `${where}: unknown code ${code}`).toContain(code);
              expect(typeof message, where).toBe('string');
              if (code === 'INTERNAL') {
                await new Promise((r) => setTimeout(r, 20)); // let the log line land
                throw new Error(
                  `${where}: untyped failure inside a handler: ${harness.lastHandlerFailure() ?? '?'}`,
                );
              }
              const leak = leakIn(`${message} ${JSON.stringify(details ?? {})}`);
              expect(leak, `${where}: error leaks internals: ${message}`).toBeNull();
            }
            expect(Object.keys(Object.prototype), `${where}: Object.prototype polluted`).toEqual([]);
            expect(unhandled.map(String), `${where}: unhandled rejection`).toEqual([]);
          } finally {
            await harness.restore(method, input, result);
          }
          const alive = await harness.call('app.getInfo', {});
          expect(alive.ok, `${where}: the core stopped answering`).toBe(true);
        }),
        fuzzParams(SHORT_RUNS, LONG_SCALE),
      );
    },
  );
});
