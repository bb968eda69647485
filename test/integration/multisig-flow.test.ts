import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import { networks, payments, Psbt, Transaction } from 'bitcoinjs-lib';
import type { MultisigWallet, SendDraft, SignatureProgress, WalletSummary } from '../../shared/contract';
import { policyDescriptor } from '../../main/bitcoin/multisig/policy';
import { encodePsbtBbqr, joinBbqr } from '../../main/bitcoin/send/bbqr';
import { call, codeOf, overview, type StackCore, untilCore, useStackCores } from '../support/stack-core';
import {
  AIRGAP_WORDS,
  cosignerOf,
  LEDGER_WORDS,
  rootOf,
  testPolicy,
  TREZOR_WORDS,
} from '../fixtures/multisig/keys';

const OUTSIDE = payments.p2wpkh({ hash: new Uint8Array(20).fill(0x42), network: networks.regtest }).address!;

const regtest = useStackCores({
  onStart: (stack) => {
    // Multisig spends are checked as a node would: OP_CHECKMULTISIG under P2WSH and P2SH-P2WSH,
    // OP_CHECKSIGADD under Taproot script paths.
    stack.chain.checkScripts = true;
  },
});
const { startCore } = regtest;

/**
 * Pays the wallet's receive address and waits for it to be confirmed. Several tests build the same
 * keys into a vault on the one stack chain, so what the wallet held before is answered too.
 */
async function fund(core: StackCore, walletId: string, sats: number): Promise<number> {
  await untilCore('first sync', async () => (await overview(core, walletId)).sync.phase === 'synced');
  const before = await overview(core, walletId);
  regtest.stack.chain.send(before.receive.address, sats);
  regtest.stack.chain.mine(1);
  await untilCore(
    'funds confirmed',
    async () => (await overview(core, walletId)).balance.confirmed === before.balance.confirmed + sats,
  );
  return before.balance.confirmed;
}

/** An air-gapped cosigner: signs the exported PSBT with its own words, as Sparrow or a Coldcard would. */
function signOutside(psbtBase64: string, words: string): string {
  const psbt = Psbt.fromBase64(psbtBase64, { network: networks.regtest });
  const root = rootOf(words);
  const fp = root.fingerprint;
  psbt.data.inputs.forEach((input, i) => {
    const der = input.bip32Derivation?.find(
      (d) => Buffer.from(d.masterFingerprint).readUInt32BE(0) === fp >>> 0,
    );
    const tap = input.tapBip32Derivation?.find(
      (d) => Buffer.from(d.masterFingerprint).readUInt32BE(0) === fp >>> 0,
    );
    const path = (der ?? tap)?.path;
    if (!path) return;
    const child = root.derive(path);
    const priv = child.privateKey!;
    const signer = {
      publicKey: child.publicKey!,
      sign: (h: Uint8Array) => ecc.sign(h, priv),
      signSchnorr: (h: Uint8Array) => ecc.signSchnorr(h, priv),
    };
    if (tap) psbt.signTaprootInput(i, signer, tap.leafHashes[0]);
    else psbt.signInput(i, signer);
  });
  return psbt.toBase64();
}

