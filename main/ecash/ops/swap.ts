import { randomUUID } from 'node:crypto';
import type { Proof, SerializedOutputData, SwapPreview, Wallet } from '@cashu/cashu-ts';
import { deserializeSwapPreview, OutputData, serializeSwapPreview, signP2PKProofs } from '@cashu/cashu-ts';
import { FlashError } from '../../../shared/errors';
import type { OpContext } from '../context';
import { badSignatures, nutCode, NUT, outcomeUnknown, toFlashError } from '../errors';
import type { PlainProof } from '../proof-codec';
import { proofY, sats, sumPlain, toPlain, toProofs } from '../proof-codec';
import type { OpKind, OpRow } from '../store';

/**
 * One journaled NUT-03 swap. Send (to split off a token), receive (to claim a token), rotation
 * (to move off an inactive keyset) and reclaim all go through here.
 *
 * States of a swap step (the op's `state` while it runs):
 *
 *   swapping ──200──> (caller's next state, e.g. 'pending' for a send, 'claimed' for a receive)
 *      │
 *      ├─ definite refusal with the inputs unspent (11005, 12002, …) ──> failed (inputs released)
 *      ├─ 11001 inputs already spent ──> restore our outputs (NUT-09): found → done; none → spent elsewhere
 *      ├─ 11003 outputs already signed ──> counters moved past them, outputs rebuilt, tried again
 *      ├─ no answer / 5xx / bad signatures ──> stays 'swapping'; recovery asks NUT-07 about the
 *      │    inputs: UNSPENT → the same request again (NUT-19 replays the answer if it was cached);
 *      │    SPENT → our outputs restored with NUT-09; PENDING → asked again later
 *
 * The journal row (with the serialized preview: inputs, and outputs with their secrets and
 * blinding factors, sealed) and the reservation of our inputs are one transaction written before
 * POST /v1/swap, so no crash can lose the inputs or the new proofs.
 */

export interface SwapPayload {
  preview: ReturnType<typeof serializeSwapPreview>;
  /** Whose inputs: ours (reserved in the proof store) or a token's (someone else's until claimed). */
  inputsAreOurs: boolean;
  /** For a send: the token's memo; for receive: the token text. */
  extra?: Record<string, unknown>;
}

export interface SwapOutcome {
  keep: PlainProof[];
  send: PlainProof[];
}

export function journalSwap(
  ctx: OpContext,
  args: {
    kind: OpKind;
    mintUrl: string;
    unit: string;
    amount: number;
    preview: SwapPreview;
    inputsAreOurs: boolean;
    extra?: Record<string, unknown>;
    memo?: string | null;
    counterparty?: string | null;
    id?: string;
    parentId?: string | null;
    /** Our inputs are held by this op now (a reclaim takes them from its send). */
    takeFromOp?: string | null;
  },
): OpRow {
  const id = args.id ?? randomUUID();
  const payload: SwapPayload = {
    preview: serializeSwapPreview({ ...args.preview, unselectedProofs: [] } as SwapPreview),
    inputsAreOurs: args.inputsAreOurs,
    ...(args.extra ? { extra: args.extra } : {}),
  };
  return ctx.store.db
    .transaction(() => {
      const op = ctx.store.insertOp({
        id,
        network: ctx.network(),
        kind: args.kind,
        mintUrl: args.mintUrl,
        unit: args.unit,
        state: 'swapping',
        amount: args.amount,
        fee: args.preview.fees.toNumber(),
        memo: args.memo ?? null,
        counterparty: args.counterparty ?? null,
        parentId: args.parentId ?? null,
        payload,
      });
      if (args.inputsAreOurs)
        ctx.store.reserve(
          args.preview.inputs.map((p) => proofY(p.secret)),
          id,
          args.takeFromOp ?? null,
        );
      return op;
    })
    .immediate();
}

/**
 * Signs the inputs locked to our key (NUT-11) before the swap is journaled: cashu-ts 4 signs
 * only in completeSwap, and a replay after a crash must send the very request we wrote down.
 * Inputs not locked to this key pass through untouched.
 */
export function signLockedInputs(preview: SwapPreview, privkey: string | string[]): SwapPreview {
  return { ...preview, inputs: signP2PKProofs(preview.inputs, privkey) };
}

