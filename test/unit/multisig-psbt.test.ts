import * as ecc from '@bitcoinerlab/secp256k1';
import { hex } from '@scure/base';
import type { Psbt } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { createMultisigAccount } from '../../main/bitcoin/multisig/account';
import { buildMultisigPsbt } from '../../main/bitcoin/multisig/build';
import { combineSignatures, finalizeMultisig, signatureStatus } from '../../main/bitcoin/multisig/psbt';
import type { MultisigScript } from '../../main/bitcoin/multisig/types';
import { createMultisigOwnership } from '../../main/bitcoin/send/ownership';
import '../../main/bitcoin/send/psbt';
import { AIRGAP_WORDS, LEDGER_WORDS, rootOf, testPolicy, TREZOR_WORDS } from '../fixtures/multisig/keys';

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function setup(script: MultisigScript) {
  const acct = createMultisigAccount('w', 'regtest', testPolicy(script, 2), [
    { ...testPolicy(script).keys[0]!, label: 'A', kind: 'ledger', seedWalletId: null },
    { ...testPolicy(script).keys[1]!, label: 'B', kind: 'trezor', seedWalletId: null },
    { ...testPolicy(script).keys[2]!, label: 'C', kind: 'watch', seedWalletId: null },
  ]);
  const places = [
    { chain: 0 as const, index: 1 },
    { chain: 0 as const, index: 4 },
  ];
  const change = acct.scriptsAt(1, 2);
  const psbt = buildMultisigPsbt(
    acct,
    places.map(
      (p, i) =>
        ({
          txid: String(i + 1).repeat(64),
          vout: i,
          value: 50_000,
          scriptPubKey: acct.scriptsAt(p.chain, p.index).scriptPubKey,
          chain: p.chain,
          index: p.index,
        }) as never,
    ),
    [{ script: change.scriptPubKey, value: 99_000, change: { chain: 1, index: 2 } } as never],
  );
  const placeOf = (s: Uint8Array) => {
    for (const chain of [0, 1] as const) {
      for (let index = 0; index < 6; index++)
        if (same(acct.scriptsAt(chain, index).scriptPubKey, s)) return { chain, index };
    }
    return null;
  };
  return { acct, psbt, placeOf };
}

/** A cosigner's answer: the unsigned PSBT signed on its own with its words. */
function answer(base: Psbt, words: string): Psbt {
  const psbt = base.clone();
  const root = rootOf(words);
  psbt.data.inputs.forEach((input, i) => {
    const origins = [...(input.bip32Derivation ?? []), ...(input.tapBip32Derivation ?? [])];
    const d = origins.find(
      (o) => hex.encode(o.masterFingerprint) === (root.fingerprint >>> 0).toString(16).padStart(8, '0'),
    )!;
    const child = root.derive(d.path);
    const priv = child.privateKey!;
    const signer = {
      publicKey: child.publicKey!,
      sign: (h: Uint8Array) => ecc.sign(h, priv),
      signSchnorr: (h: Uint8Array) => ecc.signSchnorr(h, priv),
    };
    if (input.tapLeafScript) psbt.signTaprootInput(i, signer, input.tapBip32Derivation![0]!.leafHashes[0]);
    else psbt.signInput(i, signer);
  });
  return psbt;
}

describe('multisig PSBTs: combine in any order, finalize only at k', () => {
  for (const script of ['wsh', 'sh-wsh', 'tr'] as const) {
    it(`${script}: any two of three answers, in any order, finalize; one alone does not`, () => {
      const words = [LEDGER_WORDS, TREZOR_WORDS, AIRGAP_WORDS];
      for (const order of [
        [2, 0],
        [1, 2],
        [0, 1],
      ]) {
        const { acct, psbt, placeOf } = setup(script);
        const [first, second] = order as [number, number];
        // Each cosigner signs the PSBT as exported, before anyone else's signature.
        const unsigned = psbt.clone();
        expect(combineSignatures(psbt, answer(unsigned, words[first]!), acct, placeOf)).toBe(2);
        const status = signatureStatus(psbt, acct, placeOf);
        expect(status).toMatchObject({ have: 1, complete: false });
        expect(status.cosigners.map((c) => c.signedInputs)).toEqual(
          [0, 1, 2].map((k) => (k === first ? 2 : 0)),
        );
        expect(() => finalizeMultisig(psbt.clone(), acct, placeOf)).toThrow(
          expect.objectContaining({ code: 'MULTISIG_NOT_ENOUGH_SIGNATURES' }),
        );
        // The same answer twice adds nothing.
        expect(combineSignatures(psbt, answer(unsigned, words[first]!), acct, placeOf)).toBe(0);
        expect(combineSignatures(psbt, answer(unsigned, words[second]!), acct, placeOf)).toBe(2);
        expect(signatureStatus(psbt, acct, placeOf).complete).toBe(true);
        finalizeMultisig(psbt, acct, placeOf);
        expect(psbt.data.inputs.every((i) => i.finalScriptWitness)).toBe(true);
      }
    });
  }
});

describe('multisig change: the wallet’s own script at the claimed place, for all n keys', () => {
  const { acct, psbt, placeOf } = setup('wsh');
  const own = createMultisigOwnership(acct, placeOf);
  const change = acct.scriptsAt(1, 2).scriptPubKey;
  const claims = psbt.data.outputs[0]!;

  it('our change with every cosigner’s origin is change', () => {
    expect(own.isChange(change, claims)).toBe(true);
    expect(own.isChange(change)).toBe(true);
  });

  it('a claim missing one cosigner, or naming another place or key, is not change', () => {
    const missing = { bip32Derivation: claims.bip32Derivation!.slice(1) };
    expect(own.isChange(change, missing)).toBe(false);
    const elsewhere = {
      bip32Derivation: claims.bip32Derivation!.map((d) => ({
        ...d,
        path: d.path.replace(/\/1\/2$/, '/1/3'),
      })),
    };
    expect(own.isChange(change, elsewhere)).toBe(false);
    const otherKey = {
      bip32Derivation: claims.bip32Derivation!.map((d, i) =>
        i === 0 ? { ...d, pubkey: new Uint8Array(33).fill(2) } : d,
      ),
    };
    expect(own.isChange(change, otherKey)).toBe(false);
  });

  it('a receive address is ours but not change; a foreign script is neither', () => {
    const receive = acct.scriptsAt(0, 1).scriptPubKey;
    expect(own.ownerOf(receive)).toEqual({ chain: 0, index: 1 });
    expect(own.isChange(receive)).toBe(false);
    const foreign = Uint8Array.from([0x00, 0x20, ...new Uint8Array(32).fill(9)]);
    expect(own.ownerOf(foreign)).toBeNull();
  });
});
