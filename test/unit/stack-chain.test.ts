import * as bitcoin from 'bitcoinjs-lib';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  ChainRejection,
  COINBASE_MATURITY,
  dustThreshold,
  outputScriptFor,
  REGTEST_BITS,
  REGTEST_GENESIS_HASH,
  RegtestChain,
  subsidyAt,
} from '../../test/stack/chain';
import { statusHash } from '../../test/stack/electrum-status';
import { fromDisplayHex, hash256, rootFromBranch, toDisplayHex } from '../../test/stack/merkle';

const ALICE = 'bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3';
const TAPROOT = 'bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6';
const P2SH = '2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc';
const P2PKH = 'mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn';

/** Target from compact bits, as a node checks it (independent of bitcoinjs' checkProofOfWork). */
function targetFromBits(bits: number): bigint {
  const exponent = bits >>> 24;
  const mantissa = BigInt(bits & 0x007fffff);
  return mantissa * 2n ** (8n * BigInt(exponent - 3));
}

describe('regtest chain', () => {
  let chain: RegtestChain;
  beforeEach(() => {
    chain = new RegtestChain({ initialBlocks: 101 });
  });

  it('starts from the real regtest genesis block and mines 101 blocks', () => {
    expect(chain.genesisHash).toBe(REGTEST_GENESIS_HASH);
    expect(chain.blockAt(0)?.hash).toBe(REGTEST_GENESIS_HASH);
    expect(chain.blockAt(0)?.block.merkleRoot && toDisplayHex(chain.blockAt(0)!.block.merkleRoot!)).toBe(
      '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b',
    );
    expect(chain.tipHeight).toBe(101);
  });

  it('every header has valid regtest proof of work and links to its parent', () => {
    chain.send(ALICE, 50_000);
    chain.mine(3);
    const target = targetFromBits(REGTEST_BITS);
    for (let h = 0; h <= chain.tipHeight; h++) {
      const stored = chain.blockAt(h)!;
      expect(stored.header.length).toBe(80);
      const header = bitcoin.Block.fromHex(stored.headerHex);
      expect(header.bits).toBe(REGTEST_BITS);
      const hashValue = BigInt('0x' + toDisplayHex(hash256(stored.header)));
      expect(hashValue <= target).toBe(true);
      expect(header.checkProofOfWork()).toBe(true);
      expect(toDisplayHex(hash256(stored.header))).toBe(stored.hash);
      if (h > 0) expect(toDisplayHex(header.prevHash!)).toBe(chain.blockAt(h - 1)!.hash);
      expect(stored.block.checkTxRoots()).toBe(true);
    }
  });

  it('merkle branches fold up to the block merkle root (odd and even tx counts)', () => {
    const sent = [ALICE, TAPROOT, P2SH, P2PKH, ALICE].map((a, i) => chain.send(a, 10_000 + i).txid);
    chain.mine(1);
    const block = chain.tip();
    expect(block.txids.length).toBe(6);
    const root = block.block.merkleRoot!;
    for (const txid of [...sent, block.txids[0]!]) {
      const proof = chain.merkleProof(txid, block.height);
      expect(proof.block_height).toBe(block.height);
      expect(block.txids[proof.pos]).toBe(txid);
      const folded = rootFromBranch(fromDisplayHex(txid), proof.merkle.map(fromDisplayHex), proof.pos);
      expect(toDisplayHex(folded)).toBe(toDisplayHex(root));
    }
    chain.send(ALICE, 20_000);
    chain.send(ALICE, 20_000);
    chain.mine(1);
    const three = chain.tip();
    expect(three.txids.length).toBe(3);
    for (const txid of three.txids) {
      const proof = chain.merkleProof(txid, three.height);
      const folded = rootFromBranch(fromDisplayHex(txid), proof.merkle.map(fromDisplayHex), proof.pos);
      expect(folded).toEqual(three.block.merkleRoot);
    }
    expect(() => chain.merkleProof(sent[0]!, three.height)).toThrow(ChainRejection);
  });

  it('a block with only a coinbase has an empty branch whose root is the txid', () => {
    const tip = chain.tip();
    expect(chain.merkleProof(tip.txids[0]!, tip.height).merkle).toEqual([]);
    expect(toDisplayHex(tip.block.merkleRoot!)).toBe(tip.txids[0]);
  });

  it('send() pays any regtest address type with a signed P2WPKH transaction at 1-2 sat/vB', () => {
    for (const address of [ALICE, TAPROOT, P2SH, P2PKH]) {
      const { txid, vout } = chain.send(address, 25_000);
      const tx = bitcoin.Transaction.fromHex(chain.transactionHex(txid)!);
      expect(tx.outs[vout]!.value).toBe(25_000n);
      expect(tx.outs[vout]!.script).toEqual(outputScriptFor(address));
      expect(tx.hasWitnesses()).toBe(true);
      const fee = chain.mempoolFor(chain.scriptHashOfAddress(address))[0]!.fee;
      expect(fee / tx.virtualSize()).toBeGreaterThanOrEqual(1);
      expect(fee / tx.virtualSize()).toBeLessThanOrEqual(2.2);
    }
    expect(() => chain.send('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 1000)).toThrow(ChainRejection);
    expect(() => chain.send(ALICE, 10)).toThrow(/dust/);
  });

  it('reports mempool heights 0 and -1, balances and status changes', () => {
    const sh = chain.scriptHashOfAddress(ALICE);
    expect(chain.status(sh)).toBeNull();
    expect(chain.balance(sh)).toEqual({ confirmed: 0, unconfirmed: 0 });

    // At tip 101 only two coinbases are mature, so the third send spends unconfirmed change.
    const a = chain.send(ALICE, 1_000).txid;
    const b = chain.send(ALICE, 2_000).txid;
    const c = chain.send(ALICE, 3_000).txid;
    const mem = chain.mempoolFor(sh);
    expect(mem.find((m) => m.tx_hash === a)?.height).toBe(0);
    expect(mem.find((m) => m.tx_hash === b)?.height).toBe(0);
    expect(mem.find((m) => m.tx_hash === c)?.height).toBe(-1);
    expect(mem.map((m) => m.height)).toEqual([0, 0, -1]);
    expect(chain.balance(sh)).toEqual({ confirmed: 0, unconfirmed: 6_000 });
    const before = chain.status(sh);
    expect(before).toBe(statusHash(chain.history(sh)));

    chain.mine(1);
    expect(chain.balance(sh)).toEqual({ confirmed: 6_000, unconfirmed: 0 });
    expect(chain.history(sh).every((h) => h.height === chain.tipHeight)).toBe(true);
    expect(chain.status(sh)).not.toBe(before);
    expect(
      chain
        .listUnspent(sh)
        .map((u) => u.value)
        .sort(),
    ).toEqual([1_000, 2_000, 3_000]);
  });

  it('broadcast() checks that inputs exist and are unspent', () => {
    const { txid } = chain.send(ALICE, 40_000);
    const hex = chain.transactionHex(txid)!;
    expect(() => chain.broadcast(hex)).toThrow('txn-already-in-mempool');
    expect(() => chain.broadcast('zz')).toThrow('TX decode failed');

    // A conflicting spend of the same input.
    const original = bitcoin.Transaction.fromHex(hex);
    const conflict = original.clone();
    conflict.outs[0]!.value -= 1_000n;
    expect(() => chain.broadcast(conflict.toHex())).toThrow('txn-mempool-conflict');

    // An input that does not exist.
    const missing = original.clone();
    missing.ins[0]!.hash = new Uint8Array(32).fill(7);
    expect(() => chain.broadcast(missing.toHex())).toThrow('bad-txns-inputs-missingorspent');

    // Spending more than the inputs.
    chain.mine(1);
    const spend = new bitcoin.Transaction();
    spend.addInput(fromDisplayHex(txid), 0);
    spend.addOutput(outputScriptFor(ALICE), 50_000n);
    expect(() => chain.broadcast(spend.toHex())).toThrow('bad-txns-in-belowout');

    // A valid (unsigned: signatures are not checked) spend of Alice's confirmed output.
    const ok = new bitcoin.Transaction();
    ok.addInput(fromDisplayHex(txid), 0);
    ok.addOutput(outputScriptFor(TAPROOT), 39_000n);
    expect(chain.broadcast(ok.toHex())).toBe(ok.getId());
    expect(chain.balance(chain.scriptHashOfAddress(ALICE))).toEqual({
      confirmed: 40_000,
      unconfirmed: -40_000,
    });
  });

  it('enforces coinbase maturity', () => {
    const young = chain.blockAt(50)!.txids[0]!;
    const spend = new bitcoin.Transaction();
    spend.addInput(fromDisplayHex(young), 0);
    spend.addOutput(outputScriptFor(ALICE), 1_000_000n);
    expect(() => chain.broadcast(spend.toHex())).toThrow('bad-txns-premature-spend-of-coinbase');
    chain.mine(COINBASE_MATURITY);
    expect(chain.broadcast(spend.toHex())).toBe(spend.getId());
  });

  it('mines to a given address and halves the regtest subsidy every 150 blocks', () => {
    const sh = chain.scriptHashOfAddress(TAPROOT);
    chain.mine(2, TAPROOT);
    expect(chain.balance(sh).confirmed).toBe(2 * subsidyAt(chain.tipHeight));
    expect(subsidyAt(149)).toBe(5_000_000_000);
    expect(subsidyAt(150)).toBe(2_500_000_000);
  });

  it('applies Bitcoin Core dust thresholds', () => {
    expect(dustThreshold(outputScriptFor(ALICE))).toBe(294);
    expect(dustThreshold(outputScriptFor(TAPROOT))).toBe(330);
    expect(dustThreshold(outputScriptFor(P2PKH))).toBe(546);
    expect(dustThreshold(outputScriptFor(P2SH))).toBe(540);
  });

  it('notifies listeners with the script hashes a change touched', () => {
    const changes: { newTip: boolean; touched: string[] }[] = [];
    chain.onChange((c) => changes.push({ newTip: c.newTip, touched: [...c.touched] }));
    chain.send(ALICE, 5_000);
    chain.mine(1);
    const sh = chain.scriptHashOfAddress(ALICE);
    expect(changes[0]).toMatchObject({ newTip: false });
    expect(changes[0]!.touched).toContain(sh);
    expect(changes[1]!.newTip).toBe(true);
    expect(changes[1]!.touched).toContain(sh);
  });
});
