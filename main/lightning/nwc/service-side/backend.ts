import type {
  CreatedInvoice,
  InvoiceRequest,
  LightningPayment,
  ProviderBalance,
  ProviderInfo,
} from '../../provider';

/** Who asked, so the Lightning service journals it and activity shows the app's name. */
export interface NwcOrigin {
  kind: 'nwc';
  connectionId: string;
  appName: string;
}

/** A payment priced by the default provider and journaled on confirm. */
export interface NwcPreparedPay {
  paymentHash: string;
  amountMsat: bigint;
  /** What the budget holds back for fees until the payment settles. */
  feeReserveMsat: bigint;
  description: string | null;
  /** Journals the payment through the Lightning service, then sends it. */
  confirm(): Promise<LightningPayment>;
}

/**
 * What Flash's NWC service needs from the Lightning service: its default provider, with every
 * payment journaled there (before the network call) and named by the app that asked. The NWC
 * service never talks to a provider itself.
 */
export interface NwcBackend {
  info(): Promise<ProviderInfo>;
  balance(): Promise<ProviderBalance>;
  /** Parses the invoice (the shared parser: network, signature, expiry) and prices it. */
  preparePay(input: { invoice: string; amountMsat?: bigint; origin: NwcOrigin }): Promise<NwcPreparedPay>;
  createInvoice(request: InvoiceRequest, origin: NwcOrigin): Promise<CreatedInvoice>;
  /** The journal's (or the provider's) view of one payment or invoice. */
  lookup(paymentHash: string): Promise<LightningPayment | null>;
  /** Every payment update of the default provider (settled invoices, finished payments). */
  onPayment(listener: (payment: LightningPayment) => void): () => void;
}
