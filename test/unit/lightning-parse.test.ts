import { readFileSync } from 'node:fs';
import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import { decodeOffer } from '../../shared/lightning/bolt12';
import { LightningParseError } from '../../shared/lightning/errors';
import type { ParsedPayment, ParseOptions } from '../../shared/lightning/parse';
import { parsePaymentInput } from '../../shared/lightning/parse';
import { LightningLedger } from '../stack/lightning/ledger';

const REGTEST: ParseOptions = { network: 'regtest' };
const MAINNET: ParseOptions = { network: 'mainnet', now: 1_700_000_000 };

/** BOLT #11 example (mainnet, no amount, "Please consider supporting this project"). */
const SPEC_DONATION =
  'lnbc1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdpl2pkx2ctnv5sxxmmwwd5kgetjypeh2ursdae8g6twvus8g6rfwvs8qun0dfjkxaq9qrsgq357wnc5r2ueh7ck6q93dj32dlqnls087fxdwk8qakdyafkq3yap9us6v52vjjsrvywa6rt52cm9r9zqt8r2t7mlcwspyetp5h2tztugp9lfyql';

/** LUD-01's example and the URL it encodes. */
const LUD01 =
  'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS';
const LUD01_URL =
  'https://service.com/api?q=3fc3645b439ce8e7f2553a69e5267081d96dcd340693afabe04be7b0ccd178df';

/** bolt12/offers-test.json: "with amount" (10000 msat, 'Test vectors') and "for testnet". */
const OFFER_WITH_AMOUNT =
  'lno1pqpzwyq2p32x2um5ypmx2cm5dae8x93pqthvwfzadd7jejes8q9lhc4rvjxd022zv5l44g6qah82ru5rdpnpj';
const OFFER_TESTNET =
  'lno1qgsyxjtl6luzd9t3pr62xr7eemp6awnejusgf6gw45q75vcfqqqqqqq2p32x2um5ypmx2cm5dae8x93pqthvwfzadd7jejes8q9lhc4rvjxd022zv5l44g6qah82ru5rdpnpj';
const OFFER_WITH_ISSUER =
  'lno1pgx9getnwss8vetrw3hhyucjy358garswvaz7tmzdak8gvfj9ehhyeeqgf85c4p3xgsxjmnyw4ehgunfv4e3vggzamrjghtt05kvkvpcp0a79gmy3nt6jsn98ad2xs8de6sl9qmgvcvs';

function expectError(fn: () => unknown, code: string, details?: Record<string, unknown>): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(FlashError);
  expect((caught as FlashError).code).toBe(code);
  if (details) expect((caught as FlashError).details).toMatchObject(details);
}

function kindOf<K extends ParsedPayment['kind']>(
  p: ParsedPayment,
  kind: K,
): Extract<ParsedPayment, { kind: K }> {
  expect(p.kind).toBe(kind);
  return p as Extract<ParsedPayment, { kind: K }>;
}

const ledger = new LightningLedger();
ledger.createNode('shop');
const invoice = ledger.createInvoice('shop', {
  amountMsat: 150_000_000n,
  description: 'two coffees',
  expirySeconds: 900,
});

