import type { BlockHeader } from './header';
import { checkProofOfWork, workFromBits } from './header';
import type { Anchor, ChainParams } from './params';
import { anchorOf, MAX_FUTURE_BLOCK_TIME, MEDIAN_TIME_SPAN, RETARGET_INTERVAL, ZERO_HASH } from './params';
import type { HeaderLite } from './pow';
import { nextWorkRequired } from './pow';

/** A header on our best chain, with the work of the chain from the anchor up to and including it. */
export interface StoredHeader {
  height: number;
  header: BlockHeader;
  /** Cumulative work from the anchor (relative: only differences between our headers matter). */
  chainwork: bigint;
}

/**
 * Where validated headers live. The best chain is contiguous from the anchor to the tip; headers
 * below the anchor, checked one period at a time against checkpoints, are kept apart ("isolated").
 */
export interface HeaderStore {
  tip(): StoredHeader | null;
  /** The best-chain header at `height`, or null. */
  get(height: number): StoredHeader | null;
  /** Atomically: drop every best-chain header at or above `height`, then add `headers`. */
  replaceFrom(height: number, headers: readonly StoredHeader[]): void;
  /** A checkpoint-verified header below the anchor. */
  getIsolated(height: number): BlockHeader | null;
  putIsolated(height: number, header: BlockHeader): void;
}

export type HeaderFault =
  | 'bad-pow'
  | 'bad-bits'
  | 'bad-link'
  | 'bad-genesis'
  | 'checkpoint'
  | 'timewarp'
  /** At or below the median time of the previous 11 blocks (BIP113; Core's "time-too-old"). */
  | 'time-too-old'
  /** More than MAX_FUTURE_BLOCK_TIME ahead of the local clock (Core's "time-too-new"). */
  | 'time-too-new';

/** A header that breaks a consensus rule or a checkpoint: whoever sent it is lying. */
export class HeaderError extends Error {
  constructor(
    readonly fault: HeaderFault,
    readonly height: number,
    message: string,
  ) {
    super(message);
    this.name = 'HeaderError';
  }
}

export interface RemovedHeader {
  height: number;
  hash: string;
}

export type ConnectResult =
  | { kind: 'unchanged' }
  | { kind: 'extended'; from: number; tip: StoredHeader }
  | {
      kind: 'reorg';
      /** First height whose header was replaced. */
      forkHeight: number;
      removed: RemovedHeader[];
      oldTip: StoredHeader;
      tip: StoredHeader;
    }
  /** The first header does not link to the one we hold below it: look further back. */
  | { kind: 'no-link' }
  /** A valid branch with no more work than ours: ignored (first seen wins, as in Core). */
  | { kind: 'less-work'; forkHeight: number };

/**
 * Core's GetMedianTimePast for the block before `height`: the median time of the previous 11
 * blocks (fewer only near genesis). Null when any of them is unknown.
 */
