/**
 * The services an integration test builds against the local regtest stack (test/stack), wired the
 * way main/core/container.ts wires them but without the bridge, so a test can reach each service,
 * restart it on the same database, or hand it a doctored Electrum connection.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { ElectrumServer, EventName, EventPayload } from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { EventBus } from '../../main/core/event-bus';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import { createSettingsService } from '../../main/core/settings';
import type { BackoffPolicy } from '../../main/bitcoin/electrum';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumService } from '../../main/bitcoin/electrum/types';
import type { ChainService } from '../../main/bitcoin/chain/service';
import { createChainService } from '../../main/bitcoin/chain/service';
import type { CoinsService } from '../../main/bitcoin/coins/service';
import { createCoinsService } from '../../main/bitcoin/coins/service';
import type { SendService } from '../../main/bitcoin/send/service';
import { createSendService } from '../../main/bitcoin/send/service';
import { createWalletService } from '../../main/bitcoin/wallet/service';
import type { WalletService } from '../../main/bitcoin/wallet/types';
import { nsecEncode } from '../../main/nostr/identity';
import type { NostrService, NostrServiceDeps } from '../../main/nostr/service';
import { createNostrService } from '../../main/nostr/service';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { createVaultService } from '../../main/vault/service';
import type { VaultService } from '../../main/vault/types';
import type { Stack, StackOptions } from '../stack';
import { startStack } from '../stack';
import type { TestRelay } from '../stack/nostr-relays';
import { startNostrRelay } from '../stack/nostr-relays';
import type { Cleanup } from './wait';
import { createCleanup, until } from './wait';

export const PASSWORD = 'correct horse battery';
/** A cheap scrypt so vault setup takes milliseconds, not seconds. */
const TEST_KDF = { N: 2 ** 10, r: 8, p: 1 };
const WAIT_MS = 15_000;

export interface StackAppOptions {
  /** Database file inside `dir`; a second name gives a second, independent install. */
  dbName?: string;
  /** Build the send service; 'offline' hands it a server-less Electrum (the network died before broadcast). */
  send?: 'online' | 'offline';
  /** Broadcast retry backoff of the send service (default: the service's own). */
  sendRetry?: { baseMs: number; maxMs: number };
  /** Build the coin-control service. */
  coins?: true;
  /**
   * Tunes the SPV chain service. It is always built and made the wallet's verifier, as the
   * container does: without it no payment would ever count as confirmed.
   */
  spv?: { lieCooldownMs: number };
  /** Reconnect timing for the Electrum service (default: the service's own). */
  backoff?: BackoffPolicy;
  /** Servers the Electrum service fails over to, in order (default: none). */
  fallbackServers?: ElectrumServer[];
  /** Wraps the Electrum service before anything uses it (e.g. to count requests). */
  wrapElectrum?: (inner: ElectrumService) => ElectrumService;
  /** Where `close()` is registered so the test's teardown closes what it forgot. */
  cleanup?: Cleanup;
}

export interface StackApp<E extends ElectrumService = ElectrumService> {
  stack: Stack;
  db: Db;
  bus: EventBus;
  vault: VaultService;
  electrum: E;
  /** The SPV layer: validated headers and merkle proofs. */
  chain: ChainService;
  wallet: WalletService;
  /** Every bus event since the app started. */
  events: { event: EventName; payload: unknown }[];
  /** Resolves with the first event (already seen or future) that matches. */
  waitFor<N extends EventName>(event: N, match: (p: EventPayload<N>) => boolean): Promise<EventPayload<N>>;
  /** Stops everything and closes the database; safe to call twice. */
  close(): void;
}

/** The Electrum service a test sees: its wrapper's type when it gave one. */
type ElectrumOf<O extends StackAppOptions> = O extends {
  wrapElectrum: (inner: ElectrumService) => infer E extends ElectrumService;
}
  ? E
  : ElectrumService;

/** The optional services appear in the type only when the options asked for them. */
export type StackAppWith<O extends StackAppOptions> = StackApp<ElectrumOf<O>> &
  (O['send'] extends 'online' | 'offline' ? { send: SendService } : unknown) &
  (O['coins'] extends true ? { coins: CoinsService } : unknown);

type Waiter = { event: EventName; match: (p: unknown) => boolean; resolve: (p: unknown) => void };

