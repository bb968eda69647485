import type { ScriptType } from '../accounts/types';

/** A k-of-n multisig input (main/bitcoin/multisig): its size depends on k and n, not only the type. */
export interface MultisigSpend {
  script: 'wsh' | 'sh-wsh' | 'tr';
  threshold: number;
  keys: number;
}

/** What an account's inputs and own outputs look like: a single-key type, or a multisig shape. */
export type SpendType = ScriptType | MultisigSpend;

/**
 * Transaction weight math for single-key spends of each account type. Sizes are upper bounds: a
 * DER signature is at most 72 bytes with its sighash byte (low-S) and a BIP340 signature is 64
 * bytes with the default sighash, so the real vsize is never larger than estimated.
 */

/** version + locktime (8) + input and output counts (1 each, up to 252 of each). */
const BASE_BYTES = 10;
/** Segwit marker and flag: 2 weight units. */
const SEGWIT_WU = 2;
/** outpoint 36 + empty scriptSig 1 + sequence 4, as weight. */
const P2WPKH_INPUT_BASE_WU = 41 * 4;
/** items 1 + sig len 1 + sig 72 + key len 1 + key 33. */
const P2WPKH_WITNESS_WU = 108;

export const P2WPKH_INPUT_VBYTES = (P2WPKH_INPUT_BASE_WU + P2WPKH_WITNESS_WU) / 4; // 68
export const P2WPKH_OUTPUT_VBYTES = 31;
export const P2WPKH_SCRIPT_LENGTH = 22;

/** Weight of one input of each type: outpoint, scriptSig, sequence (x4) plus its witness. */
const INPUT_WEIGHT: Readonly<Record<ScriptType, number>> = {
  // scriptSig: push 72-byte sig + push 33-byte key = 107 bytes, with its length byte.
  pkh: (36 + 1 + 107 + 4) * 4,
  // scriptSig pushes the 22-byte P2WPKH redeem script; the witness is P2WPKH's.
  'sh-wpkh': (36 + 1 + 23 + 4) * 4 + P2WPKH_WITNESS_WU,
  wpkh: P2WPKH_INPUT_BASE_WU + P2WPKH_WITNESS_WU,
  // Key path: one witness item of 64 bytes (SIGHASH_DEFAULT adds no byte).
  tr: P2WPKH_INPUT_BASE_WU + 1 + 1 + 64,
};

/** Our own output scripts' lengths, e.g. for change. */
const SCRIPT_LENGTH: Readonly<Record<ScriptType, number>> = { pkh: 25, 'sh-wpkh': 23, wpkh: 22, tr: 34 };
const MULTISIG_SCRIPT_LENGTH: Readonly<Record<MultisigSpend['script'], number>> = {
  wsh: 34,
  'sh-wsh': 23,
  tr: 34,
};

/**
 * Weight of a multisig input, upper bound. P2WSH: an empty item (OP_CHECKMULTISIG's extra pop), k
 * DER signatures and the witness script `OP_k <33-byte key>×n OP_n OP_CHECKMULTISIG`; nested adds
 * the 35-byte scriptSig pushing the P2WSH program. Taproot script path: a 64-byte signature per
 * signer and an empty item per other key, the `multi_a` leaf and a 33-byte control block.
 */
function multisigInputWeight(m: MultisigSpend): number {
  if (m.script === 'tr') {
    const thresholdPush = m.threshold <= 16 ? 1 : 3;
    const leaf = m.keys * 34 + thresholdPush + 1;
    const items = m.keys + 2;
    const witness =
      varIntSize(items) + m.threshold * 65 + (m.keys - m.threshold) + varIntSize(leaf) + leaf + 1 + 33;
    return P2WPKH_INPUT_BASE_WU + witness;
  }
  const script = 3 + 34 * m.keys;
  const witness = varIntSize(m.threshold + 2) + 1 + m.threshold * 73 + varIntSize(script) + script;
  const base = m.script === 'sh-wsh' ? (36 + 1 + 35 + 4) * 4 : P2WPKH_INPUT_BASE_WU;
  return base + witness;
}

function inputWeight(type: SpendType): number {
  return typeof type === 'string' ? INPUT_WEIGHT[type] : multisigInputWeight(type);
}

export function inputVbytes(type: SpendType): number {
  return inputWeight(type) / 4;
}

export function scriptLengthOf(type: SpendType): number {
  return typeof type === 'string' ? SCRIPT_LENGTH[type] : MULTISIG_SCRIPT_LENGTH[type.script];
}

/** The dust threshold of one of our own outputs of this type (change, a CPFP child). */
export function dustOf(type: SpendType): number {
  const nonWitness =
    type === 'pkh' || type === 'sh-wpkh' || (typeof type !== 'string' && type.script === 'sh-wsh');
  return (outputVbytes(scriptLengthOf(type)) + (nonWitness ? 148 : 67)) * 3;
}

function varIntSize(n: number): number {
  return n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
}

export function outputVbytes(scriptLength: number): number {
  return 8 + varIntSize(scriptLength) + scriptLength;
}

/** Virtual size of a tx with `inputs` inputs of one type and outputs of the given script lengths. */
export function estimateVsize(
  inputs: number,
  outputScriptLengths: readonly number[],
  inputType: SpendType = 'wpkh',
): number {
  const countsExtra = varIntSize(inputs) - 1 + (varIntSize(outputScriptLengths.length) - 1);
  const outBytes = outputScriptLengths.reduce((s, l) => s + outputVbytes(l), 0);
  const witness = inputType !== 'pkh';
  const weight =
    (BASE_BYTES + countsExtra + outBytes) * 4 +
    (inputs > 0 && witness ? SEGWIT_WU : 0) +
    inputs * inputWeight(inputType);
  return Math.ceil(weight / 4);
}

/** Fee in whole sats for `vsize` at `rate` sat/vB, rounded up so the rate is never undershot. */
export function feeFor(vsize: number, rate: number): number {
  // Rates may have up to 3 decimals (sat/kvB precision); work in milli-sats to stay exact.
  return Math.ceil((vsize * Math.round(rate * 1000)) / 1000);
}

/**
 * Bitcoin Core's dust threshold at the default dust relay fee of 3 sat/vB: what it costs to create
 * and later spend the output. 294 sats for P2WPKH, 330 for P2TR/P2WSH, 546 for P2PKH.
 */
export function dustThreshold(script: Uint8Array): number {
  const op = script[0];
  const isWitness =
    script.length >= 4 &&
    script.length <= 42 &&
    op !== undefined &&
    (op === 0 || (op >= 0x51 && op <= 0x60)) &&
    script[1] === script.length - 2;
  return (outputVbytes(script.length) + (isWitness ? 67 : 148)) * 3;
}

export function isOpReturn(script: Uint8Array): boolean {
  return script[0] === 0x6a;
}
