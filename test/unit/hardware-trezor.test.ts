import type { Params, SignTransaction } from '@trezor/connect';
import type { DeviceUniquePath } from '@trezor/connect/lib/types/device';
import { hex } from '@scure/base';
import { Psbt } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { networkParams } from '../../main/bitcoin/wallet/networks';
import type { TrezorApi } from '../../main/hardware/trezor/adapter';
import { createTrezorSigner } from '../../main/hardware/trezor/adapter';
import type { HwScriptType } from '../../main/hardware/types';
import type { TestPsbt } from '../fixtures/hardware/psbt';
import {
  buildTestPsbt,
  finalizeToTx,
  signWithTestSeed,
  testRoot,
  verifyAnySig,
} from '../fixtures/hardware/psbt';

const H = 0x80000000;
const PATH = 'usb-1-2' as DeviceUniquePath;
const PURPOSE: Record<HwScriptType, number> = { pkh: 44, 'sh-wpkh': 49, wpkh: 84, tr: 86 };
const INPUT: Record<HwScriptType, string> = {
  pkh: 'SPENDADDRESS',
  'sh-wpkh': 'SPENDP2SHWITNESS',
  wpkh: 'SPENDWITNESS',
  tr: 'SPENDTAPROOT',
};
const CHANGE: Record<HwScriptType, string> = {
  pkh: 'PAYTOADDRESS',
  'sh-wpkh': 'PAYTOP2SHWITNESS',
  wpkh: 'PAYTOWITNESS',
  tr: 'PAYTOTAPROOT',
};

/**
 * A fake of Trezor Connect typed by Connect's own types: it keeps the exact signTransaction
 * payload and answers like firmware does (one DER or Schnorr signature per input, without the
 * sighash byte, plus the serialized signed transaction), signing with the test words.
 */
function fakeConnect(t: TestPsbt) {
  const calls: Params<SignTransaction>[] = [];
  let cancelled = 0;
  const api: TrezorApi = {
    getPublicKey: (p) =>
      Promise.resolve({
        success: true,
        payload: {
          path: [],
          serializedPath: String(p.path),
          publicKey: '',
          childNum: 0,
          // Connect answers taproot accounts with a descriptor in the xpub field.
          xpub: String(p.path).startsWith("m/86'")
            ? `tr([73c5da0a${String(p.path).slice(1)}]${testRoot().derive(String(p.path)).publicExtendedKey}/<0;1>/*)`
            : testRoot().derive(String(p.path)).publicExtendedKey,
          chainCode: '',
          fingerprint: p.path === "m/0'" ? 0x73c5da0a : 1,
          depth: 3,
        },
      }),
    getAddress: (p) =>
      Promise.resolve({
        success: true,
        payload: { address: 'bcrt1qshown', path: [], serializedPath: String(p.path) },
      }),
    signMessage: () => Promise.resolve({ success: true, payload: { address: 'x', signature: 'c2ln' } }),
    signTransaction(params) {
      calls.push(params);
      const clone = t.psbt.clone();
      signWithTestSeed(clone);
      const signatures = clone.data.inputs.map((input) =>
        input.tapKeySig
          ? hex.encode(input.tapKeySig)
          : hex.encode(input.partialSig![0]!.signature.slice(0, -1)),
      );
      const serializedTx = finalizeToTx(clone).toHex();
      return Promise.resolve({ success: true, payload: { signatures, serializedTx } });
    },
    cancel: () => {
      cancelled++;
    },
  };
  return { api, calls, cancelled: () => cancelled };
}

