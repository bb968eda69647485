import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlockHeader } from '../../main/bitcoin/chain/header';
import { checkProofOfWork, parseHeader, serializeHeader } from '../../main/bitcoin/chain/header';
import type { HeaderStore } from '../../main/bitcoin/chain/header-chain';
import { createMemoryHeaderStore, HeaderChain, HeaderError } from '../../main/bitcoin/chain/header-chain';
import type { ChainParams } from '../../main/bitcoin/chain/params';
import { CHAIN_PARAMS, ZERO_HASH } from '../../main/bitcoin/chain/params';
import { createChainRepository } from '../../main/bitcoin/chain/repository';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';

const REGTEST = CHAIN_PARAMS.regtest;

/** Regtest-difficulty headers (about two hashes each), on top of `from`. */
function mine(count: number, from: BlockHeader | null, salt = 0): BlockHeader[] {
  const out: BlockHeader[] = [];
  let prev = from?.hash ?? ZERO_HASH;
  let time = (from?.timestamp ?? 1_600_000_000) + 1;
  for (let i = 0; i < count; i++) {
    const base = {
      version: 0x20000000,
      prevHash: prev,
      merkleRoot: salt.toString(16).padStart(64, '0'),
      timestamp: time++,
      bits: REGTEST.powLimitBits,
      nonce: 0,
    };
    for (;;) {
      const h = parseHeader(serializeHeader(base));
      if (checkProofOfWork(h, REGTEST.powLimit)) {
        out.push(h);
        prev = h.hash;
        break;
      }
      base.nonce++;
    }
  }
  return out;
}

function failingPow(h: BlockHeader): BlockHeader {
  const base = { ...h };
  for (;;) {
    base.nonce++;
    const t = parseHeader(serializeHeader(base));
    if (!checkProofOfWork(t, REGTEST.powLimit)) return t;
  }
}

const main = mine(21, null); // heights 0..20
const params: ChainParams = { ...REGTEST, genesisHash: (main[0] as BlockHeader).hash };
const at = (h: number): BlockHeader => main[h] as BlockHeader;

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function sqliteStore(): HeaderStore & ReturnType<typeof createChainRepository> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-chain-'));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, 'profile.db'));
  dbs.push(db);
  return createChainRepository(db, 'regtest');
}

