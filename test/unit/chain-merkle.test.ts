import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import * as bitcoin from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { checkTxSize, treeDepth, verifyMerkleProof } from '../../main/bitcoin/chain/merkle';
import { hash256, merkleBranch, merkleRoot, toDisplayHex } from '../../test/stack/merkle';

const leaf = (n: number): Uint8Array => sha256(utf8ToBytes(`tx ${n}`));
const leaves = (count: number): Uint8Array[] => Array.from({ length: count }, (_, i) => leaf(i));
const hex = (xs: readonly Uint8Array[]): string[] => xs.map(toDisplayHex);

function proof(ls: readonly Uint8Array[], pos: number) {
  return {
    txid: toDisplayHex(ls[pos] as Uint8Array),
    branch: hex(merkleBranch(ls, pos)),
    root: toDisplayHex(merkleRoot(ls)),
  };
}

describe('merkle proofs', () => {
  it('verifies every position of trees of 1..33 transactions, with and without the tree shape', () => {
    for (let count = 1; count <= 33; count++) {
      const ls = leaves(count);
      for (let pos = 0; pos < count; pos++) {
        const p = proof(ls, pos);
        expect(verifyMerkleProof(p.txid, p.branch, pos, p.root)).toEqual({ ok: true });
        expect(verifyMerkleProof(p.txid, p.branch, pos, p.root, { depth: treeDepth(count) })).toEqual({
          ok: true,
        });
        expect(verifyMerkleProof(p.txid, p.branch, pos, p.root, { txCount: count })).toEqual({ ok: true });
      }
    }
  });

  it('rejects a wrong sibling, a wrong position, and a wrong root', () => {
    const ls = leaves(7);
    const p = proof(ls, 5);
    const bad = [...p.branch];
    bad[1] = toDisplayHex(leaf(99));
    expect(verifyMerkleProof(p.txid, bad, 5, p.root)).toMatchObject({ ok: false, fault: 'root-mismatch' });
    expect(verifyMerkleProof(p.txid, p.branch, 4, p.root)).toMatchObject({
      ok: false,
      fault: 'root-mismatch',
    });
    expect(verifyMerkleProof(p.txid, p.branch, 5, toDisplayHex(leaf(1)))).toMatchObject({
      ok: false,
      fault: 'root-mismatch',
    });
    expect(verifyMerkleProof(p.txid, p.branch, 8, p.root)).toMatchObject({
      ok: false,
      fault: 'bad-position',
    });
    expect(verifyMerkleProof('zz', p.branch, 5, p.root)).toMatchObject({ ok: false, fault: 'malformed' });
  });

  describe('64-byte transaction / inner node confusion', () => {
    it('an inner node passed off as a transaction: caught by the tree depth', () => {
      // Block of 4 txs. The attacker claims the 64 bytes L0||L1 are a transaction: its "txid" is
      // the inner node N01, and [N23] is a valid branch to the real root.
      const ls = leaves(4);
      const fakeTx = concatBytes(ls[0] as Uint8Array, ls[1] as Uint8Array);
      const fakeTxid = toDisplayHex(hash256(fakeTx));
      const n23 = hash256(concatBytes(ls[2] as Uint8Array, ls[3] as Uint8Array));
      const root = toDisplayHex(merkleRoot(ls));
      // Without the tree's depth the lie goes through: this is the attack.
      expect(verifyMerkleProof(fakeTxid, [toDisplayHex(n23)], 0, root)).toEqual({ ok: true });
      // The coinbase's own proof says the tree is 2 deep: a 1-level branch is refused.
      const coinbaseDepth = merkleBranch(ls, 0).length;
      expect(
        verifyMerkleProof(fakeTxid, [toDisplayHex(n23)], 0, root, { depth: coinbaseDepth }),
      ).toMatchObject({
        ok: false,
        fault: 'wrong-depth',
      });
      expect(verifyMerkleProof(fakeTxid, [toDisplayHex(n23)], 0, root, { txCount: 4 })).toMatchObject({
        ok: false,
        fault: 'wrong-depth',
      });
      // And the "transaction" itself is 64 bytes, which is refused outright.
      expect(checkTxSize(fakeTx.length)).toMatchObject({ ok: false, fault: 'tx-64-bytes' });
    });

    it('a real 64-byte transaction passed off as an inner node: a too-long branch is caught', () => {
      // A genuine 64-byte transaction (one input with empty script, one 4-byte output script).
      const t = new bitcoin.Transaction();
      t.version = 2;
      t.addInput(leaf(1), 0, 0xffffffff, new Uint8Array(0));
      t.addOutput(Uint8Array.of(0x51, 0x51, 0x51, 0x51), 1000n);
      const raw = t.toBuffer();
      expect(raw.length).toBe(64);
      expect(checkTxSize(t.byteLength(false)).ok).toBe(false);
      // Block [coinbase, t]: depth 1. The attacker claims the second half of t is a txid at
      // position 3 of a 2-deep tree; the first half of t becomes its sibling.
      const coinbase = leaf(0);
      const txHash = t.getHash();
      const root = toDisplayHex(hash256(concatBytes(coinbase, txHash)));
      const fakeTxid = toDisplayHex(raw.subarray(32, 64));
      const branch = [toDisplayHex(raw.subarray(0, 32)), toDisplayHex(coinbase)];
      expect(verifyMerkleProof(fakeTxid, branch, 3, root)).toEqual({ ok: true });
      expect(verifyMerkleProof(fakeTxid, branch, 3, root, { depth: 1 })).toMatchObject({
        ok: false,
        fault: 'wrong-depth',
      });
    });
  });

  describe('duplicated last node (CVE-2012-2459)', () => {
    it('refuses the phantom copy of an odd level’s last node, accepts the real one', () => {
      const ls = leaves(3); // [a, b, c] hashes like [a, b, c, c]
      const mutated = [...ls, ls[2] as Uint8Array];
      expect(toDisplayHex(merkleRoot(mutated))).toBe(toDisplayHex(merkleRoot(ls)));
      const phantom = proof(mutated, 3);
      expect(verifyMerkleProof(phantom.txid, phantom.branch, 3, phantom.root)).toMatchObject({
        ok: false,
        fault: 'duplicate-node',
      });
      const real = proof(ls, 2);
      expect(real.branch[0]).toBe(real.txid);
      expect(verifyMerkleProof(real.txid, real.branch, 2, real.root)).toEqual({ ok: true });
      expect(verifyMerkleProof(real.txid, real.branch, 2, real.root, { txCount: 3 })).toEqual({ ok: true });
      // Claiming the block had 4 distinct txs: then c's sibling must not equal c.
      expect(verifyMerkleProof(real.txid, real.branch, 2, real.root, { txCount: 4 })).toMatchObject({
        ok: false,
        fault: 'duplicate-node',
      });
    });

    it('refuses a duplicated subtree higher up', () => {
      // 6 txs: level 1 has 3 nodes; mutate to 8 leaves whose level 1 is [n01, n23, n45, n45].
      const ls = leaves(6);
      const mutated = [...ls, ls[4] as Uint8Array, ls[5] as Uint8Array];
      expect(toDisplayHex(merkleRoot(mutated))).toBe(toDisplayHex(merkleRoot(ls)));
      const phantom = proof(mutated, 7);
      expect(verifyMerkleProof(phantom.txid, phantom.branch, 7, phantom.root)).toMatchObject({
        ok: false,
        fault: 'duplicate-node',
      });
      const real = proof(ls, 5);
      expect(verifyMerkleProof(real.txid, real.branch, 5, real.root, { txCount: 6 })).toEqual({ ok: true });
      // With the count known, a position past the end is refused even if it folds.
      expect(verifyMerkleProof(phantom.txid, phantom.branch, 7, phantom.root, { txCount: 6 })).toMatchObject({
        ok: false,
      });
    });
  });

  it('knows tree depths', () => {
    expect([1, 2, 3, 4, 5, 8, 9, 2000].map(treeDepth)).toEqual([0, 1, 2, 2, 3, 3, 4, 11]);
  });
});
