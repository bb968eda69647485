import * as ecc from '@bitcoinerlab/secp256k1';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import * as bitcoin from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { verifyInputScripts } from './script-check';
import type { HistoryEntry } from './electrum-status';
import { scriptHashOf, sortMempoolEntries, statusHash } from './electrum-status';
import {
  branchFromLevels,
  fromDisplayHex,
  hash256,
  merkleBranch,
  merkleLevels,
  merkleRoot,
  toDisplayHex,
} from './merkle';

bitcoin.initEccLib(ecc);
const ECPair = ECPairFactory(ecc);

export const REGTEST = bitcoin.networks.regtest;
export const REGTEST_GENESIS_HASH = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';
export const REGTEST_BITS = 0x207fffff;
export const COINBASE_MATURITY = 100;
/** Regtest halves the subsidy every 150 blocks (mainnet: 210,000). */
export const HALVING_INTERVAL = 150;
export const MIN_RELAY_SAT_PER_VB = 1;

const GENESIS_COINBASE_SCRIPT_SIG =
  '04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73';
const GENESIS_OUTPUT_SCRIPT =
  '4104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac';
const WITNESS_COMMITMENT_HEADER = hexToBytes('aa21a9ed');

/** A transaction the chain refused, with Bitcoin Core's reason text where there is one. */
export class ChainRejection extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ChainRejection';
  }
}

export interface StoredBlock {
  height: number;
  /** Display hex. */
  hash: string;
  header: Uint8Array;
  headerHex: string;
  block: bitcoin.Block;
  txids: string[];
}

export interface Coin {
  txid: string;
  vout: number;
  value: number;
  script: Uint8Array;
  scriptHash: string;
  /** Block height, or 0 while in the mempool. */
  height: number;
  /** Position of the funding tx in its block (for blockchain order); 0 in the mempool. */
  txPos: number;
  coinbase: boolean;
}

interface TxRecord {
  tx: bitcoin.Transaction;
  txid: string;
  hex: string;
  /** null while in the mempool. */
  height: number | null;
  pos: number;
  fee: number;
  vsize: number;
  /** The coins its inputs spent (empty for coinbase). */
  prevouts: Coin[];
  touched: Set<string>;
  unconfirmedParent: boolean;
}

export interface MempoolEntry extends HistoryEntry {
  fee: number;
}

export interface Utxo {
  tx_hash: string;
  tx_pos: number;
  height: number;
  value: number;
}

export interface ChainChange {
  /** Set when one or more blocks were added. */
  newTip: boolean;
  /** Script hashes whose history changed. */
  touched: ReadonlySet<string>;
}

export interface ChainOptions {
  /** Blocks mined at start so the stack's coinbases are spendable (default 101). */
  initialBlocks?: number;
  /** Seed for the stack's own key; the same seed gives the same addresses every run. */
  seed?: string;
  /** Fee rate the stack pays in send() (sat/vB, default 2). */
  feeRate?: number;
  /** Seconds since the epoch for block timestamps (default: the wall clock). */
  clock?: () => number;
}

const outpointKey = (txid: string, vout: number): string => `${txid}:${vout}`;

/**
 * An in-memory regtest blockchain: real regtest genesis, blocks with real proof of work, witness
 * commitments and merkle roots, a mempool, and the indexes an Electrum server needs.
 * Signatures of broadcast transactions are not verified; everything else a node checks for
 * spendability is (inputs exist and are unspent, coinbase maturity, fees, dust).
 */
export class RegtestChain {
  readonly network = REGTEST;
  readonly genesisHash: string;
  /** The stack's own P2WPKH address; initial coinbases pay it. */
  readonly stackAddress: string;

  private readonly keyPair;
  private readonly stackScript: Uint8Array;
  /** Fee rate the stack pays and the server quotes, sat/vB. */
  readonly feeRate: number;
  private readonly clock: () => number;
  private readonly blocks: StoredBlock[] = [];
  /** Merkle tree levels per stored block, built on first proof request. */
  private readonly treeCache = new WeakMap<StoredBlock, Uint8Array[][]>();
  private readonly txs = new Map<string, TxRecord>();
  private readonly utxos = new Map<string, Coin>();
  private readonly utxosBySh = new Map<string, Set<string>>();
  private readonly confirmedHistory = new Map<string, string[]>();
  private readonly mempool = new Map<string, TxRecord>();
  private readonly mempoolOutputs = new Map<string, Coin>();
  private readonly mempoolSpends = new Map<string, string>();
  private readonly mempoolBySh = new Map<string, Set<string>>();
  private readonly listeners = new Set<(change: ChainChange) => void>();
  /** Competing branches mined so far (reorg): goes into later coinbases so their blocks differ. */
  private forks = 0;

