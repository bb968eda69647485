/**
 * The Lightning service: connected providers (several, one default per network), the pay box
 * (parse → prepare → confirm), receiving, the payments journal and its recovery, LNURL
 * withdraw and login. Everything a backend does goes through main/lightning/provider.ts.
 *
 * ── Adding a backend (the extension point) ─────────────────────────────────────────────────────
 * Each backend is a ProviderKindDefinition (main/lightning/registry.ts), passed in by kind:
 *
 *   createLightningService({ …, kinds: { lnd: createLndKind(…), nwc: createNwcKind(…), breez: … } })
 *
 * - `prepareConnection(input)` checks what the user entered in Settings (the contract's
 *   ConnectProviderInput for that kind, shared/contract/lightning.ts) and splits it into plain
 *   settings (SQLite) and one secret (sealed in the vault as `lightning.provider.<id>`).
 * - `create(connection)` builds the LightningProvider; `connection.secret()` reads the vault at
 *   each use. The service connects it when the vault is unlocked and disconnects it on lock.
 * - Before a new connection is saved the service builds a trial provider and requires connect()
 *   to succeed on the wallet's network, so bad credentials are reported, never stored.
 * The service does the rest for every kind: journal before sending, never paying a hash twice,
 * recovery after a restart, events to the renderer, typed translated errors.
 *
 * ── Other services ─────────────────────────────────────────────────────────────────────────────
 * `pay()` and `createInvoice()` are the same journaled paths the pay box uses, with an `origin`
 * (e.g. 'nwc:<app name>', 'zap') that the activity feed shows.
 */
