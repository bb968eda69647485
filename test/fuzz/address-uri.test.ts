import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../shared/contract';
import { AddressError, decodeAddress, parseAddress, scriptToAddress } from '../../shared/bitcoin/address';
import {
  buildBitcoinUri,
  formatBtcAmount,
  parseBitcoinUri,
  parseBtcAmount,
  UriError,
} from '../../shared/bitcoin/uri';
import { checkProperty, fuzzParams, parsesOrThrowsTyped } from './support/config';
import { anyText, mutatedString, NASTY_STRINGS, textFrom, utf16Text, wellFormed } from './support/mutate';

const NETWORKS: Network[] = ['mainnet', 'testnet', 'signet', 'regtest'];
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

const isAddressError = (err: unknown) => err instanceof AddressError;
const isUriOrAddressError = (err: unknown) => err instanceof UriError || err instanceof AddressError;

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

/** The output script of every standard type, and of future witness versions, from random hashes. */
const validScript: fc.Arbitrary<Uint8Array> = fc.oneof(
  bytes(20).map((h) => Uint8Array.from([0x76, 0xa9, 0x14, ...h, 0x88, 0xac])),
  bytes(20).map((h) => Uint8Array.from([0xa9, 0x14, ...h, 0x87])),
  bytes(20).map((h) => Uint8Array.from([0x00, 0x14, ...h])),
  bytes(32).map((h) => Uint8Array.from([0x00, 0x20, ...h])),
  bytes(32).map((h) => Uint8Array.from([0x51, 0x20, ...h])),
  fc
    .tuple(fc.integer({ min: 2, max: 16 }), fc.uint8Array({ minLength: 2, maxLength: 40 }))
    .map(([v, p]) => Uint8Array.from([0x50 + v, p.length, ...p])),
);

const network = fc.constantFrom(...NETWORKS);

/** A valid address for a network, as text. */
const validAddress: fc.Arbitrary<{ address: string; network: Network; script: Uint8Array }> = fc
  .tuple(validScript, network, fc.boolean())
  .map(([script, net, upper]) => {
    const address = scriptToAddress(script, net) as string;
    // Bech32 may be written all upper case (QR codes do); base58 is case-sensitive.
    const text = upper && /^(bc|tb|bcrt)1/.test(address) ? address.toUpperCase() : address;
    return { address: text, network: net, script };
  });

/** Valid addresses with 1-4 mutations (typos, truncation, splices), plus random and alphabet text. */
const addressText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validAddress.chain((a) => mutatedString(() => [a.address], BECH32 + BASE58)), weight: 5 },
  { arbitrary: anyText(), weight: 1 },
  { arbitrary: textFrom(BASE58, 20, 40), weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('bc1', 'tb1', 'bcrt1', 'BC1', 'xx1', '1'), textFrom(BECH32, 0, 100))
      .map(([h, d]) => h + d),
    weight: 2,
  },
);

describe('fuzz: Bitcoin addresses', () => {
  it('decodeAddress gives an address or an AddressError for any text', async () => {
    await checkProperty(
      'address.decode',
      fc.property(addressText, (text) => {
        parsesOrThrowsTyped(() => decodeAddress(text), isAddressError);
      }),
      fuzzParams(600),
    );
  });

  it('parseAddress checks the network with a typed error', async () => {
    await checkProperty(
      'address.parse-network',
      fc.property(addressText, network, (text, net) => {
        const r = parsesOrThrowsTyped(() => parseAddress(text, net), isAddressError);
        if (r.ok) expect(r.value.networks).toContain(net);
      }),
      fuzzParams(400),
    );
  });

  it('every valid address decodes to its script, and the script encodes back to it', async () => {
    await checkProperty(
      'address.roundtrip',
      fc.property(validAddress, ({ address, network: net, script }) => {
        const parsed = parseAddress(address, net);
        expect(Buffer.from(parsed.scriptPubKey).toString('hex')).toBe(Buffer.from(script).toString('hex'));
        expect(scriptToAddress(parsed.scriptPubKey, net)).toBe(parsed.address);
      }),
      fuzzParams(300),
    );
  });

  it('scriptToAddress never throws, and what it names decodes back to the same script', async () => {
    const script = fc.oneof(
      fc.uint8Array({ maxLength: 60 }),
      validScript,
      validScript.chain((s) =>
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, b]) => {
          const copy = Uint8Array.from(s);
          copy[at % copy.length] = b;
          return copy;
        }),
      ),
    );
    await checkProperty(
      'address.fromScript',
      fc.property(script, network, (s, net) => {
        const address = scriptToAddress(s, net);
        if (address === null) return;
        const back = parseAddress(address, net).scriptPubKey;
        expect(Buffer.from(back).toString('hex')).toBe(Buffer.from(s).toString('hex'));
      }),
      fuzzParams(400),
    );
  });
});

const amountText = fc.oneof(
  fc.nat({ max: 2_100_000_000_000_000 }).map((s) => (s === 0 ? '0' : formatBtcAmount(s))),
  fc
    .tuple(fc.stringMatching(/^\d{0,10}$/), fc.boolean(), fc.stringMatching(/^\d{0,10}$/))
    .map(([a, dot, b]) => (dot ? `${a}.${b}` : a)),
  fc.constantFrom('1e3', '-1', '+1', '0x10', '1,5', '.', '', ' 1', '1 ', 'Infinity', 'NaN', '٣'),
  anyText(30),
);

