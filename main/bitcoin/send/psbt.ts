import * as ecc from '@bitcoinerlab/secp256k1';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { base64, hex } from '@scure/base';
import { initEccLib, Psbt, Transaction } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import { networkParams } from '../wallet/networks';
import { SendError } from './errors';

initEccLib(ecc);

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
  /** Master key fingerprint, 8 hex chars. */
  fingerprint: string;
  /** e.g. m/84'/1'/0' */
  accountPath: string;
}

function hexToBytes(h: string): Uint8Array {
  return hex.decode(h);
}

export function createAccountKeys(account: AccountRef) {
  const node = HDKey.fromExtendedKey(account.xpub, networkParams(account.network).btc.bip32);
  const cache = new Map<string, Uint8Array>();
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
    path: (chain: 0 | 1, index: number): string => `${account.accountPath}/${chain}/${index}`,
    fingerprint: hexToBytes(account.fingerprint),
  };
}

/** An unsigned BIP174 PSBT for a BIP84 account: witnessUtxo + bip32Derivation on every input. */
export function buildPsbt(
  account: AccountRef,
  inputs: readonly PsbtInputSpec[],
  outputs: readonly PsbtOutputSpec[],
  sequence = RBF_SEQUENCE,
): Psbt {
  const keys = createAccountKeys(account);
  const psbt = new Psbt({ network: networkParams(account.network).btc });
  psbt.setVersion(2);
  for (const i of inputs) {
    psbt.addInput({
      hash: i.txid,
      index: i.vout,
      sequence,
      witnessUtxo: { script: i.scriptPubKey, value: BigInt(i.value) },
      ...(i.prevTx ? { nonWitnessUtxo: i.prevTx } : {}),
      bip32Derivation: [
        {
          masterFingerprint: keys.fingerprint,
          path: keys.path(i.chain, i.index),
          pubkey: keys.pubkey(i.chain, i.index),
        },
      ],
    });
  }
  for (const o of outputs) {
    psbt.addOutput({
      script: o.script,
      value: BigInt(o.value),
      ...(o.change
        ? {
            bip32Derivation: [
              {
                masterFingerprint: keys.fingerprint,
                path: keys.path(o.change.chain, o.change.index),
                pubkey: keys.pubkey(o.change.chain, o.change.index),
              },
            ],
          }
        : {}),
    });
  }
  return psbt;
}

/** Sum of input values (from witnessUtxo) minus outputs. */
export function psbtFee(psbt: Psbt): number {
  let inSum = 0n;
  for (const input of psbt.data.inputs) {
    if (!input.witnessUtxo) throw new SendError('PSBT_INCOMPLETE', 'An input has no amount (witnessUtxo).');
    inSum += input.witnessUtxo.value;
  }
  const outSum = psbt.txOutputs.reduce((s, o) => s + o.value, 0n);
  if (outSum > inSum) throw new SendError('BAD_PSBT', 'The outputs spend more than the inputs.');
  return Number(inSum - outSum);
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
  const fp = hexToBytes(account.fingerprint);
  let signed = 0;
  try {
    if ((root.fingerprint >>> 0).toString(16).padStart(8, '0') !== account.fingerprint) {
      throw new SendError('PSBT_NOT_OURS', 'The vault words do not belong to this wallet.');
    }
    psbt.data.inputs.forEach((input, i) => {
      const der = input.bip32Derivation?.find((d) => d.masterFingerprint.every((b, k) => b === fp[k]));
      if (!der) return;
      if (!der.path.startsWith(`${account.accountPath}/`)) return;
      const child = root.derive(der.path);
      try {
        const priv = child.privateKey;
        const pub = child.publicKey;
        if (!priv || !pub) throw new Error('derivation produced no key');
        if (!pub.every((b, k) => b === der.pubkey[k])) {
          throw new SendError('PSBT_NOT_OURS', `Input ${i}: the key at ${der.path} does not match the PSBT.`);
        }
        psbt.signInput(i, {
          publicKey: pub,
          sign: (hash: Uint8Array) => ecc.sign(hash, priv),
        });
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

export function validateSignatures(psbt: Psbt): boolean {
  return psbt.validateSignaturesOfAllInputs((pubkey, msghash, signature) =>
    ecc.verify(msghash, pubkey, signature),
  );
}

/** Finalizes and extracts; throws PSBT_INCOMPLETE when an input is unsigned. */
export function finalizeAndExtract(psbt: Psbt): {
  tx: Transaction;
  txid: string;
  raw: Uint8Array;
  vsize: number;
} {
  try {
    psbt.data.inputs.forEach((input, i) => {
      if (input.finalScriptWitness || input.finalScriptSig) return; // finalized elsewhere
      const ok = psbt.validateSignaturesOfInput(i, (pubkey, msghash, signature) =>
        ecc.verify(msghash, pubkey, signature),
      );
      if (!ok) throw new Error(`input ${i}: a signature does not verify`);
      psbt.finalizeInput(i);
    });
  } catch (err) {
    throw new SendError(
      'PSBT_INCOMPLETE',
      `The PSBT cannot be finalized: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const tx = psbt.extractTransaction(true);
  return { tx, txid: tx.getId(), raw: tx.toBuffer(), vsize: tx.virtualSize() };
}

const PSBT_MAGIC = [0x70, 0x73, 0x62, 0x74, 0xff];

/**
 * Reads a PSBT from what a user drops or pastes: raw binary (a .psbt file), base64 or hex text.
 * Throws BAD_PSBT with a precise message for anything else.
 */
export function importPsbt(data: Uint8Array | string, network: Network): Psbt {
  let bytes: Uint8Array;
  if (typeof data === 'string') {
    const text = data.trim();
    if (/^([0-9a-fA-F]{2})+$/.test(text)) bytes = hex.decode(text.toLowerCase());
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
