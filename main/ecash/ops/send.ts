import { randomUUID } from 'node:crypto';
import type { OutputType, P2PKOptions } from '@cashu/cashu-ts';
import { FlashError } from '../../../shared/errors';
import type { OpContext } from '../context';
import { proofsWeHave } from './denominations';
import { exactFromHeld } from '../exact-amount';
import { toFlashError } from '../errors';
import type { PlainProof } from '../proof-codec';
import { proofY, sats, sumPlain, toPlain, toProofs } from '../proof-codec';
import type { OpRow } from '../store';
import { encodeToken } from '../tokens';
import { inputsState, journalSwap, revertSwap, runSwap, settleSwap, signLockedInputs } from './swap';

/**
 * Sending a token (NUT-00 v4), optionally P2PK-locked (NUT-11), and reclaiming it while unspent.
 *
 *   offline exact: held proofs that add up exactly ──reserved + token journaled──> pending
 *   with a swap:   swapping (journaled swap, see swap.ts) ──> pending (send proofs reserved)
 *   pending ──NUT-07 says the token's proofs are SPENT──> claimed
 *   pending ──reclaim: a journaled swap of the token's proofs back to us──> reclaimed
 *                       (11001 during the reclaim: the receiver was first ──> claimed)
 *   swapping, interrupted: inputs UNSPENT → reverted (nothing moved); SPENT → outputs restored
 */

export interface SendPayload {
  token: string;
  proofs: PlainProof[];
  lock: { pubkey: string; locktime: number | null; refundKeys: string[] } | null;
}

export interface SendRequest {
  mintUrl: string;
  unit: string;
  amount: number;
  memo?: string;
  lock?: { pubkey: string; locktime?: number; refundKeys?: string[] };
  offlineOnly?: boolean;
  /** Who the token is for (a chat, a nutzap, a payment request): kept on the journal row. */
  counterparty?: string;
}

export async function sendToken(ctx: OpContext, req: SendRequest, retried = false): Promise<OpRow> {
  try {
    return await sendOnce(ctx, req);
  } catch (err) {
    // Counters were moved past outputs signed before: once more with fresh outputs.
    if (!retried && err instanceof FlashError && err.code === 'ECASH_OUTPUTS_SIGNED')
      return sendToken(ctx, req, true);
    throw err;
  }
}

async function sendOnce(ctx: OpContext, req: SendRequest): Promise<OpRow> {
  const wallet = ctx.mints.wallet(req.mintUrl, req.unit);
  const rows = ctx.store.proofs(ctx.network(), req.mintUrl, req.unit, 'unspent');
  const held = ctx.store.open(rows);
  if (sumPlain(held) < req.amount)
    throw new FlashError('ECASH_INSUFFICIENT_BALANCE', 'Not enough eCash at this mint.', {
      needed: req.amount,
      available: sumPlain(held),
    });
  const lock = req.lock
    ? { pubkey: req.lock.pubkey, locktime: req.lock.locktime ?? null, refundKeys: req.lock.refundKeys ?? [] }
    : null;

  if (!lock) {
    // Offline first: proofs we hold that add up exactly need no mint at all. Largest first keeps
    // the small proofs for later exact sends; cashu-ts's search covers keysets not in powers of two.
    let exact = exactFromHeld(held, req.amount);
    if (exact.length === 0) {
      try {
        exact = wallet.selectProofsToSend(toProofs(held), req.amount, false, true).send.map(toPlain);
      } catch {
        exact = [];
      }
    }
    if (exact.length > 0 && sumPlain(exact) === req.amount) return pendingFromHeld(ctx, req, exact);
  }
  if (req.offlineOnly)
    throw new FlashError(
      'ECASH_OFFLINE_NOT_POSSIBLE',
      'No proofs add up to exactly this amount; a swap at the mint is needed.',
    );

  const p2pk: P2PKOptions | null = lock
    ? {
        pubkey: lock.pubkey,
        ...(lock.locktime !== null ? { locktime: lock.locktime } : {}),
        ...(lock.refundKeys.length > 0 ? { refundKeys: lock.refundKeys } : {}),
      }
    : null;
  const sendType: OutputType = p2pk ? { type: 'p2pk', options: p2pk } : { type: 'deterministic', counter: 0 };
  let preview;
  try {
    preview = await wallet.prepareSwapToSend(
      req.amount,
      toProofs(held),
      { includeFees: false, proofsWeHave: proofsWeHave(ctx, req.mintUrl, req.unit) },
      {
        send: sendType,
        keep: { type: 'deterministic', counter: 0 },
      },
    );
  } catch (err) {
    throw toFlashError(err, req.mintUrl);
  }
  const op = journalSwap(ctx, {
    kind: 'send',
    mintUrl: req.mintUrl,
    unit: req.unit,
    amount: req.amount,
    preview,
    inputsAreOurs: true,
    memo: req.memo ?? null,
    ...(req.counterparty ? { counterparty: req.counterparty } : {}),
    extra: { lock },
  });
  ctx.changed(op);
  return finishSendSwap(ctx, op);
}

