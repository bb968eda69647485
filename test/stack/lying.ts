import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import * as bitcoin from 'bitcoinjs-lib';
import type { RegtestChain, StoredBlock, Utxo } from './chain';
import { ChainRejection, REGTEST_BITS } from './chain';
import type { ElectrumBackend } from './electrum-methods';
import type { HistoryEntry } from './electrum-status';
import { statusHash } from './electrum-status';
import { hash256, toDisplayHex } from './merkle';

/**
 * How the stack's Electrum server lies, for SPV tests. Each lie is what a malicious server could
 * tell a light client, made as convincing as the liar could make it:
 * - 'bad-merkle': every merkle branch (get_merkle, id_from_pos) has a wrong sibling;
 * - 'bad-pow-header': the tip header (subscribe, notifications, block.header(s)) has a nonce that
 *   fails proof of work, everything else about it unchanged;
 * - 'fake-history': every script hash with history gains a confirmed transaction the chain does not
 *   have (status, balance and listunspent agree with it; transaction.get serves bytes that hash to
 *   its id), but no merkle proof can exist for it;
 * - 'wrong-tx': transaction.get serves bytes that do not hash to the txid asked for;
 * - 'old-timestamp': the tip header's time is set to the median time of the 11 blocks before it
 *   (BIP113 wants it strictly later), then mined again: real proof of work, same merkle root;
 * - 'future-timestamp': the same with a time three hours ahead of the stack's clock (Core refuses
 *   more than two).
 */
export type LieMode =
  | 'none'
  | 'bad-merkle'
  | 'bad-pow-header'
  | 'fake-history'
  | 'wrong-tx'
  | 'old-timestamp'
  | 'future-timestamp';
export const LIE_MODES: readonly LieMode[] = [
  'none',
  'bad-merkle',
  'bad-pow-header',
  'fake-history',
  'wrong-tx',
  'old-timestamp',
  'future-timestamp',
];

/** Modes that change the tip header (subscribe, notifications, block.header(s)). */
const HEADER_LIES: ReadonlySet<LieMode> = new Set(['bad-pow-header', 'old-timestamp', 'future-timestamp']);
/** How far ahead of the clock 'future-timestamp' puts the tip, seconds: past Core's two-hour limit. */
const FUTURE_BY = 3 * 60 * 60;

export interface LyingBackend extends ElectrumBackend {
  readonly lie: LieMode;
  setLie(mode: LieMode): void;
  /** The fake confirmed tx 'fake-history' adds to a script hash's history. */
  fakeTxid(scriptHash: string): string;
}

const FAKE_VALUE = 1_000_000;
const REGTEST_TARGET = BigInt(REGTEST_BITS & 0xffffff) << BigInt(8 * ((REGTEST_BITS >>> 24) - 3));

/**
 * Wraps the chain; with mode 'none' every answer is the chain's own. `clock` (seconds since the
 * epoch, default the wall clock) is what 'future-timestamp' runs ahead of.
 */
