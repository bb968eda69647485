import type { PriceSettings, PriceSourceKind } from '../../shared/contract/prices';
import { FlashError } from '../../shared/errors';
import type { FiatCurrency } from '../../shared/fiat';
import { PRICE_PATTERN } from '../../shared/fiat';

/** A price as read from a source, before Flash stamps when it arrived. */
export interface SourcePrice {
  price: string;
  /** Unix ms of the price when the source says; null when it does not (Coinbase's spot). */
  time: number | null;
}

export interface PriceSource {
  url(settings: PriceSettings): string;
  /** Reads the source's documented answer; a different shape is PRICE_BAD_RESPONSE. */
  read(body: unknown, currency: FiatCurrency): SourcePrice;
}

export const COINBASE_URL = 'https://api.coinbase.com';

function bad(source: PriceSourceKind, why: string): FlashError {
  return new FlashError('PRICE_BAD_RESPONSE', `The ${source} price answer ${why}.`, { source });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A JSON number as the decimal text the source wrote. JSON.parse hands us a double, but for the
 * integers mempool documents (and any decimal of up to 15 significant digits) String() gives back
 * exactly the digits that were sent (shortest round trip), so no float ever enters the math.
 */
function priceFromJsonNumber(value: number): string | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  const text = String(value);
  if (!/^\d+(\.\d+)?$/.test(text)) return null;
  const digits = text.replace('.', '').replace(/^0+/, '');
  if (digits.length > 15) return null;
  return PRICE_PATTERN.test(text) ? text : null;
}

/**
 * mempool.space `GET /api/v1/prices`: `{ "time": <unix seconds>, "USD": 43753, "EUR": …, … }`
 * (https://mempool.space/docs/api/rest#get-price). Self-hosted instances answer the same.
 */
export const mempoolSource: PriceSource = {
  url: (settings) => `${settings.mempoolUrl}/api/v1/prices`,
  read(body, currency) {
    if (!isRecord(body)) throw bad('mempool', 'is not an object');
    const raw = body[currency];
    if (typeof raw !== 'number') throw bad('mempool', `has no ${currency} price`);
    const price = priceFromJsonNumber(raw);
    // mempool answers 0 (or -1 in older versions) for a currency its price feeds lack.
    if (price === null) throw bad('mempool', `has no usable ${currency} price`);
    const time = body.time;
    return {
      price,
      time: typeof time === 'number' && Number.isSafeInteger(time) && time > 0 ? time * 1000 : null,
    };
  },
};

/**
 * Coinbase `GET /v2/prices/BTC-USD/spot`, no authentication:
 * `{ "data": { "amount": "43753.12", "base": "BTC", "currency": "USD" } }`
 * (docs.cdp.coinbase.com, Data API — Prices). The amount is a string; it carries no time.
 */
export function coinbaseSource(baseUrl = COINBASE_URL): PriceSource {
  return {
    url: (settings) => `${baseUrl}/v2/prices/BTC-${settings.currency}/spot`,
    read(body, currency) {
      if (!isRecord(body) || !isRecord(body.data)) throw bad('coinbase', 'has no data');
      const { amount, base, currency: quoted } = body.data;
      if (base !== 'BTC' || quoted !== currency)
        throw bad('coinbase', `prices ${String(base)}-${String(quoted)}, not BTC-${currency}`);
      if (typeof amount !== 'string') throw bad('coinbase', 'has no amount');
      // Coinbase may write more decimals than a price needs; cut (not round) past 8: sub-satoshi noise.
      const m = /^(\d+)(?:\.(\d+))?$/.exec(amount);
      if (!m) throw bad('coinbase', 'amount is not a decimal number');
      const whole = (m[1] ?? '').replace(/^0+(?=\d)/, '');
      const fraction = (m[2] ?? '').slice(0, 8).replace(/0+$/, '');
      const price = fraction ? `${whole}.${fraction}` : whole;
      if (!PRICE_PATTERN.test(price) || /^0(\.0*)?$/.test(price))
        throw bad('coinbase', 'amount is not a price');
      return { price, time: null };
    },
  };
}
