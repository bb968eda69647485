import crypto from 'node:crypto';
import * as bitcoin from 'bitcoinjs-lib';
import type { RegtestChain } from '../chain';
import { outputScriptFor } from '../chain';
import type { LightningNetworkPort } from './lightning-port';
import type { Invoice, Payment, Prompt, Store } from './model';
import { newId, requiredConfirmations } from './model';

/**
 * The invoice lifecycle, following BTCPay's InvoiceWatcher: payments arrive from the stack's
 * regtest chain (an address per invoice, watched) or its Lightning network; New → Processing
 * when paid in full, → Settled once the payments are confirmed as the speed policy asks,
 * → Expired at the expiration time (PaidPartial if something came), PaidLate when the rest
 * arrives while still monitored, PaidOver when too much came, Invalid when a processing
 * invoice is not confirmed before monitoring ends.
 */

const ATOMS = 10n ** 12n;
const SATS_PER_BTC = 100_000_000n;

export type InvoiceEventType =
  | 'InvoiceCreated'
  | 'InvoiceReceivedPayment'
  | 'InvoicePaymentSettled'
  | 'InvoiceProcessing'
  | 'InvoiceExpired'
  | 'InvoiceSettled'
  | 'InvoiceInvalid';

export interface InvoiceEvent {
  type: InvoiceEventType;
  invoice: Invoice;
  extra: Record<string, unknown>;
}

export interface EngineDeps {
  chain: RegtestChain;
  lightning: () => LightningNetworkPort | null;
  /** Seconds since the epoch. */
  now: () => number;
  onEvent: (event: InvoiceEvent) => void;
  /** Anything about the invoice changed (for the checkout status websocket). */
  onChanged: (invoice: Invoice) => void;
}

export interface CreateInvoiceParams {
  store: Store;
  amount: bigint | null;
  currency: string;
  rate: bigint;
  metadata: Record<string, unknown>;
  checkout: Record<string, unknown> | null;
  receipt: Record<string, unknown> | null;
  additionalSearchTerms: string[];
}

export interface InvoiceEngine {
  invoices: Map<string, Invoice>;
  create(params: CreateInvoiceParams): Invoice;
  /** Re-reads payments and moves the status on (also run on every chain change and tick). */
  refresh(invoice: Invoice): void;
  /** Test helper: makes the invoice's expiration time now, then refreshes it. */
  expireNow(invoice: Invoice): void;
  tick(): void;
  paidSats(invoice: Invoice): bigint;
  start(): void;
  stop(): void;
}

