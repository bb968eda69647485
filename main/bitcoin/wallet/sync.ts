import { hexToBytes } from '@noble/hashes/utils.js';
import { followConnections } from '../electrum/follow';
import type { Network, SyncState } from '../../../shared/contract';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import { dropForProtocolFault, isMalformedReply } from '../electrum/dialect';
import type { ElectrumClient, ElectrumService, JsonValue } from '../electrum/types';
import type { Chain } from './constants';
import { CHAINS, MAX_WINDOW, RECEIVE_CHAIN } from './constants';
import { settleDeposits } from './deposits';
import type { AddressDeriver, DerivedAddress } from './derivation';
import {
  METHOD,
  parseHeaderHeight,
  parseHeaderNotification,
  parseHistory,
  parseRawTx,
  parseScriptHashNotification,
  parseStatus,
} from './protocol';
import type { AddressRow, HistoryUpdate, WalletRepository, WalletRow } from './repository';
import type { UpdateNotifier } from './updates';
import { createUpdateNotifier } from './updates';

export interface SyncDeps {
  repo: WalletRepository;
  electrum: ElectrumService;
  bus: EventBus;
  log: Logger;
  now: () => number;
  /** The network the Electrum connection serves (the active one in settings). */
  network: () => Network;
  deriver: (wallet: WalletRow) => AddressDeriver;
  verifier?: TxVerifier;
  /** How `wallet.updated` goes out (coalesced); one shared with the wallet service. */
  updates?: UpdateNotifier;
  /**
   * 'widening' (the app): windows of addresses that double while they come back all used, each
   * window's fetches running while the next subscribes. 'walk': the plain gap-limit walk, one
   * window of the gap limit at a time, each finished before the next (the bench's baseline).
   */
  discovery?: 'widening' | 'walk';
}

/** What discovery knows of one chain during a pass. */
interface ChainDiscovery {
  /** Addresses to derive ahead when the last window came back all used. */
  window: number;
  /** The highest index the server said has history, this pass. */
  lastUsed: number;
  /** The last window subscribed on this chain came back all used. */
  full: boolean;
}

/** What one pass asked for, so a tx or proof named by several histories is fetched once. */
interface PassFetches {
  raws: Map<string, Promise<Uint8Array | null>>;
  /** By `txid:height`. */
  proofs: Map<string, Promise<TxVerificationResult>>;
}

function newFetches(): PassFetches {
  return { raws: new Map(), proofs: new Map() };
}

export interface TxVerificationResult {
  txid: string;
  state: 'verified' | 'unverified' | 'failed';
  reason: string | null;
  /** The bytes, when the verifier fetched them (checked to hash to `txid`). */
  rawTx?: Uint8Array;
}

/** What the sync needs from the SPV layer (main/bitcoin/chain), kept narrow so tests can fake it. */
export interface TxVerifier {
  proof(txid: string): { state: 'verified' | 'unverified' | 'failed'; height: number } | null;
  /** Fetches the bytes of a request without `rawTx` in the same flight as its proof. */
  verifyTransactions(
    requests: readonly { txid: string; height: number; rawTx?: Uint8Array }[],
    opts?: { keepRaw?: boolean },
  ): Promise<readonly TxVerificationResult[]>;
}

export interface WalletSync {
  start(): void;
  stop(): void;
  /** Begins watching a wallet created while connected. */
  watch(walletId: string): void;
  state(walletId: string): SyncState;
  tipHeight(network: Network): number | null;
  /** Resolves once no sync work is queued (tests, orderly shutdown). */
  idle(): Promise<void>;
  /** A new validated tip: addresses whose mined txs still owe a verified proof are fetched again. */
  recheckOwedProofs(): void;
}