describe('multisig vault: watch-only import, receive and balance', () => {
  it('a 2-of-3 imported from its descriptor shows the descriptor’s addresses and syncs its balance', async () => {
    const core = await startCore();
    const policy = testPolicy('wsh', 2);
    const imported = await call<MultisigWallet>(core, 'multisig.importWallet', {
      name: 'Family vault',
      text: policyDescriptor(policy),
    });
    expect(imported.wallet).toMatchObject({
      accountType: 'multisig',
      signer: 'multisig',
      network: 'regtest',
    });
    expect(imported.threshold).toBe(2);
    expect(imported.cosigners.map((c) => c.fingerprint)).toEqual(policy.keys.map((k) => k.fingerprint));
    expect((await overview(core, imported.wallet.id)).receive.address).toBe(imported.firstAddress);
    expect(imported.firstAddress).toMatch(/^bcrt1q[a-z0-9]{58}$/);

    await fund(core, imported.wallet.id, 150_000);

    // The same wallet from another coordinator's file is the same wallet.
    const coldcard = await call<{ text: string }>(core, 'multisig.exportWallet', {
      walletId: imported.wallet.id,
      format: 'coldcard',
    });
    expect(await codeOf(call(core, 'multisig.importWallet', { name: 'Again', text: coldcard.text }))).toBe(
      'WALLET_EXISTS',
    );
    // A watch-only vault cannot sign alone.
    const draft = await call<SendDraft>(core, 'send.prepare', {
      walletId: imported.wallet.id,
      outputs: [{ address: OUTSIDE, sats: 30_000 }],
      feeRate: 2,
    });
    expect(await codeOf(call(core, 'send.confirm', { draftId: draft.draftId }))).toBe(
      'MULTISIG_NOT_ENOUGH_SIGNATURES',
    );
    expect(await codeOf(call(core, 'multisig.importWallet', { name: 'X', text: 'not a wallet' }))).toBe(
      'MULTISIG_FORMAT_UNKNOWN',
    );
  });
});

