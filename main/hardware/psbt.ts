import { ecc } from '../bitcoin/ecc-lib';
import { hex } from '@scure/base';
import { payments, Psbt, Transaction } from 'bitcoinjs-lib';
import type { Network } from '../../shared/contract';
import { networkParams } from '../bitcoin/wallet/networks';
import { hwError } from './errors';
import type { AccountContext, HwScriptType } from './types';

export const HARDENED = 0x80000000;

/** `m/84'/1'/0'/0/5` -> [84+H, 1+H, 0+H, 0, 5]. */
export function pathToArray(path: string): number[] {
  const text = path.trim().replace(/^m\/?/, '');
  if (text === '') return [];
  return text.split('/').map((step) => {
    const m = /^(\d+)(['hH]?)$/.exec(step);
    const n = m ? Number(m[1]) : NaN;
    if (!m || !Number.isSafeInteger(n) || n >= HARDENED)
      throw hwError('HW_UNSUPPORTED_SCRIPT', `bad path step ${step}`);
    return m[2] ? n + HARDENED : n;
  });
}

export function arrayToPath(path: readonly number[]): string {
  return ['m', ...path.map((c) => (c >= HARDENED ? `${c - HARDENED}'` : String(c)))].join('/');
}

export function decodePsbt(base64: string, network: Network): Psbt {
  try {
    return Psbt.fromBase64(base64, { network: networkParams(network).btc });
  } catch (err) {
    throw hwError('HW_PSBT_REFUSED', err instanceof Error ? err.message : 'malformed PSBT');
  }
}

/** Address of one key under a single-key script type. */
export function addressOf(pubkey: Uint8Array, scriptType: HwScriptType, network: Network): string {
  const btc = networkParams(network).btc;
  const payment =
    scriptType === 'pkh'
      ? payments.p2pkh({ pubkey, network: btc })
      : scriptType === 'wpkh'
        ? payments.p2wpkh({ pubkey, network: btc })
        : scriptType === 'sh-wpkh'
          ? payments.p2sh({ redeem: payments.p2wpkh({ pubkey, network: btc }), network: btc })
          : payments.p2tr({ internalPubkey: pubkey.length === 33 ? pubkey.slice(1) : pubkey, network: btc });
  if (!payment.address) throw hwError('HW_UNSUPPORTED_SCRIPT');
  return payment.address;
}

/** The derivation of an input or output that belongs to our account (fingerprint + path prefix). */
export interface OwnDerivation {
  path: number[];
  /** 33-byte key (33 for ECDSA; for taproot the x-only key prefixed with 0x02 is not used). */
  pubkey: Uint8Array;
  taproot: boolean;
}

type Derivations = {
  bip32Derivation?: { masterFingerprint: Uint8Array; path: string; pubkey: Uint8Array }[];
  tapBip32Derivation?: { masterFingerprint: Uint8Array; path: string; pubkey: Uint8Array }[];
};

export function ownDerivation(entry: Derivations, account: AccountContext): OwnDerivation | null {
  const fp = hex.decode(account.fingerprint);
  const prefix = pathToArray(account.accountPath);
  const mine = (d: { masterFingerprint: Uint8Array; path: string }) =>
    d.masterFingerprint.length === 4 && d.masterFingerprint.every((b, i) => b === fp[i]);
  const tap = entry.tapBip32Derivation?.find(mine);
  const plain = entry.bip32Derivation?.find(mine);
  const found = tap ?? plain;
  if (!found) return null;
  const path = pathToArray(found.path);
  if (path.length !== prefix.length + 2 || !prefix.every((c, i) => path[i] === c)) return null;
  return { path, pubkey: Uint8Array.from(found.pubkey), taproot: Boolean(tap) };
}

/** The script type of the coin that `psbt`'s input i spends. */
export function inputScriptType(psbt: Psbt, i: number): HwScriptType | null {
  const input = psbt.data.inputs[i];
  let script: Uint8Array | undefined = input?.witnessUtxo?.script;
  const prevout = psbt.txInputs[i];
  if (!script && input?.nonWitnessUtxo && prevout) {
    script = Transaction.fromBuffer(input.nonWitnessUtxo).outs[prevout.index]?.script;
  }
  return script ? scriptTypeOf(script) : null;
}

export function scriptTypeOf(script: Uint8Array): HwScriptType | null {
  if (script.length === 22 && script[0] === 0x00 && script[1] === 0x14) return 'wpkh';
  if (script.length === 34 && script[0] === 0x51 && script[1] === 0x20) return 'tr';
  if (script.length === 23 && script[0] === 0xa9 && script[1] === 0x14 && script[22] === 0x87)
    return 'sh-wpkh';
  if (script.length === 25 && script[0] === 0x76 && script[1] === 0xa9 && script[2] === 0x14) return 'pkh';
  return null;
}

/**
 * Checks a PSBT before it goes to a device: every input is ours and of the account's script type
 * (devices sign single-key policies only; mixed or foreign inputs are refused up front with a
 * clear error rather than a cryptic one from the device).
 */
export function checkSignable(psbt: Psbt, account: AccountContext): OwnDerivation[] {
  if (psbt.inputCount === 0) throw hwError('HW_PSBT_REFUSED', 'no inputs');
  return psbt.data.inputs.map((input, i) => {
    const own = ownDerivation(input, account);
    if (!own) throw hwError('HW_PSBT_REFUSED', `input ${i} does not belong to this account`, { input: i });
    const type = inputScriptType(psbt, i);
    if (type !== account.scriptType)
      throw hwError('HW_UNSUPPORTED_SCRIPT', `input ${i} is ${type ?? 'unknown'}`);
    return own;
  });
}

const verifySig = (pubkey: Uint8Array, msghash: Uint8Array, signature: Uint8Array): boolean =>
  pubkey.length === 32
    ? ecc.verifySchnorr(msghash, pubkey, signature)
    : ecc.verify(msghash, pubkey, signature);

/**
 * Copies the device's signatures into our own PSBT after checking that the device signed exactly
 * our transaction and that every signature verifies. Our PSBT keeps its own metadata (amounts,
 * derivations), so nothing a device returns can change what is spent or paid.
 */
export function mergeSignatures(ours: Psbt, signed: Psbt): Psbt {
  if (unsignedTxid(ours) !== unsignedTxid(signed)) {
    throw hwError('HW_PSBT_REFUSED', 'the device returned a different transaction');
  }
  const out = ours.clone();
  signed.data.inputs.forEach((input, i) => {
    if (input.tapKeySig) out.updateInput(i, { tapKeySig: input.tapKeySig });
    const sigs = input.partialSig?.filter(
      (s) =>
        !(out.data.inputs[i]?.partialSig ?? []).some((o) => hex.encode(o.pubkey) === hex.encode(s.pubkey)),
    );
    if (sigs && sigs.length > 0) out.updateInput(i, { partialSig: sigs });
  });
  requireAllSigned(out);
  return out;
}

/** Every input carries a valid signature (key-path for taproot). */
export function requireAllSigned(psbt: Psbt): void {
  psbt.data.inputs.forEach((input, i) => {
    const has = Boolean(input.tapKeySig) || (input.partialSig?.length ?? 0) > 0;
    if (!has) throw hwError('HW_PSBT_REFUSED', `input ${i} was not signed`, { input: i });
    if (!psbt.validateSignaturesOfInput(i, verifySig)) {
      throw hwError('HW_PSBT_REFUSED', `input ${i}: a signature does not verify`, { input: i });
    }
  });
}

/** Id of the transaction the PSBT describes (inputs, outputs, amounts, order), signed or not. */
export function unsignedTxid(psbt: Psbt): string {
  const tx = new Transaction();
  tx.version = psbt.version;
  tx.locktime = psbt.locktime;
  for (const i of psbt.txInputs) tx.addInput(Uint8Array.from(i.hash), i.index, i.sequence);
  for (const o of psbt.txOutputs) tx.addOutput(Uint8Array.from(o.script), o.value);
  return tx.getId();
}
