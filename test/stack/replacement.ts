import * as bitcoin from 'bitcoinjs-lib';
import type { ChainChange, Coin, RegtestChain } from './chain';
import { ChainRejection, MIN_RELAY_SAT_PER_VB } from './chain';

/**
 * Replace-by-fee in the regtest chain's mempool, as Bitcoin Core (v24-v28) applies BIP125:
 * - rule 1: every directly conflicting tx signals (an input with nSequence < 0xfffffffe), unless
 *   the chain is set to full RBF (`fullRbf`, Core 28's default);
 * - rule 2: no new unconfirmed input: an input may spend a mempool tx only if a conflicting tx
 *   already spent from that same tx ("replacement-adds-unconfirmed");
 * - it spends nothing it evicts ("bad-txns-spends-conflicting-tx");
 * - rule 3: it pays at least the fees of everything it evicts, the conflicts and all their
 *   descendants ("less fees than conflicting txs");
 * - rule 4: plus the incremental relay fee (1 sat/vB) on its own size ("not enough additional fees
 *   to relay");
 * - rule 5: it evicts at most 100 transactions ("too many potential replacements");
 * - rule 6: a higher fee rate than each direct conflict ("new feerate ... <= old feerate ...").
 * Refusals carry Core's words ("insufficient fee, rejecting replacement <txid>, ..."). Conflicts and
 * their descendants leave the mempool.
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

/** BTC/kvB with 8 decimals, as Core prints fee rates in its refusals. */
const btcPerKvb = (fee: number, vsize: number): string => (((fee / vsize) * 1000) / 1e8).toFixed(8);
const btc = (sats: number): string => (sats / 1e8).toFixed(8);

export function enableReplaceByFee(chain: RegtestChain, opts: { fullRbf?: boolean } = {}): () => void {
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
    const txid = tx.getId();
    const direct = new Set<string>();
    for (const input of tx.ins) {
      const spender = inner.mempoolSpends.get(key(displayHex(input.hash), input.index));
      if (spender) direct.add(spender);
    }
    for (const id of direct) {
      const rec = inner.mempool.get(id);
      if (!rec || (!opts.fullRbf && !rec.tx.ins.some((i) => i.sequence < 0xfffffffe))) {
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
    if (order.length > MAX_REPLACED) {
      throw new ChainRejection(
        `too many potential replacements, rejecting replacement ${txid}; too many potential replacements (${order.length} > ${MAX_REPLACED})`,
      );
    }
    // Rule 2: the txs the conflicts spend from are the only unconfirmed parents it may have.
    const conflictParents = new Set<string>();
    for (const id of direct) {
      for (const i of (inner.mempool.get(id) as Rec).tx.ins) conflictParents.add(displayHex(i.hash));
    }
    let inValue = 0;
    tx.ins.forEach((input, idx) => {
      const parent = displayHex(input.hash);
      const k = key(parent, input.index);
      const coin = inner.utxos.get(k) ?? inner.mempoolOutputs.get(k);
      if (!coin) throw new ChainRejection('bad-txns-inputs-missingorspent');
      if (order.includes(coin.txid)) {
        throw new ChainRejection(
          `bad-txns-spends-conflicting-tx, ${txid} spends conflicting transaction ${coin.txid}`,
        );
      }
      if (inner.mempool.has(parent) && !conflictParents.has(parent)) {
        throw new ChainRejection(
          `replacement-adds-unconfirmed, replacement ${txid} adds unconfirmed input, idx ${idx}`,
        );
      }
      inValue += coin.value;
    });
    const fee = inValue - tx.outs.reduce((s, o) => s + Number(o.value), 0);
    const vsize = tx.virtualSize();
    for (const id of direct) {
      const rec = inner.mempool.get(id) as Rec;
      if (fee * rec.vsize <= rec.fee * vsize) {
        throw new ChainRejection(
          `insufficient fee, rejecting replacement ${txid}; new feerate ${btcPerKvb(fee, vsize)} <= old feerate ${btcPerKvb(rec.fee, rec.vsize)}`,
        );
      }
    }
    // Core checks the fee floors before any replacement rule, so a refusal there evicts nothing.
    const floor = Math.ceil(vsize * chain.mempoolMinFeeRate);
    if (chain.mempoolMinFeeRate > MIN_RELAY_SAT_PER_VB && fee < floor) {
      throw new ChainRejection(`mempool min fee not met, ${fee} < ${floor}`);
    }
    if (fee < vsize * MIN_RELAY_SAT_PER_VB) throw new ChainRejection('min relay fee not met');
    const replacedFees = order.reduce((s, id) => s + (inner.mempool.get(id)?.fee ?? 0), 0);
    if (fee < replacedFees) {
      throw new ChainRejection(
        `insufficient fee, rejecting replacement ${txid}, less fees than conflicting txs; ${btc(fee)} < ${btc(replacedFees)}`,
      );
    }
    const relay = vsize * INCREMENTAL_RELAY_SAT_PER_VB;
    if (fee - replacedFees < relay) {
      throw new ChainRejection(
        `insufficient fee, rejecting replacement ${txid}, not enough additional fees to relay; ${btc(fee - replacedFees)} < ${btc(relay)}`,
      );
    }
    const evicted = order.map((id) => inner.mempool.get(id) as Rec);
    const touched = new Set<string>();
    for (const id of order) evict(id, touched);
    try {
      const txid = original(rawHex);
      inner.emit({ newTip: false, touched });
      return txid;
    } catch (err) {
      // Put the old ones back as they were, parents first: they were in the mempool a moment ago,
      // so a fee floor raised since then must not drop them on the way back.
      for (const rec of evicted) chain.admitPackageParent(rec.hex);
      throw err;
    }
  };

  chain.broadcast = replacing;
  return () => {
    chain.broadcast = original;
    enabled.delete(chain);
  };
}
