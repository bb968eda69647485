import { randomUUID } from 'node:crypto';
import type { MeltQuoteBolt11Response, SerializedOutputData, Wallet } from '@cashu/cashu-ts';
import { OutputData } from '@cashu/cashu-ts';
import { FlashError } from '../../../shared/errors';
import type { OpContext } from '../context';
import { nutCode, NUT, outcomeUnknown, toFlashError } from '../errors';
import type { PlainProof } from '../proof-codec';
import { proofY, sats, sumPlain, toPlain, toProofs } from '../proof-codec';
import type { OpRow } from '../store';
import { inputsState, restoreOutputData } from './swap';

/**
 * Melting: paying a Lightning invoice with eCash (NUT-05, NUT-23), with NUT-08 change, and
 * NUT-15 parts across mints. cdk's melt saga is the model: nothing leaves before it is journaled.
 *
 *   (prepared: quote and fee reserve shown; nothing stored, nothing reserved)
 *   melting ── inputs reserved + blank outputs journaled (one transaction), THEN POST /v1/melt
 *      ├─ PAID ──> paid: inputs spent, change unblinded from the journaled blanks (or, if the
 *      │           answer was lost, from the quote's change or a NUT-09 restore of the blanks)
 *      ├─ 20004 / quote UNPAID with inputs UNSPENT ──> failed: inputs released
 *      └─ PENDING or no answer ──> stays melting; recovery asks for the quote and the inputs:
 *           PAID → paid (change rebuilt from the saved outputs); UNPAID + UNSPENT → failed;
 *           PENDING → asked again later. Never a second melt of the same inputs.
 */

export interface MeltPayload {
  quote: MeltQuoteBolt11Response;
  inputs: PlainProof[];
  blanks: SerializedOutputData[];
  keysetId: string;
}

export interface MeltPart {
  mintUrl: string;
  unit: string;
  quote: MeltQuoteBolt11Response;
  inputs: PlainProof[];
  inputYs: string[];
  inputFee: number;
}

/** Chooses inputs for amount + fee reserve (+ their own input fee) at one mint. */
export function selectMeltInputs(
  ctx: OpContext,
  wallet: Wallet,
  mintUrl: string,
  unit: string,
  need: number,
): { inputs: PlainProof[]; ys: string[]; inputFee: number } {
  const rows = ctx.store.proofs(ctx.network(), mintUrl, unit, 'unspent');
  const plain = ctx.store.open(rows);
  const byY = new Map(rows.map((r, i) => [r.y, plain[i] as PlainProof]));
  let sel;
  try {
    sel = wallet.selectProofsToSend(toProofs(plain), need, true);
  } catch {
    sel = { send: [] };
  }
  const inputs = sel.send.map(toPlain);
  const inputFee = inputs.length > 0 ? wallet.getFeesForProofs(toProofs(inputs)).toNumber() : 0;
  if (inputs.length === 0 || sumPlain(inputs) - inputFee < need)
    throw new FlashError(
      'ECASH_INSUFFICIENT_BALANCE',
      'Not enough eCash at this mint for the amount and fees.',
      {
        mint: mintUrl,
        needed: need,
        available: sumPlain([...byY.values()]),
      },
    );
  return { inputs, ys: inputs.map((p) => proofY(p.secret)), inputFee };
}

