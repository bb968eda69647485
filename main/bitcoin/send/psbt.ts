import { ecc } from '../ecc-lib';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { base64, hex } from '@scure/base';
import { crypto as btcCrypto, payments, Psbt, Transaction } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import type { ScriptType } from '../accounts/types';
import { networkParams } from '../wallet/networks';
import { SendError } from './errors';
import { decodePsbtBbqr, looksLikeBbqr } from './bbqr';
import { decodePsbtUr, looksLikeUr } from './ur';

export const RBF_SEQUENCE = 0xfffffffd;

export interface PsbtInputSpec {
  txid: string;
  vout: number;
  value: number;
  scriptPubKey: Uint8Array;
  chain: 0 | 1;
  index: number;
  /** The whole previous tx, for hardware signers that check input amounts (segwit v0 fee bug). */
  prevTx?: Uint8Array | null;
}

export interface PsbtOutputSpec {
  script: Uint8Array;
  value: number;
  /** Set for our own change: lets signers recognise it. */
  change?: { chain: 0 | 1; index: number } | null;
}

export interface AccountRef {
  network: Network;
  xpub: string;
  /** Master key fingerprint, 8 hex chars; null for an xpub imported without key origin. */
  fingerprint: string | null;
  /** e.g. m/84'/1'/0'; null for an xpub imported without key origin. */
  accountPath: string | null;
  /** P2WPKH (BIP84) when absent. */
  scriptType?: ScriptType;
}

function hexToBytes(h: string): Uint8Array {
  return hex.decode(h);
}

/**
 * Public keys and key origins of an account's addresses. Without a known origin the account key
 * itself stands in as the "master" (its own fingerprint, paths relative to it), the convention
 * signers use for a bare xpub.
 */
export function createAccountKeys(account: AccountRef) {
  const node = HDKey.fromExtendedKey(account.xpub, networkParams(account.network).btc.bip32);
  const cache = new Map<string, Uint8Array>();
  const fingerprint = account.fingerprint ?? (node.fingerprint >>> 0).toString(16).padStart(8, '0');
  const base = account.fingerprint && account.accountPath ? account.accountPath : 'm';
  return {
    pubkey(chain: 0 | 1, index: number): Uint8Array {
      const key = `${chain}/${index}`;
      let pk = cache.get(key);
      if (!pk) {
        const p = node.deriveChild(chain).deriveChild(index).publicKey;
        if (!p) throw new Error('no public key');
        pk = p;
        cache.set(key, pk);
      }
      return pk;
    },
    path: (chain: 0 | 1, index: number): string => `${base}/${chain}/${index}`,
    fingerprint: hexToBytes(fingerprint),
  };
}

type AccountKeys = ReturnType<typeof createAccountKeys>;

/** BIP341 x-only form of a compressed key. */
const xOnly = (pubkey: Uint8Array): Uint8Array => pubkey.subarray(1, 33);

/** PSBT fields that let any signer find and check its key for one of our scripts. */
function keyFields(keys: AccountKeys, type: ScriptType, chain: 0 | 1, index: number) {
  const pubkey = keys.pubkey(chain, index);
  const origin = { masterFingerprint: keys.fingerprint, path: keys.path(chain, index) };
  if (type === 'tr') {
    return {
      tapInternalKey: xOnly(pubkey),
      tapBip32Derivation: [{ ...origin, pubkey: xOnly(pubkey), leafHashes: [] }],
    };
  }
  const derivation = { bip32Derivation: [{ ...origin, pubkey }] };
  if (type === 'sh-wpkh') {
    const redeem = payments.p2wpkh({ pubkey }).output;
    if (!redeem) throw new Error('could not build a P2WPKH redeem script');
    return { ...derivation, redeemScript: redeem };
  }
  return derivation;
}

/**
 * An unsigned BIP174 PSBT for a single-key account of any type: key origins on every input and
 * change output, witnessUtxo for segwit inputs and the whole previous tx wherever we have it
 * (required for P2PKH; lets hardware signers check segwit v0 amounts).
 */
