import type { Network } from '../../shared/contract/common';

/**
 * What every Lightning backend does: Breez SDK Liquid (embedded, self-custodial), the user's own
 * LND node over REST, or any Nostr Wallet Connect wallet. The Lightning service (journal, restart
 * recovery, the default provider, the bridge) talks only to this interface, so a provider is a
 * translation of its backend and nothing more: no journal, no UI decisions, no retries of its own.
 *
 * Amounts are msat as bigint (sats as number only where a backend speaks sats, converted at the
 * edge). Every failure a provider reports is a LightningError with one of the kinds below, so the
 * user sees the same words whatever the backend.
 */

export type LightningProviderKind = 'breez' | 'lnd' | 'nwc';

/** What a provider can do; the UI offers only these (an NWC wallet may allow only paying, say). */
export type LightningCapability =
  | 'pay-invoice'
  | 'make-invoice'
  | 'lookup'
  | 'list'
  | 'balance'
  | 'bolt12'
  | 'keysend'
  | 'onchain-receive'
  | 'onchain-send'
  | 'refunds'
  | 'notifications';

export interface ProviderInfo {
  kind: LightningProviderKind;
  /** The node's or wallet's name as the backend gives it (LND alias, NWC info, "Breez"). */
  alias: string | null;
  /** Node public key (hex) where there is one (LND, the NWC wallet's service key). */
  pubkey: string | null;
  /** The Bitcoin network the backend runs on; null when it does not say (NWC). */
  network: Network | null;
  capabilities: LightningCapability[];
  /** Block height the backend is synced to, where it says. */
  blockHeight: number | null;
  /** The backend reports itself synced to chain and graph (LND synced_to_chain, Breez Synced). */
  synced: boolean;
}

export interface ProviderBalance {
  /** What can be sent now. */
  spendableMsat: bigint;
  /** What can be received now; null when the backend cannot say (most NWC wallets). */
  receivableMsat: bigint | null;
  pendingSendMsat: bigint;
  pendingReceiveMsat: bigint;
  /** On-chain funds the backend holds (LND wallet balance, Breez's BTC side), sats. */
  onchainSats: number | null;
}

export interface AmountRange {
  minMsat: bigint;
  maxMsat: bigint;
}

export interface PaymentLimits {
  send: AmountRange;
  receive: AmountRange;
  /** Swaps to and from on-chain where the backend has them (Breez). */
  onchainSend?: AmountRange;
  onchainReceive?: AmountRange;
}

/** What to pay: already parsed and checked by shared/lightning/parse.ts. */
export type PayTarget =
  | { kind: 'bolt11'; invoice: string; paymentHash: string; amountMsat: bigint | null }
  | { kind: 'bolt12'; offer: string; amountMsat: bigint | null }
  | { kind: 'onchain'; address: string; amountSats: number };

export interface PayRequest {
  target: PayTarget;
  /** For an invoice or offer without an amount (the user typed it); ignored otherwise. */
  amountMsat?: bigint;
  /** The most the user accepts in fees; the provider refuses (or caps routing) above it. */
  maxFeeMsat?: bigint;
  /** Payer note (BOLT12 payer note, or kept locally for LNURL comments). */
  comment?: string;
}

/** A payment priced and ready, shown to the user before any money moves. */
export interface PreparedPayment {
  target: PayTarget;
  amountMsat: bigint;
  /** An estimate (Breez, a probe) or the fee limit the route may use (LND, NWC). */
  feeMsat: bigint;
  feeIsLimit: boolean;
  /**
   * The backend routes and picks the fee itself and takes no limit from us (NWC): `feeMsat` is
   * then only what the user allowed, and the fee paid is known afterwards.
   */
  feeSetByBackend?: boolean;
  /** Known before sending for BOLT11 (the invoice's hash); after, for offers and swaps. */
  paymentHash: string | null;
  /** Seconds since the epoch after which the target can no longer be paid. */
  expiresAt: number | null;
  /** The backend's own prepare response, handed back unchanged to send() (never shown, never stored). */
  opaque: unknown;
}

export type PaymentState =
  | 'pending'
  | 'succeeded'
  | 'failed'
  /** A swap that failed on the Bitcoin side and can be refunded (Breez). */
  | 'refundable'
  /** A swap whose fees changed and waits for the user to accept the new fee (Breez). */
  | 'waiting-fee-acceptance';

export type LightningFailureKind =
  | 'no-route'
  | 'insufficient-balance'
  | 'expired'
  | 'amount-out-of-limits'
  | 'wrong-network'
  | 'already-paid'
  | 'invoice-invalid'
  | 'timeout'
  | 'unauthorized'
  | 'not-supported'
  | 'quota-exceeded'
  | 'unreachable'
  | 'provider-error';