import { randomUUID } from 'node:crypto';
import type { HDKey } from '@scure/bip32';
import type {
  ConnectProviderInput,
  CreatedInvoiceView,
  LightningPaymentView,
  LightningProviderStatus,
  LightningProviderView,
  Network,
  ParsedPaymentView,
  PreparedLightningPayment,
  Socks5ProxySetting,
} from '../../shared/contract';
import { FlashError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import { createConnectionStore } from './connections';
import { toFlashError } from './errors';
import type { JournalRow } from './journal';
import { createJournal } from './journal';
import type { LnurlGet } from './lnurl/http';
import { createLnurlHttp } from './lnurl/http';
import { checkWithdrawAmount, submitWithdraw } from './lnurl/withdraw';
import type { PayRequestInput } from './payments';
import { createPayments } from './payments';
import type { LightningPayment, ProviderEvent } from './provider';
import type { LiveProvider } from './providers';
import { createProviderManager } from './providers';
import type { InvoiceRequestInput } from './receive';
import { createReceiving } from './receive';
import { applyProviderState } from './reconcile';
import type { Swaps } from './breez/swaps';
import { createSwaps } from './breez/swaps';
import type { ProviderKinds } from './registry';
import { paymentView, statusView } from './views';

export interface LightningServiceDeps {
  db: Db;
  vault: VaultService;
  bus: EventBus;
  log: Logger;
  network(): Network;
  /** Backends by kind: the extension point described above. */
  kinds: ProviderKinds;
  /** The SOCKS5 proxy in force (LNURL fetches go through it; providers get it from their kind). */
  proxy(): Socks5ProxySetting | null;
  /** BIP32 root of the active account's words (LNURL-auth). */
  walletRoot(): HDKey;
  /** LNURL GETs; defaults to the dial-policy- and proxy-aware client. Tests inject their own. */
  lnurlGet?: LnurlGet;
  now?: () => number;
  /** How often open payments and invoices are looked up when no event came (ms). */
  reconcileEveryMs?: number;
  /** Payments pulled from a provider's own history when it connects. */
  historyPageSize?: number;
}

export interface LightningService {
  listProviders(): LightningProviderView[];
  connectProvider(input: ConnectProviderInput): Promise<LightningProviderView>;
  removeProvider(providerId: string): Promise<void>;
  setDefaultProvider(providerId: string): LightningProviderView;
  status(providerId?: string): Promise<LightningProviderStatus | null>;
  describe(text: string): Promise<ParsedPaymentView>;
  prepare(input: PayRequestInput): Promise<PreparedLightningPayment>;
  confirm(prepareId: string): Promise<LightningPaymentView>;
  /** prepare + confirm in one step, for other services (NWC service side, zaps). */
  pay(input: PayRequestInput): Promise<LightningPaymentView>;
  createInvoice(input: InvoiceRequestInput): Promise<CreatedInvoiceView & { paymentId: string }>;
  listPayments(limit: number, offset: number): LightningPaymentView[];
  /** Journal rows of the current network, newest first (the activity feed reads these). */
  journalRows(limit: number, offset: number): JournalRow[];
  journalCount(): number;
  getPayment(id: string): LightningPaymentView;
  withdraw(
    text: string,
    amountMsat: bigint,
    providerId?: string,
  ): Promise<{ invoice: CreatedInvoiceView; paymentId: string }>;
  auth(text: string): Promise<{ domain: string; linkingKey: string }>;
  /** Looks up every open payment and invoice now (also runs on a timer and after connecting). */
  reconcile(): Promise<void>;
  /** Lightning ↔ on-chain swaps, refunds and fee acceptance (backends with swaps: Breez). */
  swaps: Swaps;
  start(): void;
  stop(): Promise<void>;
}

export function createLightningService(deps: LightningServiceDeps): LightningService {
  const now = deps.now ?? Date.now;
  const nowSec = () => Math.floor(now() / 1000);
  const log = deps.log;
  const journal = createJournal(deps.db, now);
  const store = createConnectionStore(deps.db, deps.vault);
  const get = deps.lnurlGet ?? createLnurlHttp({ network: deps.network, proxy: deps.proxy });
  const emitRow = (row: JournalRow): void => deps.bus.emit('lightning.payment', paymentView(row));

  const providers = createProviderManager({
    store,
    kinds: deps.kinds,
    network: deps.network,
    log,
    now,
    onEvent: (live, event) => onProviderEvent(live, event),
    onConnected: (live) => void recover(live),
    onChange: (providerId) => deps.bus.emit('lightning.providers', { providerId }),
  });
  const payments = createPayments({
    journal,
    providers,
    get,
    network: deps.network,
    bus: deps.bus,
    log,
    now,
    walletRoot: deps.walletRoot,
  });
  const receiving = createReceiving({ journal, providers, network: deps.network, bus: deps.bus, now });
  const swaps = createSwaps({ journal, providers, network: deps.network, bus: deps.bus, log, now });

  function apply(row: JournalRow, payment: LightningPayment | null): void {
    const result = applyProviderState(journal, row, payment, nowSec());
    if (result.changed) emitRow(result.row);
    if (result.paidNow && result.row.paymentHash)
      deps.bus.emit('lightning.invoicePaid', {
        paymentHash: result.row.paymentHash,
        amountMsat: result.row.amountMsat.toString(),
        providerId: result.row.providerId,
      });
  }

  /**
   * A payment the journal has never seen (made on the node directly, or before Flash knew it).
   * From an event it enters as pending and is then applied, so a payment to us announces itself;
   * from history it enters as it is, so old payments raise no "Paid" notifications.
   */
  function adopt(live: LiveProvider, payment: LightningPayment, fromEvent: boolean): void {
    if (!payment.paymentHash) return;
    const settled = !fromEvent;
    const row = journal.insertIfAbsent({
      id: randomUUID(),
      paymentHash: payment.paymentHash,
      direction: payment.direction,
      providerId: live.row.id,
      providerKind: live.row.kind,
      network: deps.network(),
      state: settled ? payment.state : 'pending',
      amountMsat: payment.amountMsat,
      feeMsat: settled ? payment.feeMsat : 0n,
      bolt11: payment.bolt11,
      description: payment.description,
      preimage: settled ? payment.preimage : null,
      failure: settled ? payment.failure : null,
      origin: 'provider',
      createdAt: payment.createdAt,
      settledAt: settled ? payment.settledAt : null,
    });
    if (fromEvent) apply(row, payment);
    else emitRow(row);
  }

  function onProviderEvent(live: LiveProvider, event: ProviderEvent): void {
    // A sync can change the balance without any payment changing state (Breez confirms a swap's
    // claim after it was already shown as paid): screens showing the balance refresh.
    if (event.type === 'synced') deps.bus.emit('lightning.providers', { providerId: live.row.id });
    if (event.type !== 'payment') return;
    const p = event.payment;
    try {
      const row = p.paymentHash ? journal.byHash(p.direction, p.paymentHash) : null;
      if (row) apply(row, p);
      else adopt(live, p, true);
    } catch (err) {
      log.warn('provider event not applied', { providerId: live.row.id, code: toFlashError(err).code });
    }
  }

  /** After (re)connecting: settle what the journal left open, then learn the provider's history. */
  async function recover(live: LiveProvider): Promise<void> {
    const open = journal.open(deps.network()).filter((r) => r.providerId === live.row.id);
    for (const row of open) await payments.lookUp(live, row);
    if (!live.info?.capabilities.includes('list')) return;
    try {
      const recent = await live.provider.listPayments({ limit: deps.historyPageSize ?? 50, offset: 0 });
      for (const p of recent) {
        const row = p.paymentHash ? journal.byHash(p.direction, p.paymentHash) : null;
        if (row) apply(row, p);
        else adopt(live, p, false);
      }
    } catch (err) {
      log.warn('provider history not read', { providerId: live.row.id, code: toFlashError(err).code });
    }
  }

  async function reconcile(): Promise<void> {
    for (const row of journal.open(deps.network())) {
      const live = row.providerId ? providers.get(row.providerId) : null;
      if (live?.state === 'connected') await payments.lookUp(live, row);
      else if (row.direction === 'incoming') apply(row, null); // expiry needs no provider
    }
  }

  let timer: NodeJS.Timeout | null = null;
  let reconciling = false;
  let network: Network | null = null;
  const stops: (() => void)[] = [];

  async function reload(): Promise<void> {
    await providers.unloadAll();
    providers.load();
    if (deps.vault.status().state === 'unlocked') await providers.connectAll();
    else await providers.disconnectAll('locked');
  }

  const service: LightningService = {
    listProviders: () => providers.list(),
    connectProvider: async (input) => {
      try {
        return await providers.add(input);
      } catch (err) {
        throw toFlashError(err);
      }
    },
    removeProvider: (id) => providers.remove(id),
    setDefaultProvider: (id) => providers.setDefault(id),

    async status(providerId) {
      const view =
        providerId !== undefined ? providers.view(providerId) : providers.list().find((v) => v.isDefault);
      if (!view) return null;
      const live = providers.get(view.id);
      if (!live || live.state !== 'connected') return statusView(view, live?.info ?? null, null, null);
      try {
        const [info, balance, limits] = await Promise.all([
          live.provider.info(),
          live.info?.capabilities.includes('balance') ? live.provider.balance() : Promise.resolve(null),
          live.provider.limits(),
        ]);
        live.info = info;
        return statusView(providers.view(live.row.id), info, balance, limits);
      } catch (err) {
        throw toFlashError(err);
      }
    },

    describe: (text) => payments.describe(text),
    prepare: (input) => payments.prepare(input),
    confirm: (prepareId) => payments.confirm(prepareId),
    async pay(input) {
      const prepared = await payments.prepare(input);
      return payments.confirm(prepared.prepareId);
    },
    createInvoice: (input) => receiving.createInvoice(input),
    listPayments: (limit, offset) => journal.list(deps.network(), limit, offset).map(paymentView),
    journalRows: (limit, offset) => journal.list(deps.network(), limit, offset),
    journalCount: () => journal.count(deps.network()),
    getPayment(id) {
      const row = journal.get(id);
      if (!row || row.network !== deps.network())
        throw new FlashError('LIGHTNING_PAYMENT_NOT_FOUND', 'No such Lightning payment.');
      return paymentView(row);
    },

    async withdraw(text, amountMsat, providerId) {
      const params = await payments.resolveWithdraw(text);
      checkWithdrawAmount(params, amountMsat);
      const invoice = await receiving.createInvoice({
        amountMsat,
        description: params.defaultDescription,
        origin: 'lnurl-withdraw',
        counterparty: params.domain,
        ...(providerId !== undefined ? { providerId } : {}),
      });
      await submitWithdraw(get, params, invoice.bolt11);
      const { paymentId, ...view } = invoice;
      return { invoice: view, paymentId };
    },
    auth: (text) => payments.auth(text),
    reconcile,
    swaps,

    start() {
      network = deps.network();
      providers.load();
      if (deps.vault.status().state === 'unlocked') void providers.connectAll();
      else void providers.disconnectAll('locked');
      stops.push(
        deps.vault.onUnlock(() => void providers.connectAll()),
        deps.vault.onLock(() => void providers.disconnectAll('locked')),
        deps.bus.on('settings.changed', (settings) => {
          if (settings.network === network) return;
          network = settings.network;
          void reload();
        }),
      );
      timer = setInterval(() => {
        if (reconciling) return;
        reconciling = true;
        reconcile()
          .catch((err: unknown) => log.warn('reconcile failed', { code: toFlashError(err).code }))
          .finally(() => {
            reconciling = false;
          });
      }, deps.reconcileEveryMs ?? 15_000);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const stop of stops.splice(0)) stop();
      await providers.unloadAll();
    },
  };
  return service;
}
