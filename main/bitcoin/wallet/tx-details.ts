import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import type { Network, TransactionDetails } from '../../../shared/contract';
import { scriptToAddress } from '../../../shared/bitcoin/address';
import { FlashError } from '../../../shared/errors';
import type { Db } from '../../store/database';
import { confirmationsOf, isInBlock, proofJoinSql, verificationOf } from './confirmation';

/** What a transaction cost, when every input's amount is known. */
export interface TxFee {
  feeSats: number;
  /** sat/vB, floored to 3 decimals (what the send flow shows for its drafts). */
  feeRate: number;
  vsize: number;
}

export interface TxDetailsReader {
  /** Fee and rate per txid; null where an input amount is unknown or the raw tx is missing. */
  fees(walletId: string, txids: readonly string[]): Map<string, TxFee | null>;
  /** Everything Flash knows about one wallet transaction; confirmations count up to `validatedTip`. */
  get(walletId: string, txid: string, validatedTip: number | null): TransactionDetails;
}

interface TxRow {
  txid: string;
  height: number;
  netSats: number;
  direction: 'in' | 'out' | 'self';
  firstSeenAt: number;
  network: Network;
  proofState: 'verified' | 'unverified' | 'failed' | null;
  blockHash: string | null;
}

const rateOf = (fee: number, vsize: number): number => Math.floor((fee * 1000) / vsize) / 1000;
const txidOf = (hash: Uint8Array): string => bytesToHex(Uint8Array.from(hash).reverse());

/**
 * Transaction details and fees from the wallet tables alone: the raw transactions in
 * bitcoin_txs, our outputs in wallet_tx_outputs (which also price our inputs), and labels.
 * Nothing is fetched from a server here, so an input from a stranger's transaction that was
 * never stored stays without an amount, and the fee stays unknown.
 */