/** Journals and sends one melt; returns the op (paid, failed, or still melting). */
export async function startMelt(
  ctx: OpContext,
  part: MeltPart,
  meta: { parentId?: string | null; counterparty?: string | null },
): Promise<OpRow> {
  const wallet = ctx.mints.wallet(part.mintUrl, part.unit);
  const preview = await wallet.prepareMelt(
    'bolt11',
    part.quote,
    toProofs(part.inputs),
    {},
    { type: 'deterministic', counter: 0 },
  );
  const payload: MeltPayload = {
    quote: JSON.parse(JSON.stringify(part.quote)) as MeltQuoteBolt11Response,
    inputs: part.inputs,
    blanks: preview.outputData.map((o) => OutputData.serialize(o)),
    keysetId: preview.keysetId,
  };
  const id = randomUUID();
  const op = ctx.store.db
    .transaction(() => {
      const row = ctx.store.insertOp({
        id,
        network: ctx.network(),
        kind: 'melt',
        mintUrl: part.mintUrl,
        unit: part.unit,
        state: 'melting',
        amount: sats(part.quote.amount),
        fee: sats(part.quote.fee_reserve) + part.inputFee,
        quoteId: part.quote.quote,
        request: part.quote.request,
        parentId: meta.parentId ?? null,
        counterparty: meta.counterparty ?? null,
        payload,
      });
      ctx.store.reserve(part.inputYs, id);
      return row;
    })
    .immediate();
  ctx.changed(op);
  ctx.store.updateOp(op.id, { attempt: true });
  try {
    const res = await wallet.completeMelt(preview);
    ctx.mints.markReachable(part.mintUrl, true);
    const state = String(res.quote.state);
    if (state === 'PAID') return paid(ctx, op, res.change.map(toPlain), res.quote);
    if (state === 'UNPAID') return failed(ctx, op, 'The mint could not pay the invoice.');
    return op; // PENDING: recovery follows it
  } catch (err) {
    if (outcomeUnknown(err)) {
      ctx.mints.markReachable(part.mintUrl, false, 'no answer');
      return op;
    }
    const code = nutCode(err);
    if (
      code === NUT.paymentFailed ||
      code === NUT.notBalanced ||
      code === NUT.quoteExpired ||
      code === NUT.invoicePaid
    ) {
      failed(ctx, op, toFlashError(err, part.mintUrl).message);
      throw toFlashError(err, part.mintUrl);
    }
    // Anything else: ask the mint what happened before deciding anything.
    return advanceMelt(ctx, op).catch(() => op);
  }
}

/** Recovery step: the quote's state and the inputs' NUT-07 state decide. */
export async function advanceMelt(ctx: OpContext, op: OpRow): Promise<OpRow> {
  if (op.state !== 'melting') return op;
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  const payload = ctx.store.payload<MeltPayload>(op.id);
  let quote: MeltQuoteBolt11Response;
  try {
    quote = await wallet.checkMeltQuoteBolt11(op.quoteId as string);
    ctx.mints.markReachable(op.mintUrl, true);
  } catch (err) {
    if (outcomeUnknown(err)) ctx.mints.markReachable(op.mintUrl, false, 'no answer');
    throw toFlashError(err, op.mintUrl);
  }
  const state = String(quote.state);
  if (state === 'PAID') {
    const blanks = payload.blanks.map((s) => OutputData.deserialize(s));
    let change: PlainProof[] = [];
    const sigs = (quote.change ?? []).filter((s) => sats(s.amount) > 0);
    if (sigs.length > 0) {
      await wallet.ensureOperableKeysets(sigs.map((s) => s.id));
      change = wallet.createMeltChangeProofs(blanks, sigs).map(toPlain);
    } else if (blanks.length > 0) {
      change = [...(await restoreOutputData(wallet, blanks)).values()];
    }
    return paid(ctx, op, change, quote);
  }
  if (state === 'PENDING') return op;
  const inputs = await inputsState(wallet, payload.inputs);
  if (inputs === 'unspent') return failed(ctx, op, 'The payment did not go through; the eCash is back.');
  return op;
}

function paid(ctx: OpContext, op: OpRow, change: PlainProof[], quote: MeltQuoteBolt11Response): OpRow {
  const payload = ctx.store.payload<MeltPayload>(op.id);
  const spent = sumPlain(payload.inputs);
  const row = ctx.store.db
    .transaction(() => {
      ctx.store.setProofState(
        payload.inputs.map((p) => proofY(p.secret)),
        'spent',
      );
      ctx.store.addProofs(op.network, op.mintUrl, op.unit, change, op.id);
      return ctx.store.updateOp(op.id, {
        state: 'paid',
        final: true,
        fee: spent - sumPlain(change) - sats(quote.amount),
        error: null,
      });
    })
    .immediate();
  ctx.changed(row);
  return row;
}

function failed(ctx: OpContext, op: OpRow, error: string): OpRow {
  const payload = ctx.store.payload<MeltPayload>(op.id);
  const row = ctx.store.db
    .transaction(() => {
      ctx.store.setProofState(
        payload.inputs.map((p) => proofY(p.secret)),
        'unspent',
        null,
      );
      return ctx.store.updateOp(op.id, { state: 'failed', final: true, error });
    })
    .immediate();
  ctx.changed(row);
  return row;
}
