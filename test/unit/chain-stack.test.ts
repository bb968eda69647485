import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHeaderHex } from '../../main/bitcoin/chain/header';
import { checkProofOfWork } from '../../main/bitcoin/chain/header';
import { CHAIN_PARAMS } from '../../main/bitcoin/chain/params';
import { ChainRejection, RegtestChain } from '../../test/stack/chain';
import type { ChainChange } from '../../test/stack/chain';
import type { Stack } from '../../test/stack/index';
import { startStack } from '../../test/stack/index';
import { createLyingBackend } from '../../test/stack/lying';
import { hash256, toDisplayHex } from '../../test/stack/merkle';

const ALICE = 'bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3';

describe('regtest chain reorgs', () => {
  it('replaces the last blocks with a longer branch; their txs go back to the mempool', () => {
    const chain = new RegtestChain();
    const { txid } = chain.send(ALICE, 50_000);
    chain.mine(1);
    const height = chain.tipHeight;
    chain.mine(1);
    const sh = chain.scriptHashOfAddress(ALICE);
    expect(chain.history(sh)).toEqual([{ tx_hash: txid, height }]);
    const old = [height, height + 1].map((h) => chain.blockAt(h)?.hash);
    const changes: ChainChange[] = [];
    chain.onChange((c) => changes.push(c));

    const result = chain.reorg(2);
    expect(result.removed).toEqual([...old].reverse());
    expect(result.added).toHaveLength(3);
    expect(result.dropped).toEqual([]);
    expect(chain.tipHeight).toBe(height + 2);
    expect(chain.blockAt(height)?.hash).not.toBe(old[0]);
    expect(chain.blockAt(height)?.block.prevHash).toEqual(chain.blockAt(height - 1)?.block.getHash());
    expect(chain.transactionHeight(txid)).toBe(0);
    expect(chain.mempoolTxids()).toEqual([txid]);
    expect(chain.history(sh)).toEqual([{ tx_hash: txid, height: 0, fee: expect.any(Number) }]);
    expect(chain.balance(sh)).toEqual({ confirmed: 0, unconfirmed: 50_000 });
    expect(changes).toHaveLength(1);
    expect(changes[0]?.newTip).toBe(true);
    expect(changes[0]?.touched.has(sh)).toBe(true);
    // Every block of the new branch has valid proof of work.
    for (let h = height; h <= chain.tipHeight; h++) {
      const header = parseHeaderHex(chain.blockAt(h)?.headerHex as string);
      expect(checkProofOfWork(header, CHAIN_PARAMS.regtest.powLimit)).toBe(true);
    }
    // Mined again, at a new height.
    chain.mine(1);
    expect(chain.transactionHeight(txid)).toBe(chain.tipHeight);
  });

  it('can put the txs straight into the new branch, and drops those the new branch cannot hold', () => {
    const chain = new RegtestChain();
    const { txid } = chain.send(ALICE, 50_000);
    chain.mine(1);
    chain.reorg(1, { remine: true });
    expect(chain.transactionHeight(txid)).toBe(chain.tipHeight - 1);
    expect(chain.mempoolTxids()).toEqual([]);

    // A coinbase that matures only because of the blocks about to be removed.
    const young = new RegtestChain({ initialBlocks: 101 });
    young.mine(1);
    const spend = young.send(ALICE, 10_000); // spends the now-mature coinbase of block 1..2
    expect(young.mempoolTxids()).toEqual([spend.txid]);
    const r = young.reorg(101, { blocks: 102 });
    expect(r.dropped).toContain(spend.txid);
    expect(young.mempoolTxids()).toEqual([]);
    expect(() => young.reorg(0)).toThrow(ChainRejection);
    expect(() => young.reorg(2, { blocks: 2 })).toThrow(ChainRejection);
  });
});

describe('lying backend', () => {
  it('tells the truth in mode none and lies as asked otherwise', () => {
    const chain = new RegtestChain();
    const { txid } = chain.send(ALICE, 50_000);
    chain.mine(1);
    const height = chain.tipHeight;
    const sh = chain.scriptHashOfAddress(ALICE);
    const liar = createLyingBackend(chain);
    expect(liar.tip()).toBe(chain.tip());
    expect(liar.merkleProof(txid, height)).toEqual(chain.merkleProof(txid, height));

    liar.setLie('bad-pow-header');
    const bad = parseHeaderHex(liar.tip().headerHex);
    expect(checkProofOfWork(bad, CHAIN_PARAMS.regtest.powLimit)).toBe(false);
    expect(bad.prevHash).toBe(chain.blockAt(height - 1)?.hash);
    expect(liar.blockAt(height - 1)).toBe(chain.blockAt(height - 1));

    liar.setLie('wrong-tx');
    const served = liar.transactionHex(txid) as string;
    expect(toDisplayHex(hash256(Buffer.from(served, 'hex')))).not.toBe(txid);

    liar.setLie('bad-merkle');
    expect(liar.merkleProof(txid, height).merkle).not.toEqual(chain.merkleProof(txid, height).merkle);

    liar.setLie('fake-history');
    const fake = liar.fakeTxid(sh);
    expect(liar.history(sh).map((h) => h.tx_hash)).toEqual([txid, fake]);
    expect(liar.status(sh)).not.toBe(chain.status(sh));
    expect(liar.balance(sh).confirmed).toBe(chain.balance(sh).confirmed + 1_000_000);
    expect(liar.transactionHex(fake)).not.toBeNull();
    expect(() => liar.merkleProof(fake, height)).toThrow(ChainRejection);
  });
});

describe('stack control routes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.stop();
  });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(stack.controlUrl + path, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('POST /lie and stack.setLie switch lying modes; POST /reorg reorganises', async () => {
    expect(await post('/lie', { mode: 'bad-merkle' })).toEqual({ status: 200, json: { mode: 'bad-merkle' } });
    expect(stack.electrumServer.lie).toBe('bad-merkle');
    stack.setLie('none');
    expect(stack.electrumServer.lie).toBe('none');
    expect((await post('/lie', { mode: 'sometimes' })).status).toBe(400);
    const tip = stack.chain.tipHeight;
    const r = await post('/reorg', { depth: 2 });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ tipHeight: tip + 1 });
    expect((r.json.removed as string[]).length).toBe(2);
    expect((await post('/reorg', { depth: 0 })).status).toBe(400);
  });
});
