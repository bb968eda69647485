import * as ecc from '@bitcoinerlab/secp256k1';
import { hex } from '@scure/base';
import { Transaction, type Psbt } from 'bitcoinjs-lib';
import { FlashError } from '../../../shared/errors';
import { unsignedTxid } from '../../hardware/psbt';
import { parsePath } from '../accounts/paths';
import type { MultisigAccount } from './account';
import type { MultisigScripts } from './scripts';

/** Where one of the wallet's scripts sits (chain 0 receive, 1 change), from the wallet's own table. */
export type PlaceOf = (script: Uint8Array) => { chain: 0 | 1; index: number } | null;

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function keyPath(account: MultisigAccount, keyIndex: number, chain: 0 | 1, index: number): string {
  const k = account.policy.keys[keyIndex];
  if (!k) throw new Error('no such key');
  return `${k.path}/${chain}/${index}`;
}

const fingerprintBytes = (fp: string): Uint8Array => hex.decode(fp);

/**
 * PSBT fields for an input or our change output at (chain, index): scripts and every cosigner's
 * key origin (BIP174 bip32Derivation, or BIP371 tapBip32Derivation with the leaf hash), so any
 * signer finds its own key and checks the change is ours.
 */
export function multisigFields(
  account: MultisigAccount,
  chain: 0 | 1,
  index: number,
  kind: 'input' | 'output',
) {
  const s = account.scriptsAt(chain, index);
  if (s.tap) {
    const tapBip32Derivation = s.keys.map((k) => ({
      masterFingerprint: fingerprintBytes(account.policy.keys[k.keyIndex]?.fingerprint ?? '00000000'),
      path: keyPath(account, k.keyIndex, chain, index),
      pubkey: k.pubkey,
      leafHashes: [s.tap?.leafHash ?? new Uint8Array(32)],
    }));
    if (kind === 'output') {
      return {
        tapInternalKey: s.tap.internalKey,
        tapTree: { leaves: [{ depth: 0, leafVersion: 0xc0, script: s.tap.leafScript }] },
        tapBip32Derivation,
      };
    }
    return {
      tapInternalKey: s.tap.internalKey,
      tapMerkleRoot: s.tap.leafHash,
      tapLeafScript: [{ leafVersion: 0xc0, script: s.tap.leafScript, controlBlock: s.tap.controlBlock }],
      tapBip32Derivation,
    };
  }
  return {
    ...(s.witnessScript ? { witnessScript: s.witnessScript } : {}),
    ...(s.redeemScript ? { redeemScript: s.redeemScript } : {}),
    bip32Derivation: s.keys.map((k) => ({
      masterFingerprint: fingerprintBytes(account.policy.keys[k.keyIndex]?.fingerprint ?? '00000000'),
      path: keyPath(account, k.keyIndex, chain, index),
      pubkey: k.pubkey,
    })),
  };
}

export function prevoutScript(psbt: Psbt, i: number): Uint8Array | null {
  const input = psbt.data.inputs[i];
  if (input?.witnessUtxo) return input.witnessUtxo.script;
  const txIn = psbt.txInputs[i];
  if (input?.nonWitnessUtxo && txIn)
    return Transaction.fromBuffer(input.nonWitnessUtxo).outs[txIn.index]?.script ?? null;
  return null;
}

/** The wallet's scripts for input i, or a typed refusal: an input of another wallet. */
export function scriptsOfInput(
  psbt: Psbt,
  i: number,
  account: MultisigAccount,
  placeOf: PlaceOf,
): MultisigScripts {
  const script = prevoutScript(psbt, i);
  const place = script ? placeOf(script) : null;
  const scripts = place ? account.scriptsAt(place.chain, place.index) : null;
  if (!script || !scripts || !same(scripts.scriptPubKey, script)) {
    throw new FlashError('MULTISIG_WRONG_WALLET', `Input ${i} does not spend a coin of this wallet.`, {
      input: i,
    });
  }
  return scripts;
}

const SIGHASH_ALL = Transaction.SIGHASH_ALL;
const SIGHASH_DEFAULT = Transaction.SIGHASH_DEFAULT;

/** Checks one signature against input i's sighash. A hash type other than ALL/DEFAULT is refused. */
function verifies(
  psbt: Psbt,
  i: number,
  pubkey: Uint8Array,
  signature: Uint8Array,
  taproot: boolean,
): boolean {
  const validator = (pk: Uint8Array, msghash: Uint8Array, sig: Uint8Array): boolean =>
    pk.length === 32 ? ecc.verifySchnorr(msghash, pk, sig) : ecc.verify(msghash, pk, sig);
  if (taproot) {
    const type = signature.length === 65 ? signature[64] : SIGHASH_DEFAULT;
    if (type !== SIGHASH_DEFAULT && type !== SIGHASH_ALL) return false;
  } else if (signature[signature.length - 1] !== SIGHASH_ALL) return false;
  try {
    return psbt.validateSignaturesOfInput(i, validator, pubkey);
  } catch {
    return false;
  }
}