export function buildPsbt(
  account: AccountRef,
  inputs: readonly PsbtInputSpec[],
  outputs: readonly PsbtOutputSpec[],
  sequence = RBF_SEQUENCE,
): Psbt {
  const keys = createAccountKeys(account);
  const type = account.scriptType ?? 'wpkh';
  const psbt = new Psbt({ network: networkParams(account.network).btc });
  psbt.setVersion(2);
  for (const i of inputs) {
    if (type === 'pkh' && !i.prevTx) {
      throw new SendError(
        'PSBT_INCOMPLETE',
        'A legacy input needs its previous transaction; let the wallet sync.',
      );
    }
    psbt.addInput({
      hash: i.txid,
      index: i.vout,
      sequence,
      ...(type === 'pkh' ? {} : { witnessUtxo: { script: i.scriptPubKey, value: BigInt(i.value) } }),
      // Taproot signatures commit to every input amount, so the previous tx adds nothing there.
      ...(i.prevTx && type !== 'tr' ? { nonWitnessUtxo: i.prevTx } : {}),
      ...keyFields(keys, type, i.chain, i.index),
    });
  }
  for (const o of outputs) {
    psbt.addOutput({
      script: o.script,
      value: BigInt(o.value),
      ...(o.change ? keyFields(keys, type, o.change.chain, o.change.index) : {}),
    });
  }
  return psbt;
}

export interface SignResult {
  psbt: Psbt;
  signedInputs: number;
}

/**
 * Signs every input whose bip32Derivation names our master fingerprint, after checking that the
 * key at that path really owns the script (a PSBT from elsewhere could lie). The seed and every
 * private key are wiped before returning (best effort: the mnemonic string cannot be wiped).
 */
export function signPsbtWithMnemonic(
  psbt: Psbt,
  secret: { mnemonic: string; passphrase: string },
  account: AccountRef,
): SignResult {
  const versions = networkParams(account.network).btc.bip32;
  const seed = mnemonicToSeedSync(secret.mnemonic, secret.passphrase);
  const root = HDKey.fromMasterSeed(seed, versions);
  seed.fill(0);
  let signed = 0;
  try {
    if (
      account.fingerprint === null ||
      account.accountPath === null ||
      (root.fingerprint >>> 0).toString(16).padStart(8, '0') !== account.fingerprint
    ) {
      throw new SendError('PSBT_NOT_OURS', 'The vault words do not belong to this wallet.');
    }
    const fp = hexToBytes(account.fingerprint);
    const ours = (d: { masterFingerprint: Uint8Array; path: string }) =>
      d.masterFingerprint.every((b, k) => b === fp[k]) && d.path.startsWith(`${account.accountPath}/`);
    psbt.data.inputs.forEach((input, i) => {
      const tap = input.tapBip32Derivation?.find(ours);
      const der = tap ?? input.bip32Derivation?.find(ours);
      if (!der) return;
      const child = root.derive(der.path);
      try {
        const priv = child.privateKey;
        const pub = child.publicKey;
        if (!priv || !pub) throw new Error('derivation produced no key');
        const expected = tap ? xOnly(pub) : pub;
        if (!expected.every((b, k) => b === der.pubkey[k])) {
          throw new SendError('PSBT_NOT_OURS', `Input ${i}: the key at ${der.path} does not match the PSBT.`);
        }
        if (tap) {
          if (!input.tapInternalKey || !input.tapInternalKey.every((b, k) => b === expected[k])) {
            throw new SendError('PSBT_NOT_OURS', `Input ${i}: the taproot internal key is not ours.`);
          }
          signTaprootKeyPath(psbt, i, priv, pub);
        } else {
          psbt.signInput(i, { publicKey: pub, sign: (hash: Uint8Array) => ecc.sign(hash, priv) });
        }
        signed++;
      } finally {
        child.wipePrivateData();
      }
    });
  } finally {
    root.wipePrivateData();
  }
  return { psbt, signedInputs: signed };
}

/**
 * BIP86 key-path spend: the output key is the internal key tweaked by its own hash (no script
 * tree), so the private key is tweaked the same way, after negation when its point has odd Y.
 */
function signTaprootKeyPath(psbt: Psbt, index: number, priv: Uint8Array, pub: Uint8Array): void {
  const internal = xOnly(pub);
  const base = pub[0] === 0x03 ? ecc.privateNegate(priv) : priv;
  const tweaked = ecc.privateAdd(base, btcCrypto.taggedHash('TapTweak', internal));
  if (!tweaked) throw new Error('taproot tweak produced an invalid key');
  const outputKey = ecc.xOnlyPointFromScalar(tweaked);
  try {
    psbt.signTaprootInput(index, {
      publicKey: Uint8Array.from([0x02, ...outputKey]),
      sign: (hash: Uint8Array) => ecc.sign(hash, tweaked),
      signSchnorr: (hash: Uint8Array) => ecc.signSchnorr(hash, tweaked),
    });
  } finally {
    tweaked.fill(0);
    if (base !== priv) base.fill(0);
  }
}

