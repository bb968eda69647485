import { hexToBytes } from '@noble/hashes/utils.js';
import { followConnections } from '../electrum/follow';
import type { Network, SyncState } from '../../../shared/contract';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import { dropForProtocolFault, isMalformedReply } from '../electrum/dialect';
import type { ElectrumClient, ElectrumService, JsonValue } from '../electrum/types';
import type { Chain } from './constants';
import { CHAINS, HISTORY_BATCH, RECEIVE_CHAIN, SUBSCRIBE_BATCH, TX_BATCH } from './constants';
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
import type { HistoryUpdate, WalletRepository, WalletRow } from './repository';

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
}

/** What the sync needs from the SPV layer (main/bitcoin/chain), kept narrow so tests can fake it. */
export interface TxVerifier {
  proof(txid: string): { state: 'verified' | 'unverified' | 'failed'; height: number } | null;
  verifyTransactions(
    requests: readonly { txid: string; height: number; rawTx?: Uint8Array }[],
  ): Promise<readonly { txid: string; state: 'verified' | 'unverified' | 'failed'; reason: string | null }[]>;
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
}

/** What one live connection knows; dropped whole when the connection closes. */
interface Session {
  client: ElectrumClient;
  network: Network;
  /** Every script hash subscribed on this connection, and its wallet. */
  owners: Map<string, string>;
  /** Per wallet: the latest status the server announced per script hash, not yet handled. */
  pending: Map<string, Map<string, string | null>>;
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
      if (wallet.network === network && repo.txCount(wallet.id) > 0) {
        bus.emit('wallet.updated', { walletId: wallet.id });
      }
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
   * Derives up to the gap limit, subscribes what this connection has not, fetches what changed,
   * and repeats while used addresses push the gap further out.
   */
  async function runPass(s: Session, walletId: string): Promise<void> {
    const wallet = repo.getWallet(walletId);
    if (!wallet) return;
    const pending = pendingOf(s, walletId);
    let started = false;
    let changed = false;
    let taken: [string, string | null][] = [];
    try {
      for (;;) {
        if (extendGap(wallet) > 0) changed = true;
        const addresses = repo.addresses(walletId);
        const fresh = addresses.filter((a) => !s.owners.has(a.scriptHash));
        if (fresh.length === 0 && pending.size === 0) break;
        if (!started) {
          started = true;
          setPhase(walletId, 'syncing', addresses.length - fresh.length, addresses.length);
        }
        let done = addresses.length - fresh.length;
        for (const chunk of chunks(fresh, SUBSCRIBE_BATCH)) {
          // Owned before the reply, so a notification racing the reply is not dropped.
          for (const a of chunk) s.owners.set(a.scriptHash, walletId);
          let replies: JsonValue[];
          try {
            replies = await s.client.batch(
              chunk.map((a) => ({ method: METHOD.subscribeScriptHash, params: [a.scriptHash] })),
            );
          } catch (err) {
            // Not subscribed after all: the next pass on this connection tries them again.
            for (const a of chunk) s.owners.delete(a.scriptHash);
            throw err;
          }
          if (s.closed) return;
          chunk.forEach((a, i) => {
            // A notification that arrived meanwhile is newer than the reply.
            if (!pending.has(a.scriptHash)) pending.set(a.scriptHash, parseStatus(replies[i] ?? null));
          });
          done += chunk.length;
          setPhase(walletId, 'syncing', done, addresses.length);
        }
        taken = [...pending.entries()];
        pending.clear();
        const stale = taken.filter(([sh, status]) => repo.cachedStatus(walletId, sh) !== status);
        if (stale.length > 0 && (await fetchAndApply(s, wallet, stale))) changed = true;
        taken = [];
        if (s.closed) return;
      }
    } catch (err) {
      if (s.closed) return;
      // Unhandled statuses go back, to be retried by the next notification or pass.
      for (const [sh, status] of taken) if (!pending.has(sh)) pending.set(sh, status);
      log.warn('wallet sync failed', { walletId, error: describe(err) });
      setPhase(walletId, 'idle', 0, 0);
      if (changed) bus.emit('wallet.updated', { walletId });
      onPassFailed(s, walletId, err);
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
    if (changed) bus.emit('wallet.updated', { walletId });
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

  /** Returns whether anything visible changed. */
  async function fetchAndApply(
    s: Session,
    wallet: WalletRow,
    stale: [string, string | null][],
  ): Promise<boolean> {
    const updates: HistoryUpdate[] = [];
    for (const chunk of chunks(stale, HISTORY_BATCH)) {
      const replies = await s.client.batch(
        chunk.map(([sh]) => ({ method: METHOD.getHistory, params: [sh] })),
      );
      if (s.closed) return false;
      chunk.forEach(([scriptHash, status], i) => {
        updates.push({ scriptHash, status, history: parseHistory(replies[i] ?? null) });
      });
    }
    const missing = new Set<string>();
    for (const u of updates) for (const h of u.history) if (!repo.hasRawTx(h.txid)) missing.add(h.txid);
    const raws = new Map<string, Uint8Array>();
    for (const chunk of chunks([...missing], TX_BATCH)) {
      const replies = await s.client.batch(
        chunk.map((txid) => ({ method: METHOD.getTransaction, params: [txid] })),
      );
      if (s.closed) return false;
      chunk.forEach((txid, i) => raws.set(txid, hexToBytes(parseRawTx(replies[i] ?? null))));
    }
    await verifyProofs(updates, raws);
    if (s.closed) return false;
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
   * Checks the merkle proof of every confirmed transaction not yet verified at its height. A proof
   * that fails aborts the pass before anything is stored: the chain layer has already dropped the
   * lying server, and the next server's histories replace what it said.
   */
  async function verifyProofs(updates: HistoryUpdate[], raws: Map<string, Uint8Array>): Promise<void> {
    const verifier = deps.verifier;
    if (!verifier) return;
    const requests = new Map<string, { txid: string; height: number; rawTx?: Uint8Array }>();
    for (const u of updates) {
      for (const h of u.history) {
        if (h.height <= 0 || requests.has(h.txid)) continue;
        const known = verifier.proof(h.txid);
        if (known?.state === 'verified' && known.height === h.height) continue;
        const rawTx = raws.get(h.txid);
        requests.set(
          h.txid,
          rawTx ? { txid: h.txid, height: h.height, rawTx } : { txid: h.txid, height: h.height },
        );
      }
    }
    if (requests.size === 0) return;
    const results = await verifier.verifyTransactions([...requests.values()]);
    const failed = results.find((r) => r.state === 'failed');
    if (failed) {
      throw new Error(`server failed the SPV check for ${failed.txid}: ${failed.reason ?? 'unknown'}`);
    }
  }

  /** Derives addresses until each chain has its gap of unused ones; returns how many. */
  function extendGap(wallet: WalletRow): number {
    const fresh: DerivedAddress[] = [];
    for (const chain of CHAINS) fresh.push(...missingAddresses(wallet, chain));
    if (fresh.length > 0) repo.insertAddresses(wallet.id, fresh);
    return fresh.length;
  }

  function missingAddresses(wallet: WalletRow, chain: Chain): DerivedAddress[] {
    const usage = repo.chainUsage(wallet.id, chain);
    const want =
      usage.lastUsed + 1 + (chain === RECEIVE_CHAIN ? wallet.gapLimit.receive : wallet.gapLimit.change);
    const out: DerivedAddress[] = [];
    if (usage.count >= want) return out;
    const deriver = deps.deriver(wallet);
    for (let i = usage.count; i < want; i++) out.push(deriver.derive(chain, i));
    return out;
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

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
