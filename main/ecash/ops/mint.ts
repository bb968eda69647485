import { randomUUID } from 'node:crypto';
import type { MintQuoteBolt11Response, SerializedOutputData, Wallet } from '@cashu/cashu-ts';
import { OutputData, signMintQuote } from '@cashu/cashu-ts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { FlashError } from '../../../shared/errors';
import type { OpContext } from '../context';
import { proofsWeHave } from './denominations';
import { nutCode, NUT, outcomeUnknown, toFlashError } from '../errors';
import { sats, toPlain } from '../proof-codec';
import type { OpRow } from '../store';
import { restoreOutputData, skipSignedFor } from './swap';

/**
 * Minting from a bolt11 quote (NUT-04, NUT-23), locked with NUT-20 where the mint offers it.
 *
 *   unpaid ──invoice paid (NUT-17 websocket, or polling)──> paid
 *   paid ──outputs journaled (sealed), THEN POST /v1/mint──> issuing ──signatures──> done
 *   issuing ──no answer──> (recovery) quote ISSUED → NUT-09 restore of the journaled outputs → done
 *                                     quote PAID   → the same request again (NUT-19 replays it)
 *   unpaid ──expiry passed, still UNPAID──> expired
 *
 * The NUT-20 key is made per quote (the mint cannot link quotes) and kept sealed in the journal.
 */

interface MintPayload {
  /** NUT-20 private key (hex), when the quote is locked. */
  lockKey: string | null;
  quote: MintQuoteBolt11Response | null;
  outputs?: SerializedOutputData[];
  keysetId?: string;
}

export async function createMintQuote(
  ctx: OpContext,
  args: { mintUrl: string; unit: string; amount: number; description?: string; parentId?: string },
): Promise<OpRow> {
  const wallet = ctx.mints.wallet(args.mintUrl, args.unit);
  const locks = wallet.getMintInfo().isSupported(20).supported;
  const lockKey = locks ? Buffer.from(secp256k1.utils.randomSecretKey()).toString('hex') : null;
  let quote: MintQuoteBolt11Response;
  try {
    quote = lockKey
      ? await wallet.createLockedMintQuote(
          args.amount,
          Buffer.from(secp256k1.getPublicKey(Buffer.from(lockKey, 'hex'), true)).toString('hex'),
          args.description,
        )
      : await wallet.createMintQuoteBolt11(args.amount, args.description);
    ctx.mints.markReachable(args.mintUrl, true);
  } catch (err) {
    if (outcomeUnknown(err)) ctx.mints.markReachable(args.mintUrl, false, 'no answer');
    throw toFlashError(err, args.mintUrl);
  }
  const op = ctx.store.insertOp({
    id: randomUUID(),
    network: ctx.network(),
    kind: 'mint',
    mintUrl: args.mintUrl,
    unit: args.unit,
    state: 'unpaid',
    amount: args.amount,
    quoteId: quote.quote,
    request: quote.request,
    parentId: args.parentId ?? null,
    payload: { lockKey, quote: plainQuote(quote) } satisfies MintPayload,
  });
  ctx.changed(op);
  return op;
}

function plainQuote(q: MintQuoteBolt11Response): MintQuoteBolt11Response {
  return JSON.parse(JSON.stringify(q)) as MintQuoteBolt11Response;
}

/** Asks the mint about the quote and moves the op on as far as it can go now. */
export async function advanceMint(ctx: OpContext, op: OpRow): Promise<OpRow> {
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  const payload = ctx.store.payload<MintPayload>(op.id);
  if (op.state === 'unpaid' || op.state === 'paid') {
    let quote: MintQuoteBolt11Response;
    try {
      quote = await wallet.checkMintQuoteBolt11(op.quoteId as string);
      ctx.mints.markReachable(op.mintUrl, true);
    } catch (err) {
      if (outcomeUnknown(err)) ctx.mints.markReachable(op.mintUrl, false, 'no answer');
      throw toFlashError(err, op.mintUrl);
    }
    const state = String(quote.state);
    if (state === 'UNPAID') {
      if (Number(quote.expiry ?? 0) > 0 && Number(quote.expiry) * 1000 < ctx.now())
        return finish(ctx, op, 'expired', 'The invoice expired unpaid.');
      return op;
    }
    if (state === 'ISSUED')
      return finish(ctx, op, 'failed', 'The mint says this quote was already issued, not to this wallet.');
    op = ctx.store.updateOp(op.id, { state: 'paid' });
    ctx.changed(op);
    return issue(ctx, op, wallet, payload, quote);
  }
  if (op.state === 'issuing') return reissue(ctx, op, wallet, payload);
  return op;
}