describe('Trezor: PSBT -> signTransaction -> signed PSBT', () => {
  for (const scriptType of ['wpkh', 'tr', 'sh-wpkh', 'pkh'] as const) {
    it(`${scriptType}: exact payload (change by address_n, multisig undefined) and the merge finalizes`, async () => {
      const t = buildTestPsbt(scriptType);
      const fake = fakeConnect(t);
      const signer = createTrezorSigner(fake.api, PATH, 'regtest');
      const signed = await signer.signPsbt(t.psbt.toBase64(), t.account);

      const p = PURPOSE[scriptType];
      const prev = t.prevTx;
      expect(fake.calls).toHaveLength(1);
      expect(fake.calls[0]).toStrictEqual({
        device: { path: PATH },
        coin: 'regtest',
        inputs: [
          {
            address_n: [p + H, 1 + H, 0 + H, 0, 3],
            prev_hash: prev.getId(),
            prev_index: 1,
            amount: '100000',
            sequence: 0xfffffffd,
            script_type: INPUT[scriptType],
            multisig: undefined,
          },
        ],
        outputs: [
          { address: t.recipient, amount: '60000', script_type: 'PAYTOADDRESS' },
          {
            address_n: [p + H, 1 + H, 0 + H, 1, 2],
            amount: '39000',
            script_type: CHANGE[scriptType],
            multisig: undefined,
          },
        ],
        // Taproot signatures commit to every input amount: no previous transactions needed.
        refTxs:
          scriptType === 'tr'
            ? []
            : [
                {
                  hash: prev.getId(),
                  version: 2,
                  inputs: [
                    { prev_hash: '07'.repeat(32), prev_index: 1, script_sig: '51', sequence: 0xfffffffe },
                  ],
                  bin_outputs: prev.outs.map((o) => ({
                    amount: o.value.toString(),
                    script_pubkey: hex.encode(o.script),
                  })),
                  lock_time: 0,
                },
              ],
        version: 2,
        locktime: 0,
        push: false,
        serialize: true,
      });
      expect('multisig' in fake.calls[0]!.inputs[0]!).toBe(true);

      const out = Psbt.fromBase64(signed, { network: networkParams('regtest').btc });
      expect(out.validateSignaturesOfAllInputs(verifyAnySig)).toBe(true);
      const tx = finalizeToTx(out);
      expect(tx.outs.map((o) => Number(o.value))).toEqual([60_000, 39_000]);
    });
  }

  it('an output claiming our derivation but paying another script is sent as an address, not as change', async () => {
    const t = buildTestPsbt('wpkh');
    // The derivation names …/1/5 but the script is still …/1/2's: a lying or stale PSBT.
    const der = t.psbt.data.outputs[1]!.bip32Derivation![0]!;
    der.path = `${t.account.accountPath}/1/5`;
    der.pubkey = testRoot().derive(der.path).publicKey!;
    const fake = fakeConnect(t);
    await createTrezorSigner(fake.api, PATH, 'regtest').signPsbt(t.psbt.toBase64(), t.account);
    expect(fake.calls[0]!.outputs[1]).toStrictEqual({
      address: t.changeAddress,
      amount: '39000',
      script_type: 'PAYTOADDRESS',
    });
  });

  it('refuses a legacy-family spend without the previous transaction', async () => {
    const t = buildTestPsbt('sh-wpkh', { prevTx: false });
    const fake = fakeConnect(t);
    await expect(
      createTrezorSigner(fake.api, PATH, 'regtest').signPsbt(t.psbt.toBase64(), t.account),
    ).rejects.toMatchObject({ code: 'HW_PSBT_REFUSED' });
    expect(fake.calls).toHaveLength(0);
  });

  it('refuses a device answer for another transaction', async () => {
    const t = buildTestPsbt('wpkh');
    const other = buildTestPsbt('wpkh');
    other.psbt.setLocktime(9);
    const fake = fakeConnect(other);
    const base = fake.api.signTransaction;
    fake.api.signTransaction = (params) => base({ ...params });
    await expect(
      createTrezorSigner(fake.api, PATH, 'regtest').signPsbt(t.psbt.toBase64(), t.account),
    ).rejects.toMatchObject({ code: 'HW_PSBT_REFUSED' });
  });

  it('maps Connect failures to typed errors', async () => {
    const t = buildTestPsbt('wpkh');
    const fake = fakeConnect(t);
    fake.api.signTransaction = () =>
      Promise.resolve({ success: false, payload: { error: 'Cancelled', code: 'Failure_ActionCancelled' } });
    await expect(
      createTrezorSigner(fake.api, PATH, 'regtest').signPsbt(t.psbt.toBase64(), t.account),
    ).rejects.toMatchObject({ code: 'HW_REJECTED' });
  });

  it('fingerprint from m/0h, xpub, address shown on the Trezor, cancel', async () => {
    const t = buildTestPsbt('wpkh');
    const fake = fakeConnect(t);
    const seen: unknown[] = [];
    const getAddress = fake.api.getAddress;
    fake.api.getAddress = (p) => {
      seen.push(p);
      return getAddress(p);
    };
    const signer = createTrezorSigner(fake.api, PATH, 'regtest');
    expect(await signer.fingerprint()).toBe('73c5da0a');
    expect(await signer.getXpub("m/84'/1'/0'", 'regtest')).toBe(
      testRoot().derive("m/84'/1'/0'").publicExtendedKey,
    );
    expect(await signer.getXpub("m/86'/1'/0'", 'regtest')).toBe(
      testRoot().derive("m/86'/1'/0'").publicExtendedKey,
    );
    expect(await signer.showAddress("m/84'/1'/0'/0/1", t.account)).toBe('bcrt1qshown');
    expect(seen).toStrictEqual([
      { device: { path: PATH }, path: "m/84'/1'/0'/0/1", coin: 'regtest', showOnTrezor: true },
    ]);
    await signer.cancel();
    expect(fake.cancelled()).toBe(1);
  });
});
