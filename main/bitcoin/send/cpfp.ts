import { bytesToHex } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import type { SendContext } from './context';
import { rateOf } from './context';
import type { Draft, DraftView } from './draft-view';
import { SendError } from './errors';
import { checkFeeRate } from './prepare';
import { dustOf, estimateVsize, feeFor, scriptLengthOf } from './size';

/**
 * Child pays for parent: spends our outputs of a stuck unconfirmed transaction back to our own
 * change, with a fee that lifts parent and child together to the chosen rate.
 *
 * Journal: one 'drafted' row of kind 'cpfp' naming the parent. confirm.ts signs it (drafted →
 * broadcasting); broadcast.ts sends parent and child together as one package when the server
 * speaks protocol 1.6 (a parent below the mempool's floor gets in only that way), else one by one
 * (→ broadcast → confirmed).
 */
export async function childPaysForParent(
  ctx: SendContext,
  view: DraftView,
  input: { walletId: string; txid: string; feeRate: number },
): Promise<Draft> {
  const { walletId, txid, feeRate } = input;
  const { reader } = ctx;
  const acct = ctx.account(walletId);
  checkFeeRate(feeRate);
  const info = reader.tx(walletId, txid);
  if (!info) throw new SendError('TX_NOT_FOUND', 'This transaction is not known to the wallet.', { txid });
  if (info.height > 0) throw new SendError('NOT_REPLACEABLE', 'This transaction is already confirmed.');
  const raw = reader.rawTx(txid);
  if (!raw)
    throw new SendError('TX_NOT_FOUND', 'The raw transaction is missing; let the wallet sync.', { txid });
  const parent = Transaction.fromBuffer(raw);
  const ours = reader.utxos(walletId).filter((u) => u.txid === txid);
  if (ours.length === 0)
    throw new SendError('NOTHING_TO_SPEND', 'No unspent output of this transaction is ours.');
  // The parent's fee needs its input amounts: from our store, else from the server (checked by txid).
  let inSum = 0;
  for (const i of parent.ins) {
    const prevTxid = bytesToHex(Uint8Array.from(i.hash).reverse());
    let prevRaw = reader.rawTx(prevTxid);
    if (!prevRaw) {
      const hexTx = await ctx.deps.electrum.client().request('blockchain.transaction.get', [prevTxid]);
      if (typeof hexTx !== 'string')
        throw new SendError('TX_NOT_FOUND', 'The server did not return a parent input.');
      prevRaw = Uint8Array.from(Buffer.from(hexTx, 'hex'));
    }
    const prev = Transaction.fromBuffer(prevRaw);
    if (prev.getId() !== prevTxid)
      throw new SendError('TX_NOT_FOUND', 'The server returned the wrong transaction.');
    const out = prev.outs[i.index];
    if (!out) throw new SendError('TX_NOT_FOUND', 'A parent input points at a missing output.');
    inSum += Number(out.value);
  }
  const parentFee = inSum - parent.outs.reduce((s, o) => s + Number(o.value), 0);
  const parentVsize = parent.virtualSize();
  if (parentFee / parentVsize >= feeRate) {
    throw new SendError('FEE_TOO_LOW', 'The transaction already pays this rate.', {
      currentRate: rateOf(parentFee, parentVsize),
    });
  }
  const c = ctx.changeAddress(walletId);
  const childVsize = estimateVsize(ours.length, [scriptLengthOf(acct.scriptType)], acct.scriptType);
  const childFee = Math.max(feeFor(parentVsize + childVsize, feeRate) - parentFee, feeFor(childVsize, 1));
  const amount = ours.reduce((s, u) => s + u.value, 0) - childFee;
  if (amount < dustOf(acct.scriptType))
    throw new SendError('INSUFFICIENT_FUNDS', 'The incoming amount is too small to pay for a child.');
  return view.save(
    acct,
    'cpfp',
    ours.map(ctx.inputSpec),
    [{ script: c.scriptPubKey, value: amount, change: { chain: 1, index: c.index } }],
    { changeIndex: c.index, parentTxid: txid },
  );
}