/** Runs (or re-runs) the journaled swap; returns the new proofs, or throws a typed error. */
export async function runSwap(ctx: OpContext, op: OpRow, wallet: Wallet): Promise<SwapOutcome> {
  const payload = ctx.store.payload<SwapPayload>(op.id);
  const preview = deserializeSwapPreview(payload.preview);
  ctx.store.updateOp(op.id, { attempt: true });
  try {
    const res = await wallet.completeSwap(preview);
    ctx.mints.markReachable(op.mintUrl, true);
    return { keep: res.keep.map(toPlain), send: res.send.map(toPlain) };
  } catch (err) {
    const code = nutCode(err);
    if (outcomeUnknown(err)) {
      ctx.mints.markReachable(op.mintUrl, false, 'no answer');
      throw new FlashError(
        'ECASH_MINT_UNREACHABLE',
        'The mint did not answer; Flash will finish this when it can.',
        {
          operationId: op.id,
        },
      );
    }
    if (code === NUT.alreadySpent || badSignatures(err)) {
      // Either an earlier attempt went through (we lost the answer) or someone else spent the
      // inputs. Our outputs tell: the mint signed them only if our swap happened.
      const restored = await restoreOutputs(ctx, wallet, payload);
      if (restored) return restored;
      if (badSignatures(err))
        throw new FlashError('ECASH_BAD_SIGNATURES', 'The mint sent signatures that do not check out.', {
          operationId: op.id,
        });
      throw new FlashError('ECASH_ALREADY_SPENT', 'These eCash proofs were already spent.', {
        operationId: op.id,
      });
    }
    if (code === NUT.pending) throw toFlashError(err, op.mintUrl);
    if (code === NUT.outputsSigned) {
      // Counters reused (the same words used elsewhere, or a restore that stopped short): move
      // past what the mint signed. The mint refused the whole swap, so the inputs are untouched:
      // this attempt is cancelled and the caller prepares fresh outputs.
      await skipSignedCounters(wallet, payload);
      ctx.changed(revertSwap(ctx, op, 'outputs already signed; counters moved forward', 'cancelled'));
      throw new FlashError('ECASH_OUTPUTS_SIGNED', 'Outputs were already signed; counters moved forward.', {
        operationId: op.id,
      });
    }
    throw toFlashError(err, op.mintUrl);
  }
}

/** Every output of the swap (keep and send), in the order they were prepared. */
function allOutputs(payload: SwapPayload): SerializedOutputData[] {
  return [...(payload.preview.keepOutputs ?? []), ...(payload.preview.sendOutputs ?? [])];
}

/** NUT-09 for the swap's own outputs; null when the mint signed none of them. */
export async function restoreOutputs(
  ctx: OpContext,
  wallet: Wallet,
  payload: SwapPayload,
): Promise<SwapOutcome | null> {
  const keep = (payload.preview.keepOutputs ?? []).map((s) => OutputData.deserialize(s));
  const send = (payload.preview.sendOutputs ?? []).map((s) => OutputData.deserialize(s));
  const all = [...keep, ...send];
  const found = await restoreOutputData(wallet, all);
  // Our swap happened only if the mint signed every one of its outputs, each for its amount; a
  // partial or different match is the same deterministic outputs signed in another life.
  const ours = all.every((o) => found.get(o.blindedMessage.B_)?.amount === sats(o.blindedMessage.amount));
  if (!ours) return null;
  const pick = (list: OutputData[]): PlainProof[] =>
    list.flatMap((o) => {
      const p = found.get(o.blindedMessage.B_);
      return p ? [p] : [];
    });
  void ctx;
  return { keep: pick(keep), send: pick(send) };
}

