import crypto from 'node:crypto';
import type { RegtestChain } from '../chain';
import type { InvoiceEngine, InvoiceEvent } from './engine';
import { createInvoiceEngine } from './engine';
import type { LightningNetworkPort } from './lightning-port';
import type {
  ApiKey,
  BoltcardRegistration,
  PosApp,
  PullPayment,
  Store,
  User,
  Webhook,
  WebhookDelivery,
} from './model';
import { newId } from './model';

/** Everything the stand-in server knows, in memory. */
export interface BtcpayState {
  users: Map<string, User & { password: string }>;
  keys: Map<string, ApiKey>;
  stores: Map<string, Store>;
  apps: Map<string, PosApp>;
  pullPayments: Map<string, PullPayment>;
  webhooks: Map<string, Webhook>;
  deliveries: WebhookDelivery[];
  boltcards: Map<string, BoltcardRegistration>;
  issuerKey: Uint8Array;
  engine: InvoiceEngine;
  lightning: LightningNetworkPort | null;
  /** Whether the store's Lightning payout processor pays approved payouts at once (BTCPay's "instantly"). */
  instantLightningPayouts: boolean;
  now(): number;
  createKey(userId: string, permissions: string[], label: string): ApiKey;
}

export function createState(opts: {
  chain: RegtestChain;
  now: () => number;
  onInvoiceEvent: (event: InvoiceEvent) => void;
  onInvoiceChanged: (invoiceId: string) => void;
  issuerKey?: Uint8Array;
}): BtcpayState {
  const state: BtcpayState = {
    users: new Map(),
    keys: new Map(),
    stores: new Map(),
    apps: new Map(),
    pullPayments: new Map(),
    webhooks: new Map(),
    deliveries: [],
    boltcards: new Map(),
    issuerKey: opts.issuerKey ?? new Uint8Array(crypto.randomBytes(16)),
    lightning: null,
    instantLightningPayouts: true,
    engine: createInvoiceEngine({
      chain: opts.chain,
      lightning: () => state.lightning,
      now: opts.now,
      onEvent: opts.onInvoiceEvent,
      onChanged: (inv) => opts.onInvoiceChanged(inv.id),
    }),
    now: opts.now,
    createKey(userId, permissions, label) {
      // BTCPay's keys are 40 hex characters.
      const key: ApiKey = { apiKey: crypto.randomBytes(20).toString('hex'), label, userId, permissions };
      state.keys.set(key.apiKey, key);
      return key;
    },
  };
  return state;
}

export interface SeedResult {
  user: User & { password: string };
  store: Store;
  app: PosApp;
  /** A key with every permission (`unrestricted`). */
  adminKey: ApiKey;
}

/** A demo shop: one user, one store in USD, one POS app with a few items in categories. */
export function seedDemoShop(state: BtcpayState): SeedResult {
  const user = { id: newId(16), email: 'merchant@flash.test', password: 'flash-demo-password' };
  state.users.set(user.id, user);
  const store: Store = {
    id: newId(32),
    name: 'Flash Coffee',
    ownerId: user.id,
    defaultCurrency: 'USD',
    invoiceExpiration: 900,
    monitoringExpiration: 86_400,
    displayExpirationTimer: 300,
    speedPolicy: 'MediumSpeed',
    paymentTolerance: 0,
    onChainWithLnInvoiceFallback: true,
    lightningAmountInSatoshi: false,
    lightning: true,
    rates: new Map([
      ['BTC_USD', '65000'],
      ['BTC_EUR', '60000'],
      ['BTC_JPY', '10000000'],
      ['BTC_BTC', '1'],
    ]),
  };
  state.stores.set(store.id, store);
  const app: PosApp = {
    id: newId(16),
    storeId: store.id,
    appName: 'Counter',
    created: state.now(),
    title: 'Flash Coffee counter',
    currency: 'USD',
    description: '',
    defaultView: 'Cart',
    showCustomAmount: true,
    showDiscount: true,
    showSearch: true,
    showCategories: true,
    enableTips: true,
    customTipPercentages: [10, 15, 20],
    archived: false,
    items: [
      {
        id: 'espresso',
        title: 'Espresso',
        categories: ['Coffee'],
        priceType: 'Fixed',
        price: '2.50',
        inventory: null,
        disabled: false,
      },
      {
        id: 'latte',
        title: 'Latte',
        categories: ['Coffee'],
        priceType: 'Fixed',
        price: '4.25',
        inventory: null,
        disabled: false,
      },
      {
        id: 'flat-white',
        title: 'Flat white',
        categories: ['Coffee'],
        priceType: 'Fixed',
        price: '3.90',
        inventory: null,
        disabled: false,
      },
      {
        id: 'green-tea',
        title: 'Green tea',
        categories: ['Tea'],
        priceType: 'Fixed',
        price: '2.20',
        inventory: null,
        disabled: false,
      },
      {
        id: 'croissant',
        title: 'Croissant',
        categories: ['Bakery'],
        priceType: 'Fixed',
        price: '3.10',
        inventory: 40,
        disabled: false,
        taxRate: '5',
      },
      {
        id: 'cookie',
        title: 'Cookie',
        categories: ['Bakery'],
        priceType: 'Fixed',
        price: '1.75',
        inventory: null,
        disabled: false,
      },
      {
        id: 'donation',
        title: 'Tip jar',
        categories: ['Other'],
        priceType: 'Topup',
        price: null,
        inventory: null,
        disabled: false,
      },
    ],
  };
  state.apps.set(app.id, app);
  const adminKey = state.createKey(user.id, ['unrestricted'], 'Flash stack (all permissions)');
  return { user, store, app, adminKey };
}