export function createLyingBackend(
  chain: RegtestChain,
  clock: () => number = () => Math.floor(Date.now() / 1000),
): LyingBackend {
  let mode: LieMode = 'none';
  const badHeaders = new Map<string, StoredBlock>();
  const retimed = new Map<string, StoredBlock>();
  const fakes = new Map<string, bitcoin.Transaction>();

  /** The same block with its header's nonce moved until the hash is above the target. */
  const failPow = (block: StoredBlock): StoredBlock => {
    const cached = badHeaders.get(block.hash);
    if (cached) return cached;
    const header = Uint8Array.from(block.header);
    const view = new DataView(header.buffer);
    let nonce = view.getUint32(76, true);
    for (;;) {
      nonce = (nonce + 1) >>> 0;
      view.setUint32(76, nonce, true);
      const hash = toDisplayHex(hash256(header));
      if (BigInt(`0x${hash}`) > REGTEST_TARGET) {
        const bad = { ...block, header, headerHex: bytesToHex(header), hash };
        badHeaders.set(block.hash, bad);
        return bad;
      }
    }
  };

  /** Median time of the 11 blocks before `height` (fewer near genesis), as Core's GetMedianTimePast. */
  const medianTimeBefore = (height: number): number => {
    const times: number[] = [];
    for (let h = height - 1; h >= Math.max(0, height - 11); h--)
      times.push(chain.blockAt(h)?.block.timestamp ?? 0);
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? 0;
  };

  /**
   * The same block with its header's time moved to break a time rule, then mined again (the nonce
   * searched until the hash meets the target): valid proof of work, only the time is wrong.
   */
  const retime = (block: StoredBlock, how: 'old-timestamp' | 'future-timestamp'): StoredBlock => {
    const key = `${how}:${block.hash}`;
    const cached = retimed.get(key);
    if (cached) return cached;
    const header = Uint8Array.from(block.header);
    const view = new DataView(header.buffer);
    const time = how === 'old-timestamp' ? medianTimeBefore(block.height) : clock() + FUTURE_BY;
    view.setUint32(68, time, true);
    for (let nonce = 0; ; nonce++) {
      view.setUint32(76, nonce, true);
      const hash = toDisplayHex(hash256(header));
      if (BigInt(`0x${hash}`) <= REGTEST_TARGET) {
        const lie = { ...block, header, headerHex: bytesToHex(header), hash };
        retimed.set(key, lie);
        return lie;
      }
    }
  };

  /** The tip as the current mode serves it. */
  const lyingTip = (block: StoredBlock): StoredBlock => {
    if (mode === 'bad-pow-header') return failPow(block);
    if (mode === 'old-timestamp' || mode === 'future-timestamp') return retime(block, mode);
    return block;
  };

  const fakeTx = (scriptHash: string): bitcoin.Transaction => {
    let tx = fakes.get(scriptHash);
    if (!tx) {
      tx = new bitcoin.Transaction();
      tx.version = 2;
      tx.addInput(sha256(utf8ToBytes(`fake input for ${scriptHash}`)), 0);
      const witnessProgram = sha256(utf8ToBytes(`fake output for ${scriptHash}`));
      tx.addOutput(concatBytes(Uint8Array.of(0x00, 0x20), witnessProgram), BigInt(FAKE_VALUE));
      fakes.set(scriptHash, tx);
    }
    return tx;
  };
  const fakeHeight = (): number => Math.max(1, chain.tipHeight);
  const hasHistory = (sh: string): boolean => chain.history(sh).length > 0;

  const history = (sh: string): HistoryEntry[] => {
    const real = chain.history(sh);
    if (mode !== 'fake-history' || real.length === 0) return real;
    const confirmed = real.filter((e) => e.height > 0);
    const mempool = real.filter((e) => e.height <= 0);
    return [...confirmed, { tx_hash: fakeTx(sh).getId(), height: fakeHeight() }, ...mempool];
  };

  const fakeByTxid = (txid: string): bitcoin.Transaction | null => {
    for (const tx of fakes.values()) if (tx.getId() === txid) return tx;
    return null;
  };

  const tamperTx = (hex: string): string => {
    const tx = bitcoin.Transaction.fromHex(hex);
    const out = tx.outs[0];
    if (out) out.value += 1n;
    else tx.locktime = (tx.locktime + 1) >>> 0;
    return tx.toHex();
  };

  return {
    get genesisHash() {
      return chain.genesisHash;
    },
    get tipHeight() {
      return chain.tipHeight;
    },
    get feeRate() {
      return chain.feeRate;
    },
    get lie() {
      return mode;
    },
    setLie(next) {
      mode = next;
    },
    fakeTxid: (sh) => fakeTx(sh).getId(),
    tip() {
      return lyingTip(chain.tip());
    },
    blockAt(height) {
      const block = chain.blockAt(height);
      return block && HEADER_LIES.has(mode) && height === chain.tipHeight ? lyingTip(block) : block;
    },
    headerProof: (height, cpHeight) => chain.headerProof(height, cpHeight),
    history,
    mempoolFor: (sh) => chain.mempoolFor(sh),
    status: (sh) => (mode === 'fake-history' ? statusHash(history(sh)) : chain.status(sh)),
    balance(sh) {
      const real = chain.balance(sh);
      if (mode !== 'fake-history' || !hasHistory(sh)) return real;
      return { confirmed: real.confirmed + FAKE_VALUE, unconfirmed: real.unconfirmed };
    },
    listUnspent(sh): Utxo[] {
      const real = chain.listUnspent(sh);
      if (mode !== 'fake-history' || !hasHistory(sh)) return real;
      return [{ tx_hash: fakeTx(sh).getId(), tx_pos: 0, height: fakeHeight(), value: FAKE_VALUE }, ...real];
    },
    transactionHex(txid) {
      if (mode === 'fake-history') {
        const fake = fakeByTxid(txid);
        if (fake) return fake.toHex();
      }
      const hex = chain.transactionHex(txid);
      return hex !== null && mode === 'wrong-tx' ? tamperTx(hex) : hex;
    },
    merkleProof(txid, height) {
      if (mode === 'fake-history' && fakeByTxid(txid)) {
        // What any server must say: the tx is not in that block. (No branch could lead to the root.)
        throw new ChainRejection(`tx ${txid} not in block at height ${height}`);
      }
      const proof = chain.merkleProof(txid, height);
      if (mode !== 'bad-merkle') return proof;
      const merkle = proof.merkle.length > 0 ? [...proof.merkle] : [txid];
      merkle[0] = bytesToHex(sha256(utf8ToBytes(`wrong sibling ${merkle[0] ?? ''}`)));
      return { ...proof, merkle };
    },
    broadcast: (hex) => chain.broadcast(hex),
    feeHistogram: () => chain.feeHistogram(),
  };
}