export interface CosignerProgress {
  fingerprint: string;
  label: string;
  kind: MultisigAccount['cosigners'][number]['kind'];
  /** Inputs this cosigner's signature verifies on. */
  signedInputs: number;
}

export interface SignatureStatus {
  threshold: number;
  total: number;
  inputs: number;
  /** The fewest valid signatures any input has: the transaction is as signed as its least signed input. */
  have: number;
  complete: boolean;
  cosigners: CosignerProgress[];
}

/** Which cosigner's keys each signature is from, per input (pubkey hex -> key index). */
function keyIndexByPubkey(scripts: MultisigScripts): Map<string, number> {
  return new Map(scripts.keys.map((k) => [hex.encode(k.pubkey), k.keyIndex]));
}

function signaturesOf(
  psbt: Psbt,
  i: number,
): { pubkey: Uint8Array; signature: Uint8Array; taproot: boolean; leafHash?: Uint8Array }[] {
  const input = psbt.data.inputs[i];
  return [
    ...(input?.partialSig ?? []).map((s) => ({ pubkey: s.pubkey, signature: s.signature, taproot: false })),
    ...(input?.tapScriptSig ?? []).map((s) => ({
      pubkey: s.pubkey,
      signature: s.signature,
      taproot: true,
      leafHash: s.leafHash,
    })),
  ];
}

/** Valid signatures per input by cosigner: "2 of 3", and who has signed. */
export function signatureStatus(psbt: Psbt, account: MultisigAccount, placeOf: PlaceOf): SignatureStatus {
  const perCosigner = account.cosigners.map(() => 0);
  let have = Number.POSITIVE_INFINITY;
  for (let i = 0; i < psbt.inputCount; i++) {
    const scripts = scriptsOfInput(psbt, i, account, placeOf);
    const byKey = keyIndexByPubkey(scripts);
    const signers = new Set<number>();
    for (const s of signaturesOf(psbt, i)) {
      const k = byKey.get(hex.encode(s.pubkey));
      if (k === undefined || !verifies(psbt, i, s.pubkey, s.signature, s.taproot)) continue;
      signers.add(k);
    }
    for (const k of signers) perCosigner[k] = (perCosigner[k] ?? 0) + 1;
    have = Math.min(have, signers.size);
  }
  if (!Number.isFinite(have)) have = 0;
  return {
    threshold: account.policy.threshold,
    total: account.policy.keys.length,
    inputs: psbt.inputCount,
    have,
    complete: have >= account.policy.threshold,
    cosigners: account.cosigners.map((c, i) => ({
      fingerprint: c.fingerprint,
      label: c.label,
      kind: c.kind,
      signedInputs: perCosigner[i] ?? 0,
    })),
  };
}

/**
 * Adds the signatures of `incoming` (a cosigner's answer) to `base` (our draft). Refused whole,
 * with nothing added, when the answer is for another transaction or wallet, carries a signature
 * from a key that is not one of this input's cosigner keys, or a signature that does not verify.
 * Our draft keeps its own metadata; only signatures are copied. Returns how many were new.
 */
