import { bytesToHex } from '@noble/hashes/utils.js';
import type { Transaction } from 'bitcoinjs-lib';

export interface TxFee {
  /** null when a prevout's transaction is not stored, so the inputs' total is unknown. */
  feeSats: number | null;
  vsize: number;
  /** sat/vB with 2 decimals as text (a rate, not money), or null with the fee. */
  feeRate: string | null;
}

/**
 * fee = sum(inputs) - sum(outputs), from the stored raw tx and the stored raw txs of every
 * prevout. `prevTx` returns a parsed tx or null; callers cache it.
 */
export function computeFee(tx: Transaction, prevTx: (txid: string) => Transaction | null): TxFee {
  const vsize = tx.virtualSize();
  if (tx.isCoinbase()) return { feeSats: null, vsize, feeRate: null };
  let inSum = 0n;
  for (const input of tx.ins) {
    const prevTxid = bytesToHex(Uint8Array.from(input.hash).reverse());
    const prev = prevTx(prevTxid);
    const out = prev?.outs[input.index];
    if (!out) return { feeSats: null, vsize, feeRate: null };
    inSum += out.value;
  }
  const outSum = tx.outs.reduce((s, o) => s + o.value, 0n);
  const fee = inSum - outSum;
  if (fee < 0n) return { feeSats: null, vsize, feeRate: null };
  const feeSats = Number(fee);
  return { feeSats, vsize, feeRate: formatRate(feeSats, vsize) };
}

/** fee / vsize rounded to 2 decimals, with integer arithmetic. */
export function formatRate(feeSats: number, vsize: number): string {
  const hundredths = Math.round((feeSats * 100) / vsize);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}