describe('multisig vault: spending with k of n', () => {
  for (const script of ['wsh', 'sh-wsh', 'tr'] as const) {
    it(`${script}: Flash's words plus an air-gapped signer spend, the stack checks the scripts, it confirms`, async () => {
      const core = await startCore();
      const seed = await call<WalletSummary>(core, 'wallet.restore', {
        words: LEDGER_WORDS.split(' '),
        name: 'Main',
      });
      const vault = await call<MultisigWallet>(core, 'multisig.createWallet', {
        name: 'Vault',
        script,
        threshold: 2,
        cosigners: [
          { kind: 'seed', label: 'This computer', seedWalletId: seed.id },
          { kind: 'trezor', label: 'Trezor', key: keyText(TREZOR_WORDS, script) },
          { kind: 'watch', label: 'Paper', key: keyText(AIRGAP_WORDS, script) },
        ],
      });
      // The same keys as the fixture's policy: the seed cosigner is BIP48's key of those words.
      expect(vault.cosigners[0]).toMatchObject({ kind: 'seed', ...cosignerOf(LEDGER_WORDS, script) });
      const walletId = vault.wallet.id;
      const held = await fund(core, walletId, 200_000);

      const draft = await call<SendDraft>(core, 'send.prepare', {
        walletId,
        outputs: [{ address: OUTSIDE, sats: 50_000 }],
        feeRate: 2,
      });
      expect(draft.outputs.filter((o) => o.change)).toHaveLength(1);
      const none = await call<SignatureProgress>(core, 'multisig.signingProgress', {
        draftId: draft.draftId,
      });
      expect(none).toMatchObject({ threshold: 2, total: 3, have: 0, complete: false });

      const first = await call<{ draft: SendDraft; progress: SignatureProgress }>(
        core,
        'multisig.signWithSeed',
        {
          draftId: draft.draftId,
          fingerprint: vault.cosigners[0]!.fingerprint,
        },
      );
      expect(first.progress).toMatchObject({ have: 1, complete: false });
      expect(first.progress.cosigners.map((c) => c.signed)).toEqual([true, false, false]);
      // One signature alone cannot be finalized.
      expect(await codeOf(call(core, 'send.confirm', { draftId: first.draft.draftId }))).toBe(
        'MULTISIG_NOT_ENOUGH_SIGNATURES',
      );

      // The air-gapped signer gets the PSBT, signs, and its answer comes back: for sh-wsh both ways
      // as BBQr codes (read by the signer from the exported parts, its answer pasted in any order).
      let answer = signOutside(draft.psbtBase64, AIRGAP_WORDS);
      if (script === 'sh-wsh') {
        const qr = await call<{ parts: string[]; encoding: string; version: number }>(
          core,
          'multisig.exportPsbtBbqr',
          { draftId: first.draft.draftId },
        );
        expect(qr.encoding).toBe('Z');
        expect(qr.parts.every((p) => p.startsWith('B$ZP'))).toBe(true);
        const read = Buffer.from(joinBbqr(qr.parts).data).toString('base64');
        const signed = Buffer.from(signOutside(read, AIRGAP_WORDS), 'base64');
        answer = encodePsbtBbqr(signed, { encoding: 'H', version: 10 }).parts.reverse().join('\n');
        expect(answer.split('\n').length).toBeGreaterThan(1);
      }
      const second = await call<{ draft: SendDraft; progress: SignatureProgress }>(
        core,
        'multisig.addSignatures',
        {
          draftId: first.draft.draftId,
          data: answer,
        },
      );
      expect(second.progress).toMatchObject({ have: 2, complete: true });
      expect(second.progress.cosigners.map((c) => c.signed)).toEqual([true, false, true]);

      const sent = await call<{ txid: string }>(core, 'send.confirm', { draftId: second.draft.draftId });
      regtest.stack.chain.mine(1);
      await untilCore('spend confirmed', async () => {
        const o = await overview(core, walletId);
        return (
          o.balance.confirmed === held + 200_000 - 50_000 - second.draft.feeSats &&
          o.balance.unconfirmed === 0
        );
      });
      expect(sent.txid).toMatch(/^[0-9a-f]{64}$/);
    });
  }

  it('refuses a PSBT signed by a key outside the wallet, a PSBT of another wallet, and a bad signature', async () => {
    const core = await startCore();
    const seed = await call<WalletSummary>(core, 'wallet.restore', {
      words: LEDGER_WORDS.split(' '),
      name: 'Main',
    });
    const vault = await call<MultisigWallet>(core, 'multisig.createWallet', {
      name: 'Vault',
      script: 'wsh',
      threshold: 2,
      cosigners: [
        { kind: 'seed', label: 'This computer', seedWalletId: seed.id },
        { kind: 'trezor', label: 'Trezor', key: keyText(TREZOR_WORDS, 'wsh') },
        { kind: 'watch', label: 'Paper', key: keyText(AIRGAP_WORDS, 'wsh') },
      ],
    });
    await fund(core, vault.wallet.id, 100_000);
    const draft = await call<SendDraft>(core, 'send.prepare', {
      walletId: vault.wallet.id,
      outputs: [{ address: OUTSIDE, sats: 20_000 }],
      feeRate: 2,
    });

    // A stranger's signature, under a key that is not a cosigner's.
    const stranger = Psbt.fromBase64(draft.psbtBase64, { network: networks.regtest });
    const other = rootOf(
      'legal winner thank year wave sausage worth useful legal winner thank yellow',
    ).derive("m/48'/1'/0'/2'/0/0");
    const unsigned = Transaction.fromBuffer(stranger.data.globalMap.unsignedTx.toBuffer());
    stranger.data.inputs.forEach((input, i) => {
      // bitcoinjs refuses to sign for a key not in the script, so the signature is made by hand.
      const hash = unsigned.hashForWitnessV0(
        i,
        input.witnessScript!,
        input.witnessUtxo!.value,
        Transaction.SIGHASH_ALL,
      );
      stranger.updateInput(i, {
        partialSig: [{ pubkey: other.publicKey!, signature: derSig(ecc.sign(hash, other.privateKey!)) }],
      });
    });
    expect(
      await codeOf(
        call(core, 'multisig.addSignatures', { draftId: draft.draftId, data: stranger.toBase64() }),
      ),
    ).toBe('MULTISIG_UNKNOWN_SIGNER');

    // A cosigner's signature that does not verify (the right key, a signature over something else).
    const forged = Psbt.fromBase64(draft.psbtBase64, { network: networks.regtest });
    const airgap = rootOf(AIRGAP_WORDS);
    forged.data.inputs.forEach((input, i) => {
      const der = input.bip32Derivation!.find(
        (d) => Buffer.from(d.masterFingerprint).readUInt32BE(0) === airgap.fingerprint >>> 0,
      )!;
      const child = airgap.derive(der.path);
      const sig = ecc.sign(new Uint8Array(32).fill(7), child.privateKey!);
      forged.updateInput(i, { partialSig: [{ pubkey: child.publicKey!, signature: derSig(sig) }] });
    });
    expect(
      await codeOf(call(core, 'multisig.addSignatures', { draftId: draft.draftId, data: forged.toBase64() })),
    ).toBe('MULTISIG_BAD_SIGNATURE');

    // A PSBT of another payment (another wallet's, or another draft's) is refused.
    const elsewhere = await call<SendDraft>(core, 'send.prepare', {
      walletId: vault.wallet.id,
      outputs: [{ address: OUTSIDE, sats: 21_000 }],
      feeRate: 2,
    });
    expect(
      await codeOf(
        call(core, 'multisig.addSignatures', {
          draftId: draft.draftId,
          data: signOutside(elsewhere.psbtBase64, AIRGAP_WORDS),
        }),
      ),
    ).toBe('MULTISIG_WRONG_WALLET');
    const progress = await call<SignatureProgress>(core, 'multisig.signingProgress', {
      draftId: draft.draftId,
    });
    expect(progress.have).toBe(0);
  });
});

