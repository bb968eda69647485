import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { Network } from '../../../shared/contract/common';
import type { Bolt11Invoice } from '../../../shared/lightning/bolt11';
import { createBolt11, decodeBolt11 } from '../../../shared/lightning/bolt11';
import { toHex } from '../../../shared/lightning/words';

/**
 * One fake Lightning network shared by every stand-in (the LND REST server, the NWC wallet, the
 * Breez fake, the LNURL server, later the Cashu mint and BTCPay). Each stand-in owns a node here;
 * an invoice made by one node and paid by another settles across this ledger, so a payment from
 * the app's LND to the LNURL server's address moves balances on both sides, with fees.
 *
 * It is not a channel simulator: a node has one balance in msat, every pair of distinct nodes is
 * "connected", and routing costs the fee schedule. What it is faithful to is what wallets see:
 * real BOLT11 invoices (bech32, every tagged field, signed by the node's key), preimages revealed
 * only on success, payments that stay in flight, and the failures a real network gives.
 */

export type LedgerFailure =
  | 'no-route'
  | 'insufficient-balance'
  | 'expired'
  | 'already-paid'
  /** In flight too long, then failed (LND FAILURE_REASON_TIMEOUT). */
  | 'timeout'
  /** Wrong amount for the invoice, unknown hash at the payee, or a canceled invoice. */
  | 'incorrect-payment-details'
  | 'wrong-network';

/**
 * How a node misbehaves when it pays:
 * - `no-route`: every payment fails with no-route (the node has no usable channels);
 * - `stuck-then-fail`: payments stay in flight for `stuckMs`, then fail with timeout;
 * - `expire-mid-pay`: payments stay in flight until the invoice expires, then fail expired.
 */
export type LedgerFault = 'none' | 'no-route' | 'stuck-then-fail' | 'expire-mid-pay';
export const LEDGER_FAULTS = ['none', 'no-route', 'stuck-then-fail', 'expire-mid-pay'] as const;

export interface FeeSchedule {
  baseMsat: bigint;
  /** Proportional fee, parts per million of the amount. */
  ppm: bigint;
}

export interface LedgerNode {
  name: string;
  /** Compressed secp256k1 public key, hex: the node id in its invoices. */
  pubkey: string;
  alias: string;
}

export type InvoiceState = 'open' | 'settled' | 'canceled';

export interface LedgerInvoice {
  node: string;
  bolt11: string;
  paymentHash: string;
  /** Kept by the payee's node; a payer learns it only when the payment succeeds. */
  preimage: string;
  paymentSecret: string;
  amountMsat: bigint | null;
  description: string | null;
  descriptionHash: string | null;
  /** Seconds since the epoch. */
  createdAt: number;
  expiresAt: number;
  state: InvoiceState;
  amountPaidMsat: bigint;
  settledAt: number | null;
  /** Increments with each invoice the node makes (LND add_index / settle_index). */
  addIndex: number;
  settleIndex: number;
}

export type PaymentState = 'in-flight' | 'succeeded' | 'failed';

export interface LedgerPayment {
  /** Index per paying node, from 1 (LND payment_index). */
  index: number;
  from: string;
  /** Payee node name; null when the payee is not on this ledger. */
  to: string | null;
  bolt11: string;
  paymentHash: string;
  amountMsat: bigint;
  feeMsat: bigint;
  state: PaymentState;
  failure: LedgerFailure | null;
  preimage: string | null;
  createdAt: number;
  settledAt: number | null;
}

export type LedgerEvent =
  | { type: 'invoice-created'; invoice: LedgerInvoice }
  | { type: 'invoice-settled'; invoice: LedgerInvoice }
  | { type: 'invoice-canceled'; invoice: LedgerInvoice }
  | { type: 'payment-updated'; payment: LedgerPayment };

export interface CreateInvoiceOptions {
  amountMsat?: bigint | null;
  /** Exactly one of description and descriptionHash (hex); neither means an empty description. */
  description?: string;
  descriptionHash?: string;
  expirySeconds?: number;
  /** Hex; random when absent. */
  preimage?: string;
  minFinalCltvExpiry?: number;
  /** Write the `n` field. */
  includePayeeKey?: boolean;
  /** BOLT #9 feature bits; default var_onion_optin, payment_secret, basic_mpp (optional). */
  features?: number[];
}