/** Opens (or reopens) an install in `dir` against the stack: vault unlocked, services started. */
export async function startStackApp<const O extends StackAppOptions>(
  stack: Stack,
  dir: string,
  opts: O,
): Promise<StackAppWith<O>> {
  const db = openDatabase(path.join(dir, opts.dbName ?? 'flash.db'));
  const bus = createEventBus();
  // Listen before anything starts, so no event of the app's life is missed.
  const events: StackApp['events'] = [];
  const waiters = new Set<Waiter>();
  bus.onAny((event, payload) => {
    events.push({ event, payload });
    for (const w of [...waiters]) {
      if (w.event === event && w.match(payload)) {
        waiters.delete(w);
        w.resolve(payload);
      }
    }
  });
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: TEST_KDF });
  vault.start();
  if (vault.status().state === 'uninitialized') await vault.setup(PASSWORD);
  else await vault.unlock(PASSWORD);
  const settings = createSettingsService({
    db,
    bus,
    defaultNetwork: 'regtest',
    electrumOverride: stack.electrum,
  });
  const inner = createElectrumService({
    db,
    bus,
    log: silentLogger,
    initialServer: settings.electrumServer('regtest'),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    ...(opts.fallbackServers ? { fallbackServers: opts.fallbackServers, crossCheck: false } : {}),
  });
  const electrum = opts.wrapElectrum ? opts.wrapElectrum(inner) : inner;
  const chain = createChainService({
    db,
    electrum,
    log: silentLogger,
    network: 'regtest',
    ...(opts.spv ? { lieCooldownMs: opts.spv.lieCooldownMs } : {}),
  });
  const wallet = createWalletService({
    db,
    vault,
    electrum,
    bus,
    settings,
    log: silentLogger,
    verifier: chain,
    chain,
  });
  const send = opts.send
    ? createSendService({
        db,
        vault,
        electrum: opts.send === 'offline' ? offlineElectrum(electrum) : electrum,
        bus,
        log: silentLogger,
        ...(opts.sendRetry ? { retry: opts.sendRetry } : {}),
      })
    : null;
  const coins = opts.coins ? createCoinsService({ db, bus, log: silentLogger }) : null;
  electrum.start();
  chain.start();
  wallet.start();
  send?.start();
  coins?.start();
  let closed = false;
  const app: StackApp & { send?: SendService; coins?: CoinsService } = {
    stack,
    db,
    bus,
    vault,
    electrum,
    wallet,
    events,
    waitFor(event, match) {
      const seen = events.find((e) => e.event === event && match(e.payload as EventPayload<typeof event>));
      if (seen) return Promise.resolve(seen.payload as EventPayload<typeof event>);
      return new Promise((resolve, reject) => {
        const w: Waiter = {
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
      // Reverse of the start order; the database goes last.
      coins?.stop();
      send?.stop();
      wallet.stop();
      chain.stop();
      electrum.stop();
      vault.stop();
      db.close();
    },
    ...(send ? { send } : {}),
    ...(coins ? { coins } : {}),
    chain,
  };
  opts.cleanup?.add(() => app.close());
  // The optional fields were set exactly when the options asked for them (see StackAppWith).
  // and `electrum` is the wrapper's own object (see ElectrumOf).
  return app as StackAppWith<O>;
}

/** The same service, except that there is no server to talk to. */
function offlineElectrum(electrum: ElectrumService): ElectrumService {
  return {
    ...electrum,
    client: () => {
      throw new FlashError('ELECTRUM_NOT_CONNECTED', 'offline');
    },
    onConnected: () => () => {},
  };
}

/**
 * Registers the usual hooks: the stack (per file, or per test when a test leaves it changed, e.g.
 * lying), a fresh data folder per test, and a teardown that closes every app before removing it.
 */
export function useRegtestStack(
  prefix: string,
  opts: { perTest?: boolean; onStart?: (stack: Stack) => void; stack?: StackOptions } = {},
): { readonly stack: Stack; readonly dir: string; readonly cleanup: Cleanup } {
  let stack: Stack | undefined;
  let dir = '';
  const cleanup = createCleanup();
  const start = async () => {
    stack = await startStack(opts.stack ?? {});
    opts.onStart?.(stack);
  };
  if (opts.perTest) beforeEach(start);
  else beforeAll(start);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    await cleanup.run();
    if (opts.perTest) await stack?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  if (!opts.perTest) {
    afterAll(async () => {
      await stack?.stop();
    });
  }
  return {
    get stack() {
      if (!stack) throw new Error('the regtest stack is not running');
      return stack;
    },
    get dir() {
      return dir;
    },
    cleanup,
  };
}

/** A new 12-word wallet, through the same draft-and-confirm steps onboarding uses. */
export function createWallet(app: StackApp, name: string): { id: string; words: string[] } {
  const d = app.wallet.createDraft(12);
  const checks = d.confirmIndexes.map((index) => ({ index, word: d.words[index] ?? '' }));
  const id = app.wallet.confirmDraft({
    draftId: d.draftId,
    checks,
    name,
    passphrase: '',
    network: 'regtest',
  }).id;
  return { id, words: d.words };
}

/** A new wallet paid `amounts` (one output each) in one confirmed block, fully synced. */
export async function fundedWallet(
  app: StackApp,
  amounts: number[],
  name: string,
): Promise<{ id: string; words: string[] }> {
  const wallet = createWallet(app, name);
  const { id } = wallet;
  await until('first sync', () => app.wallet.overview(id).sync.phase === 'synced');
  for (const sats of amounts) app.stack.chain.send(app.wallet.overview(id).receive.address, sats);
  app.stack.chain.mine(1);
  const total = amounts.reduce((a, b) => a + b, 0);
  await until('funds confirmed', () => app.wallet.overview(id).balance.confirmed === total);
  await app.wallet.idle();
  return wallet;
}

/**
 * The hooks of a NOSTR suite: one data folder per file, and after each test its clients closed,
 * then its relays stopped (each: its clients, wss.close(), relay.destroy()).
 */
export function useNostrSuite(prefix: string): {
  readonly dir: string;
  readonly cleanup: Cleanup;
  relay(opts?: Parameters<typeof startNostrRelay>[0]): Promise<TestRelay>;
} {
  let dir = '';
  const cleanup = createCleanup();
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => cleanup.run());
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    cleanup,
    relay: (opts = {}) => startRelay(cleanup, opts),
  };
}

