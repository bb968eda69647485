import { Psbt } from 'bitcoinjs-lib';
import { SendError } from '../send/errors';
import { RBF_SEQUENCE, type PsbtInputSpec, type PsbtOutputSpec } from '../send/psbt';
import { networkParams } from '../wallet/networks';
import type { MultisigAccount } from './account';
import { multisigFields } from './psbt';

/**
 * An unsigned PSBT spending a multisig wallet's coins: for every input the witness/redeem script
 * (or Taproot leaf and control block) and all n cosigners' key origins, witnessUtxo and the
 * previous transaction where known (hardware signers check segwit v0 amounts with it); our change
 * carries the same, so every signer can recognise it as the wallet's own.
 */
export function buildMultisigPsbt(
  account: MultisigAccount,
  inputs: readonly PsbtInputSpec[],
  outputs: readonly PsbtOutputSpec[],
  sequence = RBF_SEQUENCE,
): Psbt {
  const psbt = new Psbt({ network: networkParams(account.network).btc });
  psbt.setVersion(2);
  const taproot = account.policy.script === 'tr';
  for (const i of inputs) {
    const fields = multisigFields(account, i.chain, i.index, 'input');
    if (!account.scriptsAt(i.chain, i.index).scriptPubKey.every((b, k) => b === i.scriptPubKey[k])) {
      throw new SendError(
        'PSBT_NOT_OURS',
        `Coin ${i.txid}:${i.vout} is not at the address this wallet derives.`,
      );
    }
    psbt.addInput({
      hash: i.txid,
      index: i.vout,
      sequence,
      witnessUtxo: { script: i.scriptPubKey, value: BigInt(i.value) },
      ...(i.prevTx && !taproot ? { nonWitnessUtxo: i.prevTx } : {}),
      ...fields,
    });
  }
  for (const o of outputs) {
    psbt.addOutput({
      script: o.script,
      value: BigInt(o.value),
      ...(o.change ? multisigFields(account, o.change.chain, o.change.index, 'output') : {}),
    });
  }
  return psbt;
}
