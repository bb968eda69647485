import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { computeFee } from '../coins/fee';
import { isConfirmed } from '../wallet/confirmation';
import type { SendContext } from './context';
import { rateOf } from './context';
import type { Draft, DraftView } from './draft-view';
import { SendError } from './errors';
import { INCREMENTAL_RELAY_RATE } from './fees';
import { checkFeeRate } from './prepare';
import type { PsbtInputSpec, PsbtOutputSpec } from './psbt';
import { dustOf, estimateVsize, feeFor } from './size';

/** Bitcoin Core refuses a replacement that would evict more than this many transactions (rule 5). */
const MAX_EVICTED = 100;

const txidOf = (hash: Uint8Array): string => bytesToHex(Uint8Array.from(hash).reverse());

/**
 * Fee bump by replacement (BIP125), built so that Bitcoin Core accepts it:
 * - rule 2: no new unconfirmed input. Extra coins are confirmed ones only, which also means it
 *   never spends an output of the transaction it replaces or of that transaction's descendants
 *   (those would vanish with the replacement).
 * - rule 3: it pays at least the fees of everything it evicts: the transaction and every
 *   descendant the wallet sees (our later payments that spent its change).
 * - rule 4: plus the incremental relay fee on its own size.
 * - rule 5: at most 100 evicted transactions.
 * - rule 6: a higher fee rate than the transaction it replaces.
 * The draft lists the payments it evicts, so the review screen names them before the user confirms.
 *
 * Journal: one 'drafted' row of kind 'bump' naming the replaced txid. Once the server takes it
 * (confirm.ts, broadcast.ts), journal.markBroadcast marks the replaced payment 'replaced' and the
 * evicted payments 'failed', in one transaction.
 */
export function bumpFee(
  ctx: SendContext,
  view: DraftView,
  input: { walletId: string; txid: string; feeRate: number },
): Draft {
  const { walletId, txid, feeRate } = input;
  const { reader, journal } = ctx;
  const acct = ctx.account(walletId);
  checkFeeRate(feeRate);
  const info = reader.tx(walletId, txid);
  if (info && info.height > 0)
    throw new SendError('NOT_REPLACEABLE', 'This transaction is already confirmed.');
  const raw = journal.byTxid(txid)?.rawTx ?? reader.rawTx(txid);
  if (!raw) throw new SendError('TX_NOT_FOUND', 'This transaction is not known to the wallet.', { txid });
  const tx = Transaction.fromBuffer(raw);
  if (!tx.ins.some((i) => i.sequence < 0xfffffffe)) {
    throw new SendError('NOT_REPLACEABLE', 'This transaction did not signal replace-by-fee.');
  }
  const inputs: PsbtInputSpec[] = tx.ins.map((i) => {
    const prevTxid = txidOf(i.hash);
    const owned = reader.ownedOutput(walletId, prevTxid, i.index);
    if (!owned)
      throw new SendError(
        'NOT_REPLACEABLE',
        'Only transactions spending this wallet’s coins alone can be bumped.',
      );
    return {
      txid: prevTxid,
      vout: i.index,
      value: owned.value,
      scriptPubKey: owned.scriptPubKey,
      chain: owned.chain,
      index: owned.index,
      prevTx: reader.rawTx(prevTxid),
    };
  });
  const oldFee = inputs.reduce((s, i) => s + i.value, 0) - tx.outs.reduce((s, o) => s + Number(o.value), 0);
  const oldVsize = tx.virtualSize();
  if (feeRate <= oldFee / oldVsize) {
    throw new SendError(
      'FEE_TOO_LOW',
      `The new rate must beat the current ${rateOf(oldFee, oldVsize)} sat/vB.`,
      {
        currentRate: rateOf(oldFee, oldVsize),
      },
    );
  }
  const evicted = view.evictedBy(walletId, txid);
  if (evicted.length + 1 > MAX_EVICTED) {
    throw new SendError(
      'NOT_REPLACEABLE',
      `Replacing it would cancel more than ${MAX_EVICTED} transactions.`,
    );
  }
  // Rule 3: the fees of everything evicted, priced from stored transactions.
  let evictedFees = oldFee;
  for (const e of evicted) {
    const childRaw = journal.byTxid(e.txid)?.rawTx ?? reader.rawTx(e.txid);
    const stored = (id: string) => {
      const r = journal.byTxid(id)?.rawTx ?? reader.rawTx(id);
      return r ? Transaction.fromBuffer(r) : null;
    };
    const fee = childRaw ? computeFee(Transaction.fromBuffer(childRaw), stored).feeSats : null;
    if (fee === null) {
      throw new SendError(
        'NOT_REPLACEABLE',
        `A later transaction (${e.txid}) spends from it and its fee is unknown, so a replacement cannot be priced.`,
        { txid: e.txid },
      );
    }
    evictedFees += fee;
  }

  const owner = ctx.ownership(walletId);
  const recipients: PsbtOutputSpec[] = [];
  let change: { script: Uint8Array; index: number } | null = null;
  for (const o of tx.outs) {
    const mine = owner.ownerOf(o.script);
    if (!change && mine?.chain === 1) change = { script: Uint8Array.from(o.script), index: mine.index };
    else recipients.push({ script: Uint8Array.from(o.script), value: Number(o.value) });
  }
  if (!change) {
    const c = ctx.changeAddress(walletId);
    change = { script: c.scriptPubKey, index: c.index };
  }
  const pay = recipients.reduce((s, o) => s + o.value, 0);
  // Rule 2: only confirmed coins join (never an output of the replaced tx or its descendants).
  // Verified ones (wallet/confirmation.ts): stricter than the node's rule, so never against it.
  const extras = ctx
    .defaultCoins(walletId)
    .filter((u) => isConfirmed(u))
    .sort((a, b) => b.value - a.value);
  const chosen = [...inputs];
  const lens = recipients.map((o) => o.script.length);
  const need = (vsize: number) =>
    Math.max(feeFor(vsize, feeRate), evictedFees + feeFor(vsize, INCREMENTAL_RELAY_RATE));
  for (;;) {
    const total = chosen.reduce((s, i) => s + i.value, 0);
    const vWith = estimateVsize(chosen.length, [...lens, change.script.length], acct.scriptType);
    const changeValue = total - pay - need(vWith);
    if (changeValue >= dustOf(acct.scriptType)) {
      return view.save(
        acct,
        'bump',
        chosen,
        [
          ...recipients,
          { script: change.script, value: changeValue, change: { chain: 1, index: change.index } },
        ],
        { changeIndex: change.index, replacesTxid: txid },
      );
    }
    const vWithout = estimateVsize(chosen.length, lens, acct.scriptType);
    if (recipients.length > 0 && total - pay >= need(vWithout)) {
      return view.save(acct, 'bump', chosen, recipients, { changeIndex: null, replacesTxid: txid });
    }
    const next = extras.shift();
    if (!next) throw new SendError('INSUFFICIENT_FUNDS', 'Not enough coins to pay the higher fee.');
    chosen.push(ctx.inputSpec(next));
  }
}
