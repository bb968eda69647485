import { sha256 } from '@noble/hashes/sha2.js';
import { HDKey } from '@scure/bip32';
import { createBase58check } from '@scure/base';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GAP_LIMITS,
  GapLimits,
  RECEIVE_CHAIN,
  convertExtendedKey,
  createAccountAddressDeriver,
  deriveAccountKeys,
  describeAccount,
  exportDescriptors,
  importAccountDescriptors,
  importWatchOnly,
  parseDescriptor,
  parseExtendedKey,
  serializeDescriptor,
  verifyDescriptorChecksum,
  withChecksum,
} from '../../main/bitcoin/accounts';
import { FlashError } from '../../shared/errors';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const b58c = createBase58check(sha256);

// BIP84 / BIP86 / BIP32 test vector keys.
const ZPUB =
  'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
const BIP84_XPUB =
  'xpub6CatWdiZiodmUeTDp8LT5or8nmbKNcuyvz7WyksVFkKB4RHwCD3XyuvPEbvqAQY3rAPshWcMLoP2fMFMKHPJ4ZeZXYVUhLv1VMrjPC7PW6V';
const BIP86_XPUB =
  'xpub6BgBgsespWvERF3LHQu6CnqdvfEvtMcQjYrcRzx53QJjSxarj2afYWcLteoGVky7D3UKDP9QyrLprQ3VCECoY49yfdDEHGCtMMj92pReUsQ';
const BIP32_XPRV =
  'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi';
const TPUB = deriveAccountKeys(ABANDON, '', 'testnet', 'bip84').xpub;
const WPKH_BODY = `wpkh([73c5da0a/84h/0h/0h]${BIP84_XPUB}/<0;1>/*)`;

function failure(fn: () => unknown): FlashError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlashError) return err;
    throw err;
  }
  throw new Error('expected a FlashError');
}

/** Same payload, other version bytes (for prefixes we refuse to produce, e.g. Zpub). */
function withVersion(key: string, version: number): string {
  const payload = b58c.decode(key);
  new DataView(payload.buffer, payload.byteOffset).setUint32(0, version);
  return b58c.encode(payload);
}