export function createTxDetailsReader(db: Db): TxDetailsReader {
  const rawStmt = db.prepare<[string], { raw: Uint8Array }>('SELECT raw FROM bitcoin_txs WHERE txid = ?');
  const ownedStmt = db.prepare<[string, string, number], { value: number; chain: 0 | 1; idx: number }>(
    `SELECT value_sats AS value, chain, idx FROM wallet_tx_outputs WHERE wallet_id = ? AND txid = ? AND vout = ?`,
  );
  const txStmt = db.prepare<[string, string], TxRow>(
    `SELECT t.txid, t.height, t.net_sats AS netSats, t.direction, t.first_seen_at AS firstSeenAt,
            w.network, p.state AS proofState, p.block_hash AS blockHash
       FROM wallet_txs t
       JOIN wallets w ON w.id = t.wallet_id
       ${proofJoinSql('t', 'w.network')}
      WHERE t.wallet_id = ? AND t.txid = ?`,
  );
  const labelStmt = db.prepare<[string, string, string], { label: string }>(
    'SELECT label FROM wallet_labels WHERE wallet_id = ? AND type = ? AND ref = ?',
  );

  /** Parsed transactions for one call: a page often spends the same parents. */
  function parser() {
    const cache = new Map<string, Transaction | null>();
    return (txid: string): Transaction | null => {
      if (cache.has(txid)) return cache.get(txid) ?? null;
      const row = rawStmt.get(txid);
      let tx: Transaction | null = null;
      if (row) {
        try {
          tx = Transaction.fromBuffer(Uint8Array.from(row.raw));
        } catch {
          tx = null;
        }
      }
      cache.set(txid, tx);
      return tx;
    };
  }

  function inputValue(
    walletId: string,
    prevTxid: string,
    vout: number,
    parse: (txid: string) => Transaction | null,
  ): { value: number | null; ours: { chain: 0 | 1; idx: number } | null; script: Uint8Array | null } {
    const owned = ownedStmt.get(walletId, prevTxid, vout);
    const prev = parse(prevTxid);
    const out = prev?.outs[vout];
    if (owned)
      return {
        value: owned.value,
        ours: { chain: owned.chain, idx: owned.idx },
        script: out?.script ?? null,
      };
    if (out) return { value: Number(out.value), ours: null, script: out.script };
    return { value: null, ours: null, script: null };
  }

  function feeOf(
    walletId: string,
    tx: Transaction,
    parse: (txid: string) => Transaction | null,
  ): TxFee | null {
    if (tx.isCoinbase()) return null;
    let inSum = 0;
    for (const input of tx.ins) {
      const { value } = inputValue(walletId, txidOf(input.hash), input.index, parse);
      if (value === null) return null;
      inSum += value;
    }
    const outSum = tx.outs.reduce((s, o) => s + Number(o.value), 0);
    const fee = inSum - outSum;
    if (fee < 0) return null;
    const vsize = tx.virtualSize();
    return { feeSats: fee, feeRate: rateOf(fee, vsize), vsize };
  }

  const label = (walletId: string, type: string, ref: string): string | null =>
    labelStmt.get(walletId, type, ref)?.label ?? null;

  return {
    fees(walletId, txids) {
      const parse = parser();
      const result = new Map<string, TxFee | null>();
      for (const txid of txids) {
        const tx = parse(txid);
        result.set(txid, tx ? feeOf(walletId, tx, parse) : null);
      }
      return result;
    },

    get(walletId, txid, validatedTip) {
      const row = txStmt.get(walletId, txid);
      if (!row)
        throw new FlashError('BAD_INPUT', 'This transaction is not in the wallet.', {
          reason: 'TX_NOT_FOUND',
          txid,
        });
      const parse = parser();
      const tx = parse(txid);
      if (!tx) {
        throw new FlashError('BAD_INPUT', 'The raw transaction is not stored yet; let the wallet sync.', {
          reason: 'TX_NOT_FOUND',
          txid,
        });
      }
      const network = row.network;
      const fee = feeOf(walletId, tx, parse);
      const coinbase = tx.isCoinbase();
      const inputs = tx.ins.map((input, vin) => {
        const prevTxid = txidOf(input.hash);
        const known = coinbase
          ? { value: null, ours: null, script: null }
          : inputValue(walletId, prevTxid, input.index, parse);
        return {
          vin,
          prevTxid,
          prevVout: input.index,
          sats: known.value,
          address: known.script ? scriptToAddress(known.script, network) : null,
          ours: known.ours !== null,
          sequence: input.sequence,
        };
      });
      const outputs = tx.outs.map((out, vout) => {
        const owned = ownedStmt.get(walletId, txid, vout);
        const address = scriptToAddress(out.script, network);
        const outpoint = `${txid}:${vout}`;
        return {
          vout,
          address,
          sats: Number(out.value),
          ours: owned !== undefined,
          change: owned?.chain === 1,
          label: label(walletId, 'output', outpoint) ?? (address ? label(walletId, 'addr', address) : null),
        };
      });
      return {
        txid,
        height: row.height,
        confirmations: confirmationsOf(row, validatedTip),
        firstSeenAt: row.firstSeenAt,
        direction: row.direction,
        amountSats: row.netSats,
        verification: verificationOf(row),
        blockHash: isInBlock(row) ? row.blockHash : null,
        feeSats: fee?.feeSats ?? null,
        feeRate: fee?.feeRate ?? null,
        vsize: tx.virtualSize(),
        weight: tx.weight(),
        size: tx.byteLength(),
        version: tx.version,
        locktime: tx.locktime,
        // BIP125: any input with a sequence below 0xfffffffe opts in.
        rbf: tx.ins.some((i) => i.sequence < 0xfffffffe),
        label: label(walletId, 'tx', txid),
        inputs,
        outputs,
      };
    },
  };
}

const readers = new WeakMap<Db, TxDetailsReader>();

/** One reader (and its prepared statements) per database. */
export function txDetailsFor(db: Db): TxDetailsReader {
  let r = readers.get(db);
  if (!r) {
    r = createTxDetailsReader(db);
    readers.set(db, r);
  }
  return r;
}
