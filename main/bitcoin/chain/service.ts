import { hexToBytes } from '@noble/hashes/utils.js';
import { followConnections } from '../electrum/follow';
import { Transaction } from 'bitcoinjs-lib';
import { z } from 'zod';
import type { FlashError } from '../../../shared/errors';
import type { EventBus } from '../../core/event-bus';
import type { Logger } from '../../core/logger';
import type { Db } from '../../store/database';
import {
  dialectOf,
  dropForProtocolFault,
  isMalformedReply,
  malformedReply,
  parseHeadersReply,
} from '../electrum/dialect';
import { isRefusal } from '../electrum/rpc-errors';
import type { Settled } from '../electrum/settled';
import { settledBatch } from '../electrum/settled';
import { serverKey } from '../electrum/socket';
import type { ElectrumClient, ElectrumService, JsonValue } from '../electrum/types';
import type { BlockHeader } from './header';
import { parseHeaderHex } from './header';
import type { ConnectResult, RemovedHeader, StoredHeader } from './header-chain';
import { HeaderChain, HeaderError } from './header-chain';
import type { BlockProof, MerkleCheck } from './merkle';
import { checkTxSize, verifyBlockProofs, verifyMerkleProof } from './merkle';
import type { ChainNetwork, ChainParams } from './params';
import { chainParams, RETARGET_INTERVAL } from './params';
import type { ChainRepository, ProofState, TxProof } from './repository';
import { createChainRepository } from './repository';

/** Why a server was judged to be lying. */
export type LieReason =
  /** A header that fails proof of work. */
  | 'bad-pow'
  /** A header breaking another rule: link, difficulty, checkpoint, or a malformed reply. */
  | 'bad-header'
  /** A merkle branch that does not lead to our header's root (or a bad coinbase proof). */
  | 'bad-merkle'
  /** Transaction bytes that do not hash to the txid asked for. */
  | 'wrong-tx'
  /** A confirmed transaction (from its history) that it cannot prove is in that block. */
  | 'fake-history';

export interface LieEvent {
  reason: LieReason;
  /** host:port */
  server: string;
  network: ChainNetwork;
  detail: string;
}

export interface ChainTip {
  height: number;
  hash: string;
}

export interface ReorgEvent {
  network: ChainNetwork;
  /** The first height whose block changed. */
  forkHeight: number;
  removed: RemovedHeader[];
  oldTip: ChainTip;
  newTip: ChainTip;
  /** Transactions that were verified in a removed block and are now 'unverified'. */
  unverified: string[];
}

export type VerifyReason =
  | 'unconfirmed'
  | 'offline'
  | 'header-unavailable'
  | 'reorg'
  | 'server-distrusted'
  /** The server's answer did not fit the protocol (a fault, not a lie): asked again later. */
  | 'protocol-error'
  | 'tx-64-bytes'
  | LieReason;

export interface TxVerification {
  txid: string;
  height: number;
  state: ProofState;
  reason: VerifyReason | null;
  /** The block the proof was checked against (verified only). */
  blockHash: string | null;
  /** The transaction's bytes when this call fetched them (checked to hash to `txid`). */
  rawTx?: Uint8Array;
}

export interface VerifyRequest {
  txid: string;
  /** Electrum height: > 0 confirmed, 0 or -1 in the mempool. */
  height: number;
  /** The raw transaction as the server gave it (bytes or hex); fetched when absent. */
  rawTx?: Uint8Array | string;
}

export interface ChainServiceDeps {
  db: Db;
  electrum: ElectrumService;
  /** Reserved for contract events (chain.tip, chain.reorg, server.lied) once they exist. */
  bus?: EventBus;
  log: Logger;
  /** The network the Electrum connection serves. */
  network: ChainNetwork | (() => ChainNetwork);
  now?: () => number;
  /** Override the consensus parameters (tests). */
  params?: (network: ChainNetwork) => ChainParams;
  /**
   * How a lying server is dropped. Default: `electrum.markServerBad` when the service has a pool,
   * else `electrum.reconnect()` at most once per `lieCooldownMs`.
   */
  dropServer?: (lie: LieEvent, client: ElectrumClient) => void;
  lieCooldownMs?: number;
}