export function medianTimePast(
  height: number,
  ancestor: (height: number) => HeaderLite | undefined,
): number | null {
  const span = Math.min(MEDIAN_TIME_SPAN, height);
  if (span <= 0) return null;
  const times: number[] = [];
  for (let h = height - 1; h >= height - span; h--) {
    const a = ancestor(h);
    if (!a) return null;
    times.push(a.timestamp);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? null;
}

/** Height of the last checkpointed block, or -1. */
export function lastCheckpointHeight(params: ChainParams): number {
  return params.checkpoints.length * RETARGET_INTERVAL - 1;
}

const lite = (height: number, h: BlockHeader): HeaderLite => ({
  height,
  timestamp: h.timestamp,
  bits: h.bits,
});

/**
 * Checks one header against its parent and the rules: prev-hash link, genesis, the bits the
 * difficulty rules demand (checkpointed period targets first, then Core's GetNextWorkRequired),
 * proof of work, the time rules (above the median time past, at most two hours ahead of `nowMs`),
 * BIP94's timewarp rule, and the checkpoint hash at a period's last block.
 */
export function validateHeader(
  params: ChainParams,
  height: number,
  header: BlockHeader,
  prevHash: string,
  ancestor: (height: number) => HeaderLite | undefined,
  nowMs: number = Date.now(),
): void {
  if (header.prevHash !== prevHash) {
    throw new HeaderError('bad-link', height, `header ${height} does not link to its parent`);
  }
  if (height === 0 && header.hash !== params.genesisHash) {
    throw new HeaderError('bad-genesis', height, 'not this network’s genesis block');
  }
  const period = Math.floor(height / RETARGET_INTERVAL);
  const cps = params.checkpoints;
  let expected: number | null;
  // The first period is always at powLimit.
  if (period === 0) expected = params.powLimitBits;
  else if (period - 1 < cps.length && cps[period - 1]?.bits != null) expected = cps[period - 1]?.bits ?? null;
  else expected = nextWorkRequired(params, height, header.timestamp, ancestor);
  if (expected === null) {
    // Unknown only inside a checkpointed period whose target the checkpoints do not give: the
    // period's last hash (checked below, and required by connect) pins every header in it.
    if (period >= cps.length) {
      throw new HeaderError('bad-bits', height, `cannot work out the difficulty at ${height}`);
    }
  } else if (header.bits !== expected) {
    throw new HeaderError(
      'bad-bits',
      height,
      `header ${height} has bits ${header.bits.toString(16)}, expected ${expected.toString(16)}`,
    );
  }
  if (!checkProofOfWork(header, params.powLimit)) {
    throw new HeaderError('bad-pow', height, `header ${height} fails proof of work`);
  }
  checkTime(height, header, ancestor, nowMs);
  if (params.bip94 && height % RETARGET_INTERVAL === 0 && height > 0) {
    const prev = ancestor(height - 1);
    if (prev && header.timestamp < prev.timestamp - 600) {
      throw new HeaderError('timewarp', height, `header ${height} breaks the BIP94 timewarp rule`);
    }
  }
  if ((height + 1) % RETARGET_INTERVAL === 0) {
    const cp = cps[(height + 1) / RETARGET_INTERVAL - 1];
    if (cp && cp.hash !== header.hash) {
      throw new HeaderError('checkpoint', height, `header ${height} does not match the checkpoint`);
    }
  }
}

/** Core's ContextualCheckBlockHeader time rules: "time-too-old" and "time-too-new". */
function checkTime(
  height: number,
  header: BlockHeader,
  ancestor: (height: number) => HeaderLite | undefined,
  nowMs: number,
): void {
  // WHY only with all previous headers known: sync may start at a checkpoint anchor, and the
  // first headers above it have fewer than 11 validated ancestors. A median over fewer blocks is
  // not the consensus rule (it could refuse an honest header), so those few are checked by the
  // other rules alone; every header from the 11th above the anchor on gets the full BIP113 check.
  const mtp = medianTimePast(height, ancestor);
  if (mtp !== null && header.timestamp <= mtp) {
    throw new HeaderError(
      'time-too-old',
      height,
      `header ${height} has time ${header.timestamp}, not after ${mtp}, the median time of the 11 blocks before it`,
    );
  }
  const limit = Math.floor(nowMs / 1000) + MAX_FUTURE_BLOCK_TIME;
  if (header.timestamp > limit) {
    const ahead = Math.round((header.timestamp - Math.floor(nowMs / 1000)) / 60);
    throw new HeaderError(
      'time-too-new',
      height,
      `header ${height} has a time ${ahead} minutes ahead of this computer's clock (at most 120 allowed): ` +
        'the server is lying, or this clock is wrong',
    );
  }
}

/**
 * Validates a whole checkpointed period (2016 headers) without any header before it: it must
 * start from the previous checkpoint (or genesis) and end on this period's checkpoint.
 */
export function validateCheckpointedPeriod(
  params: ChainParams,
  period: number,
  headers: readonly BlockHeader[],
  nowMs: number = Date.now(),
): void {
  const cps = params.checkpoints;
  if (period < 0 || period >= cps.length) throw new RangeError(`period ${period} is not checkpointed`);
  const start = period * RETARGET_INTERVAL;
  if (headers.length !== RETARGET_INTERVAL) {
    throw new HeaderError('checkpoint', start, `period ${period} needs 2016 headers, got ${headers.length}`);
  }
  let prevHash = period === 0 ? ZERO_HASH : (cps[period - 1]?.hash ?? ZERO_HASH);
  const ancestor = (h: number): HeaderLite | undefined => {
    const hdr = headers[h - start];
    return hdr && h >= start ? lite(h, hdr) : undefined;
  };
  headers.forEach((header, i) => {
    validateHeader(params, start + i, header, prevHash, ancestor, nowMs);
    prevHash = header.hash;
  });
}

/**
 * The best header chain, kept in a HeaderStore: connects batches of headers, validating each, and
 * switches to a competing branch only when it has more work (a reorg).
 */
export interface HeaderChainOptions {
  /** Where sync starts (default: after the checkpoints, see anchorOf). */
  anchor?: Anchor;
  /** The local clock, ms since the epoch: headers more than two hours ahead of it are refused. */
  now?: () => number;
}

export class HeaderChain {
  readonly anchor: Anchor;
  readonly lastCheckpoint: number;
  private readonly now: () => number;

  constructor(
    readonly params: ChainParams,
    readonly store: HeaderStore,
    options: HeaderChainOptions = {},
  ) {
    this.anchor = options.anchor ?? anchorOf(params);
    this.now = options.now ?? Date.now;
    this.lastCheckpoint = lastCheckpointHeight(params);
  }

  tip(): StoredHeader | null {
    return this.store.tip();
  }

  /** The header at `height` on our best chain, or a checkpoint-verified one below the anchor. */
  headerAt(height: number): BlockHeader | null {
    if (height < this.anchor.height) return this.store.getIsolated(height);
    return this.store.get(height)?.header ?? null;
  }

  /**
   * Connects `headers`, the first at height `start`. Throws HeaderError for any invalid header
   * (including a branch that would rewrite checkpointed history).
   */
  connect(start: number, headers: readonly BlockHeader[]): ConnectResult {
    if (headers.length === 0) return { kind: 'unchanged' };
    if (start < this.anchor.height) throw new RangeError(`height ${start} is below the anchor`);
    const first = headers[0] as BlockHeader;
    const parent = start === this.anchor.height ? null : this.store.get(start - 1);
    if (start > this.anchor.height && !parent) return { kind: 'no-link' };
    const prevHash = parent ? parent.header.hash : this.anchor.prevHash;
    if (first.prevHash !== prevHash) {
      if (!parent) {
        throw new HeaderError('checkpoint', start, 'the first header does not link to the checkpoints');
      }
      return { kind: 'no-link' };
    }
    const end = start + headers.length - 1;
    if (start <= this.lastCheckpoint) {
      const periodEnd = Math.floor(start / RETARGET_INTERVAL) * RETARGET_INTERVAL + RETARGET_INTERVAL - 1;
      if (end < periodEnd) {
        throw new HeaderError('checkpoint', start, 'a checkpointed period must arrive whole');
      }
    }

    let i = 0;
    while (i < headers.length && this.store.get(start + i)?.header.hash === headers[i]?.hash) i++;
    if (i === headers.length) return { kind: 'unchanged' };
    const fork = start + i;
    const oldTip = this.store.tip();
    const replacing = oldTip !== null && oldTip.height >= fork;
    if (replacing && fork <= this.lastCheckpoint) {
      throw new HeaderError('checkpoint', fork, 'a branch may not replace checkpointed headers');
    }

    const ancestor = (h: number): HeaderLite | undefined => {
      if (h >= start) {
        const hdr = headers[h - start];
        return hdr ? lite(h, hdr) : undefined;
      }
      const stored = this.store.get(h);
      return stored ? lite(h, stored.header) : undefined;
    };
    const below = fork === this.anchor.height ? null : this.store.get(fork - 1);
    let work = below?.chainwork ?? 0n;
    const baseWork = work;
    let prev = below?.header.hash ?? this.anchor.prevHash;
    const rows: StoredHeader[] = [];
    const nowMs = this.now();
    for (let j = i; j < headers.length; j++) {
      const header = headers[j] as BlockHeader;
      const height = start + j;
      validateHeader(this.params, height, header, prev, ancestor, nowMs);
      work += workFromBits(header.bits);
      rows.push({ height, header, chainwork: work });
      prev = header.hash;
    }
    const newTip = rows[rows.length - 1] as StoredHeader;
    if (replacing && oldTip) {
      if (work - baseWork <= oldTip.chainwork - baseWork) return { kind: 'less-work', forkHeight: fork };
      const removed: RemovedHeader[] = [];
      for (let h = fork; h <= oldTip.height; h++) {
        const s = this.store.get(h);
        if (s) removed.push({ height: h, hash: s.header.hash });
      }
      this.store.replaceFrom(fork, rows);
      return { kind: 'reorg', forkHeight: fork, removed, oldTip, tip: newTip };
    }
    this.store.replaceFrom(fork, rows);
    return { kind: 'extended', from: fork, tip: newTip };
  }

  /** Stores one header of a checkpointed period below the anchor, after checking the whole period. */
  connectCheckpointedPeriod(period: number, headers: readonly BlockHeader[], keep: readonly number[]): void {
    validateCheckpointedPeriod(this.params, period, headers, this.now());
    const start = period * RETARGET_INTERVAL;
    for (const height of keep) {
      const header = headers[height - start];
      if (header && height < this.anchor.height) this.store.putIsolated(height, header);
    }
  }
}

/** A HeaderStore in memory (unit tests, and a reference for the SQLite one). */
export function createMemoryHeaderStore(): HeaderStore {
  const best: StoredHeader[] = [];
  let base = -1;
  const isolated = new Map<number, BlockHeader>();
  return {
    tip: () => best[best.length - 1] ?? null,
    get: (height) => (base < 0 ? null : (best[height - base] ?? null)),
    replaceFrom(height, headers) {
      if (base < 0) base = headers[0]?.height ?? height;
      best.length = Math.max(0, height - base);
      best.push(...headers);
      if (best.length === 0) base = -1;
    },
    getIsolated: (height) => isolated.get(height) ?? null,
    putIsolated: (height, header) => void isolated.set(height, header),
  };
}
