import { randomUUID } from 'node:crypto';
import type { Proof, Token } from '@cashu/cashu-ts';
import { getP2PKExpectedWitnessPubkeys, getSecretKind, hasValidDleq } from '@cashu/cashu-ts';
import { FlashError } from '../../../shared/errors';
import type { OpContext } from '../context';
import { proofsWeHave } from './denominations';
import { toFlashError } from '../errors';
import { sats, sumPlain, toPlain } from '../proof-codec';
import type { OpRow } from '../store';
import { decodeTokenText } from '../tokens';
import { inputsState, journalSwap, revertSwap, runSwap, settleSwap, signLockedInputs } from './swap';

/**
 * Receiving a token: checked offline first (NUT-12 DLEQ against the mint's stored keys, NUT-11
 * lock against our key), journaled, then claimed with a swap when the mint answers.
 *
 *   stored ──(mint reachable) swap journaled──> swapping ──> claimed
 *     │  "received, not yet claimed": kept (sealed) and claimed automatically once the mint answers
 *   swapping ──11001 and none of our outputs signed──> failed (someone spent it first)
 *   swapping ──no answer──> recovery: inputs UNSPENT → the same swap again; SPENT → restore ours
 */

export interface TokenCheck {
  token: Token;
  amount: number;
  /** valid: every proof has a DLEQ that verifies; partial: some have none; missing: none do. */
  dleq: 'valid' | 'partial' | 'missing' | 'invalid' | 'unknown-keys';
  lock: 'none' | 'us' | 'other';
  lockedTo: string[];
}

interface ReceivePayload {
  token: string;
}

/** Offline checks of a token against what we know about its mint. */
export function checkToken(ctx: OpContext, text: string, ourP2pkPubkeys: readonly string[]): TokenCheck {
  const knownIds = ctx.mints.list().flatMap((m) => m.keychain.keysets.map((k) => k.id));
  const token = decodeTokenText(text, knownIds);
  const amount = sumPlain(token.proofs.map(toPlain));
  const rec = ctx.mints.get(token.mint);
  let dleq: TokenCheck['dleq'] = 'unknown-keys';
  if (rec) {
    const keysets = new Map(rec.keychain.keysets.map((k) => [k.id, k]));
    let withDleq = 0;
    let bad = false;
    let unknown = false;
    for (const p of token.proofs as Proof[]) {
      const ks = keysets.get(p.id);
      if (!ks?.keys) {
        unknown = true;
        continue;
      }
      if (!p.dleq) continue;
      withDleq++;
      if (!hasValidDleq(p, { id: ks.id, keys: ks.keys })) bad = true;
    }
    dleq = bad
      ? 'invalid'
      : unknown
        ? 'unknown-keys'
        : withDleq === token.proofs.length
          ? 'valid'
          : withDleq === 0
            ? 'missing'
            : 'partial';
  }
  const lockedTo = new Set<string>();
  for (const p of token.proofs) {
    let kind: string | null = null;
    try {
      kind = getSecretKind(p.secret);
    } catch {
      kind = null;
    }
    if (kind === 'P2PK')
      for (const k of getP2PKExpectedWitnessPubkeys(p.secret)) lockedTo.add(k.toLowerCase());
  }
  const lock = lockOf([...lockedTo], ourP2pkPubkeys);
  return { token, amount, dleq, lock, lockedTo: [...lockedTo] };
}

/**
 * The wallet's P2PK keys: its own (from the words) first, then any adopted from a NIP-60 backup
 * made under other words, so tokens and nutzaps locked to those still open here.
 */
export interface P2pkKeys {
  pubkeys: string[];
  privkeys: string[];
}

/** Whose lock a token carries: none, one of our keys (compressed, any parity), or someone else's. */
export function lockOf(lockedTo: readonly string[], ours: readonly string[]): 'none' | 'us' | 'other' {
  if (lockedTo.length === 0) return 'none';
  const mine = new Set(ours.map((k) => k.toLowerCase().slice(2)));
  return lockedTo.some((k) => mine.has(k.toLowerCase().slice(2))) ? 'us' : 'other';
}

