import * as bitcoin from 'bitcoinjs-lib';
import type { RegtestChain } from './chain';
import { ChainRejection, MIN_RELAY_SAT_PER_VB } from './chain';

/**
 * Bitcoin Core's `submitpackage` (v28+) on the regtest chain, behind Electrum protocol 1.6's
 * `blockchain.transaction.broadcast_package`: a package is one child with its parents, sorted,
 * last the child; no parent may spend another. Each parent is tried on its own first; one refused
 * only for paying less than the relay floor is let in when the package as a whole (its fees over
 * its size) pays the floor — child pays for parent. Parents already known count as accepted.
 */
export type PackageOutcome =
  | { kind: 'malformed'; reason: string }
  | {
      kind: 'done';
      /** Per refused transaction: its txid and the node's reason (empty when all went in). */
      errors: { txid: string; error: string }[];
      /** A Core-like verbose answer; the spec calls its shape experimental. */
      verbose: {
        package_msg: string;
        'tx-results': Record<string, { txid: string; vsize: number; error?: string }>;
      };
    };

const MAX_PACKAGE_COUNT = 25;
const FEE_FLOOR_REASON = 'min relay fee not met';
const TOPOLOGY = 'package topology disallowed. not child-with-parents or parents depend on each other.';

export function submitPackage(chain: RegtestChain, hexes: string[]): PackageOutcome {
  let txs: bitcoin.Transaction[];
  try {
    txs = hexes.map((h) => {
      if (!/^([0-9a-fA-F]{2})+$/.test(h)) throw new Error('not hex');
      return bitcoin.Transaction.fromHex(h);
    });
  } catch {
    return { kind: 'malformed', reason: 'TX decode failed' };
  }
  if (txs.length > MAX_PACKAGE_COUNT) return { kind: 'malformed', reason: 'package-too-many-transactions' };
  const ids = txs.map((t) => t.getId());
  if (new Set(ids).size !== ids.length) return { kind: 'malformed', reason: 'package-contains-duplicates' };
  const child = txs[txs.length - 1] as bitcoin.Transaction;
  const parents = txs.slice(0, -1);
  const spentBy = (tx: bitcoin.Transaction): Set<string> => new Set(tx.ins.map((i) => prevTxid(i.hash)));
  const childSpends = spentBy(child);
  const parentIds = new Set(ids.slice(0, -1));
  for (const p of parents) {
    if (!childSpends.has(p.getId())) return { kind: 'malformed', reason: TOPOLOGY };
    for (const spent of spentBy(p)) if (parentIds.has(spent)) return { kind: 'malformed', reason: TOPOLOGY };
  }

  const errors: { txid: string; error: string }[] = [];
  const deferred: bitcoin.Transaction[] = [];
  const known = (txid: string): boolean => chain.transactionHex(txid) !== null;
  for (const p of parents) {
    if (known(p.getId())) continue;
    try {
      chain.broadcast(p.toHex());
    } catch (err) {
      if (!(err instanceof ChainRejection)) throw err;
      if (err.reason === FEE_FLOOR_REASON) deferred.push(p);
      else errors.push({ txid: p.getId(), error: err.reason });
    }
  }
  const childId = child.getId();
  if (errors.length > 0) {
    errors.push({ txid: childId, error: 'bad-txns-inputs-missingorspent' });
  } else if (!known(childId)) {
    if (deferred.length > 0) {
      const outputsOf = new Map(deferred.map((p) => [p.getId(), p]));
      const fees = [...deferred, child].reduce((sum, tx) => sum + feeOf(chain, tx, outputsOf), 0);
      const vsize = [...deferred, child].reduce((sum, tx) => sum + tx.virtualSize(), 0);
      if (fees < vsize * MIN_RELAY_SAT_PER_VB) {
        for (const p of deferred) errors.push({ txid: p.getId(), error: FEE_FLOOR_REASON });
        errors.push({ txid: childId, error: 'package-fee-too-low' });
      } else {
        for (const p of deferred) chain.admitPackageParent(p.toHex());
      }
    }
    if (errors.length === 0) {
      try {
        chain.broadcast(child.toHex());
      } catch (err) {
        if (!(err instanceof ChainRejection)) throw err;
        errors.push({ txid: childId, error: err.reason });
      }
    }
  }
  const refused = new Map(errors.map((e) => [e.txid, e.error]));
  const results: Record<string, { txid: string; vsize: number; error?: string }> = {};
  for (const tx of txs) {
    const error = refused.get(tx.getId());
    results[Buffer.from(tx.getHash(true)).reverse().toString('hex')] = {
      txid: tx.getId(),
      vsize: tx.virtualSize(),
      ...(error !== undefined ? { error } : {}),
    };
  }
  return {
    kind: 'done',
    errors,
    verbose: { package_msg: errors.length === 0 ? 'success' : 'transaction failed', 'tx-results': results },
  };
}

function prevTxid(hash: Uint8Array): string {
  return Buffer.from(hash).reverse().toString('hex');
}

/** Inputs from the chain, the mempool, or a parent of the package not yet admitted. */
function feeOf(
  chain: RegtestChain,
  tx: bitcoin.Transaction,
  pending: Map<string, bitcoin.Transaction>,
): number {
  let inValue = 0;
  for (const input of tx.ins) {
    const id = prevTxid(input.hash);
    const parent = pending.get(id);
    const prev =
      parent ??
      (chain.transactionHex(id) ? bitcoin.Transaction.fromHex(chain.transactionHex(id) as string) : null);
    const out = prev?.outs[input.index];
    if (!out) return 0;
    inValue += Number(out.value);
  }
  return inValue - tx.outs.reduce((sum, o) => sum + Number(o.value), 0);
}
