import * as bitcoin from 'bitcoinjs-lib';
import type { RegtestChain } from '../test/stack/chain';
import { COINBASE_MATURITY, outputScriptFor, REGTEST } from '../test/stack/chain';

/**
 * Funds a wallet the way an exchange pays its withdrawals: one payer, each payment spending the
 * change of the one before (a chain), to the wallet's addresses in the order it hands them out.
 * Blocks are mined every `perBlock` payments: Bitcoin Core relays a chain of at most 25
 * unconfirmed transactions (its default ancestor limit), so a real payer confirms that often.
 *
 * Through the chain's public API only. The stack does not check signatures, so inputs carry a
 * dummy witness of a real one's size (a 72-byte signature and a 33-byte key), and each payment
 * pays the fee a real 1-input, 2-output P2WPKH spend would.
 */
export interface ChainedPaymentsOptions {
  /** Payments per address before the next one is used (default 5). */
  perAddress?: number;
  /** Payments per block (default 25, Core's ancestor limit). */
  perBlock?: number;
  /** Fee per payment, sats (default 300: ~2 sat/vB). */
  feePerTx?: number;
  /** Sats of payment `i` (default 10,000 + i). */
  amount?: (i: number) => number;
}

const DUMMY_SIG = new Uint8Array(72).fill(0x30);
const DUMMY_KEY = new Uint8Array(33).fill(0x02);
/** The payer: a P2WPKH output nobody can spend for real; the stack accepts the dummy witness. */
const PAYER = bitcoin.payments.p2wpkh({ hash: new Uint8Array(20).fill(0xc4), network: REGTEST });

export function fundChained(
  chain: RegtestChain,
  addresses: readonly string[],
  payments: number,
  opts: ChainedPaymentsOptions = {},
): { txids: string[]; blocks: number } {
  const perAddress = opts.perAddress ?? 5;
  const perBlock = opts.perBlock ?? 25;
  const feePerTx = opts.feePerTx ?? 300;
  const amount = opts.amount ?? ((i: number) => 10_000 + i);
  const payerScript = PAYER.output as Uint8Array;
  if (Math.ceil(payments / perAddress) > addresses.length) throw new Error('not enough addresses');

  chain.mine(1, PAYER.address as string);
  const coinbase = chain.blockAt(chain.tipHeight)?.block.transactions?.[0];
  if (!coinbase) throw new Error('no coinbase for the payer');
  chain.mine(COINBASE_MATURITY);
  let blocks = 1 + COINBASE_MATURITY;

  let prev = { hash: coinbase.getHash(), vout: 0, value: Number(coinbase.outs[0]?.value ?? 0n) };
  const txids: string[] = [];
  for (let i = 0; i < payments; i++) {
    const sats = amount(i);
    const change = prev.value - sats - feePerTx;
    if (change < 1_000) throw new Error('the payer ran out of coins');
    const tx = new bitcoin.Transaction();
    tx.version = 2;
    tx.addInput(prev.hash, prev.vout, 0xfffffffd);
    tx.setWitness(0, [DUMMY_SIG, DUMMY_KEY]);
    tx.addOutput(outputScriptFor(addresses[Math.floor(i / perAddress)] as string), BigInt(sats));
    tx.addOutput(payerScript, BigInt(change));
    txids.push(chain.broadcast(tx.toHex()));
    prev = { hash: tx.getHash(), vout: 1, value: change };
    if ((i + 1) % perBlock === 0) {
      chain.mine(1);
      blocks++;
    }
  }
  if (chain.mempoolTxids().length > 0) {
    chain.mine(1);
    blocks++;
  }
  return { txids, blocks };
}