/** Journals the received token, then claims it if the mint answers. */
export async function receiveToken(
  ctx: OpContext,
  text: string,
  ourP2pk: P2pkKeys,
  /** Where the token came from (a chat message, a nutzap, a payment request): kept on the row. */
  counterparty: string | null = null,
): Promise<OpRow> {
  const check = checkToken(ctx, text, ourP2pk.pubkeys);
  if (!ctx.mints.get(check.token.mint))
    throw new FlashError(
      'ECASH_MINT_NOT_FOUND',
      'This token is from a mint you have not added. Add it first.',
      {
        mint: check.token.mint,
      },
    );
  if (check.dleq === 'invalid')
    throw new FlashError(
      'ECASH_DLEQ_INVALID',
      'The token’s signatures do not check out (DLEQ). It is not real eCash of this mint.',
    );
  if (check.lock === 'other')
    throw new FlashError('ECASH_LOCKED_TO_OTHER', 'This token is locked to someone else’s key.');
  const unit = check.token.unit ?? 'sat';
  const op = ctx.store.insertOp({
    id: randomUUID(),
    network: ctx.network(),
    kind: 'receive',
    mintUrl: check.token.mint,
    unit,
    state: 'stored',
    amount: check.amount,
    memo: check.token.memo ?? null,
    counterparty,
    payload: { token: text.trim() } satisfies ReceivePayload,
  });
  ctx.changed(op);
  try {
    return await claim(ctx, op, ourP2pk.privkeys).catch((err: unknown) => {
      // Counters moved past outputs signed before: claim once more with fresh outputs.
      if (err instanceof FlashError && err.code === 'ECASH_OUTPUTS_SIGNED')
        return claim(ctx, ctx.store.op(op.id) as OpRow, ourP2pk.privkeys);
      throw err;
    });
  } catch (err) {
    const e = toFlashError(err, op.mintUrl);
    if (e.code === 'ECASH_MINT_UNREACHABLE') return ctx.store.op(op.id) as OpRow; // claimed later
    throw e;
  }
}

/** Claims a stored token (or finishes a claim that was interrupted). */
export async function claim(ctx: OpContext, op: OpRow, privkey: string | string[]): Promise<OpRow> {
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  if (op.state === 'stored') {
    const { token } = ctx.store.payload<ReceivePayload>(op.id);
    let preview;
    try {
      preview = signLockedInputs(
        await wallet.prepareSwapToReceive(
          token,
          { proofsWeHave: proofsWeHave(ctx, op.mintUrl, op.unit) },
          { type: 'deterministic', counter: 0 },
        ),
        privkey,
      );
    } catch (err) {
      throw toFlashError(err, op.mintUrl);
    }
    // The same op moves on: its payload becomes the journaled swap (token kept beside it).
    ctx.store.db
      .transaction(() => {
        ctx.store.updateOp(op.id, { state: 'claiming' });
        return op;
      })
      .immediate();
    const journaled = journalSwap(ctx, {
      kind: 'swap',
      mintUrl: op.mintUrl,
      unit: op.unit,
      amount: op.amount,
      preview,
      inputsAreOurs: false,
      parentId: op.id,
      counterparty: 'claim',
    });
    return finishClaim(ctx, op, journaled);
  }
  if (op.state === 'claiming') {
    const leg = ctx.store.childOps(op.id).find((c) => !c.final);
    if (!leg) return ctx.store.updateOp(op.id, { state: 'stored' });
    const inputs = ctx.store.payload<{
      preview: { inputs: { id: string; amount: string; secret: string; C: string }[] };
    }>(leg.id);
    const state = await inputsState(
      wallet,
      inputs.preview.inputs.map((p) => ({ id: p.id, amount: sats(p.amount), secret: p.secret, C: p.C })),
    );
    if (state === 'pending') return op;
    return finishClaim(ctx, op, leg);
  }
  return op;
}

async function finishClaim(ctx: OpContext, op: OpRow, leg: OpRow): Promise<OpRow> {
  const wallet = ctx.mints.wallet(op.mintUrl, op.unit);
  try {
    const outcome = await runSwap(ctx, leg, wallet);
    settleSwap(ctx, leg, outcome, { state: 'done', final: true, sendState: 'unspent' });
    const received = sumPlain([...outcome.keep, ...outcome.send]);
    const row = ctx.store.updateOp(op.id, {
      state: 'claimed',
      final: true,
      fee: op.amount - received,
      error: null,
    });
    ctx.changed(row);
    ctx.bus.emit('ecash.tokenClaimed', {
      operationId: row.id,
      direction: 'received',
      mintUrl: row.mintUrl,
      unit: row.unit,
      amount: received,
    });
    return row;
  } catch (err) {
    if (err instanceof FlashError && err.code === 'ECASH_ALREADY_SPENT') {
      ctx.changed(revertSwap(ctx, leg, err.message));
      const row = ctx.store.updateOp(op.id, {
        state: 'failed',
        final: true,
        error: 'Someone claimed this token first.',
      });
      ctx.changed(row);
      throw err;
    }
    if (
      err instanceof FlashError &&
      (err.code === 'ECASH_MINT_UNREACHABLE' ||
        err.code === 'ECASH_PROOFS_PENDING' ||
        err.code === 'ECASH_BAD_SIGNATURES')
    )
      throw err; // stays claiming: recovery finishes it
    // A definite refusal with the token untouched: back to "received, not yet claimed".
    ctx.changed(revertSwap(ctx, leg, err instanceof Error ? err.message : String(err)));
    ctx.changed(
      ctx.store.updateOp(op.id, { state: 'stored', error: err instanceof Error ? err.message : String(err) }),
    );
    throw err;
  }
}