export function createInvoiceEngine(deps: EngineDeps): InvoiceEngine {
  const invoices = new Map<string, Invoice>();
  const lightningWatches = new Map<string, () => void>();
  let stopChain: (() => void) | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;

  const active = (inv: Invoice): boolean =>
    inv.status === 'New' ||
    inv.status === 'Processing' ||
    (inv.status === 'Expired' && deps.now() < inv.monitoringExpiration);

  const paidSats = (inv: Invoice): bigint =>
    inv.payments.filter((p) => p.status !== 'Invalid').reduce((s, p) => s + p.sats, 0n);

  function chainPayments(inv: Invoice, prompt: Prompt): Payment[] {
    const script = outputScriptFor(prompt.destination);
    const out: Payment[] = [];
    const required = requiredConfirmations(inv.speedPolicy);
    for (const entry of deps.chain.history(prompt.watch)) {
      const hex = deps.chain.transactionHex(entry.tx_hash);
      if (!hex) continue;
      const tx = bitcoin.Transaction.fromHex(hex);
      tx.outs.forEach((o, vout) => {
        if (!Buffer.from(o.script).equals(Buffer.from(script))) return;
        const height = entry.height > 0 ? entry.height : 0;
        const confirmations = height > 0 ? deps.chain.tipHeight - height + 1 : 0;
        const id = `${entry.tx_hash}-${vout}`;
        const known = inv.payments.find((p) => p.id === id);
        out.push({
          id,
          method: 'BTC-CHAIN',
          sats: BigInt(o.value),
          receivedDate: known?.receivedDate ?? deps.now(),
          status: confirmations >= required ? 'Settled' : 'Processing',
          destination: prompt.destination,
          txid: entry.tx_hash,
        });
      });
    }
    return out;
  }

  function refresh(inv: Invoice): void {
    const before = snapshot(inv);
    const chainPrompt = inv.prompts.find((p) => p.method === 'BTC-CHAIN');
    if (chainPrompt && active(inv)) {
      const fresh = chainPayments(inv, chainPrompt);
      const lightning = inv.payments.filter((p) => p.method !== 'BTC-CHAIN');
      const previous = new Map(inv.payments.map((p) => [p.id, p]));
      // A payment that left the chain (replaced, reorganised away) no longer counts.
      const gone = inv.payments
        .filter((p) => p.method === 'BTC-CHAIN' && !fresh.some((f) => f.id === p.id))
        .map((p) => ({ ...p, status: 'Invalid' as const }));
      inv.payments = [...fresh, ...gone, ...lightning];
      for (const p of fresh) {
        const old = previous.get(p.id);
        if (!old) {
          deps.onEvent({
            type: 'InvoiceReceivedPayment',
            invoice: inv,
            extra: {
              afterExpiration: inv.status === 'Expired',
              paymentMethodId: 'BTC-CHAIN',
              payment: paymentJson(inv, p),
            },
          });
        }
        if (p.status === 'Settled' && old?.status !== 'Settled') {
          deps.onEvent({
            type: 'InvoicePaymentSettled',
            invoice: inv,
            extra: {
              afterExpiration: inv.status === 'Expired',
              paymentMethodId: 'BTC-CHAIN',
              payment: paymentJson(inv, p),
            },
          });
        }
      }
    }
    updateStatus(inv);
    if (snapshot(inv) !== before) deps.onChanged(inv);
  }

  function updateStatus(inv: Invoice): void {
    const now = deps.now();
    const paid = paidSats(inv);
    const topUp = inv.amount === null;
    const hasPayment = inv.payments.some((p) => p.status !== 'Invalid');
    const tolerated = (inv.dueSats * BigInt(Math.round((100 - inv.paymentTolerance) * 100))) / 10_000n;
    const underPaid = !topUp && paid < tolerated;
    const overPaid = !topUp && paid > inv.dueSats;

    if (inv.status === 'New' && inv.expirationTime <= now) {
      inv.status = 'Expired';
      const partiallyPaid = inv.additionalStatus === 'PaidPartial';
      deps.onEvent({ type: 'InvoiceExpired', invoice: inv, extra: { partiallyPaid } });
    }
    if (inv.status === 'New' || inv.status === 'Expired') {
      const isPaid = topUp ? hasPayment : !underPaid;
      if (isPaid) {
        if (inv.status === 'New') {
          inv.status = 'Processing';
          if (topUp) {
            inv.additionalStatus = 'None';
            inv.amount = (paid * inv.rate) / SATS_PER_BTC;
            inv.dueSats = paid;
          } else {
            inv.additionalStatus = overPaid ? 'PaidOver' : 'None';
          }
          deps.onEvent({ type: 'InvoiceProcessing', invoice: inv, extra: { overPaid } });
        } else if (inv.additionalStatus !== 'PaidLate') {
          inv.additionalStatus = 'PaidLate';
        }
      }
      if (hasPayment && underPaid && inv.additionalStatus !== 'PaidPartial')
        inv.additionalStatus = 'PaidPartial';
    }
    if (inv.status === 'Processing') {
      if (!underPaid && !overPaid && inv.additionalStatus === 'PaidOver') inv.additionalStatus = 'None';
      if (overPaid && inv.additionalStatus !== 'PaidOver') inv.additionalStatus = 'PaidOver';
      if (underPaid) {
        inv.status = 'New';
        inv.additionalStatus = hasPayment ? 'PaidPartial' : 'None';
      }
    }
    if (inv.status === 'Processing') {
      const confirmed = inv.payments.filter((p) => p.status === 'Settled').reduce((s, p) => s + p.sats, 0n);
      const minimumDue = tolerated - confirmed;
      if (now > inv.monitoringExpiration && minimumDue > 0n) {
        inv.status = 'Invalid';
        deps.onEvent({ type: 'InvoiceInvalid', invoice: inv, extra: { manuallyMarked: false } });
      } else if (minimumDue <= 0n) {
        inv.status = 'Settled';
        deps.onEvent({
          type: 'InvoiceSettled',
          invoice: inv,
          extra: { manuallyMarked: false, overPaid: inv.additionalStatus === 'PaidOver' },
        });
      }
    }
  }

  function watchLightning(inv: Invoice, prompt: Prompt): void {
    const ln = deps.lightning();
    if (!ln) return;
    const unsubscribe = ln.onPaid(prompt.watch, ({ amountMsat }) => {
      lightningWatches.delete(prompt.watch);
      if (!active(inv)) return;
      const payment: Payment = {
        id: prompt.watch,
        method: 'BTC-LN',
        sats: amountMsat / 1000n,
        receivedDate: deps.now(),
        status: 'Settled',
        destination: prompt.destination,
      };
      inv.payments.push(payment);
      const afterExpiration = inv.status === 'Expired';
      deps.onEvent({
        type: 'InvoiceReceivedPayment',
        invoice: inv,
        extra: { afterExpiration, paymentMethodId: 'BTC-LN', payment: paymentJson(inv, payment) },
      });
      deps.onEvent({
        type: 'InvoicePaymentSettled',
        invoice: inv,
        extra: { afterExpiration, paymentMethodId: 'BTC-LN', payment: paymentJson(inv, payment) },
      });
      refresh(inv);
      deps.onChanged(inv);
    });
    lightningWatches.set(prompt.watch, unsubscribe);
  }

  return {
    invoices,
    paidSats,
    create(params) {
      const now = deps.now();
      const checkout = params.checkout ?? {};
      const expirationMinutes =
        typeof checkout['expirationMinutes'] === 'number' ? checkout['expirationMinutes'] : null;
      const monitoringMinutes =
        typeof checkout['monitoringMinutes'] === 'number' ? checkout['monitoringMinutes'] : null;
      const expirationTime =
        now +
        (expirationMinutes !== null ? Math.round(expirationMinutes * 60) : params.store.invoiceExpiration);
      const dueSats = params.amount === null ? 0n : ceilDiv(params.amount * SATS_PER_BTC, params.rate);
      const address = bitcoin.payments.p2wpkh({
        hash: crypto.randomBytes(20),
        network: deps.chain.network,
      }).address as string;
      const prompts: Prompt[] = [];
      const methods = Array.isArray(checkout['paymentMethods'])
        ? (checkout['paymentMethods'] as string[])
        : null;
      const wants = (m: string): boolean => methods === null || methods.includes(m);
      if (wants('BTC-CHAIN')) {
        prompts.push({
          method: 'BTC-CHAIN',
          destination: address,
          watch: deps.chain.scriptHashOfAddress(address),
          activated: true,
        });
      }
      const ln = deps.lightning();
      if (ln && params.store.lightning && wants('BTC-LN')) {
        const description =
          typeof params.metadata['itemDesc'] === 'string' ? params.metadata['itemDesc'] : '';
        const { bolt11, paymentHash } = ln.createInvoice({
          amountMsat: dueSats * 1000n,
          description,
          expirySeconds: Math.max(60, expirationTime - now),
        });
        prompts.push({ method: 'BTC-LN', destination: bolt11, watch: paymentHash, activated: true });
      }
      const invoice: Invoice = {
        id: newId(16),
        storeId: params.store.id,
        amount: params.amount,
        currency: params.currency,
        metadata: params.metadata,
        checkout: params.checkout,
        receipt: params.receipt,
        additionalSearchTerms: params.additionalSearchTerms,
        createdTime: now,
        expirationTime,
        monitoringExpiration:
          expirationTime +
          (monitoringMinutes !== null
            ? Math.round(monitoringMinutes * 60)
            : params.store.monitoringExpiration),
        status: 'New',
        additionalStatus: 'None',
        archived: false,
        speedPolicy:
          typeof checkout['speedPolicy'] === 'string'
            ? (checkout['speedPolicy'] as Invoice['speedPolicy'])
            : params.store.speedPolicy,
        paymentTolerance:
          typeof checkout['paymentTolerance'] === 'number'
            ? checkout['paymentTolerance']
            : params.store.paymentTolerance,
        rate: params.rate,
        dueSats,
        prompts,
        payments: [],
      };
      invoices.set(invoice.id, invoice);
      for (const p of prompts) if (p.method === 'BTC-LN') watchLightning(invoice, p);
      deps.onEvent({ type: 'InvoiceCreated', invoice, extra: {} });
      return invoice;
    },
    refresh,
    expireNow(inv) {
      const now = deps.now();
      if (inv.expirationTime > now) {
        inv.monitoringExpiration = now + (inv.monitoringExpiration - inv.expirationTime);
        inv.expirationTime = now;
      }
      refresh(inv);
    },
    tick() {
      for (const inv of invoices.values()) if (active(inv)) refresh(inv);
    },
    start() {
      stopChain = deps.chain.onChange(() => {
        for (const inv of invoices.values()) if (active(inv)) refresh(inv);
      });
      timer = setInterval(() => this.tick(), 500);
      timer.unref();
    },
    stop() {
      stopChain?.();
      if (timer) clearInterval(timer);
      for (const un of lightningWatches.values()) un();
      lightningWatches.clear();
    },
  };
}