export function combineSignatures(
  base: Psbt,
  incoming: Psbt,
  account: MultisigAccount,
  placeOf: PlaceOf,
): number {
  if (unsignedTxid(base) !== unsignedTxid(incoming)) {
    throw new FlashError(
      'MULTISIG_WRONG_WALLET',
      'This PSBT is for another transaction or wallet: import the signed copy of this payment.',
      { reason: 'different_transaction' },
    );
  }
  const out = base.clone();
  let added = 0;
  for (let i = 0; i < incoming.inputCount; i++) {
    const scripts = scriptsOfInput(out, i, account, placeOf);
    const byKey = keyIndexByPubkey(scripts);
    const fromFinal = incoming.data.inputs[i]?.finalScriptWitness;
    if (fromFinal && signaturesOf(incoming, i).length === 0) {
      throw new FlashError(
        'MULTISIG_WRONG_WALLET',
        `Input ${i} comes back finalized: export the PSBT from the signer without finalizing it.`,
        { input: i, reason: 'finalized' },
      );
    }
    for (const s of signaturesOf(incoming, i)) {
      const keyIndex = byKey.get(hex.encode(s.pubkey));
      if (keyIndex === undefined) {
        throw new FlashError(
          'MULTISIG_UNKNOWN_SIGNER',
          `Input ${i} is signed by key ${hex.encode(s.pubkey).slice(0, 16)}…, which is not one of this wallet's cosigners. Nothing was added.`,
          { input: i, pubkey: hex.encode(s.pubkey) },
        );
      }
      if (s.taproot && s.leafHash && scripts.tap && !same(s.leafHash, scripts.tap.leafHash)) {
        throw new FlashError('MULTISIG_WRONG_WALLET', `Input ${i} is signed for another script.`, {
          input: i,
        });
      }
      const already = signaturesOf(out, i).some((o) => same(o.pubkey, s.pubkey));
      if (already) continue;
      const trial = out.clone();
      if (s.taproot) {
        trial.updateInput(i, {
          tapScriptSig: [
            {
              pubkey: s.pubkey,
              signature: s.signature,
              leafHash: s.leafHash ?? scripts.tap?.leafHash ?? new Uint8Array(32),
            },
          ],
        });
      } else {
        trial.updateInput(i, { partialSig: [{ pubkey: s.pubkey, signature: s.signature }] });
      }
      if (!verifies(trial, i, s.pubkey, s.signature, s.taproot)) {
        throw new FlashError(
          'MULTISIG_BAD_SIGNATURE',
          `Input ${i}: the signature of cosigner ${account.policy.keys[keyIndex]?.fingerprint ?? '?'} does not verify. Nothing was added.`,
          { input: i, fingerprint: account.policy.keys[keyIndex]?.fingerprint ?? null },
        );
      }
      if (s.taproot) {
        out.updateInput(i, {
          tapScriptSig: [
            {
              pubkey: s.pubkey,
              signature: s.signature,
              leafHash: s.leafHash ?? scripts.tap?.leafHash ?? new Uint8Array(32),
            },
          ],
        });
      } else {
        out.updateInput(i, { partialSig: [{ pubkey: s.pubkey, signature: s.signature }] });
      }
      added++;
    }
  }
  base.data.inputs.forEach((_, i) => {
    const src = out.data.inputs[i];
    if (src?.partialSig) base.data.inputs[i] = { ...base.data.inputs[i], partialSig: src.partialSig };
    if (src?.tapScriptSig) base.data.inputs[i] = { ...base.data.inputs[i], tapScriptSig: src.tapScriptSig };
  });
  return added;
}

function witnessBytes(stack: readonly Uint8Array[]): Uint8Array {
  const parts: number[] = [];
  const varint = (n: number) => (n < 0xfd ? [n] : [0xfd, n & 0xff, n >> 8]);
  parts.push(...varint(stack.length));
  for (const item of stack) parts.push(...varint(item.length), ...item);
  return Uint8Array.from(parts);
}

/**
 * Finalizes every input with exactly k valid signatures, in the order the script checks them;
 * refused while any input has fewer (MULTISIG_NOT_ENOUGH_SIGNATURES, with how many it has).
 */
export function finalizeMultisig(psbt: Psbt, account: MultisigAccount, placeOf: PlaceOf): void {
  const k = account.policy.threshold;
  for (let i = 0; i < psbt.inputCount; i++) {
    const input = psbt.data.inputs[i];
    if (input?.finalScriptWitness) continue;
    const scripts = scriptsOfInput(psbt, i, account, placeOf);
    const valid = new Map<string, Uint8Array>();
    for (const s of signaturesOf(psbt, i)) {
      if (
        scripts.keys.some((key) => same(key.pubkey, s.pubkey)) &&
        verifies(psbt, i, s.pubkey, s.signature, s.taproot)
      ) {
        valid.set(hex.encode(s.pubkey), s.signature);
      }
    }
    if (valid.size < k) {
      throw new FlashError(
        'MULTISIG_NOT_ENOUGH_SIGNATURES',
        `Input ${i} has ${valid.size} of the ${k} signatures it needs: it cannot be finalized yet.`,
        { input: i, have: valid.size, need: k },
      );
    }
    let stack: Uint8Array[];
    if (scripts.tap) {
      // OP_CHECKSIGADD pops in reverse key order: the last key's signature goes first on the stack.
      let used = 0;
      const sigs = scripts.keys.map((key) => {
        const sig = valid.get(hex.encode(key.pubkey));
        if (sig && used < k) {
          used++;
          return sig;
        }
        return new Uint8Array(0);
      });
      stack = [...sigs.reverse(), scripts.tap.leafScript, scripts.tap.controlBlock];
    } else {
      const sigs = scripts.keys
        .map((key) => valid.get(hex.encode(key.pubkey)))
        .filter((s): s is Uint8Array => s !== undefined)
        .slice(0, k);
      stack = [new Uint8Array(0), ...sigs, scripts.witnessScript ?? new Uint8Array(0)];
    }
    psbt.updateInput(i, {
      finalScriptWitness: witnessBytes(stack),
      ...(scripts.redeemScript
        ? { finalScriptSig: Uint8Array.from([scripts.redeemScript.length, ...scripts.redeemScript]) }
        : {}),
    });
  }
}

/** The key path of cosigner `fingerprint` in input i's derivations, for signers that need it. */
export function cosignerPathOf(
  account: MultisigAccount,
  keyIndex: number,
  chain: 0 | 1,
  index: number,
): number[] {
  return parsePath(keyPath(account, keyIndex, chain, index));
}