/** What one live connection knows; dropped whole when the connection closes. */
interface Session {
  client: ElectrumClient;
  network: Network;
  /** Every script hash subscribed on this connection, and its wallet. */
  owners: Map<string, string>;
  /** Per wallet: the latest status the server announced per script hash, not yet handled. */
  pending: Map<string, Map<string, string | null>>;
  /** The latest status the server announced per script hash, handled or not. */
  statuses: Map<string, string | null>;
  /** Wallets with a pass already queued, so a burst of notifications queues one pass. */
  queued: Set<string>;
  closed: boolean;
  /** Replies that broke the protocol since the last pass that went through. */
  protocolFaults: number;
  /** Passes that failed in a row per wallet, for the retry delay. */
  failures: Map<string, number>;
  retryTimers: Set<NodeJS.Timeout>;
  dispose: (() => void)[];
}

/** A pass that failed for a passing reason (busy, rate-limited, timeout) is run again after this, doubling. */
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 60_000;

type Phase = SyncState['phase'];

/**
 * Keeps every wallet of the active network in step with the Electrum server.
 *
 * On each connection every derived script hash is subscribed in batches; the returned status is
 * compared with the one cached in SQLite and only addresses whose status differs cost a
 * `get_history` (batched), and only transactions never seen a `transaction.get` (batched). So a
 * reopen with nothing new costs the subscriptions and nothing else. Notifications go through the
 * same path. All work runs on one queue, one wallet pass at a time, so the cache and the history
 * it describes are always written together and never interleaved.
 */