/** Checks ECDSA and Schnorr (taproot, 32-byte keys) signatures alike. */
export function verifySignature(pubkey: Uint8Array, msghash: Uint8Array, signature: Uint8Array): boolean {
  return pubkey.length === 32
    ? ecc.verifySchnorr(msghash, pubkey, signature)
    : ecc.verify(msghash, pubkey, signature);
}

export function validateSignatures(psbt: Psbt): boolean {
  return psbt.validateSignaturesOfAllInputs(verifySignature);
}

/**
 * Finalizes and extracts; throws PSBT_INCOMPLETE when an input is unsigned. bitcoinjs checks the
 * fee rate on extraction: `maxFeeRate` (sat/vB, see fee-guard.ts) is that limit, stated here
 * rather than left to the library's default or switched off, as a last line behind our own check.
 */
export function finalizeAndExtract(
  psbt: Psbt,
  maxFeeRate: number,
): {
  tx: Transaction;
  txid: string;
  raw: Uint8Array;
  vsize: number;
} {
  try {
    psbt.data.inputs.forEach((input, i) => {
      if (input.finalScriptWitness || input.finalScriptSig) return; // finalized elsewhere
      const ok = psbt.validateSignaturesOfInput(i, verifySignature);
      if (!ok) throw new Error(`input ${i}: a signature does not verify`);
      psbt.finalizeInput(i);
    });
  } catch (err) {
    throw new SendError(
      'PSBT_INCOMPLETE',
      `The PSBT cannot be finalized: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  psbt.setMaximumFeeRate(maxFeeRate);
  let tx: Transaction;
  try {
    tx = psbt.extractTransaction();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/paying around/i.test(message)) {
      throw new SendError(
        'FEE_ABSURD',
        `The signed transaction pays ${maxFeeRate} sat/vB or more; Flash will not extract it.`,
        { concern: 'rate' },
      );
    }
    throw new SendError('PSBT_INCOMPLETE', `The transaction cannot be extracted: ${message}`);
  }
  return { tx, txid: tx.getId(), raw: tx.toBuffer(), vsize: tx.virtualSize() };
}

const PSBT_MAGIC = [0x70, 0x73, 0x62, 0x74, 0xff];

/**
 * Reads a PSBT from what a user drops or pastes: raw binary (a .psbt file), base64 or hex text, or
 * the ur:crypto-psbt or BBQr parts of an animated QR.
 * Throws BAD_PSBT with a precise message for anything else.
 */
export function importPsbt(data: Uint8Array | string, network: Network): Psbt {
  let bytes: Uint8Array;
  if (typeof data === 'string') {
    const text = data.trim();
    if (looksLikeUr(text)) bytes = decodePsbtUr(text);
    else if (looksLikeBbqr(text)) bytes = decodePsbtBbqr(text);
    else if (/^([0-9a-fA-F]{2})+$/.test(text)) bytes = hex.decode(text.toLowerCase());
    else {
      try {
        bytes = base64.decode(text.replace(/\s+/g, ''));
      } catch {
        throw new SendError('BAD_PSBT', 'This is neither base64 nor hex PSBT text.');
      }
    }
  } else if (PSBT_MAGIC.every((b, i) => data[i] === b)) {
    bytes = data;
  } else {
    // A file may hold the base64 text instead of the binary.
    return importPsbt(new TextDecoder().decode(data), network);
  }
  if (!PSBT_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new SendError('BAD_PSBT', 'This is not a PSBT (the "psbt" magic bytes are missing).');
  }
  try {
    return Psbt.fromBuffer(bytes, { network: networkParams(network).btc });
  } catch (err) {
    throw new SendError(
      'BAD_PSBT',
      `The PSBT is malformed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export function exportPsbt(psbt: Psbt): { base64: string; binary: Uint8Array } {
  return { base64: psbt.toBase64(), binary: psbt.toBuffer() };
}

export function txidOf(raw: Uint8Array): string {
  return Transaction.fromBuffer(raw).getId();
}