async function issue(
  ctx: OpContext,
  op: OpRow,
  wallet: Wallet,
  payload: MintPayload,
  quote: MintQuoteBolt11Response,
): Promise<OpRow> {
  const preview = await wallet.prepareMint(
    'bolt11',
    op.amount,
    quote,
    {
      ...(payload.lockKey ? { privkey: payload.lockKey } : {}),
      proofsWeHave: proofsWeHave(ctx, op.mintUrl, op.unit),
    },
    { type: 'deterministic', counter: 0 },
  );
  // Journal first: the outputs (secrets, blinding factors) before the mint signs them. Only one
  // step may do so: if another already moved the op on, finish with the outputs it journaled.
  const moved = ctx.store.casOp(op.id, 'paid', {
    state: 'issuing',
    payload: {
      ...payload,
      quote: plainQuote(quote),
      outputs: preview.outputData.map((o) => OutputData.serialize(o)),
      keysetId: preview.keysetId,
    } satisfies MintPayload,
  });
  if (!moved) {
    const now = ctx.store.op(op.id) as OpRow;
    return now.state === 'issuing' ? reissue(ctx, now, wallet, ctx.store.payload<MintPayload>(now.id)) : now;
  }
  op = moved;
  ctx.changed(op);
  return reissue(ctx, op, wallet, ctx.store.payload<MintPayload>(op.id));
}

/** POST /v1/mint with the journaled outputs (the same bytes each time), or restore them. */
async function reissue(ctx: OpContext, op: OpRow, wallet: Wallet, payload: MintPayload): Promise<OpRow> {
  const outputData = (payload.outputs ?? []).map((s) => OutputData.deserialize(s));
  ctx.store.updateOp(op.id, { attempt: true });
  try {
    const proofs = await wallet.completeMint({
      method: 'bolt11',
      payload: {
        quote: op.quoteId as string,
        outputs: outputData.map((o) => o.blindedMessage),
        ...(payload.lockKey
          ? { signature: signMint(payload.lockKey, op.quoteId as string, outputData) }
          : {}),
      },
      outputData,
      keysetId: payload.keysetId as string,
      quote: payload.quote as MintQuoteBolt11Response,
    });
    ctx.mints.markReachable(op.mintUrl, true);
    return done(ctx, op, proofs.map(toPlain));
  } catch (err) {
    const code = nutCode(err);
    if (outcomeUnknown(err)) {
      ctx.mints.markReachable(op.mintUrl, false, 'no answer');
      throw new FlashError(
        'ECASH_MINT_UNREACHABLE',
        'The mint did not answer; Flash will finish minting when it can.',
        {
          operationId: op.id,
        },
      );
    }
    if (code === NUT.outputsSigned) {
      // Our counters had been used before (same words elsewhere): skip past them and issue
      // again with fresh outputs; the quote is still PAID, nothing was issued.
      await skipSignedFor(wallet, new Set(outputData.map((o) => o.blindedMessage.id)));
      const back = ctx.store.updateOp(op.id, {
        state: 'paid',
        error: 'outputs already signed; counters moved forward',
      });
      return issue(ctx, back, wallet, payload, payload.quote as MintQuoteBolt11Response);
    }
    if (code === NUT.quoteIssued || code === null) {
      // Issued already (our earlier attempt), or signatures we could not use: restore ours.
      const found = await restoreOutputData(wallet, outputData);
      const ours = outputData.every(
        (o) => found.get(o.blindedMessage.B_)?.amount === sats(o.blindedMessage.amount),
      );
      if (ours) return done(ctx, op, [...found.values()]);
      if (code === null)
        throw new FlashError('ECASH_BAD_SIGNATURES', 'The mint sent signatures that do not check out.', {
          operationId: op.id,
        });
      return finish(ctx, op, 'failed', 'The quote was issued to someone else.');
    }
    throw toFlashError(err, op.mintUrl);
  }
}

function signMint(lockKey: string, quote: string, outputs: OutputData[]): string {
  // NUT-20: Schnorr over SHA-256(quote || B_0 || … || B_n-1), the same outputs every replay.
  return signMintQuote(
    lockKey,
    quote,
    outputs.map((o) => o.blindedMessage),
  );
}

function done(ctx: OpContext, op: OpRow, proofs: ReturnType<typeof toPlain>[]): OpRow {
  const row = ctx.store.db
    .transaction(() => {
      ctx.store.addProofs(op.network, op.mintUrl, op.unit, proofs, op.id);
      return ctx.store.updateOp(op.id, { state: 'done', final: true, error: null });
    })
    .immediate();
  ctx.changed(row);
  return row;
}

function finish(ctx: OpContext, op: OpRow, state: string, error: string): OpRow {
  const row = ctx.store.updateOp(op.id, { state, final: true, error });
  ctx.changed(row);
  return row;
}