describe('the pay box parser: BOLT11', () => {
  it('reads an invoice with its amount, description, payee and expiry', () => {
    const p = kindOf(parsePaymentInput(invoice.bolt11, REGTEST), 'bolt11');
    expect(p.invoice.amountMsat).toBe(150_000_000n);
    expect(p.invoice.description).toBe('two coffees');
    expect(p.invoice.payeeNodeKey).toBe(ledger.node('shop').pubkey);
    expect(p.invoice.expiresAt).toBe(invoice.expiresAt);
    expect(p.expired).toBe(false);
    expect(p.onchain).toBeNull();
  });

  it('takes lightning: URIs in any case, with spaces around, as QR codes give them', () => {
    for (const text of [
      `lightning:${invoice.bolt11}`,
      `LIGHTNING:${invoice.bolt11.toUpperCase()}`,
      `  ${invoice.bolt11}\n`,
    ]) {
      expect(kindOf(parsePaymentInput(text, REGTEST), 'bolt11').invoice.paymentHash).toBe(
        invoice.paymentHash,
      );
    }
  });

  it('says when the invoice has expired', () => {
    const p = kindOf(
      parsePaymentInput(invoice.bolt11, { network: 'regtest', now: invoice.expiresAt }),
      'bolt11',
    );
    expect(p.expired).toBe(true);
  });

  it('refuses an invoice for another network, naming both', () => {
    expectError(() => parsePaymentInput(SPEC_DONATION, REGTEST), 'LIGHTNING_WRONG_NETWORK', {
      found: 'mainnet',
      expected: 'regtest',
    });
    expectError(() => parsePaymentInput(invoice.bolt11, MAINNET), 'LIGHTNING_WRONG_NETWORK', {
      found: 'regtest',
      expected: 'mainnet',
    });
    expect(kindOf(parsePaymentInput(SPEC_DONATION, MAINNET), 'bolt11').invoice.amountMsat).toBeNull();
  });

  it('reads a unified BIP21 QR: on-chain address and the invoice, amounts agreeing', () => {
    const address = 'bcrt1qqe5arnqkhxgvdqengtcwhe4v378tgyhjnx55qs';
    const uri = `bitcoin:${address}?amount=0.0015&label=Cafe&lightning=${invoice.bolt11.toUpperCase()}`;
    const p = kindOf(parsePaymentInput(uri, REGTEST), 'bolt11');
    expect(p.onchain).toEqual({ address, amountSats: 150_000, label: 'Cafe', message: null });
    expect(p.invoice.paymentHash).toBe(invoice.paymentHash);
    expectError(
      () => parsePaymentInput(`bitcoin:${address}?amount=0.002&lightning=${invoice.bolt11}`, REGTEST),
      'LIGHTNING_MALFORMED',
      { reason: 'bip21-amount-mismatch' },
    );
  });

  it('passes a plain bitcoin: URI or address through as on-chain', () => {
    const address = 'bcrt1qqe5arnqkhxgvdqengtcwhe4v378tgyhjnx55qs';
    expect(kindOf(parsePaymentInput(`bitcoin:${address}?amount=1`, REGTEST), 'onchain').amountSats).toBe(
      100_000_000,
    );
    expect(kindOf(parsePaymentInput(address, REGTEST), 'onchain').address?.address).toBe(address);
  });

  it('gives typed errors for damaged invoices', () => {
    const flipped = invoice.bolt11.slice(0, -1) + (invoice.bolt11.endsWith('q') ? 'p' : 'q');
    expectError(() => parsePaymentInput(flipped, REGTEST), 'LIGHTNING_BAD_CHECKSUM');
    expectError(() => parsePaymentInput(invoice.bolt11.slice(0, 60), REGTEST), 'LIGHTNING_BAD_CHECKSUM');
    expectError(
      () => parsePaymentInput(bech32.encode('lnbcrt', [1, 2, 3], false), REGTEST),
      'LIGHTNING_MALFORMED',
      {
        reason: 'too-short',
      },
    );
    expectError(
      () => parsePaymentInput(bech32.encode('lnbcrt5x', new Array(120).fill(0), false), REGTEST),
      'LIGHTNING_MALFORMED',
      {
        reason: 'amount',
      },
    );
  });
});

describe('the pay box parser: BOLT12 offers', () => {
  it('reads an offer with amount and description, also from bitcoin:?lno=', () => {
    const p = kindOf(parsePaymentInput(OFFER_WITH_AMOUNT, MAINNET), 'bolt12');
    expect(p.offer.amount).toBe(10_000n);
    expect(p.offer.currency).toBeNull();
    expect(p.offer.description).toBe('Test vectors');
    const viaUri = kindOf(parsePaymentInput(`bitcoin:?lno=${OFFER_WITH_AMOUNT}`, MAINNET), 'bolt12');
    expect(viaUri.offer.offer).toBe(OFFER_WITH_AMOUNT);
    expect(kindOf(parsePaymentInput(`lightning:${OFFER_WITH_ISSUER}`, MAINNET), 'bolt12').offer.issuer).toBe(
      'https://bolt12.org BOLT12 industries',
    );
  });

  it('checks the offer chains against the wallet network', () => {
    expectError(() => parsePaymentInput(OFFER_TESTNET, MAINNET), 'LIGHTNING_WRONG_NETWORK');
    expect(kindOf(parsePaymentInput(OFFER_TESTNET, { network: 'testnet' }), 'bolt12').offer.networks).toEqual(
      ['testnet'],
    );
  });

  it('passes every bolt12/offers-test.json vector that is about offers', () => {
    const path = new URL('./fixtures/bolt12-offers-test.json', import.meta.url);
    const vectors = JSON.parse(readFileSync(path, 'utf8')) as {
      description: string;
      valid: boolean;
      bolt12: string;
    }[];
    expect(vectors.length).toBeGreaterThan(40);
    for (const v of vectors) {
      let ok = true;
      try {
        decodeOffer(v.bolt12, 1_700_000_000);
      } catch (err) {
        expect(err, v.description).toBeInstanceOf(LightningParseError);
        ok = false;
      }
      expect(ok, v.description).toBe(v.valid);
    }
  });
});

