import { unsignedTxid } from '../../hardware/psbt';
import type { SendContext } from './context';
import type { Draft, DraftView } from './draft-view';
import { feeFromAmounts, requireTrustedAmounts } from './input-amounts';
import { importPsbt as decodePsbt } from './psbt';
import { estimateVsize } from './size';

/** How many recent drafts an imported PSBT is matched against (a device's signed copy of one). */
const RECENT_DRAFTS = 50;

/**
 * A PSBT from elsewhere: a file, a QR, or a hardware device's signed copy of one of our drafts.
 * Its input amounts are taken from our own tables or proven previous transactions, never from its
 * witnessUtxo alone (input-amounts.ts), and its change is only what this account derived
 * (ownership.ts). When it is the signed copy of one of our drafts (same unsigned transaction), it
 * keeps that draft's role: the payment it replaces, or the parent it pays for.
 *
 * Journal: one 'drafted' row of kind 'import', no network call; confirm.ts takes it from there.
 */
export function importPayment(
  ctx: SendContext,
  view: DraftView,
  input: { walletId: string; data: string | Uint8Array },
): Draft {
  const acct = ctx.account(input.walletId);
  const psbt = decodePsbt(input.data, acct.network);
  const amounts = requireTrustedAmounts(psbt, ctx.amountSources(input.walletId));
  const feeSats = feeFromAmounts(psbt, amounts);
  const vsize = estimateVsize(
    psbt.txInputs.length,
    psbt.txOutputs.map((o) => o.script.length),
    acct.scriptType,
  );
  const id = unsignedTxid(psbt);
  const original = ctx.journal
    .list(input.walletId, RECENT_DRAFTS)
    .find((r) => r.state === 'drafted' && unsignedTxid(decodePsbt(r.psbt, acct.network)) === id);
  return view.insert(input.walletId, 'import', psbt, {
    feeSats,
    vsize,
    changeIndex: original?.changeIndex ?? null,
    replacesTxid: original?.replacesTxid ?? undefined,
    parentTxid: original?.parentTxid ?? undefined,
  });
}