export interface PayOptions {
  /** Only for an invoice without an amount. */
  amountMsat?: bigint;
  /** Most the payer accepts in routing fees; default: no limit. */
  maxFeeMsat?: bigint;
  /**
   * Pay only this part of an invoice with an amount: one path of a multi-part payment (BOLT #4
   * basic_mpp; what CLN's `pay partial_msat` does). Refused unless the invoice sets basic_mpp.
   */
  partialMsat?: bigint;
}

export interface LedgerOptions {
  network?: Network;
  fees?: FeeSchedule;
  /** Milliseconds since the epoch; injectable so tests can expire invoices. */
  now?: () => number;
  /** How long an ordinary payment stays in flight before it settles. */
  settleDelayMs?: number;
  /** How long `stuck-then-fail` keeps a payment in flight. */
  stuckMs?: number;
  /**
   * How long the payee holds the parts of an incomplete multi-part payment before failing them
   * all (BOLT #4: at least 60 s after the first part, the default here).
   */
  mppTimeoutMs?: number;
}

/** A payment refused before it was even in flight (LND answers these as an RPC error). */
export class LedgerPayError extends Error {
  constructor(
    readonly failure: LedgerFailure,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerPayError';
  }
}

interface NodeState {
  node: LedgerNode;
  privateKey: Uint8Array;
  balanceMsat: bigint;
  /** Outgoing amount + fee held per payment hash while it is in flight. */
  reserved: Map<string, bigint>;
  fault: LedgerFault;
  invoices: Map<string, LedgerInvoice>;
  payments: Map<string, LedgerPayment>;
  nextAddIndex: number;
  nextSettleIndex: number;
  nextPaymentIndex: number;
  listeners: Set<(event: LedgerEvent) => void>;
  /** Parts of multi-part payments held as payee, per payment hash, until they sum to the invoice. */
  htlcSets: Map<string, HtlcSet>;
}

/** BOLT #4's HTLC set: the parts received for one payment hash, and the timer that fails them. */
interface HtlcSet {
  parts: { payer: NodeState; payment: LedgerPayment }[];
  timer: NodeJS.Timeout;
}

/** BOLT #9 basic_mpp (16 compulsory, 17 optional): the payee accepts a payment in several parts. */
function allowsMpp(features: readonly number[]): boolean {
  return features.includes(16) || features.includes(17);
}

export const DEFAULT_FEES: FeeSchedule = { baseMsat: 1000n, ppm: 1000n };

/** The same test key every run for the same node name, so stack node ids are stable. */
export function testNodeKey(name: string): Uint8Array {
  let key = sha256(new TextEncoder().encode(`flash test lightning node ${name}`));
  while (!secp256k1.utils.isValidSecretKey(key)) key = sha256(key);
  return key;
}

export class LightningLedger {
  readonly network: Network;
  readonly fees: FeeSchedule;
  private readonly now: () => number;
  private readonly settleDelayMs: number;
  private readonly stuckMs: number;
  private readonly mppTimeoutMs: number;
  private readonly nodes = new Map<string, NodeState>();
  private readonly byPubkey = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(opts: LedgerOptions = {}) {
    this.network = opts.network ?? 'regtest';
    this.fees = opts.fees ?? DEFAULT_FEES;
    this.now = opts.now ?? (() => Date.now());
    this.settleDelayMs = opts.settleDelayMs ?? 30;
    this.stuckMs = opts.stuckMs ?? 3000;
    this.mppTimeoutMs = opts.mppTimeoutMs ?? 60_000;
  }

