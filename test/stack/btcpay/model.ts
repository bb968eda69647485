import crypto from 'node:crypto';

/** The stand-in's records: what a BTCPay server keeps for the endpoints it serves. */

export type InvoiceStatus = 'New' | 'Processing' | 'Expired' | 'Invalid' | 'Settled';
export type AdditionalStatus = 'None' | 'PaidLate' | 'PaidPartial' | 'Marked' | 'Invalid' | 'PaidOver';
export type PaymentStatus = 'Invalid' | 'Processing' | 'Settled';
export type SpeedPolicy = 'HighSpeed' | 'MediumSpeed' | 'LowMediumSpeed' | 'LowSpeed';
export type PaymentMethodId = 'BTC-CHAIN' | 'BTC-LN';

export interface User {
  id: string;
  email: string;
}

export interface ApiKey {
  apiKey: string;
  label: string;
  userId: string;
  permissions: string[];
}

export interface Store {
  id: string;
  name: string;
  ownerId: string;
  defaultCurrency: string;
  invoiceExpiration: number;
  monitoringExpiration: number;
  displayExpirationTimer: number;
  speedPolicy: SpeedPolicy;
  paymentTolerance: number;
  onChainWithLnInvoiceFallback: boolean;
  lightningAmountInSatoshi: boolean;
  /** Which payment methods the store has set up. */
  lightning: boolean;
  /** BTC_XXX → decimal string. */
  rates: Map<string, string>;
}

export interface PosItem {
  id: string;
  title: string;
  description?: string;
  categories?: string[];
  image?: string;
  priceType: 'Fixed' | 'Topup' | 'Minimum';
  price: string | null;
  inventory: number | null;
  disabled: boolean;
  taxRate?: string | null;
  buyButtonText?: string;
}

export interface PosApp {
  id: string;
  storeId: string;
  appName: string;
  created: number;
  title: string;
  currency: string;
  description: string;
  items: PosItem[];
  defaultView: 'Static' | 'Cart' | 'Light' | 'Print';
  showCustomAmount: boolean;
  showDiscount: boolean;
  showSearch: boolean;
  showCategories: boolean;
  enableTips: boolean;
  customTipPercentages: number[];
  archived: boolean;
}

export interface Payment {
  id: string;
  method: PaymentMethodId;
  /** Sats for on-chain, msat for Lightning. */
  sats: bigint;
  receivedDate: number;
  status: PaymentStatus;
  destination: string;
  /** On-chain: the funding transaction. */
  txid?: string;
}

export interface Prompt {
  method: PaymentMethodId;
  destination: string;
  /** On-chain: script hash watched on the chain; Lightning: the payment hash. */
  watch: string;
  activated: boolean;
}

export interface Invoice {
  id: string;
  storeId: string;
  /** Atoms of the invoice currency (10^-12); null for a top-up invoice. */
  amount: bigint | null;
  currency: string;
  metadata: Record<string, unknown>;
  checkout: Record<string, unknown> | null;
  receipt: Record<string, unknown> | null;
  additionalSearchTerms: string[];
  createdTime: number;
  expirationTime: number;
  monitoringExpiration: number;
  status: InvoiceStatus;
  additionalStatus: AdditionalStatus;
  archived: boolean;
  speedPolicy: SpeedPolicy;
  paymentTolerance: number;
  /** Price of 1 BTC in the invoice currency, atoms. */
  rate: bigint;
  /** What is due in sats at creation. */
  dueSats: bigint;
  prompts: Prompt[];
  payments: Payment[];
}

export interface Payout {
  id: string;
  revision: number;
  pullPaymentId: string;
  date: number;
  destination: string;
  originalCurrency: string;
  originalAmount: string;
  payoutCurrency: string;
  payoutAmount: string | null;
  payoutMethodId: string;
  state: 'AwaitingApproval' | 'AwaitingPayment' | 'InProgress' | 'Completed' | 'Cancelled';
  metadata: Record<string, unknown>;
}

export interface PullPayment {
  id: string;
  storeId: string;
  name: string;
  description: string;
  currency: string;
  /** Decimal string. */
  amount: string;
  bolt11Expiration: number;
  autoApproveClaims: boolean;
  archived: boolean;
  startsAt: number;
  expiresAt: number | null;
  payoutMethods: string[];
  payouts: Payout[];
  /** Set for refunds. */
  invoiceId?: string;
}

export interface Webhook {
  id: string;
  storeId: string;
  url: string;
  secret: string;
  enabled: boolean;
  automaticRedelivery: boolean;
  everything: boolean;
  specificEvents: string[];
}

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  timestamp: number;
  httpCode: number | null;
  errorMessage: string | null;
  status: 'Failed' | 'HttpError' | 'HttpSuccess';
  body: string;
  headers: Record<string, string>;
}

export interface BoltcardRegistration {
  /** Hex of the card id (CMAC of the UID under the issuer key). */
  id: string;
  pullPaymentId: string | null;
  version: number;
  counter: number;
}

/** BTCPay's ids: base58 of random bytes (invoices 16 bytes → 22 chars, stores 32 bytes). */
export function newId(bytes = 16): string {
  return base58(crypto.randomBytes(bytes));
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(buf: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(buf).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = (ALPHABET[Number(n % 58n)] ?? '') + out;
    n /= 58n;
  }
  for (const b of buf) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

export function requiredConfirmations(policy: SpeedPolicy): number {
  switch (policy) {
    case 'HighSpeed':
      return 0;
    case 'MediumSpeed':
      return 1;
    case 'LowMediumSpeed':
      return 2;
    case 'LowSpeed':
      return 6;
  }
}

export function canRefund(invoice: Invoice): boolean {
  if (invoice.status === 'Settled' || invoice.status === 'Invalid') return true;
  return (
    invoice.status === 'Expired' &&
    (invoice.additionalStatus === 'PaidLate' ||
      invoice.additionalStatus === 'PaidPartial' ||
      invoice.additionalStatus === 'PaidOver')
  );
}