export interface ChainService {
  start(): void;
  stop(): void;
  /** Our best validated header, for the network currently connected (or last connected). */
  tip(): ChainTip | null;
  header(height: number): BlockHeader | null;
  /** True once our tip equals the connected server's tip. */
  synced(): boolean;
  /** Resolves when no header work is queued. */
  idle(): Promise<void>;
  verifyTransaction(txid: string, height: number, rawTx?: Uint8Array | string): Promise<TxVerification>;
  /**
   * The same for many transactions, batched (one round trip per kind of request). With
   * `keepRaw`, the bytes fetched for a request without `rawTx` come back in its result.
   */
  verifyTransactions(
    requests: readonly VerifyRequest[],
    opts?: { keepRaw?: boolean },
  ): Promise<TxVerification[]>;
  /** The last recorded verification of a transaction, without network. */
  proof(txid: string): TxVerification | null;
  onTip(listener: (tip: ChainTip) => void): () => void;
  onReorg(listener: (event: ReorgEvent) => void): () => void;
  onLie(listener: (event: LieEvent) => void): () => void;
}

/** Headers per `blockchain.block.headers` request: one difficulty period. */
export const HEADER_CHUNK = RETARGET_INTERVAL;
/** The deepest fork the walk-back looks for before giving up on a server. */
const MAX_WALK_BACK = 4 * RETARGET_INTERVAL;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/i);
const HeaderNote = z.object({ height: z.number().int().min(0), hex: z.string() });
const MerkleReply = z.object({
  block_height: z.number().int().min(0),
  merkle: z.array(Hex64),
  pos: z.number().int().min(0),
});
const IdFromPosReply = z.object({ tx_hash: Hex64, merkle: z.array(Hex64) });
const RawTxReply = z.string().regex(/^([0-9a-f]{2})+$/i);

interface NetworkContext {
  network: ChainNetwork;
  repo: ChainRepository;
  chain: HeaderChain;
}

interface Session {
  client: ElectrumClient;
  ctx: NetworkContext;
  serverTip: ChainTip | null;
  closed: boolean;
  /** Caught lying: nothing more it says is used. */
  tainted: boolean;
  /** Replies in a shape the negotiated protocol does not allow, since the last well-formed one. */
  protocolFaults: number;
  /** Blocks whose coinbase proof this server got wrong. */
  blockFaults: Map<string, LieReason>;
  dispose: (() => void)[];
}

/** A reply that does not fit the protocol is asked for again once; the second drops the server. */
const PROTOCOL_FAULTS_BEFORE_DROP = 2;

/**
 * SPV for the Electrum connection: downloads and validates headers (from the last checkpoint),
 * follows the server's tip and its reorgs, and checks merkle proofs of wallet transactions against
 * those headers. A server caught lying is reported (`onLie`), recorded, and dropped.
 */