  constructor(opts: ChainOptions = {}) {
    this.feeRate = opts.feeRate ?? 2;
    this.clock = opts.clock ?? (() => Math.floor(Date.now() / 1000));
    this.keyPair = ECPair.fromPrivateKey(sha256(utf8ToBytes(opts.seed ?? 'flash-desktop regtest stack')), {
      network: REGTEST,
    });
    const payment = bitcoin.payments.p2wpkh({ pubkey: this.keyPair.publicKey, network: REGTEST });
    if (!payment.address || !payment.output) throw new Error('cannot derive the stack address');
    this.stackAddress = payment.address;
    this.stackScript = payment.output;

    const genesis = buildGenesis();
    this.genesisHash = genesis.getId();
    if (this.genesisHash !== REGTEST_GENESIS_HASH) throw new Error(`genesis mismatch: ${this.genesisHash}`);
    // The genesis coinbase is unspendable and, like real servers, not indexed.
    this.blocks.push(storeBlock(genesis, 0));
    const first = genesis.transactions?.[0];
    if (first) {
      this.txs.set(first.getId(), {
        tx: first,
        txid: first.getId(),
        hex: first.toHex(),
        height: 0,
        pos: 0,
        fee: 0,
        vsize: first.virtualSize(),
        prevouts: [],
        touched: new Set(),
        unconfirmedParent: false,
      });
    }
    if ((opts.initialBlocks ?? 101) > 0) this.mine(opts.initialBlocks ?? 101);
  }

  // ---- chain ------------------------------------------------------------------------------

  get tipHeight(): number {
    return this.blocks.length - 1;
  }

  tip(): StoredBlock {
    return this.blocks[this.blocks.length - 1] as StoredBlock;
  }

  blockAt(height: number): StoredBlock | null {
    return this.blocks[height] ?? null;
  }

  /** Header hashes from 0 to `upTo`, internal byte order (for checkpoint proofs). */
  headerHashes(upTo: number): Uint8Array[] {
    return this.blocks.slice(0, upTo + 1).map((b) => b.block.getHash());
  }

  transactionHex(txid: string): string | null {
    return this.txs.get(txid)?.hex ?? null;
  }

  /** Height of a confirmed tx, 0 for mempool, null when unknown. */
  transactionHeight(txid: string): number | null {
    const rec = this.txs.get(txid);
    if (!rec) return null;
    return rec.height ?? 0;
  }

  /** Mines `count` blocks; the first takes the whole mempool. Returns the new block hashes. */
  mine(count: number, toAddress?: string): string[] {
    if (!Number.isSafeInteger(count) || count < 1)
      throw new ChainRejection('block count must be a positive integer');
    const payout = toAddress === undefined ? this.stackScript : outputScriptFor(toAddress);
    const touched = new Set<string>();
    const hashes: string[] = [];
    for (let n = 0; n < count; n++) {
      const stored = this.mineOne(payout, touched);
      hashes.push(stored.hash);
    }
    this.emit({ newTip: true, touched });
    return hashes;
  }

