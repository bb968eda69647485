import { HDKey } from '@scure/bip32';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../shared/contract';
import type { AccountDescriptor, AccountType, KeyNetwork, KeyPrefix } from '../../main/bitcoin/accounts';
import {
  ACCOUNT_TYPE_INFO,
  bip32Versions,
  convertExtendedKey,
  exportDescriptors,
  importAccountDescriptors,
  parseDescriptor,
  parseExtendedKey,
  serializeDescriptor,
  withChecksum,
} from '../../main/bitcoin/accounts';
import { checkProperty, fuzzParams, parsesOrThrowsTyped } from './support/config';
import { anyText, mutatedString, textFrom } from './support/mutate';

const HARDENED = 0x80000000;
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DESCRIPTOR_CHARS =
  '0123456789()[],\'/*abcdefgh@:$%{}IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~ijklmnopqrstuvwxyzABCDEFGH`#"\\ ';
const PREFIXES: Record<KeyNetwork, KeyPrefix[]> = {
  mainnet: ['xpub', 'ypub', 'zpub'],
  test: ['tpub', 'upub', 'vpub'],
};

interface KeySample {
  network: KeyNetwork;
  fingerprint: string;
  /** Account xpub/tpub and its SLIP-132 forms. */
  forms: string[];
  xpub: string;
  xprv: string;
}

/** A few real account keys from fixed seeds: deriving keys is the slow part, so it happens once. */
const KEYS: KeySample[] = [1, 2, 3, 4].map((n) => {
  const network: KeyNetwork = n % 2 === 0 ? 'mainnet' : 'test';
  const root = HDKey.fromMasterSeed(new Uint8Array(32).fill(n), bip32Versions(network));
  const account = root.derive(`m/84'/${network === 'mainnet' ? 0 : 1}'/${n}'`);
  const xpub = account.publicExtendedKey;
  return {
    network,
    fingerprint: root.fingerprint.toString(16).padStart(8, '0'),
    xpub,
    forms: PREFIXES[network].map((p) => convertExtendedKey(xpub, p)),
    xprv: account.privateExtendedKey,
  };
});
const ALL_KEY_TEXT = KEYS.flatMap((k) => [...k.forms, k.xprv]);

const keyText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ALL_KEY_TEXT), weight: 1 },
  { arbitrary: mutatedString(() => ALL_KEY_TEXT, BASE58), weight: 6 },
  { arbitrary: textFrom(BASE58, 100, 120), weight: 1 },
  { arbitrary: anyText(), weight: 1 },
);

const walletNetwork = fc.constantFrom<Network | undefined>(
  'mainnet',
  'testnet',
  'signet',
  'regtest',
  undefined,
);

describe('fuzz: extended public keys', () => {
  it('parseExtendedKey gives a key or a typed XPUB_*/MULTISIG error', async () => {
    await checkProperty(
      'xpub.parse',
      fc.property(keyText, walletNetwork, (text, network) => {
        const r = parsesOrThrowsTyped(() => parseExtendedKey(text, network ? { network } : {}));
        if (r.ok) expect(r.value.publicKey).toHaveLength(33);
      }),
      fuzzParams(500),
    );
  });

  it('convertExtendedKey converts between prefixes or refuses with a typed error, never changing the key', async () => {
    const prefix = fc.constantFrom<KeyPrefix>(
      'xpub',
      'ypub',
      'zpub',
      'Ypub',
      'Zpub',
      'tpub',
      'upub',
      'vpub',
      'Upub',
      'Vpub',
    );
    await checkProperty(
      'xpub.convert',
      fc.property(keyText, prefix, (text, to) => {
        const r = parsesOrThrowsTyped(() => convertExtendedKey(text, to));
        if (r.ok) expect(parseExtendedKey(r.value).xpub).toBe(parseExtendedKey(text).xpub);
      }),
      fuzzParams(300),
    );
  });
});

