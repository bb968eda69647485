import { concatBytes } from '@noble/hashes/utils.js';
import { fromDisplayHex, hash256, toDisplayHex } from './header';

export type MerkleFault =
  /** The branch does not fold up to the block's merkle root. */
  | 'root-mismatch'
  /** The branch is not as deep as the block's tree (64-byte inner-node attack). */
  | 'wrong-depth'
  /** A node equals its sibling where that sibling is not the padding of an odd level (CVE-2012-2459). */
  | 'duplicate-node'
  /** The position does not fit the tree. */
  | 'bad-position'
  /** The transaction is exactly 64 bytes without witness: it could pass for an inner node. */
  | 'tx-64-bytes'
  | 'malformed';

export type MerkleCheck = { ok: true } | { ok: false; fault: MerkleFault; message: string };

export interface MerkleOptions {
  /**
   * Depth of the block's tree. Every leaf sits at the same depth, so a branch of any other length
   * is an attack. Electrum servers do not give the transaction count; the service learns the depth
   * from the coinbase's own proof (`blockchain.transaction.id_from_pos(height, 0, true)`).
   */
  depth?: number;
  /** Transactions in the block, when known: pins the exact shape of every level. */
  txCount?: number;
}

const HEX64 = /^[0-9a-f]{64}$/i;

/** Folds a branch (display hex, deepest first) up from `txid` at `pos`; internal byte order out. */
export function rootFromBranch(txid: string, branch: readonly string[], pos: number): Uint8Array {
  let node = fromDisplayHex(txid);
  let i = pos;
  for (const siblingHex of branch) {
    const sibling = fromDisplayHex(siblingHex);
    node = i & 1 ? hash256(concatBytes(sibling, node)) : hash256(concatBytes(node, sibling));
    i = Math.floor(i / 2);
  }
  return node;
}

/**
 * SPV check that `txid` is the `pos`-th transaction of the block whose merkle root is
 * `merkleRoot` (all display hex, `branch` deepest first, as `blockchain.transaction.get_merkle`).
 *
 * Rejects, besides a wrong root:
 * - a branch whose length is not the tree's depth (when `depth` or `txCount` is given): this is
 *   what defeats the 64-byte transaction / inner-node confusion, together with refusing 64-byte
 *   transactions outright (`checkTxSize`);
 * - a node equal to its sibling on the right-hand side (the left copy must then be the same
 *   subtree: only a duplicated-last-node mutation, CVE-2012-2459, produces that), and, when
 *   `txCount` is known, a node equal to its left-hand sibling unless that sibling is the padding of
 *   an odd level (the level's last node paired with itself).
 */
export function verifyMerkleProof(
  txid: string,
  branch: readonly string[],
  pos: number,
  merkleRoot: string,
  opts: MerkleOptions = {},
): MerkleCheck {
  return checkProof(txid, branch, pos, merkleRoot, opts, hashPair, fromDisplayHex);
}

/** One transaction's proof within a block, as `blockchain.transaction.get_merkle` gives it. */
export interface BlockProof {
  txid: string;
  branch: readonly string[];
  pos: number;
}

/**
 * The proofs of many transactions of one block, checked together: every proof still gets each
 * check of `verifyMerkleProof`, but their branches meet near the root, so a pair of nodes already
 * hashed at the same place of the tree is not hashed again (compared byte for byte first: a
 * server cannot slip a different pair through under a position another proof used).
 */
