import type { LightningPaymentView } from '../../../shared/contract/lightning';
import type { ErrorCode } from '../../../shared/errors';
import type { NumberSeparators } from '../../../shared/money';
import { formatSats, parseSats } from '../../../shared/money';

/** 1234567 msat -> "1,234.567" sats; whole sats without decimals. String math only. */
export function formatMsatAsSats(msat: string | bigint, separators: NumberSeparators): string {
  const v = typeof msat === 'bigint' ? msat : BigInt(msat);
  const whole = formatSats(v / 1000n, { separators });
  const frac = (v % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return frac ? `${whole}${separators.decimal}${frac}` : whole;
}

/** What the user typed in sats, as msat for the bridge; null when it is not a whole number of sats. */
export function satsTextToMsat(text: string): string | null {
  const sats = parseSats(text);
  return sats === null || sats <= 0 ? null : (BigInt(sats) * 1000n).toString();
}

/** `02ab12…ef34` for node ids and hashes. */
export function shortHex(hex: string): string {
  return hex.length > 20 ? `${hex.slice(0, 8)}…${hex.slice(-8)}` : hex;
}

/** A payment's failure as the bridge error whose text explains it. */
export const FAILURE_ERROR: Record<NonNullable<LightningPaymentView['failure']>, ErrorCode> = {
  'no-route': 'LIGHTNING_NO_ROUTE',
  'insufficient-balance': 'LIGHTNING_INSUFFICIENT_BALANCE',
  expired: 'LIGHTNING_EXPIRED',
  'amount-out-of-limits': 'LIGHTNING_AMOUNT_OUT_OF_LIMITS',
  'wrong-network': 'LIGHTNING_WRONG_NETWORK',
  'already-paid': 'LIGHTNING_ALREADY_PAID',
  'invoice-invalid': 'LIGHTNING_INVOICE_INVALID',
  timeout: 'LIGHTNING_TIMEOUT',
  unauthorized: 'LIGHTNING_UNAUTHORIZED',
  'not-supported': 'LIGHTNING_NOT_SUPPORTED',
  'quota-exceeded': 'LIGHTNING_QUOTA_EXCEEDED',
  unreachable: 'LIGHTNING_UNREACHABLE',
  'provider-error': 'LIGHTNING_PROVIDER_ERROR',
};