  private mineOne(payout: Uint8Array, touched: Set<string>, takeMempool = true): StoredBlock {
    const height = this.blocks.length;
    const prev = this.tip();
    const included = takeMempool ? [...this.mempool.values()] : [];
    const fees = included.reduce((sum, rec) => sum + rec.fee, 0);
    const coinbase = buildCoinbase(height, payout, subsidyAt(height) + fees, included, this.forks);

    const block = new bitcoin.Block();
    block.version = 0x20000000;
    block.prevHash = prev.block.getHash();
    block.timestamp = Math.max(prev.block.timestamp + 1, this.clock());
    block.bits = REGTEST_BITS;
    block.transactions = [coinbase, ...included.map((rec) => rec.tx)];
    block.merkleRoot = bitcoin.Block.calculateMerkleRoot(block.transactions);
    block.nonce = 0;
    while (!block.checkProofOfWork()) block.nonce++;

    const stored = storeBlock(block, height);
    this.blocks.push(stored);
    const coinbaseRec: TxRecord = {
      tx: coinbase,
      txid: coinbase.getId(),
      hex: coinbase.toHex(),
      height,
      pos: 0,
      fee: 0,
      vsize: coinbase.virtualSize(),
      prevouts: [],
      touched: new Set(
        coinbase.outs.filter((o) => !isUnspendable(o.script)).map((o) => scriptHashOf(o.script)),
      ),
      unconfirmedParent: false,
    };
    this.txs.set(coinbaseRec.txid, coinbaseRec);
    const records = [coinbaseRec, ...included];
    records.forEach((rec, pos) => {
      rec.height = height;
      rec.pos = pos;
      for (const coin of rec.prevouts) this.removeUtxo(outpointKey(coin.txid, coin.vout));
      rec.tx.outs.forEach((out, vout) => {
        if (isUnspendable(out.script)) return;
        this.addUtxo({
          txid: rec.txid,
          vout,
          value: Number(out.value),
          script: out.script,
          scriptHash: scriptHashOf(out.script),
          height,
          txPos: pos,
          coinbase: pos === 0,
        });
      });
      for (const sh of rec.touched) {
        const list = this.confirmedHistory.get(sh) ?? [];
        list.push(rec.txid);
        this.confirmedHistory.set(sh, list);
        touched.add(sh);
      }
    });
    if (takeMempool) this.clearMempool();
    return stored;
  }

  private clearMempool(): void {
    this.mempool.clear();
    this.mempoolOutputs.clear();
    this.mempoolSpends.clear();
    this.mempoolBySh.clear();
  }

  /**
   * A reorg: disconnects the last `depth` blocks and mines a competing branch of `blocks` blocks
   * (default depth + 1, so it has more work and every client follows it).
   *
   * Like a node, the disconnected blocks' transactions go back to the mempool (their coinbases
   * vanish), followed by what was already there; any that no longer fit (e.g. spending a vanished
   * coinbase) are dropped. With `remine: false` (default) the new branch leaves the mempool alone,
   * so those transactions end up unconfirmed; `remine: true` puts them into its first block.
   */
  reorg(
    depth: number,
    opts: { blocks?: number; remine?: boolean; toAddress?: string } = {},
  ): {
    removed: string[];
    added: string[];
    dropped: string[];
  } {
    if (!Number.isSafeInteger(depth) || depth < 1 || depth > this.tipHeight) {
      throw new ChainRejection(`reorg depth must be 1..${this.tipHeight}`);
    }
    const count = opts.blocks ?? depth + 1;
    if (!Number.isSafeInteger(count) || count <= depth) {
      throw new ChainRejection('the competing branch needs more blocks than it replaces');
    }
    const payout = opts.toAddress === undefined ? this.stackScript : outputScriptFor(opts.toAddress);
    const touched = new Set<string>();
    const removed: string[] = [];
    const returned: TxRecord[] = [];
    const previousMempool = [...this.mempool.values()];
    for (let n = 0; n < depth; n++) {
      const stored = this.blocks.pop() as StoredBlock;
      removed.push(stored.hash);
      const records = stored.txids.map((txid) => this.txs.get(txid) as TxRecord);
      for (const rec of [...records].reverse()) {
        rec.tx.outs.forEach((out, vout) => {
          if (!isUnspendable(out.script)) this.removeUtxo(outpointKey(rec.txid, vout));
        });
        for (const coin of rec.prevouts) this.addUtxo(coin);
        for (const sh of rec.touched) {
          const list = this.confirmedHistory.get(sh);
          const at = list?.lastIndexOf(rec.txid) ?? -1;
          if (list && at >= 0) list.splice(at, 1);
          touched.add(sh);
        }
        if (rec.pos === 0) this.txs.delete(rec.txid);
        else returned.unshift(rec);
      }
    }
    // Back to the mempool, oldest first, then what was waiting already.
    this.clearMempool();
    const dropped: string[] = [];
    for (const rec of [...returned, ...previousMempool]) {
      this.txs.delete(rec.txid);
      for (const sh of rec.touched) touched.add(sh);
      try {
        const again = this.accept(rec.tx);
        for (const sh of again.touched) touched.add(sh);
      } catch (err) {
        if (!(err instanceof ChainRejection)) throw err;
        dropped.push(rec.txid);
      }
    }
    this.forks++;
    const added: string[] = [];
    for (let n = 0; n < count; n++) {
      added.push(this.mineOne(payout, touched, opts.remine === true && n === 0).hash);
    }
    this.emit({ newTip: true, touched });
    return { removed, added, dropped };
  }

