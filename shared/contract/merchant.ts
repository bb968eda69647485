import { z } from 'zod';
import { Password, Void } from './common';

/**
 * The merchant counter: a BTCPay Server point of sale. BTCPay is the source of truth; these
 * shapes are what the counter shows, read from Greenfield (amounts as decimal strings, never
 * floats).
 */

/** A plain decimal amount or percentage, e.g. "12.50" (at most 12 decimals). */
export const DecimalText = z.string().regex(/^\d{1,15}(\.\d{1,12})?$/, 'a decimal number like 12.50');
export const Percent = DecimalText.refine((s) => Number(s) <= 100, 'at most 100');

const BtcpayId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'a BTCPay id');

/** What a feature of the counter needs from the API key. */
export const MERCHANT_FEATURES = ['cashier', 'rewardsRefunds', 'setup'] as const;
export const MerchantFeature = z.enum(MERCHANT_FEATURES);
export type MerchantFeature = z.infer<typeof MerchantFeature>;

export const FeatureCheck = z.object({
  feature: MerchantFeature,
  ok: z.boolean(),
  /** BTCPay permission names the key lacks (shown in words by the renderer). */
  missing: z.array(z.string()),
});
export type FeatureCheck = z.infer<typeof FeatureCheck>;

export const MerchantConnection = z.object({
  serverUrl: z.string(),
  storeId: z.string().nullable(),
  storeName: z.string().nullable(),
  appId: z.string().nullable(),
  appName: z.string().nullable(),
  permissions: z.array(z.string()),
  features: z.array(FeatureCheck),
  /** Label BTCPay gave the key. */
  keyLabel: z.string(),
});
export type MerchantConnection = z.infer<typeof MerchantConnection>;

export const MerchantStatus = z.object({
  connection: MerchantConnection.nullable(),
  cashierMode: z.boolean(),
  /** Whether a cashier PIN is set (the vault password unlocks cashier mode too). */
  pinSet: z.boolean(),
  /** The authorize flow in progress: the URL the user must open, until the key arrives. */
  authorizing: z.object({ url: z.string() }).nullable(),
});
export type MerchantStatus = z.infer<typeof MerchantStatus>;

export const MerchantStore = z.object({ id: z.string(), name: z.string(), defaultCurrency: z.string() });
export type MerchantStore = z.infer<typeof MerchantStore>;
export const MerchantApp = z.object({ id: z.string(), name: z.string(), type: z.string() });
export type MerchantApp = z.infer<typeof MerchantApp>;

export const CounterItem = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  categories: z.array(z.string()),
  priceType: z.enum(['Fixed', 'Topup', 'Minimum']),
  /** Decimal string in the app's currency; null for a top-up. */
  price: z.string().nullable(),
  /** Null: the app's default tax rate applies. */
  taxRate: z.string().nullable(),
  inventory: z.number().int().nullable(),
});
export type CounterItem = z.infer<typeof CounterItem>;

/** Tax settings of the POS app. Greenfield does not serve them, so the counter keeps a copy. */
export const CounterTaxSettings = z.object({
  defaultTaxRate: Percent,
  taxIncluded: z.boolean(),
  tipTaxRate: Percent,
});
export type CounterTaxSettings = z.infer<typeof CounterTaxSettings>;

export const Counter = z.object({
  storeId: z.string(),
  storeName: z.string(),
  appId: z.string(),
  title: z.string(),
  currency: z.string(),
  decimals: z.number().int().min(0).max(12),
  items: z.array(CounterItem),
  categories: z.array(z.string()),
  showCustomAmount: z.boolean(),
  showDiscount: z.boolean(),
  enableTips: z.boolean(),
  tipPercentages: z.array(z.number()),
  tax: CounterTaxSettings,
  /** Price of 1 BTC in the app's currency, from the store's rates; null when unknown. */
  rate: z.string().nullable(),
  /** When the rate was read (ms since the epoch). */
  rateAt: z.number().nullable(),
});
export type Counter = z.infer<typeof Counter>;

