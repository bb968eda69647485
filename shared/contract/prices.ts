import { z } from 'zod';
import { FIAT_CURRENCIES, PRICE_PATTERN } from '../fiat';
import { Empty } from './common';

/**
 * Fiat prices for the wallet screens: an optional public price source, off by default (asking a
 * price server tells it when this computer is running a wallet). The counter takes its rates
 * from the store's BTCPay Server instead (merchant.ts).
 */

export const PRICE_SOURCES = ['mempool', 'coinbase'] as const;
/** 'mempool': mempool.space's GET /api/v1/prices (or the user's own mempool instance); 'coinbase': GET /v2/prices/BTC-XXX/spot. */
export const PriceSourceKind = z.enum(PRICE_SOURCES);
export type PriceSourceKind = z.infer<typeof PriceSourceKind>;

export const FiatCurrencyCode = z.enum(FIAT_CURRENCIES);

export const DEFAULT_MEMPOOL_URL = 'https://mempool.space';

/** A mempool instance's base address: http(s), no query or fragment (a self-hosted one is often plain http on the LAN or an onion). */
export const PriceServerUrl = z
  .string()
  .trim()
  .max(300)
  .refine((text) => {
    try {
      const u = new URL(text);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash && !u.username;
    } catch {
      return false;
    }
  }, 'an http(s) address without query, fragment or user')
  .transform((text) => text.replace(/\/+$/, ''));

export const PriceSettings = z
  .object({
    /** null: off, no request is ever made. */
    source: PriceSourceKind.nullable(),
    currency: FiatCurrencyCode,
    /** The mempool instance asked when source is 'mempool'. */
    mempoolUrl: PriceServerUrl,
  })
  .strict();
export type PriceSettings = z.infer<typeof PriceSettings>;

/** One BTC in `currency`, as a decimal string (never a float), and when the source priced it. */
export const PriceQuote = z.object({
  source: PriceSourceKind,
  currency: FiatCurrencyCode,
  price: z.string().regex(PRICE_PATTERN),
  /** Unix ms of the price: the source's own time when it gives one, else when it answered. */
  time: z.number().int().nonnegative(),
  /** Unix ms when Flash received it. */
  fetchedAt: z.number().int().nonnegative(),
});
export type PriceQuote = z.infer<typeof PriceQuote>;

export const PriceStatus = z.object({
  settings: PriceSettings,
  /**
   * off: no source chosen. loading: asked, no price yet. fresh: the last request answered.
   * stale: the last request failed; `quote` is the last good price, shown with its age.
   */
  state: z.enum(['off', 'loading', 'fresh', 'stale']),
  quote: PriceQuote.nullable(),
  /** Why the last request failed (stale, or loading after a failure); null otherwise. */
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Unix ms of the last request, successful or not. */
  lastAttemptAt: z.number().int().nonnegative().nullable(),
});
export type PriceStatus = z.infer<typeof PriceStatus>;

export const pricesMethods = {
  'prices.get': { input: Empty, output: PriceStatus },
  /** Chooses the source (null turns it off), the currency and the mempool instance; fetches at once when on. */
  'prices.configure': { input: PriceSettings.partial().strict(), output: PriceStatus },
  /** Asks the source now (the Retry of a stale price); off sends nothing. */
  'prices.refresh': { input: Empty, output: PriceStatus },
} as const;

export const pricesEvents = {
  /** The settings, the price or its state changed. */
  'prices.changed': PriceStatus,
} as const;
