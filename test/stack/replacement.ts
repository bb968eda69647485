import * as bitcoin from 'bitcoinjs-lib';
import type { ChainChange, Coin, RegtestChain } from './chain';
import { ChainRejection } from './chain';

/**
 * Opt-in BIP125 replace-by-fee for the regtest chain's mempool, as Bitcoin Core applies it:
 * every directly conflicting tx must signal (an input with nSequence < 0xfffffffe), the
 * replacement must pay a higher fee rate than each of them (rule 6), at least their total fee
 * plus its own size at the 1 sat/vB incremental relay fee (rules 3 and 4), evict at most 100 txs
 * (rule 5), and not spend what it evicts. Conflicts and their descendants leave the mempool.
 *
 * It wraps `chain.broadcast` on that instance only, so stacks that never call it behave exactly as
 * before (every conflict is `txn-mempool-conflict`). Returns a function that removes the wrapper.
 */

interface Rec {
  tx: bitcoin.Transaction;
  hex: string;
  fee: number;
  vsize: number;
  prevouts: Coin[];
  touched: Set<string>;
}

/** The chain's private mempool indexes (TypeScript-private only), reached for this test helper. */
interface Internals {
  txs: Map<string, Rec>;
  utxos: Map<string, Coin>;
  mempool: Map<string, Rec>;
  mempoolOutputs: Map<string, Coin>;
  mempoolSpends: Map<string, string>;
  mempoolBySh: Map<string, Set<string>>;
  emit(change: ChainChange): void;
}

const MAX_REPLACED = 100;
const INCREMENTAL_RELAY_SAT_PER_VB = 1;

const key = (txid: string, vout: number): string => `${txid}:${vout}`;
const displayHex = (hash: Uint8Array): string => Buffer.from(hash).reverse().toString('hex');

const enabled = new WeakSet<RegtestChain>();

export function enableReplaceByFee(chain: RegtestChain): () => void {
  // The stack turns it on by default; tests that ask again get the same single wrapper.
  if (enabled.has(chain)) return () => {};
  enabled.add(chain);
  const inner = chain as unknown as Internals;
  const original = chain.broadcast.bind(chain);

  const evict = (txid: string, touched: Set<string>): void => {
    const rec = inner.mempool.get(txid);
    if (!rec) return;
    inner.mempool.delete(txid);
    inner.txs.delete(txid);
    rec.tx.outs.forEach((_, vout) => inner.mempoolOutputs.delete(key(txid, vout)));
    for (const c of rec.prevouts) inner.mempoolSpends.delete(key(c.txid, c.vout));
    for (const sh of rec.touched) {
      touched.add(sh);
      const set = inner.mempoolBySh.get(sh);
      set?.delete(txid);
      if (set && set.size === 0) inner.mempoolBySh.delete(sh);
    }
  };

  const replacing = (rawHex: string): string => {
    try {
      return original(rawHex);
    } catch (err) {
      if (!(err instanceof ChainRejection) || err.reason !== 'txn-mempool-conflict') throw err;
    }
    const tx = bitcoin.Transaction.fromHex(rawHex);
    const direct = new Set<string>();
    for (const input of tx.ins) {
      const spender = inner.mempoolSpends.get(key(displayHex(input.hash), input.index));
      if (spender) direct.add(spender);
    }
    for (const id of direct) {
      const rec = inner.mempool.get(id);
      if (!rec || !rec.tx.ins.some((i) => i.sequence < 0xfffffffe)) {
        throw new ChainRejection('txn-mempool-conflict');
      }
    }
    // Conflicts and every descendant, parents before children (for restoring on failure).
    const order: string[] = [];
    const queue = [...direct];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      if (order.includes(id)) continue;
      order.push(id);
      const rec = inner.mempool.get(id);
      rec?.tx.outs.forEach((_, vout) => {
        const child = inner.mempoolSpends.get(key(id, vout));
        if (child) queue.push(child);
      });
    }
    if (order.length > MAX_REPLACED) throw new ChainRejection('too many potential replacements');
    let inValue = 0;
    for (const input of tx.ins) {
      const k = key(displayHex(input.hash), input.index);
      const coin = inner.utxos.get(k) ?? inner.mempoolOutputs.get(k);
      if (!coin) throw new ChainRejection('bad-txns-inputs-missingorspent');
      if (order.includes(coin.txid)) throw new ChainRejection('bad-txns-spends-conflicting-tx');
      inValue += coin.value;
    }
    const fee = inValue - tx.outs.reduce((s, o) => s + Number(o.value), 0);
    const vsize = tx.virtualSize();
    for (const id of direct) {
      const rec = inner.mempool.get(id) as Rec;
      if (fee * rec.vsize <= rec.fee * vsize) throw new ChainRejection('insufficient fee: rate not higher');
    }
    const replacedFees = order.reduce((s, id) => s + (inner.mempool.get(id)?.fee ?? 0), 0);
    if (fee < replacedFees + vsize * INCREMENTAL_RELAY_SAT_PER_VB) {
      throw new ChainRejection('insufficient fee: does not pay for the replaced transactions and its relay');
    }
    const evicted = order.map((id) => inner.mempool.get(id) as Rec);
    const touched = new Set<string>();
    for (const id of order) evict(id, touched);
    try {
      const txid = original(rawHex);
      inner.emit({ newTip: false, touched });
      return txid;
    } catch (err) {
      for (const rec of evicted) original(rec.hex); // put the old ones back, parents first
      throw err;
    }
  };

  chain.broadcast = replacing;
  return () => {
    chain.broadcast = original;
    enabled.delete(chain);
  };
}
