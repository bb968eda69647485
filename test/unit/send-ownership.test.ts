import { hex } from '@scure/base';
import type { Psbt } from 'bitcoinjs-lib';
import { networks, payments } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import type { OwnedScript } from '../../main/bitcoin/send/ownership';
import { createOwnership } from '../../main/bitcoin/send/ownership';
import { buildPsbt, type AccountRef } from '../../main/bitcoin/send/psbt';
import { createAccountAddressDeriver } from '../../main/bitcoin/accounts/addresses';
import { createAddressDeriver, deriveAccount } from '../../main/bitcoin/wallet/derivation';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

const keys = deriveAccount(ABANDON, '', 'regtest');
const account: AccountRef & { scriptType: 'wpkh' } = {
  network: 'regtest',
  xpub: keys.xpub,
  fingerprint: keys.fingerprint,
  accountPath: keys.accountPath,
  scriptType: 'wpkh',
};
const deriver = createAddressDeriver(keys.xpub, 'regtest');
const stranger = payments.p2wpkh({ hash: new Uint8Array(20).fill(7), network: networks.regtest }).output!;

/** The wallet watches receive 0..4 and change 0..4, as its address table would. */
function watched(script: Uint8Array): OwnedScript | null {
  for (const chain of [0, 1] as const) {
    for (let index = 0; index < 5; index++) {
      if (hex.encode(deriver.derive(chain, index).scriptPubKey) === hex.encode(script))
        return { chain, index };
    }
  }
  return null;
}

/** A draft paying a stranger 70,000 sats with 39,000 sats of real change at change/0. */
function draft(): Psbt {
  return buildPsbt(
    account,
    [
      {
        txid: '11'.repeat(32),
        vout: 0,
        value: 110_000,
        scriptPubKey: deriver.derive(0, 0).scriptPubKey,
        chain: 0,
        index: 0,
      },
    ],
    [
      { script: stranger, value: 70_000 },
      { script: deriver.derive(1, 0).scriptPubKey, value: 39_000, change: { chain: 1, index: 0 } },
    ],
  );
}

const fp = hex.decode(keys.fingerprint);
/** Our real key at change/3, as a forged origin would name it. */
const origin = (path: string) => ({
  masterFingerprint: fp,
  path,
  pubkey: createAccountAddressDeriver(keys.xpub, 'wpkh', 'regtest').derive(1, 3).publicKey,
});

describe('is this output ours, and is it change (one helper)', () => {
  const owner = createOwnership(account, watched);

  it('recognises the change the account derived and a recipient as a recipient', () => {
    const psbt = draft();
    expect(owner.isChange(psbt.txOutputs[1]!.script, psbt.data.outputs[1])).toBe(true);
    expect(owner.ownerOf(psbt.txOutputs[1]!.script, psbt.data.outputs[1])).toEqual({ chain: 1, index: 0 });
    expect(owner.isChange(psbt.txOutputs[0]!.script, psbt.data.outputs[0])).toBe(false);
  });

  it("does not call a stranger's output change because a PSBT gives it our key origin", () => {
    const psbt = draft();
    // What a hostile coordinator does: our fingerprint and a change path on someone else's output.
    psbt.updateOutput(0, { bip32Derivation: [origin(`${keys.accountPath}/1/3`)] });
    expect(psbt.data.outputs[0]?.bip32Derivation?.length).toBe(1);
    expect(owner.isChange(psbt.txOutputs[0]!.script, psbt.data.outputs[0])).toBe(false);
    expect(owner.ownerOf(psbt.txOutputs[0]!.script, psbt.data.outputs[0])).toBeNull();
  });

  it('refuses a claim with another fingerprint, another account, or a place that does not derive the script', () => {
    const ours = deriver.derive(1, 2).scriptPubKey;
    const claims = (masterFingerprint: Uint8Array, path: string) => ({
      bip32Derivation: [{ masterFingerprint, path, pubkey: new Uint8Array(33) }],
    });
    expect(owner.isChange(ours, claims(fp, `${keys.accountPath}/1/2`))).toBe(true);
    expect(owner.isChange(ours, claims(new Uint8Array([1, 2, 3, 4]), `${keys.accountPath}/1/2`))).toBe(false);
    expect(owner.isChange(ours, claims(fp, `m/84'/1'/1'/1/2`))).toBe(false);
    expect(owner.isChange(ours, claims(fp, `${keys.accountPath}/1/3`))).toBe(false);
    expect(owner.isChange(ours, claims(fp, `${keys.accountPath}/0/2`))).toBe(false);
    expect(owner.isChange(ours, claims(fp, `${keys.accountPath}/1/2/0`))).toBe(false);
    // No claim at all: what the wallet itself derived and watches.
    expect(owner.isChange(ours)).toBe(true);
  });

  it('is not change on the receive chain, nor beyond the addresses the wallet watches', () => {
    const receive = deriver.derive(0, 1).scriptPubKey;
    expect(owner.ownerOf(receive)).toEqual({ chain: 0, index: 1 });
    expect(owner.isChange(receive)).toBe(false);
    // Derived correctly, but far past the gap limit: the balance would never show it.
    const far = deriver.derive(1, 90_000).scriptPubKey;
    expect(
      owner.isChange(far, {
        bip32Derivation: [{ masterFingerprint: fp, path: `${keys.accountPath}/1/90000` }],
      }),
    ).toBe(false);
  });

  it('refuses a table entry whose script the account does not derive there', () => {
    const lying = createOwnership(account, () => ({ chain: 1, index: 0 }));
    expect(lying.isChange(stranger)).toBe(false);
  });
});
