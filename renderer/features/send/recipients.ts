import { parseAddress } from '../../../shared/bitcoin/address';
import { isBitcoinUri, parseBitcoinUri } from '../../../shared/bitcoin/uri';
import type { Network } from '../../../shared/contract/common';
import { parseBtc, parseSats } from '../../../shared/money';
import type { Translate } from '../../i18n/translate-types';

export interface RecipientValues {
  /** Stable React key: rows can be removed from the middle. */
  key: number;
  to: string;
  amount: string;
  unit: 'btc' | 'sats';
  max: boolean;
  label: string | null;
}

/** One checked row: `address`/`sats` are set when usable; each error names what is wrong with its field. */
export interface CheckedRecipient {
  address: string | null;
  sats: number | null;
  toError: string | null;
  amountError: string | null;
}

let nextKey = 1;
export function newRecipient(prefill?: { address: string; sats?: number | null }): RecipientValues {
  return {
    key: nextKey++,
    to: prefill?.address ?? '',
    amount: prefill?.sats ? String(prefill.sats) : '',
    unit: prefill?.sats ? 'sats' : 'btc',
    max: false,
    label: null,
  };
}

/**
 * Validates every row at once: addresses (network, checksum, payment links), amounts, a repeated
 * address, and at most one "send max" row.
 */
export function checkRecipients(
  rows: readonly RecipientValues[],
  network: Network,
  decimal: string,
  t: Translate,
  addressErrorText: (err: unknown) => string,
): CheckedRecipient[] {
  const seen = new Map<string, number>();
  return rows.map((row, i) => {
    let address: string | null = null;
    let toError: string | null = null;
    if (row.to.trim() === '') toError = t('send.form.toRequired');
    else if (isBitcoinUri(row.to)) {
      try {
        const uri = parseBitcoinUri(row.to, network);
        toError = uri.address ? null : t('send.uri.NO_ONCHAIN_ADDRESS');
        address = uri.address?.address ?? null;
      } catch (err) {
        toError = addressErrorText(err);
      }
    } else {
      try {
        address = parseAddress(row.to, network).address;
      } catch (err) {
        toError = addressErrorText(err);
      }
    }
    if (address && !toError) {
      const first = seen.get(address);
      if (first !== undefined) {
        toError = t('sendtools.form.duplicateAddress', { row: first + 1 });
        address = null;
      } else seen.set(address, i);
    }
    let sats: number | null = null;
    let amountError: string | null = null;
    if (row.max) {
      if (rows.findIndex((r) => r.max) !== i) amountError = t('sendtools.form.oneMax');
    } else {
      sats = row.unit === 'btc' ? parseBtc(row.amount, decimal) : parseSats(row.amount);
      if (sats === null || sats <= 0) {
        sats = null;
        amountError =
          row.amount.trim() === ''
            ? t('send.form.amountRequired')
            : row.unit === 'btc'
              ? t('send.form.amountInvalidBtc')
              : t('send.form.amountInvalidSats');
      }
    }
    return { address: toError ? null : address, sats, toError, amountError };
  });
}