  /** Seconds since the epoch on the ledger's clock. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  createNode(name: string, opts: { alias?: string; balanceMsat?: bigint } = {}): LedgerNode {
    if (!/^[a-z0-9][a-z0-9-]{0,31}$/.test(name)) throw new Error(`bad node name "${name}"`);
    if (this.nodes.has(name)) throw new Error(`node "${name}" exists`);
    const privateKey = testNodeKey(name);
    const node: LedgerNode = {
      name,
      pubkey: toHex(secp256k1.getPublicKey(privateKey, true)),
      alias: opts.alias ?? name,
    };
    this.nodes.set(name, {
      node,
      privateKey,
      balanceMsat: opts.balanceMsat ?? 0n,
      reserved: new Map(),
      fault: 'none',
      invoices: new Map(),
      payments: new Map(),
      nextAddIndex: 1,
      nextSettleIndex: 1,
      nextPaymentIndex: 1,
      listeners: new Set(),
      htlcSets: new Map(),
    });
    this.byPubkey.set(node.pubkey, name);
    return node;
  }

  hasNode(name: string): boolean {
    return this.nodes.has(name);
  }

  node(name: string): LedgerNode {
    return this.state(name).node;
  }

  listNodes(): LedgerNode[] {
    return [...this.nodes.values()].map((s) => s.node);
  }

  /** The node's secret key: stand-ins that sign as the node (e.g. LND signmessage) need it. */
  privateKey(name: string): Uint8Array {
    return this.state(name).privateKey;
  }

  fund(name: string, msat: bigint): bigint {
    if (msat <= 0n) throw new Error('fund a positive amount');
    const s = this.state(name);
    s.balanceMsat += msat;
    return s.balanceMsat;
  }

  /** What the node could send now, and what is held by payments in flight. */
  balance(name: string): { balanceMsat: bigint; spendableMsat: bigint; reservedMsat: bigint } {
    const s = this.state(name);
    const reservedMsat = this.reservedOf(s);
    return { balanceMsat: s.balanceMsat, spendableMsat: s.balanceMsat - reservedMsat, reservedMsat };
  }

  setFault(name: string, fault: LedgerFault): void {
    this.state(name).fault = fault;
  }

  fault(name: string): LedgerFault {
    return this.state(name).fault;
  }

  /** Routing fee between two nodes; nothing to pay oneself. */
  feeFor(amountMsat: bigint, from: string, to: string | null): bigint {
    if (to === from) return 0n;
    return this.fees.baseMsat + (amountMsat * this.fees.ppm) / 1_000_000n;
  }

  createInvoice(name: string, opts: CreateInvoiceOptions = {}): LedgerInvoice {
    const s = this.state(name);
    const preimage = opts.preimage ?? toHex(randomBytes(32));
    const preimageBytes = Buffer.from(preimage, 'hex');
    if (preimageBytes.length !== 32) throw new Error('preimage is 32 bytes of hex');
    const paymentHash = sha256(preimageBytes);
    const paymentSecret = randomBytes(32);
    const createdAt = this.nowSeconds();
    const expirySeconds = opts.expirySeconds ?? 3600;
    if (opts.description !== undefined && opts.descriptionHash !== undefined)
      throw new Error('give a description or its hash, not both');
    const bolt11 = createBolt11(
      {
        network: this.network,
        amountMsat: opts.amountMsat ?? null,
        timestamp: createdAt,
        paymentHash,
        paymentSecret,
        ...(opts.descriptionHash !== undefined
          ? { descriptionHash: Buffer.from(opts.descriptionHash, 'hex') }
          : { description: opts.description ?? '' }),
        expirySeconds,
        minFinalCltvExpiry: opts.minFinalCltvExpiry ?? 80,
        includePayeeKey: opts.includePayeeKey ?? false,
        ...(opts.features !== undefined ? { features: opts.features } : {}),
      },
      s.privateKey,
    );
    const invoice: LedgerInvoice = {
      node: name,
      bolt11,
      paymentHash: toHex(paymentHash),
      preimage,
      paymentSecret: toHex(paymentSecret),
      amountMsat: opts.amountMsat ?? null,
      description: opts.descriptionHash !== undefined ? null : (opts.description ?? ''),
      descriptionHash: opts.descriptionHash ?? null,
      createdAt,
      expiresAt: createdAt + expirySeconds,
      state: 'open',
      amountPaidMsat: 0n,
      settledAt: null,
      addIndex: s.nextAddIndex++,
      settleIndex: 0,
    };
    if (s.invoices.has(invoice.paymentHash)) throw new Error('an invoice with this preimage exists');
    s.invoices.set(invoice.paymentHash, invoice);
    this.emit(s, { type: 'invoice-created', invoice });
    return invoice;
  }

