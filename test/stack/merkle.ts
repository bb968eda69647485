import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';

/** Bitcoin's double SHA-256. */
export function hash256(data: Uint8Array): Uint8Array {
  return sha256(sha256(data));
}

/** Hashes travel the wire byte-reversed ("display order"); these convert both ways. */
export function toDisplayHex(internal: Uint8Array): string {
  return bytesToHex(Uint8Array.from(internal).reverse());
}

export function fromDisplayHex(display: string): Uint8Array {
  return hexToBytes(display).reverse();
}

/**
 * Sibling hashes from leaf `index` up to the root, deepest first, exactly as Bitcoin builds the
 * tree (an odd level pairs its last node with itself). Inputs and outputs in internal byte order.
 */
export function merkleBranch(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} of ${leaves.length}`);
  const branch: Uint8Array[] = [];
  let level = [...leaves];
  let i = index;
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(level[level.length - 1] as Uint8Array);
    branch.push(level[i ^ 1] as Uint8Array);
    level = pairUp(level);
    i >>= 1;
  }
  return branch;
}

/** Every level of the tree, leaves first, each odd level padded with its last node. */
export function merkleLevels(leaves: readonly Uint8Array[]): Uint8Array[][] {
  if (leaves.length === 0) throw new RangeError('no leaves');
  const levels: Uint8Array[][] = [];
  let level = [...leaves];
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(level[level.length - 1] as Uint8Array);
    levels.push(level);
    level = pairUp(level);
  }
  levels.push(level);
  return levels;
}

/** The same branch as `merkleBranch`, read from precomputed levels. */
export function branchFromLevels(levels: readonly Uint8Array[][], index: number): Uint8Array[] {
  const first = levels[0];
  if (!first || index < 0 || index >= first.length) throw new RangeError(`leaf ${index}`);
  const branch: Uint8Array[] = [];
  let i = index;
  for (const level of levels.slice(0, -1)) {
    branch.push(level[i ^ 1] as Uint8Array);
    i >>= 1;
  }
  return branch;
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) throw new RangeError('no leaves');
  let level = [...leaves];
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(level[level.length - 1] as Uint8Array);
    level = pairUp(level);
  }
  return level[0] as Uint8Array;
}

/** What a client does with a branch: fold it back up to a root (internal byte order). */
export function rootFromBranch(leaf: Uint8Array, branch: readonly Uint8Array[], index: number): Uint8Array {
  let node = leaf;
  let i = index;
  for (const sibling of branch) {
    node = i & 1 ? hash256(concatBytes(sibling, node)) : hash256(concatBytes(node, sibling));
    i >>= 1;
  }
  return node;
}

function pairUp(level: Uint8Array[]): Uint8Array[] {
  const next: Uint8Array[] = [];
  for (let j = 0; j < level.length; j += 2) {
    next.push(hash256(concatBytes(level[j] as Uint8Array, level[j + 1] as Uint8Array)));
  }
  return next;
}