/** Relays answer within a few seconds, so NOSTR tests wait less than the wallet tests. */
export function untilRelays<T>(
  what: string,
  fn: () => T | undefined | null | false,
  ms = 10_000,
): Promise<T> {
  return until(what, fn, ms);
}

/** A NOSTR relay from test/stack, stopped by `cleanup`. */
export async function startRelay(
  cleanup: Cleanup,
  opts: Parameters<typeof startNostrRelay>[0] = {},
): Promise<TestRelay> {
  const r = await startNostrRelay(opts);
  cleanup.add(() => r.stop());
  return r;
}

export interface NostrUser {
  name: string;
  db: Db;
  vault: VaultService;
  nostr: NostrService;
  pubkey: string;
  events: { event: string; payload: unknown }[];
  /** The identity's key as nsec, to import it on a "second device". */
  nsec(): string;
  close(): void;
}

/**
 * One NOSTR client with its own database and vault, a new (or imported) identity and its relay
 * list set. Short relay timeouts keep the relay-down tests quick.
 */
export async function startNostrUser(
  dir: string,
  name: string,
  relayUrls: string[],
  opts: {
    cleanup: Cleanup;
    nsec?: string | undefined;
    /** 'expect-ok': publish the list and require one relay to take it; 'try': publish, any outcome; 'skip': don't. */
    setRelays: 'expect-ok' | 'try' | 'skip';
    service?: Pick<NostrServiceDeps, 'defaultRelays' | 'ncryptsecLogN' | 'nip05Scheme' | 'proxy' | 'resolve'>;
  },
): Promise<NostrUser> {
  const db = openDatabase(path.join(dir, `${name}-${Math.random().toString(36).slice(2)}.db`));
  const bus = createEventBus();
  const events: NostrUser['events'] = [];
  bus.onAny((event, payload) => events.push({ event, payload }));
  const vault = createVaultService({ db, bus, log: silentLogger, kdf: TEST_KDF });
  vault.start();
  await vault.setup(PASSWORD);
  const nostr = createNostrService({
    db,
    vault,
    bus,
    log: silentLogger,
    ...opts.service,
    relay: {
      backoff: { baseMs: 100, maxMs: 400 },
      connectTimeoutMs: 2000,
      publishTimeoutMs: 4000,
      queryTimeoutMs: 2000,
    },
  });
  nostr.start();
  const identity = opts.nsec
    ? nostr.importIdentity({ kind: 'nsec', nsec: opts.nsec })
    : nostr.createIdentity();
  if (opts.setRelays !== 'skip') {
    const set = await nostr.setRelays(relayUrls.map((url) => ({ url, read: true, write: true, dm: true })));
    if (opts.setRelays === 'expect-ok') expect(set.results.some((r) => r.ok)).toBe(true);
  }
  const close = () => {
    nostr.stop();
    vault.stop();
    db.close();
  };
  opts.cleanup.add(close);
  return {
    name,
    db,
    vault,
    nostr,
    pubkey: identity.pubkey,
    events,
    nsec: () => nsecEncode(vault.getSecret(`nostr:${identity.id}:nsec`)),
    close,
  };
}