/** One query parameter: a known or hostile key, with a value that is valid, random or badly escaped. */
const param = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        'amount',
        'label',
        'message',
        'lightning',
        'bc',
        'tb',
        'bcrt',
        'lno',
        'sp',
        'pay',
        'ark',
        'req-x',
        'REQ-pop',
        'AMOUNT',
        '__proto__',
        'constructor',
        'toString',
        '%61mount',
        '',
      ),
      anyText(12),
    ),
    fc.oneof(amountText, addressText, anyText(60), fc.constantFrom(...NASTY_STRINGS)),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([k, v, escape, hasValue]) => {
    const value = escape ? encodeWellFormed(v) : v;
    return hasValue ? `${k}=${value}` : k;
  });

function encodeWellFormed(text: string): string {
  return encodeURIComponent(wellFormed(text));
}

const uriText: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom('bitcoin:', 'BITCOIN:', 'Bitcoin:', ' bitcoin:'),
        fc.oneof(
          validAddress.map((a) => a.address),
          addressText,
          fc.constant(''),
        ),
        fc.array(param, { maxLength: 6 }),
        fc.constantFrom('?', '?&', '&', '??', '#'),
      )
      .map(([scheme, body, params, sep]) => `${scheme}${body}${params.length ? sep + params.join('&') : ''}`),
    weight: 6,
  },
  {
    arbitrary: validAddress.chain((a) =>
      mutatedString(() => [buildBitcoinUri({ address: a.address, amountSats: 12_345, label: 'Tip jar' })]),
    ),
    weight: 3,
  },
  { arbitrary: anyText(), weight: 1 },
);

describe('fuzz: BIP21/BIP321 payment URIs', () => {
  it('parseBitcoinUri gives a payment or a UriError/AddressError for any text', async () => {
    await checkProperty(
      'uri.parse',
      fc.property(uriText, network, (text, net) => {
        const r = parsesOrThrowsTyped(() => parseBitcoinUri(text, net), isUriOrAddressError);
        if (!r.ok) return;
        const p = r.value;
        if (p.amountSats !== null) {
          expect(Number.isSafeInteger(p.amountSats) && p.amountSats > 0).toBe(true);
        }
        for (const a of [p.address, ...p.extraAddresses]) if (a) expect(a.networks).toContain(net);
      }),
      fuzzParams(800),
    );
  });

  it('keeps every unknown optional parameter, whatever its name', async () => {
    const key = fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'),
      fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/),
    );
    const value = fc.string({ unit: 'grapheme', maxLength: 20 });
    await checkProperty(
      'uri.unknown-params',
      fc.property(
        validAddress,
        key.filter((k) => !/^(amount|label|message|lightning|bc|tb|bcrt|lno|sp|pay|ark|req-.*)$/.test(k)),
        value,
        ({ address, network: net }, k, v) => {
          const uri = parseBitcoinUri(`bitcoin:${address}?${k}=${encodeURIComponent(v)}`, net);
          // Keys are kept lower-cased.
          const key = k.toLowerCase();
          expect(Object.prototype.hasOwnProperty.call(uri.unknownParams, key)).toBe(true);
          expect(uri.unknownParams[key]).toBe(v);
          expect(Object.getPrototypeOf(uri.unknownParams)).toBe(Object.prototype);
        },
      ),
      fuzzParams(200),
    );
  });

  it('builds URIs that parse back to the same payment, for any label and message', async () => {
    await checkProperty(
      'uri.roundtrip',
      fc.property(
        validAddress,
        fc.option(fc.integer({ min: 1, max: 2_100_000_000_000_000 }), { nil: undefined }),
        fc.option(fc.oneof(utf16Text(40), fc.string({ unit: 'binary', maxLength: 40 })), { nil: undefined }),
        fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
        ({ address, network: net }, amountSats, label, message) => {
          const uri = buildBitcoinUri({
            address,
            ...(amountSats !== undefined ? { amountSats } : {}),
            ...(label !== undefined ? { label } : {}),
            ...(message !== undefined ? { message } : {}),
          });
          const back = parseBitcoinUri(uri, net);
          expect(back.amountSats).toBe(amountSats ?? null);
          // A label is text: a lone surrogate cannot travel in a URI, so it arrives as U+FFFD.
          expect(back.label).toBe(label ? wellFormed(label) : null);
          expect(back.message).toBe(message ? message : null);
        },
      ),
      fuzzParams(300),
    );
  });

  it('parseBtcAmount gives exact sats or a BAD_AMOUNT UriError, and formatBtcAmount inverts it', async () => {
    await checkProperty(
      'uri.amount',
      fc.property(amountText, (text) => {
        const r = parsesOrThrowsTyped(
          () => parseBtcAmount(text),
          (e) => e instanceof UriError,
        );
        if (r.ok) {
          expect(Number.isSafeInteger(r.value)).toBe(true);
          expect(parseBtcAmount(formatBtcAmount(r.value))).toBe(r.value);
        } else {
          expect((r.error as UriError).reason).toBe('BAD_AMOUNT');
        }
      }),
      fuzzParams(400),
    );
  });
});