  private addUtxo(coin: Coin): void {
    const key = outpointKey(coin.txid, coin.vout);
    this.utxos.set(key, coin);
    const set = this.utxosBySh.get(coin.scriptHash) ?? new Set<string>();
    set.add(key);
    this.utxosBySh.set(coin.scriptHash, set);
  }

  private removeUtxo(key: string): void {
    const coin = this.utxos.get(key);
    if (!coin) return;
    this.utxos.delete(key);
    this.utxosBySh.get(coin.scriptHash)?.delete(key);
  }

  // ---- mempool ----------------------------------------------------------------------------

  /** Pays `sats` to `address` from the stack's own coins. Returns the txid (vout 0 is the payment). */
  send(address: string, sats: number): { txid: string; vout: number } {
    const script = outputScriptFor(address);
    if (!Number.isSafeInteger(sats) || sats <= 0)
      throw new ChainRejection('amount must be a positive integer of sats');
    if (sats < dustThreshold(script))
      throw new ChainRejection(`amount below the dust threshold (${dustThreshold(script)} sats)`);

    const chosen: Coin[] = [];
    let total = 0;
    let fee = 0;
    for (const coin of this.spendableStackCoins()) {
      chosen.push(coin);
      total += coin.value;
      fee = Math.ceil(estimateVsize(chosen.length, [script, this.stackScript]) * this.feeRate);
      if (total >= sats + fee) break;
    }
    if (total < sats + fee) throw new ChainRejection(`the stack has only ${total} sats spendable`);

    const psbt = new bitcoin.Psbt({ network: REGTEST });
    for (const coin of chosen) {
      psbt.addInput({
        hash: coin.txid,
        index: coin.vout,
        sequence: 0xfffffffd,
        witnessUtxo: { script: coin.script, value: BigInt(coin.value) },
      });
    }
    psbt.addOutput({ script, value: BigInt(sats) });
    const change = total - sats - fee;
    if (change >= dustThreshold(this.stackScript))
      psbt.addOutput({ script: this.stackScript, value: BigInt(change) });
    psbt.signAllInputs(this.keyPair);
    psbt.finalizeAllInputs();
    const txid = this.broadcast(psbt.extractTransaction().toHex());
    return { txid, vout: 0 };
  }

  /** Mature confirmed coins first (oldest first), then unconfirmed change. */
  private spendableStackCoins(): Coin[] {
    const sh = scriptHashOf(this.stackScript);
    const nextHeight = this.tipHeight + 1;
    const confirmed = [...(this.utxosBySh.get(sh) ?? [])]
      .map((key) => this.utxos.get(key) as Coin)
      .filter((c) => !this.mempoolSpends.has(outpointKey(c.txid, c.vout)))
      .filter((c) => !c.coinbase || nextHeight - c.height >= COINBASE_MATURITY)
      .sort((a, b) => a.height - b.height || a.txPos - b.txPos || a.vout - b.vout);
    const pending = [...this.mempoolOutputs.values()].filter(
      (c) => c.scriptHash === sh && !this.mempoolSpends.has(outpointKey(c.txid, c.vout)),
    );
    return [...confirmed, ...pending];
  }

  /**
   * Off by default because bulk funding spends with dummy witnesses; tests of wallet signing turn
   * it on so a wrong signature is rejected as a node would.
   */
  checkScripts = false;

  /**
   * The mempool's own fee floor (sat/vB), which a full mempool raises above the relay floor: a tx
   * paying less is refused for now with "mempool min fee not met", as Core does.
   */
  mempoolMinFeeRate = MIN_RELAY_SAT_PER_VB;

  /** Accepts a raw transaction into the mempool after the checks a node makes (signatures when `checkScripts`). */
  broadcast(rawHex: string): string {
    return this.admit(rawHex, true);
  }

  /**
   * A parent below the relay floor, admitted because its package's child pays for both (see
   * package-relay.ts, which checks the package rate first). Every other rule still applies.
   */
  admitPackageParent(rawHex: string): string {
    return this.admit(rawHex, false);
  }

