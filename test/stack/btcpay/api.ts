import { bech32 } from '@scure/base';
import type { InvoiceEngine } from './engine';
import { atomsToText, paymentJson, satsToBtc, textToAtoms } from './engine';
import { apiError, HttpError, validationError } from './http';
import type { ApiKey, Invoice, Payout, PosApp, PullPayment, Store, Webhook } from './model';
import { canRefund, newId } from './model';
import { allows, storesAllowed } from './permissions';
import type { BtcpayState } from './state';

/** The Greenfield operations the stand-in serves, by operationId. */

export interface ApiContext {
  state: BtcpayState;
  params: Record<string, string>;
  url: URL;
  body: unknown;
  /** The caller's key; null on anonymous endpoints. */
  key: ApiKey | null;
  /** The endpoint's code-enforced policy, or null when any key (or none) will do. */
  policy: string | null;
  /** http://127.0.0.1:PORT */
  origin: string;
}

export type Operation = (ctx: ApiContext) => unknown;

const ATOMS = 10n ** 12n;

function store(ctx: ApiContext, storeId: string): Store {
  const found = ctx.state.stores.get(storeId);
  if (!found) throw apiError(404, 'store-not-found', 'The store was not found');
  authorize(ctx, found);
  return found;
}

/** The key's user must own the store and hold the endpoint's policy for it. */
function authorize(ctx: ApiContext, s: Store): void {
  if (!ctx.key || ctx.policy === null) return;
  if (s.ownerId !== ctx.key.userId || !allows(ctx.key.permissions, ctx.policy, s.id)) {
    throw new HttpError(403, {
      code: 'missing-permission',
      message: `Insufficient API Permissions. Please use an API key with permission "${ctx.policy}". You can create an API key in your account's settings / Api Keys.`,
      missingPermission: ctx.policy,
    });
  }
}

function invoiceOf(ctx: ApiContext): Invoice {
  const inv = ctx.state.engine.invoices.get(ctx.params['invoiceId'] ?? '');
  if (!inv) throw apiError(404, 'invoice-not-found', 'The invoice was not found');
  store(ctx, inv.storeId);
  return inv;
}

function posApp(ctx: ApiContext): PosApp {
  const app = ctx.state.apps.get(ctx.params['appId'] ?? '');
  if (!app) throw apiError(404, 'app-not-found', 'The app was not found');
  // GET /apps/pos/{id} is open to any authenticated key, but only for apps of the user's stores.
  const s = ctx.state.stores.get(app.storeId);
  if (!s || (ctx.key && s.ownerId !== ctx.key.userId))
    throw apiError(404, 'app-not-found', 'The app was not found');
  return app;
}

function storeJson(s: Store): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    website: null,
    defaultCurrency: s.defaultCurrency,
    invoiceExpiration: s.invoiceExpiration,
    displayExpirationTimer: s.displayExpirationTimer,
    monitoringExpiration: s.monitoringExpiration,
    speedPolicy: s.speedPolicy,
    paymentTolerance: s.paymentTolerance,
    archived: false,
    anyoneCanCreateInvoice: false,
    receipt: { enabled: true, showQR: true, showPayments: true },
    lightningAmountInSatoshi: s.lightningAmountInSatoshi,
    lightningPrivateRouteHints: false,
    onChainWithLnInvoiceFallback: s.onChainWithLnInvoiceFallback,
    redirectAutomatically: false,
    showRecommendedFee: true,
    recommendedFeeBlockTarget: 1,
    defaultLang: 'en',
    lazyPaymentMethods: false,
    defaultPaymentMethod: 'BTC-CHAIN',
  };
}

function appBase(app: PosApp): Record<string, unknown> {
  return {
    id: app.id,
    appName: app.appName,
    storeId: app.storeId,
    created: app.created,
    appType: 'PointOfSale',
    archived: app.archived,
  };
}