export const OrderInputLine = z
  .object({
    /** A POS item id, or '' for an amount typed on the keypad. */
    itemId: z.string().max(128),
    count: z.number().int().min(1).max(10_000),
    /** Only for keypad amounts and top-up/minimum items; fixed items use the app's price. */
    price: DecimalText.optional(),
  })
  .strict();

/**
 * A stamp-card customer as the counter got it: an npub (or hex public key) typed or scanned, or
 * a Flash Card's UID (hex of its 7 bytes). Main checks it and answers the canonical form.
 */
export const StampCustomerRef = z
  .object({ kind: z.enum(['npub', 'card']), value: z.string().trim().min(1).max(200) })
  .strict();
export type StampCustomerRef = z.infer<typeof StampCustomerRef>;

export const ChargeInput = z
  .object({
    lines: z.array(OrderInputLine).min(1).max(200),
    discountPercent: Percent.nullable(),
    tipAmount: DecimalText.nullable(),
    tipPercent: Percent.nullable(),
    note: z.string().trim().max(500).optional(),
    /** The stamp-card customer of this sale (written into the invoice, so BTCPay counts the stamps). */
    customer: StampCustomerRef.optional(),
  })
  .strict();
export type ChargeInput = z.infer<typeof ChargeInput>;

export const OrderTotals = z.object({
  currency: z.string(),
  itemsTotal: z.string(),
  discount: z.string(),
  subtotal: z.string(),
  tax: z.string(),
  taxOnTip: z.string(),
  tip: z.string(),
  total: z.string(),
});
export type OrderTotals = z.infer<typeof OrderTotals>;

/** How the counter reads an invoice's state, and what the cashier should do next. */
export const SALE_STATES = [
  'waiting',
  'partial',
  'processing',
  'paid',
  'paidOver',
  'expired',
  'expiredPartial',
  'paidLate',
  'invalid',
] as const;
export const SaleState = z.enum(SALE_STATES);
export type SaleState = z.infer<typeof SaleState>;

export const Sale = z.object({
  invoiceId: z.string(),
  orderId: z.string(),
  amount: z.string(),
  currency: z.string(),
  state: SaleState,
  status: z.string(),
  additionalStatus: z.string(),
  /** One QR for every wallet: bitcoin:ADDR?amount=…&lightning=BOLT11 (BTCPay's casing). */
  qr: z.string().nullable(),
  /** The same URI in the case to open in a wallet. */
  paymentUri: z.string().nullable(),
  address: z.string().nullable(),
  bolt11: z.string().nullable(),
  /** Sats still owed, sats paid. */
  dueSats: z.number().int(),
  paidSats: z.number().int(),
  expiresAt: z.number(),
  createdAt: z.number(),
  checkoutLink: z.string(),
  receiptUrl: z.string(),
  totals: OrderTotals.nullable(),
  note: z.string().nullable(),
});
export type Sale = z.infer<typeof Sale>;

