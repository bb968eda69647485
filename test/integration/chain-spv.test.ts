import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChainService, LieEvent, ReorgEvent } from '../../main/bitcoin/chain/service';
import { createChainService } from '../../main/bitcoin/chain/service';
import { createElectrumService } from '../../main/bitcoin/electrum/service';
import type { ElectrumService } from '../../main/bitcoin/electrum/types';
import { createEventBus } from '../../main/core/event-bus';
import { silentLogger } from '../../main/core/logger';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import type { Stack } from '../stack/index';
import { startStack } from '../stack/index';

const ALICE = 'bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3';

let stack: Stack;
let dir: string;
let db: Db;
let electrum: ElectrumService;
let chain: ChainService;
const lies: LieEvent[] = [];
const reorgs: ReorgEvent[] = [];

async function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Our tip is the stack's tip, by hash. */
const inStep = (): boolean => chain.synced() && chain.tip()?.hash === stack.chain.tip().hash;

async function payAndConfirm(sats: number): Promise<{ txid: string; height: number }> {
  const { txid } = stack.chain.send(ALICE, sats);
  stack.chain.mine(1);
  await waitFor(inStep, 'the new block');
  return { txid, height: stack.chain.tipHeight };
}

beforeAll(async () => {
  stack = await startStack();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-chain-'));
  db = openDatabase(path.join(dir, 'profile.db'));
  electrum = createElectrumService({
    db,
    bus: createEventBus(),
    log: silentLogger,
    initialServer: stack.electrum,
    backoff: { baseMs: 20, maxMs: 100 },
    timeoutMs: 2_000,
    appVersion: 'test',
  });
  chain = createChainService({ db, electrum, log: silentLogger, network: 'regtest' });
  chain.onLie((e) => lies.push(e));
  chain.onReorg((e) => reorgs.push(e));
  chain.start();
  electrum.start();
});

afterEach(async () => {
  if (stack.electrumServer.lie !== 'none' || lies.length > 0) {
    stack.setLie('none');
    lies.length = 0;
    // The liar was dropped; the user (or the pool's retry) gives it another chance.
    electrum.reconnect();
    await waitFor(() => electrum.status().state === 'connected', 'reconnected');
    await waitFor(inStep, 'back in step');
  }
});

