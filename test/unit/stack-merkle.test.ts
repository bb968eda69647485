import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { branchFromLevels, merkleBranch, merkleLevels, merkleRoot } from '../stack/merkle';

describe('stack merkle tree cache', () => {
  it('gives the same branch and root as building the tree per request', () => {
    for (const size of [1, 2, 3, 7, 8, 45, 500]) {
      const leaves = Array.from({ length: size }, (_, i) => sha256(new Uint8Array([i & 255, i >> 8])));
      const levels = merkleLevels(leaves);
      expect(levels.at(-1)?.[0]).toEqual(merkleRoot(leaves));
      for (const index of [0, Math.floor(size / 2), size - 1]) {
        expect(branchFromLevels(levels, index)).toEqual(merkleBranch(leaves, index));
      }
    }
  });
});