export function verifyBlockProofs(
  merkleRoot: string,
  proofs: readonly BlockProof[],
  opts: MerkleOptions = {},
): MerkleCheck[] {
  const known = new Map<string, { left: Uint8Array; right: Uint8Array; parent: Uint8Array }>();
  const decoded = new Map<string, Uint8Array>();
  const decode = (hex: string): Uint8Array => {
    let bytes = decoded.get(hex);
    if (!bytes) {
      bytes = fromDisplayHex(hex);
      decoded.set(hex, bytes);
    }
    return bytes;
  };
  return proofs.map((p) =>
    checkProof(
      p.txid,
      p.branch,
      p.pos,
      merkleRoot,
      opts,
      (left, right, level, index) => {
        const key = `${level}:${index}`;
        const seen = known.get(key);
        if (seen && equalBytes(seen.left, left) && equalBytes(seen.right, right)) return seen.parent;
        const parent = hashPair(left, right);
        known.set(key, { left, right, parent });
        return parent;
      },
      decode,
    ),
  );
}

type PairHasher = (left: Uint8Array, right: Uint8Array, level: number, index: number) => Uint8Array;

function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  return hash256(concatBytes(left, right));
}

function checkProof(
  txid: string,
  branch: readonly string[],
  pos: number,
  merkleRoot: string,
  opts: MerkleOptions,
  pair: PairHasher,
  decode: (displayHex: string) => Uint8Array,
): MerkleCheck {
  if (!HEX64.test(txid) || !HEX64.test(merkleRoot) || !branch.every((b) => HEX64.test(b))) {
    return { ok: false, fault: 'malformed', message: 'hashes must be 64 hex characters' };
  }
  if (!Number.isSafeInteger(pos) || pos < 0 || branch.length > 32) {
    return { ok: false, fault: 'bad-position', message: `position ${pos} / branch ${branch.length}` };
  }
  const depth = opts.txCount !== undefined ? treeDepth(opts.txCount) : opts.depth;
  if (depth !== undefined && branch.length !== depth) {
    return {
      ok: false,
      fault: 'wrong-depth',
      message: `branch has ${branch.length} levels, the block's tree has ${depth}`,
    };
  }
  if (pos >= 2 ** branch.length || (opts.txCount !== undefined && pos >= opts.txCount)) {
    return { ok: false, fault: 'bad-position', message: `position ${pos} does not fit the tree` };
  }
  let node = fromDisplayHex(txid);
  let i = pos;
  let width = opts.txCount;
  let level = 0;
  for (const siblingHex of branch) {
    const sibling = decode(siblingHex);
    const same = equalBytes(sibling, node);
    if (i & 1) {
      if (same) {
        return { ok: false, fault: 'duplicate-node', message: 'a right-hand node equals its left sibling' };
      }
    } else if (width !== undefined) {
      const isPadding = i + 1 >= width;
      if (isPadding !== same) {
        return {
          ok: false,
          fault: 'duplicate-node',
          message: isPadding
            ? 'the last node of an odd level must pair with itself'
            : 'a node equals its sibling',
        };
      }
    }
    const up = Math.floor(i / 2);
    node = i % 2 === 1 ? pair(sibling, node, level, up) : pair(node, sibling, level, up);
    i = up;
    level += 1;
    if (width !== undefined) width = Math.ceil(width / 2);
  }
  if (toDisplayHex(node) !== merkleRoot.toLowerCase()) {
    return {
      ok: false,
      fault: 'root-mismatch',
      message: 'the branch does not lead to the block’s merkle root',
    };
  }
  return { ok: true };
}

/** Levels above the leaves in a tree of `txCount` transactions (0 for a lone coinbase). */
export function treeDepth(txCount: number): number {
  if (!Number.isSafeInteger(txCount) || txCount < 1) throw new RangeError('a block has at least one tx');
  let depth = 0;
  while (2 ** depth < txCount) depth++;
  return depth;
}

/**
 * A transaction whose serialisation without witness is exactly 64 bytes could be mistaken for an
 * inner node (two 32-byte hashes). Core no longer relays them (and BIP54 proposes to ban them);
 * an SPV wallet refuses them.
 */
export function checkTxSize(strippedSize: number): MerkleCheck {
  return strippedSize === 64
    ? { ok: false, fault: 'tx-64-bytes', message: 'a 64-byte transaction cannot be proven by SPV' }
    : { ok: true };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
