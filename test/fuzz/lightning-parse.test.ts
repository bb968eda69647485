import { readFileSync } from 'node:fs';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../shared/contract';
import { createBolt11, decodeBolt11 } from '../../shared/lightning/bolt11';
import { decodeOffer } from '../../shared/lightning/bolt12';
import { parsePaymentInput } from '../../shared/lightning/parse';
import { checkProperty, fuzzParams, parsesOrThrowsTyped } from './support/config';
import { anyText, mutatedString, textFrom } from './support/mutate';

const NETWORKS: Network[] = ['mainnet', 'testnet', 'signet', 'regtest'];
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const network = fc.constantFrom(...NETWORKS);
const KEY = secp256k1.utils.randomSecretKey();

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const amount = fc.option(fc.bigInt({ min: 1n, max: 2_100_000_000_000_000_000n }), { nil: null });
const description = fc.string({ maxLength: 200 }).filter((s) => new TextEncoder().encode(s).length <= 639);

/** Invoices the encoder writes from random fields (amounts, text, expiry, CLTV, hints). */
const invoiceSpec = fc.record({
  network,
  amountMsat: amount,
  timestamp: fc.integer({ min: 0, max: 2 ** 35 - 1 }),
  paymentHash: bytes32,
  paymentSecret: bytes32,
  text: fc.oneof(
    description.map((d) => ({ description: d })),
    bytes32.map((h) => ({ descriptionHash: h })),
  ),
  expirySeconds: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
  minFinalCltvExpiry: fc.integer({ min: 1, max: 100_000 }),
  includePayeeKey: fc.boolean(),
});

const SAMPLE_INVOICES = [
  createBolt11(
    {
      network: 'regtest',
      amountMsat: 123_456_789n,
      timestamp: 1_700_000_000,
      paymentHash: new Uint8Array(32).fill(1),
      paymentSecret: new Uint8Array(32).fill(2),
      description: 'fuzz me',
    },
    KEY,
  ),
  'lnbc25m1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5vdhkven9v5sxyetpdeessp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygs9q5sqqqqqqqqqqqqqqqqsgq2a25dxl5hrntdtn6zvydt7d66hyzsyhqs4wdynavys42xgl6sgx9c4g7me86a27t07mdtfry458rtjr0v92cnmswpsjscgt2vcse3sgpz3uapa',
];
const OFFERS = (
  JSON.parse(readFileSync(new URL('../unit/fixtures/bolt12-offers-test.json', import.meta.url), 'utf8')) as {
    bolt12: string;
  }[]
).map((v) => v.bolt12);
const OTHER_SAMPLES = [
  'LNURL1DP68GURN8GHJ7UM9WFMXJCM99E3K7MF0V9CXJ0M385EKVCENXC6R2C35XVUKXEFCV5MKVV34X5EKZD3EV56NYD3HXQURZEPEXEJXXEPNXSCRVWFNV9NXZCN9XQ6XYEFHVGCXXCMYXYMNSERXFQ5FNS',
  'lnurlp://service.com/pay?x=1',
  'keyauth://site.com?tag=login&k1=e2af6254a8df433264fa23f67eb8188635d15ce883e8fc020989d5f82ae6f11e',
  'satoshi@bitcoin.org',
  `bitcoin:bcrt1qqe5arnqkhxgvdqengtcwhe4v378tgyhjnx55qs?amount=1.23456789&lightning=${SAMPLE_INVOICES[0] ?? ''}`,
  `lightning:${SAMPLE_INVOICES[0] ?? ''}`,
];

const payBoxText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mutatedString(() => SAMPLE_INVOICES, BECH32), weight: 5 },
  { arbitrary: mutatedString(() => OFFERS, BECH32 + '+ '), weight: 3 },
  { arbitrary: mutatedString(() => OTHER_SAMPLES, BECH32 + ':/@?&=.'), weight: 3 },
  { arbitrary: anyText(), weight: 1 },
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom('lnbc', 'lntb', 'lnbcrt', 'lntbs', 'LNBC', 'lno', 'lnurl', 'lightning:ln'),
        textFrom(BECH32, 0, 300),
      )
      .map(([h, d]) => `${h}1${d}`),
    weight: 2,
  },
);

describe('fuzz: the Lightning pay box parser', () => {
  it('gives a payment or a typed error for any text, on any network', async () => {
    await checkProperty(
      'lightning.parse',
      fc.property(payBoxText, network, (text, net) => {
        const r = parsesOrThrowsTyped(() => parsePaymentInput(text, { network: net, now: 1_700_000_000 }));
        if (r.ok && r.value.kind === 'bolt11') expect(r.value.invoice.network).toBe(net);
      }),
      fuzzParams(800),
    );
  });

  it('decodes every invoice the encoder writes back to the same fields', async () => {
    await checkProperty(
      'lightning.bolt11.roundtrip',
      fc.property(invoiceSpec, (spec) => {
        const { text, ...rest } = spec;
        const bolt11 = createBolt11({ ...rest, ...text }, KEY);
        const d = decodeBolt11(bolt11);
        expect(d.network).toBe(spec.network);
        expect(d.amountMsat).toBe(spec.amountMsat);
        expect(d.timestamp).toBe(spec.timestamp);
        expect(d.paymentHash).toBe(Buffer.from(spec.paymentHash).toString('hex'));
        expect(d.paymentSecret).toBe(Buffer.from(spec.paymentSecret).toString('hex'));
        expect(d.expirySeconds).toBe(spec.expirySeconds);
        expect(d.minFinalCltvExpiry).toBe(spec.minFinalCltvExpiry);
        expect(d.payeeNodeKey).toBe(Buffer.from(secp256k1.getPublicKey(KEY, true)).toString('hex'));
        if ('description' in text) expect(d.description).toBe(text.description);
        else expect(d.descriptionHash).toBe(Buffer.from(text.descriptionHash).toString('hex'));
      }),
      fuzzParams(150, 0.1),
    );
  });

  it('decodes offers or refuses them with a typed error, whatever the damage', async () => {
    await checkProperty(
      'lightning.bolt12',
      fc.property(
        mutatedString(() => OFFERS, BECH32 + '+'),
        (text) => {
          parsesOrThrowsTyped(() => decodeOffer(text, 1_700_000_000));
        },
      ),
      fuzzParams(600),
    );
  });
});