  private admit(rawHex: string, relayFeeFloor: boolean): string {
    let tx: bitcoin.Transaction;
    try {
      if (!/^([0-9a-fA-F]{2})+$/.test(rawHex)) throw new Error('not hex');
      tx = bitcoin.Transaction.fromHex(rawHex);
    } catch {
      throw new ChainRejection('TX decode failed');
    }
    const { txid, touched } = this.accept(tx, relayFeeFloor);
    this.emit({ newTip: false, touched });
    return txid;
  }

  private accept(tx: bitcoin.Transaction, relayFeeFloor = true): { txid: string; touched: Set<string> } {
    const txid = tx.getId();
    if (tx.isCoinbase()) throw new ChainRejection('coinbase');
    if (tx.ins.length === 0) throw new ChainRejection('bad-txns-vin-empty');
    if (tx.outs.length === 0) throw new ChainRejection('bad-txns-vout-empty');
    if (this.mempool.has(txid)) throw new ChainRejection('txn-already-in-mempool');
    if (this.txs.has(txid)) throw new ChainRejection('txn-already-known');

    const seen = new Set<string>();
    const prevouts: Coin[] = [];
    let unconfirmedParent = false;
    const nextHeight = this.tipHeight + 1;
    for (const input of tx.ins) {
      const key = outpointKey(toDisplayHex(input.hash), input.index);
      if (seen.has(key)) throw new ChainRejection('bad-txns-inputs-duplicate');
      seen.add(key);
      if (this.mempoolSpends.has(key)) throw new ChainRejection('txn-mempool-conflict');
      const confirmed = this.utxos.get(key);
      const coin = confirmed ?? this.mempoolOutputs.get(key);
      if (!coin) throw new ChainRejection('bad-txns-inputs-missingorspent');
      if (!confirmed) unconfirmedParent = true;
      if (coin.coinbase && nextHeight - coin.height < COINBASE_MATURITY) {
        throw new ChainRejection('bad-txns-premature-spend-of-coinbase');
      }
      prevouts.push(coin);
    }
    if (this.checkScripts) {
      try {
        verifyInputScripts(tx, prevouts);
      } catch (err) {
        throw new ChainRejection(
          `mandatory-script-verify-flag-failed (${err instanceof Error ? err.message : String(err)})`,
        );
      }
    }
    const inValue = prevouts.reduce((sum, c) => sum + c.value, 0);
    const outValue = tx.outs.reduce((sum, o) => sum + Number(o.value), 0);
    if (outValue > inValue) throw new ChainRejection('bad-txns-in-belowout');
    for (const out of tx.outs) {
      if (!isUnspendable(out.script) && Number(out.value) < dustThreshold(out.script))
        throw new ChainRejection('dust');
    }
    const fee = inValue - outValue;
    const vsize = tx.virtualSize();
    // Core checks its mempool's dynamic floor first, then the static relay floor.
    const mempoolFloor = Math.ceil(vsize * this.mempoolMinFeeRate);
    if (relayFeeFloor && this.mempoolMinFeeRate > MIN_RELAY_SAT_PER_VB && fee < mempoolFloor) {
      throw new ChainRejection(`mempool min fee not met, ${fee} < ${mempoolFloor}`);
    }
    if (relayFeeFloor && fee < vsize * MIN_RELAY_SAT_PER_VB)
      throw new ChainRejection('min relay fee not met');

    const touched = new Set<string>(prevouts.map((c) => c.scriptHash));
    const rec: TxRecord = {
      tx,
      txid,
      hex: tx.toHex(),
      height: null,
      pos: 0,
      fee,
      vsize,
      prevouts,
      touched,
      unconfirmedParent,
    };
    tx.outs.forEach((out, vout) => {
      if (isUnspendable(out.script)) return;
      const sh = scriptHashOf(out.script);
      touched.add(sh);
      this.mempoolOutputs.set(outpointKey(txid, vout), {
        txid,
        vout,
        value: Number(out.value),
        script: out.script,
        scriptHash: sh,
        height: 0,
        txPos: 0,
        coinbase: false,
      });
    });
    for (const coin of prevouts) this.mempoolSpends.set(outpointKey(coin.txid, coin.vout), txid);
    for (const sh of touched) {
      const set = this.mempoolBySh.get(sh) ?? new Set<string>();
      set.add(txid);
      this.mempoolBySh.set(sh, set);
    }
    this.mempool.set(txid, rec);
    this.txs.set(txid, rec);
    return { txid, touched };
  }

  mempoolTxids(): string[] {
    return [...this.mempool.keys()];
  }

