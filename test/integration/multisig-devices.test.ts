import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import { networks, payments, Psbt } from 'bitcoinjs-lib';
import type { MultisigWallet, SendDraft, SignatureProgress } from '../../shared/contract';
import { SIMULATED_LEDGER_ID } from '../../main/hardware/simulated/ledger';
import { SIMULATED_TREZOR_ID } from '../../main/hardware/simulated/trezor';
import { call, codeOf, overview, untilCore, useStackCores } from '../support/stack-core';
import { AIRGAP_WORDS, cosignerOf, LEDGER_WORDS, rootOf, TREZOR_WORDS } from '../fixtures/multisig/keys';

const OUTSIDE = payments.p2wpkh({ hash: new Uint8Array(20).fill(0x43), network: networks.regtest }).address!;

const regtest = useStackCores({
  onStart: (stack) => {
    stack.chain.checkScripts = true;
  },
});

function keyText(words: string, script: 'wsh' | 'sh-wsh' | 'tr'): string {
  const k = cosignerOf(words, script);
  return `[${k.fingerprint}${k.path.slice(1)}]${k.xpub}`;
}

/** The air-gapped signer: signs the exported PSBT with its own words. */
function signOutside(psbtBase64: string, words: string): string {
  const psbt = Psbt.fromBase64(psbtBase64, { network: networks.regtest });
  const root = rootOf(words);
  psbt.data.inputs.forEach((input, i) => {
    const der = input.bip32Derivation?.find(
      (d) => Buffer.from(d.masterFingerprint).readUInt32BE(0) === root.fingerprint >>> 0,
    );
    if (!der) return;
    const child = root.derive(der.path);
    const priv = child.privateKey!;
    psbt.signInput(i, { publicKey: child.publicKey!, sign: (h: Uint8Array) => ecc.sign(h, priv) });
  });
  return psbt.toBase64();
}

