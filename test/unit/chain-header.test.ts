import { describe, expect, it } from 'vitest';
import {
  bitsToTarget,
  checkProofOfWork,
  parseHeaderHex,
  serializeHeader,
  targetToBits,
  workFromBits,
} from '../../main/bitcoin/chain/header';
import type { BlockHeader } from '../../main/bitcoin/chain/header';
import { HeaderChain, HeaderError, validateHeader } from '../../main/bitcoin/chain/header-chain';
import { createMemoryHeaderStore } from '../../main/bitcoin/chain/header-chain';
import type { ChainParams } from '../../main/bitcoin/chain/params';
import { anchorOf, CHAIN_PARAMS, RETARGET_INTERVAL, ZERO_HASH } from '../../main/bitcoin/chain/params';
import type { HeaderLite } from '../../main/bitcoin/chain/pow';
import { calculateNextBits, nextWorkRequired } from '../../main/bitcoin/chain/pow';

// Real mainnet headers (genesis, blocks 1 and 2).
const GENESIS =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c';
const BLOCK1 =
  '010000006fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000982051fd1e4ba744bbbe680e1fee14677ba1a3c3540bf7b1cdb606e857233e0e61bc6649ffff001d01e36299';
const BLOCK2 =
  '010000004860eb18bf1b1620e37e9490fc8a427514416fd75159ab86688e9a8300000000d5fdcc541e25de1c7a5addedf24858b8bb665c9f36ef744ee42c316022c90f9bb0bc6649ffff001d08d2bd61';

const MAINNET = CHAIN_PARAMS.mainnet;
const lite = (height: number, timestamp: number, bits: number): HeaderLite => ({ height, timestamp, bits });

describe('header parsing and proof of work', () => {
  it('parses the real mainnet genesis, block 1 and block 2', () => {
    const g = parseHeaderHex(GENESIS);
    expect(g.hash).toBe(MAINNET.genesisHash);
    expect(g).toMatchObject({
      version: 1,
      prevHash: ZERO_HASH,
      merkleRoot: '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b',
      timestamp: 1231006505,
      bits: 0x1d00ffff,
      nonce: 2083236893,
    });
    const b1 = parseHeaderHex(BLOCK1);
    const b2 = parseHeaderHex(BLOCK2);
    expect(b1.hash).toBe('00000000839a8e6886ab5951d76f411475428afc90947ee320161bbf18eb6048');
    expect(b2.hash).toBe('000000006a625f06636b8bb6ac7b960a8d03705d1ace08b1a19da3fdcc99ddbd');
    expect(b1.prevHash).toBe(g.hash);
    expect(b2.prevHash).toBe(b1.hash);
    for (const h of [g, b1, b2]) expect(checkProofOfWork(h, MAINNET.powLimit)).toBe(true);
    expect(serializeHeader(b1)).toEqual(b1.raw);
  });

  it('validates the first real headers as a chain from genesis', () => {
    // Without checkpoints: with them, period 0 would have to arrive whole (2016 headers).
    const chain = new HeaderChain({ ...MAINNET, checkpoints: [] }, createMemoryHeaderStore());
    expect(chain.anchor).toEqual({ height: 0, prevHash: ZERO_HASH });
    const result = chain.connect(0, [GENESIS, BLOCK1, BLOCK2].map(parseHeaderHex));
    expect(result.kind).toBe('extended');
    expect(chain.tip()?.height).toBe(2);
    expect(chain.tip()?.chainwork).toBe(3n * workFromBits(0x1d00ffff));
    // 0x1d00ffff is difficulty 1: 2^32 + 2^16 + 1 hashes... Core's figure for one block.
    expect(workFromBits(0x1d00ffff)).toBe(0x100010001n);
  });

  it('rejects a header whose nonce no longer meets the target', () => {
    const b1 = parseHeaderHex(BLOCK1);
    const tampered = parseHeaderHex(BLOCK1.slice(0, 152) + '02e36299');
    expect(checkProofOfWork(tampered, MAINNET.powLimit)).toBe(false);
    const ancestor = (h: number) => (h === 0 ? lite(0, 1231006505, 0x1d00ffff) : undefined);
    expect(() => validateHeader(MAINNET, 1, b1, MAINNET.genesisHash, ancestor)).not.toThrow();
    try {
      validateHeader(MAINNET, 1, tampered, MAINNET.genesisHash, ancestor);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HeaderError);
      expect((err as HeaderError).fault).toBe('bad-pow');
    }
  });

  it('rejects a broken link, wrong genesis, and bits easier than allowed', () => {
    const b2 = parseHeaderHex(BLOCK2);
    const none = (): undefined => undefined;
    expect(() => validateHeader(MAINNET, 2, b2, MAINNET.genesisHash, none)).toThrow(/does not link/);
    const g = parseHeaderHex(GENESIS);
    expect(() => validateHeader(CHAIN_PARAMS.testnet, 0, g, ZERO_HASH, none)).toThrow(/genesis/);
    // Block 1 claiming different bits: the rule says period 0 is at powLimit.
    const raw = parseHeaderHex(BLOCK1).raw.slice();
    new DataView(raw.buffer).setUint32(72, 0x1d00fffe, true);
    const rebitted = parseHeaderHex(Buffer.from(raw).toString('hex'));
    expect(() => validateHeader(MAINNET, 1, rebitted, MAINNET.genesisHash, none)).toThrow(HeaderError);
  });

  it('converts bits and targets exactly as Core (SetCompact / GetCompact)', () => {
    expect(bitsToTarget(0x1d00ffff)).toBe(0xffffn << 208n);
    expect(targetToBits(0xffffn << 208n)).toBe(0x1d00ffff);
    expect(bitsToTarget(0x207fffff)).toBe(0x7fffffn << 232n);
    // Negative and overflowing encodings are invalid.
    expect(bitsToTarget(0x01fedcba)).toBeNull();
    expect(bitsToTarget(0xff123456)).toBeNull();
    // Core's compact round trips (arith_uint256 tests).
    expect(targetToBits(0x12n)).toBe(0x01120000);
    expect(targetToBits(0x80n)).toBe(0x02008000);
    expect(targetToBits(0x1234n)).toBe(0x02123400);
    expect(targetToBits(0x123456n)).toBe(0x03123456);
    expect(targetToBits(0x12345600n)).toBe(0x04123456);
    for (const bits of [0x1d00ffff, 0x1c05a3f4, 0x1b0404cb, 0x17034219]) {
      expect(targetToBits(bitsToTarget(bits) as bigint)).toBe(bits);
    }
  });
});

