import * as bitcoin from 'bitcoinjs-lib';
import type { RegtestChain } from './chain';
import { COINBASE_MATURITY, outputScriptFor, REGTEST } from './chain';

/**
 * Funds many payments fast, through the chain's public API only: coinbases mined to a throwaway
 * key, one fan-out transaction, then one small transaction per payment, mined `perBlock` at a
 * time. The chain does not check signatures, so inputs carry a dummy witness of realistic size
 * (a 72-byte signature and a 33-byte key) and fees are paid as for a real P2WPKH spend.
 */
export interface BulkPayment {
  address: string;
  sats: number;
}

export interface BulkOptions {
  /** Transactions per block (default 500). */
  perBlock?: number;
  /** Fee per payment transaction, sats (default 250: ~2 sat/vB for 1-in 1-out P2WPKH). */
  feePerTx?: number;
}

const DUMMY_SIG = new Uint8Array(72).fill(0x30);
const DUMMY_KEY = new Uint8Array(33).fill(0x02);
/** A P2WPKH output nobody can spend for real; the chain accepts our dummy witness for it. */
const BULK = bitcoin.payments.p2wpkh({ hash: new Uint8Array(20).fill(0xb1), network: REGTEST });

export function fundMany(
  chain: RegtestChain,
  payments: readonly BulkPayment[],
  opts: BulkOptions = {},
): {
  txids: string[];
  blocks: number;
} {
  const perBlock = opts.perBlock ?? 500;
  const feePerTx = opts.feePerTx ?? 250;
  const address = BULK.address as string;
  const script = BULK.output as Uint8Array;
  const need = payments.reduce((s, p) => s + p.sats + feePerTx, 0);

  // Coinbases to the bulk key, matured.
  const startHeight = chain.tipHeight + 1;
  let funded = 0;
  let coinbaseBlocks = 0;
  const fanoutFee = 2 * (60 + 31 * payments.length);
  while (funded < need + fanoutFee + 1000) {
    chain.mine(1, address);
    const cb = chain.blockAt(chain.tipHeight)?.block.transactions?.[0];
    funded += Number(cb?.outs[0]?.value ?? 0n);
    coinbaseBlocks++;
    if (coinbaseBlocks > 200) throw new Error('cannot mine enough coinbase value for the bulk funding');
  }
  chain.mine(COINBASE_MATURITY);
  let blocks = coinbaseBlocks + COINBASE_MATURITY;

  // One fan-out: an output per payment, plus change.
  const fanout = new bitcoin.Transaction();
  fanout.version = 2;
  let inValue = 0;
  for (let h = startHeight; h < startHeight + coinbaseBlocks; h++) {
    const cb = chain.blockAt(h)?.block.transactions?.[0];
    if (!cb) throw new Error(`no coinbase at ${h}`);
    fanout.addInput(cb.getHash(), 0, 0xfffffffd);
    inValue += Number(cb.outs[0]?.value ?? 0n);
  }
  fanout.ins.forEach((_, i) => fanout.setWitness(i, [DUMMY_SIG, DUMMY_KEY]));
  for (const p of payments) fanout.addOutput(script, BigInt(p.sats + feePerTx));
  const fee = Math.ceil(fanout.virtualSize() + 40) * 2;
  const change = inValue - need - fee;
  if (change < 1000) throw new Error('bulk funding: not enough value');
  fanout.addOutput(script, BigInt(change));
  const fanoutTxid = chain.broadcast(fanout.toHex());
  chain.mine(1);
  blocks += 1;

  // One transaction per payment.
  const fanoutHash = fanout.getHash();
  const txids: string[] = [];
  payments.forEach((p, i) => {
    const tx = new bitcoin.Transaction();
    tx.version = 2;
    tx.addInput(fanoutHash, i, 0xfffffffd);
    tx.setWitness(0, [DUMMY_SIG, DUMMY_KEY]);
    tx.addOutput(outputScriptFor(p.address), BigInt(p.sats));
    txids.push(chain.broadcast(tx.toHex()));
    if ((i + 1) % perBlock === 0) {
      chain.mine(1);
      blocks++;
    }
  });
  if (chain.mempoolTxids().length > 0) {
    chain.mine(1);
    blocks++;
  }
  void fanoutTxid;
  return { txids, blocks };
}