/** Every provider failure, typed; the service maps kinds to bridge error codes and EN/ES text. */
export class LightningError extends Error {
  constructor(
    readonly kind: LightningFailureKind,
    message: string,
    readonly details?: Record<string, string | number | boolean | null>,
  ) {
    super(message);
    this.name = 'LightningError';
  }
}

export interface LightningPayment {
  paymentHash: string;
  direction: 'incoming' | 'outgoing';
  amountMsat: bigint;
  feeMsat: bigint;
  state: PaymentState;
  /** Seconds since the epoch. */
  createdAt: number;
  settledAt: number | null;
  description: string | null;
  /** The invoice paid or created, where there is one. */
  bolt11: string | null;
  /** Hex, once succeeded (proof of payment). */
  preimage: string | null;
  failure: LightningFailureKind | null;
}

export interface InvoiceRequest {
  /** Absent: any amount (a zero-amount invoice). */
  amountMsat?: bigint;
  description: string;
  /** Seconds the invoice stays payable. */
  expirySeconds?: number;
  /** LNURL-pay and zaps commit to a description hash (BOLT11 `h`) instead of the text. */
  descriptionHash?: string;
}

export interface CreatedInvoice {
  bolt11: string;
  paymentHash: string;
  amountMsat: bigint | null;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** What the provider charges to receive it (Breez swap fee), where it says. */
  feeMsat: bigint | null;
}

/** Receiving to a BTC address through a swap (Breez). */
export interface OnchainReceive {
  address: string;
  /** bitcoin: URI with the amount, to show as a QR. */
  bip21: string;
  feeMsat: bigint;
  /** The swapper's share in percent, on top of `feeMsat`'s fixed part when no amount was set. */
  feeRatePercent?: number | null;
  limits: AmountRange;
}

export interface RefundableSwap {
  swapAddress: string;
  amountSats: number;
  /** Seconds since the epoch. */
  createdAt: number;
  /** A refund already broadcast (a new one with a higher fee replaces it). */
  lastRefundTxid?: string | null;
}

export type ProviderEvent =
  | { type: 'payment'; payment: LightningPayment }
  | { type: 'synced' }
  | { type: 'connection'; state: 'connected' | 'connecting' | 'disconnected'; error: string | null };

export interface LightningProvider {
  readonly kind: LightningProviderKind;
  /** Connects (or re-checks) and says who it is; throws LightningError('unreachable' | 'unauthorized' ...). */
  connect(): Promise<ProviderInfo>;
  disconnect(): Promise<void>;
  info(): Promise<ProviderInfo>;
  balance(): Promise<ProviderBalance>;
  limits(): Promise<PaymentLimits>;
  /** Prices a payment; moves no money. */
  preparePayment(request: PayRequest): Promise<PreparedPayment>;
  /**
   * Sends it. Resolves with the first definite state the backend gives (succeeded or failed), or
   * 'pending' when it is still in flight; later changes arrive as `payment` events.
   */
  sendPayment(prepared: PreparedPayment): Promise<LightningPayment>;
  createInvoice(request: InvoiceRequest): Promise<CreatedInvoice>;
  /** The backend's view of one payment or invoice by hash; null when it never heard of it. */
  lookupPayment(paymentHash: string): Promise<LightningPayment | null>;
  /** Newest first. */
  listPayments(options: { limit: number; offset: number }): Promise<LightningPayment[]>;
  onEvent(listener: (event: ProviderEvent) => void): () => void;
  /** Optional: backends with swaps (Breez). */
  receiveOnchain?(amountSats?: number): Promise<OnchainReceive>;
  listRefundables?(): Promise<RefundableSwap[]>;
  /** What a refund would cost at this fee rate; moves nothing. */
  prepareRefund?(
    swapAddress: string,
    toAddress: string,
    feeRateSatPerVb: number,
  ): Promise<{ feeSats: number; txVsize: number }>;
  refund?(swapAddress: string, toAddress: string, feeRateSatPerVb: number): Promise<{ txid: string }>;
  /** A swap waiting for the user to accept changed fees: what it would pay now. */
  feeQuote?(paymentHash: string): Promise<{ feeMsat: bigint; amountMsat: bigint }>;
  acceptFee?(paymentHash: string): Promise<void>;
  /**
   * A sent payment journaled before its hash was known (a swap to a Bitcoin address), found by
   * its destination after a restart. null: not there; undefined: this backend cannot tell.
   */
  lookupByDestination?(destination: string, sinceSec: number): Promise<LightningPayment | null | undefined>;
}