describe('difficulty retargeting (mainnet)', () => {
  // Bitcoin Core's pow_tests.cpp vectors, each cross-checked against the embedded checkpoints:
  // checkpoints[i].bits is the target of period i + 1.
  const cpBits = (period: number) => MAINNET.checkpoints[period - 1]?.bits;

  it('retargets at 32256: 1d00ffff -> 1d00d86a', () => {
    const next = calculateNextBits(
      MAINNET,
      lite(30240, 1261130161, 0x1d00ffff),
      lite(32255, 1262152739, 0x1d00ffff),
    );
    expect(next).toBe(0x1d00d86a);
    expect(cpBits(32256 / RETARGET_INTERVAL)).toBe(0x1d00d86a);
    expect(cpBits(32256 / RETARGET_INTERVAL - 1)).toBe(0x1d00ffff);
  });

  it('never goes easier than powLimit', () => {
    expect(
      calculateNextBits(MAINNET, lite(0, 1231006505, 0x1d00ffff), lite(2015, 1233061996, 0x1d00ffff)),
    ).toBe(0x1d00ffff);
  });

  it('clamps a fast period to a quarter (68544) and a slow one to four times', () => {
    expect(
      calculateNextBits(MAINNET, lite(66528, 1279008237, 0x1c05a3f4), lite(68543, 1279297671, 0x1c05a3f4)),
    ).toBe(0x1c0168fd);
    expect(cpBits(66528 / RETARGET_INTERVAL)).toBe(0x1c05a3f4);
    expect(cpBits(68544 / RETARGET_INTERVAL)).toBe(0x1c0168fd);
    expect(
      calculateNextBits(MAINNET, lite(46368, 1263163443, 0x1c387f6f), lite(48383, 1269211443, 0x1c387f6f)),
    ).toBe(0x1d00e1fd);
    // (Core's upper-limit vector uses made-up times and bits, so no checkpoint to compare with.)
  });

  it('every checkpointed period follows the clamp rule from the one before', () => {
    let prev = bitsToTarget(MAINNET.powLimitBits) as bigint;
    MAINNET.checkpoints.forEach((cp, i) => {
      const target = bitsToTarget(cp.bits as number) as bigint;
      expect(target, `period ${i + 1}`).toBeLessThanOrEqual(MAINNET.powLimit);
      // new = old * timespan / two weeks with timespan clamped to [1/4, 4]; compact rounding
      // only truncates, so allow a hair below the lower bound.
      expect(target * 4n, `period ${i + 1}`).toBeGreaterThanOrEqual(prev - (prev >> 20n));
      expect(target, `period ${i + 1}`).toBeLessThanOrEqual(prev * 4n);
      prev = target;
    });
    expect(MAINNET.checkpoints).toHaveLength(473);
    expect(MAINNET.checkpoints[0]?.hash).toBe(
      '00000000693067b0e6b440bc51450b9f3850561b07f6d3c021c54fbd6abb9763',
    );
  });

  it('asks for the previous period when the next bits are not checkpointed', () => {
    const headers = new Map<number, HeaderLite>([
      [4031, lite(4031, 1_000_000 + TWO_WEEKS, 0x1d00ffff)],
      [2016, lite(2016, 1_000_000, 0x1d00ffff)],
    ]);
    expect(nextWorkRequired(MAINNET, 4032, 0, (h) => headers.get(h))).toBe(0x1d00ffff);
    expect(nextWorkRequired(MAINNET, 4033, 0, () => undefined)).toBeNull();
    expect(
      nextWorkRequired(MAINNET, 4033, 0, (h) => (h === 4032 ? lite(4032, 5, 0x1c0ffff0) : undefined)),
    ).toBe(0x1c0ffff0);
  });
});

