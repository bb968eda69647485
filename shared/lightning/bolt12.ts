import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Network } from '../contract/common';
import { LightningParseError, malformed } from './errors';
import { charValue, toHex } from './words';

/**
 * BOLT #12 offers (`lno1…`), decoded enough to show what the user would pay: amount (msat, or a
 * currency amount), description, issuer, expiry, chains, quantity. Paying goes through a provider
 * with the 'bolt12' capability, which fetches the actual invoice over onion messages; no
 * signature exists on an offer itself, so nothing here is "verified" beyond the format rules a
 * reader must enforce (checked against bolt12/offers-test.json and format-string-test.json).
 */

export interface BlindedPath {
  /** Introduction node: a public key, or a short channel id with a direction. */
  firstNodeId: string;
  hops: number;
}

export interface Bolt12Offer {
  /** Normalised: lowercase, `+` joins removed. */
  offer: string;
  /** Chain hashes (hex, as on the wire); empty means bitcoin mainnet only. */
  chains: string[];
  /** Networks among `chains` that Flash knows. */
  networks: Network[];
  metadata: string | null;
  currency: string | null;
  /** msat when `currency` is null, else the currency's minor unit (ISO 4217 exponent). */
  amount: bigint | null;
  description: string | null;
  features: number[];
  /** Seconds since the epoch. */
  absoluteExpiry: number | null;
  paths: BlindedPath[];
  issuer: string | null;
  /** 0 means "any quantity"; null when the offer is for one item. */
  quantityMax: bigint | null;
  issuerId: string | null;
}

/** Genesis block hashes in wire (little-endian) order, as offer_chains carries them. */
const CHAIN_NETWORK: Readonly<Record<string, Network>> = {
  '6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000': 'mainnet',
  '43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000': 'testnet',
  f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000: 'signet',
  '06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f': 'regtest',
};

/** The chain hash (wire order) of a network, for checks and for writing offers in tests. */
export function chainHashOf(network: Network): string {
  const entry = Object.entries(CHAIN_NETWORK).find(([, n]) => n === network);
  if (!entry) throw new Error(`no chain hash for ${network}`);
  return entry[0];
}

/** Joins `+`-continued parts and lowercases; refuses mixed case and stray `+`. */
function normalise(input: string): string {
  const text = input.trim();
  if (text !== text.toLowerCase() && text !== text.toUpperCase())
    throw malformed('mixed-case', 'An offer is all lowercase or all uppercase, never mixed.');
  // `+` then optional whitespace, only between two bech32-ish characters.
  if (/^\+|\+\s*$/.test(text) || /\+\s*\+/.test(text))
    throw malformed('plus', 'A "+" in an offer must join two parts of it.');
  return text.replace(/\+\s*/g, '').toLowerCase();
}

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  get left(): number {
    return this.bytes.length - this.pos;
  }
  take(n: number, what: string): Uint8Array {
    if (n > this.left) throw malformed('truncated', `The offer is cut short in ${what}.`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  byte(what: string): number {
    return this.take(1, what)[0] ?? 0;
  }
  /** BOLT #1 BigSize, minimal encoding required. */
  bigSize(what: string): bigint {
    const first = this.byte(what);
    const read = (n: number, min: bigint): bigint => {
      let v = 0n;
      for (const b of this.take(n, what)) v = (v << 8n) | BigInt(b);
      if (v < min) throw malformed('bigsize', `Non-minimal number in ${what}.`);
      return v;
    };
    if (first < 0xfd) return BigInt(first);
    if (first === 0xfd) return read(2, 0xfdn);
    if (first === 0xfe) return read(4, 0x10000n);
    return read(8, 0x100000000n);
  }
}

function tu64(value: Uint8Array, what: string): bigint {
  if (value.length > 8 || (value.length > 0 && value[0] === 0))
    throw malformed('tu64', `The ${what} is not a minimal number.`);
  let v = 0n;
  for (const b of value) v = (v << 8n) | BigInt(b);
  return v;
}

function utf8(value: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    throw malformed('utf8', `The ${what} is not valid text.`);
  }
}

function point(value: Uint8Array, what: string): string {
  try {
    secp256k1.Point.fromBytes(value);
  } catch {
    throw malformed('point', `The ${what} is not a valid public key.`);
  }
  return toHex(value);
}

function blindedPaths(value: Uint8Array): BlindedPath[] {
  const r = new Reader(value);
  const paths: BlindedPath[] = [];
  if (value.length === 0) throw malformed('paths', 'The offer lists an empty set of paths.');
  while (r.left > 0) {
    const kind = r.byte('a blinded path');
    let firstNodeId: string;
    if (kind === 0 || kind === 1) {
      const scid = new DataView(r.take(8, 'a blinded path').slice().buffer).getBigUint64(0);
      firstNodeId = `${scid >> 40n}x${(scid >> 16n) & 0xffffffn}x${scid & 0xffffn}/${kind}`;
    } else {
      r.pos -= 1;
      firstNodeId = point(r.take(33, 'a blinded path'), 'introduction node of a blinded path');
    }
    point(r.take(33, 'a blinded path'), 'path key of a blinded path');
    const hops = r.byte('a blinded path');
    if (hops === 0) throw malformed('paths', 'A blinded path in the offer has no hops.');
    for (let i = 0; i < hops; i++) {
      point(r.take(33, 'a blinded hop'), 'blinded node id');
      const len = new DataView(r.take(2, 'a blinded hop').slice().buffer).getUint16(0);
      r.take(len, 'a blinded hop');
    }
    paths.push({ firstNodeId, hops });
  }
  return paths;
}