describe.each([
  ['memory', () => createMemoryHeaderStore()],
  ['sqlite', () => sqliteStore()],
])('header chain with reorgs (%s store)', (_name, makeStore) => {
  it('extends, then follows a branch with more work', () => {
    const chain = new HeaderChain(params, makeStore());
    expect(chain.connect(0, main)).toMatchObject({ kind: 'extended', from: 0 });
    expect(chain.tip()?.height).toBe(20);
    expect(chain.connect(0, main).kind).toBe('unchanged');

    const branch = mine(4, at(17), 1); // 18..21 replaces 18..20
    const result = chain.connect(18, branch);
    expect(result.kind).toBe('reorg');
    if (result.kind !== 'reorg') return;
    expect(result.forkHeight).toBe(18);
    expect(result.removed).toEqual([18, 19, 20].map((h) => ({ height: h, hash: at(h).hash })));
    expect(result.oldTip.header.hash).toBe(at(20).hash);
    expect(chain.tip()).toMatchObject({ height: 21, header: { hash: branch[3]?.hash } });
    expect(chain.headerAt(18)?.hash).toBe(branch[0]?.hash);
    expect(chain.headerAt(17)?.hash).toBe(at(17).hash);
    // Chainwork grew by exactly one block's work per block.
    const one = (chain.store.get(1)?.chainwork ?? 0n) - (chain.store.get(0)?.chainwork ?? 0n);
    expect(chain.tip()?.chainwork).toBe(22n * one);
  });

  it('a chunk that starts before the fork and overlaps our headers finds the fork itself', () => {
    const chain = new HeaderChain(params, makeStore());
    chain.connect(0, main);
    const branch = mine(5, at(15), 2); // 16..20 + nothing more: same length
    expect(chain.connect(10, [...main.slice(10, 16), ...branch])).toMatchObject({
      kind: 'less-work',
      forkHeight: 16,
    });
    const longer = mine(6, at(15), 3); // 16..21
    expect(chain.connect(10, [...main.slice(10, 16), ...longer])).toMatchObject({
      kind: 'reorg',
      forkHeight: 16,
    });
    expect(chain.tip()?.height).toBe(21);
  });

  it('keeps its chain against a branch with less or equal work (first seen wins)', () => {
    const chain = new HeaderChain(params, makeStore());
    chain.connect(0, main);
    expect(chain.connect(19, mine(1, at(18), 4))).toMatchObject({ kind: 'less-work' });
    expect(chain.connect(18, mine(3, at(17), 5))).toMatchObject({ kind: 'less-work' });
    expect(chain.tip()?.header.hash).toBe(at(20).hash);
  });

  it('reports headers that do not link (a fork below the chunk, or a gap)', () => {
    const chain = new HeaderChain(params, makeStore());
    chain.connect(0, main);
    const deep = mine(8, at(10), 6); // 11..18, starts linking at 11
    expect(chain.connect(12, deep.slice(1))).toEqual({ kind: 'no-link' });
    expect(chain.connect(30, mine(1, at(20)))).toEqual({ kind: 'no-link' });
    expect(chain.tip()?.height).toBe(20);
  });

  it('refuses an invalid branch and leaves the chain untouched', () => {
    const chain = new HeaderChain(params, makeStore());
    chain.connect(0, main);
    const branch = mine(5, at(17), 7);
    branch[2] = failingPow(branch[2] as BlockHeader);
    expect(() => chain.connect(18, branch)).toThrow(HeaderError);
    try {
      chain.connect(18, branch);
    } catch (err) {
      // The tampered header fails proof of work before its successor fails to link to it.
      expect((err as HeaderError).fault).toBe('bad-pow');
      expect((err as HeaderError).height).toBe(20);
    }
    expect(chain.tip()?.header.hash).toBe(at(20).hash);
    expect(() => chain.connect(0, [mine(1, null, 8)[0] as BlockHeader])).toThrow(/genesis/);
  });
});

describe('chain repository', () => {
  it('records proofs, unverifies them on a reorg, and remembers liars', () => {
    const repo = sqliteStore();
    const chain = new HeaderChain(params, repo);
    chain.connect(0, main);
    const txid = (n: number) => n.toString(16).padStart(64, '0');
    repo.setProof({
      txid: txid(1),
      height: 15,
      state: 'verified',
      reason: null,
      blockHash: at(15).hash,
      pos: 1,
      checkedAt: 1,
    });
    repo.setProof({
      txid: txid(2),
      height: 19,
      state: 'verified',
      reason: null,
      blockHash: at(19).hash,
      pos: 1,
      checkedAt: 1,
    });
    repo.setProof({
      txid: txid(3),
      height: 0,
      state: 'unverified',
      reason: 'unconfirmed',
      blockHash: null,
      pos: null,
      checkedAt: 1,
    });
    const result = chain.connect(18, mine(4, at(17), 9));
    expect(result.kind).toBe('reorg');
    expect(repo.unverifyFrom(18, 'reorg', 2)).toEqual([txid(2)]);
    expect(repo.getProof(txid(2))).toMatchObject({ state: 'unverified', reason: 'reorg', blockHash: null });
    expect(repo.getProof(txid(1))).toMatchObject({ state: 'verified', blockHash: at(15).hash });
    repo.recordLie({ server: '127.0.0.1:1', reason: 'bad-merkle', detail: 'x', caughtAt: 3 });
    expect(repo.lies('127.0.0.1:1')).toEqual([
      { server: '127.0.0.1:1', reason: 'bad-merkle', detail: 'x', caughtAt: 3 },
    ]);
    expect(repo.lies('other:1')).toEqual([]);
  });
});
