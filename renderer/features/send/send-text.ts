import { useCallback } from 'react';
import { AddressError } from '../../../shared/bitcoin/address';
import { UriError } from '../../../shared/bitcoin/uri';
import type { MessageKey, TranslateVars } from '../../i18n';
import { useErrorText, useT } from '../../i18n';
import { BridgeCallError } from '../../app/result';

/** `details.reason` values the send service uses (main/bitcoin/send/errors.ts). */
const SEND_REASONS = new Set([
  'INSUFFICIENT_FUNDS',
  'AMOUNT_BELOW_DUST',
  'BAD_FEE_RATE',
  'BAD_OUTPUTS',
  'UNKNOWN_COIN',
  'COIN_FROZEN',
  'DRAFT_STATE',
  'NOT_REPLACEABLE',
  'FEE_TOO_LOW',
  'NOTHING_TO_SPEND',
  'BAD_PSBT',
  'PSBT_NOT_OURS',
  'PSBT_INCOMPLETE',
  'TX_NOT_FOUND',
  'BROADCAST_REJECTED',
  'BAD_SIGNATURE_FORMAT',
  'UNSUPPORTED_ADDRESS',
  'BAD_UR',
  'UR_UNKNOWN_TYPE',
  'UR_INCOMPLETE',
  'BBQR_BAD_HEADER',
  'BBQR_MIXED',
  'BBQR_INCOMPLETE',
  'BBQR_BAD_DATA',
  'BBQR_WRONG_TYPE',
  'BBQR_TOO_LARGE',
  'BBQR_BAD_VERSION',
  'INPUT_AMOUNT_UNKNOWN',
  'INPUT_AMOUNT_MISMATCH',
  'FEE_ABSURD',
  'FEE_CONFIRMATION_MISMATCH',
]);
const ADDRESS_REASONS = new Set([
  'WRONG_NETWORK',
  'BAD_CHECKSUM',
  'WRONG_BECH32_VARIANT',
  'BAD_WITNESS_PROGRAM',
  'UNKNOWN_FORMAT',
]);
const URI_REASONS = new Set([
  'NOT_A_BITCOIN_URI',
  'BAD_AMOUNT',
  'UNKNOWN_REQUIRED_PARAM',
  'DUPLICATE_PARAM',
  'BAD_ENCODING',
  'NO_PAYMENT_INSTRUCTION',
]);
const NETWORKS = new Set(['mainnet', 'testnet', 'signet', 'regtest']);

function varsOf(details: Record<string, unknown> | undefined): TranslateVars {
  const vars: TranslateVars = {};
  for (const [k, v] of Object.entries(details ?? {})) {
    if (typeof v === 'string' || typeof v === 'number') vars[k] = v;
  }
  return vars;
}

/**
 * Turns a send failure into translated text: the service's `details.reason`, or an address / URI
 * parse error from shared/bitcoin; anything else falls back to the generic error text.
 */
export function useSendErrorText(): (err: unknown) => string {
  const t = useT();
  const errorText = useErrorText();
  return useCallback(
    (err: unknown) => {
      const networkName = (v: string | number | undefined) =>
        typeof v === 'string' && NETWORKS.has(v) ? t(`network.${v as 'mainnet'}`) : String(v ?? '');
      if (err instanceof AddressError && ADDRESS_REASONS.has(err.reason)) {
        const vars = varsOf(err.details);
        vars['expected'] = networkName(vars['expected']);
        vars['actual'] = networkName(vars['actual']);
        return t(`send.address.${err.reason}` as MessageKey, vars);
      }
      if (err instanceof UriError && URI_REASONS.has(err.reason)) {
        return t(`send.uri.${err.reason}` as MessageKey, varsOf(err.details));
      }
      if (err instanceof BridgeCallError) {
        const reason = err.details['reason'];
        if (typeof reason === 'string' && SEND_REASONS.has(reason)) {
          return t(`send.error.${reason}` as MessageKey, varsOf(err.details));
        }
        if (typeof reason === 'string' && ADDRESS_REASONS.has(reason)) {
          const vars = varsOf(err.details);
          vars['expected'] = networkName(vars['expected']);
          vars['actual'] = networkName(vars['actual']);
          return t(`send.address.${reason}` as MessageKey, vars);
        }
      }
      return errorText(err);
    },
    [t, errorText],
  );
}

/** Fee rates: "2.5" or "2,5" -> 2.5 (1..100000, at most 3 decimals); null for anything else. */
export function parseFeeRate(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (!/^\d{1,6}(?:\.\d{1,3})?$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 100_000 ? n : null;
}

/** A fee rate for display: at most 3 decimals, the language's decimal mark. */
export function formatFeeRate(rate: number, decimal: string): string {
  const rounded = Math.round(rate * 1000) / 1000;
  return String(rounded).replace('.', decimal);
}

/** Rounds a quoted rate up to what the service accepts (3 decimals, at least 1 sat/vB). */
export function usableRate(rate: number): number {
  return Math.max(1, Math.ceil(rate * 1000 - 1e-6) / 1000);
}

/** Fee rates of the payments sent from this window, so "Speed up" can start above them. */
const sentRates = new Map<string, number>();

export function rememberFeeRate(txid: string, rate: number): void {
  sentRates.set(txid, rate);
}

export function knownFeeRate(txid: string): number | null {
  return sentRates.get(txid) ?? null;
}

/** Bytes to base64 without going through a string of the whole file at once. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
