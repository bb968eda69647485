import { HDKey } from '@scure/bip32';
import { address as btcAddress, networks, payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { FlashError } from '../../shared/errors';
import { direction } from '../../main/bitcoin/wallet/balance';
import { CHANGE_CHAIN, DRAFT_TTL_MS, RECEIVE_CHAIN } from '../../main/bitcoin/wallet/constants';
import {
  addressPath,
  createAddressDeriver,
  deriveAccount,
  scriptHashOf,
} from '../../main/bitcoin/wallet/derivation';
import { createDraftStore } from '../../main/bitcoin/wallet/drafts';
import { normalizeWords, parseMnemonic } from '../../main/bitcoin/wallet/mnemonic';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ZPUB_VERSIONS = { public: 0x04b24746, private: 0x04b2430c };

function codeOf(fn: () => unknown): { code: string; details: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlashError) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error('expected a FlashError');
}

/** Same key, BIP84's zpub version bytes: how BIP84 writes its test vector. */
function asZpub(xpub: string): string {
  const k = HDKey.fromExtendedKey(xpub);
  return new HDKey({
    versions: ZPUB_VERSIONS,
    depth: k.depth,
    index: k.index,
    parentFingerprint: k.parentFingerprint,
    chainCode: k.chainCode ?? undefined,
    publicKey: k.publicKey ?? undefined,
  }).publicExtendedKey;
}

describe('BIP84 test vectors (mainnet)', () => {
  const account = deriveAccount(ABANDON, '', 'mainnet');
  const deriver = createAddressDeriver(account.xpub, 'mainnet');

  it('derives the account xpub, path and master fingerprint', () => {
    expect(account.accountPath).toBe("m/84'/0'/0'");
    expect(account.xpub).toBe(
      'xpub6CatWdiZiodmUeTDp8LT5or8nmbKNcuyvz7WyksVFkKB4RHwCD3XyuvPEbvqAQY3rAPshWcMLoP2fMFMKHPJ4ZeZXYVUhLv1VMrjPC7PW6V',
    );
    expect(asZpub(account.xpub)).toBe(
      'zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs',
    );
    expect(account.fingerprint).toBe('73c5da0a');
  });

  it('derives the first receive and change addresses from the xpub alone', () => {
    expect(deriver.derive(RECEIVE_CHAIN, 0).address).toBe('bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu');
    expect(deriver.derive(RECEIVE_CHAIN, 1).address).toBe('bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g');
    expect(deriver.derive(CHANGE_CHAIN, 0).address).toBe('bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el');
  });

  it('produces the same script as bitcoinjs-lib and the Electrum script hash of it', () => {
    const a = deriver.derive(RECEIVE_CHAIN, 7);
    const expected = btcAddress.toOutputScript(a.address, networks.bitcoin);
    expect(a.scriptPubKey).toEqual(expected);
    expect(payments.p2wpkh({ output: expected, network: networks.bitcoin }).address).toBe(a.address);
    expect(a.scriptHash).toBe(scriptHashOf(expected));
    expect(addressPath(account.accountPath, RECEIVE_CHAIN, 7)).toBe("m/84'/0'/0'/0/7");
  });

  it('computes script hashes as the Electrum protocol documents them', () => {
    // From the Electrum protocol docs: the P2PKH script of the genesis coinbase address.
    const script = btcAddress.toOutputScript('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', networks.bitcoin);
    expect(scriptHashOf(script)).toBe('8b01df4e368ea28f8dc0423bcf7a4923e3a12d307c875e47a0cfbf90b5c39161');
  });

  it('a passphrase gives a different wallet', () => {
    expect(deriveAccount(ABANDON, 'TREZOR', 'mainnet').xpub).not.toBe(account.xpub);
  });
});

describe('test networks', () => {
  it('uses coin type 1, tpub and the tb prefix on testnet and signet', () => {
    for (const network of ['testnet', 'signet'] as const) {
      const acc = deriveAccount(ABANDON, '', network);
      expect(acc.accountPath).toBe("m/84'/1'/0'");
      expect(acc.xpub.startsWith('tpub')).toBe(true);
      const first = createAddressDeriver(acc.xpub, network).derive(RECEIVE_CHAIN, 0).address;
      expect(first).toBe('tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl');
    }
  });

  it('uses the bcrt prefix on regtest, for the same key as testnet', () => {
    const acc = deriveAccount(ABANDON, '', 'regtest');
    const first = createAddressDeriver(acc.xpub, 'regtest').derive(RECEIVE_CHAIN, 0);
    expect(first.address.startsWith('bcrt1q')).toBe(true);
    expect(btcAddress.toOutputScript(first.address, networks.regtest)).toEqual(
      btcAddress.toOutputScript('tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl', networks.testnet),
    );
  });
});

