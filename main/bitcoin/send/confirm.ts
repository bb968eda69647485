import type { Psbt } from 'bitcoinjs-lib';
import { Transaction } from 'bitcoinjs-lib';
import type { BroadcastResult, Broadcaster } from './broadcast';
import type { SendContext } from './context';
import { singleKey } from './context';
import { finalizeMultisig } from '../multisig/psbt';
import type { Draft, DraftView, FeeAcceptances } from './draft-view';
import { SendError } from './errors';
import { absurdFeeError, extractionFeeLimit, judgeFee } from './fee-guard';
import { feeFromAmounts, requireTrustedAmounts } from './input-amounts';
import type { PaymentRow } from './journal';
import { finalizeAndExtract, importPsbt as decodePsbt, signPsbtWithMnemonic } from './psbt';

/**
 * Signing and sending a draft: drafted → broadcasting (the signed transaction written durably
 * before any byte goes to the network) → broadcast (broadcast.ts) → confirmed (retry.ts).
 *
 * Before anything is signed, prepared and imported drafts alike pass the same checks: every input
 * amount proven from our own tables (input-amounts.ts), no coin already promised to another live
 * payment (except the one a bump replaces), and no absurd fee unless the user typed it back
 * (fee-guard.ts). The hardware step reads its PSBT through `forSigning`, so a device never sees a
 * draft that software signing would refuse.
 */
export function createConfirmation(
  ctx: SendContext,
  view: DraftView,
  acceptances: FeeAcceptances,
  broadcaster: Broadcaster,
) {
  const { journal } = ctx;

  function requireDrafted(row: PaymentRow): void {
    if (row.state !== 'drafted') {
      throw new SendError('DRAFT_STATE', `This payment is already ${row.state}.`, { state: row.state });
    }
  }

  /** Coins of this draft that another live payment already spends (a bump may reuse its original's). */
  function requireFreeCoins(row: PaymentRow): void {
    for (const input of journal.inputs(row.id)) {
      for (const other of journal.liveSpending(input.txid)) {
        if (other.id === row.id) continue;
        const holds = journal.inputs(other.id).some((i) => i.txid === input.txid && i.vout === input.vout);
        if (!holds) continue;
        if (row.replacesTxid && other.txid === row.replacesTxid) continue;
        throw new SendError(
          'DRAFT_STATE',
          `Coin ${input.txid}:${input.vout} is already spent by a payment in progress (${other.txid ?? other.id}).`,
          { state: other.state },
        );
      }
    }
  }

  /** Proven fee of the PSBT, and the refusal when it is absurd and not accepted. */
  function checkedFee(row: PaymentRow, psbt: Psbt): { feeSats: number; accepted: boolean } {
    const amounts = requireTrustedAmounts(psbt, ctx.amountSources(row.walletId));
    const feeSats = feeFromAmounts(psbt, amounts);
    const leaving = view.outputsOf(row.walletId, psbt).reduce((s, o) => s + (o.change ? 0 : o.sats), 0);
    const concern = judgeFee({ feeSats, vsize: row.vsize, leavingSats: leaving + feeSats });
    const accepted = acceptances.isAccepted(row.walletId, psbt, feeSats);
    if (concern && !accepted) throw absurdFeeError(concern);
    return { feeSats, accepted: concern !== null && accepted };
  }

  /** The smallest size the signed transaction can have: its unsigned serialization (no witness). */
  const unsignedBytes = (psbt: Psbt): number => {
    const tx = new Transaction();
    tx.version = psbt.version;
    tx.locktime = psbt.locktime;
    for (const i of psbt.txInputs) tx.addInput(Uint8Array.from(i.hash), i.index, i.sequence);
    for (const o of psbt.txOutputs) tx.addOutput(Uint8Array.from(o.script), o.value);
    return tx.byteLength();
  };

  async function signAndBroadcast(draftId: string): Promise<BroadcastResult> {
    let row = ctx.requireRow(draftId);
    if (row.state === 'broadcasting') return broadcaster.send(row);
    if (row.state === 'signed') {
      journal.transition(row.id, 'signed', 'broadcasting', ctx.now());
      return broadcaster.send(ctx.requireRow(draftId));
    }
    requireDrafted(row);
    const acct = ctx.account(row.walletId);
    const psbt = decodePsbt(row.psbt, acct.network);
    const { feeSats, accepted } = checkedFee(row, psbt);
    requireFreeCoins(row);
    // A multisig payment is signed cosigner by cosigner beforehand (main/bitcoin/multisig): here
    // it is only finalized, and only with k valid signatures on every input.
    if (acct.multisig) {
      const m = acct.multisig;
      finalizeMultisig(psbt, m, (script) => ctx.reader.scriptOwner(row.walletId, script));
    }
    // An imported PSBT may come back fully signed (hardware wallet): then the vault is not needed.
    const unsigned = psbt.data.inputs.some(
      (i) => !i.finalScriptWitness && !i.finalScriptSig && !i.tapKeySig && (i.partialSig?.length ?? 0) === 0,
    );
    if (unsigned) {
      const secret = ctx.readMnemonic(row.walletId);
      const { signedInputs } = signPsbtWithMnemonic(psbt, secret, singleKey(acct));
      secret.mnemonic = '';
      secret.passphrase = '';
      if (signedInputs === 0)
        throw new SendError('PSBT_NOT_OURS', 'No input of this PSBT belongs to this wallet.');
    }
    const done = finalizeAndExtract(
      psbt,
      extractionFeeLimit(accepted ? { feeSats, vsize: unsignedBytes(psbt) } : null),
    );
    if (journal.liveByTxid(done.txid).some((r) => r.id !== row.id)) {
      throw new SendError('DRAFT_STATE', 'This transaction is already being sent.', {
        state: 'broadcasting',
      });
    }
    // Journal first, durably: the raw tx is on disk before any byte goes to the network.
    journal.recordSigned(
      row.id,
      'drafted',
      'broadcasting',
      { psbt: psbt.toBuffer(), txid: done.txid, rawTx: done.raw, feeSats },
      ctx.now(),
    );
    row = ctx.requireRow(draftId);
    ctx.changed(row.walletId);
    return broadcaster.send(row);
  }

  return {
    signAndBroadcast,

    /** The user typed the fee back: this exact fee may now be signed. */
    acceptFee(draftId: string, feeSats: number): Draft {
      const row = ctx.requireRow(draftId);
      requireDrafted(row);
      if (!Number.isSafeInteger(feeSats) || feeSats !== row.feeSats) {
        throw new SendError(
          'FEE_CONFIRMATION_MISMATCH',
          `That is not the fee: type ${row.feeSats} sats exactly.`,
          {
            feeSats: row.feeSats,
          },
        );
      }
      const psbt = decodePsbt(row.psbt, ctx.account(row.walletId).network);
      acceptances.accept(row.walletId, psbt, feeSats);
      return view.toDraft(row);
    },

    /** The PSBT a hardware device may sign: the same checks as software signing, minus the keys. */
    forSigning(draftId: string): { walletId: string; psbtBase64: string; state: PaymentRow['state'] } {
      const row = ctx.requireRow(draftId);
      requireDrafted(row);
      const psbt = decodePsbt(row.psbt, ctx.account(row.walletId).network);
      checkedFee(row, psbt);
      requireFreeCoins(row);
      return { walletId: row.walletId, psbtBase64: psbt.toBase64(), state: row.state };
    },
  };
}

export type Confirmation = ReturnType<typeof createConfirmation>;
