import { Transaction } from 'bitcoinjs-lib';
import { bytesToHex } from '@noble/hashes/utils.js';

export interface ParsedTx {
  txid: string;
  inputs: { prevTxid: string; prevVout: number }[];
  outputs: { script: Uint8Array; value: number }[];
}

/** Parses a raw transaction; throws if it is malformed or its id is not `expectedTxid`. */
export function parseTx(raw: Uint8Array, expectedTxid?: string): ParsedTx {
  const tx = Transaction.fromBuffer(raw);
  const txid = tx.getId();
  // A server could answer with a different transaction than asked for; the id is the hash of the
  // bytes, so this check makes the stored raw tx trustworthy for what it claims to be.
  if (expectedTxid !== undefined && txid !== expectedTxid) {
    throw new Error(`transaction bytes hash to ${txid}, expected ${expectedTxid}`);
  }
  return {
    txid,
    inputs: tx.ins.map((i) => ({
      prevTxid: bytesToHex(Uint8Array.from(i.hash).reverse()),
      prevVout: i.index,
    })),
    outputs: tx.outs.map((o) => ({ script: o.script, value: satsFromBigint(o.value) })),
  };
}

function satsFromBigint(value: bigint): number {
  // 21e6 BTC in sats is below 2^53, so any real output value is a safe integer.
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('output value out of range');
  return Number(value);
}