export function createWalletSync(deps: SyncDeps): WalletSync {
  const { repo, electrum, bus, now } = deps;
  const log = deps.log;
  let session: Session | null = null;
  let queue: Promise<void> = Promise.resolve();
  const phases = new Map<string, { phase: Phase; done: number; total: number }>();
  const tips = new Map<Network, number>();
  let unsubscribeConnected: (() => void) | null = null;
  const updates = deps.updates ?? createUpdateNotifier(bus);

  function enqueue(task: () => Promise<void>): void {
    queue = queue.then(task).catch((err: unknown) => {
      log.error('sync task failed', { error: describe(err) });
    });
  }

  function state(walletId: string): SyncState {
    const wallet = repo.getWallet(walletId);
    const lastSyncedAt = wallet?.lastSyncedAt ?? null;
    const p = phases.get(walletId);
    if (p) return { ...p, lastSyncedAt };
    const live = session !== null && wallet !== null && wallet.network === session.network;
    return { phase: live ? 'idle' : 'offline', done: 0, total: 0, lastSyncedAt };
  }

  function setPhase(walletId: string, phase: Phase, done: number, total: number): void {
    phases.set(walletId, { phase, done, total });
    bus.emit('sync.progress', { walletId, sync: state(walletId) });
  }

  function connect(client: ElectrumClient): void {
    if (session?.client === client) return;
    endSession();
    const s: Session = {
      client,
      network: deps.network(),
      owners: new Map(),
      pending: new Map(),
      statuses: new Map(),
      queued: new Set(),
      closed: false,
      protocolFaults: 0,
      failures: new Map(),
      retryTimers: new Set(),
      dispose: [],
    };
    session = s;
    s.dispose.push(client.onNotification((method, params) => onNotification(s, method, params)));
    s.dispose.push(
      client.onClose(() => {
        if (session === s) endSession();
      }),
    );
    log.info('connected; syncing', { network: s.network });
    // The connection service subscribed to headers already: its tip costs no round trip, and its
    // header notifications reach this client's listeners too.
    const knownTip = electrum.status().tipHeight;
    if (knownTip !== null) setTip(s.network, knownTip);
    else {
      enqueue(async () => {
        if (s.closed) return;
        try {
          setTip(s.network, parseHeaderHeight(await client.request(METHOD.subscribeHeaders, [])));
        } catch (err) {
          // Confirmations fall back to the last stored tip; the addresses still sync.
          log.warn('header subscription failed', { error: describe(err) });
        }
      });
    }
    for (const wallet of repo.listWallets()) {
      if (wallet.network === s.network) schedulePass(s, wallet.id);
    }
  }

  function endSession(): void {
    const s = session;
    if (!s) return;
    s.closed = true;
    session = null;
    for (const d of s.dispose) d();
    for (const t of s.retryTimers) clearTimeout(t);
    s.retryTimers.clear();
    for (const wallet of repo.listWallets()) {
      if (wallet.network === s.network) setPhase(wallet.id, 'offline', 0, 0);
    }
  }

  function onNotification(s: Session, method: string, params: JsonValue[]): void {
    if (s.closed) return;
    try {
      if (method === METHOD.subscribeScriptHash) {
        const { scriptHash, status } = parseScriptHashNotification(params);
        const walletId = s.owners.get(scriptHash);
        if (walletId === undefined) return;
        s.statuses.set(scriptHash, status);
        pendingOf(s, walletId).set(scriptHash, status);
        schedulePass(s, walletId);
      } else if (method === METHOD.subscribeHeaders) {
        setTip(s.network, parseHeaderNotification(params));
      }
    } catch (err) {
      log.warn('ignored a malformed notification', { method, error: describe(err) });
    }
  }

  function setTip(network: Network, height: number): void {
    if (tips.get(network) === height) return;
    tips.set(network, height);
    repo.setTipHeight(network, height, now());
    // Every confirmation count moved.
    for (const wallet of repo.listWallets()) {
      if (wallet.network === network && repo.txCount(wallet.id) > 0) updates.changed(wallet.id);
    }
  }

  function pendingOf(s: Session, walletId: string): Map<string, string | null> {
    let p = s.pending.get(walletId);
    if (!p) {
      p = new Map();
      s.pending.set(walletId, p);
    }
    return p;
  }

  function schedulePass(s: Session, walletId: string): void {
    if (s.queued.has(walletId)) return;
    s.queued.add(walletId);
    enqueue(async () => {
      s.queued.delete(walletId);
      if (s.closed) return;
      await runPass(s, walletId);
    });
  }

  /**
   * Subscribes what this connection has not, in windows that widen while they come back all used
   * (so a wallet with 1,000 used addresses is found in a handful of round trips, not fifty), and
   * fetches what changed while the next window subscribes. Ends when every chain has its gap of
   * unused addresses and every fetch has been applied.
   */
  async function runPass(s: Session, walletId: string): Promise<void> {
    updates.begin(walletId);
    try {
      await syncWallet(s, walletId);
    } finally {
      updates.end(walletId);
    }
  }

  async function syncWallet(s: Session, walletId: string): Promise<void> {
    const wallet = repo.getWallet(walletId);
    if (!wallet) return;
    const pending = pendingOf(s, walletId);
    const walk = deps.discovery === 'walk';
    const discovery = new Map<Chain, ChainDiscovery>(
      CHAINS.map((c) => [c, { window: gapOf(wallet, c), lastUsed: -1, full: false }]),
    );
    const fetches = newFetches();
    const jobs: Promise<void>[] = [];
    let failure: { err: unknown } | null = null;
    let started = false;
    let changed = false;
    try {
      for (;;) {
        if (deriveAhead(wallet, discovery) > 0) changed = true;
        const addresses = repo.addresses(walletId);
        const fresh = addresses.filter((a) => !s.owners.has(a.scriptHash));
        if ((fresh.length === 0 && pending.size === 0) || failure) break;
        if (!started) {
          started = true;
          setPhase(walletId, 'syncing', addresses.length - fresh.length, addresses.length);
        }
        if (fresh.length > 0) {
          await subscribe(s, walletId, fresh, pending);
          if (s.closed) return;
          observe(discovery, fresh, pending, walk);
          setPhase(walletId, 'syncing', addresses.length, addresses.length);
        }
        const taken = [...pending.entries()];
        pending.clear();
        const stale = taken.filter(([sh, status]) => repo.cachedStatus(walletId, sh) !== status);
        if (stale.length === 0) continue;
        const job = fetchAndApply(s, wallet, stale, fetches).then(
          (visible) => {
            if (visible) {
              changed = true;
              updates.changed(walletId);
            }
          },
          (err: unknown) => {
            // Unhandled statuses go back, to be retried by the next notification or pass.
            for (const [sh, status] of stale) if (!pending.has(sh)) pending.set(sh, status);
            failure ??= { err };
          },
        );
        // The plain walk (the bench's baseline) finishes each window before the next.
        if (walk) await job;
        else jobs.push(job);
      }
    } catch (err) {
      failure ??= { err };
    }
    await Promise.all(jobs);
    if (s.closed) return;
    if (failure) {
      log.warn('wallet sync failed', { walletId, error: describe(failure.err) });
      setPhase(walletId, 'idle', 0, 0);
      if (changed) updates.changed(walletId);
      onPassFailed(s, walletId, failure.err);
      return;
    }
    s.protocolFaults = 0;
    s.failures.delete(walletId);
    if (!started) return;
    for (const d of settleDeposits(repo, walletId, wallet.announceDeposits)) {
      bus.emit('deposit.detected', { walletId, ...d });
    }
    repo.markSynced(walletId, now());
    const total = repo.addresses(walletId).length;
    setPhase(walletId, 'synced', total, total);
    if (changed) updates.changed(walletId);
  }

  /**
   * A reply in a shape the protocol does not allow is asked for again at once; a second one drops
   * the connection (the Electrum service fails over and says why). Anything else that is not the
   * connection closing (a busy or rate-limiting server, a timeout) is tried again after a pause.
   */
  function onPassFailed(s: Session, walletId: string, err: unknown): void {
    if (isMalformedReply(err)) {
      s.protocolFaults += 1;
      if (s.protocolFaults >= 2) {
        log.warn('server keeps breaking the protocol; dropping the connection', { error: describe(err) });
        dropForProtocolFault(s.client, err as Error);
        return;
      }
      schedulePass(s, walletId);
      return;
    }
    if (!s.client.isOpen) return;
    const failures = (s.failures.get(walletId) ?? 0) + 1;
    s.failures.set(walletId, failures);
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1));
    const timer = setTimeout(() => {
      s.retryTimers.delete(timer);
      if (!s.closed) schedulePass(s, walletId);
    }, delay);
    timer.unref?.();
    s.retryTimers.add(timer);
  }

  /** One flight of subscriptions; each status lands in `pending` unless a notification beat it. */
  async function subscribe(
    s: Session,
    walletId: string,
    fresh: readonly AddressRow[],
    pending: Map<string, string | null>,
  ): Promise<void> {
    // Owned before the reply, so a notification racing the reply is not dropped.
    for (const a of fresh) s.owners.set(a.scriptHash, walletId);
    let replies: JsonValue[];
    try {
      replies = await s.client.batch(
        fresh.map((a) => ({ method: METHOD.subscribeScriptHash, params: [a.scriptHash] })),
      );
    } catch (err) {
      // Not subscribed after all: the next pass on this connection tries them again.
      for (const a of fresh) s.owners.delete(a.scriptHash);
      throw err;
    }
    if (s.closed) return;
    fresh.forEach((a, i) => {
      const status = parseStatus(replies[i] ?? null);
      s.statuses.set(a.scriptHash, status);
      // A notification that arrived meanwhile is newer than the reply.
      if (!pending.has(a.scriptHash)) pending.set(a.scriptHash, status);
    });
  }

  /** Reads a window's statuses: a window all used doubles the next (up to MAX_WINDOW). */
  function observe(
    discovery: Map<Chain, ChainDiscovery>,
    fresh: readonly AddressRow[],
    pending: ReadonlyMap<string, string | null>,
    walk: boolean,
  ): void {
    for (const [chain, d] of discovery) {
      const window = fresh.filter((a) => a.chain === chain);
      if (window.length === 0) {
        d.full = false;
        continue;
      }
      let allUsed = true;
      for (const a of window) {
        const status = pending.get(a.scriptHash) ?? a.status;
        if (status !== null && status !== undefined) d.lastUsed = Math.max(d.lastUsed, a.index);
        else allUsed = false;
      }
      d.full = allUsed && !walk;
      d.window = d.full ? Math.min(MAX_WINDOW, d.window * 2) : d.window;
    }
  }

  /**
   * Histories of the stale addresses (one flight), then in one more flight every transaction and
   * merkle proof they name that this pass has not asked for yet; applied in one SQLite
   * transaction. A proof that fails aborts before anything is stored: the chain layer has already
   * dropped the lying server, and the next server's histories replace what it said. Returns
   * whether anything visible changed.
   */
  async function fetchAndApply(
    s: Session,
    wallet: WalletRow,
    stale: [string, string | null][],
    fetches: PassFetches,
  ): Promise<boolean> {
    const replies = await s.client.batch(stale.map(([sh]) => ({ method: METHOD.getHistory, params: [sh] })));
    if (s.closed) return false;
    const updates: HistoryUpdate[] = stale.map(([scriptHash, status], i) => ({
      scriptHash,
      status,
      history: parseHistory(replies[i] ?? null),
    }));
    const named = new Map<string, number>();
    for (const u of updates) for (const h of u.history) named.set(h.txid, h.height);
    requestMissing(s, named, fetches);
    const raws = new Map<string, Uint8Array>();
    const waits: Promise<void>[] = [];
    for (const [txid, height] of named) {
      const raw = fetches.raws.get(txid);
      if (raw) waits.push(raw.then((bytes) => void (bytes && raws.set(txid, bytes))));
      const proof = fetches.proofs.get(`${txid}:${height}`);
      if (proof) {
        waits.push(
          proof.then((v) => {
            if (v.state === 'failed') {
              throw new Error(`server failed the SPV check for ${v.txid}: ${v.reason ?? 'unknown'}`);
            }
          }),
        );
      }
    }
    await Promise.all(waits);
    if (s.closed) return false;
    // Bytes a proof check could not bring back (a busy server) are asked for on their own.
    const missing = [...named.keys()].filter((txid) => !raws.has(txid) && !repo.hasRawTx(txid));
    if (missing.length > 0) {
      const again = await s.client.batch(
        missing.map((txid) => ({ method: METHOD.getTransaction, params: [txid] })),
      );
      if (s.closed) return false;
      missing.forEach((txid, i) => raws.set(txid, hexToBytes(parseRawTx(again[i] ?? null))));
    }
    const result = repo.applyHistories(wallet.id, updates, raws, now());
    if (result.addedTxids.length > 0 || result.removedTxids.length > 0) {
      log.debug('history applied', {
        walletId: wallet.id,
        addresses: updates.length,
        added: result.addedTxids.length,
        removed: result.removedTxids.length,
      });
    }
    return result.changed;
  }

  /**
   * Sends, in one flight, what `named` needs that this pass has not asked for: merkle proofs of
   * mined transactions not verified at their height (the chain layer fetches their bytes in the
   * same batch) and the bytes of the others not stored yet.
   */
  function requestMissing(s: Session, named: ReadonlyMap<string, number>, fetches: PassFetches): void {
    const verifier = deps.verifier;
    const proofs: { txid: string; height: number; rawTx?: Uint8Array }[] = [];
    const plain: string[] = [];
    for (const [txid, height] of named) {
      const stored = fetches.raws.has(txid) || repo.hasRawTx(txid);
      const key = `${txid}:${height}`;
      if (verifier && height > 0 && !fetches.proofs.has(key)) {
        const known = verifier.proof(txid);
        if (!(known?.state === 'verified' && known.height === height)) {
          const rawTx = stored ? repo.rawTx(txid) : null;
          proofs.push(rawTx ? { txid, height, rawTx } : { txid, height });
          continue;
        }
      }
      if (!stored) plain.push(txid);
    }
    if (proofs.length > 0 && verifier) {
      const checked = verifier.verifyTransactions(proofs, { keepRaw: true });
      proofs.forEach((p, i) => {
        const one = checked.then((all) => {
          const v = all[i];
          if (!v) throw new Error(`no verification for ${p.txid}`);
          return v;
        });
        // Marked handled here; fetchAndApply awaits these and fails the pass on a rejection.
        one.catch(() => {});
        fetches.proofs.set(`${p.txid}:${p.height}`, one);
        if (!p.rawTx && !fetches.raws.has(p.txid)) {
          fetches.raws.set(
            p.txid,
            one.then(
              (v) => v.rawTx ?? null,
              () => null,
            ),
          );
        }
      });
    }
    if (plain.length > 0) {
      const batch = s.client.batch(plain.map((txid) => ({ method: METHOD.getTransaction, params: [txid] })));
      plain.forEach((txid, i) => {
        const one = batch.then((replies) => hexToBytes(parseRawTx(replies[i] ?? null)));
        one.catch(() => {});
        fetches.raws.set(txid, one);
      });
    }
  }

  /**
   * Derives what each chain needs: its gap of unused addresses past the last used one, and, while
   * windows come back all used, the next (wider) window ahead. Returns how many were derived.
   */
  function deriveAhead(wallet: WalletRow, discovery: ReadonlyMap<Chain, ChainDiscovery>): number {
    const fresh: DerivedAddress[] = [];
    for (const chain of CHAINS) {
      const d = discovery.get(chain);
      const usage = repo.chainUsage(wallet.id, chain);
      const lastUsed = Math.max(usage.lastUsed, d?.lastUsed ?? -1);
      let want = lastUsed + 1 + gapOf(wallet, chain);
      if (d?.full) want = Math.max(want, usage.count + d.window);
      if (usage.count >= want) continue;
      const deriver = deps.deriver(wallet);
      for (let i = usage.count; i < want; i++) fresh.push(deriver.derive(chain, i));
    }
    if (fresh.length > 0) repo.insertAddresses(wallet.id, fresh);
    return fresh.length;
  }

  /**
   * A new validated tip may let proofs that could not be checked before (their header was not
   * there yet, the server was busy) check out now: the addresses still owing one fetch their
   * history again, which asks for the proofs again. Without this they would wait for a reconnect.
   */
  function recheckOwedProofs(): void {
    const s = session;
    if (!s) return;
    for (const wallet of repo.listWallets()) {
      if (wallet.network !== s.network) continue;
      const pending = pendingOf(s, wallet.id);
      let any = false;
      for (const sh of repo.addressesOwingProofs(wallet.id)) {
        if (pending.has(sh) || !s.statuses.has(sh)) continue;
        pending.set(sh, s.statuses.get(sh) ?? null);
        any = true;
      }
      if (any) schedulePass(s, wallet.id);
    }
  }

  return {
    start() {
      unsubscribeConnected = followConnections(electrum, connect);
    },
    stop() {
      unsubscribeConnected?.();
      unsubscribeConnected = null;
      endSession();
    },
    recheckOwedProofs,
    watch(walletId) {
      const wallet = repo.getWallet(walletId);
      if (session && wallet && wallet.network === session.network) schedulePass(session, walletId);
    },
    state,
    tipHeight(network) {
      return tips.get(network) ?? repo.tipHeight(network);
    },
    async idle() {
      // Tasks may queue more tasks (a notification during a pass): wait until the queue is still.
      let seen: Promise<void> | null = null;
      while (seen !== queue) {
        seen = queue;
        await queue;
      }
    },
  };
}

function gapOf(wallet: WalletRow, chain: Chain): number {
  return chain === RECEIVE_CHAIN ? wallet.gapLimit.receive : wallet.gapLimit.change;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
