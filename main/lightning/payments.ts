import { randomUUID } from 'node:crypto';
import type { HDKey } from '@scure/bip32';
import type {
  LightningPaymentView,
  Network,
  ParsedPaymentView,
  PreparedLightningPayment,
} from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { ParsedPayment } from '../../shared/lightning/parse';
import { parsePaymentInput } from '../../shared/lightning/parse';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { DEFINITE_FAILURES, FAILURE_CODE, failureKindOf, toFlashError } from './errors';
import type { Journal, JournalRow, StoredSuccessAction } from './journal';
import { lnurlLogin } from './lnurl/auth';
import type { LnurlGet } from './lnurl/http';
import type { LnurlPayParams } from './lnurl/pay';
import { requestPayInvoice } from './lnurl/pay';
import type { ResolvedLnurl } from './lnurl/resolve';
import { resolveLnurl } from './lnurl/resolve';
import type { SuccessAction } from './lnurl/responses';
import type { LnurlWithdrawParams } from './lnurl/withdraw';
import type { PayTarget, PreparedPayment } from './provider';
import type { LiveProvider, ProviderManager } from './providers';
import { applyProviderState } from './reconcile';
import { paymentView } from './views';

/**
 * Paying: what the pay box understood (parse), priced and shown (prepare), then sent (confirm).
 * The journal row is written before sendPayment is called; a payment whose outcome is unclear
 * (the node timed out, the connection dropped) stays pending and is looked up, never resent.
 */

/** A prepared payment lives this long; past it the user starts again from the pay box. */
export const PREPARED_TTL_MS = 15 * 60_000;

/**
 * Routing fee limit when the user sets none: 1% of the amount, at least 10 sats. Small payments
 * need a floor (a 100-sat payment through two hops costs a few sats in base fees).
 */
export function defaultFeeLimitMsat(amountMsat: bigint): bigint {
  const onePercent = amountMsat / 100n;
  return onePercent > 10_000n ? onePercent : 10_000n;
}

interface PreparedEntry {
  id: string;
  createdAt: number;
  providerId: string;
  prepared: PreparedPayment;
  amountMsat: bigint;
  feeLimitMsat: bigint;
  description: string | null;
  counterparty: string | null;
  bolt11: string | null;
  expiresAt: number | null;
  origin: string;
  comment: string | null;
  successAction: StoredSuccessAction | null;
}

export interface PaymentsDeps {
  journal: Journal;
  providers: ProviderManager;
  get: LnurlGet;
  network(): Network;
  bus: EventBus;
  log: Logger;
  now(): number;
  /** BIP32 root of the active wallet's words (LNURL-auth); throws when there are none. */
  walletRoot(): HDKey;
}

export interface PayRequestInput {
  text: string;
  providerId?: string;
  amountMsat?: bigint;
  comment?: string;
  maxFeeMsat?: bigint;
  /** Who asked: 'user' (the pay box), 'nwc:<app>', 'zap'… shown in activity. */
  origin?: string;
  /** NIP-57: extra LNURL callback parameters and the hash the invoice must commit to. */
  lnurlExtra?: { params: Record<string, string>; descriptionHash: string };
}

function storedAction(a: SuccessAction | null): StoredSuccessAction | null {
  if (!a) return null;
  return a.tag === 'aes' ? { ...a, plaintext: null } : a;
}

