import { describe, expect, it } from 'vitest';
import type { BlockHeader } from '../../main/bitcoin/chain/header';
import { checkProofOfWork, parseHeader, serializeHeader } from '../../main/bitcoin/chain/header';
import {
  createMemoryHeaderStore,
  HeaderChain,
  HeaderError,
  medianTimePast,
} from '../../main/bitcoin/chain/header-chain';
import type { ChainParams } from '../../main/bitcoin/chain/params';
import {
  CHAIN_PARAMS,
  MAX_FUTURE_BLOCK_TIME,
  RETARGET_INTERVAL,
  ZERO_HASH,
} from '../../main/bitcoin/chain/params';

const REGTEST = CHAIN_PARAMS.regtest;
const START = 1_700_000_000;

/** Mines one regtest-easy header on `prev` with the given time. */
function mineOne(prev: BlockHeader | null, timestamp: number, salt = 0): BlockHeader {
  const base = {
    version: 0x20000000,
    prevHash: prev?.hash ?? ZERO_HASH,
    merkleRoot: salt.toString(16).padStart(64, '0'),
    timestamp,
    bits: REGTEST.powLimitBits,
    nonce: 0,
  };
  for (;;) {
    const h = parseHeader(serializeHeader(base));
    if (checkProofOfWork(h, REGTEST.powLimit)) return h;
    base.nonce++;
  }
}

/** Headers from genesis with the given times. */
function mineChain(times: readonly number[]): BlockHeader[] {
  const out: BlockHeader[] = [];
  for (const t of times) out.push(mineOne(out[out.length - 1] ?? null, t));
  return out;
}

function chainFrom(genesis: BlockHeader, nowSeconds: number, params: Partial<ChainParams> = {}): HeaderChain {
  return new HeaderChain({ ...REGTEST, genesisHash: genesis.hash, ...params }, createMemoryHeaderStore(), {
    now: () => nowSeconds * 1000,
  });
}

function faultOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof HeaderError ? err.fault : `not a HeaderError: ${String(err)}`;
  }
}

describe('median time past (BIP113)', () => {
  it('is the median of the previous 11 times, as Core computes it, whatever their order', () => {
    // Out of order on purpose: times in a real chain go back and forth.
    const times = [50, 10, 90, 30, 70, 20, 100, 60, 40, 80, 110, 5];
    const ancestor = (h: number) => ({ height: h, timestamp: times[h] as number, bits: 0 });
    // Blocks 1..11 before height 12: sorted 10,20,30,40,50,60,70,80,90,100,110 -> 60.
    expect(medianTimePast(12, ancestor)).toBe(60);
    // Near genesis the span is shorter (Core walks back to genesis): heights 0..2 -> 50,10,90 -> 50.
    expect(medianTimePast(3, ancestor)).toBe(50);
    expect(medianTimePast(0, ancestor)).toBeNull();
    // One unknown ancestor: no median.
    expect(medianTimePast(12, (h) => (h === 4 ? undefined : ancestor(h)))).toBeNull();
  });

  it('refuses a validly mined header at or below the median of the previous 11 blocks', () => {
    const times = Array.from({ length: 12 }, (_, i) => START + i * 600);
    const headers = mineChain(times);
    const genesis = headers[0] as BlockHeader;
    const chain = chainFrom(genesis, START + 20_000);
    expect(chain.connect(0, headers).kind).toBe('extended');
    const tip = headers[11] as BlockHeader;
    // Blocks 1..11 (heights 1..11): median is the 6th, height 6.
    const mtp = START + 6 * 600;
    const atMedian = mineOne(tip, mtp);
    expect(checkProofOfWork(atMedian, REGTEST.powLimit)).toBe(true);
    expect(faultOf(() => chain.connect(12, [atMedian]))).toBe('time-too-old');
    expect(faultOf(() => chain.connect(12, [mineOne(tip, mtp - 3600)]))).toBe('time-too-old');
    expect(chain.tip()?.height).toBe(11);
    // One second later is allowed, even though it is before its parent's time.
    expect(chain.connect(12, [mineOne(tip, mtp + 1)]).kind).toBe('extended');
  });

  it('names the rule and the heights in the message', () => {
    const headers = mineChain(Array.from({ length: 12 }, (_, i) => START + i));
    const chain = chainFrom(headers[0] as BlockHeader, START + 100);
    chain.connect(0, headers);
    expect(() => chain.connect(12, [mineOne(headers[11] as BlockHeader, START)])).toThrow(
      /header 12 has time \d+, not after \d+, the median time of the 11 blocks before it/,
    );
  });

  it('checks the rule inside a batch, against the batch’s own earlier headers', () => {
    const good = mineChain(Array.from({ length: 20 }, (_, i) => START + i * 600));
    const bad = mineOne(good[19] as BlockHeader, START);
    const chain = chainFrom(good[0] as BlockHeader, START + 100_000);
    expect(faultOf(() => chain.connect(0, [...good, bad]))).toBe('time-too-old');
    // A batch is connected whole or not at all.
    expect(chain.tip()).toBeNull();
  });

  it('starts checking only with 11 known headers above a checkpoint anchor', () => {
    // A chain with one checkpointed period, synced from the anchor after it.
    const period = mineChain(Array.from({ length: RETARGET_INTERVAL + 30 }, (_, i) => START + i * 600));
    const params: Partial<ChainParams> = {
      checkpoints: [
        { hash: (period[RETARGET_INTERVAL - 1] as BlockHeader).hash, bits: REGTEST.powLimitBits },
      ],
    };
    const anchorHeight = RETARGET_INTERVAL;
    const prev = period[anchorHeight - 1] as BlockHeader;
    // The first header above the anchor has no known ancestors: an old time is not refused by
    // this rule (the checkpoint's hash is what pins it), and the header connects.
    const early = mineOne(prev, START);
    const chain = chainFrom(period[0] as BlockHeader, START + 10_000_000, params);
    expect(chain.anchor.height).toBe(anchorHeight);
    expect(chain.connect(anchorHeight, [early]).kind).toBe('extended');

    // With 11 headers above the anchor known, the 12th must beat their median.
    const chain2 = chainFrom(period[0] as BlockHeader, START + 10_000_000, params);
    const above = period.slice(anchorHeight, anchorHeight + 11);
    expect(chain2.connect(anchorHeight, above).kind).toBe('extended');
    const last = above[10] as BlockHeader;
    const mtp = (above[5] as BlockHeader).timestamp;
    expect(faultOf(() => chain2.connect(anchorHeight + 11, [mineOne(last, mtp)]))).toBe('time-too-old');
    expect(chain2.connect(anchorHeight + 11, [mineOne(last, mtp + 1)]).kind).toBe('extended');
  });
});