export const HistoryInput = z
  .object({
    /** ms since the epoch, inclusive. */
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    status: z.enum(['any', 'paid', 'unpaid']).default('any'),
    text: z.string().trim().max(100).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

/** What became of a reward, read from BTCPay (its pull payment and the payouts claimed on it). */
export const REWARD_STATES = ['unclaimed', 'claiming', 'claimed', 'expired', 'archived'] as const;
export const RewardState = z.enum(REWARD_STATES);
export type RewardState = z.infer<typeof RewardState>;

export const RewardSummary = z.object({ sats: z.number().int(), state: RewardState });
export type RewardSummary = z.infer<typeof RewardSummary>;

export const HistoryRow = z.object({
  invoiceId: z.string(),
  orderId: z.string().nullable(),
  createdAt: z.number(),
  amount: z.string(),
  currency: z.string(),
  state: SaleState,
  summary: z.string(),
  /** The sale's reward, if one was issued; null also when the key may not read pull payments. */
  reward: RewardSummary.nullable(),
});
export type HistoryRow = z.infer<typeof HistoryRow>;

export const DailyTotal = z.object({
  /** Local date, YYYY-MM-DD. */
  day: z.string(),
  count: z.number().int(),
  total: z.string(),
  /** Sales per hour of the day (24 entries), decimal strings. */
  byHour: z.array(z.string()).length(24),
  /** Rewards issued that day (by when they were issued), and what became of them so far. */
  rewards: z.object({
    count: z.number().int(),
    sats: z.number().int(),
    claimed: z.number().int(),
    claimedSats: z.number().int(),
    expired: z.number().int(),
  }),
  /** eCash sales this counter took while BTCPay was out of reach (BTCPay's totals leave them out). */
  ecash: z.object({
    count: z.number().int(),
    /** In the counter's currency. */
    total: z.string(),
    sats: z.number().int(),
    /** Taken but not yet claimed at the mint. */
    toClaim: z.number().int(),
  }),
});
export type DailyTotal = z.infer<typeof DailyTotal>;

export const RefundVariant = z.enum(['RateThen', 'CurrentRate', 'Fiat', 'OverpaidAmount', 'Custom']);
export const RefundInput = z
  .object({
    invoiceId: BtcpayId,
    variant: RefundVariant,
    customAmount: DecimalText.optional(),
    customCurrency: z
      .string()
      .regex(/^[A-Z]{3,4}$/)
      .optional(),
    subtractPercentage: Percent.optional(),
  })
  .strict();

export const Refund = z.object({
  pullPaymentId: z.string(),
  amount: z.string(),
  currency: z.string(),
  /** The customer scans this (LNURL-withdraw), or opens the link. */
  lnurl: z.string().nullable(),
  link: z.string(),
  autoApproved: z.boolean(),
});
export type Refund = z.infer<typeof Refund>;

export const DisplayState = z.object({
  phase: z.enum(['idle', 'cart', 'charging', 'paid', 'problem']),
  storeName: z.string().nullable(),
  total: z.string().nullable(),
  currency: z.string().nullable(),
  qr: z.string().nullable(),
  saleState: SaleState.nullable(),
  expiresAt: z.number().nullable(),
  lines: z.array(z.object({ title: z.string(), count: z.number().int(), amount: z.string() })),
  /** After a paid sale: the customer's reward to claim (LNURL-withdraw, or a Cashu token). */
  reward: z
    .object({
      sats: z.number().int(),
      lnurl: z.string().nullable(),
      token: z.string().nullable().optional(),
      /** The reward goes onto the customer's Flash Card: the display asks for a tap. */
      card: z.boolean().optional(),
      /** The token's QR: the token itself, or NUT-16 animated parts for a big one. */
      tokenQr: z.object({ animated: z.boolean(), parts: z.array(z.string()) }).optional(),
    })
    .nullable(),
  /** The QR is an eCash payment request (BTCPay out of reach), not BTCPay's invoice. */
  ecash: z.boolean().optional(),
  /** The identified customer's stamp card: `stamps` of `every` (shown as "Stamp 7 of 10"). */
  stamps: z.object({ stamps: z.number().int(), every: z.number().int() }).nullable().optional(),
});
export type DisplayState = z.infer<typeof DisplayState>;

const ServerUrl = z
  .string()
  .trim()
  .max(300)
  .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/i, 'a server address like https://btcpay.example.com');

/** The NFC readers at the counter, for Flash Cards. */
export const CardReaderStatus = z.object({
  /** Null when readers can be used; otherwise why not, in words (no PC/SC service, no library). */
  problem: z.string().nullable(),
  readers: z.array(z.string()),
  cardPresent: z.boolean(),
});
export type CardReaderStatus = z.infer<typeof CardReaderStatus>;

export const ProgrammedCard = z.object({
  uid: z.string(),
  pullPaymentId: z.string(),
  balanceSats: z.number().int(),
});
export type ProgrammedCard = z.infer<typeof ProgrammedCard>;

/** How receipts are printed: the customer's language and printing on settle without a dialog. */
export const ReceiptSettings = z.object({
  language: z.enum(['en', 'es']),
  autoPrint: z.boolean(),
  layout: z.enum(['a4', '80mm', '58mm']),
});
export type ReceiptSettings = z.infer<typeof ReceiptSettings>;

/**
 * The store's reward rules: after a paid sale, the customer gets sats back as a BTCPay pull
 * payment to claim (LNURL-withdraw). A fixed amount per purchase, or a percentage of the sats
 * paid; sales below the minimum (in the store's currency) earn nothing. Or a stamp card: an
 * identified customer's every `stampEvery`-th qualifying sale earns the reward (fixed sats, or a
 * percentage of that sale, by `stampPays`).
 */
export const RewardRules = z
  .object({
    enabled: z.boolean(),
    kind: z.enum(['fixed', 'percent', 'stamps']),
    /** For `stamps`: every Nth qualifying purchase of a customer earns the reward. */
    stampEvery: z.number().int().min(2).max(100).default(10),
    /** For `stamps`: the reward is `sats`, or `percent` of the sats paid for the Nth sale. */
    stampPays: z.enum(['fixed', 'percent']).default('fixed'),
    /** For `stamps`: also send the reward by NOSTR message when the customer is known by npub. */
    stampSendDm: z.boolean().default(false),
    /** For `fixed`: sats per purchase. */
    sats: z.number().int().min(1).max(1_000_000),
    /** For `percent`: of the sats paid for the sale. */
    percent: Percent,
    /** In the store's currency. */
    minimumSale: DecimalText,
    /** How long the customer has to claim it. */
    expiryDays: z.number().int().min(1).max(365),
    /**
     * What the reward is: a BTCPay pull payment, a Cashu token from the merchant's own eCash, or
     * a top-up of the customer's Flash Card (tapped after the sale settles).
     */
    giveAs: z.enum(['pullPayment', 'ecash', 'flashCard']).default('pullPayment'),
    /** For `ecash`: the wallet's mint whose eCash pays the rewards. */
    ecashMint: z.string().trim().max(300).nullable().default(null),
  })
  .strict();
export type RewardRules = z.infer<typeof RewardRules>;
export type RewardRulesInput = z.input<typeof RewardRules>;

/** A customer's stamp card, counted from BTCPay's settled invoices that name them. */
export const StampCard = z.object({
  /** Canonical: `npub` as npub1…, `card` as 14 lower-case hex digits. */
  customer: StampCustomerRef,
  every: z.number().int(),
  /** Stamps on the card now (the sales since the last reward); `every` when a reward is due. */
  stamps: z.number().int(),
  /** The invoice that completed the card last (its reward issued or due); null before the first. */
  lastFullInvoiceId: z.string().nullable(),
  /** Invoices stamped, oldest first (the current card only). */
  stampedInvoiceIds: z.array(z.string()),
});
export type StampCard = z.infer<typeof StampCard>;

export const Reward = z.object({
  invoiceId: z.string(),
  pullPaymentId: z.string(),
  sats: z.number().int(),
  /** LNURL-withdraw (bech32) the customer scans; null when BTCPay offers none. */
  lnurl: z.string().nullable(),
  /** BTCPay's claim page for the same pull payment. */
  link: z.string(),
  /** ms since the epoch; null: never expires. */
  expiresAt: z.number().nullable(),
  state: RewardState,
  claimedSats: z.number().int(),
  /** An eCash reward (no pull payment): the cashuB token, its mint and the eCash operation. */
  ecash: z
    .object({
      token: z.string(),
      mintUrl: z.string(),
      operationId: z.string(),
      /** What to show as a QR (a big token as NUT-16 animated parts, as the eCash screens do). */
      qr: z.object({ animated: z.boolean(), parts: z.array(z.string()) }).optional(),
    })
    .nullable()
    .optional(),
  /**
   * A reward added to the customer's Flash Card: its UID (empty when another counter of the store
   * added it); `pullPaymentId` is the card's pull payment the top-up made.
   */
  card: z.object({ uid: z.string() }).nullable().optional(),
});
export type Reward = z.infer<typeof Reward>;

/** A Flash Card after a top-up: the card moved to a new pull payment holding old balance + added. */
export const ToppedUpCard = z.object({
  uid: z.string(),
  pullPaymentId: z.string(),
  previousPullPaymentId: z.string(),
  balanceSats: z.number().int(),
});
export type ToppedUpCard = z.infer<typeof ToppedUpCard>;

/**
 * eCash at the counter while BTCPay cannot be reached: Cashu tokens from mints the manager trusts,
 * checked offline (NUT-12 DLEQ), kept in the wallet's eCash journal and claimed once the mint answers.
 */
const MintUrl = z.string().trim().min(1).max(300);
export const CounterEcashSettings = z.object({
  /** Mints whose tokens the counter takes (each one a mint of this wallet's eCash). */
  trustedMints: z.array(MintUrl).max(20),
  /** The most one eCash sale may take, in sats: how much the merchant is willing to risk per sale. */
  maxSats: z.number().int().min(1).max(10_000_000),
});
export type CounterEcashSettings = z.infer<typeof CounterEcashSettings>;

export const CounterEcashView = CounterEcashSettings.extend({
  /** The wallet's eCash mints the manager can choose from. */
  mints: z.array(z.object({ url: z.string(), name: z.string().nullable(), reachable: z.boolean() })),
});
export type CounterEcashView = z.infer<typeof CounterEcashView>;

/** A NUT-18 payment request for a cart, priced in sats at the store's last known rate. */
export const EcashRequest = z.object({
  requestId: z.string(),
  amount: z.string(),
  currency: z.string(),
  sats: z.number().int(),
  rate: z.string(),
  rateAt: z.number().nullable(),
  /** "creqA…" (NUT-18), paid in band: the customer shows or hands over the token. */
  request: z.string(),
  mints: z.array(z.string()),
});
export type EcashRequest = z.infer<typeof EcashRequest>;

/** toClaim: taken at the counter, not yet swapped at the mint; failed: the mint refused it (spent). */
export const EcashSaleState = z.enum(['toClaim', 'claimed', 'failed']);
export type EcashSaleState = z.infer<typeof EcashSaleState>;

export const EcashSale = z.object({
  id: z.string(),
  createdAt: z.number().int(),
  amount: z.string(),
  currency: z.string(),
  /** What the sale asked, and what the token held (more is kept: no change can be given offline). */
  sats: z.number().int(),
  receivedSats: z.number().int(),
  /** What the mint kept when the token was claimed (its input fee, NUT-02); 0 until claimed. */
  mintFeeSats: z.number().int(),
  rate: z.string(),
  mintUrl: z.string(),
  /** The eCash journal's receive operation; null only if Flash stopped before it was written. */
  operationId: z.string().nullable(),
  state: EcashSaleState,
  error: z.string().nullable(),
  note: z.string().nullable(),
});
export type EcashSale = z.infer<typeof EcashSale>;

export const merchantMethods = {
  'merchant.getStatus': { input: z.object({}).strict(), output: MerchantStatus },
  /** Checks the key with GET /api-keys/current, then seals it in the vault. */
  'merchant.connect': {
    input: z.object({ serverUrl: ServerUrl, apiKey: z.string().trim().min(16).max(200) }).strict(),
    output: MerchantStatus,
  },
  /** Opens a one-time loopback listener and returns BTCPay's authorize URL to open. */
  'merchant.startAuthorize': {
    input: z.object({ serverUrl: ServerUrl }).strict(),
    output: z.object({ url: z.string() }),
  },
  'merchant.cancelAuthorize': { input: z.object({}).strict(), output: Void },
  'merchant.disconnect': { input: z.object({}).strict(), output: MerchantStatus },
  'merchant.listStores': { input: z.object({}).strict(), output: z.array(MerchantStore) },
  'merchant.listApps': { input: z.object({ storeId: BtcpayId }).strict(), output: z.array(MerchantApp) },
  'merchant.selectApp': {
    input: z.object({ storeId: BtcpayId, appId: BtcpayId }).strict(),
    output: MerchantStatus,
  },
  'merchant.getCounter': { input: z.object({}).strict(), output: Counter },
  'merchant.setTaxSettings': { input: CounterTaxSettings.strict(), output: Counter },
  /** Totals for a cart, by BTCPay's POS rules (what Charge would ask). */
  'merchant.quote': { input: ChargeInput, output: OrderTotals },
  'merchant.charge': { input: ChargeInput, output: Sale },
  'merchant.getSale': { input: z.object({ invoiceId: BtcpayId }).strict(), output: Sale },
  /** Shows the cart on the customer display while the cashier builds it. */
  'merchant.showCart': { input: ChargeInput.or(z.object({ clear: z.literal(true) }).strict()), output: Void },
  'merchant.history': {
    input: HistoryInput,
    output: z.object({ rows: z.array(HistoryRow), more: z.boolean() }),
  },
  /** The sales of a period as CSV (one row per invoice), for the accountant. */
  'merchant.exportSalesCsv': {
    input: z
      .object({
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        status: z.enum(['any', 'paid', 'unpaid']).default('any'),
      })
      .strict(),
    output: z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() }),
  },
  'merchant.dailyTotals': {
    input: z.object({ days: z.number().int().min(1).max(31) }).strict(),
    output: z.object({ currency: z.string(), days: z.array(DailyTotal) }),
  },
  'merchant.refund': { input: RefundInput, output: Refund },
  /** Writes the receipt PDF without a dialog; returns where it is and its text. */
  'merchant.printReceipt': {
    input: z.object({ invoiceId: BtcpayId, layout: z.enum(['a4', '80mm', '58mm']).default('80mm') }).strict(),
    output: z.object({ path: z.string(), bytes: z.number().int() }),
  },
  /** The receipt as a page, for the browser's own print dialog in browser mode. */
  'merchant.receiptHtml': {
    input: z.object({ invoiceId: BtcpayId, layout: z.enum(['a4', '80mm', '58mm']).default('80mm') }).strict(),
    output: z.object({ html: z.string() }),
  },
  'merchant.getReceiptSettings': { input: z.object({}).strict(), output: ReceiptSettings },
  'merchant.setReceiptSettings': { input: ReceiptSettings.strict(), output: ReceiptSettings },
  'merchant.sendReceipt': {
    input: z.object({ invoiceId: BtcpayId, to: z.string().trim().min(1).max(200) }).strict(),
    output: Void,
  },
  'merchant.receiptLink': {
    input: z.object({ invoiceId: BtcpayId }).strict(),
    output: z.object({ url: z.string(), mailto: z.string() }),
  },
  'merchant.setCashierPin': {
    input: z.object({ pin: z.string().regex(/^\d{4,12}$/) }).strict(),
    output: MerchantStatus,
  },
  'merchant.enterCashierMode': { input: z.object({}).strict(), output: MerchantStatus },
  /** Leaves cashier mode with the PIN or the vault password. */
  'merchant.leaveCashierMode': {
    input: z.union([
      z.object({ pin: z.string().max(12) }).strict(),
      z.object({ password: Password }).strict(),
    ]),
    output: MerchantStatus,
  },
  'merchant.getDisplay': { input: z.object({}).strict(), output: DisplayState },
  'merchant.cardStatus': { input: z.object({}).strict(), output: CardReaderStatus },
  /** Pays the sale's Lightning invoice from the Flash Card on the reader (BTCPay's /boltcard). */
  'merchant.cardPay': { input: z.object({ invoiceId: BtcpayId }).strict(), output: Sale },
  'merchant.cardBalance': { input: z.object({}).strict(), output: z.object({ sats: z.number().int() }) },
  /** A blank card on the reader becomes a Flash Card holding `sats` (a new pull payment). */
  'merchant.cardProgram': {
    input: z.object({ sats: z.number().int().min(1).max(10_000_000) }).strict(),
    output: ProgrammedCard,
  },
  /**
   * The card on the reader back to blank; its pull payment archived. What was left on it is
   * given up, so the call must say it knows how much (`balanceSats`, from a balance read).
   */
  'merchant.cardWipe': {
    input: z.object({ giveUpSats: z.number().int().min(0).max(10_000_000_000) }).strict(),
    output: z.object({ uid: z.string(), pullPaymentId: z.string(), gaveUpSats: z.number().int() }),
  },
  /** Adds `sats` to the card on the reader (a new pull payment for balance + sats; see flash-cards). */
  'merchant.cardTopUp': {
    input: z.object({ sats: z.number().int().min(1).max(10_000_000) }).strict(),
    output: ToppedUpCard,
  },
  'merchant.getRewardRules': { input: z.object({}).strict(), output: RewardRules },
  'merchant.setRewardRules': { input: RewardRules, output: RewardRules },
  /** The sale's reward with its state from BTCPay; null when it has none. */
  'merchant.getReward': { input: z.object({ invoiceId: BtcpayId }).strict(), output: Reward.nullable() },
  /** Issues the paid sale's reward by the store's rules (once per sale; answers the existing one). */
  'merchant.issueReward': { input: z.object({ invoiceId: BtcpayId }).strict(), output: Reward },
  /** Sends the sale's reward to the customer's npub as a NIP-17 message (a Lightning card). */
  'merchant.sendReward': {
    input: z.object({ invoiceId: BtcpayId, to: z.string().trim().min(1).max(200) }).strict(),
    output: Void,
  },
  /**
   * A customer's stamp card, counted from BTCPay: by npub or card UID, or by the card on the
   * reader (`cardOnReader`). `invoiceId`: the card as that sale left it (for the sale screen).
   */
  'merchant.stampCard': {
    input: z
      .object({
        customer: StampCustomerRef.optional(),
        cardOnReader: z.literal(true).optional(),
        invoiceId: BtcpayId.optional(),
      })
      .strict(),
    output: StampCard,
  },
  'merchant.getCounterEcash': { input: z.object({}).strict(), output: CounterEcashView },
  'merchant.setCounterEcash': { input: CounterEcashSettings.strict(), output: CounterEcashView },
  /** A NUT-18 request for the cart, for when BTCPay cannot be reached. */
  'merchant.ecashRequest': { input: ChargeInput, output: EcashRequest },
  /** Takes the customer's token for the request: checked offline, journaled, claimed when possible. */
  'merchant.ecashAccept': {
    input: z.object({ requestId: z.string().uuid(), token: z.string().trim().min(10).max(100_000) }).strict(),
    output: EcashSale,
  },
  /** This counter's eCash sales (kept here, not on BTCPay), newest first. */
  'merchant.ecashSales': { input: z.object({}).strict(), output: z.object({ sales: z.array(EcashSale) }) },
  /** Electron: opens the customer window. Browser mode: answers `opened: false` (the page opens a tab). */
  'merchant.openCustomerDisplay': { input: z.object({}).strict(), output: z.object({ opened: z.boolean() }) },
} as const;

export const merchantEvents = {
  'merchant.status': MerchantStatus,
  'merchant.sale': Sale,
  'merchant.display': DisplayState,
  'merchant.card': CardReaderStatus,
  /** A receipt printed on its own when a sale was paid (auto print). */
  'merchant.receiptPrinted': z.object({ invoiceId: z.string(), path: z.string() }),
  /** A reward issued after a paid sale, or its state changed. */
  'merchant.reward': Reward,
  /** The automatic reward of a paid sale could not be issued (the cashier may retry). */
  'merchant.rewardFailed': z.object({ invoiceId: z.string(), code: z.string(), message: z.string() }),
  /** An eCash sale of this counter taken or claimed. */
  'merchant.ecashSale': EcashSale,
} as const;
