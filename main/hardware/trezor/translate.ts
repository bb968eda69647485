import type { Params, PROTO, RefTransaction, SignTransaction, SignedTransaction } from '@trezor/connect';
import { hex } from '@scure/base';
import { address as btcAddress, Transaction, type Psbt } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import { networkParams } from '../../bitcoin/wallet/networks';
import { hwError } from '../errors';
import {
  addressOf,
  checkSignable,
  ownDerivation,
  requireAllSigned,
  scriptTypeOf,
  unsignedTxid,
} from '../psbt';
import type { AccountContext, HwScriptType } from '../types';

/** Trezor's coin names for our networks (signet shares testnet's parameters). */
export function trezorCoin(network: Network): string {
  return network === 'mainnet' ? 'btc' : network === 'regtest' ? 'regtest' : 'test';
}

type InputScript = 'SPENDADDRESS' | 'SPENDP2SHWITNESS' | 'SPENDWITNESS' | 'SPENDTAPROOT';
type ChangeScript = 'PAYTOADDRESS' | 'PAYTOP2SHWITNESS' | 'PAYTOWITNESS' | 'PAYTOTAPROOT';

export const TREZOR_INPUT_SCRIPT: Readonly<Record<HwScriptType, InputScript>> = {
  pkh: 'SPENDADDRESS',
  'sh-wpkh': 'SPENDP2SHWITNESS',
  wpkh: 'SPENDWITNESS',
  tr: 'SPENDTAPROOT',
};

export const TREZOR_CHANGE_SCRIPT: Readonly<Record<HwScriptType, ChangeScript>> = {
  pkh: 'PAYTOADDRESS',
  'sh-wpkh': 'PAYTOP2SHWITNESS',
  wpkh: 'PAYTOWITNESS',
  tr: 'PAYTOTAPROOT',
};

export const txidOfHash = (hash: Uint8Array): string => hex.encode(Uint8Array.from(hash).reverse());

/** A previous transaction in Connect's RefTransaction form (no witnesses: Trezor hashes the legacy form). */
function refTx(raw: Uint8Array): RefTransaction {
  const tx = Transaction.fromBuffer(raw);
  return {
    hash: tx.getId(),
    version: tx.version,
    inputs: tx.ins.map((i) => ({
      prev_hash: txidOfHash(i.hash),
      prev_index: i.index,
      script_sig: hex.encode(i.script),
      sequence: i.sequence,
    })),
    bin_outputs: tx.outs.map((o) => ({ amount: o.value.toString(), script_pubkey: hex.encode(o.script) })),
    lock_time: tx.locktime,
  };
}

/**
 * Every previous transaction the PSBT spends from, once each, for the device's check of input
 * amounts; refused when one is missing or is not the transaction the input names.
 */
export function previousTransactions(psbt: Psbt): RefTransaction[] {
  const refTxs: RefTransaction[] = [];
  const seen = new Set<string>();
  psbt.data.inputs.forEach((data, i) => {
    const txid = txidOfHash(psbt.txInputs[i]?.hash ?? new Uint8Array(32));
    if (seen.has(txid)) return;
    seen.add(txid);
    if (!data.nonWitnessUtxo)
      throw hwError('HW_PSBT_REFUSED', `input ${i}: the previous transaction is missing`);
    const ref = refTx(data.nonWitnessUtxo);
    if (ref.hash !== txid) throw hwError('HW_PSBT_REFUSED', `input ${i}: wrong previous transaction`);
    refTxs.push(ref);
  });
  return refTxs;
}

/**
 * Our PSBT -> Trezor Connect's signTransaction parameters. Trezor has no PSBT API: inputs are named
 * by address_n and script type, our change by address_n (so the device hides it from the amounts
 * to confirm, after deriving it itself), everything else by address. Single-key only
 * (`multisig: undefined`). Previous transactions go along for every non-taproot spend: the device
 * checks input amounts against them (the segwit v0 fee attack).
 */