export function createPayments(deps: PaymentsDeps) {
  const prepared = new Map<string, PreparedEntry>();
  const nowSec = () => Math.floor(deps.now() / 1000);
  const emit = (row: JournalRow): void => deps.bus.emit('lightning.payment', paymentView(row));

  function prune(): void {
    for (const [id, e] of prepared) if (deps.now() - e.createdAt > PREPARED_TTL_MS) prepared.delete(id);
  }

  function parse(text: string): ParsedPayment {
    return parsePaymentInput(text, { network: deps.network(), now: nowSec() });
  }

  async function resolve(p: ParsedPayment): Promise<ResolvedLnurl | null> {
    if (p.kind === 'lnurl') return resolveLnurl(deps.get, { lnurl: p.lnurl });
    if (p.kind === 'lightning-address') return resolveLnurl(deps.get, { address: p.address });
    return null;
  }

  function payView(params: LnurlPayParams): ParsedPaymentView {
    return {
      kind: 'lnurl-pay',
      address: params.address,
      pay: {
        domain: params.domain,
        minSendableMsat: params.minSendableMsat.toString(),
        maxSendableMsat: params.maxSendableMsat.toString(),
        description: params.metadata.description,
        longDescription: params.metadata.longDescription,
        image: params.metadata.image,
        commentAllowed: params.commentAllowed,
        identifier: params.metadata.identifier ?? params.address,
      },
    };
  }

  function withdrawView(params: LnurlWithdrawParams): ParsedPaymentView {
    return {
      kind: 'lnurl-withdraw',
      withdraw: {
        domain: params.domain,
        defaultDescription: params.defaultDescription,
        minWithdrawableMsat: params.minWithdrawableMsat.toString(),
        maxWithdrawableMsat: params.maxWithdrawableMsat.toString(),
      },
    };
  }

  /** Refuses a hash the journal has in flight or paid, before the user even sees a preview. */
  function checkNotPaid(paymentHash: string): void {
    const row = deps.journal.byHash('outgoing', paymentHash);
    if (row?.state === 'succeeded')
      throw new FlashError('LIGHTNING_ALREADY_PAID', 'This invoice was already paid.', { paymentId: row.id });
    if (row && row.state !== 'failed')
      throw new FlashError('LIGHTNING_PAYMENT_IN_FLIGHT', 'A payment of this invoice is in progress.', {
        paymentId: row.id,
      });
  }

  async function priceWith(
    live: LiveProvider,
    target: PayTarget,
    amountMsat: bigint,
    feeLimit: bigint,
    comment: string | undefined,
  ): Promise<PreparedPayment> {
    try {
      return await live.provider.preparePayment({
        target,
        amountMsat,
        maxFeeMsat: feeLimit,
        ...(comment ? { comment } : {}),
      });
    } catch (err) {
      throw toFlashError(err);
    }
  }

  function remember(entry: Omit<PreparedEntry, 'id' | 'createdAt'>): PreparedLightningPayment {
    prune();
    const id = randomUUID();
    prepared.set(id, { ...entry, id, createdAt: deps.now() });
    return {
      prepareId: id,
      providerId: entry.providerId,
      amountMsat: entry.amountMsat.toString(),
      feeMsat: entry.prepared.feeMsat.toString(),
      feeIsLimit: entry.prepared.feeIsLimit,
      description: entry.description,
      payee: entry.counterparty,
      paymentHash: entry.prepared.paymentHash,
      expiresAt: entry.expiresAt,
      comment: entry.comment,
    };
  }

  async function prepareBolt11(
    live: LiveProvider,
    invoice: Extract<ParsedPayment, { kind: 'bolt11' }>['invoice'],
    input: PayRequestInput,
    extra: {
      counterparty?: string;
      comment?: string | null;
      successAction?: StoredSuccessAction | null;
      origin?: string;
    },
  ): Promise<PreparedLightningPayment> {
    if (!live.info?.capabilities.includes('pay-invoice'))
      throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'This Lightning connection cannot pay.', {
        providerId: live.row.id,
      });
    if (invoice.expiresAt <= nowSec()) throw new FlashError('LIGHTNING_EXPIRED', 'This invoice has expired.');
    checkNotPaid(invoice.paymentHash);
    const amountMsat = invoice.amountMsat ?? input.amountMsat;
    if (amountMsat === undefined || amountMsat <= 0n)
      throw new FlashError('LIGHTNING_AMOUNT_REQUIRED', 'This invoice has no amount.');
    const feeLimit = input.maxFeeMsat ?? defaultFeeLimitMsat(amountMsat);
    const target: PayTarget = {
      kind: 'bolt11',
      invoice: invoice.paymentRequest,
      paymentHash: invoice.paymentHash,
      amountMsat: invoice.amountMsat,
    };
    const priced = await priceWith(live, target, amountMsat, feeLimit, input.comment);
    return remember({
      providerId: live.row.id,
      prepared: priced,
      amountMsat,
      feeLimitMsat: feeLimit,
      description: invoice.description,
      counterparty: extra.counterparty ?? invoice.payeeNodeKey,
      bolt11: invoice.paymentRequest,
      expiresAt: invoice.expiresAt,
      origin: extra.origin ?? input.origin ?? 'user',
      comment: extra.comment ?? null,
      successAction: extra.successAction ?? null,
    });
  }

  async function prepareLnurlPay(
    live: LiveProvider,
    params: LnurlPayParams,
    input: PayRequestInput,
  ): Promise<PreparedLightningPayment> {
    const amountMsat = input.amountMsat;
    if (amountMsat === undefined)
      throw new FlashError('LIGHTNING_AMOUNT_REQUIRED', 'Choose an amount within the service’s range.');
    const { invoice, successAction } = await requestPayInvoice(deps.get, params, {
      amountMsat,
      network: deps.network(),
      ...(input.comment ? { comment: input.comment } : {}),
      ...(input.lnurlExtra
        ? { extraParams: input.lnurlExtra.params, expectedDescriptionHash: input.lnurlExtra.descriptionHash }
        : {}),
    });
    const view = await prepareBolt11(
      live,
      invoice,
      { ...input, amountMsat },
      {
        counterparty: params.address ?? params.domain,
        comment: input.comment ?? null,
        successAction: storedAction(successAction),
        origin: input.origin ?? 'lnurl',
      },
    );
    // The invoice commits to a hash; what the user reads is the metadata's text.
    const entry = prepared.get(view.prepareId);
    if (entry) entry.description = params.metadata.description;
    return { ...view, description: params.metadata.description };
  }

  /** Journal rows whose sendPayment call is under way in this process. */
  const sendingNow = new Set<string>();

  async function confirm(prepareId: string): Promise<LightningPaymentView> {
    prune();
    const entry = prepared.get(prepareId);
    if (!entry) throw new FlashError('LIGHTNING_PREPARED_NOT_FOUND', 'This payment preview is gone.');
    prepared.delete(prepareId);
    if (entry.expiresAt !== null && entry.expiresAt <= nowSec())
      throw new FlashError('LIGHTNING_EXPIRED', 'This invoice has expired.');
    const live = deps.providers.require(entry.providerId);
    // The journal first: from here on a crash leaves a row that start-up will look up.
    const id = deps.journal.beginSend({
      id: randomUUID(),
      paymentHash: entry.prepared.paymentHash,
      direction: 'outgoing',
      providerId: live.row.id,
      providerKind: live.row.kind,
      network: deps.network(),
      state: 'sending',
      amountMsat: entry.amountMsat,
      feeLimitMsat: entry.feeLimitMsat,
      bolt11: entry.bolt11,
      description: entry.description,
      counterparty: entry.counterparty,
      origin: entry.origin,
      comment: entry.comment,
      successAction: entry.successAction,
      createdAt: nowSec(),
      expiresAt: entry.expiresAt,
    });
    emit(deps.journal.get(id) as JournalRow);
    let row: JournalRow;
    sendingNow.add(id);
    try {
      const result = await live.provider.sendPayment(entry.prepared);
      const applied = applyProviderState(deps.journal, deps.journal.get(id) as JournalRow, result, nowSec());
      row = applied.row;
      if (applied.changed) emit(row);
    } catch (err) {
      const kind = failureKindOf(err);
      const current = deps.journal.get(id) as JournalRow;
      if (kind !== null && DEFINITE_FAILURES.has(kind)) {
        row = deps.journal.update(id, { state: 'failed', failure: kind, settledAt: nowSec() });
        emit(row);
        throw toFlashError(err);
      }
      // Unclear whether it left: ask the provider, never send again.
      deps.log.warn('payment outcome unclear; looking it up', { id, code: toFlashError(err).code });
      row = await lookUp(live, current, true);
      if (row.state === 'sending') row = deps.journal.update(id, { state: 'pending' });
    } finally {
      sendingNow.delete(id);
    }
    if (row.state === 'failed')
      throw new FlashError(
        row.failure ? FAILURE_CODE[row.failure] : 'LIGHTNING_PROVIDER_ERROR',
        'The payment failed.',
        {
          paymentId: row.id,
        },
      );
    return paymentView(row);
  }

  /**
   * Asks the provider about one journal row and applies the answer; errors leave it as it is. A
   * row this process is sending right now is left alone (unless the send itself asks): the
   * provider may not know the payment yet, and "never heard of it" would mark it failed, which
   * would let the same invoice be paid again while the first payment is still on its way.
   */
  async function lookUp(live: LiveProvider, row: JournalRow, fromSend = false): Promise<JournalRow> {
    if (sendingNow.has(row.id) && !fromSend) return row;
    try {
      // A payment journaled before its hash was known (a swap to a Bitcoin address) is found by
      // its destination; where the backend cannot tell (undefined), the row is left as it is.
      const found =
        row.paymentHash !== null
          ? await live.provider.lookupPayment(row.paymentHash)
          : await live.provider.lookupByDestination?.(row.counterparty ?? '', row.createdAt - 60);
      if (found === undefined) return row;
      const result = applyProviderState(deps.journal, row, found, nowSec());
      if (result.changed) emit(result.row);
      return result.row;
    } catch (err) {
      deps.log.warn('payment lookup failed', { id: row.id, code: toFlashError(err).code });
      return row;
    }
  }

  return {
    parse,

    /** The pay box: parse offline, then (LNURL, addresses) ask the service what it offers. */
    async describe(text: string): Promise<ParsedPaymentView> {
      const p = parse(text);
      switch (p.kind) {
        case 'bolt11':
          return {
            kind: 'bolt11',
            invoice: p.invoice.paymentRequest,
            paymentHash: p.invoice.paymentHash,
            amountMsat: p.invoice.amountMsat === null ? null : p.invoice.amountMsat.toString(),
            description: p.invoice.description,
            descriptionHash: p.invoice.descriptionHash,
            payee: p.invoice.payeeNodeKey,
            createdAt: p.invoice.timestamp,
            expiresAt: p.invoice.expiresAt,
            expired: p.expired,
            onchain: p.onchain,
          };
        case 'bolt12':
          return {
            kind: 'bolt12',
            offer: p.offer.offer,
            amountMsat:
              p.offer.currency === null && p.offer.amount !== null ? p.offer.amount.toString() : null,
            currency: p.offer.currency,
            currencyAmount:
              p.offer.currency !== null && p.offer.amount !== null ? p.offer.amount.toString() : null,
            description: p.offer.description,
            issuer: p.offer.issuer,
            expiresAt: p.offer.absoluteExpiry,
            onchain: p.onchain,
          };
        case 'onchain':
          return {
            kind: 'onchain',
            address: p.address?.address ?? null,
            amountSats: p.amountSats,
            uri: text.trim(),
          };
        default: {
          const resolved = (await resolve(p)) as ResolvedLnurl;
          if (resolved.kind === 'pay') return payView(resolved.params);
          if (resolved.kind === 'withdraw') return withdrawView(resolved.params);
          return {
            kind: 'lnurl-auth',
            auth: { domain: resolved.target.domain, action: resolved.target.action },
          };
        }
      }
    },

    async prepare(input: PayRequestInput): Promise<PreparedLightningPayment> {
      const p = parse(input.text);
      const live = deps.providers.require(input.providerId);
      switch (p.kind) {
        case 'bolt11':
          return prepareBolt11(live, p.invoice, input, {});
        case 'bolt12': {
          if (!live.info?.capabilities.includes('bolt12'))
            throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'This Lightning connection cannot pay offers.', {
              providerId: live.row.id,
            });
          const amountMsat =
            p.offer.currency === null && p.offer.amount !== null ? p.offer.amount : input.amountMsat;
          if (amountMsat === undefined)
            throw new FlashError('LIGHTNING_AMOUNT_REQUIRED', 'This offer has no amount in bitcoin.');
          const feeLimit = input.maxFeeMsat ?? defaultFeeLimitMsat(amountMsat);
          const priced = await priceWith(
            live,
            {
              kind: 'bolt12',
              offer: p.offer.offer,
              amountMsat: p.offer.currency === null ? p.offer.amount : null,
            },
            amountMsat,
            feeLimit,
            input.comment,
          );
          return remember({
            providerId: live.row.id,
            prepared: priced,
            amountMsat,
            feeLimitMsat: feeLimit,
            description: p.offer.description,
            counterparty: p.offer.issuer ?? p.offer.issuerId,
            bolt11: null,
            expiresAt: p.offer.absoluteExpiry,
            origin: input.origin ?? 'user',
            comment: input.comment ?? null,
            successAction: null,
          });
        }
        case 'onchain':
          throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'This is an on-chain payment: use Send.', {
            what: 'onchain',
          });
        default: {
          const resolved = (await resolve(p)) as ResolvedLnurl;
          if (resolved.kind !== 'pay')
            throw new FlashError('LNURL_UNSUPPORTED', 'This LNURL does not take payments.', {
              what: resolved.kind,
            });
          return prepareLnurlPay(live, resolved.params, input);
        }
      }
    },

    confirm,
    lookUp,

    /** LUD-03: what the withdraw link offers (the service then pays an invoice of ours). */
    async resolveWithdraw(text: string): Promise<LnurlWithdrawParams> {
      const p = parse(text);
      const resolved = await resolve(p);
      if (!resolved || resolved.kind !== 'withdraw')
        throw new FlashError('LNURL_UNSUPPORTED', 'This is not an LNURL-withdraw.', {
          what: resolved?.kind ?? p.kind,
        });
      return resolved.params;
    },

    async auth(text: string): Promise<{ domain: string; linkingKey: string }> {
      const p = parse(text);
      if (p.kind !== 'lnurl' || p.lnurl.tag !== 'login')
        throw new FlashError('LNURL_UNSUPPORTED', 'This is not an LNURL login.', { what: p.kind });
      const root = deps.walletRoot();
      const { linkingKey } = await lnurlLogin(deps.get, p.lnurl, root);
      return { domain: p.lnurl.domain, linkingKey };
    },
  };
}

export type Payments = ReturnType<typeof createPayments>;