function snapshot(inv: Invoice): string {
  return JSON.stringify([inv.status, inv.additionalStatus, inv.payments], (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v,
  );
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/** A payment as Greenfield shows it: value in the payment method's currency (BTC). */
export function paymentJson(_inv: Invoice, p: Payment): Record<string, unknown> {
  return {
    id: p.id,
    receivedDate: p.receivedDate,
    value: satsToBtc(p.sats),
    fee: '0.00000000',
    status: p.status,
    destination: p.destination,
  };
}

export function satsToBtc(sats: bigint): string {
  const negative = sats < 0n;
  const abs = negative ? -sats : sats;
  const text = `${abs / SATS_PER_BTC}.${(abs % SATS_PER_BTC).toString().padStart(8, '0')}`;
  return negative ? `-${text}` : text;
}

/** Atoms (10^-12) → decimal text with `decimals` places (truncating; callers round first). */
export function atomsToText(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / ATOMS;
  const frac = (abs % ATOMS).toString().padStart(12, '0').slice(0, decimals);
  const text = decimals > 0 ? `${whole}.${frac}` : `${whole}`;
  return negative ? `-${text}` : text;
}

export function textToAtoms(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,12}))?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a decimal: ${text}`);
  const v = BigInt(m[2] ?? '0') * ATOMS + BigInt((m[3] ?? '').padEnd(12, '0'));
  return m[1] === '-' ? -v : v;
}
