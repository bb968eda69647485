import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { WireOutput, WireProof } from './conditions';
import { enforceSpendingConditions, verifyMintRequestSignature } from './conditions';
import { badRequest, MintError, NUT_ERROR } from './errors';
import type { BlindSignatureJson, MintKeyset, SigningFault } from './keysets';
import { createKeyset, KeysetBook, powersOfTwo, proofY } from './keysets';
import type { MintLightning } from './lightning-port';

/**
 * The state and rules of one Cashu mint, as the NUTs describe them: keysets with rotation and
 * input fees (NUT-01/02), swap (03), bolt11 mint and melt quotes (04/05/23) with NUT-08 change,
 * NUT-20 locked quotes and NUT-15 partial amounts, checkstate (07), restore (09), spending
 * conditions (10/11), DLEQ (12). The HTTP layer (server.ts) adds NUT-06 info, NUT-17 websockets
 * and NUT-19 caching. Every NUT option is a MintOptions switch, so tests can run under each.
 */

export interface MintOptions {
  name: string;
  /** Units with keysets and Lightning methods (sat, and usd or eur priced at satsPerCent). */
  units: readonly string[];
  /** Input fee of the keysets in parts per thousand (NUT-02); nutshell's default is 100. */
  inputFeePpk: number;
  /** Keyset id version: 1 → "01…" (NUT-02 v2, HMAC derivation), 0 → "00…" (v1, BIP32 derivation). */
  keysetIdVersion: 0 | 1;
  /** NUT-20: 'optional' honours a pubkey, 'required' refuses quotes without one (20009), 'off' ignores it. */
  nut20: 'off' | 'optional' | 'required';
  /** NUT-15 partial multi-path melts. */
  mpp: boolean;
  /** NUT-08 change for overpaid fee reserve. */
  change: boolean;
  /** NUT-12 DLEQ proofs on blind signatures. */
  dleq: boolean;
  /** NUT-05 prefer_async: a melt may answer PENDING at once and settle in the background. */
  asyncMelt: boolean;
  /** How long a synchronous melt waits for Lightning before answering PENDING (ms). */
  meltWaitMs: number;
  /** usd/eur price: sats per cent. */
  satsPerCent: number;
  minAmount: number;
  maxAmount: number;
  maxInputs: number;
  maxOutputs: number;
  now?: () => number;
}

export const DEFAULT_MINT_OPTIONS: MintOptions = {
  name: 'Flash stand-in mint',
  units: ['sat'],
  inputFeePpk: 100,
  keysetIdVersion: 1,
  nut20: 'optional',
  mpp: true,
  change: true,
  dleq: true,
  asyncMelt: true,
  meltWaitMs: 1500,
  satsPerCent: 10,
  minAmount: 1,
  maxAmount: 10_000_000,
  maxInputs: 1000,
  maxOutputs: 1000,
};

export type QuoteState = 'UNPAID' | 'PAID' | 'ISSUED' | 'PENDING';

export interface MintQuote {
  quote: string;
  request: string;
  amount: number;
  unit: string;
  state: 'UNPAID' | 'PAID' | 'ISSUED';
  expiry: number;
  pubkey: string | null;
  paymentHash: string;
}

export interface MeltQuote {
  quote: string;
  request: string;
  amount: number;
  unit: string;
  fee_reserve: number;
  state: 'UNPAID' | 'PENDING' | 'PAID';
  expiry: number;
  payment_preimage: string | null;
  change?: BlindSignatureJson[];
  /** NUT-15: the part of the invoice this quote pays, msat; null for the whole invoice. */
  partMsat: bigint | null;
  paymentHash: string;
}

export type ProofStateName = 'UNSPENT' | 'PENDING' | 'SPENT';

export type MintEvent =
  | { kind: 'bolt11_mint_quote'; id: string; payload: Record<string, unknown> }
  | { kind: 'bolt11_melt_quote'; id: string; payload: Record<string, unknown> }
  | { kind: 'proof_state'; id: string; payload: Record<string, unknown> };

