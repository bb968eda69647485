import { z } from 'zod';
import { Id, Network, Sats } from './common';

/**
 * The Lightning area of the bridge. Amounts in msat travel as decimal strings (JSON numbers lose
 * precision past 2^53, and 21M BTC is 2.1e18 msat); sats stay numbers as elsewhere.
 */

export const Msat = z.string().regex(/^\d{1,19}$/, 'millisatoshis as a decimal string');
export type Msat = z.infer<typeof Msat>;
const Hash = z.string().regex(/^[0-9a-f]{64}$/, '64 hex characters');
const Hex33 = z.string().regex(/^[0-9a-f]{66}$/);

export const LightningProviderKind = z.enum(['breez', 'lnd', 'nwc']);
export type LightningProviderKind = z.infer<typeof LightningProviderKind>;

export const LightningCapability = z.enum([
  'pay-invoice',
  'make-invoice',
  'lookup',
  'list',
  'balance',
  'bolt12',
  'keysend',
  'onchain-receive',
  'onchain-send',
  'refunds',
  'notifications',
]);

export const LightningPaymentState = z.enum([
  'pending',
  'succeeded',
  'failed',
  'refundable',
  'waiting-fee-acceptance',
]);
export type LightningPaymentState = z.infer<typeof LightningPaymentState>;

export const LightningFailure = z.enum([
  'no-route',
  'insufficient-balance',
  'expired',
  'amount-out-of-limits',
  'wrong-network',
  'already-paid',
  'invoice-invalid',
  'timeout',
  'unauthorized',
  'not-supported',
  'quota-exceeded',
  'unreachable',
  'provider-error',
]);

// ---- connecting providers

