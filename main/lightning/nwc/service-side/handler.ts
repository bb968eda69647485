import { isFlashError } from '../../../../shared/errors';
import type { Logger } from '../../../core/logger';
import type { LightningPayment } from '../../provider';
import { LightningError } from '../../provider';
import type { NwcErrorCode } from '../errors';
import { lightningToNwcCode } from '../errors';
import { isNwcMethod } from '../messages';
import type { NwcBackend, NwcOrigin } from './backend';
import { checkBudget } from './budget';
import type { NwcConnectionRow, NwcPaymentRow, NwcServiceStore } from './store';

export type NwcAnswer = { result: unknown } | { error: { code: NwcErrorCode; message: string } };

export interface NwcHandlerDeps {
  store: NwcServiceStore;
  backend: () => NwcBackend | null;
  log: Logger;
  nowSec(): number;
  /** How long pay_invoice waits for a payment still in flight before answering. */
  payWaitMs?: number;
}

const fail = (code: NwcErrorCode, message: string): NwcAnswer => ({ error: { code, message } });
const MAX_MSAT = Number.MAX_SAFE_INTEGER;

/** A non-negative integer msat amount from JSON, or null. */
function msatParam(v: unknown): bigint | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_MSAT ? BigInt(v) : null;
}

/** A row of ours as a NIP-47 transaction (payments made and invoices made through this connection). */
function transactionOf(row: NwcPaymentRow, live: LightningPayment | null) {
  const state = live?.state ?? row.state;
  return {
    type: row.direction,
    state:
      state === 'succeeded'
        ? 'settled'
        : state === 'failed'
          ? row.direction === 'incoming'
            ? 'expired'
            : 'failed'
          : 'pending',
    invoice: row.invoice,
    ...(row.description ? { description: row.description } : {}),
    ...(live?.preimage ? { preimage: live.preimage } : {}),
    payment_hash: row.paymentHash,
    amount: Number(live?.amountMsat ?? row.amountMsat),
    fees_paid: Number(live?.feeMsat ?? row.feeMsat),
    created_at: row.createdAt,
    ...(live?.settledAt ? { settled_at: live.settledAt } : {}),
  };
}

/**
 * Answers one request of one connection: checks the connection may still be used and may call
 * the method, keeps pay_invoice within the budget (reserved in the same transaction that checked
 * it), and goes through the Lightning service for everything else. Pure of relays and crypto.
 */