function featureBits(value: Uint8Array): number[] {
  const bits: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const byte = value[value.length - 1 - i] ?? 0;
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) bits.push(i * 8 + b);
  }
  return bits;
}

const inOfferRange = (t: bigint) => (t >= 1n && t <= 79n) || (t >= 1_000_000_000n && t <= 1_999_999_999n);

/** True for text that looks like an offer (`lno1`, any case). */
export function isOffer(text: string): boolean {
  return /^lno1/i.test(text.trim());
}

/** Decodes an offer and applies BOLT #12's reader rules. Throws LightningParseError. */
export function decodeOffer(input: string, now: number = Math.floor(Date.now() / 1000)): Bolt12Offer {
  const text = normalise(input);
  if (!text.startsWith('lno1')) throw malformed('prefix', 'An offer starts with "lno1".');
  const words: number[] = [];
  for (const c of text.slice(4)) {
    const v = charValue(c);
    if (v < 0) throw malformed('character', `The offer contains "${c}", which bech32 never uses.`);
    words.push(v);
  }
  // 5-bit groups to bytes: leftover bits are padding, at most 4 and all zero.
  const padBits = (words.length * 5) % 8;
  const bytes = new Uint8Array(Math.floor((words.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let out = 0;
  for (const w of words) {
    acc = ((acc << 5) | w) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (acc >> bits) & 0xff;
    }
  }
  if (padBits > 4 || (acc & ((1 << bits) - 1)) !== 0)
    throw malformed('padding', 'The offer has invalid padding at its end.');
  if (bytes.length === 0) throw malformed('empty', 'The offer is empty.');

  const offer: Bolt12Offer = {
    offer: text,
    chains: [],
    networks: [],
    metadata: null,
    currency: null,
    amount: null,
    description: null,
    features: [],
    absoluteExpiry: null,
    paths: [],
    issuer: null,
    quantityMax: null,
    issuerId: null,
  };
  const r = new Reader(bytes);
  let last = -1n;
  while (r.left > 0) {
    const type = r.bigSize('a field type');
    const length = r.bigSize('a field length');
    if (length > BigInt(r.left)) throw malformed('truncated', 'An offer field runs past its end.');
    const value = r.take(Number(length), 'a field');
    if (type <= last) throw malformed('order', 'The offer fields are out of order.');
    last = type;
    if (!inOfferRange(type))
      throw malformed('field-range', `The offer contains field ${type}, which offers may not carry.`);
    switch (type) {
      case 2n: {
        if (value.length === 0 || value.length % 32 !== 0)
          throw malformed('chains', 'The offer lists chains of the wrong length.');
        for (let i = 0; i < value.length; i += 32) offer.chains.push(toHex(value.subarray(i, i + 32)));
        break;
      }
      case 4n:
        offer.metadata = toHex(value);
        break;
      case 6n:
        offer.currency = utf8(value, 'currency');
        break;
      case 8n:
        offer.amount = tu64(value, 'amount');
        break;
      case 10n:
        offer.description = utf8(value, 'description');
        break;
      case 12n:
        offer.features = featureBits(value);
        break;
      case 14n:
        offer.absoluteExpiry = Number(tu64(value, 'expiry'));
        break;
      case 16n:
        offer.paths = blindedPaths(value);
        break;
      case 18n:
        offer.issuer = utf8(value, 'issuer');
        break;
      case 20n:
        offer.quantityMax = tu64(value, 'quantity');
        break;
      case 22n:
        if (value.length !== 33) throw malformed('issuer-id', 'The offer issuer id is not a public key.');
        offer.issuerId = point(value, 'issuer id');
        break;
      default:
        if (type % 2n === 0n)
          throw malformed('unknown-field', `The offer requires field ${type}, which Flash does not know.`);
    }
  }
  const unknownEven = offer.features.find((bit) => bit % 2 === 0);
  if (unknownEven !== undefined)
    throw new LightningParseError('LIGHTNING_UNKNOWN_FEATURE', `The offer requires feature ${unknownEven}.`, {
      bit: unknownEven,
    });
  if (offer.amount !== null && offer.description === null)
    throw malformed('missing-description', 'An offer with an amount must say what it is for.');
  if (offer.amount === 0n) throw malformed('amount', 'The offer amount is zero.');
  if (offer.currency !== null && offer.amount === null)
    throw malformed('amount', 'The offer names a currency but no amount.');
  if (offer.issuerId === null && offer.paths.length === 0)
    throw malformed('no-issuer', 'The offer says neither who issued it nor how to reach them.');
  offer.networks =
    offer.chains.length === 0
      ? ['mainnet']
      : offer.chains.map((c) => CHAIN_NETWORK[c]).filter((n): n is Network => n !== undefined);
  if (offer.absoluteExpiry !== null && offer.absoluteExpiry < now)
    throw new LightningParseError('LIGHTNING_EXPIRED', 'The offer has expired.', {
      expiresAt: offer.absoluteExpiry,
    });
  return offer;
}