function posAppJson(app: PosApp): Record<string, unknown> {
  return {
    ...appBase(app),
    title: app.title,
    description: app.description,
    defaultView: app.defaultView,
    showItems: false,
    showCustomAmount: app.showCustomAmount,
    showDiscount: app.showDiscount,
    showSearch: app.showSearch,
    showCategories: app.showCategories,
    enableTips: app.enableTips,
    currency: app.currency,
    fixedAmountPayButtonText: 'Buy for {0}',
    customAmountPayButtonText: 'Pay',
    tipText: 'Do you want to leave a tip?',
    customTipPercentages: app.customTipPercentages,
    notificationUrl: null,
    redirectUrl: null,
    redirectAutomatically: null,
    htmlLang: null,
    htmlMetaTags: null,
    formId: null,
    // BTCPay's AppItem: price and taxRate as strings (NumericStringJsonConverter).
    items: app.items.map((i) => ({
      id: i.id,
      title: i.title,
      disabled: i.disabled,
      ...(i.description !== undefined ? { description: i.description } : {}),
      categories: i.categories ?? [],
      image: i.image ?? '',
      priceType: i.priceType,
      price: i.price,
      ...(i.buyButtonText !== undefined ? { buyButtonText: i.buyButtonText } : {}),
      inventory: i.inventory,
      taxRate: i.taxRate ?? null,
    })),
  };
}

export function invoiceJson(
  ctx: Pick<ApiContext, 'state' | 'origin'>,
  inv: Invoice,
): Record<string, unknown> {
  const decimals = currencyDecimals(inv.currency);
  const paidSats = ctx.state.engine.paidSats(inv);
  return {
    id: inv.id,
    storeId: inv.storeId,
    amount: inv.amount === null ? '0' : atomsToText(inv.amount, decimals),
    paidAmount: atomsToText(roundDiv(paidSats * inv.rate, 100_000_000n, decimals), decimals),
    currency: inv.currency,
    type: 'Standard',
    checkoutLink: `${ctx.origin}/i/${inv.id}`,
    createdTime: inv.createdTime,
    expirationTime: inv.expirationTime,
    monitoringExpiration: inv.monitoringExpiration,
    status: inv.status,
    additionalStatus: inv.additionalStatus,
    availableStatusesForManualMarking: manualMarking(inv),
    archived: inv.archived,
    metadata: inv.metadata,
    checkout: {
      speedPolicy: inv.speedPolicy,
      paymentTolerance: inv.paymentTolerance,
      ...(inv.checkout ?? {}),
    },
    receipt: inv.receipt ?? { enabled: null, showQR: null, showPayments: null },
  };
}

function manualMarking(inv: Invoice): string[] {
  if (inv.status === 'Settled') return ['Invalid'];
  if (inv.status === 'Invalid') return ['Settled'];
  if (inv.status === 'Expired') return ['Settled', 'Invalid'];
  return [];
}

export function paymentMethodsJson(engine: InvoiceEngine, inv: Invoice): Record<string, unknown>[] {
  const paid = engine.paidSats(inv);
  const due = inv.dueSats - paid;
  const rateText = atomsToText(inv.rate, 8).replace(/\.?0+$/, '') || '0';
  return inv.prompts.map((p) => {
    const own = inv.payments.filter((x) => x.method === p.method && x.status !== 'Invalid');
    const ownSats = own.reduce((s, x) => s + x.sats, 0n);
    const remaining = due > 0n ? satsToBtc(due) : '0.00000000';
    return {
      paymentMethodId: p.method,
      currency: 'BTC',
      destination: p.destination,
      // BTCPay's BIP21 link for on-chain, `lightning:` for BOLT11 (see its payment link extensions).
      paymentLink:
        p.method === 'BTC-CHAIN'
          ? `bitcoin:${p.destination}${due > 0n ? `?amount=${trimBtc(remaining)}` : ''}`
          : `lightning:${p.destination}`,
      rate: rateText,
      paymentMethodPaid: satsToBtc(ownSats),
      totalPaid: satsToBtc(paid),
      due: satsToBtc(due),
      amount: satsToBtc(inv.dueSats),
      paymentMethodFee: '0.00000000',
      payments: inv.payments.filter((x) => x.method === p.method).map((x) => paymentJson(inv, x)),
      activated: p.activated,
      additionalData: p.method === 'BTC-CHAIN' ? { keyPath: '0/0', payjoinEnabled: false } : {},
    };
  });
}

