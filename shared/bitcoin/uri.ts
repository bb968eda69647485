import type { Network } from '../contract/common';
import { FlashError } from '../errors';
import type { ParsedAddress } from './address';
import { parseAddress } from './address';

/**
 * BIP21 / BIP321 `bitcoin:` URIs. Amounts are decimal BTC turned into integer sats with string
 * math only: no floats, no exponents, at most 8 decimals.
 */

export type UriErrorReason =
  | 'NOT_A_BITCOIN_URI'
  | 'BAD_AMOUNT'
  | 'UNKNOWN_REQUIRED_PARAM'
  | 'DUPLICATE_PARAM'
  | 'BAD_ENCODING'
  | 'NO_PAYMENT_INSTRUCTION';

export class UriError extends FlashError {
  readonly reason: UriErrorReason;
  constructor(reason: UriErrorReason, message: string, details: Record<string, string | number> = {}) {
    super('BAD_INPUT', message, { reason, ...details });
    this.name = 'UriError';
    this.reason = reason;
  }
}

export interface PaymentUri {
  /** The on-chain address in the URI body; null when the URI carries only other instructions. */
  address: ParsedAddress | null;
  /** Further on-chain addresses from BIP321 `bc=` / `tb=` / `bcrt=` params (for this network). */
  extraAddresses: ParsedAddress[];
  amountSats: number | null;
  label: string | null;
  message: string | null;
  /** BOLT11 invoice from `lightning=`. */
  lightning: string | null;
  /** Other BIP321 payment instructions we do not pay ourselves (lno=, sp=, pay=, ...), raw. */
  otherInstructions: { key: string; value: string }[];
  /** Optional params we do not know, lowercased keys. */
  unknownParams: Record<string, string>;
}

const SATS_PER_BTC = 100_000_000n;
const MAX_SATS = 21_000_000n * SATS_PER_BTC;
/** Segwit address params of BIP321, per network prefix. */
const ADDRESS_PARAMS = new Set(['bc', 'tb', 'bcrt']);
const OTHER_INSTRUCTIONS = new Set(['lno', 'sp', 'pay', 'ark']);
/** Params that may appear once only. */
const SINGLE = new Set(['amount', 'label', 'message', 'lightning']);

/** "20.3" -> 2030000000 sats. Throws UriError BAD_AMOUNT for anything but a plain decimal. */
export function parseBtcAmount(text: string): number {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || text === '' || text === '.' || (m[1] === '' && (m[2] ?? '') === '')) {
    throw new UriError('BAD_AMOUNT', `"${text}" is not an amount in BTC.`, { amount: text });
  }
  const whole = m[1] ?? '';
  const frac = m[2] ?? '';
  if (frac.length > 8) {
    throw new UriError('BAD_AMOUNT', `"${text}" has more than 8 decimals; the smallest unit is 1 sat.`, {
      amount: text,
    });
  }
  const sats = BigInt(whole || '0') * SATS_PER_BTC + BigInt((frac + '00000000').slice(0, 8));
  if (sats > MAX_SATS)
    throw new UriError('BAD_AMOUNT', `${text} BTC is more than can exist.`, { amount: text });
  if (sats === 0n) throw new UriError('BAD_AMOUNT', 'The amount is zero.', { amount: text });
  return Number(sats);
}

/** 2030000000 -> "20.3": the shortest exact decimal. */
export function formatBtcAmount(sats: number): string {
  if (!Number.isSafeInteger(sats) || sats < 0) throw new RangeError(`not a sats amount: ${sats}`);
  const b = BigInt(sats);
  const whole = (b / SATS_PER_BTC).toString();
  const frac = (b % SATS_PER_BTC).toString().padStart(8, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole;
}

function decode(value: string, key: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new UriError('BAD_ENCODING', `The "${key}" value is not valid percent-encoding.`, { param: key });
  }
}

/** True for text that looks like a payment URI (any case scheme). */
export function isBitcoinUri(text: string): boolean {
  return /^bitcoin:/i.test(text.trim());
}

/**
 * Parses a `bitcoin:` URI for `network`. Address errors surface as AddressError (wrong network,
 * bad checksum, ...). Unknown `req-` params reject the whole URI, as BIP21 requires.
 */
export function parseBitcoinUri(input: string, network: Network): PaymentUri {
  const text = input.trim();
  if (!isBitcoinUri(text)) throw new UriError('NOT_A_BITCOIN_URI', 'This is not a bitcoin: payment link.');
  const rest = text.slice('bitcoin:'.length);
  const q = rest.indexOf('?');
  const body = decode(q >= 0 ? rest.slice(0, q) : rest, 'address');
  const query = q >= 0 ? rest.slice(q + 1) : '';
  const out: PaymentUri = {
    address: null,
    extraAddresses: [],
    amountSats: null,
    label: null,
    message: null,
    lightning: null,
    otherInstructions: [],
    unknownParams: {},
  };
  if (body !== '') out.address = parseAddress(body, network);
  const seen = new Set<string>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq >= 0 ? part.slice(0, eq) : part;
    const key = decode(rawKey, rawKey).toLowerCase();
    const value = decode(eq >= 0 ? part.slice(eq + 1) : '', key);
    if (SINGLE.has(key)) {
      if (seen.has(key)) throw new UriError('DUPLICATE_PARAM', `"${key}" appears twice.`, { param: key });
      seen.add(key);
    }
    if (key === 'amount') out.amountSats = parseBtcAmount(value);
    else if (key === 'label') out.label = value;
    else if (key === 'message') out.message = value;
    else if (key === 'lightning') out.lightning = value;
    else if (ADDRESS_PARAMS.has(key)) {
      const parsed = parseAddress(value, network);
      if (parsed.witnessVersion === null) {
        throw new UriError('BAD_ENCODING', `"${key}=" takes a segwit address only.`, { param: key });
      }
      out.extraAddresses.push(parsed);
    } else if (OTHER_INSTRUCTIONS.has(key)) out.otherInstructions.push({ key, value });
    else if (key.startsWith('req-')) {
      throw new UriError(
        'UNKNOWN_REQUIRED_PARAM',
        `The link requires "${key.slice(4)}", which this wallet does not support.`,
        { param: key },
      );
    } else {
      // defineProperty, not assignment: a "__proto__" param would otherwise hit the prototype setter
      // and vanish instead of being kept like any other unknown param.
      Object.defineProperty(out.unknownParams, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  if (
    !out.address &&
    out.extraAddresses.length === 0 &&
    !out.lightning &&
    out.otherInstructions.length === 0
  ) {
    throw new UriError('NO_PAYMENT_INSTRUCTION', 'The link has no address or other way to pay.');
  }
  return out;
}

/** Builds a BIP21 URI (amount as exact decimal BTC, label/message percent-encoded). */
export function buildBitcoinUri(opts: {
  address: string;
  amountSats?: number;
  label?: string;
  message?: string;
  lightning?: string;
}): string {
  const params: string[] = [];
  if (opts.amountSats !== undefined) params.push(`amount=${formatBtcAmount(opts.amountSats)}`);
  if (opts.label) params.push(`label=${encodeText(opts.label)}`);
  if (opts.message) params.push(`message=${encodeText(opts.message)}`);
  if (opts.lightning) params.push(`lightning=${encodeText(opts.lightning)}`);
  return `bitcoin:${opts.address}${params.length ? `?${params.join('&')}` : ''}`;
}

/**
 * Percent-encodes text as UTF-8. A lone surrogate (half of an emoji, e.g. from a cut label) has no
 * UTF-8 form and would make encodeURIComponent throw, so it becomes U+FFFD first.
 */
function encodeText(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}
