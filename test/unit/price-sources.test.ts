import { describe, expect, it } from 'vitest';
import { coinbaseSource, mempoolSource } from '../../main/prices/sources';
import { DEFAULT_PRICE_SETTINGS } from '../../main/prices/store';

describe('price source answers, read by their documented shapes', () => {
  it('mempool: whole numbers per currency and a time in seconds', () => {
    const body = {
      time: 1703252411,
      USD: 43753,
      EUR: 40545,
      GBP: 37528,
      CAD: 58123,
      CHF: 37438,
      AUD: 64499,
      JPY: 6218915,
    };
    expect(mempoolSource.read(body, 'EUR')).toEqual({ price: '40545', time: 1703252411000 });
    expect(mempoolSource.read(body, 'JPY').price).toBe('6218915');
    expect(mempoolSource.url({ ...DEFAULT_PRICE_SETTINGS, mempoolUrl: 'http://umbrel.local:3006' })).toBe(
      'http://umbrel.local:3006/api/v1/prices',
    );
  });

  it('mempool: a decimal keeps the digits sent; a missing, zero or -1 price is refused', () => {
    expect(mempoolSource.read({ time: 1, USD: 43753.12 }, 'USD').price).toBe('43753.12');
    for (const body of [
      { time: 1 },
      { time: 1, USD: 0 },
      { time: 1, USD: -1 },
      { time: 1, USD: '43753' },
      [],
      null,
    ])
      expect(() => mempoolSource.read(body, 'USD')).toThrow(
        expect.objectContaining({ code: 'PRICE_BAD_RESPONSE' }),
      );
  });

  it('mempool: an answer without a usable time is stamped by the service (null here)', () => {
    expect(mempoolSource.read({ USD: 5 }, 'USD').time).toBeNull();
  });

  it('coinbase: the amount string, checked against the pair asked', () => {
    const source = coinbaseSource('https://api.coinbase.com');
    expect(source.url({ ...DEFAULT_PRICE_SETTINGS, currency: 'CHF' })).toBe(
      'https://api.coinbase.com/v2/prices/BTC-CHF/spot',
    );
    const read = source.read({ data: { amount: '43753.120', base: 'BTC', currency: 'USD' } }, 'USD');
    expect(read).toEqual({ price: '43753.12', time: null });
    expect(
      source.read({ data: { amount: '43753.123456789', base: 'BTC', currency: 'USD' } }, 'USD').price,
    ).toBe('43753.12345678');
    const bad = [
      { data: { amount: '43753.12', base: 'BTC', currency: 'EUR' } },
      { data: { amount: 43753.12, base: 'BTC', currency: 'USD' } },
      { data: { amount: '4.3e4', base: 'BTC', currency: 'USD' } },
      { data: { amount: '0.00', base: 'BTC', currency: 'USD' } },
      { errors: [{ id: 'invalid_request', message: 'Invalid currency pair' }] },
    ];
    for (const body of bad)
      expect(() => source.read(body, 'USD')).toThrow(expect.objectContaining({ code: 'PRICE_BAD_RESPONSE' }));
  });
});
