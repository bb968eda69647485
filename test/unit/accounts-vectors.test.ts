import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { HDKey } from '@scure/bip32';
import { bech32m } from '@scure/base';
import { address as btcAddress, networks } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_TYPE_INFO,
  CHANGE_CHAIN,
  RECEIVE_CHAIN,
  accountPath,
  convertExtendedKey,
  createAccountAddressDeriver,
  deriveAccountKeys,
  describeAccount,
  descriptorChecksum,
  parseDescriptor,
  serializeDescriptor,
  type AccountType,
} from '../../main/bitcoin/accounts';
import { createAddressDeriver } from '../../main/bitcoin/wallet/derivation';
import type { Network } from '../../shared/contract';

/** The mnemonic every BIP44/49/84/86 test vector uses. */
const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

function deriver(type: AccountType, network: Network, accountIndex = 0) {
  const keys = deriveAccountKeys(ABANDON, '', network, type, accountIndex);
  return {
    keys,
    addresses: createAccountAddressDeriver(keys.xpub, ACCOUNT_TYPE_INFO[type].scriptType, network),
  };
}

describe('BIP32 test vector 1 (seed 000102030405060708090a0b0c0d0e0f)', () => {
  // https://github.com/bitcoin/bips/blob/master/bip-0032.mediawiki#test-vector-1
  const root = HDKey.fromMasterSeed(hexToBytes('000102030405060708090a0b0c0d0e0f'));

  it('chain m', () => {
    expect(root.publicExtendedKey).toBe(
      'xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8',
    );
    expect(root.privateExtendedKey).toBe(
      'xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi',
    );
  });

  it('chain m/0H', () => {
    const child = root.derive("m/0'");
    expect(child.publicExtendedKey).toBe(
      'xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw',
    );
    expect(child.privateExtendedKey).toBe(
      'xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7',
    );
  });

  it('our parser reads the vector xpub and gives the same key back', () => {
    const text = root.derive("m/0'").publicExtendedKey;
    expect(convertExtendedKey(text, 'xpub')).toBe(text);
    expect(describeAccount({ type: 'bip44', network: 'mainnet', xpub: text }).xpub).toBe(text);
  });
});

describe('BIP44 (abandon … about, m/44h/0h/0h)', () => {
  // BIP44 defines the path; the addresses are the widely published ones for this mnemonic
  // (also derived here through bitcoinjs-lib's p2pkh).
  it('account xpub and first receive address', () => {
    const { keys, addresses } = deriver('bip44', 'mainnet');
    expect(keys.path).toBe("m/44'/0'/0'");
    expect(keys.fingerprint).toBe('73c5da0a');
    expect(keys.xpub).toBe(
      'xpub6BosfCnifzxcFwrSzQiqu2DBVTshkCXacvNsWGYJVVhhawA7d4R5WSWGFNbi8Aw6ZRc1brxMyWMzG3DSSSSoekkudhUd9yLb6qx39T9nMdj',
    );
    expect(addresses.derive(RECEIVE_CHAIN, 0).address).toBe('1LqBGSKuX5yYUonjxT5qGfpUsXKYYWeabA');
  });
});

describe('BIP49 test vector (testnet, abandon … about)', () => {
  // https://github.com/bitcoin/bips/blob/master/bip-0049.mediawiki#test-vectors
  it('account upub and m/49h/1h/0h/0/0', () => {
    const { keys, addresses } = deriver('bip49', 'testnet');
    expect(keys.path).toBe("m/49'/1'/0'");
    expect(convertExtendedKey(keys.xpub, 'upub')).toBe(
      'upub5EFU65HtV5TeiSHmZZm7FUffBGy8UKeqp7vw43jYbvZPpoVsgU93oac7Wk3u6moKegAEWtGNF8DehrnHtv21XXEMYRUocHqguyjknFHYfgY',
    );
    const first = addresses.derive(RECEIVE_CHAIN, 0);
    expect(bytesToHex(first.publicKey)).toBe(
      '03a1af804ac108a8a51782198c2d034b28bf90c8803f5a53f76276fa69a4eae77f',
    );
    expect(first.address).toBe('2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2');
    // Cross-check the script against bitcoinjs-lib's own address decoder.
    expect(bytesToHex(btcAddress.toOutputScript(first.address, networks.testnet))).toBe(
      bytesToHex(first.scriptPubKey),
    );
  });

  it('mainnet account key in SLIP-132 ypub form', () => {
    const { keys } = deriver('bip49', 'mainnet');
    expect(describeAccount(keys).displayKey).toBe(
      'ypub6Ww3ibxVfGzLrAH1PNcjyAWenMTbbAosGNB6VvmSEgytSER9azLDWCxoJwW7Ke7icmizBMXrzBx9979FfaHxHcrArf3zbeJJJUZPf663zsP',
    );
  });
});