/** Runs the send's swap and turns its send proofs into the pending token. */
export async function finishSendSwap(ctx: OpContext, op: OpRow): Promise<OpRow> {
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  const outcome = await runSwap(ctx, op, wallet);
  const payload = ctx.store.payload<{ extra?: { lock?: SendPayload['lock'] } }>(op.id);
  settleSwap(ctx, op, outcome, { state: 'pending', final: false, sendState: 'reserved' });
  const token = encodeToken(op.mintUrl, op.unit, outcome.send, op.memo);
  const row = ctx.store.updateOp(op.id, {
    payload: { token, proofs: outcome.send, lock: payload.extra?.lock ?? null } satisfies SendPayload,
  });
  ctx.changed(row);
  return row;
}

function pendingFromHeld(ctx: OpContext, req: SendRequest, proofs: PlainProof[]): OpRow {
  const token = encodeToken(req.mintUrl, req.unit, proofs, req.memo);
  const id = randomUUID();
  const op = ctx.store.db
    .transaction(() => {
      const row = ctx.store.insertOp({
        id,
        network: ctx.network(),
        kind: 'send',
        mintUrl: req.mintUrl,
        unit: req.unit,
        state: 'pending',
        amount: req.amount,
        memo: req.memo ?? null,
        counterparty: req.counterparty ?? null,
        payload: { token, proofs, lock: null } satisfies SendPayload,
      });
      ctx.store.reserve(
        proofs.map((p) => proofY(p.secret)),
        id,
      );
      return row;
    })
    .immediate();
  ctx.changed(op);
  return op;
}

/** Whether the receiver claimed a pending token (NUT-07); a claimed token's proofs become spent. */
export async function checkSent(ctx: OpContext, op: OpRow): Promise<OpRow> {
  if (op.kind !== 'send' || op.state !== 'pending') return op;
  const payload = ctx.store.payload<SendPayload>(op.id);
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  let state;
  try {
    state = await inputsState(wallet, payload.proofs);
    ctx.mints.markReachable(op.mintUrl, true);
  } catch (err) {
    throw toFlashError(err, op.mintUrl);
  }
  if (state !== 'spent') return op;
  const row = ctx.store.db
    .transaction(() => {
      ctx.store.setProofState(
        payload.proofs.map((p) => proofY(p.secret)),
        'spent',
      );
      return ctx.store.updateOp(op.id, { state: 'claimed', final: true });
    })
    .immediate();
  ctx.changed(row);
  ctx.bus.emit('ecash.tokenClaimed', {
    operationId: row.id,
    direction: 'sent',
    mintUrl: row.mintUrl,
    unit: row.unit,
    amount: row.amount,
  });
  return row;
}

/** A send interrupted mid-swap: nothing moved (revert) or it went through (the token is ready). */
export async function resumeSendSwap(ctx: OpContext, op: OpRow): Promise<OpRow> {
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  const payload = ctx.store.payload<{
    preview: { inputs: { secret: string; id: string; amount: string; C: string }[] };
  }>(op.id);
  const inputs = payload.preview.inputs.map((p) => ({
    id: p.id,
    amount: sats(p.amount),
    secret: p.secret,
    C: p.C,
  }));
  const state = await inputsState(wallet, inputs);
  if (state === 'unspent') {
    const row = revertSwap(ctx, op, 'Interrupted before the mint swapped; nothing was sent.', 'cancelled');
    ctx.changed(row);
    return row;
  }
  if (state === 'pending') return op;
  return finishSendSwap(ctx, op);
}

/** Takes a pending token back: swaps its proofs to fresh ones of ours. */
export async function reclaim(ctx: OpContext, op: OpRow, p2pkKey: string | string[]): Promise<OpRow> {
  if (op.kind !== 'send' || op.state !== 'pending')
    throw new FlashError('ECASH_NOT_RECLAIMABLE', 'Only a token that is still pending can be taken back.');
  const payload = ctx.store.payload<SendPayload>(op.id);
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  let preview;
  try {
    preview = signLockedInputs(
      await wallet.prepareSwapToReceive(
        toProofs(payload.proofs),
        {},
        {
          type: 'deterministic',
          counter: 0,
        },
      ),
      p2pkKey,
    );
  } catch (err) {
    throw toFlashError(err, op.mintUrl);
  }
  // The token's proofs pass from the send to the reclaiming swap in the journal transaction.
  const swap = journalSwap(ctx, {
    kind: 'swap',
    mintUrl: op.mintUrl,
    unit: op.unit,
    amount: op.amount,
    preview,
    inputsAreOurs: true,
    parentId: op.id,
    counterparty: 'reclaim',
    takeFromOp: op.id,
  });
  try {
    const outcome = await runSwap(ctx, swap, wallet);
    settleSwap(ctx, swap, outcome, { state: 'done', final: true, sendState: 'unspent' });
    const row = ctx.store.updateOp(op.id, { state: 'reclaimed', final: true });
    ctx.changed(row);
    return row;
  } catch (err) {
    if (err instanceof FlashError && err.code === 'ECASH_ALREADY_SPENT') {
      const s = ctx.store.updateOp(swap.id, {
        state: 'failed',
        final: true,
        error: 'claimed by the receiver first',
      });
      ctx.store.setProofState(
        payload.proofs.map((p) => proofY(p.secret)),
        'spent',
      );
      ctx.changed(s);
      const row = ctx.store.updateOp(op.id, { state: 'claimed', final: true });
      ctx.changed(row);
      return row;
    }
    throw err;
  }
}
