import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  ChargeInput,
  Counter,
  CounterEcashSettings,
  CounterEcashView,
  CounterTaxSettings,
  DailyTotal,
  DisplayState,
  EcashRequest,
  EcashSale,
  HistoryRow,
  MerchantApp,
  MerchantStatus,
  MerchantStore,
  OrderTotals,
  Refund,
  Reward,
  RewardRules,
  RewardRulesInput,
  Sale,
  StampCard,
  StampCustomerRef,
  ToppedUpCard,
} from '../../shared/contract/merchant';
import { RewardRules as RewardRulesSchema } from '../../shared/contract/merchant';
import { FlashError } from '../../shared/errors';
import { currencyDecimals } from '../../shared/merchant/decimal';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import type { AuthorizeSession } from './authorize';
import { startAuthorize } from './authorize';
import type { Cashier } from './cashier';
import { createCashier } from './cashier';
import type { CounterEcashPort } from './counter-ecash';
import { createCounterEcash } from './counter-ecash';
import type { Greenfield, GreenfieldSchemas } from './greenfield/client';
import { call, createGreenfield, normalizeServerUrl } from './greenfield/client';
import { allInvoices, dailyTotals, ecashDayTotals, historyRow, lastDays, listInvoices } from './history';
import type { InvoiceWatch } from './invoice-watch';
import { watchInvoice } from './invoice-watch';
import { checkFeatures, permissionsToRequest } from './permissions';
import { prepareOrder } from './pos-order';
import type { ReceiptLayout } from './receipt';
import { receiptFromSale, receiptHtml, receiptPdf, receiptQrDataUrl } from './receipt';
import type { ReceiptLanguage } from './receipt-words';
import { receiptWords } from './receipt-words';
import type { ConnectionRow } from './repository';
import { createMerchantRepository } from './repository';
import type { FlashCards } from './flash-cards';
import { createFlashCards } from './flash-cards';
import type { NfcReaders } from './nfc/readers';
import { openPcscReaders } from './nfc/pcsc-readers';
import type { CardRewards } from './rewards/card-rewards';
import { createCardRewards } from './rewards/card-rewards';
import { rewardFor } from './rewards/rules';
import type { EcashRewards, RewardEcashPort } from './rewards/ecash-rewards';
import { createEcashRewards, ecashRewardMessage } from './rewards/ecash-rewards';
import type { Rewards } from './rewards/rewards';
import { createRewards, rewardMessage } from './rewards/rewards';
import type { StampCards } from './rewards/stamp-card';
import { createStampCards, invoiceCounter, invoiceCustomer } from './rewards/stamp-card';
import type { StampCustomer } from './rewards/stamps';
import {
  customerFromId,
  parseStampCustomer,
  STAMP_COUNTER_FIELD,
  STAMP_METADATA_FIELD,
  STAMP_SOLD_AT_FIELD,
  stampCustomerId,
  stampOfSale,
  stampRewardKey,
  stampRewardSats,
  stampSearchTerm,
} from './rewards/stamps';
import { rewardTotals } from './rewards/totals';
import { salesCsv } from './sales-csv';
import { toSale, totalsFromMetadata } from './sale-view';

/** The vault secret holding the BTCPay API key. */
export const API_KEY_SECRET = 'merchant.btcpayApiKey';
const TAX_KEY = 'tax_settings';
const RECEIPT_KEY = 'receipt_settings';
/** A full card whose Nth sale another counter sold is rewarded here only after this long. */
const STAMP_TAKEOVER_MS = 10 * 60_000;
const COUNTER_ID_KEY = 'counter_id';
const COUNTER_SNAPSHOT_KEY = 'counter_snapshot';
const DEFAULT_RECEIPT: { language: ReceiptLanguage; autoPrint: boolean; layout: ReceiptLayout } = {
  language: 'en',
  autoPrint: false,
  layout: '80mm',
};
const DEFAULT_TAX: CounterTaxSettings = { defaultTaxRate: '0', taxIncluded: false, tipTaxRate: '0' };

/** What only the Electron shell can do (a second window, Chromium's PDF printer). */
export interface DesktopMerchantHooks {
  openCustomerDisplay(): void;
  printHtmlToPdf(html: string, layout: ReceiptLayout): Promise<Uint8Array>;
}

export interface MerchantDeps {
  db: Db;
  vault: VaultService;
  bus: EventBus;
  log: Logger;
  /** Where receipt PDFs are written. */
  receiptsDir: string;
  /** Sends a receipt as a NOSTR DM (the NOSTR service's receipts). */
  sendNostrReceipt?: (input: {
    to: string[];
    receipt: {
      items: { description: string; quantity: number; unitSats: number }[];
      note?: string;
      invoice?: string;
    };
  }) => Promise<unknown>;
  /** Sends a NIP-17 private message (the NOSTR service), for rewards sent to a customer's npub. */
  sendNostrMessage?: (input: { to: string[]; text: string }) => Promise<unknown>;
  desktop?: DesktopMerchantHooks | null;
  /**
   * The wallet's eCash service: the counter takes Cashu tokens with it while BTCPay is out of reach,
   * and rewards can be paid as tokens from the merchant's own eCash.
   */
  ecash?: CounterEcashPort & RewardEcashPort;
  /** NFC readers for Flash Cards; default: PC/SC through nfc-pcsc, opened on first use. */
  openNfcReaders?: () => NfcReaders;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** How often a sale is re-read when its websocket is not open. */
  pollMs?: number;
}

interface Current {
  sale: Sale;
  watch: InvoiceWatch | null;
}

export type MerchantService = ReturnType<typeof createMerchantService>;