function keyText(words: string, script: 'wsh' | 'sh-wsh' | 'tr'): string {
  const k = cosignerOf(words, script);
  return `[${k.fingerprint}${k.path.slice(1)}]${k.xpub}`;
}

/** DER encoding of a 64-byte compact signature with SIGHASH_ALL. */
function derSig(compact: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0 && (b[i + 1] ?? 0) < 0x80) i++;
    const v = b.subarray(i);
    return (v[0] ?? 0) >= 0x80 ? Uint8Array.from([0, ...v]) : v;
  };
  const r = int(compact.subarray(0, 32));
  const s = int(compact.subarray(32));
  return Uint8Array.from([0x30, r.length + s.length + 4, 0x02, r.length, ...r, 0x02, s.length, ...s, 0x01]);
}

describe('multisig vault: export and backup sheet', () => {
  it('every export reads back as the same wallet, and the backup sheet carries the descriptor, its QR and each cosigner', async () => {
    const core = await startCore();
    const policy = testPolicy('sh-wsh', 2);
    const vault = await call<MultisigWallet>(core, 'multisig.importWallet', {
      name: 'Backup <test>',
      text: policyDescriptor(policy),
    });
    for (const format of ['descriptor', 'coldcard', 'specter', 'caravan', 'bsms'] as const) {
      const file = await call<{ text: string; fileName: string }>(core, 'multisig.exportWallet', {
        walletId: vault.wallet.id,
        format,
      });
      expect(file.fileName).toMatch(/^Backup-test/);
      // Importing it again is the same wallet, whatever the format.
      expect(
        await codeOf(call(core, 'multisig.importWallet', { name: 'Again', text: file.text })),
        format,
      ).toBe('WALLET_EXISTS');
    }
    for (const language of ['en', 'es'] as const) {
      const sheet = await call<{ html: string }>(core, 'multisig.backupSheet', {
        walletId: vault.wallet.id,
        language,
      });
      expect(sheet.html).toContain(vault.descriptor.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      expect(sheet.html).toContain(vault.firstAddress);
      expect(sheet.html).toContain('<svg');
      expect(sheet.html).toContain('Backup &lt;test&gt;');
      for (const c of vault.cosigners) expect(sheet.html).toContain(c.fingerprint);
      expect(sheet.html).toContain(
        language === 'en'
          ? 'recovery words alone cannot rebuild'
          : 'palabras de recuperación solas no pueden',
      );
    }
  });
});

describe('multisig vault: fee bumps and CPFP need k signatures again', () => {
  it('an unconfirmed payment is replaced at a higher fee, then its change pays for a child; each signed by 2 of 3', async () => {
    const core = await startCore();
    const seed = await call<WalletSummary>(core, 'wallet.restore', {
      words: LEDGER_WORDS.split(' '),
      name: 'Main',
    });
    const vault = await call<MultisigWallet>(core, 'multisig.createWallet', {
      name: 'Vault',
      script: 'wsh',
      threshold: 2,
      cosigners: [
        { kind: 'seed', label: 'This computer', seedWalletId: seed.id },
        { kind: 'watch', label: 'Trezor', key: keyText(TREZOR_WORDS, 'wsh') },
        { kind: 'watch', label: 'Paper', key: keyText(AIRGAP_WORDS, 'wsh') },
      ],
    });
    const walletId = vault.wallet.id;
    // Earlier tests in this file may have funded the same cosigners' vault, so count from what it held.
    const held = await fund(core, walletId, 300_000);
    const fp = vault.cosigners[0]!.fingerprint;
    const twoSignatures = async (draft: SendDraft) => {
      const first = await call<{ draft: SendDraft }>(core, 'multisig.signWithSeed', {
        draftId: draft.draftId,
        fingerprint: fp,
      });
      expect(await codeOf(call(core, 'send.confirm', { draftId: first.draft.draftId }))).toBe(
        'MULTISIG_NOT_ENOUGH_SIGNATURES',
      );
      const both = await call<{ draft: SendDraft; progress: SignatureProgress }>(
        core,
        'multisig.addSignatures',
        {
          draftId: first.draft.draftId,
          data: signOutside(first.draft.psbtBase64, TREZOR_WORDS),
        },
      );
      expect(both.progress.complete).toBe(true);
      return both.draft;
    };

    const draft = await call<SendDraft>(core, 'send.prepare', {
      walletId,
      outputs: [{ address: OUTSIDE, sats: 60_000 }],
      feeRate: 1,
    });
    const signed = await twoSignatures(draft);
    const sent = await call<{ txid: string }>(core, 'send.confirm', { draftId: signed.draftId });
    await untilCore('payment seen', async () => (await overview(core, walletId)).balance.unconfirmed !== 0);

    // Replace it at a higher fee: the replacement is a new transaction, so k signatures again.
    const bump = await call<SendDraft>(core, 'send.bumpFee', { walletId, txid: sent.txid, feeRate: 6 });
    expect(bump.replacesTxid).toBe(sent.txid);
    const bumpSigned = await twoSignatures(bump);
    const replaced = await call<{ txid: string }>(core, 'send.confirm', { draftId: bumpSigned.draftId });
    expect(replaced.txid).not.toBe(sent.txid);

    // Its change pays for a child (CPFP), signed by 2 of 3 as well.
    await untilCore('replacement seen', async () => {
      const tx = await codeOf(call(core, 'wallet.getTransaction', { walletId, txid: replaced.txid }));
      return tx === 'ok';
    });
    const child = await call<SendDraft>(core, 'send.cpfp', { walletId, txid: replaced.txid, feeRate: 20 });
    expect(child.parentTxid).toBe(replaced.txid);
    const childSigned = await twoSignatures(child);
    await call(core, 'send.confirm', { draftId: childSigned.draftId });

    regtest.stack.chain.mine(1);
    await untilCore('all confirmed', async () => {
      const o = await overview(core, walletId);
      return o.balance.unconfirmed === 0 && o.balance.confirming === 0 && o.balance.confirmed > 0;
    });
    const o = await overview(core, walletId);
    expect(o.balance.confirmed).toBe(held + 300_000 - 60_000 - bumpSigned.feeSats - childSigned.feeSats);
  });
});