  // ---- Electrum views ---------------------------------------------------------------------

  mempoolFor(scriptHash: string): MempoolEntry[] {
    const entries = [...(this.mempoolBySh.get(scriptHash) ?? [])].map((txid) => {
      const rec = this.mempool.get(txid) as TxRecord;
      return { tx_hash: txid, height: rec.unconfirmedParent ? -1 : 0, fee: rec.fee };
    });
    return sortMempoolEntries(entries);
  }

  /** Confirmed history in blockchain order, then the mempool in protocol order. */
  history(scriptHash: string): (HistoryEntry | MempoolEntry)[] {
    const confirmed = (this.confirmedHistory.get(scriptHash) ?? []).map((txid) => ({
      tx_hash: txid,
      height: this.txs.get(txid)?.height ?? 0,
    }));
    return [...confirmed, ...this.mempoolFor(scriptHash)];
  }

  status(scriptHash: string): string | null {
    return statusHash(this.history(scriptHash));
  }

  balance(scriptHash: string): { confirmed: number; unconfirmed: number } {
    let confirmed = 0;
    for (const key of this.utxosBySh.get(scriptHash) ?? []) confirmed += this.utxos.get(key)?.value ?? 0;
    let unconfirmed = 0;
    for (const txid of this.mempoolBySh.get(scriptHash) ?? []) {
      const rec = this.mempool.get(txid) as TxRecord;
      for (const out of rec.tx.outs)
        if (scriptHashOf(out.script) === scriptHash) unconfirmed += Number(out.value);
      for (const coin of rec.prevouts) if (coin.scriptHash === scriptHash) unconfirmed -= coin.value;
    }
    return { confirmed, unconfirmed };
  }

  listUnspent(scriptHash: string): Utxo[] {
    const unspent = (c: Coin): boolean => !this.mempoolSpends.has(outpointKey(c.txid, c.vout));
    const confirmed = [...(this.utxosBySh.get(scriptHash) ?? [])]
      .map((key) => this.utxos.get(key) as Coin)
      .filter(unspent)
      .sort((a, b) => a.height - b.height || a.txPos - b.txPos || a.vout - b.vout);
    const pending = [...this.mempoolOutputs.values()].filter(
      (c) => c.scriptHash === scriptHash && unspent(c),
    );
    return [...confirmed, ...pending].map((c) => ({
      tx_hash: c.txid,
      tx_pos: c.vout,
      height: c.height,
      value: c.value,
    }));
  }

  /** Merkle branch of a confirmed tx, display hex, deepest first. */
  merkleProof(txid: string, height: number): { block_height: number; merkle: string[]; pos: number } {
    const stored = this.blocks[height];
    const pos = stored ? stored.txids.indexOf(txid) : -1;
    if (!stored || pos < 0) throw new ChainRejection(`tx ${txid} not in block at height ${height}`);
    // Blocks never change once stored (a reorg stores new ones), so each tree is built once.
    let levels = this.treeCache.get(stored);
    if (!levels) {
      levels = merkleLevels(stored.txids.map(fromDisplayHex));
      this.treeCache.set(stored, levels);
    }
    return { block_height: height, merkle: branchFromLevels(levels, pos).map(toDisplayHex), pos };
  }

  /** Proof that the header at `height` is in the chain of headers up to `cpHeight` (protocol 1.4). */
  headerProof(height: number, cpHeight: number): { branch: string[]; root: string } {
    if (height > cpHeight || cpHeight > this.tipHeight)
      throw new ChainRejection('header height beyond checkpoint');
    const leaves = this.headerHashes(cpHeight);
    return { branch: merkleBranch(leaves, height).map(toDisplayHex), root: toDisplayHex(merkleRoot(leaves)) };
  }

  /** [sat/vB, vsize] buckets, highest fee rate first. */
  feeHistogram(): [number, number][] {
    const buckets = new Map<number, number>();
    for (const rec of this.mempool.values()) {
      const rate = Math.floor(rec.fee / rec.vsize);
      buckets.set(rate, (buckets.get(rate) ?? 0) + rec.vsize);
    }
    return [...buckets.entries()].sort((a, b) => b[0] - a[0]);
  }

  scriptHashOfAddress(address: string): string {
    return scriptHashOf(outputScriptFor(address));
  }

