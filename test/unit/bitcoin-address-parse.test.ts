import { hex } from '@scure/base';
import * as ecc from '@bitcoinerlab/secp256k1';
import { address as btcAddress, initEccLib, networks, payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import type { AddressErrorReason } from '../../shared/bitcoin/address';
import { AddressError, decodeAddress, parseAddress, scriptToAddress } from '../../shared/bitcoin/address';

initEccLib(ecc);

// BIP350 "Test vectors for v0-v16 native segregated witness addresses" (valid).
const VALID: [string, string, 'mainnet' | 'testnet'][] = [
  ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', '0014751e76e8199196d454941c45d1b3a323f1433bd6', 'mainnet'],
  [
    'tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7',
    '00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262',
    'testnet',
  ],
  [
    'bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y',
    '5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6',
    'mainnet',
  ],
  ['BC1SW50QGDZ25J', '6002751e', 'mainnet'],
  ['bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs', '5210751e76e8199196d454941c45d1b3a323', 'mainnet'],
  [
    'tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy',
    '0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
    'testnet',
  ],
  [
    'tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c',
    '5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433',
    'testnet',
  ],
  [
    'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    '512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798',
    'mainnet',
  ],
];

// BIP350 invalid addresses, with the reason we report for each.
const INVALID: [string, AddressErrorReason][] = [
  ['tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut', 'UNKNOWN_FORMAT'], // bad hrp
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', 'WRONG_BECH32_VARIANT'],
  ['tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf', 'WRONG_BECH32_VARIANT'],
  ['BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL', 'WRONG_BECH32_VARIANT'],
  ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'WRONG_BECH32_VARIANT'],
  ['tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47', 'WRONG_BECH32_VARIANT'],
  ['bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4', 'UNKNOWN_FORMAT'], // 'o'
  ['BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R', 'BAD_WITNESS_PROGRAM'], // v17
  ['bc1pw5dgrnzv', 'BAD_WITNESS_PROGRAM'], // 1-byte program
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav', 'BAD_WITNESS_PROGRAM'],
  ['BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'BAD_WITNESS_PROGRAM'], // v0 with 16 bytes
  ['tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq', 'UNKNOWN_FORMAT'], // mixed case
  ['bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf', 'BAD_WITNESS_PROGRAM'], // padding
  ['tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j', 'BAD_WITNESS_PROGRAM'], // padding
  ['bc1gmk9yu', 'UNKNOWN_FORMAT'], // empty data
];

function reasonOf(fn: () => unknown): AddressErrorReason | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    expect(err).toBeInstanceOf(AddressError);
    return (err as AddressError).reason;
  }
}

describe('address parsing: BIP173/BIP350 vectors', () => {
  it.each(VALID)('decodes %s', (addr, script, family) => {
    const p = decodeAddress(addr);
    expect(hex.encode(p.scriptPubKey)).toBe(script);
    expect(p.family).toBe(family);
    expect(p.address).toBe(addr.toLowerCase());
    // Re-encoding the script gives the canonical address back.
    expect(scriptToAddress(p.scriptPubKey, family)).toBe(addr.toLowerCase());
  });

  it('names the types', () => {
    expect(decodeAddress(VALID[0]![0]).type).toBe('p2wpkh');
    expect(decodeAddress(VALID[1]![0]).type).toBe('p2wsh');
    expect(decodeAddress(VALID[7]![0]).type).toBe('p2tr');
    expect(decodeAddress(VALID[3]![0]).type).toBe('witness-unknown');
    expect(decodeAddress(VALID[7]![0]).encoding).toBe('bech32m');
  });

  it.each(INVALID)('rejects %s as %s', (addr, reason) => {
    expect(reasonOf(() => decodeAddress(addr))).toBe(reason);
  });

  it('reports a mistyped bech32 character as a bad checksum', () => {
    const good = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
    const bad = good.slice(0, 10) + (good[10] === 'q' ? 'p' : 'q') + good.slice(11);
    expect(reasonOf(() => decodeAddress(bad))).toBe('BAD_CHECKSUM');
  });
});

describe('base58 addresses', () => {
  it('decodes mainnet p2pkh and p2sh', () => {
    const a = decodeAddress('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2');
    expect(a.type).toBe('p2pkh');
    expect(a.networks).toEqual(['mainnet']);
    const b = decodeAddress('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy');
    expect(b.type).toBe('p2sh');
    expect(hex.encode(b.scriptPubKey)).toBe(
      hex.encode(btcAddress.toOutputScript(b.address, networks.bitcoin)),
    );
  });

  it('reports a changed character as a bad base58 checksum', () => {
    const err = (() => {
      try {
        decodeAddress('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3');
      } catch (e) {
        return e as AddressError;
      }
      return null;
    })();
    expect(err?.reason).toBe('BAD_CHECKSUM');
    expect(err?.details?.encoding).toBe('base58');
  });

  it('test-network base58 addresses are valid on testnet, signet and regtest', () => {
    const pkh = payments.p2pkh({ hash: new Uint8Array(20).fill(7), network: networks.testnet }).address!;
    const sh = payments.p2sh({ hash: new Uint8Array(20).fill(9), network: networks.testnet }).address!;
    for (const n of ['testnet', 'signet', 'regtest'] as const) {
      expect(parseAddress(pkh, n).type).toBe('p2pkh');
      expect(parseAddress(sh, n).type).toBe('p2sh');
    }
    expect(reasonOf(() => parseAddress(pkh, 'mainnet'))).toBe('WRONG_NETWORK');
  });
});

describe('network mismatch', () => {
  it('says which network the address belongs to', () => {
    try {
      parseAddress('bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'regtest');
      expect.unreachable();
    } catch (err) {
      const e = err as AddressError;
      expect(e.reason).toBe('WRONG_NETWORK');
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain('mainnet');
      expect(e.message).toContain('regtest');
      expect(e.details).toMatchObject({ expected: 'regtest', actual: 'mainnet' });
    }
    expect(() => parseAddress(VALID[1]![0], 'mainnet')).toThrow(/testnet or signet/);
    expect(parseAddress(VALID[1]![0], 'signet').type).toBe('p2wsh');
  });

  it('agrees with bitcoinjs-lib on generated regtest addresses of every type', () => {
    const pubkey = hex.decode('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');
    const addrs = [
      payments.p2wpkh({ pubkey, network: networks.regtest }).address!,
      payments.p2wsh({ hash: new Uint8Array(32).fill(1), network: networks.regtest }).address!,
      payments.p2pkh({ pubkey, network: networks.regtest }).address!,
      payments.p2sh({ hash: new Uint8Array(20).fill(2), network: networks.regtest }).address!,
      payments.p2tr({ pubkey: pubkey.subarray(1), network: networks.regtest }).address!,
    ];
    for (const a of addrs) {
      expect(hex.encode(parseAddress(a, 'regtest').scriptPubKey)).toBe(
        hex.encode(btcAddress.toOutputScript(a, networks.regtest)),
      );
    }
    expect(addrs[0]!.startsWith('bcrt1q')).toBe(true);
    expect(addrs[4]!.startsWith('bcrt1p')).toBe(true);
  });

  it('rejects garbage with UNKNOWN_FORMAT', () => {
    for (const s of ['', 'hello', 'lnbc1somethinginvoice', '0x1234567890abcdef']) {
      expect(reasonOf(() => decodeAddress(s))).toBe('UNKNOWN_FORMAT');
    }
  });
});