describe('recovery word validation', () => {
  const words = ABANDON.split(' ');

  it('accepts any case, stray spaces and a pasted phrase', () => {
    expect(parseMnemonic(words.map((w) => ` ${w.toUpperCase()} `))).toBe(ABANDON);
    expect(parseMnemonic([`  ${ABANDON.replace(/ /g, '   ')}\n`])).toBe(ABANDON);
    expect(normalizeWords(['Abandon  ABOUT'])).toEqual(['abandon', 'about']);
  });

  it('accepts every BIP39 length', () => {
    const w24 = [...Array<string>(23).fill('abandon'), 'art'];
    expect(parseMnemonic(w24)).toBe(w24.join(' '));
  });

  it('rejects a wrong word count', () => {
    for (const n of [1, 11, 13, 25]) {
      expect(codeOf(() => parseMnemonic(Array<string>(n).fill('abandon')))).toEqual({
        code: 'MNEMONIC_BAD_LENGTH',
        details: { count: n },
      });
    }
  });

  it('points at the first unknown word', () => {
    const bad = [...words];
    bad[3] = 'bitcoinz';
    bad[7] = 'qwerty';
    expect(codeOf(() => parseMnemonic(bad))).toEqual({
      code: 'MNEMONIC_UNKNOWN_WORD',
      details: { index: 3 },
    });
  });

  it('rejects a bad checksum', () => {
    expect(codeOf(() => parseMnemonic(Array<string>(12).fill('abandon'))).code).toBe('MNEMONIC_BAD_CHECKSUM');
    const swapped = [...words];
    swapped[11] = 'abandon';
    swapped[0] = 'about';
    expect(codeOf(() => parseMnemonic(swapped)).code).toBe('MNEMONIC_BAD_CHECKSUM');
  });
});

describe('onboarding drafts', () => {
  it('generates valid words and three distinct positions to confirm', () => {
    const drafts = createDraftStore(() => 0);
    for (const count of [12, 24] as const) {
      const d = drafts.create(count);
      expect(d.words).toHaveLength(count);
      expect(parseMnemonic(d.words)).toBe(d.words.join(' '));
      expect(new Set(d.confirmIndexes).size).toBe(3);
      expect([...d.confirmIndexes].sort((a, b) => a - b)).toEqual(d.confirmIndexes);
      for (const i of d.confirmIndexes) expect(i >= 0 && i < count).toBe(true);
    }
  });

  it('checks the typed words case- and space-insensitively and reports the first wrong one', () => {
    const drafts = createDraftStore(() => 0);
    const d = drafts.create(12);
    const [a, b, c] = d.confirmIndexes as [number, number, number];
    const right = (i: number) => ({ index: i, word: ` ${(d.words[i] ?? '').toUpperCase()} ` });
    const wrong = (i: number) => ({ index: i, word: d.words[i] === 'zoo' ? 'abandon' : 'zoo' });

    expect(codeOf(() => drafts.verify(d.draftId, [right(a), wrong(b), wrong(c)]))).toEqual({
      code: 'CONFIRMATION_MISMATCH',
      details: { index: b },
    });
    // Leaving an asked word out is as wrong as mistyping it.
    expect(codeOf(() => drafts.verify(d.draftId, [right(a), right(c)]))).toEqual({
      code: 'CONFIRMATION_MISMATCH',
      details: { index: b },
    });
    expect(drafts.verify(d.draftId, [right(c), right(a), right(b)])).toBe(d.words.join(' '));
  });

  it('forgets drafts after 30 minutes, on discard and on clear', () => {
    let t = 1_000;
    const drafts = createDraftStore(() => t);
    const d = drafts.create(12);
    const checks = d.confirmIndexes.map((index) => ({ index, word: d.words[index] ?? '' }));
    t += DRAFT_TTL_MS - 1;
    expect(drafts.verify(d.draftId, checks)).toBe(d.words.join(' '));
    t += 1;
    expect(codeOf(() => drafts.verify(d.draftId, checks)).code).toBe('DRAFT_NOT_FOUND');

    const d2 = drafts.create(12);
    drafts.clear();
    expect(codeOf(() => drafts.verify(d2.draftId, [])).code).toBe('DRAFT_NOT_FOUND');
    expect(codeOf(() => drafts.verify('nope', [])).code).toBe('DRAFT_NOT_FOUND');
  });
});

describe('amount helpers', () => {
  it('classifies direction', () => {
    expect(direction({ received: 1000, sent: 0, ownedOutputs: 1, outputCount: 2 })).toBe('in');
    expect(direction({ received: 300, sent: 1000, ownedOutputs: 1, outputCount: 2 })).toBe('out');
    expect(direction({ received: 900, sent: 1000, ownedOutputs: 2, outputCount: 2 })).toBe('self');
  });
});