describe('extended public keys (SLIP-132)', () => {
  it('converts between xpub, ypub and zpub and keeps the key', () => {
    expect(convertExtendedKey(ZPUB, 'xpub')).toBe(BIP84_XPUB);
    expect(convertExtendedKey(BIP84_XPUB, 'zpub')).toBe(ZPUB);
    const ypub = convertExtendedKey(ZPUB, 'ypub');
    expect(ypub.startsWith('ypub')).toBe(true);
    expect(convertExtendedKey(ypub, 'zpub')).toBe(ZPUB);
    expect(convertExtendedKey(TPUB, 'vpub').startsWith('vpub')).toBe(true);
    expect(convertExtendedKey(convertExtendedKey(TPUB, 'upub'), 'tpub')).toBe(TPUB);
  });

  it('detects network and implied type', () => {
    const z = parseExtendedKey(ZPUB);
    expect(z).toMatchObject({ prefix: 'zpub', network: 'mainnet', impliedType: 'bip84', depth: 3 });
    expect(z.xpub).toBe(BIP84_XPUB);
    expect(parseExtendedKey(TPUB)).toMatchObject({ prefix: 'tpub', network: 'test', impliedType: null });
    expect(parseExtendedKey(convertExtendedKey(TPUB, 'upub')).impliedType).toBe('bip49');
  });

  it('accepts surrounding whitespace', () => {
    expect(parseExtendedKey(`  ${ZPUB}\n`).xpub).toBe(BIP84_XPUB);
  });

  it('a typo is a checksum error that says so', () => {
    const typo = `${ZPUB.slice(0, 40)}${ZPUB[40] === 'a' ? 'b' : 'a'}${ZPUB.slice(41)}`;
    const err = failure(() => parseExtendedKey(typo));
    expect(err.code).toBe('XPUB_BAD_CHECKSUM');
    expect(err.message).toMatch(/typo/);
  });

  it('a character outside base58 is named with its position', () => {
    const err = failure(() => parseExtendedKey(`${ZPUB.slice(0, 10)}0${ZPUB.slice(11)}`));
    expect(err.code).toBe('XPUB_INVALID');
    expect(err.details).toMatchObject({ reason: 'bad_character', position: 11 });
    expect(err.message).toMatch(/Character 11/);
  });

  it('empty, too short and wrong-length inputs', () => {
    expect(failure(() => parseExtendedKey('  ')).details).toMatchObject({ reason: 'empty' });
    expect(failure(() => parseExtendedKey('1111')).details).toMatchObject({ reason: 'too_short' });
    // A valid base58check string that is an address, not a key.
    const address = failure(() => parseExtendedKey('1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA'));
    expect(address.code).toBe('XPUB_INVALID');
    expect(address.details).toMatchObject({ reason: 'wrong_length' });
  });

  it('private keys are refused with advice, never echoed', () => {
    const err = failure(() => parseExtendedKey(BIP32_XPRV));
    expect(err.code).toBe('XPUB_IS_PRIVATE');
    expect(err.message).toMatch(/private key/);
    expect(err.message).toMatch(/recovery words/);
    expect(JSON.stringify(err.details)).not.toContain(BIP32_XPRV.slice(8, 30));
    const zprv = HDKey.fromMasterSeed(new Uint8Array(32).fill(1), {
      public: 0x04b24746,
      private: 0x04b2430c,
    }).privateExtendedKey;
    expect(failure(() => parseExtendedKey(zprv)).details).toMatchObject({ prefix: 'zprv' });
  });

  it('multisig prefixes (Ypub, Zpub, Upub, Vpub) say multisig is not supported yet', () => {
    for (const [version, prefix] of [
      [0x0295b43f, 'Ypub'],
      [0x02aa7ed3, 'Zpub'],
      [0x024289ef, 'Upub'],
      [0x02575483, 'Vpub'],
    ] as const) {
      const key = withVersion(ZPUB, version);
      expect(key.startsWith(prefix)).toBe(true);
      const err = failure(() => parseExtendedKey(key));
      expect(err.code).toBe('MULTISIG_UNSUPPORTED');
      expect(err.message).toMatch(/not supported yet/);
    }
    expect(failure(() => convertExtendedKey(ZPUB, 'Zpub')).code).toBe('MULTISIG_UNSUPPORTED');
  });

  it('unknown version bytes', () => {
    const err = failure(() => parseExtendedKey(withVersion(ZPUB, 0x01020304)));
    expect(err.code).toBe('XPUB_INVALID');
    expect(err.details).toMatchObject({ reason: 'unknown_version' });
  });

  it('a key for the other network is refused with the right advice', () => {
    const main = failure(() => parseExtendedKey(ZPUB, { network: 'regtest' }));
    expect(main.code).toBe('XPUB_WRONG_NETWORK');
    expect(main.message).toMatch(/tpub, upub or vpub/);
    const test = failure(() => parseExtendedKey(TPUB, { network: 'mainnet' }));
    expect(test.code).toBe('XPUB_WRONG_NETWORK');
    expect(test.message).toMatch(/xpub, ypub or zpub/);
    expect(failure(() => convertExtendedKey(ZPUB, 'vpub')).code).toBe('XPUB_WRONG_NETWORK');
  });

  it('damaged key data (not a curve point, bad prefix byte)', () => {
    const payload = b58c.decode(ZPUB);
    const notOnCurve = new Uint8Array(payload);
    notOnCurve.fill(0xff, 46, 78);
    expect(failure(() => parseExtendedKey(b58c.encode(notOnCurve))).details).toMatchObject({
      reason: 'bad_key_data',
    });
    const badPrefix = new Uint8Array(payload);
    badPrefix[45] = 0x04;
    expect(failure(() => parseExtendedKey(b58c.encode(badPrefix))).details).toMatchObject({
      reason: 'bad_public_key',
    });
  });
});

