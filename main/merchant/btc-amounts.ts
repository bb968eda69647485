/**
 * BTC amounts as Greenfield writes them (decimal strings, 8 places for BTC) and the sats they
 * hold. One helper for this fact: pull payments, payouts and cards all go through it.
 */

/** 1234 → "0.00001234". */
export function satsToBtc(sats: number): string {
  if (!Number.isSafeInteger(sats) || sats < 0) throw new RangeError(`not a sats amount: ${sats}`);
  return `${Math.floor(sats / 1e8)}.${String(sats % 1e8).padStart(8, '0')}`;
}

/**
 * "0.00001234" (or "0.0000123400", "1") → 1234; amounts below one sat round down, so what is
 * shown as owed to a customer is never more than BTCPay pays. Null for text that is no amount.
 */
export function btcToSats(btc: string | null | undefined): number | null {
  if (typeof btc !== 'string') return null;
  const m = /^(\d{1,8})(?:\.(\d{1,12}))?$/.exec(btc.trim());
  if (!m) return null;
  return Number(m[1]) * 100_000_000 + Number((m[2] ?? '').padEnd(12, '0').slice(0, 8));
}

/** An amount in a pull payment's currency (BTC or SATS) → sats; null for any other currency. */
export function pullPaymentSats(
  amount: string | null | undefined,
  currency: string | null | undefined,
): number | null {
  const c = (currency ?? '').toUpperCase();
  if (c === 'BTC') return btcToSats(amount);
  if (c === 'SATS') {
    const m = /^(\d{1,16})(?:\.\d+)?$/.exec((amount ?? '').trim());
    return m ? Number(m[1]) : null;
  }
  return null;
}