function trimBtc(text: string): string {
  return text.replace(/\.?0+$/, '');
}

export function currencyDecimals(currency: string): number {
  const c = currency.toUpperCase();
  if (c === 'BTC') return 8;
  if (c === 'SATS' || c === 'JPY') return 0;
  return 2;
}

function roundDiv(a: bigint, b: bigint, decimals: number): bigint {
  // a/b is in atoms; round half away from zero to `decimals`.
  const step = 10n ** BigInt(12 - decimals);
  const d = b * step;
  let q = a / d;
  if ((a % d) * 2n >= d) q += 1n;
  return q * step;
}

function rateOf(s: Store, currency: string): bigint {
  const c = currency.toUpperCase();
  if (c === 'SATS') return 100_000_000n * ATOMS;
  const text = s.rates.get(`BTC_${c}`);
  if (!text) throw validationError('currency', `No rate available for BTC_${c}`, 400);
  return textToAtoms(text);
}

function asObject(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function pullPaymentJson(ctx: Pick<ApiContext, 'origin'>, pp: PullPayment): Record<string, unknown> {
  return {
    id: pp.id,
    name: pp.name,
    description: pp.description,
    currency: pp.currency,
    amount: pp.amount,
    BOLT11Expiration: String(pp.bolt11Expiration),
    autoApproveClaims: pp.autoApproveClaims,
    archived: pp.archived,
    viewLink: `${ctx.origin}/pull-payments/${pp.id}`,
    startsAt: pp.startsAt,
    expiresAt: pp.expiresAt,
  };
}

function webhookJson(w: Webhook): Record<string, unknown> {
  return {
    id: w.id,
    enabled: w.enabled,
    automaticRedelivery: w.automaticRedelivery,
    url: w.url,
    authorizedEvents: { everything: w.everything, specificEvents: w.specificEvents },
  };
}

function hasPolicy(ctx: ApiContext, policy: string, storeId: string): boolean {
  return ctx.key !== null && allows(ctx.key.permissions, policy, storeId);
}

export const OPERATIONS: Record<string, Operation> = {
  ApiKeys_GetCurrentApiKey: (ctx) => {
    const key = ctx.key as ApiKey;
    return { apiKey: key.apiKey, label: key.label, permissions: key.permissions };
  },
  ApiKeys_DeleteCurrentApiKey: (ctx) => {
    ctx.state.keys.delete((ctx.key as ApiKey).apiKey);
    return undefined;
  },
  Health_GetHealth: () => ({ synchronized: true }),

  Stores_GetStores: (ctx) => {
    const key = ctx.key as ApiKey;
    const allowed = storesAllowed(key.permissions, 'btcpay.store.canviewstoresettings');
    return [...ctx.state.stores.values()]
      .filter((s) => s.ownerId === key.userId && (allowed === 'all' || allowed.has(s.id)))
      .map(storeJson);
  },
  Stores_GetStore: (ctx) => storeJson(store(ctx, ctx.params['storeId'] ?? '')),
  Stores_GetStoreRates: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    const pairs = ctx.url.searchParams.getAll('currencyPair');
    const wanted = pairs.length > 0 ? pairs : [`BTC_${s.defaultCurrency}`];
    return wanted.map((pair) => {
      const rate = s.rates.get(pair.toUpperCase());
      return rate
        ? { currencyPair: pair, errors: [], rate }
        : { currencyPair: pair, errors: [`No rate rule for ${pair}`], rate: '0' };
    });
  },

  Apps_GetAllAppsForStore: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    return [...ctx.state.apps.values()].filter((a) => a.storeId === s.id).map(appBase);
  },
  Apps_GetPointOfSaleApp: (ctx) => posAppJson(posApp(ctx)),

  Invoices_CreateInvoice: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    const body = asObject(ctx.body);
    const currency =
      typeof body['currency'] === 'string' && body['currency'] !== '' ? body['currency'] : s.defaultCurrency;
    const amountText = typeof body['amount'] === 'string' ? body['amount'] : null;
    let amount: bigint | null = null;
    if (amountText !== null) {
      try {
        amount = textToAtoms(amountText);
      } catch {
        throw validationError('amount', 'Amount should be a decimal number', 400);
      }
      if (amount < 0n) throw validationError('amount', 'Amount should be greater or equal to 0', 400);
    }
    const checkout =
      body['checkout'] === undefined ? null : (body['checkout'] as Record<string, unknown> | null);
    const minutes = checkout?.['expirationMinutes'];
    if (typeof minutes === 'number' && minutes < 1) {
      throw validationError('checkout.expirationMinutes', 'expirationMinutes must be at least 1', 400);
    }
    const metadata = asObject(body['metadata']);
    const inv = ctx.state.engine.create({
      store: s,
      amount: amount === 0n ? null : amount,
      currency: currency.toUpperCase(),
      rate: rateOf(s, currency),
      metadata,
      checkout,
      receipt: body['receipt'] ? asObject(body['receipt']) : null,
      additionalSearchTerms: Array.isArray(body['additionalSearchTerms'])
        ? (body['additionalSearchTerms'] as string[])
        : [],
    });
    return invoiceJson(ctx, inv);
  },
  Invoices_GetInvoices: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    const q = ctx.url.searchParams;
    const statuses = q.getAll('status');
    const orderIds = q.getAll('orderId');
    const text = q.get('textSearch')?.toLowerCase() ?? null;
    const start = q.get('startDate') ? Number(q.get('startDate')) : null;
    const end = q.get('endDate') ? Number(q.get('endDate')) : null;
    const skip = Number(q.get('skip') ?? 0) || 0;
    const take = q.get('take') !== null ? Number(q.get('take')) : null;
    const withMethods = q.get('includePaymentMethods') === 'true';
    const list = [...ctx.state.engine.invoices.values()]
      .filter((inv) => inv.storeId === s.id && !inv.archived)
      .filter((inv) => statuses.length === 0 || statuses.includes(inv.status))
      .filter((inv) => orderIds.length === 0 || orderIds.includes(String(inv.metadata['orderId'] ?? '')))
      .filter((inv) => start === null || inv.createdTime >= start)
      .filter((inv) => end === null || inv.createdTime <= end)
      .filter(
        (inv) =>
          text === null ||
          inv.id.toLowerCase().includes(text) ||
          JSON.stringify(inv.metadata).toLowerCase().includes(text) ||
          inv.additionalSearchTerms.some((t) => t.toLowerCase().includes(text)),
      )
      // Newest first, as BTCPay lists them.
      .sort((a, b) => b.createdTime - a.createdTime || (a.id < b.id ? 1 : -1));
    const page = list.slice(skip, take === null ? undefined : skip + take);
    return page.map((inv) => ({
      ...invoiceJson(ctx, inv),
      ...(withMethods ? { paymentMethods: paymentMethodsJson(ctx.state.engine, inv) } : {}),
    }));
  },
  Invoices_GetInvoice: (ctx) => invoiceJson(ctx, invoiceOf(ctx)),
  // BTCPay's update replaces the invoice's metadata with the request's (UpdateInvoiceMetadata).
  Invoices_UpdateInvoice: (ctx) => {
    const inv = invoiceOf(ctx);
    inv.metadata = asObject(asObject(ctx.body)['metadata']);
    return invoiceJson(ctx, inv);
  },
  Invoices_GetInvoicePaymentMethods: (ctx) => paymentMethodsJson(ctx.state.engine, invoiceOf(ctx)),
  Invoices_MarkInvoiceStatus: (ctx) => {
    const inv = invoiceOf(ctx);
    const status = asObject(ctx.body)['status'];
    if (status !== 'Settled' && status !== 'Invalid')
      throw validationError('status', 'Status can only be Invalid or Settled');
    if (!manualMarking(inv).includes(status))
      throw apiError(400, 'invoice-not-markable', 'The invoice cannot be marked');
    inv.status = status;
    inv.additionalStatus = 'Marked';
    return invoiceJson(ctx, inv);
  },
  Invoices_Refund: (ctx) => refundInvoice(ctx),

  PullPayments_CreatePullPayment: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    const body = asObject(ctx.body);
    const currency = typeof body['currency'] === 'string' ? body['currency'] : 'BTC';
    const amount = typeof body['amount'] === 'string' ? body['amount'] : '';
    if (!/^\d+(\.\d+)?$/.test(amount) || textToAtoms(amount) <= 0n)
      throw validationError('amount', 'The amount should be more than 0');
    const wantsAuto = body['autoApproveClaims'] === true;
    if (wantsAuto && !hasPolicy(ctx, 'btcpay.store.cancreatepullpayments', s.id)) {
      throw new HttpError(403, {
        code: 'missing-permission',
        message:
          'Insufficient API Permissions. Please use an API key with permission "btcpay.store.cancreatepullpayments".',
        missingPermission: 'btcpay.store.cancreatepullpayments',
      });
    }
    const pp: PullPayment = {
      id: newId(20),
      storeId: s.id,
      name: typeof body['name'] === 'string' ? body['name'] : '',
      description: typeof body['description'] === 'string' ? body['description'] : '',
      currency: currency.toUpperCase(),
      amount,
      bolt11Expiration: typeof body['BOLT11Expiration'] === 'number' ? body['BOLT11Expiration'] : 30,
      autoApproveClaims: wantsAuto,
      archived: false,
      startsAt: typeof body['startsAt'] === 'number' ? body['startsAt'] : ctx.state.now(),
      expiresAt: typeof body['expiresAt'] === 'number' ? body['expiresAt'] : null,
      payoutMethods: Array.isArray(body['payoutMethods'])
        ? (body['payoutMethods'] as string[])
        : ['BTC-LN', 'BTC-CHAIN'],
      payouts: [],
    };
    ctx.state.pullPayments.set(pp.id, pp);
    return pullPaymentJson(ctx, pp);
  },
  PullPayments_GetPullPayments: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    const includeArchived = ctx.url.searchParams.get('includeArchived') === 'true';
    return [...ctx.state.pullPayments.values()]
      .filter((pp) => pp.storeId === s.id && (includeArchived || !pp.archived))
      .map((pp) => pullPaymentJson(ctx, pp));
  },
  PullPayments_GetPullPayment: (ctx) => pullPaymentJson(ctx, pullPaymentOf(ctx)),
  PullPayments_ArchivePullPayment: (ctx) => {
    const pp = ctx.state.pullPayments.get(ctx.params['pullPaymentId'] ?? '');
    if (!pp) throw apiError(404, 'pullpayment-not-found', 'The pull payment was not found');
    store(ctx, pp.storeId);
    pp.archived = true;
    return undefined;
  },
  PullPayments_GetPayouts: (ctx) => payoutsJson(pullPaymentOf(ctx).payouts, ctx.url),
  // GreenfieldPullPaymentController.GetStorePayouts: every payout of the store's pull payments.
  PullPayments_GetStorePayouts: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    const all = [...ctx.state.pullPayments.values()]
      .filter((pp) => pp.storeId === s.id)
      .flatMap((pp) => pp.payouts);
    return payoutsJson(all, ctx.url);
  },
  PullPayments_GetPullPaymentLNURL: (ctx) => {
    const pp = pullPaymentOf(ctx);
    if (!supportsLnurl(pp))
      throw apiError(400, 'lnurl-not-supported', 'LNURL not supported for this pull payment');
    const https = `${ctx.origin}/BTC/UILNURL/withdraw/pp/${pp.id}`;
    return {
      lnurlBech32: bech32
        .encode('lnurl', bech32.toWords(new TextEncoder().encode(https)), 2000)
        .toUpperCase(),
      lnurlUri: https.replace(/^https?:\/\//, 'lnurlw://'),
    };
  },

  Webhooks_CreateWebhook: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    const body = asObject(ctx.body);
    const events = asObject(body['authorizedEvents']);
    const w: Webhook = {
      id: newId(16),
      storeId: s.id,
      url: String(body['url'] ?? ''),
      secret: typeof body['secret'] === 'string' && body['secret'] !== '' ? body['secret'] : newId(24),
      enabled: body['enabled'] !== false,
      automaticRedelivery: body['automaticRedelivery'] !== false,
      everything: events['everything'] !== false,
      specificEvents: Array.isArray(events['specificEvents']) ? (events['specificEvents'] as string[]) : [],
    };
    if (!/^https?:\/\//.test(w.url)) throw validationError('url', 'Invalid Url');
    ctx.state.webhooks.set(w.id, w);
    return { ...webhookJson(w), secret: w.secret };
  },
  Webhooks_GetWebhooks: (ctx) => {
    const s = store(ctx, ctx.params['storeId'] ?? '');
    return [...ctx.state.webhooks.values()].filter((w) => w.storeId === s.id).map(webhookJson);
  },
  Webhooks_DeleteWebhook: (ctx) => {
    const w = ctx.state.webhooks.get(ctx.params['webhookId'] ?? '');
    if (!w) throw apiError(404, 'webhook-not-found', 'The webhook was not found');
    store(ctx, w.storeId);
    ctx.state.webhooks.delete(w.id);
    return undefined;
  },
  Webhooks_GetWebhookDeliveries: (ctx) => {
    const w = ctx.state.webhooks.get(ctx.params['webhookId'] ?? '');
    if (!w) throw apiError(404, 'webhook-not-found', 'The webhook was not found');
    store(ctx, w.storeId);
    return ctx.state.deliveries
      .filter((d) => d.webhookId === w.id)
      .map((d) => ({
        id: d.id,
        timestamp: d.timestamp,
        httpCode: d.httpCode,
        errorMessage: d.errorMessage,
        status: d.status,
      }));
  },
};