afterAll(async () => {
  chain?.stop();
  electrum?.stop();
  db?.close();
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('chain service against the regtest stack', () => {
  it('downloads and validates every header up to the tip, then follows new blocks', async () => {
    await waitFor(inStep, 'header sync');
    const tip = stack.chain.tipHeight;
    for (let h = 0; h <= tip; h++) expect(chain.header(h)?.hash).toBe(stack.chain.blockAt(h)?.hash);
    stack.chain.mine(3);
    await waitFor(inStep, 'three more blocks');
    expect(chain.tip()).toEqual({ height: tip + 3, hash: stack.chain.tip().hash });
  });

  it('verifies a confirmed transaction’s merkle proof and records it', async () => {
    const { txid, height } = await payAndConfirm(50_000);
    const v = await chain.verifyTransaction(txid, height);
    expect(v).toEqual({
      txid,
      height,
      state: 'verified',
      reason: null,
      blockHash: stack.chain.blockAt(height)?.hash,
    });
    expect(chain.proof(txid)).toEqual(v);
    // With the raw transaction handed in (as the wallet has it) and the proof already held.
    const raw = stack.chain.transactionHex(txid) as string;
    expect(await chain.verifyTransaction(txid, height, raw)).toMatchObject({ state: 'verified' });
    // In the mempool there is nothing to prove yet.
    const pending = stack.chain.send(ALICE, 20_000).txid;
    expect(await chain.verifyTransaction(pending, 0)).toMatchObject({
      state: 'unverified',
      reason: 'unconfirmed',
    });
    // Many at once: one batch per kind of request.
    stack.chain.mine(1);
    await waitFor(inStep, 'block');
    const results = await chain.verifyTransactions([
      { txid, height },
      { txid: pending, height: stack.chain.tipHeight },
    ]);
    expect(results.map((r) => r.state)).toEqual(['verified', 'verified']);
    expect(lies).toEqual([]);
  });

  it('catches a wrong merkle branch', async () => {
    const { txid, height } = await payAndConfirm(30_000);
    stack.setLie('bad-merkle');
    const v = await chain.verifyTransaction(txid, height);
    expect(v).toMatchObject({ state: 'failed', reason: 'bad-merkle' });
    expect(lies.map((l) => l.reason)).toEqual(['bad-merkle']);
    expect(lies[0]?.server).toBe(`${stack.electrum.host}:${stack.electrum.port}`);
    // Dropped: the pool stops using it and says why.
    await waitFor(() => electrum.status().state !== 'connected', 'the liar dropped');
    expect(electrum.status().warning?.code).toBe('SERVER_MARKED_BAD');
    expect(chain.proof(txid)).toMatchObject({ state: 'failed', reason: 'bad-merkle' });
  });

  it('catches a transaction that does not match its id', async () => {
    const { txid, height } = await payAndConfirm(31_000);
    stack.setLie('wrong-tx');
    const v = await chain.verifyTransaction(txid, height);
    expect(v).toMatchObject({ state: 'failed', reason: 'wrong-tx' });
    expect(lies.map((l) => l.reason)).toContain('wrong-tx');
  });

  it('catches a wrong raw transaction handed in by the wallet', async () => {
    const { txid, height } = await payAndConfirm(32_000);
    const other = stack.chain.transactionHex(stack.chain.blockAt(height)?.txids[0] as string) as string;
    const v = await chain.verifyTransaction(txid, height, other);
    expect(v).toMatchObject({ state: 'failed', reason: 'wrong-tx' });
    expect(lies.map((l) => l.reason)).toEqual(['wrong-tx']);
  });

  it('catches a fake history entry (and its fake balance)', async () => {
    await payAndConfirm(33_000);
    const sh = stack.chain.scriptHashOfAddress(ALICE);
    const realBalance = stack.chain.balance(sh).confirmed;
    stack.setLie('fake-history');
    const client = electrum.client();
    const history = (await client.request('blockchain.scripthash.get_history', [sh])) as {
      tx_hash: string;
      height: number;
    }[];
    const fake = history.find((h) => stack.chain.transactionHeight(h.tx_hash) === null);
    expect(fake).toBeDefined();
    const balance = (await client.request('blockchain.scripthash.get_balance', [sh])) as {
      confirmed: number;
    };
    expect(balance.confirmed).toBeGreaterThan(realBalance);
    // The liar even serves bytes that hash to the fake id; only the proof is impossible.
    const v = await chain.verifyTransaction(fake!.tx_hash, fake!.height);
    expect(v).toMatchObject({ state: 'failed', reason: 'fake-history' });
    expect(lies.map((l) => l.reason)).toEqual(['fake-history']);
  });

  it('catches a header that fails proof of work and keeps its own tip', async () => {
    await waitFor(inStep, 'in step');
    const before = chain.tip();
    stack.setLie('bad-pow-header');
    stack.chain.mine(1);
    await waitFor(() => lies.length > 0, 'the lie caught');
    expect(lies.map((l) => l.reason)).toEqual(['bad-pow']);
    expect(chain.tip()).toEqual(before);
    await waitFor(() => electrum.status().state !== 'connected', 'the liar dropped');
  });

  it('follows a reorg of depth 2: headers replaced, the dropped tx unverified', async () => {
    const { txid, height } = await payAndConfirm(40_000);
    stack.chain.mine(1);
    await waitFor(inStep, 'one more block');
    expect(await chain.verifyTransaction(txid, height)).toMatchObject({ state: 'verified' });
    const oldHashes = [height, height + 1].map((h) => stack.chain.blockAt(h)?.hash);
    reorgs.length = 0;

    const result = stack.chain.reorg(2);
    expect(result.removed).toHaveLength(2);
    expect(stack.chain.transactionHeight(txid)).toBe(0); // back in the mempool
    await waitFor(inStep, 'the competing branch');
    await waitFor(() => reorgs.length > 0, 'the reorg event');

    expect(reorgs).toHaveLength(1);
    expect(reorgs[0]).toMatchObject({
      network: 'regtest',
      forkHeight: height,
      removed: [
        { height, hash: oldHashes[0] },
        { height: height + 1, hash: oldHashes[1] },
      ],
      unverified: [txid],
      newTip: { height: height + 2, hash: stack.chain.tip().hash },
    });
    for (let h = height - 1; h <= height + 2; h++)
      expect(chain.header(h)?.hash).toBe(stack.chain.blockAt(h)?.hash);
    expect(chain.proof(txid)).toMatchObject({ state: 'unverified', reason: 'reorg', blockHash: null });
    expect(await chain.verifyTransaction(txid, 0)).toMatchObject({
      state: 'unverified',
      reason: 'unconfirmed',
    });
    // Mined again later: verified against the new block.
    stack.chain.mine(1);
    await waitFor(inStep, 'the tx mined again');
    const again = stack.chain.transactionHeight(txid) as number;
    expect(await chain.verifyTransaction(txid, again)).toMatchObject({ state: 'verified' });
    expect(lies).toEqual([]);
  });

  it('walks back further for a deeper reorg (depth 12)', async () => {
    await waitFor(inStep, 'in step');
    reorgs.length = 0;
    const tip = stack.chain.tipHeight;
    stack.chain.reorg(12);
    await waitFor(inStep, 'the deep reorg');
    await waitFor(() => reorgs.length > 0, 'the reorg event');
    expect(reorgs[0]).toMatchObject({ forkHeight: tip - 11, newTip: { height: tip + 1 } });
    expect(reorgs[0]?.removed).toHaveLength(12);
    expect(lies).toEqual([]);
  });

  it('catches a bad header during the initial download', async () => {
    // A second profile that has no headers yet, against a server already lying about its tip.
    const db2 = openDatabase(path.join(dir, 'fresh.db'));
    const electrum2 = createElectrumService({
      db: db2,
      bus: createEventBus(),
      log: silentLogger,
      initialServer: stack.electrum,
      timeoutMs: 2_000,
      appVersion: 'test',
    });
    const fresh = createChainService({ db: db2, electrum: electrum2, log: silentLogger, network: 'regtest' });
    const caught: LieEvent[] = [];
    fresh.onLie((e) => caught.push(e));
    try {
      stack.setLie('bad-pow-header');
      fresh.start();
      electrum2.start();
      await waitFor(() => caught.length > 0, 'the lie caught');
      expect(caught.map((c) => c.reason)).toEqual(['bad-pow']);
      // A batch is connected whole or not at all: nothing from the liar's reply is kept.
      expect(fresh.tip()).toBeNull();
      expect(electrum2.status().warning?.code).toBe('SERVER_MARKED_BAD');
    } finally {
      stack.setLie('none');
      fresh.stop();
      electrum2.stop();
      db2.close();
    }
  });

  it('stops cleanly and comes back from the stored headers', async () => {
    chain.stop();
    const stored = chain.tip();
    stack.chain.mine(2);
    chain.start();
    await waitFor(inStep, 'resumed');
    expect(chain.tip()?.height).toBe((stored?.height ?? 0) + 2);
  });
});