const TWO_WEEKS = 14 * 24 * 3600;

describe('testnet and regtest rules', () => {
  const T3 = CHAIN_PARAMS.testnet;
  const T4 = CHAIN_PARAMS.testnet4;

  it('testnet3: a block 20+ minutes after its parent may use min difficulty', () => {
    const parent = lite(100_001, 1_000_000, 0x1c00ffff);
    const get = (h: number) => (h === 100_001 ? parent : undefined);
    expect(nextWorkRequired(T3, 100_002, 1_000_000 + 1201, get)).toBe(0x1d00ffff);
    expect(nextWorkRequired(T3, 100_002, 1_000_000 + 1200, get)).toBe(0x1c00ffff);
  });

  it('testnet3: otherwise the last block that was not a min-difficulty block sets the bits', () => {
    const chain = new Map<number, HeaderLite>([
      [4032, lite(4032, 100, 0x1c00ffff)],
      [4033, lite(4033, 200, 0x1c00ffff)],
      [4034, lite(4034, 1600, 0x1d00ffff)], // a 20-minute block
      [4035, lite(4035, 3000, 0x1d00ffff)], // another
    ]);
    expect(nextWorkRequired(T3, 4036, 3100, (h) => chain.get(h))).toBe(0x1c00ffff);
    // Stops at the period start even when that is a min-difficulty block.
    const atStart = new Map<number, HeaderLite>([
      [4032, lite(4032, 100, 0x1d00ffff)],
      [4033, lite(4033, 1400, 0x1d00ffff)],
    ]);
    expect(nextWorkRequired(T3, 4034, 1500, (h) => atStart.get(h))).toBe(0x1d00ffff);
  });

  it('testnet3 retargets from the last block’s bits; testnet4 (BIP94) from the first', () => {
    const first = lite(4032, 0, 0x1c00ffff);
    const last = lite(6047, TWO_WEEKS, 0x1d00ffff);
    expect(calculateNextBits(T3, first, last)).toBe(0x1d00ffff);
    expect(calculateNextBits(T4, first, last)).toBe(0x1c00ffff);
  });

  it('regtest never retargets', () => {
    const R = CHAIN_PARAMS.regtest;
    const last = lite(2015, 1000, 0x207fffff);
    expect(nextWorkRequired(R, 2016, 1001, (h) => (h === 2015 ? last : undefined))).toBe(0x207fffff);
    expect(anchorOf(R)).toEqual({ height: 0, prevHash: ZERO_HASH });
  });

  it('anchors: mainnet after the last checkpoint, test chains one period earlier', () => {
    expect(anchorOf(MAINNET)).toEqual({
      height: 473 * RETARGET_INTERVAL,
      prevHash: MAINNET.checkpoints[472]?.hash,
    });
    const n = T3.checkpoints.length;
    expect(T3.checkpoints.every((c) => c.bits === null)).toBe(true);
    expect(anchorOf(T3)).toEqual({
      height: (n - 1) * RETARGET_INTERVAL,
      prevHash: T3.checkpoints[n - 2]?.hash,
    });
    expect(CHAIN_PARAMS.signet.checkpoints.length).toBeGreaterThan(0);
    expect(T4.checkpoints.length).toBeGreaterThan(0);
  });
});