describe('multisig with the simulated devices', () => {
  for (const script of ['wsh', 'sh-wsh'] as const) {
    it(`${script}: a Ledger, a Trezor key and an air-gapped seed; registered on the Ledger, verified, spent with the Ledger and the air-gapped signer`, async () => {
      const core = await regtest.startCore({ simulatedDevices: true });

      // The Ledger's BIP48 key, read from the device.
      const ledger = await call<{ kind: string; fingerprint: string; path: string; xpub: string }>(
        core,
        'multisig.deviceCosigner',
        { deviceId: SIMULATED_LEDGER_ID, script, account: 0 },
      );
      expect(ledger).toEqual({ kind: 'ledger', ...cosignerOf(LEDGER_WORDS, script) });

      const vault = await call<MultisigWallet>(core, 'multisig.createWallet', {
        name: 'Vault',
        script,
        threshold: 2,
        cosigners: [
          {
            kind: 'ledger',
            label: 'Ledger',
            key: `[${ledger.fingerprint}${ledger.path.slice(1)}]${ledger.xpub}`,
          },
          { kind: 'watch', label: 'Trezor (pasted)', key: keyText(TREZOR_WORDS, script) },
          { kind: 'watch', label: 'Paper', key: keyText(AIRGAP_WORDS, script) },
        ],
      });
      const walletId = vault.wallet.id;
      expect(vault.devicePolicy?.template).toBe(
        script === 'wsh'
          ? 'wsh(sortedmulti(2,@0/**,@1/**,@2/**))'
          : 'sh(wsh(sortedmulti(2,@0/**,@1/**,@2/**)))',
      );

      // Not registered yet: the Ledger is not asked, Flash says what to do.
      expect(
        await codeOf(
          call(core, 'multisig.verifyAddress', { walletId, fingerprint: ledger.fingerprint, index: 0 }),
        ),
      ).toBe('MULTISIG_NOT_REGISTERED');
      // The user rejects on the device: nothing is kept.
      await call(core, 'hardware.simulatorSetApproval', { approve: false });
      expect(
        await codeOf(call(core, 'multisig.registerOnDevice', { walletId, fingerprint: ledger.fingerprint })),
      ).toBe('HW_REJECTED');
      expect((await call<MultisigWallet>(core, 'multisig.getWallet', { walletId })).ledgerRegistered).toEqual(
        [],
      );
      await call(core, 'hardware.simulatorSetApproval', { approve: true });
      const registered = await call<{ policyId: string; name: string; keys: string[] }>(
        core,
        'multisig.registerOnDevice',
        {
          walletId,
          fingerprint: ledger.fingerprint,
        },
      );
      expect(registered.policyId).toMatch(/^[0-9a-f]{64}$/);
      expect(registered.keys).toEqual(vault.devicePolicy?.keys);
      expect((await call<MultisigWallet>(core, 'multisig.getWallet', { walletId })).ledgerRegistered).toEqual(
        [ledger.fingerprint],
      );

      // The receive address, shown on the Ledger, is Flash's.
      const receive = (await overview(core, walletId)).receive;
      await untilCore('first sync', async () => (await overview(core, walletId)).sync.phase === 'synced');
      expect(
        await call(core, 'multisig.verifyAddress', {
          walletId,
          fingerprint: ledger.fingerprint,
          index: receive.index,
        }),
      ).toEqual({ address: receive.address, verified: true });

      regtest.stack.chain.send(receive.address, 120_000);
      regtest.stack.chain.mine(1);
      await untilCore(
        'funds confirmed',
        async () => (await overview(core, walletId)).balance.confirmed === 120_000,
      );

      const draft = await call<SendDraft>(core, 'send.prepare', {
        walletId,
        outputs: [{ address: OUTSIDE, sats: 40_000 }],
        feeRate: 2,
      });
      const onLedger = await call<{ draft: SendDraft; progress: SignatureProgress }>(
        core,
        'multisig.signWithDevice',
        {
          draftId: draft.draftId,
          fingerprint: ledger.fingerprint,
        },
      );
      expect(onLedger.progress).toMatchObject({ have: 1, complete: false });
      expect(onLedger.progress.cosigners.map((c) => c.signed)).toEqual([true, false, false]);
      const both = await call<{ draft: SendDraft; progress: SignatureProgress }>(
        core,
        'multisig.addSignatures',
        {
          draftId: onLedger.draft.draftId,
          data: signOutside(onLedger.draft.psbtBase64, AIRGAP_WORDS),
        },
      );
      expect(both.progress).toMatchObject({ have: 2, complete: true });
      await call(core, 'send.confirm', { draftId: both.draft.draftId });
      regtest.stack.chain.mine(1);
      await untilCore('spend confirmed', async () => {
        const o = await overview(core, walletId);
        return o.balance.confirmed === 120_000 - 40_000 - both.draft.feeSats && o.balance.unconfirmed === 0;
      });
    });
  }

  for (const script of ['wsh', 'sh-wsh'] as const) {
    it(`${script}: a Trezor key read from the device; the address shown on the Trezor; spent with the Trezor (multisig structure with every call) and an air-gapped signer`, async () => {
      const core = await regtest.startCore({ simulatedDevices: true });
      const trezor = await call<{ kind: string; fingerprint: string; path: string; xpub: string }>(
        core,
        'multisig.deviceCosigner',
        { deviceId: SIMULATED_TREZOR_ID, script, account: 0 },
      );
      expect(trezor).toEqual({ kind: 'trezor', ...cosignerOf(LEDGER_WORDS, script) });
      const vault = await call<MultisigWallet>(core, 'multisig.createWallet', {
        name: 'Vault',
        script,
        threshold: 2,
        cosigners: [
          {
            kind: 'trezor',
            label: 'Trezor',
            key: `[${trezor.fingerprint}${trezor.path.slice(1)}]${trezor.xpub}`,
          },
          { kind: 'watch', label: 'Other', key: keyText(TREZOR_WORDS, script) },
          { kind: 'watch', label: 'Paper', key: keyText(AIRGAP_WORDS, script) },
        ],
      });
      const walletId = vault.wallet.id;
      await untilCore('first sync', async () => (await overview(core, walletId)).sync.phase === 'synced');
      // The Ledger test above used the same keys on this stack: count from what the wallet holds.
      const { receive, balance } = await overview(core, walletId);
      const held = balance.confirmed;
      // A Trezor registers nothing.
      expect(
        await codeOf(call(core, 'multisig.registerOnDevice', { walletId, fingerprint: trezor.fingerprint })),
      ).toBe('BAD_INPUT');
      expect(
        await call(core, 'multisig.verifyAddress', {
          walletId,
          fingerprint: trezor.fingerprint,
          index: receive.index,
        }),
      ).toEqual({ address: receive.address, verified: true });

      regtest.stack.chain.send(receive.address, 90_000);
      regtest.stack.chain.mine(1);
      await untilCore(
        'funds confirmed',
        async () => (await overview(core, walletId)).balance.confirmed === held + 90_000,
      );
      const draft = await call<SendDraft>(core, 'send.prepare', {
        walletId,
        outputs: [{ address: OUTSIDE, sats: 30_000 }],
        feeRate: 2,
      });
      // Rejected on the Trezor: nothing signed.
      await call(core, 'hardware.simulatorSetApproval', { approve: false });
      expect(
        await codeOf(
          call(core, 'multisig.signWithDevice', { draftId: draft.draftId, fingerprint: trezor.fingerprint }),
        ),
      ).toBe('HW_REJECTED');
      await call(core, 'hardware.simulatorSetApproval', { approve: true });
      const onTrezor = await call<{ draft: SendDraft; progress: SignatureProgress }>(
        core,
        'multisig.signWithDevice',
        {
          draftId: draft.draftId,
          fingerprint: trezor.fingerprint,
        },
      );
      expect(onTrezor.progress).toMatchObject({ have: 1, complete: false });
      const both = await call<{ draft: SendDraft; progress: SignatureProgress }>(
        core,
        'multisig.addSignatures',
        {
          draftId: onTrezor.draft.draftId,
          data: signOutside(onTrezor.draft.psbtBase64, AIRGAP_WORDS),
        },
      );
      expect(both.progress).toMatchObject({ have: 2, complete: true });
      await call(core, 'send.confirm', { draftId: both.draft.draftId });
      regtest.stack.chain.mine(1);
      await untilCore('spend confirmed', async () => {
        const o = await overview(core, walletId);
        return (
          o.balance.confirmed === held + 90_000 - 30_000 - both.draft.feeSats && o.balance.unconfirmed === 0
        );
      });
    });
  }
});