const hex8 = fc.stringMatching(/^[0-9a-fA-F]{8}$/);
const pathStep = fc.oneof(
  fc.nat({ max: 100 }).map(String),
  fc.nat({ max: 100 }).map((n) => `${n}'`),
  fc.nat({ max: 100 }).map((n) => `${n}h`),
  fc.constantFrom('2147483648', '4294967296', "99999999999999999999'", '-1', '', 'x', "1''", '0H'),
);
const origin = fc.oneof(
  fc.constant(''),
  fc.tuple(hex8, fc.array(pathStep, { maxLength: 5 })).map(([fp, steps]) => `[${[fp, ...steps].join('/')}]`),
  fc
    .tuple(anyText(12), fc.array(pathStep, { maxLength: 3 }))
    .map(([fp, steps]) => `[${[fp, ...steps].join('/')}`),
);
const keyInDescriptor = fc.oneof(
  { arbitrary: fc.constantFrom(...ALL_KEY_TEXT), weight: 4 },
  { arbitrary: mutatedString(() => ALL_KEY_TEXT, BASE58), weight: 2 },
  { arbitrary: fc.stringMatching(/^0[23][0-9a-f]{64}$/), weight: 1 },
  { arbitrary: fc.stringMatching(/^[0-9a-f]{64}$/), weight: 1 },
  { arbitrary: fc.stringMatching(/^[5KLc9][1-9A-HJ-NP-Za-km-z]{50,51}$/), weight: 1 },
);
const steps = fc.oneof(
  fc.constantFrom(
    '/<0;1>/*',
    '/0/*',
    '/1/*',
    '/*',
    '/0/*h',
    "/0/*'",
    '/2/*',
    '/<0;1;2>/*',
    '',
    '/0/0/*',
    '/<1;0>/*',
    "/0'/*",
  ),
  fc.array(pathStep, { maxLength: 3 }).map((s) => (s.length ? `/${s.join('/')}` : '')),
);
const keyExpr = fc.tuple(origin, keyInDescriptor, steps).map(([o, k, s]) => `${o}${k}${s}`);

/** Mostly a correct checksum or none, so most inputs get past the checksum to the grammar. */
const checksumMode = fc.constantFrom(
  'none',
  'none',
  'none',
  'right',
  'right',
  'right',
  'right',
  'wrong',
  'empty',
  'long',
);

/** Descriptors from the BIP380-386 grammar, valid and not, with right, wrong or missing checksums. */
const descriptorText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc
        .tuple(
          fc.constantFrom('pkh', 'wpkh', 'tr', 'pk', 'combo', 'wsh', 'sh', 'addr', 'raw', 'rawtr'),
          keyExpr,
        )
        .map(([f, k]) => `${f}(${k})`),
      keyExpr.map((k) => `sh(wpkh(${k}))`),
      fc.tuple(keyExpr, keyExpr).map(([a, b]) => `wsh(multi(1,${a},${b}))`),
      fc.tuple(keyExpr, keyExpr).map(([a, b]) => `sh(sortedmulti(2,${a},${b}))`),
      fc.tuple(keyExpr, keyExpr).map(([a, b]) => `tr(${a},{pk(${b}),pk(${b})})`),
      fc.tuple(keyExpr, keyExpr).map(([a, b]) => `tr(${a},multi_a(1,${b}))`),
      fc.tuple(textFrom('abcdefghijklmnopqrstuvwxyz_', 0, 10), keyExpr).map(([f, k]) => `${f}(${k})`),
      fc
        .tuple(fc.constantFrom('pkh', 'wpkh', 'tr', 'sh'), fc.nat({ max: 60 }))
        .map(([f, n]) => `${f}(`.repeat(n) + ')'.repeat(n === 0 ? 1 : n + 1)),
    ),
    checksumMode,
  )
  .map(([body, sum]) => {
    switch (sum) {
      case 'right':
        return safeWithChecksum(body);
      case 'wrong':
        return `${body}#qqqqqqqq`;
      case 'empty':
        return `${body}#`;
      case 'long':
        return `${safeWithChecksum(body)}q`;
      default:
        return body;
    }
  });