/** Asks the mint (NUT-09) for its signatures on these outputs and unblinds them (DLEQ checked). */
export async function restoreOutputData(
  wallet: Wallet,
  outputs: OutputData[],
): Promise<Map<string, PlainProof>> {
  const found = new Map<string, PlainProof>();
  if (outputs.length === 0) return found;
  const res = await wallet.mint.restore({ outputs: outputs.map((o) => o.blindedMessage) });
  const byB = new Map(outputs.map((o) => [o.blindedMessage.B_, o]));
  await wallet.ensureOperableKeysets(res.signatures.map((s) => s.id));
  res.signatures.forEach((sig, i) => {
    const out = res.outputs[i];
    const data = out ? byB.get(out.B_) : undefined;
    if (!data) return;
    const proof: Proof = data.toProof(sig, wallet.getKeyset(sig.id));
    found.set(out!.B_, toPlain(proof));
  });
  if (found.size === 0) return found;
  // Deterministic outputs may have been signed in another life of the same words: only proofs the
  // mint still calls UNSPENT are money we can take; a spent one would be counted twice.
  const entries = [...found.entries()];
  const states = await wallet.checkProofsStates(toProofs(entries.map(([, p]) => p)));
  return new Map(entries.filter((_, i) => states[i]?.state === 'UNSPENT'));
}

async function skipSignedCounters(wallet: Wallet, payload: SwapPayload): Promise<void> {
  await skipSignedFor(wallet, new Set(allOutputs(payload).map((o) => o.blindedMessage.id)));
}

/** Scans (NUT-09, gap 300) from each keyset's counter and moves it past the last signed one. */
export async function skipSignedFor(wallet: Wallet, keysetIds: Iterable<string>): Promise<void> {
  for (const id of keysetIds) {
    const next = await wallet.counters.peekNext(id);
    const found = await wallet.batchRestore(300, 100, Math.max(0, next - 100), id).catch(() => null);
    const last = found?.lastCounterWithSignature;
    if (last !== undefined && last !== null) await wallet.counters.advanceToAtLeast(id, last + 1);
  }
}

/** Settles a finished swap in one transaction: inputs spent (ours), new proofs stored. */
export function settleSwap(
  ctx: OpContext,
  op: OpRow,
  outcome: SwapOutcome,
  next: { state: string; final: boolean; sendState: 'unspent' | 'reserved' },
): OpRow {
  const payload = ctx.store.payload<SwapPayload>(op.id);
  return ctx.store.db
    .transaction(() => {
      if (payload.inputsAreOurs)
        ctx.store.setProofState(
          payload.preview.inputs.map((p) => proofY(p.secret)),
          'spent',
        );
      ctx.store.addProofs(op.network, op.mintUrl, op.unit, outcome.keep, op.id);
      if (next.sendState === 'reserved') {
        ctx.store.addProofs(op.network, op.mintUrl, op.unit, outcome.send, op.id, 'reserved', op.id);
      } else ctx.store.addProofs(op.network, op.mintUrl, op.unit, outcome.send, op.id);
      return ctx.store.updateOp(op.id, { state: next.state, final: next.final, error: null });
    })
    .immediate();
}

/** Gives up a swap whose inputs the mint still holds unspent: our inputs become spendable again. */
export function revertSwap(ctx: OpContext, op: OpRow, error: string, state = 'failed'): OpRow {
  const payload = ctx.store.payload<SwapPayload>(op.id);
  return ctx.store.db
    .transaction(() => {
      if (payload.inputsAreOurs)
        ctx.store.setProofState(
          payload.preview.inputs.map((p) => proofY(p.secret)),
          'unspent',
          null,
        );
      return ctx.store.updateOp(op.id, { state, final: true, error });
    })
    .immediate();
}

/** NUT-07 states of a swap's inputs: 'unspent' | 'spent' | 'pending' (mixed counts as pending). */
export async function inputsState(
  wallet: Wallet,
  inputs: readonly PlainProof[],
): Promise<'unspent' | 'spent' | 'pending'> {
  const states = await wallet.checkProofsStates(toProofs(inputs));
  if (states.every((s) => s.state === 'SPENT')) return 'spent';
  if (states.every((s) => s.state === 'UNSPENT')) return 'unspent';
  return 'pending';
}

export function inputsOf(ctx: OpContext, op: OpRow): PlainProof[] {
  return ctx.store.payload<SwapPayload>(op.id).preview.inputs.map((p) => ({
    id: p.id,
    amount: sats(p.amount),
    secret: p.secret,
    C: p.C,
    ...(p.witness !== undefined
      ? { witness: typeof p.witness === 'string' ? p.witness : JSON.stringify(p.witness) }
      : {}),
  }));
}

export { sumPlain };