  onChange(listener: (change: ChainChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ChainChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

// ---- building blocks -------------------------------------------------------------------------

/** Output script for any regtest address bitcoinjs can decode; ChainRejection otherwise. */
export function outputScriptFor(address: string): Uint8Array {
  try {
    return bitcoin.address.toOutputScript(address, REGTEST);
  } catch (err) {
    throw new ChainRejection(
      `not a regtest address: ${address} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

export function subsidyAt(height: number): number {
  const halvings = Math.floor(height / HALVING_INTERVAL);
  return halvings >= 64 ? 0 : Math.floor((50 * 100_000_000) / 2 ** halvings);
}

/** Bitcoin Core's dust rule at its default 3 sat/vB dust relay fee. */
export function dustThreshold(script: Uint8Array): number {
  const outputSize = 8 + varIntSize(script.length) + script.length;
  const version = script[0];
  const isWitness =
    script.length >= 4 &&
    script.length <= 42 &&
    version !== undefined &&
    (version === 0 || (version >= 0x51 && version <= 0x60)) &&
    script[1] === script.length - 2;
  // Spending size: 67 vbytes for a witness input, 148 bytes for a legacy one.
  return (outputSize + (isWitness ? 67 : 148)) * 3;
}

function isUnspendable(script: Uint8Array): boolean {
  return script[0] === bitcoin.opcodes.OP_RETURN;
}

function varIntSize(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

/** Virtual size of a P2WPKH-input transaction, rounded up; close enough to price a fee. */
function estimateVsize(inputs: number, outputScripts: Uint8Array[]): number {
  const outputs = outputScripts.reduce((sum, s) => sum + 8 + varIntSize(s.length) + s.length, 0);
  return Math.ceil(10.5 + inputs * 68 + outputs);
}

function buildGenesis(): bitcoin.Block {
  const coinbase = new bitcoin.Transaction();
  coinbase.version = 1;
  coinbase.addInput(new Uint8Array(32), 0xffffffff, 0xffffffff, hexToBytes(GENESIS_COINBASE_SCRIPT_SIG));
  coinbase.addOutput(hexToBytes(GENESIS_OUTPUT_SCRIPT), 5_000_000_000n);
  const block = new bitcoin.Block();
  block.version = 1;
  block.prevHash = new Uint8Array(32);
  block.timestamp = 1296688602;
  block.bits = REGTEST_BITS;
  block.nonce = 2;
  block.transactions = [coinbase];
  block.merkleRoot = bitcoin.Block.calculateMerkleRoot(block.transactions);
  return block;
}

/**
 * Coinbase with the BIP34 height, a witness reserved value, and the BIP141 witness commitment
 * over the included transactions' wtxids.
 */
function buildCoinbase(
  height: number,
  payout: Uint8Array,
  value: number,
  included: readonly TxRecord[],
  fork = 0,
): bitcoin.Transaction {
  const coinbase = new bitcoin.Transaction();
  coinbase.version = 2;
  // After a reorg the extra nonce differs, so a competing block never repeats the one it replaces.
  const scriptSig = bitcoin.script.compile([
    bitcoin.script.number.encode(height),
    fork === 0 ? bitcoin.opcodes.OP_0 : bitcoin.script.number.encode(fork),
  ]);
  coinbase.addInput(new Uint8Array(32), 0xffffffff, 0xffffffff, scriptSig);
  const reserved = new Uint8Array(32);
  coinbase.setWitness(0, [reserved]);
  coinbase.addOutput(payout, BigInt(value));
  const wtxids = [new Uint8Array(32), ...included.map((rec) => rec.tx.getHash(true))];
  const commitment = hash256(concatBytes(merkleRoot(wtxids), reserved));
  coinbase.addOutput(
    bitcoin.script.compile([bitcoin.opcodes.OP_RETURN, concatBytes(WITNESS_COMMITMENT_HEADER, commitment)]),
    0n,
  );
  return coinbase;
}

function storeBlock(built: bitcoin.Block, height: number): StoredBlock {
  // Round-trip through bytes: proves the block serialises, and fills in what fromBuffer derives
  // (the witness commitment) so checkTxRoots() works on stored blocks.
  const block = bitcoin.Block.fromBuffer(built.toBuffer());
  const header = block.toBuffer(true);
  return {
    height,
    hash: block.getId(),
    header,
    headerHex: block.toHex(true),
    block,
    txids: (block.transactions ?? []).map((tx) => tx.getId()),
  };
}
