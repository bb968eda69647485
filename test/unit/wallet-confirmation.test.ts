import { describe, expect, it } from 'vitest';
import {
  confirmationsOf,
  isConfirmed,
  isInBlock,
  standingOf,
  verificationOf,
} from '../../main/bitcoin/wallet/confirmation';

describe('one rule for "confirmed"', () => {
  it('is in a block AND verified: the server’s height alone is not enough', () => {
    expect(isConfirmed({ height: 100, proofState: 'verified' })).toBe(true);
    for (const proofState of ['unverified', 'failed', null] as const) {
      expect(isConfirmed({ height: 100, proofState })).toBe(false);
      expect(standingOf({ height: 100, proofState })).toBe('confirming');
      expect(isInBlock({ height: 100 })).toBe(true);
    }
    for (const height of [0, -1]) {
      expect(isConfirmed({ height, proofState: 'verified' })).toBe(false);
      expect(standingOf({ height, proofState: null })).toBe('mempool');
      expect(verificationOf({ height, proofState: 'unverified' })).toBe('mempool');
    }
    expect(standingOf({ height: 7, proofState: 'verified' })).toBe('confirmed');
    expect(verificationOf({ height: 7, proofState: null })).toBe('unverified');
    expect(verificationOf({ height: 7, proofState: 'failed' })).toBe('failed');
  });

  it('counts confirmations from our validated tip, and none before the proof checks out', () => {
    const verified = (height: number) => ({ height, proofState: 'verified' as const });
    expect(confirmationsOf(verified(100), 100)).toBe(1);
    expect(confirmationsOf(verified(95), 100)).toBe(6);
    expect(confirmationsOf(verified(50), null)).toBe(1);
    expect(confirmationsOf(verified(101), 100)).toBe(1);
    expect(confirmationsOf({ height: 95, proofState: 'unverified' }, 100)).toBe(0);
    expect(confirmationsOf({ height: 95, proofState: null }, 100)).toBe(0);
    expect(confirmationsOf({ height: 0, proofState: null }, 100)).toBe(0);
  });
});