export function createNwcHandler(deps: NwcHandlerDeps) {
  const { store, log } = deps;

  const backendOrFail = (): NwcBackend => {
    const b = deps.backend();
    if (!b) throw new LightningError('unreachable', 'Flash has no Lightning wallet connected.');
    return b;
  };

  const asAnswer = (err: unknown, method: string): NwcAnswer => {
    if (err instanceof LightningError) return fail(lightningToNwcCode(err), err.message);
    if (isFlashError(err)) {
      // The parser's and the service's codes: a bad invoice is the app's error, the rest ours.
      const code: NwcErrorCode =
        err.code === 'LIGHTNING_NO_PROVIDER'
          ? 'INTERNAL'
          : err.code === 'LIGHTNING_INSUFFICIENT_BALANCE'
            ? 'INSUFFICIENT_BALANCE'
            : err.code === 'LIGHTNING_ALREADY_PAID' || err.code === 'LIGHTNING_EXPIRED'
              ? 'PAYMENT_FAILED'
              : 'OTHER';
      return fail(code, err.message);
    }
    log.warn('nwc service: a request failed', {
      method,
      error: err instanceof Error ? err.message : String(err),
    });
    return fail('INTERNAL', 'Internal error.');
  };

  const waitForOutcome = (backend: NwcBackend, paymentHash: string): Promise<LightningPayment | null> =>
    new Promise((resolve) => {
      const off = backend.onPayment((p) => {
        if (p.paymentHash !== paymentHash || p.direction !== 'outgoing' || p.state === 'pending') return;
        clearTimeout(timer);
        off();
        resolve(p);
      });
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, deps.payWaitMs ?? 60_000);
      timer.unref?.();
    });

  const payInvoice = async (
    c: NwcConnectionRow,
    requestId: string,
    params: Record<string, unknown>,
  ): Promise<NwcAnswer> => {
    const invoice = params.invoice;
    if (typeof invoice !== 'string' || invoice.length === 0 || invoice.length > 8192)
      return fail('OTHER', 'invoice is required');
    const amount =
      params.amount === undefined || params.amount === null ? undefined : msatParam(params.amount);
    if (amount === null) return fail('OTHER', 'amount must be a whole number of msats');
    const backend = backendOrFail();
    const origin: NwcOrigin = { kind: 'nwc', connectionId: c.id, appName: c.name };
    const prepared = await backend.preparePay({
      invoice,
      ...(amount !== undefined ? { amountMsat: amount } : {}),
      origin,
    });
    const earlier = store.ownPayment(c.id, prepared.paymentHash);
    if (earlier && earlier.direction === 'outgoing' && earlier.state !== 'failed') {
      if (earlier.state === 'pending') return fail('OTHER', 'This invoice is already being paid.');
      const done = await backend.lookup(prepared.paymentHash);
      if (done?.preimage) return { result: { preimage: done.preimage, fees_paid: Number(done.feeMsat) } };
      return fail('PAYMENT_FAILED', 'This invoice was already paid.');
    }
    const nowSec = deps.nowSec();
    const verdict = store.reserve(
      {
        connectionId: c.id,
        paymentHash: prepared.paymentHash,
        direction: 'outgoing',
        requestEventId: requestId,
        invoice,
        description: prepared.description,
        amountMsat: prepared.amountMsat,
        feeMsat: prepared.feeReserveMsat,
        state: 'pending',
        createdAt: nowSec,
      },
      (spends) =>
        checkBudget({
          budgetSats: c.budgetSats,
          period: c.budgetPeriod,
          spends,
          amountMsat: prepared.amountMsat,
          feeReserveMsat: prepared.feeReserveMsat,
          nowSec,
        }),
    );
    if (!verdict.ok) {
      const left = verdict.remainingMsat / 1000n;
      return fail(
        'QUOTA_EXCEEDED',
        `This payment needs ${verdict.neededMsat / 1000n} sats with fees; ${left} sats of this ${c.budgetPeriod}'s budget are left.`,
      );
    }
    let payment: LightningPayment;
    try {
      payment = await prepared.confirm();
    } catch (err) {
      store.settle(c.id, prepared.paymentHash, 'outgoing', 'failed', 0n);
      throw err;
    }
    if (payment.state === 'pending')
      payment = (await waitForOutcome(backend, prepared.paymentHash)) ?? payment;
    if (payment.state === 'succeeded') {
      store.settle(c.id, prepared.paymentHash, 'outgoing', 'succeeded', payment.feeMsat);
      if (!payment.preimage)
        return fail('INTERNAL', 'The payment succeeded but the wallet gave no preimage.');
      return { result: { preimage: payment.preimage, fees_paid: Number(payment.feeMsat) } };
    }
    if (payment.state === 'failed') {
      store.settle(c.id, prepared.paymentHash, 'outgoing', 'failed', 0n);
      const code = payment.failure === 'insufficient-balance' ? 'INSUFFICIENT_BALANCE' : 'PAYMENT_FAILED';
      return fail(code, `The payment failed${payment.failure ? `: ${payment.failure}` : ''}.`);
    }
    // Still in flight: the reserve stays; lookup_invoice tells the outcome later.
    return fail('OTHER', 'The payment is still in flight; ask lookup_invoice for its outcome.');
  };

  const makeInvoice = async (
    c: NwcConnectionRow,
    requestId: string,
    params: Record<string, unknown>,
  ): Promise<NwcAnswer> => {
    const amount = msatParam(params.amount);
    if (amount === null) return fail('OTHER', 'amount (msats) is required');
    const description = typeof params.description === 'string' ? params.description.slice(0, 639) : '';
    const descriptionHash =
      typeof params.description_hash === 'string' && /^[0-9a-f]{64}$/i.test(params.description_hash)
        ? params.description_hash.toLowerCase()
        : undefined;
    const expiry =
      typeof params.expiry === 'number' && Number.isSafeInteger(params.expiry) && params.expiry > 0
        ? params.expiry
        : undefined;
    const backend = backendOrFail();
    const created = await backend.createInvoice(
      {
        ...(amount > 0n ? { amountMsat: amount } : {}),
        description,
        ...(descriptionHash ? { descriptionHash } : {}),
        ...(expiry ? { expirySeconds: Math.min(expiry, 7 * 86_400) } : {}),
      },
      { kind: 'nwc', connectionId: c.id, appName: c.name },
    );
    const row: NwcPaymentRow = {
      connectionId: c.id,
      paymentHash: created.paymentHash,
      direction: 'incoming',
      requestEventId: requestId,
      invoice: created.bolt11,
      description: descriptionHash ? null : description,
      amountMsat: amount,
      feeMsat: 0n,
      state: 'pending',
      createdAt: deps.nowSec(),
    };
    store.recordIncoming(row);
    return {
      result: {
        ...transactionOf(row, null),
        ...(descriptionHash ? { description_hash: descriptionHash } : {}),
        expires_at: created.expiresAt,
      },
    };
  };

  const lookupInvoice = async (c: NwcConnectionRow, params: Record<string, unknown>): Promise<NwcAnswer> => {
    let hash = typeof params.payment_hash === 'string' ? params.payment_hash.toLowerCase() : null;
    if (!hash && typeof params.invoice === 'string') {
      const byInvoice = store.paymentsOfConnection(c.id, 10_000, 0).find((r) => r.invoice === params.invoice);
      hash = byInvoice?.paymentHash ?? null;
    }
    // An app sees only what it paid or asked to receive, never the rest of the wallet.
    const row = hash ? store.ownPayment(c.id, hash) : null;
    if (!row) return fail('NOT_FOUND', 'invoice not found');
    const live = await backendOrFail().lookup(row.paymentHash);
    return { result: transactionOf(row, live) };
  };

  const listTransactions = async (
    c: NwcConnectionRow,
    params: Record<string, unknown>,
  ): Promise<NwcAnswer> => {
    const limit =
      typeof params.limit === 'number' && Number.isSafeInteger(params.limit)
        ? Math.min(Math.max(params.limit, 0), 50)
        : 20;
    const offset =
      typeof params.offset === 'number' && Number.isSafeInteger(params.offset)
        ? Math.max(params.offset, 0)
        : 0;
    const from = typeof params.from === 'number' ? params.from : 0;
    const until = typeof params.until === 'number' ? params.until : Number.MAX_SAFE_INTEGER;
    const unpaid = params.unpaid === true;
    const type = params.type === 'incoming' || params.type === 'outgoing' ? params.type : null;
    const rows = store
      .paymentsOfConnection(c.id, 10_000, 0)
      .filter((r) => (unpaid || r.state === 'succeeded') && (!type || r.direction === type))
      .filter((r) => r.createdAt >= from && r.createdAt <= until)
      .slice(offset, offset + limit);
    return { result: { transactions: rows.map((r) => transactionOf(r, null)) } };
  };

  return {
    /** Whether a connection may be used now (not revoked, not past its expiry). */
    usable(c: NwcConnectionRow): boolean {
      return c.revokedAt === null && (c.expiresAt === null || c.expiresAt > deps.nowSec());
    },
    async handle(
      c: NwcConnectionRow,
      requestId: string,
      method: string,
      params: Record<string, unknown>,
    ): Promise<NwcAnswer> {
      if (!this.usable(c)) return fail('UNAUTHORIZED', 'This connection was revoked or has expired.');
      if (!isNwcMethod(method)) return fail('NOT_IMPLEMENTED', `${method.slice(0, 64)} is not implemented`);
      if (!c.methods.includes(method)) return fail('RESTRICTED', `This connection may not use ${method}.`);
      try {
        switch (method) {
          case 'get_info': {
            const info = await backendOrFail().info();
            return {
              result: {
                alias: info.alias ?? 'Flash',
                color: '#f7931a',
                pubkey: info.pubkey ?? '',
                network: info.network ?? 'mainnet',
                block_height: info.blockHeight ?? 0,
                block_hash: '',
                methods: c.methods,
                notifications: ['payment_received', 'payment_sent'],
              },
            };
          }
          case 'get_balance': {
            // An app with a budget sees what it may still spend, not the whole wallet.
            const b = await backendOrFail().balance();
            const left = checkBudget({
              budgetSats: c.budgetSats,
              period: c.budgetPeriod,
              spends: store.spends(c.id),
              amountMsat: 0n,
              feeReserveMsat: 0n,
              nowSec: deps.nowSec(),
            });
            const balance = b.spendableMsat < left.remainingMsat ? b.spendableMsat : left.remainingMsat;
            return { result: { balance: Number(balance) } };
          }
          case 'pay_invoice':
            return await payInvoice(c, requestId, params);
          case 'make_invoice':
            return await makeInvoice(c, requestId, params);
          case 'lookup_invoice':
            return await lookupInvoice(c, params);
          case 'list_transactions':
            return await listTransactions(c, params);
        }
      } catch (err) {
        return asAnswer(err, method);
      }
    },
  };
}

export type NwcHandler = ReturnType<typeof createNwcHandler>;