/** Payouts as Greenfield lists them: cancelled ones only with `includeCancelled=true` (GetStateFilter). */
function payoutsJson(payouts: readonly Payout[], url: URL): Record<string, unknown>[] {
  const includeCancelled = url.searchParams.get('includeCancelled') === 'true';
  return payouts
    .filter((p) => includeCancelled || p.state !== 'Cancelled')
    .map((p) => ({ ...p, date: new Date(p.date * 1000).toISOString() }));
}

function pullPaymentOf(ctx: ApiContext): PullPayment {
  const pp = ctx.state.pullPayments.get(ctx.params['pullPaymentId'] ?? '');
  if (!pp) throw apiError(404, 'pullpayment-not-found', 'The pull payment was not found');
  return pp;
}

export function supportsLnurl(pp: PullPayment): boolean {
  return (
    (pp.currency === 'BTC' || pp.currency === 'SATS') &&
    pp.payoutMethods.some((m) => m === 'BTC-LN' || m === 'BTC-LNURL')
  );
}

/** POST /invoices/{id}/refund, with BTCPay's variants and its auto-approval rule. */
function refundInvoice(ctx: ApiContext): unknown {
  const inv = invoiceOf(ctx);
  const s = ctx.state.stores.get(inv.storeId) as Store;
  if (!canRefund(inv)) throw apiError(400, 'non-refundable', 'Cannot refund this invoice');
  const body = asObject(ctx.body);
  const variant = body['refundVariant'];
  const methods = Array.isArray(body['payoutMethods']) ? (body['payoutMethods'] as string[]) : null;
  const supported = ['BTC-CHAIN', 'BTC-LN'];
  if (methods) {
    for (const m of methods)
      if (!supported.includes(m))
        throw validationError('payoutMethods', `Invalid or unsupported payout method: ${m}`, 400);
  }
  const payoutMethods = methods ?? [inv.prompts.find((p) => p.method === 'BTC-LN') ? 'BTC-LN' : 'BTC-CHAIN'];
  if (variant !== 'Custom' && (body['customAmount'] !== undefined || body['customCurrency'] !== undefined)) {
    throw validationError(
      'customAmount',
      'CustomAmount should only be set if the refundVariant is Custom',
      400,
    );
  }
  const paidSats = ctx.state.engine.paidSats(inv);
  const decimals = currencyDecimals(inv.currency);
  const paidCurrency = roundDiv(paidSats * inv.rate, 100_000_000n, decimals);
  let currency: string;
  let amount: bigint;
  let autoApprove: boolean;
  let divisibility = 8;
  switch (variant) {
    case 'RateThen':
      currency = 'BTC';
      amount = paidSats * 10_000n;
      autoApprove = true;
      break;
    case 'CurrentRate':
      currency = 'BTC';
      amount = roundDiv(paidCurrency * ATOMS, rateOf(s, inv.currency), 8);
      autoApprove = true;
      break;
    case 'Fiat':
      currency = inv.currency;
      amount = paidCurrency;
      autoApprove = false;
      divisibility = decimals;
      break;
    case 'OverpaidAmount':
      if (inv.additionalStatus !== 'PaidOver')
        throw validationError('refundVariant', 'Invoice is not overpaid', 400);
      currency = 'BTC';
      amount = (paidSats - inv.dueSats) * 10_000n;
      autoApprove = true;
      break;
    case 'Custom': {
      const custom = typeof body['customAmount'] === 'string' ? body['customAmount'] : '';
      const customCurrency =
        typeof body['customCurrency'] === 'string' ? body['customCurrency'].toUpperCase() : '';
      if (!/^\d+(\.\d+)?$/.test(custom) || textToAtoms(custom) <= 0n)
        throw validationError('customAmount', 'Amount must be greater than 0', 400);
      if (customCurrency === '') throw validationError('customCurrency', 'Invalid currency', 400);
      currency = customCurrency;
      amount = textToAtoms(custom);
      autoApprove = customCurrency === 'BTC';
      divisibility = currencyDecimals(customCurrency);
      break;
    }
    default:
      throw validationError('refundVariant', 'Please select a valid refund option', 400);
  }
  const subtract =
    typeof body['subtractPercentage'] === 'string' ? textToAtoms(body['subtractPercentage']) : 0n;
  if (subtract < 0n || subtract > 100n * ATOMS)
    throw validationError('subtractPercentage', 'Percentage must be a numeric value between 0 and 100', 400);
  if (subtract > 0n)
    amount = roundDiv((amount * (100n * ATOMS - subtract)) / (100n * ATOMS), 1n, divisibility);
  autoApprove = autoApprove && hasPolicy(ctx, 'btcpay.store.cancreatepullpayments', s.id);
  const pp: PullPayment = {
    id: newId(20),
    storeId: s.id,
    name: typeof body['name'] === 'string' ? body['name'] : `Refund ${inv.id}`,
    description: '',
    currency,
    amount: atomsToText(amount, divisibility),
    bolt11Expiration: 30,
    autoApproveClaims: autoApprove,
    archived: false,
    startsAt: ctx.state.now(),
    expiresAt: null,
    payoutMethods,
    payouts: [],
    invoiceId: inv.id,
  };
  ctx.state.pullPayments.set(pp.id, pp);
  return pullPaymentJson(ctx, pp);
}
