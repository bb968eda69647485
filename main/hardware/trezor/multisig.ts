import type { Params, PROTO, SignTransaction, SignedTransaction } from '@trezor/connect';
import { hex } from '@scure/base';
import { address as btcAddress, Transaction, type Psbt } from 'bitcoinjs-lib';
import { FlashError } from '../../../shared/errors';
import { parseMultisigDescriptor, type MultisigDescriptor } from '../../bitcoin/multisig/descriptor';
import { descriptorOf, policyFromDescriptor } from '../../bitcoin/multisig/policy';
import { multisigScriptsAt } from '../../bitcoin/multisig/scripts';
import type { MultisigPolicy } from '../../bitcoin/multisig/types';
import { walletPolicyToDescriptor } from '../../bitcoin/multisig/wallet-policy';
import { networkParams } from '../../bitcoin/wallet/networks';
import { hwError } from '../errors';
import { pathToArray } from '../psbt';
import type { DeviceSignature, MultisigDeviceRequest } from '../types';
import { checkSignedSpend, previousTransactions, trezorCoin, txidOfHash } from './translate';

/**
 * Multisig on a Trezor: it registers nothing, so every call carries the whole multisig structure
 * (every cosigner's xpub with the address's [chain, index], the signatures so far, m). Keys are
 * given in sortedmulti order for the address. Native and nested P2WSH; Taproot multisig is not
 * something Trezor firmware signs.
 */
export interface TrezorMultisigWallet {
  policy: MultisigPolicy;
  descriptor: MultisigDescriptor;
}

export function walletOfRequest(req: MultisigDeviceRequest): TrezorMultisigWallet {
  const d = parseMultisigDescriptor(walletPolicyToDescriptor(req.template, req.keys), {
    network: req.network,
  });
  const { policy } = policyFromDescriptor(d, req.network);
  if (policy.script === 'tr') {
    throw new FlashError('MULTISIG_DEVICE_UNSUPPORTED', 'A Trezor does not sign Taproot multisig.', {
      vendor: 'trezor',
    });
  }
  return { policy, descriptor: descriptorOf(policy) };
}

/** The multisig structure of address (chain, index), keys sorted as the script holds them. */
export function trezorMultisigAt(
  w: TrezorMultisigWallet,
  chain: number,
  index: number,
  signatures?: string[],
): PROTO.MultisigRedeemScriptType {
  const s = multisigScriptsAt(w.descriptor, chain, index);
  return {
    pubkeys: s.keys.map((k) => ({ node: w.policy.keys[k.keyIndex]?.xpub ?? '', address_n: [chain, index] })),
    signatures: signatures ?? s.keys.map(() => ''),
    m: w.policy.threshold,
  };
}

export const multisigInputScript = (w: TrezorMultisigWallet) =>
  w.policy.script === 'wsh' ? ('SPENDWITNESS' as const) : ('SPENDP2SHWITNESS' as const);
const changeScript = (w: TrezorMultisigWallet) =>
  w.policy.script === 'wsh' ? ('PAYTOWITNESS' as const) : ('PAYTOP2SHWITNESS' as const);

/** This device's key in a PSBT input or output: its full path and the chain/index it ends in. */
function ourPlace(
  derivations: readonly { masterFingerprint: Uint8Array; path: string; pubkey: Uint8Array }[] | undefined,
  fingerprint: string,
): { path: number[]; chain: number; index: number; pubkey: Uint8Array } | null {
  const d = derivations?.find((x) => hex.encode(x.masterFingerprint) === fingerprint);
  if (!d) return null;
  const path = pathToArray(d.path);
  const chain = path[path.length - 2];
  const index = path[path.length - 1];
  if (chain === undefined || index === undefined) return null;
  return { path, chain, index, pubkey: d.pubkey };
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Our multisig PSBT -> Connect's signTransaction: each input by this device's address_n with the
 * multisig structure (the script is checked to be the wallet's at that place), our change by
 * address_n and structure (so the device derives it and hides it from what to confirm), other
 * outputs by address, and every previous transaction (the device checks input amounts).
 */
export function toMultisigSignTransaction(
  psbt: Psbt,
  req: MultisigDeviceRequest,
  fingerprint: string,
): Params<SignTransaction> {
  const w = walletOfRequest(req);
  const btc = networkParams(req.network).btc;
  const inputs = psbt.txInputs.map((txin, i) => {
    const data = psbt.data.inputs[i];
    const place = ourPlace(data?.bip32Derivation, fingerprint);
    const script = data?.witnessUtxo?.script;
    if (!data || !place || !script) throw hwError('HW_PSBT_REFUSED', `input ${i} is not this device's`);
    if (!same(multisigScriptsAt(w.descriptor, place.chain, place.index).scriptPubKey, script)) {
      throw hwError('HW_PSBT_REFUSED', `input ${i} is not this wallet's`);
    }
    return {
      address_n: place.path,
      prev_hash: txidOfHash(txin.hash),
      prev_index: txin.index,
      amount: (data.witnessUtxo?.value ?? 0n).toString(),
      sequence: txin.sequence ?? 0xffffffff,
      script_type: multisigInputScript(w),
      multisig: trezorMultisigAt(w, place.chain, place.index),
    };
  });
  const outputs = psbt.txOutputs.map((out, i): PROTO.TxOutputType => {
    const place = ourPlace(psbt.data.outputs[i]?.bip32Derivation, fingerprint);
    if (
      place &&
      (place.chain === 0 || place.chain === 1) &&
      same(multisigScriptsAt(w.descriptor, place.chain, place.index).scriptPubKey, out.script)
    ) {
      return {
        address_n: place.path,
        amount: out.value.toString(),
        script_type: changeScript(w),
        multisig: trezorMultisigAt(w, place.chain, place.index),
      };
    }
    return {
      address: btcAddress.fromOutputScript(out.script, btc),
      amount: out.value.toString(),
      script_type: 'PAYTOADDRESS',
    };
  });
  return {
    coin: trezorCoin(req.network),
    inputs,
    outputs,
    refTxs: previousTransactions(psbt),
    version: psbt.version,
    locktime: psbt.locktime,
    push: false,
    serialize: true,
  };
}

/** Trezor's answer -> this device's signature per input (DER plus SIGHASH_ALL), for our own checks. */
export function trezorMultisigSignatures(
  psbt: Psbt,
  fingerprint: string,
  signed: SignedTransaction,
): DeviceSignature[] {
  checkSignedSpend(psbt, signed);
  return psbt.data.inputs.map((data, i) => {
    const place = ourPlace(data.bip32Derivation, fingerprint);
    if (!place) throw hwError('HW_PSBT_REFUSED', `input ${i} is not this device's`);
    return {
      input: i,
      pubkey: place.pubkey,
      signature: Uint8Array.from([...hex.decode(signed.signatures[i] ?? ''), Transaction.SIGHASH_ALL]),
    };
  });
}