describe('BIP84 test vector (abandon … about)', () => {
  // https://github.com/bitcoin/bips/blob/master/bip-0084.mediawiki#test-vectors
  const ZPUB =
    'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs';
  const BIP84_XPUB =
    'xpub6CatWdiZiodmUeTDp8LT5or8nmbKNcuyvz7WyksVFkKB4RHwCD3XyuvPEbvqAQY3rAPshWcMLoP2fMFMKHPJ4ZeZXYVUhLv1VMrjPC7PW6V';

  it('account zpub', () => {
    const { keys } = deriver('bip84', 'mainnet');
    expect(convertExtendedKey(keys.xpub, 'zpub')).toBe(ZPUB);
    expect(describeAccount(keys).displayKey).toBe(ZPUB);
  });

  it('first two receive addresses and first change address, watch-only from the zpub', () => {
    const addresses = createAccountAddressDeriver(ZPUB, 'wpkh', 'mainnet');
    const first = addresses.derive(RECEIVE_CHAIN, 0);
    expect(bytesToHex(first.publicKey)).toBe(
      '0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c',
    );
    expect(first.address).toBe('bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu');
    expect(addresses.derive(RECEIVE_CHAIN, 1).address).toBe('bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g');
    expect(addresses.derive(CHANGE_CHAIN, 0).address).toBe('bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el');
  });

  it('the scripthash is sha256(scriptPubKey) reversed', () => {
    const first = createAccountAddressDeriver(ZPUB, 'wpkh', 'mainnet').derive(RECEIVE_CHAIN, 0);
    expect(bytesToHex(first.scriptPubKey)).toBe('0014c0cebcd6c3d3ca8c75dc5ec62ebe55330ef910e2');
    expect(first.scriptHash).toBe(bytesToHex(sha256(first.scriptPubKey).reverse()));
  });

  it('agrees with the existing BIP84-only wallet deriver on both chains', () => {
    const legacy = createAddressDeriver(BIP84_XPUB, 'mainnet');
    const accounts = createAccountAddressDeriver(ZPUB, 'wpkh', 'mainnet');
    for (const chain of [RECEIVE_CHAIN, CHANGE_CHAIN] as const) {
      for (let i = 0; i < 5; i++) {
        const a = legacy.derive(chain, i);
        const b = accounts.derive(chain, i);
        expect([b.address, b.scriptHash]).toEqual([a.address, a.scriptHash]);
      }
    }
  });
});