/** LND over REST: host:port with the node's tls.cert (PEM) and a macaroon, or one lndconnect URI. */
export const LndConnectInput = z.union([
  z
    .object({
      kind: z.literal('lnd'),
      label: z.string().trim().max(64).optional(),
      /** host:port of the REST listener (8080 by default on LND); IPv6 in brackets; .onion allowed. */
      restAddress: z.string().trim().min(3).max(300),
      /** The node's tls.cert, PEM text. */
      tlsCert: z.string().trim().min(50).max(20_000),
      /** Hex (as `xxd -p` or lncli prints it) or base64 of the .macaroon file. */
      macaroon: z.string().trim().min(20).max(20_000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('lnd'),
      label: z.string().trim().max(64).optional(),
      lndconnect: z.string().trim().min(20).max(30_000),
    })
    .strict(),
]);

/** NIP-47 connection URI (`nostr+walletconnect://…`). */
export const NwcConnectInput = z
  .object({
    kind: z.literal('nwc'),
    label: z.string().trim().max(64).optional(),
    uri: z.string().trim().min(20).max(4000),
  })
  .strict();

/** Breez SDK Liquid: the API key (sealed in the vault); its mnemonic comes from the wallet's words. */
export const BreezConnectInput = z
  .object({
    kind: z.literal('breez'),
    label: z.string().trim().max(64).optional(),
    apiKey: z.string().trim().max(4000).optional(),
  })
  .strict();

export const ConnectProviderInput = z.union([LndConnectInput, NwcConnectInput, BreezConnectInput]);
export type ConnectProviderInput = z.infer<typeof ConnectProviderInput>;

export const ProviderConnectionState = z.enum(['connected', 'connecting', 'disconnected', 'locked']);

export const LightningProviderView = z.object({
  id: Id,
  kind: LightningProviderKind,
  label: z.string(),
  isDefault: z.boolean(),
  state: ProviderConnectionState,
  /** Why it is disconnected (a bridge error code), if it is. */
  error: z.string().nullable(),
  alias: z.string().nullable(),
  pubkey: z.string().nullable(),
  network: Network.nullable(),
  capabilities: z.array(LightningCapability),
  /** Where it connects to, for the user to recognise it (host:port, relay, "Breez"); no secret. */
  endpoint: z.string(),
  createdAt: z.number().int(),
});
export type LightningProviderView = z.infer<typeof LightningProviderView>;

const Range = z.object({ minMsat: Msat, maxMsat: Msat });

export const LightningProviderStatus = z.object({
  provider: LightningProviderView,
  balance: z
    .object({
      spendableMsat: Msat,
      receivableMsat: Msat.nullable(),
      pendingSendMsat: Msat,
      pendingReceiveMsat: Msat,
      onchainSats: Sats.nullable(),
    })
    .nullable(),
  limits: z.object({ send: Range, receive: Range }).nullable(),
  blockHeight: z.number().int().nullable(),
  synced: z.boolean(),
});
export type LightningProviderStatus = z.infer<typeof LightningProviderStatus>;

// ---- the pay box

const OnchainFallback = z.object({
  address: z.string(),
  amountSats: Sats.nullable(),
  label: z.string().nullable(),
  message: z.string().nullable(),
});

/** LUD-06 metadata, as shown before paying. */
export const LnurlPayView = z.object({
  domain: z.string(),
  minSendableMsat: Msat,
  maxSendableMsat: Msat,
  description: z.string(),
  longDescription: z.string().nullable(),
  /** data: URL of the PNG or JPEG thumbnail, when the service sent one. */
  image: z.string().nullable(),
  /** LUD-12: 0 when comments are not accepted. */
  commentAllowed: z.number().int().min(0),
  /** LUD-16 identifier or email the metadata names. */
  identifier: z.string().nullable(),
});
export type LnurlPayView = z.infer<typeof LnurlPayView>;

export const LnurlWithdrawView = z.object({
  domain: z.string(),
  defaultDescription: z.string(),
  minWithdrawableMsat: Msat,
  maxWithdrawableMsat: Msat,
});

export const LnurlAuthView = z.object({
  domain: z.string(),
  action: z.enum(['register', 'login', 'link', 'auth']).nullable(),
});

/** What the pay box understood, shown before any money moves. */
export const ParsedPaymentView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('bolt11'),
    invoice: z.string(),
    paymentHash: Hash,
    amountMsat: Msat.nullable(),
    description: z.string().nullable(),
    descriptionHash: Hash.nullable(),
    payee: Hex33,
    /** Seconds since the epoch. */
    createdAt: z.number().int(),
    expiresAt: z.number().int(),
    expired: z.boolean(),
    onchain: OnchainFallback.nullable(),
  }),
  z.object({
    kind: z.literal('bolt12'),
    offer: z.string(),
    amountMsat: Msat.nullable(),
    /** Set when the offer is priced in a currency (amount in its minor unit). */
    currency: z.string().nullable(),
    currencyAmount: z.string().nullable(),
    description: z.string().nullable(),
    issuer: z.string().nullable(),
    expiresAt: z.number().int().nullable(),
    onchain: OnchainFallback.nullable(),
  }),
  z.object({ kind: z.literal('lnurl-pay'), pay: LnurlPayView, address: z.string().nullable() }),
  z.object({ kind: z.literal('lnurl-withdraw'), withdraw: LnurlWithdrawView }),
  z.object({ kind: z.literal('lnurl-auth'), auth: LnurlAuthView }),
  z.object({
    kind: z.literal('onchain'),
    address: z.string().nullable(),
    amountSats: Sats.nullable(),
    uri: z.string(),
  }),
]);
export type ParsedPaymentView = z.infer<typeof ParsedPaymentView>;

export const PayInput = z
  .object({
    /** What was pasted or scanned (parsed again in main: the renderer's view is never trusted). */
    text: z.string().trim().min(1).max(8192),
    providerId: Id.optional(),
    /** For requests without an amount, or LNURL-pay within its range. */
    amountMsat: Msat.optional(),
    /** LUD-12 comment for LNURL-pay. */
    comment: z.string().max(2000).optional(),
    /** The most the user accepts in routing fees; default: the service's own limit. */
    maxFeeMsat: Msat.optional(),
  })
  .strict();

export const SuccessActionView = z.discriminatedUnion('tag', [
  z.object({ tag: z.literal('message'), message: z.string() }),
  z.object({ tag: z.literal('url'), description: z.string(), url: z.string() }),
  /** LUD-10, decrypted with the preimage once paid; `plaintext` null until then or if it failed. */
  z.object({ tag: z.literal('aes'), description: z.string(), plaintext: z.string().nullable() }),
]);
export type SuccessActionView = z.infer<typeof SuccessActionView>;

