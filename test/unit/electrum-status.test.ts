import { hexToBytes } from '@noble/hashes/utils.js';
import * as bitcoin from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { scriptHash } from '../../main/bitcoin/electrum/script-hash';
import { electrumStatus } from '../../main/bitcoin/electrum/status';
import { scriptHashOf, sortMempoolEntries, statusHash } from '../../test/stack/electrum-status';

// The worked example from the Electrum protocol docs ("Status Example", protocol-basics).
const CONFIRMED = [
  { tx_hash: 'a6c9c361bd0bc536d6a22648efbf8f9b200e425ef6c3a7a9669dc444c532a347', height: 2472 },
  { tx_hash: '9c42f84b2fcdaff676ba25d9d4941741cc0d1a01cce0c23fdc4c0b2afa38431c', height: 2473 },
  { tx_hash: '770f2d4371b3fabb902dd9a103e2dd005fcd3971181078fca4a2a1d6ff127b30', height: 2473 },
];
// Deliberately out of protocol order: -1 first, and 0-height txs not sorted by txid.
const MEMPOOL = [
  { tx_hash: 'bb4c8ab438c13b89ca80d1d5bee25b0b6b7f55673f4d801998ba97db161d9e85', height: -1 },
  { tx_hash: 'e02a1dadfa83b996b24175df807b271ea5d02937ef5b35c195fac1e1bdc3198f', height: 0 },
  { tx_hash: '80b19848aed792565ab7c5a79b7c2a00fbf985741579396ebe0ab6098e607311', height: 0 },
];
const EXPECTED_STATUS = '78e96c6562cafa71c115503b9411fdfdc595a45031e2ab76ff75162fe1b0590d';

describe('Electrum status hash (protocol 1.4)', () => {
  it('stack: orders the mempool and matches the documented example', () => {
    const ordered = sortMempoolEntries(MEMPOOL);
    expect(ordered.map((e) => e.tx_hash.slice(0, 2))).toEqual(['80', 'e0', 'bb']);
    expect(statusHash([...CONFIRMED, ...ordered])).toBe(EXPECTED_STATUS);
  });

  it('wallet: computes the same status from confirmed and unsorted mempool parts', () => {
    expect(electrumStatus(CONFIRMED, MEMPOOL)).toBe(EXPECTED_STATUS);
  });

  it('is null without history', () => {
    expect(statusHash([])).toBeNull();
    expect(electrumStatus([], [])).toBeNull();
  });

  it('matches hand-computed values (python hashlib.sha256 of the joined string)', () => {
    const one = '0'.repeat(63) + '1';
    const f = 'f'.repeat(64);
    // sha256("000…001:5:")
    expect(statusHash([{ tx_hash: one, height: 5 }])).toBe(
      'b1c00c2eb893a287268952503b0f370e821f40c86f071544904297712ff81f07',
    );
    // sha256("000…001:5:fff…fff:0:"): one confirmed, one mempool entry
    expect(electrumStatus([{ tx_hash: one, height: 5 }], [{ tx_hash: f, height: 0 }])).toBe(
      'fef41a6db2e0a2aed261930969de7a5af1a9305b1ab20f31b8e7b450338e4518',
    );
  });
});

describe('script hashes', () => {
  it('match the documented P2PKH example', () => {
    const script = hexToBytes('76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac');
    const expected = '8b01df4e368ea28f8dc0423bcf7a4923e3a12d307c875e47a0cfbf90b5c39161';
    expect(scriptHashOf(script)).toBe(expected);
    expect(scriptHash(script)).toBe(expected);
  });

  it('match the documented regtest address example', () => {
    const script = bitcoin.address.toOutputScript(
      'bcrt1qn7d2x7272lznt5hhk9s07q3cqnrqljnwladrd3',
      bitcoin.networks.regtest,
    );
    expect(scriptHash(script)).toBe('f04bf26fc16a27abaa2f10540da7a24e369e6ec408f2d901202a7c0cd4a6112d');
  });
});