describe('the pay box parser: LNURL and Lightning addresses', () => {
  it('decodes LUD-01 bech32 LNURLs, upper or lower case, bare or after lightning:', () => {
    for (const text of [LUD01, LUD01.toLowerCase(), `lightning:${LUD01}`]) {
      const p = kindOf(parsePaymentInput(text, MAINNET), 'lnurl');
      expect(p.lnurl.url).toBe(LUD01_URL);
      expect(p.lnurl.domain).toBe('service.com');
      expect(p.lnurl.tag).toBeNull();
    }
  });

  it('reads the LUD-01 fallback scheme in a web link', () => {
    const p = parsePaymentInput(`https://service.com/giftcard/redeem?id=123&lightning=${LUD01}`, MAINNET);
    expect(kindOf(p, 'lnurl').lnurl.url).toBe(LUD01_URL);
  });

  it('maps LUD-17 schemes to https (http for onion) and knows the tag before fetching', () => {
    const w = kindOf(parsePaymentInput('lnurlw://domain.com/path', MAINNET), 'lnurl').lnurl;
    expect(w).toMatchObject({ url: 'https://domain.com/path', tag: 'withdrawRequest', domain: 'domain.com' });
    const p = kindOf(parsePaymentInput('lnurlp://examplennnnnnnn.onion/path', MAINNET), 'lnurl').lnurl;
    expect(p).toMatchObject({ url: 'http://examplennnnnnnn.onion/path', tag: 'payRequest' });
  });

  it('reads LUD-04 login links with their challenge and action', () => {
    const k1 = 'e2af6254a8df433264fa23f67eb8188635d15ce883e8fc020989d5f82ae6f11e';
    const viaScheme = kindOf(
      parsePaymentInput(`keyauth://site.com?tag=login&k1=${k1}&action=login`, MAINNET),
      'lnurl',
    );
    expect(viaScheme.lnurl).toMatchObject({ tag: 'login', k1, action: 'login', domain: 'site.com' });
    expectError(
      () => parsePaymentInput('keyauth://site.com?tag=login&k1=abc', MAINNET),
      'LIGHTNING_MALFORMED',
      {
        reason: 'lnurl-k1',
      },
    );
    expectError(
      () => parsePaymentInput(`keyauth://site.com?tag=login&k1=${k1}&action=steal`, MAINNET),
      'LIGHTNING_MALFORMED',
      { reason: 'lnurl-action' },
    );
  });

  it('refuses a clearnet http LNURL except on regtest for local services', () => {
    const plainHttp = bech32.encode(
      'lnurl',
      bech32.toWords(new TextEncoder().encode('http://service.com/x')),
      false,
    );
    expectError(() => parsePaymentInput(plainHttp, MAINNET), 'LIGHTNING_MALFORMED', {
      reason: 'lnurl-scheme',
    });
    // LUD-17 on mainnet always means https; whether 127.0.0.1 may be dialled is the fetcher's call.
    expect(kindOf(parsePaymentInput('lnurlp://127.0.0.1:8080/x', MAINNET), 'lnurl').lnurl.url).toBe(
      'https://127.0.0.1:8080/x',
    );
    const local = kindOf(parsePaymentInput('lnurlp://127.0.0.1:8080/x', REGTEST), 'lnurl');
    expect(local.lnurl.url).toBe('http://127.0.0.1:8080/x');
  });

  it('reads LUD-16 Lightning addresses', () => {
    const a = kindOf(parsePaymentInput('satoshi@bitcoin.org', MAINNET), 'lightning-address').address;
    expect(a.url).toBe('https://bitcoin.org/.well-known/lnurlp/satoshi');
    expect(
      kindOf(parsePaymentInput('lightning:Satoshi@Bitcoin.org', MAINNET), 'lightning-address').address
        .address,
    ).toBe('satoshi@bitcoin.org');
    expect(kindOf(parsePaymentInput('bob@abcdefgh.onion', MAINNET), 'lightning-address').address.url).toBe(
      'http://abcdefgh.onion/.well-known/lnurlp/bob',
    );
    expect(kindOf(parsePaymentInput('alice@127.0.0.1:8080', REGTEST), 'lightning-address').address.url).toBe(
      'http://127.0.0.1:8080/.well-known/lnurlp/alice',
    );
    expectError(() => parsePaymentInput('alice@127.0.0.1:8080', MAINNET), 'LIGHTNING_MALFORMED', {
      reason: 'address-domain',
    });
    expectError(() => parsePaymentInput('al ice!@bitcoin.org', MAINNET), 'LIGHTNING_UNRECOGNIZED');
    expectError(() => parsePaymentInput('al!ce@bitcoin.org', MAINNET), 'LIGHTNING_MALFORMED', {
      reason: 'address-name',
    });
  });
});

describe('the pay box parser: anything else', () => {
  it('answers LIGHTNING_UNRECOGNIZED for text it does not know, and never crashes', () => {
    for (const text of ['', '   ', 'hello', 'https://example.com', 'lightning:', 'bitcoin', '12345']) {
      expectError(() => parsePaymentInput(text, MAINNET), 'LIGHTNING_UNRECOGNIZED');
    }
    expectError(() => parsePaymentInput('x'.repeat(10_000), MAINNET), 'LIGHTNING_MALFORMED', {
      reason: 'too-long',
    });
  });
});