export function createMerchantService(deps: MerchantDeps) {
  const now = deps.now ?? Date.now;
  const repo = createMerchantRepository(deps.db, now);
  const cashier: Cashier = createCashier(repo, now);
  const log = deps.log;
  let authorizing: AuthorizeSession | null = null;
  let counterCache: Counter | null = null;
  let current: Current | null = null;
  let display: DisplayState = idleDisplay(null);
  const cards: FlashCards = createFlashCards({
    repo,
    openReaders: deps.openNfcReaders ?? (() => openPcscReaders()),
    fetch: deps.fetch ?? fetch,
    timeoutMs: deps.timeoutMs ?? 15_000,
  });
  cards.onChange(() => deps.bus.emit('merchant.card', cards.status()));
  const rewards: Rewards = createRewards({ repo, log, now });
  const ecashRewards: EcashRewards = createEcashRewards({ repo, ecash: deps.ecash ?? null, log, now });
  const stampCards: StampCards = createStampCards({ log });
  const cardRewards: CardRewards = createCardRewards({ repo, cards, log, now });
  const counterEcash = createCounterEcash({
    repo,
    ecash: deps.ecash ?? null,
    log,
    now,
    lastCounter: () => counterCache ?? counterSnapshot(),
    onSale: (sale) => deps.bus.emit('merchant.ecashSale', sale),
  });
  let stopEcashWatch: (() => void) | null = null;

  // ---- connection ----------------------------------------------------------------------

  function client(serverUrl: string, apiKey: string): Greenfield {
    return createGreenfield({
      serverUrl,
      apiKey,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}),
    });
  }

  function connected(): { conn: ConnectionRow; gf: Greenfield } {
    const conn = repo.connection();
    if (!conn) throw new FlashError('MERCHANT_NOT_CONNECTED', 'Connect a BTCPay store first.');
    const key = new TextDecoder().decode(deps.vault.getSecret(API_KEY_SECRET));
    return { conn, gf: client(conn.serverUrl, key) };
  }

  function withApp(): { conn: ConnectionRow & { storeId: string; appId: string }; gf: Greenfield } {
    const { conn, gf } = connected();
    if (!conn.storeId || !conn.appId)
      throw new FlashError('MERCHANT_NO_APP', 'Pick a store and its POS app first.');
    return { conn: conn as ConnectionRow & { storeId: string; appId: string }, gf };
  }

  function status(): MerchantStatus {
    const conn = repo.connection();
    return {
      connection: conn
        ? {
            serverUrl: conn.serverUrl,
            storeId: conn.storeId,
            storeName: conn.storeName,
            appId: conn.appId,
            appName: conn.appName,
            permissions: conn.permissions,
            features: checkFeatures(conn.permissions, conn.storeId),
            keyLabel: conn.keyLabel,
          }
        : null,
      cashierMode: cashier.active(),
      pinSet: cashier.pinSet(),
      authorizing: authorizing ? { url: authorizing.authorizeUrl } : null,
    };
  }

  function emitStatus(): MerchantStatus {
    const s = status();
    deps.bus.emit('merchant.status', s);
    return s;
  }

  /** Checks the key against BTCPay, then keeps it: the key in the vault, the rest in SQLite. */
  async function connect(serverUrl: string, apiKey: string): Promise<MerchantStatus> {
    cashier.guard('connecting a store');
    const url = normalizeServerUrl(serverUrl);
    const gf = client(url, apiKey);
    const current = await call('check the API key', () => gf.GET('/api/v1/api-keys/current'));
    const permissions = current.permissions ?? [];
    // Reading the vault first: a locked vault refuses before anything is stored.
    deps.vault.putSecret(API_KEY_SECRET, new TextEncoder().encode(apiKey));
    const previous = repo.connection();
    const sameServer = previous?.serverUrl === url;
    repo.saveConnection({
      serverUrl: url,
      keyLabel: current.label ?? '',
      permissions,
      storeId: sameServer ? (previous?.storeId ?? null) : null,
      storeName: sameServer ? (previous?.storeName ?? null) : null,
      appId: sameServer ? (previous?.appId ?? null) : null,
      appName: sameServer ? (previous?.appName ?? null) : null,
    });
    counterCache = null;
    log.info('connected to BTCPay', { server: url, permissions: permissions.length });
    return emitStatus();
  }

  // ---- counter -------------------------------------------------------------------------

  function taxSettings(): CounterTaxSettings {
    const raw = repo.setting(TAX_KEY);
    if (!raw) return DEFAULT_TAX;
    try {
      return { ...DEFAULT_TAX, ...(JSON.parse(raw) as Partial<CounterTaxSettings>) };
    } catch {
      return DEFAULT_TAX;
    }
  }

  function receiptSettings(): typeof DEFAULT_RECEIPT {
    const raw = repo.setting(RECEIPT_KEY);
    if (!raw) return DEFAULT_RECEIPT;
    try {
      return { ...DEFAULT_RECEIPT, ...(JSON.parse(raw) as Partial<typeof DEFAULT_RECEIPT>) };
    } catch {
      return DEFAULT_RECEIPT;
    }
  }

  async function loadCounter(): Promise<Counter> {
    const { conn, gf } = withApp();
    const app = await call('read the POS app', () =>
      gf.GET('/api/v1/apps/pos/{appId}', { params: { path: { appId: conn.appId } } }),
    );
    const currency = (app.currency ?? '').toUpperCase() || 'USD';
    let rate: string | null = null;
    let rateAt: number | null = null;
    try {
      const rates = await call('read the store rates', () =>
        gf.GET('/api/v1/stores/{storeId}/rates', {
          params: { path: { storeId: conn.storeId }, query: { currencyPair: [`BTC_${currency}`] } },
        }),
      );
      const r = rates.find((x) => x.currencyPair === `BTC_${currency}` && (x.errors ?? []).length === 0);
      rate = r?.rate ?? null;
      rateAt = rate ? now() : null;
    } catch (err) {
      // The counter works without a rate (it is only for showing sats beside the price).
      log.warn('no store rate', { error: err instanceof Error ? err.message : String(err) });
    }
    // BTCPay's AppItem carries more than the spec lists (description, categories, taxRate).
    type RawItem = GreenfieldSchemas['AppItem'] & {
      description?: string | null;
      categories?: string[];
      taxRate?: string | null;
    };
    const items = ((app.items ?? []) as RawItem[])
      .filter((i) => !i.disabled && typeof i.id === 'string')
      .map((i) => ({
        id: i.id as string,
        title: i.title ?? (i.id as string),
        description: i.description ?? null,
        categories: Array.isArray(i.categories)
          ? i.categories.filter((c): c is string => typeof c === 'string')
          : [],
        priceType: (i.priceType ?? 'Fixed') as 'Fixed' | 'Topup' | 'Minimum',
        price: i.price ?? null,
        taxRate: typeof i.taxRate === 'string' && i.taxRate !== '' ? i.taxRate : null,
        inventory: typeof i.inventory === 'number' ? i.inventory : null,
      }));
    const counter: Counter = {
      storeId: conn.storeId,
      storeName: conn.storeName ?? '',
      appId: conn.appId,
      title: app.title ?? app.appName ?? '',
      currency,
      decimals: currencyDecimals(currency),
      items,
      categories: [...new Set(items.flatMap((i) => i.categories))],
      showCustomAmount: app.showCustomAmount ?? false,
      showDiscount: app.showDiscount ?? false,
      enableTips: app.enableTips ?? false,
      tipPercentages: app.customTipPercentages ?? [15, 18, 20],
      tax: taxSettings(),
      rate,
      rateAt,
    };
    counterCache = counter;
    repo.setSetting(COUNTER_SNAPSHOT_KEY, JSON.stringify(counter));
    return counter;
  }

  /** The POS app as last read, if it is the app still chosen. */
  function counterSnapshot(): Counter | null {
    const raw = repo.setting(COUNTER_SNAPSHOT_KEY);
    const conn = repo.connection();
    if (!raw || !conn?.appId) return null;
    try {
      const snap = JSON.parse(raw) as Counter;
      return snap.appId === conn.appId && snap.storeId === conn.storeId ? snap : null;
    } catch {
      return null;
    }
  }

  /**
   * The counter from BTCPay, or, while BTCPay cannot be reached, the POS app as last read: the
   * cashier can still build a cart and take eCash (its rate's age is on screen).
   */
  async function counterForScreen(): Promise<Counter> {
    try {
      return await loadCounter();
    } catch (err) {
      const offline =
        err instanceof FlashError && (err.code === 'MERCHANT_UNREACHABLE' || err.code === 'MERCHANT_TIMEOUT');
      const snap = offline ? counterSnapshot() : null;
      if (!snap) throw err;
      counterCache = snap;
      return snap;
    }
  }

  async function counter(): Promise<Counter> {
    return counterCache ?? loadCounter();
  }

  // ---- sales ---------------------------------------------------------------------------

  async function readSale(
    gf: Greenfield,
    invoiceId: string,
    totals: OrderTotals | null,
    serverUrl: string,
  ): Promise<Sale> {
    const [invoice, methods] = await Promise.all([
      call('read the invoice', () =>
        gf.GET('/api/v1/invoices/{invoiceId}', { params: { path: { invoiceId } } }),
      ),
      call('read its payment methods', () =>
        gf.GET('/api/v1/invoices/{invoiceId}/payment-methods', { params: { path: { invoiceId } } }),
      ),
    ]);
    const decimals = currencyDecimals(invoice.currency ?? 'USD');
    return toSale(invoice, methods, totals ?? totalsFromMetadata(invoice, decimals), serverUrl);
  }

  function setDisplay(next: DisplayState): void {
    display = next;
    deps.bus.emit('merchant.display', display);
  }

  function displayForSale(sale: Sale): DisplayState {
    const paid = sale.state === 'paid' || sale.state === 'paidOver' || sale.state === 'processing';
    const problem = sale.state === 'expired' || sale.state === 'expiredPartial' || sale.state === 'invalid';
    return {
      phase: paid ? 'paid' : problem ? 'problem' : 'charging',
      storeName: counterCache?.storeName ?? null,
      total: sale.amount,
      currency: sale.currency,
      qr: paid || problem ? null : sale.qr,
      saleState: sale.state,
      expiresAt: sale.expiresAt,
      lines: display.lines,
      reward: paid ? display.reward : null,
      stamps: display.stamps ?? null,
    };
  }

  function publishSale(sale: Sale): void {
    if (current && current.sale.invoiceId === sale.invoiceId) current.sale = sale;
    autoPrint(sale);
    autoReward(sale);
    deps.bus.emit('merchant.sale', sale);
    if (current?.sale.invoiceId === sale.invoiceId) setDisplay(displayForSale(sale));
  }

  function follow(sale: Sale, serverUrl: string, gf: Greenfield): void {
    current?.watch?.stop();
    const entry: Current = { sale, watch: null };
    current = entry;
    entry.watch = watchInvoice({
      serverUrl,
      invoiceId: sale.invoiceId,
      pollMs: deps.pollMs ?? 2000,
      refresh: async () => {
        const next = await readSale(gf, sale.invoiceId, entry.sale.totals, serverUrl);
        const changed = JSON.stringify(next) !== JSON.stringify(entry.sale);
        entry.sale = next;
        if (changed) publishSale(next);
        // Keep watching an expired invoice a while for a late payment; stop once it is final.
        return next.status === 'Settled' || next.status === 'Invalid';
      },
    });
  }

  async function charge(input: ChargeInput): Promise<Sale> {
    const { conn, gf } = withApp();
    const c = await counter();
    const orderId = `flash-${crypto.randomBytes(8).toString('hex')}`;
    const prepared = prepareOrder(c, input, orderId);
    // The stamp card lives on BTCPay: the invoice names its customer, and a search term finds them.
    const customer = input.customer ? parseStampCustomer(input.customer) : null;
    if (customer) {
      prepared.request.metadata[STAMP_METADATA_FIELD] = stampCustomerId(customer);
      prepared.request.metadata[STAMP_SOLD_AT_FIELD] = now();
      prepared.request.metadata[STAMP_COUNTER_FIELD] = counterId();
      prepared.request.additionalSearchTerms.push(stampSearchTerm(customer));
    }
    // Journal first: if Flash dies after BTCPay made the invoice, start-up finds it by orderId.
    const journalId = repo.journalStart('invoice', orderId, {
      storeId: conn.storeId,
      request: prepared.request,
    });
    let invoice: GreenfieldSchemas['InvoiceData'];
    try {
      invoice = await call('create the invoice', () =>
        gf.POST('/api/v1/stores/{storeId}/invoices', {
          params: { path: { storeId: conn.storeId } },
          body: prepared.request,
        }),
      );
    } catch (err) {
      // A timeout may still have made the invoice: leave the journal open for start-up to check.
      if (
        err instanceof FlashError &&
        err.code !== 'MERCHANT_TIMEOUT' &&
        err.code !== 'MERCHANT_UNREACHABLE'
      ) {
        repo.journalFailed(journalId, err.message);
      }
      throw err;
    }
    repo.journalDone(journalId, invoice.id ?? '');
    // The POST answered the invoice itself: only its payment methods are still to read.
    const methods = await call('read its payment methods', () =>
      gf.GET('/api/v1/invoices/{invoiceId}/payment-methods', {
        params: { path: { invoiceId: invoice.id ?? '' } },
      }),
    );
    const sale = toSale(invoice, methods, prepared.totals, conn.serverUrl);
    const card = customer ? stampCards.cached(customer) : null;
    setDisplay({
      ...displayForSale(sale),
      lines: displayLines(c, prepared.lines),
      reward: null,
      stamps: card ? { stamps: card.stamps, every: card.every } : null,
    });
    follow(sale, conn.serverUrl, gf);
    deps.bus.emit('merchant.sale', sale);
    return sale;
  }

  function displayLines(c: Counter, lines: ReturnType<typeof prepareOrder>['lines']): DisplayState['lines'] {
    return lines.map((l) => ({
      title: c.items.find((i) => i.id === l.itemId)?.title ?? l.itemId,
      count: l.count,
      amount: l.unitPrice,
    }));
  }

  /** Start-up: what became of invoices asked for when Flash last stopped. */
  async function resumeJournal(): Promise<void> {
    const open = repo.openJournal();
    if (open.length === 0) return;
    let gf: Greenfield;
    let conn: ConnectionRow;
    try {
      ({ gf, conn } = connected());
    } catch {
      return;
    }
    for (const row of open) {
      if (row.kind !== 'invoice' || !conn.storeId) continue;
      try {
        const found = await call('find the invoice', () =>
          gf.GET('/api/v1/stores/{storeId}/invoices', {
            params: { path: { storeId: conn.storeId as string }, query: { orderId: [row.ref] } },
            querySerializer: { array: { style: 'form', explode: true } },
          }),
        );
        const inv = (found as GreenfieldSchemas['InvoiceData'][])[0];
        if (inv?.id) repo.journalDone(row.id, inv.id);
        else repo.journalFailed(row.id, 'BTCPay never made this invoice');
      } catch (err) {
        log.warn('journal check failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  /** Start-up: rewards asked for when Flash last stopped, found on BTCPay or marked failed. */
  async function resumeRewards(): Promise<void> {
    try {
      const { conn, gf } = withApp();
      await rewards.resume(gf, conn.storeId);
    } catch (err) {
      log.warn('reward journal check failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  // ---- receipts ------------------------------------------------------------------------

  async function saleWithMetadata(
    invoiceId: string,
  ): Promise<{ sale: Sale; metadata: Record<string, unknown>; conn: ConnectionRow }> {
    const { conn, gf } = connected();
    const invoice = await call('read the invoice', () =>
      gf.GET('/api/v1/invoices/{invoiceId}', { params: { path: { invoiceId } } }),
    );
    const methods = await call('read its payment methods', () =>
      gf.GET('/api/v1/invoices/{invoiceId}/payment-methods', { params: { path: { invoiceId } } }),
    );
    const decimals = currencyDecimals(invoice.currency ?? 'USD');
    return {
      sale: toSale(invoice, methods, totalsFromMetadata(invoice, decimals), conn.serverUrl),
      metadata: (invoice.metadata ?? {}) as Record<string, unknown>,
      conn,
    };
  }

  /** The receipt PDF, in the store's receipt language, written without a dialog. */
  async function writeReceipt(
    sale: Sale,
    metadata: Record<string, unknown>,
    conn: ConnectionRow,
    layout: ReceiptLayout,
  ): Promise<{ path: string; bytes: number }> {
    const words = receiptWords(receiptSettings().language);
    const doc = receiptFromSale(sale, conn.storeName ?? '', metadata, words);
    const text = words.states[sale.state];
    const bytes = deps.desktop
      ? await deps.desktop.printHtmlToPdf(
          receiptHtml(doc, layout, text, await receiptQrDataUrl(doc.receiptUrl), words),
          layout,
        )
      : await receiptPdf(doc, layout, text, words);
    fs.mkdirSync(deps.receiptsDir, { recursive: true, mode: 0o700 });
    const file = path.join(deps.receiptsDir, `receipt-${sale.orderId || sale.invoiceId}-${layout}.pdf`);
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    return { path: file, bytes: bytes.length };
  }

  const autoPrinted = new Set<string>();

  /** Prints once when a sale of this counter turns paid, if the store asked for it. */
  function autoPrint(sale: Sale): void {
    const settings = receiptSettings();
    const paid = sale.state === 'paid' || sale.state === 'paidOver' || sale.state === 'processing';
    if (!settings.autoPrint || !paid || autoPrinted.has(sale.invoiceId)) return;
    autoPrinted.add(sale.invoiceId);
    void saleWithMetadata(sale.invoiceId)
      .then(({ sale: full, metadata, conn }) => writeReceipt(full, metadata, conn, settings.layout))
      .then((printed) =>
        deps.bus.emit('merchant.receiptPrinted', { invoiceId: sale.invoiceId, path: printed.path }),
      )
      .catch((err: unknown) => {
        autoPrinted.delete(sale.invoiceId);
        log.warn('automatic receipt failed', { error: err instanceof Error ? err.message : String(err) });
      });
  }

  // ---- rewards -------------------------------------------------------------------------

  const rewarded = new Set<string>();

  /** What issuing needs to know about a sale (its amount and order come from BTCPay, not the renderer). */
  function issueInput(conn: ConnectionRow & { storeId: string }, sale: Sale, storeCurrency: string) {
    return {
      storeId: conn.storeId,
      serverUrl: conn.serverUrl,
      storeCurrency,
      sale: {
        invoiceId: sale.invoiceId,
        orderId: sale.orderId,
        state: sale.state,
        amount: sale.amount,
        currency: sale.currency,
        paidSats: sale.paidSats,
      },
    };
  }

  function showReward(reward: Reward): void {
    deps.bus.emit('merchant.reward', reward);
    if (current?.sale.invoiceId !== reward.invoiceId || display.phase !== 'paid') return;
    // Only a reward still to claim is worth a QR on the customer's screen.
    const shown =
      reward.state !== 'unclaimed'
        ? null
        : reward.ecash
          ? {
              sats: reward.sats,
              lnurl: null,
              token: reward.ecash.token,
              ...(reward.ecash.qr ? { tokenQr: reward.ecash.qr } : {}),
            }
          : reward.lnurl
            ? { sats: reward.sats, lnurl: reward.lnurl }
            : null;
    if (JSON.stringify(shown) !== JSON.stringify(display.reward)) setDisplay({ ...display, reward: shown });
  }

  /** Issues the reward once when a sale of this counter is settled, if the store's rules give one. */
  function autoReward(sale: Sale): void {
    if ((sale.state !== 'paid' && sale.state !== 'paidOver') || rewarded.has(sale.invoiceId)) return;
    let conn: ConnectionRow & { storeId: string; appId: string };
    let gf: Greenfield;
    try {
      ({ conn, gf } = withApp());
    } catch {
      return;
    }
    const stampRules = rewards.rules(conn.storeId);
    if (stampRules.enabled && stampRules.kind === 'stamps') {
      autoStampReward(sale, conn, gf);
      return;
    }
    const rules = rewards.rules(conn.storeId);
    if (!rules.enabled) return;
    // A Flash Card reward waits for the customer's tap: the display asks for it.
    if (rules.giveAs === 'flashCard') {
      askForCardTap(sale, rules);
      return;
    }
    rewarded.add(sale.invoiceId);
    void counter()
      .then((c) => issueBy(gf, conn, sale, c.currency))
      .then((reward) => {
        if (reward) showReward(reward);
      })
      .catch((err: unknown) => {
        rewarded.delete(sale.invoiceId);
        const e = err instanceof FlashError ? err : new FlashError('MERCHANT_SERVER_ERROR', String(err));
        log.warn('reward not issued', { invoiceId: sale.invoiceId, code: e.code });
        deps.bus.emit('merchant.rewardFailed', {
          invoiceId: sale.invoiceId,
          code: e.code,
          message: e.message,
        });
      });
  }

  /** The customer display asks for the card a settled sale's reward goes onto (none yet there). */
  function askForCardTap(sale: Sale, rules: RewardRules): void {
    if (cardRewards.find(sale.invoiceId)) return;
    void counter()
      .then((c) => {
        const decision = rewardFor(rules, sale, c.currency);
        if (decision.sats === 0 || current?.sale.invoiceId !== sale.invoiceId || display.phase !== 'paid')
          return;
        const shown = { sats: decision.sats, lnurl: null, card: true };
        if (JSON.stringify(shown) !== JSON.stringify(display.reward))
          setDisplay({ ...display, reward: shown });
      })
      .catch((err: unknown) => {
        log.warn('card reward not offered', { error: err instanceof Error ? err.message : String(err) });
      });
  }

  /** A sale's reward of any kind, the local ones first (eCash, Flash Card: no BTCPay read). */
  async function findReward(
    gf: Greenfield,
    conn: ConnectionRow & { storeId: string },
    invoiceId: string,
    refresh: boolean,
  ): Promise<Reward | null> {
    const card = cardRewards.find(invoiceId);
    if (card) return card;
    const ecash = refresh ? await ecashRewards.refresh(invoiceId) : ecashRewards.find(invoiceId);
    return ecash ?? rewards.find(gf, conn.storeId, conn.serverUrl, invoiceId);
  }

  /**
   * Issues the sale's reward the way the store gives them. Either way a sale that already has a
   * reward of the other kind (the setting changed in between) gets no second one.
   */
  async function issueBy(
    gf: Greenfield,
    conn: ConnectionRow & { storeId: string },
    sale: Sale,
    storeCurrency: string,
  ): Promise<Reward | null> {
    const rules = rewards.rules(conn.storeId);
    const input = issueInput(conn, sale, storeCurrency);
    const card = cardRewards.find(sale.invoiceId);
    if (card) return card;
    if (rules.giveAs === 'flashCard') {
      // A sale already given a reward of another kind (the setting changed since) gets no second one.
      let other = ecashRewards.find(sale.invoiceId);
      try {
        other ??= await rewards.find(gf, conn.storeId, conn.serverUrl, sale.invoiceId);
      } catch (err) {
        log.warn('pull payment rewards not read', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      return (
        other ?? cardRewards.issue({ gf, storeId: conn.storeId, rules, storeCurrency, sale: input.sale })
      );
    }
    if (rules.giveAs !== 'ecash') {
      const ecash = ecashRewards.find(sale.invoiceId);
      return ecash ?? rewards.issue(gf, input);
    }
    let pulled: Reward | null = null;
    try {
      pulled = await rewards.find(gf, conn.storeId, conn.serverUrl, sale.invoiceId);
    } catch (err) {
      // A key that may not read pull payments could not have made one either.
      log.warn('pull payment rewards not read', { error: err instanceof Error ? err.message : String(err) });
    }
    return pulled ?? ecashRewards.issue({ rules, storeCurrency, sale: input.sale });
  }

  // ---- stamp card ----------------------------------------------------------------------

  /**
   * Sales of the store that have a reward: pull payments on BTCPay, eCash tokens of this counter.
   * A failed read fails the count: a card counted without its rewards could be paid twice.
   */
  async function rewardedInvoices(gf: Greenfield, storeId: string): Promise<Set<string>> {
    const out = new Set<string>(ecashRewards.all().keys());
    for (const id of await rewards.rewardedInvoices(gf, storeId)) out.add(id);
    return out;
  }

  /** This counter's name on the invoices it sells for the stamp card (made once, kept). */
  function counterId(): string {
    const known = repo.setting(COUNTER_ID_KEY);
    if (known) return known;
    const made = crypto.randomBytes(8).toString('hex');
    repo.setSetting(COUNTER_ID_KEY, made);
    return made;
  }

  /** Shows the customer's stamps on the customer display while it shows their sale. */
  function showStamps(invoiceId: string | null, stamps: number, every: number): void {
    const own = invoiceId === null ? display.phase === 'cart' : current?.sale.invoiceId === invoiceId;
    if (!own || (display.stamps?.stamps === stamps && display.stamps.every === every)) return;
    setDisplay({ ...display, stamps: { stamps, every } });
  }

  /**
   * The stamp card of the sale's customer, counted on BTCPay, and the reward of a full card: when
   * the count shows a card completed without its reward, the reward is issued for that card's Nth
   * sale (whichever counter sold it), keyed by its invoice so it is made once, then marked on it.
   */
  async function stampReward(
    gf: Greenfield,
    conn: ConnectionRow & { storeId: string },
    invoiceId: string,
    storeCurrency: string,
  ): Promise<{ reward: Reward | null; card: StampCard | null; dueElsewhere: boolean }> {
    const rules = rewards.rules(conn.storeId);
    const invoice = await call('read the invoice', () =>
      gf.GET('/api/v1/invoices/{invoiceId}', { params: { path: { invoiceId } } }),
    );
    const named = invoiceCustomer(invoice);
    const customer = named ? customerFromId(named) : null;
    if (!customer) return { reward: null, card: null, dueElsewhere: false };
    const marks = await rewardedInvoices(gf, conn.storeId);
    const read = await stampCards.read(gf, conn.storeId, customer, rules, storeCurrency, (id) =>
      marks.has(id),
    );
    const card = stampCards.view(customer, rules.stampEvery, read.progress);
    const due = read.progress.due;
    // The counter that sold the Nth sale rewards it; another counter takes over only once that
    // one has had its chance, so two counters do not race to pay the same card.
    const dueInvoice = due ? read.invoices.get(due) : undefined;
    const dueCreated = (dueInvoice?.createdTime ?? 0) * 1000;
    // Asked by hand for that very sale at another counter, the same holds: two counters paying
    // one card at the same instant is the one double payment Greenfield cannot refuse.
    const dueElsewhere =
      dueInvoice !== undefined &&
      invoiceCounter(dueInvoice) !== counterId() &&
      now() - dueCreated < STAMP_TAKEOVER_MS;
    let reward: Reward | null = null;
    if (due && !dueElsewhere) {
      const nth = await readSale(gf, due, null, conn.serverUrl);
      const input = {
        ...issueInput(conn, nth, storeCurrency),
        stampSats: stampRewardSats(rules, nth.paidSats),
      };
      // A Flash Card top-up waits for a tap the Nth sale may never get: a stamp reward is then
      // a pull payment (its QR on the displays), as it is for a customer known by npub.
      reward =
        rules.giveAs === 'ecash'
          ? await ecashRewards.issue({ rules, storeCurrency, sale: input.sale, stampSats: input.stampSats })
          : await rewards.issue(gf, input);
      if (reward) {
        await stampCards.markRewarded(gf, due, stampRewardKey(conn.storeId, customer, due));
        await sendStampDm(conn, customer, reward, rules);
      }
    } else if (read.progress.lastFull === invoiceId) {
      reward = await findReward(gf, conn, invoiceId, false);
    }
    return {
      reward,
      card: { ...card, stamps: stampOfSale(read.progress, rules.stampEvery, invoiceId) },
      dueElsewhere,
    };
  }

  /** The store may send a stamp reward to the customer's npub too; once per reward. */
  async function sendStampDm(
    conn: ConnectionRow,
    customer: StampCustomer,
    reward: Reward,
    rules: RewardRules,
  ): Promise<void> {
    const sentKey = `stamp_dm:${reward.invoiceId}`;
    if (!rules.stampSendDm || customer.kind !== 'npub' || !deps.sendNostrMessage) return;
    if (reward.state !== 'unclaimed' || repo.setting(sentKey)) return;
    const language = receiptSettings().language;
    try {
      await deps.sendNostrMessage({
        to: [customer.display],
        text: reward.ecash
          ? ecashRewardMessage(conn.storeName ?? '', reward, language)
          : rewardMessage(conn.storeName ?? '', reward, language),
      });
      repo.setSetting(sentKey, String(now()));
    } catch (err) {
      // The reward stands on the screens; the cashier can send it again from the sale.
      log.warn('stamp reward message not sent', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  function autoStampReward(sale: Sale, conn: ConnectionRow & { storeId: string }, gf: Greenfield): void {
    if (sale.state !== 'paid' && sale.state !== 'paidOver') return;
    rewarded.add(sale.invoiceId);
    void counter()
      .then((c) => stampReward(gf, conn, sale.invoiceId, c.currency))
      .then(({ reward, card }) => {
        if (card) showStamps(sale.invoiceId, card.stamps, card.every);
        if (reward) showReward(reward);
      })
      .catch((err: unknown) => {
        rewarded.delete(sale.invoiceId);
        const e = err instanceof FlashError ? err : new FlashError('MERCHANT_SERVER_ERROR', String(err));
        log.warn('stamp reward not issued', { invoiceId: sale.invoiceId, code: e.code });
        deps.bus.emit('merchant.rewardFailed', {
          invoiceId: sale.invoiceId,
          code: e.code,
          message: e.message,
        });
      });
  }

  /** Rewards of the store by sale, or null when the key may not read pull payments or payouts. */
  async function rewardsByInvoice(gf: Greenfield, storeId: string) {
    try {
      return await rewards.storeRewards(gf, storeId);
    } catch (err) {
      // The sales list works without them: a cashier key may lack the pull payment permissions.
      log.warn('rewards not read', { error: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  function startOfToday(): number {
    const start = new Date(now());
    start.setHours(0, 0, 0, 0);
    return start.getTime();
  }

  function guardToday(createdAt: number): void {
    if (!cashier.active()) return;
    const start = new Date(now());
    start.setHours(0, 0, 0, 0);
    if (createdAt < start.getTime()) cashier.guard('a sale from before today');
  }

  return {
    status,
    cashierActive: () => cashier.active(),

    connect,

    async startAuthorize(serverUrl: string): Promise<{ url: string }> {
      cashier.guard('connecting a store');
      authorizing?.cancel();
      const url = normalizeServerUrl(serverUrl);
      const session = await startAuthorize({
        serverUrl: url,
        permissions: permissionsToRequest(),
        applicationName: 'Flash counter',
      });
      authorizing = session;
      emitStatus();
      session.result.then(
        async (result) => {
          if (authorizing !== session) return;
          authorizing = null;
          try {
            await connect(url, result.apiKey);
          } catch (err) {
            log.warn('authorized key refused', { error: err instanceof Error ? err.message : String(err) });
            emitStatus();
          }
        },
        () => {
          if (authorizing === session) authorizing = null;
          emitStatus();
        },
      );
      return { url: session.authorizeUrl };
    },

    cancelAuthorize(): void {
      authorizing?.cancel();
      authorizing = null;
      emitStatus();
    },

    disconnect(): MerchantStatus {
      cashier.guard('disconnecting the store');
      current?.watch?.stop();
      current = null;
      counterCache = null;
      if (deps.vault.hasSecret(API_KEY_SECRET)) deps.vault.deleteSecret(API_KEY_SECRET);
      repo.clearConnection();
      setDisplay(idleDisplay(null));
      return emitStatus();
    },

    async listStores(): Promise<MerchantStore[]> {
      const { gf } = connected();
      const stores = await call('list stores', () => gf.GET('/api/v1/stores'));
      return stores.map((s) => ({
        id: s.id ?? '',
        name: s.name ?? '',
        defaultCurrency: s.defaultCurrency ?? 'USD',
      }));
    },

    async listApps(storeId: string): Promise<MerchantApp[]> {
      const { gf } = connected();
      const apps = await call('list the store apps', () =>
        gf.GET('/api/v1/stores/{storeId}/apps', { params: { path: { storeId } } }),
      );
      return apps
        .filter((a) => a.appType === 'PointOfSale' && !a.archived)
        .map((a) => ({ id: a.id ?? '', name: a.appName ?? '', type: a.appType ?? '' }));
    },

    async selectApp(storeId: string, appId: string): Promise<MerchantStatus> {
      cashier.guard('changing the POS app');
      const { conn, gf } = connected();
      const [store, app] = await Promise.all([
        call('read the store', () => gf.GET('/api/v1/stores/{storeId}', { params: { path: { storeId } } })),
        call('read the POS app', () => gf.GET('/api/v1/apps/pos/{appId}', { params: { path: { appId } } })),
      ]);
      if (app.storeId && app.storeId !== storeId) {
        throw new FlashError('MERCHANT_NOT_FOUND', 'That POS app belongs to another store.');
      }
      repo.saveConnection({
        ...conn,
        storeId,
        storeName: store.name ?? '',
        appId,
        appName: app.title ?? app.appName ?? '',
      });
      counterCache = null;
      setDisplay(idleDisplay(store.name ?? null));
      return emitStatus();
    },

    getCounter: () => counterForScreen(),

    async setTaxSettings(tax: CounterTaxSettings): Promise<Counter> {
      cashier.guard('changing tax settings');
      repo.setSetting(TAX_KEY, JSON.stringify(tax));
      counterCache = null;
      return loadCounter();
    },

    async quote(input: ChargeInput): Promise<OrderTotals> {
      return prepareOrder(await counter(), input, 'quote').totals;
    },

    charge,

    async getSale(invoiceId: string): Promise<Sale> {
      const { conn, gf } = connected();
      const totals = current?.sale.invoiceId === invoiceId ? current.sale.totals : null;
      const sale = await readSale(gf, invoiceId, totals, conn.serverUrl);
      guardToday(sale.createdAt);
      if (current?.sale.invoiceId === invoiceId) publishSale(sale);
      return sale;
    },

    async showCart(input: ChargeInput | { clear: true }): Promise<void> {
      if ('clear' in input) {
        current?.watch?.stop();
        current = null;
        setDisplay(idleDisplay(counterCache?.storeName ?? null));
        return;
      }
      const c = await counter();
      const prepared = prepareOrder(c, input, 'cart');
      if (current && display.phase === 'charging') return;
      setDisplay({
        phase: 'cart',
        storeName: c.storeName,
        total: prepared.totals.total,
        currency: c.currency,
        qr: null,
        saleState: null,
        expiresAt: null,
        lines: displayLines(c, prepared.lines),
        reward: null,
      });
    },

    getDisplay: (): DisplayState => display,

    // ---- eCash at the counter (BTCPay out of reach) -------------------------------------

    getCounterEcash: (): CounterEcashView => counterEcash.settings(),

    setCounterEcash(next: CounterEcashSettings): CounterEcashView {
      cashier.guard('choosing the mints the counter trusts');
      return counterEcash.setSettings(next);
    },

    ecashRequest(input: ChargeInput): EcashRequest {
      const request = counterEcash.request(input);
      const c = counterCache ?? counterSnapshot();
      current?.watch?.stop();
      current = null;
      setDisplay({
        phase: 'charging',
        storeName: c?.storeName ?? null,
        total: request.amount,
        currency: request.currency,
        qr: request.request,
        saleState: null,
        expiresAt: null,
        lines: c ? displayLines(c, prepareOrder(c, input, 'cart').lines) : [],
        reward: null,
        ecash: true,
      });
      return request;
    },

    async ecashAccept(requestId: string, token: string): Promise<EcashSale> {
      const sale = await counterEcash.accept(requestId, token);
      setDisplay({ ...display, phase: 'paid', qr: null, reward: null });
      return sale;
    },

    ecashSales: (): { sales: EcashSale[] } => {
      const sales = counterEcash.sales();
      // Cashier mode shows today only, as for BTCPay's sales.
      return { sales: cashier.active() ? sales.filter((s) => s.createdAt >= startOfToday()) : sales };
    },

    cardStatus: () => cards.status(),

    async cardPay(invoiceId: string): Promise<Sale> {
      const { conn, gf } = withApp();
      const sale = await readSale(gf, invoiceId, null, conn.serverUrl);
      if (sale.state !== 'waiting' || !sale.bolt11 || sale.dueSats <= 0)
        throw new FlashError('MERCHANT_BAD_ORDER', 'This sale is not waiting for a Lightning payment.');
      await cards.pay({ invoiceId, bolt11: sale.bolt11, sats: sale.dueSats, serverUrl: conn.serverUrl });
      // BTCPay settles the invoice when the card's payout pays it; the watch reports it live.
      return sale;
    },

    async cardBalance(): Promise<{ sats: number }> {
      const { conn } = withApp();
      return { sats: await cards.balance(conn.serverUrl) };
    },

    async cardProgram(sats: number) {
      cashier.guard('programming a card');
      const { conn, gf } = withApp();
      return cards.program(gf, conn.storeId, sats);
    },

    async cardWipe(giveUpSats: number) {
      cashier.guard('wiping a card');
      const { conn, gf } = withApp();
      return cards.wipe(gf, conn.storeId, giveUpSats);
    },

    async cardTopUp(sats: number): Promise<ToppedUpCard> {
      cashier.guard('topping up a card');
      const { conn, gf } = withApp();
      return cards.topUp(gf, conn.storeId, sats);
    },

    getRewardRules(): RewardRules {
      const { conn } = withApp();
      return rewards.rules(conn.storeId);
    },

    setRewardRules(input: RewardRulesInput): RewardRules {
      cashier.guard('changing the reward rules');
      const { conn } = withApp();
      const next = RewardRulesSchema.parse(input);
      if (next.giveAs === 'ecash') {
        const mint = (deps.ecash?.listMints() ?? []).find(
          (m) =>
            m.url.replace(/\/+$/, '').toLowerCase() ===
            (next.ecashMint ?? '').replace(/\/+$/, '').toLowerCase(),
        );
        if (!mint)
          throw new FlashError(
            'ECASH_MINT_NOT_FOUND',
            'Choose one of the wallet’s mints for eCash rewards.',
            {
              mint: next.ecashMint ?? '',
            },
          );
        return rewards.setRules(conn.storeId, { ...next, ecashMint: mint.url });
      }
      return rewards.setRules(conn.storeId, next);
    },

    async getReward(invoiceId: string): Promise<Reward | null> {
      const { conn, gf } = withApp();
      const reward = await findReward(gf, conn, invoiceId, true);
      if (reward) showReward(reward);
      return reward;
    },

    /** The paid sale's reward by the rules (the cashier cannot choose the amount); once per sale. */
    async issueReward(invoiceId: string): Promise<Reward> {
      const { conn, gf } = withApp();
      const sale = await readSale(gf, invoiceId, null, conn.serverUrl);
      guardToday(sale.createdAt);
      const c = await counter();
      if (rewards.rules(conn.storeId).kind === 'stamps') {
        const stamped = await stampReward(gf, conn, invoiceId, c.currency);
        if (stamped.dueElsewhere)
          throw new FlashError(
            'MERCHANT_NO_REWARD',
            'The counter that sold this purchase gives the card’s reward; here only 10 minutes after the sale.',
            { reason: 'otherCounter' },
          );
        if (!stamped.reward || stamped.reward.invoiceId !== invoiceId)
          throw new FlashError('MERCHANT_NO_REWARD', 'This sale did not complete a stamp card.');
        rewarded.add(invoiceId);
        showReward(stamped.reward);
        return stamped.reward;
      }
      const reward = await issueBy(gf, conn, sale, c.currency);
      if (!reward)
        throw new FlashError('MERCHANT_NO_REWARD', 'This sale earns no reward under the store’s rules.');
      rewarded.add(invoiceId);
      showReward(reward);
      return reward;
    },

    /**
     * A customer's stamp card from BTCPay, by npub or card UID or the card on the reader. With
     * `invoiceId`, the stamp that sale put on it. Reads only: rewards are issued when sales settle.
     */
    async stampCard(input: {
      customer?: StampCustomerRef | undefined;
      cardOnReader?: true | undefined;
      invoiceId?: string | undefined;
    }): Promise<StampCard> {
      const { conn, gf } = withApp();
      let customer: StampCustomer;
      if (input.customer) customer = parseStampCustomer(input.customer);
      else if (input.cardOnReader)
        customer = parseStampCustomer({ kind: 'card', value: await cards.readCardUid() });
      else throw new FlashError('MERCHANT_BAD_CUSTOMER', 'Name the customer: an npub, or their Flash Card.');
      const c = await counter();
      const rules = rewards.rules(conn.storeId);
      const marks = await rewardedInvoices(gf, conn.storeId);
      const read = await stampCards.read(gf, conn.storeId, customer, rules, c.currency, (id) =>
        marks.has(id),
      );
      const card = stampCards.view(customer, rules.stampEvery, read.progress);
      const stamps = stampOfSale(read.progress, rules.stampEvery, input.invoiceId);
      showStamps(input.invoiceId ?? null, stamps, rules.stampEvery);
      return { ...card, stamps };
    },

    async sendReward(invoiceId: string, to: string): Promise<void> {
      if (!deps.sendNostrMessage) throw new FlashError('MERCHANT_NO_RECEIPT', 'NOSTR is not available.');
      const { conn, gf } = withApp();
      const sale = await readSale(gf, invoiceId, null, conn.serverUrl);
      guardToday(sale.createdAt);
      const reward = await findReward(gf, conn, invoiceId, false);
      if (!reward?.lnurl && !reward?.ecash)
        throw new FlashError('MERCHANT_NO_REWARD', 'This sale has no reward to send.');
      if (reward.state !== 'unclaimed')
        throw new FlashError('MERCHANT_NO_REWARD', 'This reward can no longer be claimed.', {
          reason: reward.state,
        });
      const language = receiptSettings().language;
      await deps.sendNostrMessage({
        to: [to],
        text: reward.ecash
          ? ecashRewardMessage(conn.storeName ?? '', reward, language)
          : rewardMessage(conn.storeName ?? '', reward, language),
      });
    },

    async history(input: {
      from: number;
      to: number;
      status: 'any' | 'paid' | 'unpaid';
      text?: string | undefined;
      limit: number;
      offset: number;
    }): Promise<{ rows: HistoryRow[]; more: boolean }> {
      const { conn, gf } = withApp();
      let from = input.from;
      if (cashier.active()) {
        const start = new Date(now());
        start.setHours(0, 0, 0, 0);
        from = Math.max(from, start.getTime());
      }
      const statuses = statusFilter(input.status);
      const page = await listInvoices(gf, {
        storeId: conn.storeId,
        from: Math.floor(from / 1000),
        to: Math.floor(input.to / 1000),
        ...(statuses ? { statuses } : {}),
        ...(input.text ? { text: input.text } : {}),
        skip: input.offset,
        take: input.limit + 1,
      });
      const shown = page.slice(0, input.limit);
      const byInvoice = shown.length > 0 ? await rewardsByInvoice(gf, conn.storeId) : null;
      const ecashByInvoice = shown.length > 0 ? ecashRewards.all() : null;
      const cardByInvoice = shown.length > 0 ? cardRewards.all() : null;
      const rewardOf = (id: string | undefined) => {
        const r = id ? (cardByInvoice?.get(id) ?? ecashByInvoice?.get(id) ?? byInvoice?.get(id)) : undefined;
        return r ? { sats: r.status.sats, state: r.status.state } : null;
      };
      return {
        rows: shown.map((inv) => historyRow(inv, rewardOf(inv.id))),
        more: page.length > input.limit,
      };
    },

    async exportSalesCsv(input: {
      from: number;
      to: number;
      status: 'any' | 'paid' | 'unpaid';
    }): Promise<{ filename: string; csv: string; rows: number }> {
      const { conn, gf } = withApp();
      const from = cashier.active() ? Math.max(input.from, startOfToday()) : input.from;
      const statuses = statusFilter(input.status);
      const invoices = await allInvoices(gf, {
        storeId: conn.storeId,
        from: Math.floor(from / 1000),
        to: Math.floor(input.to / 1000),
        ...(statuses ? { statuses } : {}),
      });
      const rows = invoices.map((inv) => historyRow(inv));
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      return {
        filename: `sales-${day(from)}-to-${day(input.to)}.csv`,
        csv: salesCsv(rows),
        rows: rows.length,
      };
    },

    async dailyTotals(daysWanted: number): Promise<{ currency: string; days: DailyTotal[] }> {
      const { conn, gf } = withApp();
      const c = await counter();
      const n = cashier.active() ? 1 : daysWanted;
      const { days, fromMs } = lastDays(n, now());
      const invoices = await allInvoices(gf, {
        storeId: conn.storeId,
        from: Math.floor(fromMs / 1000),
        to: Math.floor(now() / 1000) + 60,
        statuses: ['Settled', 'Processing'],
      });
      const byInvoice = await rewardsByInvoice(gf, conn.storeId);
      const issued = [
        ...[...(byInvoice?.values() ?? [])].map((r) => ({
          issuedAtMs: r.pullPayment.startsAt === null ? null : r.pullPayment.startsAt * 1000,
          status: r.status,
        })),
        ...ecashRewards.all().values(),
        // BTCPay lists this counter's card rewards too; the local ones count when it could not.
        ...[...cardRewards.all().values()].filter((r) => !byInvoice?.has(r.invoiceId)),
      ];
      const perDay = rewardTotals(issued, days);
      const ecashPerDay = ecashDayTotals(counterEcash.sales(), c.currency, c.decimals, days);
      return {
        currency: c.currency,
        days: dailyTotals(invoices, c.currency, c.decimals, days, perDay, ecashPerDay).days,
      };
    },

    async refund(input: {
      invoiceId: string;
      variant: 'RateThen' | 'CurrentRate' | 'Fiat' | 'OverpaidAmount' | 'Custom';
      customAmount?: string | undefined;
      customCurrency?: string | undefined;
      subtractPercentage?: string | undefined;
    }): Promise<Refund> {
      cashier.guard('a refund');
      const { conn, gf } = connected();
      const body = {
        refundVariant: input.variant,
        ...(input.customAmount !== undefined ? { customAmount: input.customAmount } : {}),
        ...(input.customCurrency !== undefined ? { customCurrency: input.customCurrency } : {}),
        ...(input.subtractPercentage !== undefined ? { subtractPercentage: input.subtractPercentage } : {}),
      };
      const journalId = repo.journalStart('refund', input.invoiceId, body);
      let pp: GreenfieldSchemas['PullPaymentData'];
      try {
        pp = await call('refund the invoice', () =>
          gf.POST('/api/v1/invoices/{invoiceId}/refund', {
            params: { path: { invoiceId: input.invoiceId } },
            body,
          }),
        );
      } catch (err) {
        if (err instanceof FlashError) repo.journalFailed(journalId, err.message);
        throw err;
      }
      repo.journalDone(journalId, pp.id ?? '');
      let lnurl: string | null = null;
      try {
        const data = await call('read the refund LNURL', () =>
          gf.GET('/api/v1/pull-payments/{pullPaymentId}/lnurl', {
            params: { path: { pullPaymentId: pp.id ?? '' } },
          }),
        );
        lnurl = data.lnurlBech32 ?? null;
      } catch {
        // A refund in fiat or on-chain only has no LNURL: the link still works.
      }
      return {
        pullPaymentId: pp.id ?? '',
        amount: pp.amount ?? '0',
        currency: pp.currency ?? '',
        lnurl,
        link: pp.viewLink ?? `${conn.serverUrl}/pull-payments/${pp.id ?? ''}`,
        autoApproved: pp.autoApproveClaims === true,
      };
    },

    async printReceipt(invoiceId: string, layout: ReceiptLayout) {
      const { sale, metadata, conn } = await saleWithMetadata(invoiceId);
      guardToday(sale.createdAt);
      return writeReceipt(sale, metadata, conn, layout);
    },

    async receiptHtml(invoiceId: string, layout: ReceiptLayout): Promise<{ html: string }> {
      const { sale, metadata, conn } = await saleWithMetadata(invoiceId);
      guardToday(sale.createdAt);
      const words = receiptWords(receiptSettings().language);
      const doc = receiptFromSale(sale, conn.storeName ?? '', metadata, words);
      const qr = await receiptQrDataUrl(doc.receiptUrl);
      return { html: receiptHtml(doc, layout, words.states[sale.state], qr, words) };
    },

    getReceiptSettings: () => receiptSettings(),

    setReceiptSettings(next: typeof DEFAULT_RECEIPT) {
      cashier.guard('changing receipt settings');
      repo.setSetting(RECEIPT_KEY, JSON.stringify(next));
      return receiptSettings();
    },

    async sendReceipt(invoiceId: string, to: string): Promise<void> {
      if (!deps.sendNostrReceipt) throw new FlashError('MERCHANT_NO_RECEIPT', 'NOSTR is not available.');
      const { sale, metadata } = await saleWithMetadata(invoiceId);
      guardToday(sale.createdAt);
      if (sale.paidSats <= 0)
        throw new FlashError('MERCHANT_NO_RECEIPT', 'Nothing was paid for this sale yet.');
      const receipt = (metadata['receiptData'] ?? {}) as Record<string, unknown>;
      const cart =
        receipt['Cart'] && typeof receipt['Cart'] === 'object'
          ? (receipt['Cart'] as Record<string, string>)
          : {};
      const lines = Object.entries(cart).map(([k, v]) => `${k}: ${v}`);
      const note = [
        `Order ${sale.orderId}: ${sale.amount} ${sale.currency}`,
        ...lines,
        `Receipt: ${sale.receiptUrl}`,
      ]
        .join('\n')
        .slice(0, 500);
      await deps.sendNostrReceipt({
        to: [to],
        receipt: {
          items: [
            { description: `Order ${sale.orderId}`.slice(0, 200), quantity: 1, unitSats: sale.paidSats },
          ],
          note,
        },
      });
    },

    async receiptLink(invoiceId: string): Promise<{ url: string; mailto: string }> {
      const { sale, conn } = await saleWithMetadata(invoiceId);
      guardToday(sale.createdAt);
      const subject = `Receipt from ${conn.storeName ?? 'our shop'}`;
      const body = `Thank you! Your receipt for order ${sale.orderId} (${sale.amount} ${sale.currency}):\n${sale.receiptUrl}`;
      return {
        url: sale.receiptUrl,
        mailto: `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`,
      };
    },

    setCashierPin(pin: string): MerchantStatus {
      cashier.guard('changing the PIN');
      cashier.setPin(pin);
      return emitStatus();
    },
    enterCashierMode(): MerchantStatus {
      cashier.enter();
      return emitStatus();
    },
    async leaveCashierMode(input: { pin: string } | { password: string }): Promise<MerchantStatus> {
      if ('pin' in input) cashier.leaveWithPin(input.pin);
      else {
        await deps.vault.verifyPassword(input.password);
        cashier.leave();
      }
      return emitStatus();
    },

    openCustomerDisplay(): { opened: boolean } {
      if (!deps.desktop) return { opened: false };
      deps.desktop.openCustomerDisplay();
      return { opened: true };
    },

    start(): void {
      void resumeJournal();
      void resumeRewards();
      // eCash rewards need no BTCPay: settled even while the store's server is out of reach.
      void ecashRewards.resume().catch((err: unknown) => {
        log.warn('eCash reward journal check failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      });
      // Flash Card rewards: settled from the card journal (no card, no network).
      try {
        cardRewards.resume();
      } catch (err) {
        log.warn('card reward journal check failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      // The eCash journal claims counter tokens on its own once the mint answers; the sale follows.
      stopEcashWatch = deps.bus.on('ecash.operation', (op) => counterEcash.operationChanged(op.id));
    },
    stop(): void {
      stopEcashWatch?.();
      stopEcashWatch = null;
      cards.close();
      current?.watch?.stop();
      current = null;
      authorizing?.cancel();
      authorizing = null;
    },
  };
}

/** BTCPay statuses behind the history's paid / not paid filter. */
function statusFilter(
  status: 'any' | 'paid' | 'unpaid',
): ('New' | 'Processing' | 'Expired' | 'Invalid' | 'Settled')[] | undefined {
  if (status === 'paid') return ['Settled', 'Processing'];
  if (status === 'unpaid') return ['New', 'Expired', 'Invalid'];
  return undefined;
}

function idleDisplay(storeName: string | null): DisplayState {
  return {
    phase: 'idle',
    storeName,
    total: null,
    currency: null,
    qr: null,
    saleState: null,
    expiresAt: null,
    lines: [],
    reward: null,
  };
}