describe('descriptors', () => {
  it('export gives multipath, receive and change with checksums, and each round-trips', () => {
    const keys = deriveAccountKeys(ABANDON, '', 'mainnet', 'bip84');
    const { descriptors } = describeAccount(keys);
    expect(descriptors.multipath).toBe(withChecksum(WPKH_BODY));
    for (const [text, chains] of [
      [descriptors.multipath, 'multipath'],
      [descriptors.receive, 0],
      [descriptors.change, 1],
    ] as const) {
      expect(verifyDescriptorChecksum(text).checksumProvided).toBe(true);
      const parsed = parseDescriptor(text, { network: 'mainnet' });
      expect(parsed.chains).toBe(chains);
      expect(serializeDescriptor(parsed, chains)).toBe(text);
    }
  });

  it('round-trips every account type, keeping the ’ hardened marker', () => {
    for (const type of ['bip44', 'bip49', 'bip84', 'bip86'] as const) {
      const keys = deriveAccountKeys(ABANDON, '', 'testnet', type);
      const { descriptors } = describeAccount({ ...keys, hardenedMarker: "'" });
      expect(descriptors.multipath).toContain("'/1'/0']");
      const imported = importAccountDescriptors(descriptors.multipath, { network: 'testnet' });
      expect(imported).toMatchObject({ type, xpub: keys.xpub, warnings: [] });
      expect(exportDescriptors(imported)).toEqual(descriptors);
    }
  });

  it('script functions map to account types', () => {
    const key = `${BIP84_XPUB}/<0;1>/*`;
    expect(parseDescriptor(`pkh(${key})`).type).toBe('bip44');
    expect(parseDescriptor(`sh(wpkh(${key}))`).type).toBe('bip49');
    expect(parseDescriptor(`wpkh(${key})`).type).toBe('bip84');
    expect(parseDescriptor(`tr(${key})`).type).toBe('bip86');
  });

  it('addresses from an imported tr() descriptor match BIP86', () => {
    const imported = importAccountDescriptors(`tr([73c5da0a/86h/0h/0h]${BIP86_XPUB}/<0;1>/*)`);
    const deriver = createAccountAddressDeriver(imported.xpub, imported.scriptType, 'mainnet');
    expect(deriver.derive(RECEIVE_CHAIN, 0).address).toBe(
      'bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr',
    );
  });

  it('accepts a /0/* and /1/* pair in either order, as lines or an array', () => {
    const receive = withChecksum(`wpkh([73c5da0a/84h/0h/0h]${BIP84_XPUB}/0/*)`);
    const change = withChecksum(`wpkh([73c5da0a/84h/0h/0h]${BIP84_XPUB}/1/*)`);
    for (const input of [`${receive}\n${change}`, [change, receive]]) {
      const imported = importAccountDescriptors(input, { network: 'mainnet' });
      expect(imported).toMatchObject({ type: 'bip84', xpub: BIP84_XPUB, warnings: [] });
      expect(imported.origin?.fingerprint).toBe('73c5da0a');
    }
  });

  it('a missing checksum is accepted but reported; receive alone infers change', () => {
    const imported = importAccountDescriptors(`wpkh(${BIP84_XPUB}/0/*)`);
    expect(imported.warnings).toEqual(['checksum_missing', 'change_inferred']);
    expect(imported.origin).toBeNull();
  });

  it('a SLIP-132 key inside a matching descriptor is normalised to xpub', () => {
    expect(parseDescriptor(`wpkh(${ZPUB}/<0;1>/*)`).xpub).toBe(BIP84_XPUB);
    const err = failure(() => parseDescriptor(`pkh(${ZPUB}/<0;1>/*)`));
    expect(err.code).toBe('XPUB_TYPE_MISMATCH');
  });

  describe('BIP380 checksum errors', () => {
    // https://github.com/bitcoin/bips/blob/master/bip-0380.mediawiki#test-vectors
    it('raw(deadbeef)# (missing checksum after #)', () => {
      const err = failure(() => verifyDescriptorChecksum('raw(deadbeef)#'));
      expect(err.code).toBe('DESCRIPTOR_BAD_CHECKSUM');
      expect(err.message).toMatch(/#89f8spxm/);
    });
    it('too long, too short', () => {
      expect(failure(() => verifyDescriptorChecksum('raw(deadbeef)#89f8spxmx')).code).toBe(
        'DESCRIPTOR_BAD_CHECKSUM',
      );
      expect(failure(() => verifyDescriptorChecksum('raw(deadbeef)#89f8spx')).code).toBe(
        'DESCRIPTOR_BAD_CHECKSUM',
      );
    });
    it('error in payload names the expected checksum', () => {
      const err = failure(() => verifyDescriptorChecksum('raw(deedbeef)#89f8spxm'));
      expect(err.code).toBe('DESCRIPTOR_BAD_CHECKSUM');
      expect(err.details).toMatchObject({ given: '89f8spxm' });
      expect(err.message).toContain(`#${String(err.details?.['expected'])}`);
    });
    it('error in checksum, two #', () => {
      expect(failure(() => verifyDescriptorChecksum('raw(deadbeef)#9f8spxm')).code).toBe(
        'DESCRIPTOR_BAD_CHECKSUM',
      );
      expect(failure(() => verifyDescriptorChecksum('raw(deedbeef)##9f8spxm')).code).toBe(
        'DESCRIPTOR_BAD_CHECKSUM',
      );
    });
    it('invalid character', () => {
      const err = failure(() => verifyDescriptorChecksum('raw(Ü)#00000000'));
      expect(err.code).toBe('DESCRIPTOR_INVALID');
      expect(err.details).toMatchObject({ reason: 'bad_character', position: 5 });
    });
    it('a wrong checksum on an account descriptor', () => {
      const good = withChecksum(WPKH_BODY);
      const bad = `${good.slice(0, -1)}${good.endsWith('q') ? 'p' : 'q'}`;
      const err = failure(() => importAccountDescriptors(bad));
      expect(err.code).toBe('DESCRIPTOR_BAD_CHECKSUM');
      expect(err.details).toMatchObject({ expected: good.slice(-8) });
    });
  });

  describe('refusals, each with an actionable message', () => {
    const cases: [string, string, string | RegExp, RegExp][] = [
      [
        'unknown function',
        `foo(${BIP84_XPUB}/<0;1>/*)`,
        'DESCRIPTOR_INVALID',
        /Unknown descriptor function “foo”/,
      ],
      ['not a descriptor', 'hello', 'DESCRIPTOR_INVALID', /looks like wpkh/],
      ['unbalanced', `wpkh(${BIP84_XPUB}/<0;1>/*))`, 'DESCRIPTOR_INVALID', /parentheses/],
      ['xprv', `wpkh(${BIP32_XPRV}/<0;1>/*)`, 'XPUB_IS_PRIVATE', /private key/],
      ['WIF', 'wpkh(KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn)', 'XPUB_IS_PRIVATE', /private key/],
      ['hardened wildcard h', `wpkh(${BIP84_XPUB}/0/*h)`, 'DESCRIPTOR_INVALID', /unhardened \/\*/],
      ['hardened wildcard ’', `wpkh(${BIP84_XPUB}/0/*')`, 'DESCRIPTOR_INVALID', /unhardened \/\*/],
      ['hardened step', `wpkh(${BIP84_XPUB}/0h/*)`, 'DESCRIPTOR_INVALID', /hardened/],
      ['no wildcard', `wpkh(${BIP84_XPUB}/0/5)`, 'DESCRIPTOR_INVALID', /single address/],
      ['extra steps', `wpkh(${BIP84_XPUB}/0/0/*)`, 'DESCRIPTOR_INVALID', /exactly one chain step/],
      ['odd multipath', `wpkh(${BIP84_XPUB}/<0;2>/*)`, 'DESCRIPTOR_INVALID', /<0;1>/],
      ['bad fingerprint', `wpkh([73c5da/84h]${BIP84_XPUB}/<0;1>/*)`, 'DESCRIPTOR_INVALID', /fingerprint/],
      ['bad origin step', `wpkh([73c5da0a/84x]${BIP84_XPUB}/<0;1>/*)`, 'DESCRIPTOR_INVALID', /“84x”/],
      ['unclosed origin', `wpkh([73c5da0a/84h${BIP84_XPUB}/<0;1>/*)`, 'DESCRIPTOR_INVALID', /not closed/],
      ['wrong network', `wpkh(${TPUB}/<0;1>/*)`, 'XPUB_WRONG_NETWORK', /mainnet/],
      ['bad key checksum', `wpkh(${BIP84_XPUB.slice(0, -1)}W/<0;1>/*)`, 'XPUB_BAD_CHECKSUM', /typo/],
      [
        'wsh multisig',
        `wsh(multi(2,${BIP84_XPUB}/<0;1>/*,${BIP86_XPUB}/<0;1>/*))`,
        'MULTISIG_UNSUPPORTED',
        /not supported yet/,
      ],
      ['sh multisig', `sh(multi(1,${BIP84_XPUB}/0/*))`, 'MULTISIG_UNSUPPORTED', /not supported yet/],
      [
        'sh(wsh(sortedmulti))',
        `sh(wsh(sortedmulti(1,${BIP84_XPUB}/0/*)))`,
        'MULTISIG_UNSUPPORTED',
        /not supported yet/,
      ],
      ['bare sortedmulti', `sortedmulti(1,${BIP84_XPUB}/0/*)`, 'MULTISIG_UNSUPPORTED', /not supported yet/],
      [
        'tr multi_a',
        `tr(${BIP86_XPUB}/<0;1>/*,multi_a(1,${BIP84_XPUB}/0/*))`,
        'MULTISIG_UNSUPPORTED',
        /not supported yet/,
      ],
      [
        'tr script tree',
        `tr(${BIP86_XPUB}/<0;1>/*,pk(${BIP84_XPUB}/0/*))`,
        'ACCOUNT_TYPE_UNSUPPORTED',
        /key-path/,
      ],
      [
        'single key',
        'wpkh(0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c)',
        'ACCOUNT_TYPE_UNSUPPORTED',
        /single public key/,
      ],
      ['raw', 'raw(deadbeef)#89f8spxm', 'ACCOUNT_TYPE_UNSUPPORTED', /cannot be used as an account/],
      [
        'addr',
        'addr(bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu)',
        'ACCOUNT_TYPE_UNSUPPORTED',
        /cannot be used/,
      ],
      ['sh(pkh)', `sh(pkh(${BIP84_XPUB}/0/*))`, 'ACCOUNT_TYPE_UNSUPPORTED', /sh\(pkh\)/],
      ['sh(wsh(pkh))', `sh(wsh(pkh(${BIP84_XPUB}/0/*)))`, 'ACCOUNT_TYPE_UNSUPPORTED', /sh\(wsh\)/],
      ['empty', '   ', 'DESCRIPTOR_INVALID', /Paste an output descriptor/],
    ];
    it.each(cases)('%s', (_name, input, code, message) => {
      const err = failure(() => importAccountDescriptors(input, { network: 'mainnet' }));
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
    });

    it('pairs that do not belong together', () => {
      const other = deriveAccountKeys(ABANDON, '', 'mainnet', 'bip84', 1).xpub;
      const cases: [string[], string, RegExp][] = [
        [[`wpkh(${BIP84_XPUB}/0/*)`, `wpkh(${other}/1/*)`], 'DESCRIPTOR_INVALID', /different accounts/],
        [[`wpkh(${BIP84_XPUB}/0/*)`, `pkh(${BIP84_XPUB}/1/*)`], 'DESCRIPTOR_INVALID', /different accounts/],
        [[`wpkh(${BIP84_XPUB}/0/*)`, `wpkh(${BIP84_XPUB}/0/*)`], 'DESCRIPTOR_INVALID', /same chain/],
        [[`wpkh(${BIP84_XPUB}/<0;1>/*)`, `wpkh(${BIP84_XPUB}/1/*)`], 'DESCRIPTOR_INVALID', /paste it alone/],
        [[`wpkh(${BIP84_XPUB}/0/*)`, `wpkh(${TPUB}/1/*)`], 'XPUB_WRONG_NETWORK', /mainnet/],
        [[`wpkh(${BIP84_XPUB}/1/*)`], 'DESCRIPTOR_INVALID', /only the change descriptor/],
        [[`wpkh(${BIP84_XPUB}/0/*)`, `wpkh(${BIP84_XPUB}/1/*)`, 'x'], 'DESCRIPTOR_INVALID', /one multipath/],
      ];
      for (const [input, code, message] of cases) {
        const err = failure(() => importAccountDescriptors(input));
        expect(err.code, input.join(' ')).toBe(code);
        expect(err.message).toMatch(message);
      }
    });
  });
});

describe('watch-only import', () => {
  it('zpub -> BIP84 with the BIP84 first address', () => {
    const account = importWatchOnly(ZPUB, { network: 'mainnet' });
    expect(account).toMatchObject({ type: 'bip84', scriptType: 'wpkh', xpub: BIP84_XPUB, warnings: [] });
    const deriver = createAccountAddressDeriver(account.xpub, account.scriptType, 'mainnet');
    expect(deriver.derive(RECEIVE_CHAIN, 0).address).toBe('bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu');
  });

  it('a plain xpub takes the chosen type, or the default with a warning', () => {
    expect(importWatchOnly(BIP86_XPUB, { network: 'mainnet', type: 'bip86' })).toMatchObject({
      type: 'bip86',
      warnings: [],
    });
    expect(importWatchOnly(BIP86_XPUB, { network: 'mainnet' })).toMatchObject({
      type: 'bip84',
      warnings: ['type_assumed'],
    });
  });

  it('a zpub chosen as another type, or a descriptor of another type, is a mismatch', () => {
    expect(failure(() => importWatchOnly(ZPUB, { network: 'mainnet', type: 'bip44' })).code).toBe(
      'XPUB_TYPE_MISMATCH',
    );
    expect(
      failure(() => importWatchOnly(withChecksum(WPKH_BODY), { network: 'mainnet', type: 'bip86' })).code,
    ).toBe('XPUB_TYPE_MISMATCH');
  });

  it('descriptors carry fingerprint and path', () => {
    expect(importWatchOnly(withChecksum(WPKH_BODY), { network: 'mainnet' })).toMatchObject({
      type: 'bip84',
      fingerprint: '73c5da0a',
      path: "m/84'/0'/0'",
      xpub: BIP84_XPUB,
      warnings: [],
    });
  });

  it('wrong network and private keys', () => {
    expect(failure(() => importWatchOnly(ZPUB, { network: 'testnet' })).code).toBe('XPUB_WRONG_NETWORK');
    expect(failure(() => importWatchOnly(BIP32_XPRV, { network: 'mainnet' })).code).toBe('XPUB_IS_PRIVATE');
  });
});

describe('describeAccount', () => {
  it('gives what the UI shows', () => {
    const keys = deriveAccountKeys(ABANDON, '', 'mainnet', 'bip84');
    const described = describeAccount(keys);
    expect(described).toMatchObject({
      type: 'bip84',
      network: 'mainnet',
      fingerprint: '73c5da0a',
      path: "m/84'/0'/0'",
      xpub: BIP84_XPUB,
      displayKey: ZPUB,
    });
    expect(described.descriptors.receive).toBe(withChecksum(`wpkh([73c5da0a/84h/0h/0h]${BIP84_XPUB}/0/*)`));
  });

  it('without an origin the descriptors have no [fingerprint/path]', () => {
    const described = describeAccount({ type: 'bip86', network: 'mainnet', xpub: BIP86_XPUB });
    expect(described.fingerprint).toBeNull();
    expect(described.descriptors.multipath).toBe(withChecksum(`tr(${BIP86_XPUB}/<0;1>/*)`));
  });

  it('rejects a bad fingerprint and a wrong-network key', () => {
    expect(
      failure(() => describeAccount({ type: 'bip84', network: 'mainnet', xpub: ZPUB, fingerprint: 'xyz' }))
        .code,
    ).toBe('BAD_INPUT');
    expect(
      failure(() => describeAccount({ type: 'bip84', network: 'mainnet', xpub: ZPUB, path: "m/84'/x" })).code,
    ).toBe('BAD_INPUT');
    expect(failure(() => describeAccount({ type: 'bip84', network: 'signet', xpub: ZPUB })).code).toBe(
      'XPUB_WRONG_NETWORK',
    );
  });
});

describe('gap limits', () => {
  it('defaults to 20 receive and 10 change', () => {
    expect(GapLimits.parse({})).toEqual({ receive: 20, change: 10 });
    expect(GapLimits.parse({ receive: 100 })).toEqual({ receive: 100, change: 10 });
    expect(DEFAULT_GAP_LIMITS).toEqual({ receive: 20, change: 10 });
  });

  it('accepts 1..1000 whole numbers only', () => {
    expect(GapLimits.parse({ receive: 1, change: 1000 })).toEqual({ receive: 1, change: 1000 });
    for (const bad of [
      { receive: 0 },
      { change: 1001 },
      { receive: 2.5 },
      { change: -1 },
      { receive: '20' },
    ]) {
      expect(GapLimits.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