export function createChainService(deps: ChainServiceDeps): ChainService {
  const { electrum, log } = deps;
  const now = deps.now ?? Date.now;
  const paramsFor = deps.params ?? chainParams;
  const networkOf = (): ChainNetwork => (typeof deps.network === 'function' ? deps.network() : deps.network);
  const contexts = new Map<ChainNetwork, NetworkContext>();
  const tipListeners = new Set<(tip: ChainTip) => void>();
  const reorgListeners = new Set<(event: ReorgEvent) => void>();
  const lieListeners = new Set<(event: LieEvent) => void>();
  /** Tree depth per block hash, learnt from the coinbase's proof. */
  const depthCache = new Map<string, number>();
  /** Coinbase look-ups under way per block hash: verifications running side by side share them. */
  const depthLookups = new Map<string, Promise<void>>();
  let session: Session | null = null;
  let queue: Promise<void> = Promise.resolve();
  let unsubscribeConnected: (() => void) | null = null;
  let started = false;
  let lastDropAt = -Infinity;

  function context(network: ChainNetwork): NetworkContext {
    let ctx = contexts.get(network);
    if (!ctx) {
      const repo = createChainRepository(deps.db, network);
      ctx = { network, repo, chain: new HeaderChain(paramsFor(network), repo, { now }) };
      contexts.set(network, ctx);
    }
    return ctx;
  }

  function enqueue(task: () => Promise<void>): Promise<void> {
    const run = queue.then(task);
    queue = run.catch((err: unknown) => log.error('chain task failed', { error: describe(err) }));
    return queue;
  }

  function notify<T>(listeners: Set<(v: T) => void>, value: T): void {
    for (const l of [...listeners]) {
      try {
        l(value);
      } catch (err) {
        log.warn('chain listener failed', { error: describe(err) });
      }
    }
  }

  // ---- connection ----------------------------------------------------------------------------

  function connect(client: ElectrumClient): void {
    if (session?.client === client) return;
    endSession();
    const s: Session = {
      client,
      ctx: context(networkOf()),
      serverTip: null,
      closed: false,
      tainted: false,
      protocolFaults: 0,
      blockFaults: new Map(),
      dispose: [],
    };
    session = s;
    s.dispose.push(
      client.onNotification((method, params) => {
        if (s.closed || s.tainted || method !== 'blockchain.headers.subscribe') return;
        void enqueue(() => onTipNote(s, params[0] ?? null));
      }),
    );
    s.dispose.push(
      client.onClose(() => {
        if (session === s) endSession();
      }),
    );
    void enqueue(async () => {
      if (s.closed) return;
      let reply: JsonValue;
      try {
        reply = await client.request('blockchain.headers.subscribe', []);
      } catch (err) {
        log.warn('header subscription failed', { error: describe(err) });
        return;
      }
      await onTipNote(s, reply);
    });
  }

  function endSession(): void {
    const s = session;
    if (!s) return;
    s.closed = true;
    session = null;
    for (const d of s.dispose) d();
  }

  // ---- headers -------------------------------------------------------------------------------

  async function onTipNote(s: Session, value: JsonValue, retried = false): Promise<void> {
    if (s.closed || s.tainted) return;
    const note = HeaderNote.safeParse(value);
    let header: BlockHeader;
    try {
      if (!note.success) throw new Error('malformed tip');
      header = parseHeaderHex(note.data.hex);
    } catch {
      const err = malformedReply(
        'blockchain.headers.subscribe',
        dialectOf(s.client).version,
        'the tip is not {height, hex} with an 80-byte header',
      );
      if (protocolFault(s, err) && !retried) {
        // Ask for the tip again; a second malformed answer drops the server.
        const again = await s.client.request('blockchain.headers.subscribe', []).catch(() => null);
        if (again !== null) await onTipNote(s, again, true);
      }
      return;
    }
    const height = note.data.height;
    s.serverTip = { height, hash: header.hash };
    const { chain } = s.ctx;
    const tip = chain.tip();
    try {
      // The common case, one new block: connect it from the notification without a request.
      if (tip && height === tip.height + 1 && header.prevHash === tip.header.hash) {
        applied(s, chain.connect(height, [header]));
        return;
      }
      await catchUp(s);
    } catch (err) {
      handleHeaderError(s, err);
    }
  }

  async function catchUp(s: Session): Promise<void> {
    const { chain } = s.ctx;
    let back = 0;
    for (let round = 0; round < 100_000; round++) {
      if (s.closed || s.tainted || !s.serverTip) return;
      const target = s.serverTip;
      const tip = chain.tip();
      if (back === 0 && tip && tip.height >= target.height) {
        if (tip.height > target.height || tip.header.hash === target.hash) return;
        back = 1;
      }
      let start = chain.anchor.height;
      if (tip) start = Math.max(chain.anchor.height, chain.lastCheckpoint + 1, tip.height + 1 - back);
      const headers = await fetchHeaders(s, start, HEADER_CHUNK);
      if (headers === null || s.closed || s.tainted) return;
      if (headers.length === 0) return;
      const result = chain.connect(start, headers);
      if (result.kind === 'no-link') {
        const floor = Math.max(chain.anchor.height, chain.lastCheckpoint + 1);
        if (start <= floor || back >= MAX_WALK_BACK) {
          lie(s, 'bad-header', `its chain does not connect to ours above height ${floor}`);
          return;
        }
        back = back < 8 ? 8 : back * 4;
        continue;
      }
      back = 0;
      if (result.kind === 'less-work') {
        log.info('server is on a branch with less work; ignored', { forkHeight: result.forkHeight });
        return;
      }
      applied(s, result);
      if (result.kind === 'unchanged' && headers.length < HEADER_CHUNK) return;
    }
  }

  function applied(s: Session, result: ConnectResult): void {
    if (result.kind !== 'extended' && result.kind !== 'reorg') return;
    const { ctx } = s;
    const newTip = tipOf(result.tip);
    if (result.kind === 'reorg') {
      for (const r of result.removed) depthCache.delete(r.hash);
      const unverified = ctx.repo.unverifyFrom(result.forkHeight, 'reorg', now());
      log.info('reorg', {
        network: ctx.network,
        forkHeight: result.forkHeight,
        depth: result.removed.length,
        unverified: unverified.length,
      });
      notify(reorgListeners, {
        network: ctx.network,
        forkHeight: result.forkHeight,
        removed: result.removed,
        oldTip: tipOf(result.oldTip),
        newTip,
        unverified,
      });
    }
    notify(tipListeners, newTip);
  }

  /**
   * `count` headers from `start`, parsed by the negotiated protocol version. A reply in the wrong
   * shape is asked for again once, then the server is dropped for breaking the protocol (it fails
   * over; it is not marked as lying: nothing it said was proven false). Null when given up.
   */
  async function fetchHeaders(s: Session, start: number, count: number): Promise<BlockHeader[] | null> {
    for (;;) {
      const reply = await s.client.request('blockchain.block.headers', [start, count]);
      if (s.closed || s.tainted) return null;
      try {
        const parsed = parseHeadersReply(reply, dialectOf(s.client));
        if (parsed.count > count) {
          throw malformedReply(
            'blockchain.block.headers',
            dialectOf(s.client).version,
            `more than ${count} headers`,
          );
        }
        s.protocolFaults = 0;
        return parsed.headers.map(parseHeaderHex);
      } catch (err) {
        if (!isMalformedReply(err)) throw err;
        if (!protocolFault(s, err as FlashError)) return null;
      }
    }
  }

  /**
   * Counts a reply that broke the protocol. Returns true while it is worth asking again; at the
   * limit the connection is closed with the reason, and the Electrum service fails over.
   */
  function protocolFault(s: Session, err: FlashError): boolean {
    if (s.closed) return false;
    s.protocolFaults += 1;
    const server = serverKey(s.client.server);
    if (s.protocolFaults < PROTOCOL_FAULTS_BEFORE_DROP) {
      log.warn('reply broke the protocol; asking again', { server, error: err.message });
      return true;
    }
    log.warn('server keeps breaking the protocol; dropping the connection', { server, error: err.message });
    endSession();
    dropForProtocolFault(s.client, err);
    return false;
  }

  function handleHeaderError(s: Session, err: unknown): void {
    if (err instanceof HeaderError) {
      lie(s, err.fault === 'bad-pow' ? 'bad-pow' : 'bad-header', err.message);
      return;
    }
    if (!s.closed) log.warn('header sync failed', { error: describe(err) });
  }

  // ---- lies ----------------------------------------------------------------------------------

  function lie(s: Session, reason: LieReason, detail: string): void {
    if (s.tainted) return;
    s.tainted = true;
    const event: LieEvent = { reason, server: serverKey(s.client.server), network: s.ctx.network, detail };
    s.ctx.repo.recordLie({ server: event.server, reason, detail, caughtAt: now() });
    log.warn('server caught lying; dropping it', { server: event.server, reason, detail });
    notify(lieListeners, event);
    if (deps.dropServer) {
      deps.dropServer(event, s.client);
    } else if (electrum.markServerBad) {
      electrum.markServerBad(s.client.server, `${reason}: ${detail}`);
    } else if (started && now() - lastDropAt >= (deps.lieCooldownMs ?? 30_000)) {
      // One server only: a fresh connection is all we can do; the cooldown stops a liar from
      // making us reconnect in a loop (its later connections stay distrusted meanwhile).
      lastDropAt = now();
      queueMicrotask(() => {
        if (started) electrum.reconnect();
      });
    }
  }

  // ---- transactions --------------------------------------------------------------------------

  function record(
    ctx: NetworkContext,
    v: TxVerification,
    pos: number | null,
    keepVerified = false,
  ): TxVerification {
    const previous = ctx.repo.getProof(v.txid);
    // An offline look must not downgrade a proof we hold for the same block.
    if (keepVerified && previous?.state === 'verified' && previous.height === v.height) {
      return fromProof(previous);
    }
    ctx.repo.setProof({
      txid: v.txid,
      height: v.height,
      state: v.state,
      reason: v.reason,
      blockHash: v.blockHash,
      pos,
      checkedAt: now(),
    });
    return v;
  }

  async function verifyTransactions(
    requests: readonly VerifyRequest[],
    opts: { keepRaw?: boolean } = {},
  ): Promise<TxVerification[]> {
    await idleQueue();
    const s = session;
    const ctx = s?.ctx ?? context(networkOf());
    const out = new Array<TxVerification | undefined>(requests.length);
    const result = (
      r: VerifyRequest,
      state: ProofState,
      reason: VerifyReason | null,
      blockHash: string | null,
    ) => ({
      txid: r.txid.toLowerCase(),
      height: r.height,
      state,
      reason,
      blockHash,
    });

    const todo: number[] = [];
    requests.forEach((r, i) => {
      if (r.rawTx !== undefined && decodeTx(r.rawTx)?.txid !== r.txid.toLowerCase()) {
        // The wallet got these bytes from the server: checked before anything else, offline.
        if (s && !s.closed) lie(s, 'wrong-tx', `the bytes given for ${r.txid} do not hash to it`);
        out[i] = record(ctx, result(r, 'failed', 'wrong-tx', null), null);
        return;
      }
      if (r.height <= 0) {
        out[i] = record(ctx, result(r, 'unverified', 'unconfirmed', null), null);
        return;
      }
      const known = ctx.repo.getProof(r.txid.toLowerCase());
      const header = ctx.chain.headerAt(r.height);
      if (
        known?.state === 'verified' &&
        known.height === r.height &&
        header &&
        known.blockHash === header.hash
      ) {
        out[i] = fromProof(known);
        return;
      }
      if (!s || s.closed) out[i] = record(ctx, result(r, 'unverified', 'offline', null), null, true);
      else if (s.tainted)
        out[i] = record(ctx, result(r, 'unverified', 'server-distrusted', null), null, true);
      else todo.push(i);
    });
    if (s && todo.length > 0) {
      try {
        await verifyOnline(s, requests, todo, out, result, opts.keepRaw === true);
      } catch (err) {
        log.warn('verification failed', { error: describe(err) });
      }
    }
    return requests.map(
      (r, i) =>
        out[i] ??
        record(ctx, result(r, 'unverified', s?.tainted ? 'server-distrusted' : 'offline', null), null, true),
    );
  }

  type Make = (
    r: VerifyRequest,
    state: ProofState,
    reason: VerifyReason | null,
    hash: string | null,
  ) => TxVerification;

  async function verifyOnline(
    s: Session,
    requests: readonly VerifyRequest[],
    todo: number[],
    out: (TxVerification | undefined)[],
    make: Make,
    keepRaw: boolean,
  ): Promise<void> {
    const { ctx, client } = s;
    const { chain } = ctx;

    // Headers below the anchor: fetch each needed period whole and check it against checkpoints.
    const belowAnchor = new Map<number, number[]>();
    for (const i of todo) {
      const h = (requests[i] as VerifyRequest).height;
      if (h < chain.anchor.height && !chain.headerAt(h)) {
        const period = Math.floor(h / RETARGET_INTERVAL);
        belowAnchor.set(period, [...(belowAnchor.get(period) ?? []), h]);
      }
    }
    for (const [period, heights] of belowAnchor) {
      const headers = await fetchHeaders(s, period * RETARGET_INTERVAL, RETARGET_INTERVAL);
      if (headers === null) return;
      try {
        chain.connectCheckpointedPeriod(period, headers, heights);
      } catch (err) {
        if (err instanceof HeaderError) handleHeaderError(s, err);
        else lie(s, 'bad-header', `bad checkpointed period ${period}: ${describe(err)}`);
        return;
      }
    }

    const pending: { i: number; r: VerifyRequest; header: BlockHeader }[] = [];
    for (const i of todo) {
      const r = requests[i] as VerifyRequest;
      const header = chain.headerAt(r.height);
      if (!header) out[i] = record(ctx, make(r, 'unverified', 'header-unavailable', null), null, true);
      else pending.push({ i, r, header });
    }
    if (pending.length === 0) return;

    const needRaw = pending.filter((p) => p.r.rawTx === undefined);
    const blocks = new Map<string, { height: number; header: BlockHeader }>();
    const waitFor = new Set<Promise<void>>();
    for (const p of pending) {
      const hash = p.header.hash;
      if (depthCache.has(hash) || s.blockFaults.has(hash)) continue;
      const under = depthLookups.get(hash);
      if (under) waitFor.add(under);
      else blocks.set(hash, { height: p.r.height, header: p.header });
    }
    // Proofs, transactions and the coinbases of blocks not seen yet leave in one flight.
    waitFor.add(learnDepths(s, [...blocks.values()]));
    const [merkles, raws] = await Promise.all([
      settledBatch(
        client,
        pending.map((p) => ({ method: 'blockchain.transaction.get_merkle', params: [p.r.txid, p.r.height] })),
      ),
      settledBatch(
        client,
        needRaw.map((p) => ({ method: 'blockchain.transaction.get', params: [p.r.txid] })),
      ),
    ]);
    // A coinbase caught lying may have dropped the connection: what was received is judged anyway.
    await Promise.all(waitFor);

    // A block announced meanwhile (maybe a reorg) is applied before judging the answers, so a
    // proof refused because its block just went away is not taken for a lie.
    await idleQueue();
    const rawOf = new Map<number, Settled>();
    needRaw.forEach((p, k) => rawOf.set(p.i, raws[k] as Settled));
    // Answers already received are judged even if the connection has closed meanwhile; the
    // records of one call commit together.
    deps.db.transaction(() => judge(s, requests, pending, merkles, rawOf, out, make, keepRaw))();
  }

  /** Learns each block's tree depth from its coinbase's proof (a real coinbase, fetched and checked). */
  function learnDepths(s: Session, blocks: { height: number; header: BlockHeader }[]): Promise<void> {
    if (blocks.length === 0) return Promise.resolve();
    const job = lookUpCoinbases(s, blocks).catch((err: unknown) => {
      log.warn('coinbase proofs failed', { error: describe(err) });
    });
    for (const b of blocks) depthLookups.set(b.header.hash, job);
    void job.finally(() => {
      for (const b of blocks) if (depthLookups.get(b.header.hash) === job) depthLookups.delete(b.header.hash);
    });
    return job;
  }

  async function lookUpCoinbases(
    s: Session,
    blockList: { height: number; header: BlockHeader }[],
  ): Promise<void> {
    const { client } = s;
    const coinbases = await settledBatch(
      client,
      blockList.map((b) => ({ method: 'blockchain.transaction.id_from_pos', params: [b.height, 0, true] })),
    );
    if (s.closed) return;
    // A depth learnt any other way than from a real coinbase could come from an inner node.
    const coinbaseIds = coinbases.map((c) => {
      const parsed = c.ok ? IdFromPosReply.safeParse(c.value) : null;
      return parsed?.success ? parsed.data.tx_hash : null;
    });
    const fetched = await settledBatch(
      client,
      coinbaseIds
        .filter((id): id is string => id !== null)
        .map((id) => ({ method: 'blockchain.transaction.get', params: [id] })),
    );
    if (s.closed) return;
    let next = 0;
    const coinbaseRaw = coinbaseIds.map((id) => (id === null ? null : (fetched[next++] ?? null)));
    blockList.forEach((b, k) => {
      const c = coinbases[k];
      const parsed = c?.ok ? IdFromPosReply.safeParse(c.value) : null;
      // No coinbase proof (unsupported, busy, or a malformed reply): the tree depth stays unknown and
      // proofs are checked without it; the 64-byte rule below still guards against inner nodes.
      if (parsed && !parsed.success) {
        protocolFault(
          s,
          malformedReply(
            'blockchain.transaction.id_from_pos',
            dialectOf(client).version,
            'not {tx_hash, merkle}',
          ),
        );
      }
      if (!parsed?.success) return;
      const proof = verifyMerkleProof(parsed.data.tx_hash, parsed.data.merkle, 0, b.header.merkleRoot);
      const raw = coinbaseRaw[k];
      if (raw && !raw.ok && !isRefusal(raw.error)) return;
      const tx = raw?.ok ? decodeTx(raw.value) : null;
      if (!proof.ok) {
        s.blockFaults.set(b.header.hash, 'bad-merkle');
        lie(s, 'bad-merkle', `coinbase proof of block ${b.height}: ${proof.message}`);
        return;
      }
      if (!tx || tx.txid !== parsed.data.tx_hash.toLowerCase() || !tx.isCoinbase || tx.strippedSize === 64) {
        s.blockFaults.set(b.header.hash, 'wrong-tx');
        lie(s, 'wrong-tx', `the coinbase of block ${b.height} does not check out`);
        return;
      }
      depthCache.set(b.header.hash, parsed.data.merkle.length);
    });
  }

  /** Judges the server's answers for `pending`; the merkle proofs of one block are checked together. */
  function judge(
    s: Session,
    requests: readonly VerifyRequest[],
    pending: { i: number; r: VerifyRequest; header: BlockHeader }[],
    merkles: Settled[],
    rawOf: Map<number, Settled>,
    out: (TxVerification | undefined)[],
    make: Make,
    keepRaw: boolean,
  ): void {
    const { ctx, client } = s;
    const { chain } = ctx;
    const fail = (i: number, reason: LieReason, detail: string): void => {
      lie(s, reason, detail);
      out[i] = record(ctx, make(requests[i] as VerifyRequest, 'failed', reason, null), null);
    };
    /** Proofs that passed every other check, by block and depth, to be checked together. */
    const byBlock = new Map<
      string,
      {
        header: BlockHeader;
        depth: number | undefined;
        items: { i: number; pos: number; raw: Uint8Array | null; proof: BlockProof }[];
      }
    >();
    pending.forEach((p, k) => {
      const { i, r, header } = p;
      if (chain.headerAt(r.height)?.hash !== header.hash) {
        out[i] = record(ctx, make(r, 'unverified', 'reorg', null), null);
        return;
      }
      const m = merkles[k] as Settled;
      if (!m.ok) {
        // Only the server saying "no" counts; a timeout or a dropped connection proves nothing.
        if (isRefusal(m.error)) {
          fail(i, 'fake-history', `no proof for ${r.txid} at height ${r.height}: ${describe(m.error)}`);
        } else out[i] = record(ctx, make(r, 'unverified', 'offline', null), null, true);
        return;
      }
      const merkle = MerkleReply.safeParse(m.value);
      if (!merkle.success || merkle.data.block_height !== r.height) {
        // A shape fault, not a false proof: asked again on a later pass (or of the next server).
        protocolFault(
          s,
          malformedReply(
            'blockchain.transaction.get_merkle',
            dialectOf(client).version,
            merkle.success
              ? `block_height ${merkle.data.block_height}, asked ${r.height}`
              : 'not {block_height, merkle, pos}',
          ),
        );
        out[i] = record(ctx, make(r, 'unverified', 'protocol-error', null), null, true);
        return;
      }
      let raw: unknown = r.rawTx;
      const fetchedHere = raw === undefined;
      if (fetchedHere) {
        const got = rawOf.get(i);
        if (!got?.ok) {
          if (got && isRefusal(got.error)) fail(i, 'fake-history', `no transaction ${r.txid}`);
          else out[i] = record(ctx, make(r, 'unverified', 'offline', null), null, true);
          return;
        }
        raw = got.value;
      }
      const tx = decodeTx(raw);
      if (!tx || tx.txid !== r.txid.toLowerCase()) {
        fail(i, 'wrong-tx', `the bytes given for ${r.txid} hash to ${tx?.txid ?? 'nothing (undecodable)'}`);
        return;
      }
      const size = checkTxSize(tx.strippedSize);
      if (!size.ok) {
        out[i] = record(ctx, make(r, 'failed', 'tx-64-bytes', null), merkle.data.pos);
        return;
      }
      const depth = depthCache.get(header.hash);
      const fault = s.blockFaults.get(header.hash);
      if (depth === undefined && fault) {
        fail(i, fault, `the proofs for block ${r.height} were false`);
        return;
      }
      if (s.tainted) {
        out[i] = record(ctx, make(r, 'unverified', 'server-distrusted', null), null, true);
        return;
      }
      const key = `${header.hash}:${depth ?? ''}`;
      let group = byBlock.get(key);
      if (!group) {
        group = { header, depth, items: [] };
        byBlock.set(key, group);
      }
      group.items.push({
        i,
        pos: merkle.data.pos,
        raw: fetchedHere && keepRaw ? tx.bytes : null,
        proof: { txid: r.txid, branch: merkle.data.merkle, pos: merkle.data.pos },
      });
    });
    for (const group of byBlock.values()) {
      const checks: MerkleCheck[] = verifyBlockProofs(
        group.header.merkleRoot,
        group.items.map((it) => it.proof),
        group.depth !== undefined ? { depth: group.depth } : {},
      );
      group.items.forEach((it, k) => {
        const r = requests[it.i] as VerifyRequest;
        const check = checks[k] as MerkleCheck;
        if (!check.ok) {
          fail(it.i, 'bad-merkle', `${r.txid} at ${r.height}: ${check.fault}: ${check.message}`);
          return;
        }
        if (s.tainted) {
          out[it.i] = record(ctx, make(r, 'unverified', 'server-distrusted', null), null, true);
          return;
        }
        const verified = record(ctx, make(r, 'verified', null, group.header.hash), it.pos);
        out[it.i] = it.raw ? { ...verified, rawTx: it.raw } : verified;
      });
    }
  }

  async function idleQueue(): Promise<void> {
    let seen: Promise<void> | null = null;
    while (seen !== queue) {
      seen = queue;
      await queue;
    }
  }

  function currentCtx(): NetworkContext {
    return session?.ctx ?? context(networkOf());
  }

  return {
    start() {
      if (started) return;
      started = true;
      unsubscribeConnected = followConnections(electrum, connect);
    },
    stop() {
      started = false;
      unsubscribeConnected?.();
      unsubscribeConnected = null;
      endSession();
    },
    tip() {
      const t = currentCtx().chain.tip();
      return t ? tipOf(t) : null;
    },
    header(height) {
      return currentCtx().chain.headerAt(height);
    },
    synced() {
      const s = session;
      const t = s?.ctx.chain.tip();
      return !!s && !!t && !!s.serverTip && t.header.hash === s.serverTip.hash;
    },
    idle: idleQueue,
    async verifyTransaction(txid, height, rawTx) {
      const [v] = await verifyTransactions([{ txid, height, ...(rawTx !== undefined ? { rawTx } : {}) }]);
      return v as TxVerification;
    },
    verifyTransactions,
    proof(txid) {
      const p = currentCtx().repo.getProof(txid.toLowerCase());
      return p ? fromProof(p) : null;
    },
    onTip(listener) {
      tipListeners.add(listener);
      return () => tipListeners.delete(listener);
    },
    onReorg(listener) {
      reorgListeners.add(listener);
      return () => reorgListeners.delete(listener);
    },
    onLie(listener) {
      lieListeners.add(listener);
      return () => lieListeners.delete(listener);
    },
  };
}

interface DecodedTx {
  txid: string;
  bytes: Uint8Array;
  strippedSize: number;
  isCoinbase: boolean;
}

function decodeTx(value: unknown): DecodedTx | null {
  try {
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) bytes = value;
    else {
      const hex = RawTxReply.safeParse(value);
      if (!hex.success) return null;
      bytes = hexToBytes(hex.data);
    }
    const tx = Transaction.fromBuffer(bytes);
    return {
      txid: tx.getId(),
      bytes,
      strippedSize: tx.byteLength(false),
      isCoinbase: tx.isCoinbase(),
    };
  } catch {
    return null;
  }
}

function tipOf(s: StoredHeader): ChainTip {
  return { height: s.height, hash: s.header.hash };
}

function fromProof(p: TxProof): TxVerification {
  return {
    txid: p.txid,
    height: p.height,
    state: p.state,
    reason: p.reason as VerifyReason | null,
    blockHash: p.blockHash,
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
