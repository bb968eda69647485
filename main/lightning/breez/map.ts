import { createHash } from 'node:crypto';
import type { Payment, PaymentDetails, SdkEvent } from '@breeztech/breez-sdk-liquid/node';
import { decodeBolt11 } from '../../../shared/lightning/bolt11';
import type { LightningFailureKind, LightningPayment, PaymentState, ProviderEvent } from '../provider';
import { LightningError } from '../provider';

/**
 * Breez SDK Liquid's payments, events and errors in the provider's words. Pure functions: the
 * provider and the tests share them.
 */

/**
 * The key a Breez payment is journaled under. The journal keys payments by a 32-byte hash;
 * Lightning swaps have the invoice's payment hash, but swaps to and from a Bitcoin address (and
 * offers, whose invoice is only fetched when paying) have only the swapper's swap id, so those are
 * keyed by a hash of the swap id: stable across events, lookups and restarts.
 */
export function swapKey(swapId: string): string {
  return createHash('sha256').update(`flash/breez/swap/${swapId}`).digest('hex');
}

export function paymentKey(p: Payment): string | null {
  const d = p.details;
  if (d.type === 'lightning') {
    if (d.bolt12Offer === undefined && d.paymentHash) return d.paymentHash.toLowerCase();
    return swapKey(d.swapId);
  }
  if (d.type === 'bitcoin') return swapKey(d.swapId);
  // A direct Liquid payment (from another Breez wallet): its transaction id is 32 bytes of hex.
  return p.txId && /^[0-9a-f]{64}$/i.test(p.txId) ? p.txId.toLowerCase() : null;
}

export function swapIdOf(details: PaymentDetails): string | null {
  return details.type === 'lightning' || details.type === 'bitcoin' ? details.swapId : null;
}

/** An invoice whose expiry passed: why an outgoing Lightning swap failed, when it did. */
function invoiceExpired(bolt11: string | undefined, nowSec: number): boolean {
  if (!bolt11) return false;
  try {
    return decodeBolt11(bolt11).expiresAt <= nowSec;
  } catch {
    return false;
  }
}

function stateOf(p: Payment): PaymentState {
  switch (p.status) {
    case 'complete':
      return 'succeeded';
    case 'failed':
    case 'timedOut':
      return 'failed';
    case 'refundable':
      return 'refundable';
    case 'waitingFeeAcceptance':
      return 'waiting-fee-acceptance';
    case 'refundPending':
      // The refund transaction is out but unconfirmed: the money is on its way back, still open.
      return 'pending';
    default: {
      // A Lightning receive whose claim transaction is broadcast is paid for the payer: the
      // swapper could only release the funds because the preimage was revealed. Waiting for the
      // Liquid confirmation would show "Paid" a minute late for no safety gained.
      const d = p.details;
      if (p.paymentType === 'receive' && d.type === 'lightning' && d.claimTxId) return 'succeeded';
      return 'pending';
    }
  }
}

function failureOf(p: Payment, nowSec: number): LightningFailureKind | null {
  if (p.status === 'timedOut') return 'timeout';
  if (p.status !== 'failed') return null;
  const d = p.details;
  if (p.paymentType === 'send' && d.type === 'lightning' && invoiceExpired(d.invoice, nowSec))
    return 'expired';
  return 'provider-error';
}

export function toLightningPayment(p: Payment, nowSec: number): LightningPayment | null {
  const key = paymentKey(p);
  if (key === null) return null;
  const d = p.details;
  const state = stateOf(p);
  const final = state === 'succeeded' || state === 'failed';
  return {
    paymentHash: key,
    direction: p.paymentType === 'send' ? 'outgoing' : 'incoming',
    amountMsat: BigInt(p.amountSat) * 1000n,
    feeMsat: BigInt(p.feesSat) * 1000n,
    state,
    createdAt: p.timestamp,
    settledAt: final ? p.timestamp : null,
    description: d.description === '' ? null : d.description,
    bolt11: d.type === 'lightning' ? (d.invoice ?? null) : null,
    preimage: d.type === 'lightning' ? (d.preimage ?? null) : null,
    failure: failureOf(p, nowSec),
  };
}

/** The SDK's events as provider events; null for the ones the service has no use for. */
export function toProviderEvent(e: SdkEvent, nowSec: number): ProviderEvent | null {
  switch (e.type) {
    case 'synced':
      return { type: 'synced' };
    case 'syncFailed':
    case 'dataSynced':
      return null;
    default: {
      const payment = toLightningPayment(e.details, nowSec);
      return payment ? { type: 'payment', payment } : null;
    }
  }
}

/**
 * The SDK throws plain Errors whose text is its Rust error's Display (`PaymentError`, `SdkError`
 * in breez-sdk-liquid's lib/core/src/error.rs); the kind is read from that text. Anything not
 * recognised is a provider error, which the service treats as "unclear": looked up, never resent.
 */
const RULES: readonly [RegExp, LightningFailureKind][] = [
  [/not enough funds|insufficient/i, 'insufficient-balance'],
  [/Amount must be between/i, 'amount-out-of-limits'],
  [/Invalid network|network .* is not currently supported/i, 'wrong-network'],
  [/invoice .*expired|expired invoice|The provided fees have expired/i, 'expired'],
  [
    /The specified invoice is not valid|Destination is not valid|Unrecognized input|Amount is missing/i,
    'invoice-invalid',
  ],
  [/already been sent|already been claimed|already in progress|already paid/i, 'already-paid'],
  [/self-transfer/i, 'not-supported'],
  [/API key|api_key|unauthori[sz]ed/i, 'unauthorized'],
  [/has been refunded/i, 'no-route'],
  [/Payment start could not be verified|timed? ?out/i, 'timeout'],
  [
    /Could not contact servers|Service connectivity|error sending request|instance is not running|could not connect|connection refused/i,
    'unreachable',
  ],
];

export function toLightningError(err: unknown): LightningError {
  if (err instanceof LightningError) return err;
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : 'unknown error';
  const kind = RULES.find(([re]) => re.test(message))?.[1] ?? 'provider-error';
  // The SDK's text may quote an invoice or address; never a secret (it never holds the words as text).
  return new LightningError(kind, message.slice(0, 300));
}
