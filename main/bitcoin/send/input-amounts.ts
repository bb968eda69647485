import { bytesToHex } from '@noble/hashes/utils.js';
import type { Psbt } from 'bitcoinjs-lib';
import { Transaction } from 'bitcoinjs-lib';
import { SendError } from './errors';

/** Where an input's amount may come from, besides the PSBT (read from our own tables). */
export interface AmountSources {
  /** One of our outputs, spent or not (the wallet's UTXO table). */
  ownedOutput(txid: string, vout: number): { value: number; scriptPubKey: Uint8Array } | null;
  /** A raw transaction the wallet stored. */
  rawTx(txid: string): Uint8Array | null;
}

export interface TrustedPrevout {
  value: bigint;
  script: Uint8Array;
}

const prevTxidOf = (hash: Uint8Array): string => bytesToHex(Uint8Array.from(hash).reverse());
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The output `vout` of `raw`, only when `raw` really is the transaction `txid`. */
function outputOfVerified(raw: Uint8Array, txid: string, vout: number): TrustedPrevout | null {
  let tx: Transaction;
  try {
    tx = Transaction.fromBuffer(raw);
  } catch {
    return null;
  }
  if (tx.getId() !== txid) return null;
  const out = tx.outs[vout];
  return out ? { value: out.value, script: Uint8Array.from(out.script) } : null;
}

/**
 * The amount and script that input `index` spends, from what we can prove: our UTXO table, a
 * stored previous transaction, or the PSBT's nonWitnessUtxo once its hash is checked against the
 * txid the input names. Never the PSBT's witnessUtxo alone: a segwit v0 signature commits only to
 * its own input's amount, so a PSBT that understates one amount per signing round can collect
 * signatures that together pay a huge fee. Null when nothing proves it.
 */
export function trustedPrevout(psbt: Psbt, index: number, sources: AmountSources): TrustedPrevout | null {
  const txIn = psbt.txInputs[index];
  if (!txIn) return null;
  const txid = prevTxidOf(txIn.hash);
  const owned = sources.ownedOutput(txid, txIn.index);
  if (owned) return { value: BigInt(owned.value), script: owned.scriptPubKey };
  const stored = sources.rawTx(txid);
  const fromStore = stored ? outputOfVerified(stored, txid, txIn.index) : null;
  if (fromStore) return fromStore;
  const carried = psbt.data.inputs[index]?.nonWitnessUtxo;
  return carried ? outputOfVerified(carried, txid, txIn.index) : null;
}

/**
 * Every input's amount, proven (see trustedPrevout). Refuses a PSBT whose own witnessUtxo
 * disagrees with the proof, and one with an input whose amount cannot be established, with a
 * typed error: signing either would let the PSBT's author decide the fee.
 */
export function requireTrustedAmounts(psbt: Psbt, sources: AmountSources): bigint[] {
  return psbt.txInputs.map((txIn, i) => {
    const proven = trustedPrevout(psbt, i, sources);
    const where = `${prevTxidOf(txIn.hash)}:${txIn.index}`;
    if (!proven) {
      throw new SendError(
        'INPUT_AMOUNT_UNKNOWN',
        `Input ${i} (${where}) spends a coin Flash cannot check: it is not in this wallet and the PSBT carries no matching previous transaction.`,
        { input: i, outpoint: where },
      );
    }
    const claimed = psbt.data.inputs[i]?.witnessUtxo;
    if (claimed && (claimed.value !== proven.value || !sameBytes(claimed.script, proven.script))) {
      throw new SendError(
        'INPUT_AMOUNT_MISMATCH',
        `Input ${i} (${where}): the PSBT says it holds ${claimed.value} sats, but the coin holds ${proven.value} sats.`,
        { input: i, outpoint: where, claimedSats: Number(claimed.value), actualSats: Number(proven.value) },
      );
    }
    return proven.value;
  });
}

/** Proven amounts where they can be proven, null elsewhere: for showing a stored draft. */
export function knownAmounts(psbt: Psbt, sources: AmountSources): (bigint | null)[] {
  return psbt.txInputs.map((_, i) => trustedPrevout(psbt, i, sources)?.value ?? null);
}

/** fee = proven inputs - outputs; refuses outputs above the inputs. */
export function feeFromAmounts(psbt: Psbt, amounts: readonly bigint[]): number {
  const inSum = amounts.reduce((s, v) => s + v, 0n);
  const outSum = psbt.txOutputs.reduce((s, o) => s + o.value, 0n);
  if (outSum > inSum) throw new SendError('BAD_PSBT', 'The outputs spend more than the inputs.');
  return Number(inSum - outSum);
}