  /** The invoice's state, made current: an open invoice past its expiry is canceled. */
  lookupInvoice(name: string, paymentHash: string): LedgerInvoice | null {
    const s = this.state(name);
    const invoice = s.invoices.get(paymentHash.toLowerCase()) ?? null;
    if (invoice) this.expireIfDue(s, invoice);
    return invoice;
  }

  /** Oldest first, like LND's add_index order. */
  listInvoices(name: string): LedgerInvoice[] {
    const s = this.state(name);
    const all = [...s.invoices.values()];
    for (const invoice of all) this.expireIfDue(s, invoice);
    return all.sort((a, b) => a.addIndex - b.addIndex);
  }

  lookupPayment(name: string, paymentHash: string): LedgerPayment | null {
    return this.state(name).payments.get(paymentHash.toLowerCase()) ?? null;
  }

  /** Oldest first. */
  listPayments(name: string): LedgerPayment[] {
    return [...this.state(name).payments.values()].sort((a, b) => a.index - b.index);
  }

  /** Decodes and checks the invoice is for this ledger's network (what a node does first). */
  decode(bolt11: string): Bolt11Invoice {
    const invoice = decodeBolt11(bolt11);
    if (invoice.network !== this.network)
      throw new LedgerPayError('wrong-network', `invoice is for ${invoice.network}, not ${this.network}`);
    return invoice;
  }

  /**
   * Starts paying: checks what a node checks before sending (decodable, right network, not
   * expired, not already paid by this node, enough balance, a route), throwing LedgerPayError
   * for those; otherwise returns the payment in flight and settles it a moment later (or keeps
   * it stuck, per the node's fault). Watch `subscribe` or `waitForPayment` for the outcome.
   */
  startPayment(from: string, bolt11: string, opts: PayOptions = {}): LedgerPayment {
    const s = this.state(from);
    let decoded: Bolt11Invoice;
    try {
      decoded = this.decode(bolt11);
    } catch (err) {
      if (err instanceof LedgerPayError) throw err;
      throw new LedgerPayError('incorrect-payment-details', `invalid invoice: ${(err as Error).message}`);
    }
    const hash = decoded.paymentHash;
    const previous = s.payments.get(hash);
    if (previous?.state === 'succeeded') throw new LedgerPayError('already-paid', 'invoice is already paid');
    if (previous?.state === 'in-flight') throw new LedgerPayError('already-paid', 'payment is in transition');
    if (decoded.expiresAt <= this.nowSeconds()) throw new LedgerPayError('expired', 'invoice expired');
    let amount: bigint;
    const partial = opts.partialMsat !== undefined;
    if (opts.partialMsat !== undefined) {
      if (decoded.amountMsat === null || opts.amountMsat !== undefined)
        throw new LedgerPayError(
          'incorrect-payment-details',
          'a partial payment is a part of an invoice amount, not of an amountless invoice',
        );
      if (opts.partialMsat <= 0n || opts.partialMsat > decoded.amountMsat)
        throw new LedgerPayError(
          'incorrect-payment-details',
          'the partial amount must be positive and at most the invoice amount',
        );
      if (!allowsMpp(decoded.features))
        throw new LedgerPayError(
          'incorrect-payment-details',
          'the invoice does not allow multi-part payments (no basic_mpp feature)',
        );
      amount = opts.partialMsat;
    } else if (decoded.amountMsat === null) {
      if (opts.amountMsat === undefined || opts.amountMsat <= 0n)
        throw new LedgerPayError(
          'incorrect-payment-details',
          'amount must be specified when paying a zero amount invoice',
        );
      amount = opts.amountMsat;
    } else {
      if (opts.amountMsat !== undefined && opts.amountMsat !== decoded.amountMsat)
        throw new LedgerPayError(
          'incorrect-payment-details',
          'amount must not be specified when paying a non-zero amount invoice',
        );
      amount = decoded.amountMsat;
    }
    const to = this.byPubkey.get(decoded.payeeNodeKey) ?? null;
    const fee = this.feeFor(amount, from, to);
    const payment: LedgerPayment = {
      index: previous?.index ?? s.nextPaymentIndex++,
      from,
      to,
      bolt11: decoded.paymentRequest,
      paymentHash: hash,
      amountMsat: amount,
      feeMsat: 0n,
      state: 'in-flight',
      failure: null,
      preimage: null,
      createdAt: this.nowSeconds(),
      settledAt: null,
    };
    // Reasons a real node finds only by trying routes: the payment is in flight, then fails.
    let failure: LedgerFailure | null = null;
    if (to === null || s.fault === 'no-route') failure = 'no-route';
    else if (opts.maxFeeMsat !== undefined && fee > opts.maxFeeMsat) failure = 'no-route';
    else if (s.balanceMsat - this.reservedOf(s) < amount + fee) failure = 'insufficient-balance';
    s.payments.set(hash, payment);
    if (failure === null) {
      payment.feeMsat = fee;
      s.reserved.set(hash, amount + fee);
    }
    this.emit(s, { type: 'payment-updated', payment: { ...payment } });
    const finish = (): void => this.finishPayment(s, payment, decoded, failure, partial);
    if (failure === null && s.fault === 'stuck-then-fail') {
      this.later(this.stuckMs, () => this.failPayment(s, payment, 'timeout'));
    } else if (failure === null && s.fault === 'expire-mid-pay') {
      const untilExpiry = Math.max(0, decoded.expiresAt * 1000 - this.now());
      this.later(untilExpiry + 10, () => this.failPayment(s, payment, 'expired'));
    } else {
      this.later(this.settleDelayMs, finish);
    }
    return { ...payment };
  }