export const PreparedLightningPayment = z.object({
  prepareId: Id,
  providerId: Id,
  amountMsat: Msat,
  feeMsat: Msat,
  /** True when `feeMsat` is the most routing may cost, not an estimate. */
  feeIsLimit: z.boolean(),
  description: z.string().nullable(),
  /** Node id, Lightning address, or LNURL domain. */
  payee: z.string().nullable(),
  paymentHash: Hash.nullable(),
  expiresAt: z.number().int().nullable(),
  /** For LNURL-pay: the comment that will be sent, and whether a success action will show. */
  comment: z.string().nullable(),
});
export type PreparedLightningPayment = z.infer<typeof PreparedLightningPayment>;

export const LightningPaymentView = z.object({
  id: Id,
  paymentHash: Hash.nullable(),
  direction: z.enum(['incoming', 'outgoing']),
  providerId: z.string().nullable(),
  providerKind: LightningProviderKind,
  state: LightningPaymentState,
  amountMsat: Msat,
  feeMsat: Msat,
  description: z.string().nullable(),
  /** Node id, Lightning address, LNURL domain or app name. */
  counterparty: z.string().nullable(),
  bolt11: z.string().nullable(),
  preimage: z.string().nullable(),
  failure: LightningFailure.nullable(),
  /** Where the payment came from: the pay box, LNURL, an NWC app, a zap. */
  origin: z.string(),
  comment: z.string().nullable(),
  successAction: SuccessActionView.nullable(),
  createdAt: z.number().int(),
  settledAt: z.number().int().nullable(),
  expiresAt: z.number().int().nullable(),
});
export type LightningPaymentView = z.infer<typeof LightningPaymentView>;

export const CreateInvoiceInput = z
  .object({
    providerId: Id.optional(),
    amountMsat: Msat.optional(),
    description: z.string().max(639).default(''),
    expirySeconds: z.number().int().min(60).max(31_536_000).optional(),
  })
  .strict();

export const CreatedInvoiceView = z.object({
  providerId: Id,
  bolt11: z.string(),
  paymentHash: Hash,
  amountMsat: Msat.nullable(),
  expiresAt: z.number().int(),
  feeMsat: Msat.nullable(),
});
export type CreatedInvoiceView = z.infer<typeof CreatedInvoiceView>;

const ProviderRef = z.object({ providerId: Id }).strict();

export const lightningMethods = {
  'lightning.listProviders': { input: z.object({}).strict(), output: z.array(LightningProviderView) },
  'lightning.connectProvider': { input: ConnectProviderInput, output: LightningProviderView },
  'lightning.removeProvider': { input: ProviderRef, output: z.object({ done: z.literal(true) }) },
  'lightning.setDefaultProvider': { input: ProviderRef, output: LightningProviderView },
  'lightning.getStatus': {
    input: z.object({ providerId: Id.optional() }).strict(),
    output: LightningProviderStatus.nullable(),
  },
  'lightning.parse': { input: z.object({ text: z.string().max(8192) }).strict(), output: ParsedPaymentView },
  'lightning.prepare': { input: PayInput, output: PreparedLightningPayment },
  'lightning.confirm': { input: z.object({ prepareId: Id }).strict(), output: LightningPaymentView },
  'lightning.createInvoice': { input: CreateInvoiceInput, output: CreatedInvoiceView },
  'lightning.listPayments': {
    input: z
      .object({
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    output: z.array(LightningPaymentView),
  },
  'lightning.getPayment': { input: z.object({ id: Id }).strict(), output: LightningPaymentView },
  'lightning.withdraw': {
    input: z
      .object({ text: z.string().trim().min(1).max(8192), amountMsat: Msat, providerId: Id.optional() })
      .strict(),
    output: z.object({ invoice: CreatedInvoiceView, paymentId: Id }),
  },
  'lightning.auth': {
    input: z.object({ text: z.string().trim().min(1).max(8192) }).strict(),
    output: z.object({ domain: z.string(), linkingKey: Hex33 }),
  },
} as const;

export const lightningEvents = {
  /** A payment (either direction) changed state: refresh it and the feed. */
  'lightning.payment': LightningPaymentView,
  /** One of our invoices was paid: turn its QR into "Paid". */
  'lightning.invoicePaid': z.object({
    paymentHash: Hash,
    amountMsat: Msat,
    providerId: z.string().nullable(),
  }),
  /** Providers were added, removed, connected or lost: ask lightning.listProviders again. */
  'lightning.providers': z.object({ providerId: z.string().nullable() }),
} as const;
