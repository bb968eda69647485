import { base58 } from '@scure/base';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  readWalletFile,
  writeBsms,
  writeCaravan,
  writeColdcard,
  writeSpecter,
} from '../../main/bitcoin/multisig/formats';
import { policyDescriptor, policyId } from '../../main/bitcoin/multisig/policy';
import { createMultisigAddressDeriver, multisigScriptsAt } from '../../main/bitcoin/multisig/scripts';
import { descriptorOf } from '../../main/bitcoin/multisig/policy';
import type { MultisigPolicy } from '../../main/bitcoin/multisig/types';
import { testPolicy } from '../fixtures/multisig/keys';

const addresses = (policy: MultisigPolicy) => {
  const d = createMultisigAddressDeriver(descriptorOf(policy), 'regtest');
  return [0, 1].flatMap((chain) => [0, 1, 2].map((i) => d.derive(chain as 0 | 1, i).address));
};

/** Rewrites a tpub with SLIP-132's Vpub prefix, as Sparrow and Electrum write BIP48 keys. */
function asVpub(tpub: string): string {
  const raw = base58.decode(tpub).subarray(0, 78);
  const out = new Uint8Array(raw);
  out.set([0x02, 0x57, 0x54, 0x83], 0);
  const sum = sha256(sha256(out)).subarray(0, 4);
  return base58.encode(Uint8Array.from([...out, ...sum]));
}

describe('wallet files: every format gives the same wallet and addresses', () => {
  for (const script of ['wsh', 'sh-wsh'] as const) {
    it(`${script}: descriptor, Coldcard, Specter, Caravan and BSMS round trip to the same addresses`, () => {
      const policy = testPolicy(script, 2);
      const labels = ['Ledger', 'Trezor', 'Air-gapped'];
      const want = addresses(policy);
      const files = {
        descriptor: policyDescriptor(policy),
        coldcard: writeColdcard(policy, 'Family vault'),
        specter: writeSpecter(policy, 'Family vault', labels),
        caravan: writeCaravan(policy, 'Family vault', labels, 'regtest'),
        bsms: writeBsms(policy, 'regtest'),
      };
      for (const [format, text] of Object.entries(files)) {
        const file = readWalletFile(text, 'regtest');
        expect(file.format, format).toBe(format);
        expect(policyId(file.policy), format).toBe(policyId(policy));
        expect(addresses(file.policy), format).toEqual(want);
      }
      expect(readWalletFile(files.specter, 'regtest').labels).toEqual(labels);
      expect(readWalletFile(files.caravan, 'regtest').labels).toEqual(labels);
      expect(readWalletFile(files.coldcard, 'regtest').name).toBe('Family vault');
    });
  }

  it('a Sparrow-style Coldcard file with Vpub keys reads as the same wallet', () => {
    const policy = testPolicy('wsh', 2);
    const text = writeColdcard(
      { ...policy, keys: policy.keys.map((k) => ({ ...k, xpub: asVpub(k.xpub) })) },
      'Sparrow export',
    );
    expect(text).toContain('Vpub');
    expect(policyId(readWalletFile(text, 'regtest').policy)).toBe(policyId(policy));
  });

  it('taproot multisig: descriptor and BSMS round trip; Coldcard and Caravan say they cannot hold it', () => {
    const policy = testPolicy('tr', 2);
    const want = addresses(policy);
    expect(want[0]).toMatch(/^bcrt1p/);
    for (const text of [policyDescriptor(policy), writeBsms(policy, 'regtest')]) {
      expect(addresses(readWalletFile(text, 'regtest').policy)).toEqual(want);
    }
    expect(() => writeColdcard(policy, 'x')).toThrow(
      expect.objectContaining({ code: 'MULTISIG_UNSUPPORTED' }),
    );
    expect(() => writeCaravan(policy, 'x', [], 'regtest')).toThrow(
      expect.objectContaining({ code: 'MULTISIG_UNSUPPORTED' }),
    );
  });

  it('the key order written changes no address (sortedmulti)', () => {
    const policy = testPolicy('wsh', 2);
    const reversed = { ...policy, keys: [...policy.keys].reverse() };
    expect(addresses(reversed)).toEqual(addresses(policy));
    expect(policyId(reversed)).toBe(policyId(policy));
  });

  it('bad files answer typed errors', () => {
    const policy = testPolicy('wsh', 2);
    const cases: [string, string][] = [
      ['', 'MULTISIG_FORMAT_UNKNOWN'],
      ['hello there', 'MULTISIG_FORMAT_UNKNOWN'],
      ['{"label": 3}', 'MULTISIG_FORMAT_UNKNOWN'],
      ['{not json', 'MULTISIG_FORMAT_UNKNOWN'],
      [writeColdcard(policy, 'x').replace('Policy: 2 of 3', 'Policy: 2 of 4'), 'MULTISIG_FORMAT_UNKNOWN'],
      [writeColdcard(policy, 'x').replace('Format: P2WSH', 'Format: P2TR'), 'MULTISIG_UNSUPPORTED'],
      [writeColdcard(policy, 'x').replace('Policy: 2 of 3', 'Policy: 4 of 3'), 'MULTISIG_INVALID'],
      [policyDescriptor(policy).replace(/#.*$/, '#aaaaaaaa'), 'DESCRIPTOR_BAD_CHECKSUM'],
      [policyDescriptor(policy).replace('sortedmulti', 'multi').replace(/#.*$/, ''), 'MULTISIG_UNSUPPORTED'],
      [writeBsms(policy, 'regtest').replace('BSMS 1.0', 'BSMS 2.0'), 'MULTISIG_FORMAT_UNKNOWN'],
    ];
    for (const [text, code] of cases) {
      expect(() => readWalletFile(text, 'regtest'), text.slice(0, 40)).toThrow(
        expect.objectContaining({ code }),
      );
    }
    // A mainnet wallet file on regtest.
    expect(() =>
      readWalletFile(
        "wsh(sortedmulti(2,[6738736c/48'/0'/0'/2']xpub6FC1fXFP1GXLX5TKtcjHGT4q89SDRehkQLtbKJ2PzWcvbBHtyDsJPLtpLtkGqYNYZdVVAjRQ5kug9CsapegmmeRutpP7PW4u4wVF9JfkDhw/<0;1>/*,[b2b1f0cf/48'/0'/0'/2']xpub6EWhjpPa6FqrcaPBuGBZRJVjzGJ1ZsMygRF26RwN932Vfkn1gyCiTbECVitBjRCkexEvetLdiqzTcYimmzYxyR1BZ79KNevgt61PDcukmC7/<0;1>/*))",
        'regtest',
      ),
    ).toThrow(expect.objectContaining({ code: 'XPUB_WRONG_NETWORK' }));
  });

  it('scripts carry every key: P2WSH witness script is OP_2 <3 keys> OP_3 OP_CHECKMULTISIG', () => {
    const s = multisigScriptsAt(descriptorOf(testPolicy('wsh', 2)), 0, 0);
    expect(s.witnessScript?.[0]).toBe(0x52);
    expect(s.witnessScript?.at(-2)).toBe(0x53);
    expect(s.witnessScript?.at(-1)).toBe(0xae);
    expect(s.keys).toHaveLength(3);
  });
});