export function toSignTransaction(psbt: Psbt, account: AccountContext): Params<SignTransaction> {
  const owns = checkSignable(psbt, account);
  const btc = networkParams(account.network).btc;
  const inputs = psbt.txInputs.map((txin, i) => {
    const own = owns[i];
    const data = psbt.data.inputs[i];
    if (!own || !data) throw hwError('HW_PSBT_REFUSED', `input ${i}`);
    const amount =
      data.witnessUtxo?.value ??
      (data.nonWitnessUtxo ? Transaction.fromBuffer(data.nonWitnessUtxo).outs[txin.index]?.value : undefined);
    if (amount === undefined) throw hwError('HW_PSBT_REFUSED', `input ${i} has no amount`);
    return {
      address_n: own.path,
      prev_hash: txidOfHash(txin.hash),
      prev_index: txin.index,
      amount: amount.toString(),
      sequence: txin.sequence ?? 0xffffffff,
      script_type: TREZOR_INPUT_SCRIPT[account.scriptType],
      multisig: undefined,
    };
  });
  const outputs = psbt.txOutputs.map((out, i): PROTO.TxOutputType => {
    const own = ownDerivation(psbt.data.outputs[i] ?? {}, account);
    const address = (() => {
      try {
        return btcAddress.fromOutputScript(out.script, btc);
      } catch {
        return null;
      }
    })();
    const isChange =
      own !== null &&
      scriptTypeOf(out.script) === account.scriptType &&
      address !== null &&
      addressOf(own.pubkey, account.scriptType, account.network) === address;
    if (own && isChange) {
      return {
        address_n: own.path,
        amount: out.value.toString(),
        script_type: TREZOR_CHANGE_SCRIPT[account.scriptType],
        multisig: undefined,
      };
    }
    if (address === null) throw hwError('HW_UNSUPPORTED_SCRIPT', `output ${i} has no address`);
    return { address, amount: out.value.toString(), script_type: 'PAYTOADDRESS' };
  });
  const refTxs = account.scriptType !== 'tr' ? previousTransactions(psbt) : [];
  return {
    coin: trezorCoin(account.network),
    inputs,
    outputs,
    refTxs,
    version: psbt.version,
    locktime: psbt.locktime,
    push: false,
    serialize: true,
  };
}

/**
 * Refuses Trezor's answer unless it has one signature per input and its transaction is the PSBT's
 * own spend.
 */
export function checkSignedSpend(psbt: Psbt, signed: SignedTransaction): void {
  if (signed.signatures.length !== psbt.inputCount) {
    throw hwError(
      'HW_PSBT_REFUSED',
      `the device returned ${signed.signatures.length} signatures for ${psbt.inputCount} inputs`,
    );
  }
  let deviceTxid: string;
  try {
    // Compare the spend itself: scriptSigs (legacy, nested segwit) change a txid, not what is paid.
    const tx = Transaction.fromHex(signed.serializedTx);
    for (const input of tx.ins) {
      input.script = new Uint8Array(0);
      input.witness = [];
    }
    deviceTxid = tx.getId();
  } catch {
    throw hwError('HW_PSBT_REFUSED', 'the device returned an unreadable transaction');
  }
  if (deviceTxid !== unsignedTxid(psbt)) {
    throw hwError('HW_PSBT_REFUSED', 'the device signed a different transaction');
  }
}

/**
 * Trezor's answer -> our PSBT with signatures: DER signatures (plus SIGHASH_ALL) as partialSig,
 * 64-byte Schnorr signatures (SIGHASH_DEFAULT) as tapKeySig. The serialized transaction must be
 * ours and every signature must verify, or nothing is returned.
 */
export function mergeTrezorSignatures(psbt: Psbt, account: AccountContext, signed: SignedTransaction): Psbt {
  const owns = checkSignable(psbt, account);
  checkSignedSpend(psbt, signed);
  const out = psbt.clone();
  owns.forEach((own, i) => {
    const sig = hex.decode(signed.signatures[i] ?? '');
    if (own.taproot) {
      out.updateInput(i, { tapKeySig: sig.length === 65 ? sig.slice(0, 64) : sig });
    } else {
      const withHashType = new Uint8Array(sig.length + 1);
      withHashType.set(sig);
      withHashType[sig.length] = Transaction.SIGHASH_ALL;
      out.updateInput(i, { partialSig: [{ pubkey: own.pubkey, signature: withHashType }] });
    }
  });
  requireAllSigned(out);
  return out;
}
