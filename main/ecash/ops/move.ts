import { randomUUID } from 'node:crypto';
import type { OpContext } from '../context';
import type { OpRow } from '../store';
import type { MeltPart } from './melt';
import { advanceMelt, selectMeltInputs, startMelt } from './melt';
import { advanceMint, createMintQuote } from './mint';

/**
 * Moving funds between two mints as ONE journaled operation: a mint quote at the destination,
 * then a melt at the source that pays its invoice, then minting at the destination.
 *
 *   quoting ──destination quote journaled (leg 1, kind mint)──> melting
 *   melting ──source melt journaled and sent (leg 2, kind melt)──> minting   (melt paid)
 *           └─ melt failed ──> failed (nothing left the source; the quote is left to expire)
 *   minting ──destination issues (leg 1 advances: paid → issuing → done)──> done
 * Recovery walks the same path from whatever state the journal holds; each leg recovers itself.
 */

/** Journals the move and its destination quote; returns the parent op and the invoice to melt. */
export async function beginMove(
  ctx: OpContext,
  args: { from: string; to: string; unit: string; amount: number },
): Promise<{ move: OpRow; mintLeg: OpRow }> {
  const move = ctx.store.insertOp({
    id: randomUUID(),
    network: ctx.network(),
    kind: 'move',
    mintUrl: args.from,
    unit: args.unit,
    state: 'quoting',
    amount: args.amount,
    counterparty: args.to,
  });
  ctx.changed(move);
  try {
    const mintLeg = await createMintQuote(ctx, {
      mintUrl: args.to,
      unit: args.unit,
      amount: args.amount,
      description: 'Flash: move between mints',
      parentId: move.id,
    });
    return { move: ctx.store.updateOp(move.id, { state: 'melting', request: mintLeg.request }), mintLeg };
  } catch (err) {
    ctx.changed(
      ctx.store.updateOp(move.id, {
        state: 'failed',
        final: true,
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    throw err;
  }
}

/** The melt leg at the source, for a quote the caller priced; then as far as the move can go. */
export async function meltForMove(ctx: OpContext, move: OpRow, part: MeltPart): Promise<OpRow> {
  await startMelt(ctx, part, { parentId: move.id, counterparty: move.counterparty });
  return advanceMove(ctx, ctx.store.op(move.id) as OpRow);
}

export async function advanceMove(ctx: OpContext, move: OpRow): Promise<OpRow> {
  if (move.final) return move;
  const legs = ctx.store.childOps(move.id);
  const mintLeg = legs.find((l) => l.kind === 'mint');
  const meltLeg = legs.find((l) => l.kind === 'melt');
  if (!mintLeg) return fail(ctx, move, 'The destination quote was never made.');
  if (!meltLeg) {
    if (move.state === 'melting' && move.updatedAt < ctx.now() - 60_000)
      return fail(ctx, move, 'Interrupted before anything left the source mint.');
    return move;
  }
  const melt = meltLeg.final ? meltLeg : await advanceMelt(ctx, meltLeg);
  if (melt.state === 'failed') {
    ctx.changed(
      ctx.store.updateOp(mintLeg.id, { state: 'cancelled', final: true, error: 'the source melt failed' }),
    );
    return fail(ctx, move, melt.error ?? 'The source mint could not pay.');
  }
  if (melt.state !== 'paid') return move;
  if (move.state !== 'minting') {
    move = ctx.store.updateOp(move.id, { state: 'minting', fee: melt.fee });
    ctx.changed(move);
  }
  const minted = mintLeg.final ? mintLeg : await advanceMint(ctx, mintLeg);
  if (minted.state === 'done') {
    const row = ctx.store.updateOp(move.id, { state: 'done', final: true, fee: melt.fee, error: null });
    ctx.changed(row);
    return row;
  }
  return move;
}

function fail(ctx: OpContext, move: OpRow, error: string): OpRow {
  // The destination quote was never paid: it is closed with the move (no money behind it).
  for (const leg of ctx.store.childOps(move.id))
    if (leg.kind === 'mint' && leg.state === 'unpaid')
      ctx.changed(ctx.store.updateOp(leg.id, { state: 'cancelled', final: true, error }));
  const row = ctx.store.updateOp(move.id, { state: 'failed', final: true, error });
  ctx.changed(row);
  return row;
}

export { selectMeltInputs };