describe('headers from the future', () => {
  const now = START + 1_000_000;
  const headers = mineChain(Array.from({ length: 12 }, (_, i) => now - 10_000 + i * 600));
  const tip = headers[11] as BlockHeader;

  it('refuses a header more than two hours ahead of the local clock', () => {
    const chain = chainFrom(headers[0] as BlockHeader, now);
    chain.connect(0, headers);
    const tooNew = mineOne(tip, now + MAX_FUTURE_BLOCK_TIME + 1);
    expect(faultOf(() => chain.connect(12, [tooNew]))).toBe('time-too-new');
    expect(() => chain.connect(12, [tooNew])).toThrow(/ahead of this computer's clock/);
    // Exactly two hours ahead is still allowed (Core: "> now + MAX_FUTURE_BLOCK_TIME" fails).
    expect(chain.connect(12, [mineOne(tip, now + MAX_FUTURE_BLOCK_TIME)]).kind).toBe('extended');
  });

  it('reads the injected clock at each connect: the same header is fine once the clock has caught up', () => {
    let clock = now;
    const chain = new HeaderChain(
      { ...REGTEST, genesisHash: (headers[0] as BlockHeader).hash },
      createMemoryHeaderStore(),
      { now: () => clock * 1000 },
    );
    chain.connect(0, headers);
    const ahead = mineOne(tip, now + 3 * 3600);
    expect(faultOf(() => chain.connect(12, [ahead]))).toBe('time-too-new');
    clock = now + 3600 + 1;
    expect(chain.connect(12, [ahead]).kind).toBe('extended');
  });

  it('checks a whole checkpointed period against the clock too', () => {
    const future = mineChain(
      Array.from({ length: RETARGET_INTERVAL }, (_, i) => now + MAX_FUTURE_BLOCK_TIME - 100 + i),
    );
    const params: ChainParams = {
      ...REGTEST,
      genesisHash: (future[0] as BlockHeader).hash,
      checkpoints: [
        { hash: (future[RETARGET_INTERVAL - 1] as BlockHeader).hash, bits: REGTEST.powLimitBits },
      ],
    };
    const chain = new HeaderChain(params, createMemoryHeaderStore(), { now: () => now * 1000 });
    expect(faultOf(() => chain.connectCheckpointedPeriod(0, future, [5]))).toBe('time-too-new');
    const later = new HeaderChain(params, createMemoryHeaderStore(), {
      now: () => (now + RETARGET_INTERVAL) * 1000,
    });
    later.connectCheckpointedPeriod(0, future, [5]);
    expect(later.headerAt(5)?.hash).toBe(future[5]?.hash);
  });
});