  /** Pays and waits for the final state (succeeded or failed). */
  async pay(from: string, bolt11: string, opts: PayOptions = {}): Promise<LedgerPayment> {
    const started = this.startPayment(from, bolt11, opts);
    return this.waitForPayment(from, started.paymentHash);
  }

  /** Resolves once the node's payment for this hash is no longer in flight. */
  waitForPayment(from: string, paymentHash: string): Promise<LedgerPayment> {
    const current = this.lookupPayment(from, paymentHash);
    if (current && current.state !== 'in-flight') return Promise.resolve({ ...current });
    return new Promise((resolve) => {
      const stop = this.subscribe(from, (event) => {
        if (event.type !== 'payment-updated' || event.payment.paymentHash !== paymentHash) return;
        if (event.payment.state === 'in-flight') return;
        stop();
        resolve(event.payment);
      });
    });
  }

  /** Events of one node (its invoices and its payments); returns the unsubscribe function. */
  subscribe(name: string, listener: (event: LedgerEvent) => void): () => void {
    const s = this.state(name);
    s.listeners.add(listener);
    return () => s.listeners.delete(listener);
  }

  /** Cancels pending timers (payments in flight stay in flight). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** The parts the payee holds for this hash, not yet summing to the invoice (msat). */
  heldPartsMsat(payee: string, paymentHash: string): bigint {
    const set = this.state(payee).htlcSets.get(paymentHash.toLowerCase());
    return set ? set.parts.reduce((sum, p) => sum + p.payment.amountMsat, 0n) : 0n;
  }

  private finishPayment(
    s: NodeState,
    payment: LedgerPayment,
    decoded: Bolt11Invoice,
    failure: LedgerFailure | null,
    partial: boolean,
  ): void {
    if (failure) return this.failPayment(s, payment, failure);
    const payee = payment.to !== null ? this.nodes.get(payment.to) : undefined;
    const invoice = payee?.invoices.get(payment.paymentHash);
    if (!payee || !invoice) return this.failPayment(s, payment, 'incorrect-payment-details');
    this.expireIfDue(payee, invoice);
    if (invoice.state === 'settled') return this.failPayment(s, payment, 'already-paid');
    if (invoice.state === 'canceled' || invoice.expiresAt <= this.nowSeconds())
      return this.failPayment(s, payment, 'expired');
    if (invoice.paymentSecret !== decoded.paymentSecret)
      return this.failPayment(s, payment, 'incorrect-payment-details');
    if (partial && invoice.amountMsat !== null) return this.receivePart(payee, invoice, s, payment);
    // BOLT #4: the payee accepts at least the invoice amount (up to twice it).
    if (invoice.amountMsat !== null && payment.amountMsat < invoice.amountMsat)
      return this.failPayment(s, payment, 'incorrect-payment-details');
    this.settle(payee, invoice, [{ payer: s, payment }]);
  }