// ---- checkpoints on a synthetic chain (regtest-easy proof of work, real rules) -------------------

/** Regtest parameters with checkpoints made from a mined chain, to exercise the checkpoint logic. */
function mineHeaders(count: number, opts: { from?: BlockHeader; fromHeight?: number; salt?: number } = {}) {
  const out: BlockHeader[] = [];
  let prev = opts.from?.hash ?? ZERO_HASH;
  let time = (opts.from?.timestamp ?? 1_600_000_000) + 1;
  for (let i = 0; i < count; i++) {
    const base = {
      version: 0x20000000,
      prevHash: prev,
      merkleRoot: (opts.salt ?? 0).toString(16).padStart(64, '0'),
      timestamp: time++,
      bits: 0x207fffff,
      nonce: 0,
    };
    for (;;) {
      const h = parseHeaderHex(Buffer.from(serializeHeader(base)).toString('hex'));
      if (checkProofOfWork(h, CHAIN_PARAMS.regtest.powLimit)) {
        out.push(h);
        prev = h.hash;
        break;
      }
      base.nonce++;
    }
  }
  return out;
}

describe('checkpoints', () => {
  const all = mineHeaders(3 * RETARGET_INTERVAL + 10);
  const params: ChainParams = {
    ...CHAIN_PARAMS.regtest,
    genesisHash: (all[0] as BlockHeader).hash,
    checkpoints: [
      { hash: (all[2015] as BlockHeader).hash, bits: 0x207fffff },
      { hash: (all[4031] as BlockHeader).hash, bits: 0x207fffff },
    ],
  };

  it('syncs from the anchor after the last checkpoint without earlier headers', () => {
    const chain = new HeaderChain(params, createMemoryHeaderStore());
    expect(chain.anchor).toEqual({ height: 4032, prevHash: (all[4031] as BlockHeader).hash });
    expect(chain.connect(4032, all.slice(4032)).kind).toBe('extended');
    expect(chain.tip()?.height).toBe(all.length - 1);
  });

  it('refuses a chain that does not connect to the last checkpoint', () => {
    const chain = new HeaderChain(params, createMemoryHeaderStore());
    const other = mineHeaders(5, { from: all[4030] as BlockHeader, salt: 7 });
    expect(() => chain.connect(4032, other)).toThrow(HeaderError);
  });

  it('checks a whole checkpointed period on demand and keeps only the needed header', () => {
    const store = createMemoryHeaderStore();
    const chain = new HeaderChain(params, store);
    chain.connectCheckpointedPeriod(1, all.slice(2016, 4032), [2500]);
    expect(chain.headerAt(2500)?.hash).toBe(all[2500]?.hash);
    expect(chain.headerAt(2501)).toBeNull();
    // A forged period: same start, different blocks, cannot end on the checkpoint.
    const forged = mineHeaders(2016, { from: all[2015] as BlockHeader, salt: 9 });
    expect(() => chain.connectCheckpointedPeriod(1, forged, [2500])).toThrow(/checkpoint/);
    expect(() => chain.connectCheckpointedPeriod(1, all.slice(2016, 4000), [2500])).toThrow(/2016/);
  });

  it('test chains (no checkpointed target) sync the last checkpointed period whole', () => {
    const noBits: ChainParams = {
      ...params,
      checkpoints: params.checkpoints.map((c) => ({ ...c, bits: null })),
    };
    const chain = new HeaderChain(noBits, createMemoryHeaderStore());
    expect(chain.anchor.height).toBe(2016);
    expect(() => chain.connect(2016, all.slice(2016, 3000))).toThrow(/whole/);
    expect(chain.connect(2016, all.slice(2016, 4032 + 5)).kind).toBe('extended');
    // Branching off below the last checkpoint is refused.
    const fork = mineHeaders(3000, { from: all[3000] as BlockHeader, salt: 3 });
    expect(() => chain.connect(3001, fork)).toThrow(HeaderError);
  });
});
