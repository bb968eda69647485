import type { Socks5ProxySetting } from '../../shared/contract';
import type { PriceQuote, PriceSettings, PriceSourceKind, PriceStatus } from '../../shared/contract/prices';
import { PriceSettings as PriceSettingsSchema } from '../../shared/contract/prices';
import { FlashError, isFlashError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import type { PriceGet } from './http';
import { createPriceHttp } from './http';
import type { PriceSource } from './sources';
import { coinbaseSource, mempoolSource } from './sources';
import { createPriceStore } from './store';

/** Prices move slowly next to a wallet's needs; every 5 minutes keeps the source's load (and what it learns) small. */
export const PRICE_INTERVAL_MS = 5 * 60_000;
/** After a failure, ask again sooner, but not in a tight loop. */
export const PRICE_RETRY_MS = 60_000;
const PRICE_TIMEOUT_MS = 15_000;

export interface PriceServiceDeps {
  db: Db;
  bus: EventBus;
  log?: Logger;
  /** The app's SOCKS5 proxy now (asked at every request: it can change). */
  proxy(): Socks5ProxySetting | null;
  now?: () => number;
  intervalMs?: number;
  retryMs?: number;
  timeoutMs?: number;
  /** The HTTP GET; by default one through the proxy. */
  get?: PriceGet;
  /** Coinbase's API address (a test points it at a stand-in). */
  coinbaseUrl?: string;
}

export interface PriceService {
  status(): PriceStatus;
  configure(patch: Partial<PriceSettings>): Promise<PriceStatus>;
  refresh(): Promise<PriceStatus>;
  start(): void;
  stop(): void;
}

/**
 * The BTC price in the user's currency from the public source they chose, for the wallet
 * screens. Off by default: while off it never makes a request. A failed request keeps the last
 * good price (state 'stale', with its time) so the screens can show its age instead of nothing.
 */
export function createPriceService(deps: PriceServiceDeps): PriceService {
  const { bus } = deps;
  const log = deps.log?.child('prices');
  const now = deps.now ?? Date.now;
  const intervalMs = deps.intervalMs ?? PRICE_INTERVAL_MS;
  const retryMs = deps.retryMs ?? PRICE_RETRY_MS;
  const store = createPriceStore(deps.db);
  const get =
    deps.get ?? createPriceHttp({ proxy: deps.proxy, timeoutMs: deps.timeoutMs ?? PRICE_TIMEOUT_MS });
  const sources: Record<PriceSourceKind, PriceSource> = {
    mempool: mempoolSource,
    coinbase: coinbaseSource(deps.coinbaseUrl),
  };

  let settings = store.settings();
  let quote: PriceQuote | null = settings.source ? store.quote() : null;
  let lastError: PriceStatus['lastError'] = null;
  let lastAttemptAt: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  // Bumped by every settings change: an answer to an older request is dropped.
  let generation = 0;
  let inFlight: { generation: number; done: Promise<void> } | null = null;

  const status = (): PriceStatus => {
    if (!settings.source)
      return { settings, state: 'off', quote: null, lastError: null, lastAttemptAt: null };
    const state = lastError ? (quote ? 'stale' : 'loading') : quote ? 'fresh' : 'loading';
    return { settings, state, quote, lastError, lastAttemptAt };
  };
  const emit = (): void => bus.emit('prices.changed', status());

  const schedule = (delayMs: number): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!running || !settings.source) return;
    timer = setTimeout(() => {
      timer = null;
      void fetchNow();
    }, delayMs);
    timer.unref?.();
  };

  const fetchOnce = async (): Promise<void> => {
    const current = settings;
    const kind = current.source;
    if (!kind) return;
    const mine = generation;
    const source = sources[kind];
    lastAttemptAt = now();
    try {
      const read = source.read(await get(source.url(current)), current.currency);
      if (mine !== generation) return;
      const fetchedAt = now();
      quote = {
        source: kind,
        currency: current.currency,
        price: read.price,
        time: read.time ?? fetchedAt,
        fetchedAt,
      };
      lastError = null;
      store.saveQuote(quote);
    } catch (err) {
      if (mine !== generation) return;
      const e = isFlashError(err) ? err : new FlashError('PRICE_UNREACHABLE', 'The price source failed.');
      lastError = { code: e.code, message: e.message };
      // The host only: the log never says which amounts were on screen, and needs no more.
      log?.warn('price request failed', { source: kind, code: e.code });
    }
  };

  const fetchNow = async (): Promise<void> => {
    if (!settings.source) return;
    // Calls for the same settings share one request; new settings get a request of their own.
    if (!inFlight || inFlight.generation !== generation) {
      const done: Promise<void> = fetchOnce().finally(() => {
        if (inFlight?.done === done) inFlight = null;
      });
      inFlight = { generation, done };
    }
    await inFlight.done;
    emit();
    schedule(lastError ? retryMs : intervalMs);
  };

  return {
    status,

    async configure(patch) {
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const parsed = PriceSettingsSchema.safeParse({ ...settings, ...given });
      if (!parsed.success)
        throw new FlashError(
          'BAD_INPUT',
          `Invalid price settings: ${parsed.error.issues[0]?.message ?? 'bad value'}`,
        );
      const next = parsed.data;
      const sameSource =
        next.source === settings.source &&
        next.currency === settings.currency &&
        (next.source !== 'mempool' || next.mempoolUrl === settings.mempoolUrl);
      settings = next;
      store.saveSettings(next);
      if (!sameSource) {
        // Another source or currency: the old price no longer describes anything on screen.
        generation++;
        quote = null;
        lastError = null;
        lastAttemptAt = null;
        store.saveQuote(null);
      }
      if (!next.source) {
        schedule(0);
        emit();
        return status();
      }
      // The answer comes by 'prices.changed': a slow or dead source must not hold the settings
      // screen for the request's whole deadline.
      if (!sameSource || !quote) void fetchNow();
      emit();
      return status();
    },

    async refresh() {
      if (settings.source) await fetchNow();
      return status();
    },

    start() {
      running = true;
      if (!settings.source) return;
      // A price younger than the interval (kept from the last run) is used as it is.
      const age = quote ? now() - quote.fetchedAt : Infinity;
      if (age >= intervalMs) void fetchNow();
      else schedule(intervalMs - age);
    },

    stop() {
      running = false;
      generation++;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
