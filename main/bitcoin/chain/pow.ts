import { bitsToTarget, targetToBits } from './header';
import type { ChainParams } from './params';
import { RETARGET_INTERVAL, TARGET_SPACING, TARGET_TIMESPAN } from './params';

/** The part of a header the difficulty rules read. */
export interface HeaderLite {
  height: number;
  timestamp: number;
  bits: number;
}

/** Known ancestors by height (undefined when not available). */
export type AncestorLookup = (height: number) => HeaderLite | undefined;

/**
 * Core's CalculateNextWorkRequired at a period boundary: the previous period's timespan, clamped
 * to [1/4, 4] of two weeks, scales the target; never easier than powLimit.
 */
export function calculateNextBits(params: ChainParams, first: HeaderLite, last: HeaderLite): number {
  if (params.noRetargeting) return last.bits;
  let timespan = last.timestamp - first.timestamp;
  timespan = Math.max(timespan, TARGET_TIMESPAN / 4);
  timespan = Math.min(timespan, TARGET_TIMESPAN * 4);
  // BIP94 (testnet4) retargets from the first block of the period, which cannot be a
  // 20-minute min-difficulty block; testnet3 uses the last one (its well-known bug).
  const base = bitsToTarget(params.bip94 ? first.bits : last.bits);
  if (base === null) throw new RangeError('invalid bits in the previous period');
  let next = (base * BigInt(timespan)) / BigInt(TARGET_TIMESPAN);
  if (next > params.powLimit) next = params.powLimit;
  return targetToBits(next);
}

/**
 * Core's GetNextWorkRequired: the bits a header at `height` with time `timestamp` must carry.
 * Returns null when an ancestor it needs is not known (the caller then relies on checkpoints).
 */
export function nextWorkRequired(
  params: ChainParams,
  height: number,
  timestamp: number,
  ancestor: AncestorLookup,
): number | null {
  if (height === 0) return params.powLimitBits;
  const last = ancestor(height - 1);
  if (!last) return null;
  if (height % RETARGET_INTERVAL !== 0) {
    if (params.allowMinDifficultyBlocks) {
      // testnet: a block more than 20 minutes after its parent may be mined at minimum difficulty.
      if (timestamp > last.timestamp + TARGET_SPACING * 2) return params.powLimitBits;
      // Otherwise the last block that was not such a special block sets the difficulty.
      let p: HeaderLite | undefined = last;
      while (p && p.height % RETARGET_INTERVAL !== 0 && p.bits === params.powLimitBits) {
        p = ancestor(p.height - 1);
      }
      return p ? p.bits : null;
    }
    return last.bits;
  }
  if (params.noRetargeting) return last.bits;
  const first = ancestor(height - RETARGET_INTERVAL);
  if (!first) return null;
  return calculateNextBits(params, first, last);
}