/** UUID v7 with the 74 variable bits from a CSPRNG (NUT-04's caution on quote ids). */
export function uuidv7(now: number): string {
  const b = randomBytes(16);
  const ms = BigInt(now);
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class CashuMint {
  readonly opts: MintOptions;
  readonly keysets = new KeysetBook();
  readonly pubkey = Buffer.from(secp256k1.getPublicKey(secp256k1.utils.randomSecretKey(), true)).toString(
    'hex',
  );
  signingFault: SigningFault = 'none';
  private readonly spent = new Map<string, string | null>();
  private readonly pending = new Set<string>();
  /** B_ -> the signature issued on it (NUT-09 restore, and 11003 for outputs signed twice). */
  private readonly signed = new Map<string, BlindSignatureJson>();
  private readonly mintQuotes = new Map<string, MintQuote>();
  private readonly meltQuotes = new Map<string, MeltQuote>();
  private readonly listeners = new Set<(e: MintEvent) => void>();
  private readonly stopInvoices: () => void;

  constructor(
    readonly lightning: MintLightning,
    opts: Partial<MintOptions> = {},
  ) {
    this.opts = { ...DEFAULT_MINT_OPTIONS, ...opts };
    for (const unit of this.opts.units) {
      // Two keysets per unit from the start, the first already rotated out (NUT-02).
      this.keysets.add(createKeyset(unit, this.opts.inputFeePpk, this.opts.keysetIdVersion));
      this.keysets.rotate(unit, this.opts.inputFeePpk, this.opts.keysetIdVersion);
    }
    this.stopInvoices = lightning.onInvoicePaid((hash) => this.invoicePaid(hash));
  }

  close(): void {
    this.stopInvoices();
    this.listeners.clear();
  }

  now(): number {
    return (this.opts.now ?? Date.now)();
  }

  private nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  on(listener: (e: MintEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: MintEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  /** A new active keyset for `unit`; the current one goes inactive (keeps its inputs valid). */
  rotate(unit: string): MintKeyset {
    if (!this.opts.units.includes(unit)) throw badRequest(`unit ${unit} is not offered`);
    return this.keysets.rotate(unit, this.opts.inputFeePpk, this.opts.keysetIdVersion);
  }

  // ── amounts ───────────────────────────────────────────────────────────────────────────────

  private msatFor(amount: number, unit: string): bigint {
    if (unit === 'sat') return BigInt(amount) * 1000n;
    return BigInt(amount) * BigInt(this.opts.satsPerCent) * 1000n;
  }

  /** msat to the unit, rounded up (the mint never sells below cost). */
  private unitFor(msat: bigint, unit: string): number {
    const per = unit === 'sat' ? 1000n : BigInt(this.opts.satsPerCent) * 1000n;
    return Number((msat + per - 1n) / per);
  }

  private checkUnit(unit: unknown): string {
    if (typeof unit !== 'string' || !this.opts.units.includes(unit))
      throw new MintError(NUT_ERROR.unitNotSupported, 'Unit in request is not supported');
    return unit;
  }

  private checkLimits(amount: number): void {
    if (amount < this.opts.minAmount || amount > this.opts.maxAmount)
      throw new MintError(NUT_ERROR.amountOutOfLimits, 'Amount outside of limit range');
  }

  // ── inputs and outputs ───────────────────────────────────────────────────────────────────

  private checkInputs(inputs: WireProof[]): string[] {
    if (inputs.length === 0) throw badRequest('no inputs');
    if (inputs.length > this.opts.maxInputs)
      throw new MintError(NUT_ERROR.maxInputsExceeded, 'Max inputs exceeded');
    const ys = inputs.map((p) => proofY(p.secret));
    if (new Set(ys).size !== ys.length)
      throw new MintError(NUT_ERROR.duplicateInputs, 'Duplicate inputs provided');
    for (const p of inputs) this.keysets.verifyProof(p);
    for (const y of ys) {
      if (this.spent.has(y)) throw new MintError(NUT_ERROR.alreadySpent, 'Token already spent.');
      if (this.pending.has(y)) throw new MintError(NUT_ERROR.proofsPending, 'Proofs are pending');
    }
    return ys;
  }

  private checkNewOutputs(outputs: WireOutput[], blank = false): void {
    if (outputs.length > this.opts.maxOutputs)
      throw new MintError(NUT_ERROR.maxOutputsExceeded, 'Max outputs exceeded');
    if (new Set(outputs.map((o) => o.B_)).size !== outputs.length)
      throw new MintError(NUT_ERROR.duplicateOutputs, 'Duplicate outputs provided');
    this.keysets.checkOutputs(outputs, blank);
    if (outputs.some((o) => this.signed.has(o.B_)))
      throw new MintError(NUT_ERROR.outputsAlreadySigned, 'Outputs have already been signed before.');
  }

  private signAll(outputs: WireOutput[], amounts?: number[]): BlindSignatureJson[] {
    return outputs.map((o, i) => {
      const amount = amounts?.[i] ?? o.amount;
      // What the mint stores is always right; a signing fault only corrupts what goes out.
      const good = this.keysets.sign(o, amount, 'none');
      const stored = this.opts.dleq ? good : { amount, id: good.id, C_: good.C_ };
      this.signed.set(o.B_, stored);
      if (this.signingFault === 'none') return stored;
      const bad = this.keysets.sign(o, amount, this.signingFault);
      return this.opts.dleq || this.signingFault === 'wrong-keyset'
        ? bad
        : { amount, id: bad.id, C_: bad.C_ };
    });
  }

  private markSpent(inputs: WireProof[], ys: string[]): void {
    ys.forEach((y, i) => {
      this.pending.delete(y);
      const w = inputs[i]?.witness;
      this.spent.set(y, w === undefined ? null : typeof w === 'string' ? w : JSON.stringify(w));
      this.emit({ kind: 'proof_state', id: y, payload: this.stateOf(y) });
    });
  }

  private setPending(ys: string[], on: boolean): void {
    for (const y of ys) {
      if (on) this.pending.add(y);
      else this.pending.delete(y);
      this.emit({ kind: 'proof_state', id: y, payload: this.stateOf(y) });
    }
  }

  stateOf(y: string): { Y: string; state: ProofStateName; witness: string | null } {
    if (this.spent.has(y)) return { Y: y, state: 'SPENT', witness: this.spent.get(y) ?? null };
    if (this.pending.has(y)) return { Y: y, state: 'PENDING', witness: null };
    return { Y: y, state: 'UNSPENT', witness: null };
  }

  // ── NUT-03 swap ──────────────────────────────────────────────────────────────────────────

  swap(inputs: WireProof[], outputs: WireOutput[]): BlindSignatureJson[] {
    const ys = this.checkInputs(inputs);
    this.checkNewOutputs(outputs);
    if (this.keysets.unitOf(inputs) !== this.keysets.unitOf(outputs))
      throw new MintError(NUT_ERROR.unitMismatch, 'Inputs and outputs not of same unit');
    const fee = this.keysets.inputFee(inputs);
    const inSum = sum(inputs);
    const outSum = sum(outputs);
    if (inSum - fee !== outSum)
      throw new MintError(
        NUT_ERROR.notBalanced,
        `Transaction is not balanced: inputs ${inSum} - fee ${fee} != outputs ${outSum}`,
      );
    enforceSpendingConditions(inputs, outputs, this.nowSec());
    this.markSpent(inputs, ys);
    return this.signAll(outputs);
  }

  /** Marks proofs spent as if someone else had swapped them first (the double-spend fault). */
  spendElsewhere(inputs: WireProof[]): number {
    const ys = this.checkInputs(inputs);
    this.markSpent(inputs, ys);
    return ys.length;
  }

  checkState(ys: string[]): ReturnType<CashuMint['stateOf']>[] {
    return ys.map((y) => this.stateOf(y.toLowerCase()));
  }

  /** NUT-09: the signatures issued on these outputs, only for those the mint signed. */
  restore(outputs: WireOutput[]): { outputs: WireOutput[]; signatures: BlindSignatureJson[] } {
    const found = outputs.filter((o) => this.signed.has(o.B_));
    return { outputs: found, signatures: found.map((o) => this.signed.get(o.B_) as BlindSignatureJson) };
  }

  // ── NUT-04 / NUT-23 mint ─────────────────────────────────────────────────────────────────

  createMintQuote(body: {
    amount?: unknown;
    unit?: unknown;
    description?: unknown;
    pubkey?: unknown;
  }): MintQuote {
    const unit = this.checkUnit(body.unit);
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
      throw badRequest('amount must be a positive integer');
    this.checkLimits(amount);
    let pubkey: string | null = null;
    if (this.opts.nut20 !== 'off' && body.pubkey !== undefined && body.pubkey !== null) {
      if (typeof body.pubkey !== 'string' || !/^0[23][0-9a-fA-F]{64}$/.test(body.pubkey))
        throw new MintError(NUT_ERROR.mintQuotePubkeyRequired, 'Invalid pubkey for mint quote');
      pubkey = body.pubkey.toLowerCase();
    }
    if (this.opts.nut20 === 'required' && pubkey === null)
      throw new MintError(NUT_ERROR.mintQuotePubkeyRequired, 'Pubkey required for mint quote');
    const description = typeof body.description === 'string' ? body.description : '';
    const invoice = this.lightning.createInvoice(this.msatFor(amount, unit), description);
    const quote: MintQuote = {
      quote: uuidv7(this.now()),
      request: invoice.bolt11,
      amount,
      unit,
      state: 'UNPAID',
      expiry: invoice.expiresAt,
      pubkey,
      paymentHash: invoice.paymentHash,
    };
    this.mintQuotes.set(quote.quote, quote);
    return quote;
  }

  mintQuote(id: string): MintQuote {
    const q = this.mintQuotes.get(id);
    if (!q) throw badRequest('Quote not found');
    return q;
  }

  private invoicePaid(paymentHash: string): void {
    for (const q of this.mintQuotes.values()) {
      if (q.paymentHash === paymentHash && q.state === 'UNPAID') {
        q.state = 'PAID';
        this.emit({ kind: 'bolt11_mint_quote', id: q.quote, payload: mintQuoteJson(q) });
      }
    }
  }

  mint(
    body: { quote?: unknown; outputs?: unknown; signature?: unknown },
    outputs: WireOutput[],
  ): BlindSignatureJson[] {
    if (typeof body.quote !== 'string') throw badRequest('quote is required');
    const q = this.mintQuote(body.quote);
    if (q.state === 'ISSUED') throw new MintError(NUT_ERROR.quoteIssued, 'Quote has already been issued');
    if (q.state === 'UNPAID') {
      if (q.expiry <= this.nowSec()) throw new MintError(NUT_ERROR.quoteExpired, 'Quote is expired');
      throw new MintError(NUT_ERROR.quoteNotPaid, 'Quote request is not paid');
    }
    if (
      q.pubkey !== null &&
      !verifyMintRequestSignature(q.pubkey, q.quote, outputs, body.signature as string)
    )
      throw new MintError(NUT_ERROR.mintQuoteSignatureInvalid, 'Signature for mint request invalid');
    this.checkNewOutputs(outputs);
    if (this.keysets.unitOf(outputs) !== q.unit)
      throw new MintError(NUT_ERROR.unitMismatch, 'Outputs are not of the quote unit');
    if (sum(outputs) !== q.amount)
      throw new MintError(
        NUT_ERROR.notBalanced,
        `Outputs ${sum(outputs)} do not match the quote ${q.amount}`,
      );
    const signatures = this.signAll(outputs);
    q.state = 'ISSUED';
    this.emit({ kind: 'bolt11_mint_quote', id: q.quote, payload: mintQuoteJson(q) });
    return signatures;
  }

  // ── NUT-05 / NUT-23 / NUT-15 melt ────────────────────────────────────────────────────────

  createMeltQuote(body: { request?: unknown; unit?: unknown; options?: unknown }): MeltQuote {
    const unit = this.checkUnit(body.unit);
    if (typeof body.request !== 'string') throw badRequest('request is required');
    let decoded: ReturnType<MintLightning['decode']>;
    try {
      decoded = this.lightning.decode(body.request);
    } catch (err) {
      throw badRequest(`invalid invoice: ${(err as Error).message}`);
    }
    if (decoded.expiresAt <= this.nowSec()) throw new MintError(NUT_ERROR.quoteExpired, 'Invoice expired');
    const options = (body.options ?? {}) as {
      mpp?: { amount?: unknown };
      amountless?: { amount_msat?: unknown };
    };
    let partMsat: bigint | null = null;
    if (options.mpp !== undefined) {
      if (!this.opts.mpp) throw badRequest('Multi-path payments are not supported');
      const a = options.mpp.amount;
      if (typeof a !== 'number' || !Number.isSafeInteger(a) || a <= 0)
        throw badRequest('mpp amount is msat > 0');
      if (decoded.amountMsat === null || BigInt(a) > decoded.amountMsat)
        throw new MintError(NUT_ERROR.amountMismatch, 'Partial amount exceeds the invoice');
      partMsat = BigInt(a);
    }
    if (decoded.amountMsat === null)
      throw new MintError(NUT_ERROR.amountlessNotSupported, 'Amountless invoice is not supported');
    const msat = partMsat ?? decoded.amountMsat;
    const amount = this.unitFor(msat, unit);
    this.checkLimits(amount);
    // Paying our own invoice settles inside the mint: no routing, no reserve (as nutshell does).
    const reserveMsat = decoded.toSelf ? 0n : maxBig(2000n, msat / 100n);
    const quote: MeltQuote = {
      quote: uuidv7(this.now()),
      request: body.request,
      amount,
      unit,
      fee_reserve: this.unitFor(reserveMsat, unit),
      state: 'UNPAID',
      expiry: Math.min(decoded.expiresAt, this.nowSec() + 3600),
      payment_preimage: null,
      partMsat,
      paymentHash: decoded.paymentHash,
    };
    this.meltQuotes.set(quote.quote, quote);
    return quote;
  }

  meltQuote(id: string): MeltQuote {
    const q = this.meltQuotes.get(id);
    if (!q) throw badRequest('Quote not found');
    return q;
  }

  /**
   * Pays the quote's invoice with the inputs. Answers when Lightning is done, or PENDING if it
   * takes longer than meltWaitMs (or at once when the wallet prefers async): the inputs then stay
   * PENDING until the payment settles or fails. `accepted` runs once the inputs are held.
   */
  async melt(
    body: { quote?: unknown; prefer_async?: unknown },
    inputs: WireProof[],
    blanks: WireOutput[],
    accepted?: () => void,
  ): Promise<MeltQuote> {
    if (typeof body.quote !== 'string') throw badRequest('quote is required');
    const q = this.meltQuote(body.quote);
    if (q.state === 'PAID') throw new MintError(NUT_ERROR.invoiceAlreadyPaid, 'Invoice already paid');
    if (q.state === 'PENDING') throw new MintError(NUT_ERROR.quotePending, 'Quote is pending');
    if (q.expiry <= this.nowSec()) throw new MintError(NUT_ERROR.quoteExpired, 'Quote is expired');
    const ys = this.checkInputs(inputs);
    if (this.keysets.unitOf(inputs) !== q.unit)
      throw new MintError(NUT_ERROR.unitMismatch, 'Inputs are not of the quote unit');
    this.checkNewOutputs(blanks, true);
    if (blanks.length > 0 && this.keysets.unitOf(blanks) !== q.unit)
      throw new MintError(NUT_ERROR.unitMismatch, 'Change outputs are not of the quote unit');
    const fee = this.keysets.inputFee(inputs);
    const provided = sum(inputs) - fee;
    if (provided < q.amount + q.fee_reserve)
      throw new MintError(
        NUT_ERROR.notBalanced,
        `Provided ${provided} (after ${fee} input fee) < needed ${q.amount + q.fee_reserve}`,
      );
    enforceSpendingConditions(inputs, blanks, this.nowSec(), q.quote);
    this.setPending(ys, true);
    q.state = 'PENDING';
    this.emit({ kind: 'bolt11_melt_quote', id: q.quote, payload: meltQuoteJson(q) });
    accepted?.();

    const reserveMsat = this.msatFor(q.fee_reserve, q.unit);
    const payment = this.lightning
      .pay(q.request, { maxFeeMsat: reserveMsat, ...(q.partMsat !== null ? { partMsat: q.partMsat } : {}) })
      .then((outcome) => {
        if (!outcome.ok) {
          this.setPending(ys, false);
          q.state = 'UNPAID';
          this.emit({ kind: 'bolt11_melt_quote', id: q.quote, payload: meltQuoteJson(q) });
          return outcome.reason;
        }
        this.markSpent(inputs, ys);
        q.state = 'PAID';
        q.payment_preimage = outcome.preimage;
        const overpaid = provided - q.amount - this.unitFor(outcome.feeMsat, q.unit);
        if (this.opts.change && overpaid > 0 && blanks.length > 0) {
          const amounts = powersOfTwo(overpaid).slice(0, blanks.length);
          q.change = this.signAll(blanks.slice(0, amounts.length), amounts);
        }
        this.emit({ kind: 'bolt11_melt_quote', id: q.quote, payload: meltQuoteJson(q) });
        return null;
      });
    const wantAsync = this.opts.asyncMelt && body.prefer_async === true;
    const waited = wantAsync
      ? 'pending'
      : await Promise.race([payment, sleep(this.opts.meltWaitMs).then(() => 'pending' as const)]);
    if (waited === 'pending') return q;
    if (typeof waited === 'string')
      throw new MintError(NUT_ERROR.lightningPaymentFailed, `Lightning payment failed: ${waited}`);
    return q;
  }
}

export function mintQuoteJson(q: MintQuote): Record<string, unknown> {
  return {
    quote: q.quote,
    request: q.request,
    amount: q.amount,
    unit: q.unit,
    state: q.state,
    expiry: q.expiry,
    pubkey: q.pubkey,
  };
}

export function meltQuoteJson(q: MeltQuote): Record<string, unknown> {
  return {
    quote: q.quote,
    request: q.request,
    amount: q.amount,
    unit: q.unit,
    fee_reserve: q.fee_reserve,
    state: q.state,
    expiry: q.expiry,
    payment_preimage: q.payment_preimage,
    ...(q.change !== undefined ? { change: q.change } : {}),
  };
}

function sum(items: readonly { amount: number }[]): number {
  return items.reduce((s, i) => s + i.amount, 0);
}

function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}