describe('BIP86 test vector (abandon … about)', () => {
  // https://github.com/bitcoin/bips/blob/master/bip-0086.mediawiki#test-vectors
  const XPUB =
    'xpub6BgBgsespWvERF3LHQu6CnqdvfEvtMcQjYrcRzx53QJjSxarj2afYWcLteoGVky7D3UKDP9QyrLprQ3VCECoY49yfdDEHGCtMMj92pReUsQ';

  it('account xpub', () => {
    const { keys } = deriver('bip86', 'mainnet');
    expect(keys.path).toBe("m/86'/0'/0'");
    expect(keys.xpub).toBe(XPUB);
  });

  it('receive 0, receive 1, change 0', () => {
    const addresses = createAccountAddressDeriver(XPUB, 'tr', 'mainnet');
    const first = addresses.derive(RECEIVE_CHAIN, 0);
    expect(bytesToHex(first.publicKey.subarray(1))).toBe(
      'cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115',
    );
    expect(first.address).toBe('bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr');
    expect(bytesToHex(first.scriptPubKey)).toBe(
      '5120a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c',
    );
    expect(addresses.derive(RECEIVE_CHAIN, 1).address).toBe(
      'bc1p4qhjn9zdvkux4e44uhx8tc55attvtyu358kutcqkudyccelu0was9fqzwh',
    );
    expect(addresses.derive(CHANGE_CHAIN, 0).address).toBe(
      'bc1p3qkhfews2uk44qtvauqyr2ttdsw7svhkl9nkm9s9c3x4ax5h60wqwruhk7',
    );
  });

  it('matches an independent BIP341 tweak (noble-curves) for the first 5 receive addresses', () => {
    const addresses = createAccountAddressDeriver(XPUB, 'tr', 'mainnet');
    for (let i = 0; i < 5; i++) {
      const derived = addresses.derive(RECEIVE_CHAIN, i);
      const internal = derived.publicKey.subarray(1);
      const P = secp256k1.Point.fromHex(`02${bytesToHex(internal)}`);
      const t = BigInt(`0x${bytesToHex(schnorr.utils.taggedHash('TapTweak', internal))}`);
      const Q = P.add(secp256k1.Point.BASE.multiply(t));
      const outputKey = schnorr.utils.pointToBytes(Q);
      const address = bech32m.encode('bc', [1, ...bech32m.toWords(outputKey)]);
      expect(derived.address).toBe(address);
    }
  });
});

describe('account paths', () => {
  it('coin type 0 on mainnet, 1 on every test network, account index hardened', () => {
    expect(accountPath('bip84', 'mainnet')).toBe("m/84'/0'/0'");
    expect(accountPath('bip86', 'testnet', 2)).toBe("m/86'/1'/2'");
    expect(accountPath('bip49', 'signet')).toBe("m/49'/1'/0'");
    expect(accountPath('bip44', 'regtest', 7)).toBe("m/44'/1'/7'");
  });

  it('several accounts per wallet get different keys', () => {
    const a = deriveAccountKeys(ABANDON, '', 'mainnet', 'bip84', 0);
    const b = deriveAccountKeys(ABANDON, '', 'mainnet', 'bip84', 1);
    expect(b.path).toBe("m/84'/0'/1'");
    expect(b.xpub).not.toBe(a.xpub);
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('rejects a negative or too large account index', () => {
    expect(() => accountPath('bip84', 'mainnet', -1)).toThrow(/Account number/);
    expect(() => accountPath('bip84', 'mainnet', 2 ** 31)).toThrow(/Account number/);
  });

  it('regtest keys derive bcrt addresses', () => {
    const { addresses } = deriver('bip84', 'regtest');
    expect(addresses.derive(RECEIVE_CHAIN, 0).address).toMatch(/^bcrt1q/);
    const tr = deriver('bip86', 'regtest').addresses.derive(RECEIVE_CHAIN, 0);
    expect(tr.address).toMatch(/^bcrt1p/);
  });
});

describe('BIP380 descriptor checksums', () => {
  // https://github.com/bitcoin/bips/blob/master/bip-0380.mediawiki#test-vectors
  it('raw(deadbeef)#89f8spxm', () => {
    expect(descriptorChecksum('raw(deadbeef)')).toBe('89f8spxm');
  });

  // Bitcoin Core doc/descriptors.md's example of a checksummed descriptor.
  it('wpkh with key origin (Bitcoin Core descriptors.md)', () => {
    const text =
      'wpkh([d34db33f/84h/0h/0h]xpub6DJ2dNUysrn5Vt36jH2KLBT2i1auw1tTSSomg8PhqNiUtx8QX2SvC9nrHu81fT41fvDUnhMjEzQgXnQjKEu3oaqMSzhSrHMxyyoEAmUHQbY/0/*)#cjjspncu';
    const parsed = parseDescriptor(text);
    expect(parsed.type).toBe('bip84');
    expect(parsed.chains).toBe(0);
    expect(parsed.origin).toEqual({ fingerprint: 'd34db33f', path: [0x80000054, 0x80000000, 0x80000000] });
    expect(parsed.checksumProvided).toBe(true);
    expect(serializeDescriptor(parsed, 0)).toBe(text);
  });
});