  /**
   * BOLT #4 basic_mpp at the payee: a part joins the HTLC set of its hash; the set is fulfilled
   * once its parts sum to the invoice amount, and failed whole if it is still short when the
   * MPP timeout fires. A part that would take the set past the amount is refused on its own.
   */
  private receivePart(payee: NodeState, invoice: LedgerInvoice, payer: NodeState, part: LedgerPayment): void {
    const total = invoice.amountMsat as bigint;
    let set = payee.htlcSets.get(invoice.paymentHash);
    const held = set ? set.parts.reduce((sum, p) => sum + p.payment.amountMsat, 0n) : 0n;
    if (held + part.amountMsat > total) return this.failPayment(payer, part, 'incorrect-payment-details');
    if (!set) {
      const hash = invoice.paymentHash;
      const timer = this.later(this.mppTimeoutMs, () => {
        const timedOut = payee.htlcSets.get(hash);
        if (!timedOut) return;
        payee.htlcSets.delete(hash);
        for (const p of timedOut.parts) this.failPayment(p.payer, p.payment, 'timeout');
      });
      set = { parts: [], timer };
      payee.htlcSets.set(hash, set);
    }
    set.parts.push({ payer, payment: part });
    if (held + part.amountMsat < total) return;
    this.dropHtlcSet(payee, invoice.paymentHash);
    this.settle(payee, invoice, set.parts);
  }

  /** Fulfils every part at once: the payee learns the full amount, each payer the preimage. */
  private settle(
    payee: NodeState,
    invoice: LedgerInvoice,
    parts: readonly { payer: NodeState; payment: LedgerPayment }[],
  ): void {
    const at = this.nowSeconds();
    let received = 0n;
    for (const { payer, payment } of parts) {
      payer.reserved.delete(payment.paymentHash);
      payer.balanceMsat -= payment.amountMsat + payment.feeMsat;
      payee.balanceMsat += payment.amountMsat;
      received += payment.amountMsat;
      payment.state = 'succeeded';
      payment.preimage = invoice.preimage;
      payment.settledAt = at;
    }
    invoice.state = 'settled';
    invoice.amountPaidMsat = received;
    invoice.settledAt = at;
    invoice.settleIndex = payee.nextSettleIndex++;
    this.emit(payee, { type: 'invoice-settled', invoice: { ...invoice } });
    for (const { payer, payment } of parts)
      this.emit(payer, { type: 'payment-updated', payment: { ...payment } });
    // Parts held for an invoice that another payment settled can never complete.
    const stale = payee.htlcSets.get(invoice.paymentHash);
    if (stale) {
      this.dropHtlcSet(payee, invoice.paymentHash);
      for (const p of stale.parts) this.failPayment(p.payer, p.payment, 'already-paid');
    }
  }

  private dropHtlcSet(payee: NodeState, paymentHash: string): void {
    const set = payee.htlcSets.get(paymentHash);
    if (!set) return;
    clearTimeout(set.timer);
    this.timers.delete(set.timer);
    payee.htlcSets.delete(paymentHash);
  }

  private failPayment(s: NodeState, payment: LedgerPayment, failure: LedgerFailure): void {
    if (payment.state !== 'in-flight') return;
    s.reserved.delete(payment.paymentHash);
    payment.state = 'failed';
    payment.failure = failure;
    payment.feeMsat = 0n;
    payment.settledAt = this.nowSeconds();
    this.emit(s, { type: 'payment-updated', payment: { ...payment } });
  }

  private reservedOf(s: NodeState): bigint {
    let sum = 0n;
    for (const held of s.reserved.values()) sum += held;
    return sum;
  }

  private expireIfDue(s: NodeState, invoice: LedgerInvoice): void {
    if (invoice.state === 'open' && invoice.expiresAt <= this.nowSeconds()) {
      invoice.state = 'canceled';
      this.emit(s, { type: 'invoice-canceled', invoice: { ...invoice } });
    }
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
    return t;
  }

  private emit(s: NodeState, event: LedgerEvent): void {
    for (const listener of [...s.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not stop the others or the ledger.
      }
    }
  }

  private state(name: string): NodeState {
    const s = this.nodes.get(name);
    if (!s) throw new Error(`no node "${name}"`);
    return s;
  }
}
