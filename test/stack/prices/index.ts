import http from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import type { Route } from '../control-api';

/**
 * A public price source stand-in that answers in the documented shapes of the two APIs Flash can
 * use, on one loopback port:
 * - mempool.space `GET /api/v1/prices` (https://mempool.space/docs/api/rest#get-price):
 *   `{ "time": <unix seconds>, "USD": 43753, "EUR": 40545, "GBP": …, "CAD", "CHF", "AUD", "JPY" }`,
 *   whole numbers as in the documentation's example;
 * - Coinbase `GET /v2/prices/BTC-<CUR>/spot` (docs.cdp.coinbase.com, Data API — Prices):
 *   `{ "data": { "amount": "43753.12", "base": "BTC", "currency": "USD" } }`, the amount a string;
 *   an unknown pair answers 400 with `{ "errors": [{ "id", "message" }] }`.
 * Fault modes: 'down' (connections are cut without an answer, as an unreachable host),
 * 'http-503' (the server answers, but with an error, as during maintenance).
 */

export const PRICE_CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'CHF', 'AUD', 'JPY'] as const;
export type PriceFault = 'none' | 'down' | 'http-503';

export interface PriceStandIn {
  /** The base address: mempool's API under it at /api/v1/prices, Coinbase's at /v2/prices/…. */
  url: string;
  /** Requests answered or cut since start, per API. */
  requests: { mempool: number; coinbase: number };
  fault: PriceFault;
  /** One BTC per currency, as decimal strings with 2 decimals (JPY whole). */
  prices: Record<(typeof PRICE_CURRENCIES)[number], string>;
  routes: Route[];
  stop(): Promise<void>;
}

const DEFAULT_PRICES: PriceStandIn['prices'] = {
  USD: '65432.10',
  EUR: '60123.45',
  GBP: '51234.56',
  CAD: '89012.34',
  CHF: '57890.12',
  AUD: '98765.43',
  JPY: '9876543',
};

/** "65432.50" -> 65433: mempool's documented answer carries whole numbers. */
function wholeNumber(decimal: string): number {
  const [whole = '0', fraction = ''] = decimal.split('.');
  const roundUp = fraction.length > 0 && Number(fraction[0]) >= 5;
  return Number(BigInt(whole) + (roundUp ? 1n : 0n));
}

const CurrencyPrice = z.object({
  currency: z.enum(PRICE_CURRENCIES),
  price: z.string().regex(/^\d+(\.\d+)?$/),
});

export async function startPriceStandIn(opts: { port?: number } = {}): Promise<PriceStandIn> {
  const sockets = new Set<Socket>();
  const state = {
    requests: { mempool: 0, coinbase: 0 },
    fault: 'none' as PriceFault,
    prices: { ...DEFAULT_PRICES },
  };
  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const coinbase = /^\/v2\/prices\/([A-Za-z]+)-([A-Za-z]+)\/spot$/.exec(url.pathname);
    const mempool = url.pathname === '/api/v1/prices';
    if (req.method !== 'GET' || (!coinbase && !mempool)) return json(res, 404, { error: 'not found' });
    state.requests[mempool ? 'mempool' : 'coinbase']++;
    if (state.fault === 'down') {
      req.socket.destroy();
      return;
    }
    if (state.fault === 'http-503') return json(res, 503, { error: 'service unavailable' });
    if (mempool) {
      const body: Record<string, number> = { time: Math.floor(Date.now() / 1000) };
      for (const c of PRICE_CURRENCIES) body[c] = wholeNumber(state.prices[c]);
      return json(res, 200, body);
    }
    const base = coinbase?.[1]?.toUpperCase();
    const quote = coinbase?.[2]?.toUpperCase() as (typeof PRICE_CURRENCIES)[number];
    if (base !== 'BTC' || !(PRICE_CURRENCIES as readonly string[]).includes(quote))
      return json(res, 400, { errors: [{ id: 'invalid_request', message: 'Invalid currency pair' }] });
    return json(res, 200, { data: { amount: state.prices[quote], base: 'BTC', currency: quote } });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('price stand-in has no port');
  const url = `http://127.0.0.1:${address.port}`;

  const standIn: PriceStandIn = {
    url,
    get requests() {
      return state.requests;
    },
    get fault() {
      return state.fault;
    },
    set fault(mode: PriceFault) {
      state.fault = mode;
    },
    get prices() {
      return state.prices;
    },
    routes: [
      { method: 'GET', path: '/prices', handler: () => ({ url, ...state }) },
      {
        method: 'POST',
        path: '/prices/fault',
        handler: (body) => {
          state.fault = z.object({ mode: z.enum(['none', 'down', 'http-503']) }).parse(body).mode;
          return { fault: state.fault };
        },
      },
      {
        method: 'POST',
        path: '/prices/set',
        handler: (body) => {
          const { currency, price } = CurrencyPrice.parse(body);
          state.prices[currency] = price;
          return { prices: state.prices };
        },
      },
    ],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