/** The body with its checksum, or the body alone when it has characters BIP380 does not allow. */
function safeWithChecksum(body: string): string {
  try {
    return withChecksum(body);
  } catch {
    return body;
  }
}

const accountType = fc.constantFrom<AccountType>('bip44', 'bip49', 'bip84', 'bip86');

/** A real single-key account descriptor: what Flash itself exports. */
const accountDescriptor: fc.Arbitrary<AccountDescriptor> = fc
  .tuple(
    fc.nat({ max: KEYS.length - 1 }),
    accountType,
    fc.boolean(),
    fc.array(fc.nat({ max: HARDENED * 2 - 1 }), { maxLength: 4 }),
    fc.constantFrom<"'" | 'h'>("'", 'h'),
  )
  .map(([k, type, withOrigin, path, marker]) => {
    const key = KEYS[k] as KeySample;
    return {
      type,
      scriptType: ACCOUNT_TYPE_INFO[type].scriptType,
      network: key.network,
      origin: withOrigin ? { fingerprint: key.fingerprint, path } : null,
      xpub: key.xpub,
      hardenedMarker: marker,
    };
  });

const exported = accountDescriptor.map((a) => exportDescriptors(a));
const EXPORT_SAMPLES = fc
  .sample(exported, { numRuns: 8, seed: 5 })
  .flatMap((e) => [e.multipath, e.receive, e.change]);
const EXPORT_BODIES = EXPORT_SAMPLES.map((d) => d.slice(0, d.indexOf('#')));

const anyDescriptor: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: descriptorText, weight: 5 },
  {
    // Mutated bodies, then (mostly) re-checksummed so the mutation reaches the parser itself.
    arbitrary: fc
      .tuple(
        mutatedString(() => EXPORT_BODIES, DESCRIPTOR_CHARS),
        checksumMode,
      )
      .map(([body, mode]) => (mode === 'right' || mode === 'none' ? safeWithChecksum(body) : body)),
    weight: 4,
  },
  { arbitrary: mutatedString(() => EXPORT_SAMPLES, DESCRIPTOR_CHARS), weight: 1 },
  { arbitrary: anyText(), weight: 1 },
);

describe('fuzz: output descriptors', () => {
  it('parseDescriptor gives an account descriptor or a typed error', async () => {
    await checkProperty(
      'descriptor.parse',
      fc.property(anyDescriptor, walletNetwork, (text, network) => {
        parsesOrThrowsTyped(() => parseDescriptor(text, network ? { network } : {}));
      }),
      fuzzParams(600),
    );
  });

  it('importAccountDescriptors takes one to three pasted lines: an account or a typed error', async () => {
    await checkProperty(
      'descriptor.import',
      fc.property(
        fc.array(anyDescriptor, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('\n', ' ', '\r\n', '\t'),
        walletNetwork,
        (lines, sep, network) => {
          parsesOrThrowsTyped(() => importAccountDescriptors(lines.join(sep), network ? { network } : {}));
        },
      ),
      fuzzParams(400),
    );
  });

  it('every exported descriptor (multipath, or the receive and change pair) imports as the same account', async () => {
    await checkProperty(
      'descriptor.roundtrip',
      fc.property(accountDescriptor, fc.boolean(), (account, asPair) => {
        const out = exportDescriptors(account);
        const text = asPair ? `${out.change}\n${out.receive}` : out.multipath;
        const back = importAccountDescriptors(text);
        expect(back.xpub).toBe(account.xpub);
        expect(back.type).toBe(account.type);
        expect(back.origin).toEqual(account.origin);
        expect(back.warnings).toEqual([]);
        expect(serializeDescriptor(back)).toBe(out.multipath);
      }),
      fuzzParams(200),
    );
  });
});
