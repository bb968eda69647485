import * as ecc from '@bitcoinerlab/secp256k1';
import { describe, expect, it } from 'vitest';
import type { Psbt } from 'bitcoinjs-lib';
import { Transaction } from 'bitcoinjs-lib';
import { createMultisigAccount } from '../../main/bitcoin/multisig/account';
import { buildMultisigPsbt } from '../../main/bitcoin/multisig/build';
import { finalizeMultisig } from '../../main/bitcoin/multisig/psbt';
import type { MultisigScript } from '../../main/bitcoin/multisig/types';
import '../../main/bitcoin/send/psbt';
import { verifyInputScripts } from '../stack/script-check';
import { AIRGAP_WORDS, LEDGER_WORDS, rootOf, testPolicy, TREZOR_WORDS } from '../fixtures/multisig/keys';

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** A 2-of-3 spend of one coin, signed by the given cosigners' words, finalized by Flash's code. */
function spend(script: MultisigScript, signers: string[]) {
  const acct = createMultisigAccount('w', 'regtest', testPolicy(script, 2), []);
  const input = acct.scriptsAt(0, 3);
  const change = acct.scriptsAt(1, 0);
  const prevout = { script: input.scriptPubKey, value: 100_000 };
  const psbt = buildMultisigPsbt(
    acct,
    [
      {
        txid: '22'.repeat(32),
        vout: 1,
        value: 100_000,
        scriptPubKey: input.scriptPubKey,
        chain: 0,
        index: 3,
      } as never,
    ],
    [{ script: change.scriptPubKey, value: 99_000, change: { chain: 1, index: 0 } } as never],
  );
  for (const words of signers) {
    const root = rootOf(words);
    const origins = [
      ...(psbt.data.inputs[0]?.bip32Derivation ?? []),
      ...(psbt.data.inputs[0]?.tapBip32Derivation ?? []),
    ];
    const der = origins.find(
      (d) => Buffer.from(d.masterFingerprint).readUInt32BE(0) === root.fingerprint >>> 0,
    )!;
    const child = root.derive(der.path);
    const priv = child.privateKey!;
    const signer = {
      publicKey: child.publicKey!,
      sign: (h: Uint8Array) => ecc.sign(h, priv),
      signSchnorr: (h: Uint8Array) => ecc.signSchnorr(h, priv),
    };
    if (input.tap) psbt.signTaprootInput(0, signer, input.tap.leafHash);
    else psbt.signInput(0, signer);
  }
  finalizeMultisig(psbt, acct, (s) => (same(s, input.scriptPubKey) ? { chain: 0, index: 3 } : null));
  return { tx: extract(psbt), prevout };
}

function extract(psbt: Psbt): Transaction {
  const tx = Transaction.fromBuffer(psbt.data.globalMap.unsignedTx.toBuffer());
  psbt.data.inputs.forEach((input, i) => {
    const w = input.finalScriptWitness!;
    const items: Uint8Array[] = [];
    let pos = 1;
    for (let n = 0; n < (w[0] ?? 0); n++) {
      const len = w[pos] as number;
      items.push(w.subarray(pos + 1, pos + 1 + len));
      pos += 1 + len;
    }
    tx.setWitness(i, items);
    if (input.finalScriptSig) tx.ins[i]!.script = input.finalScriptSig;
  });
  return tx;
}

describe('the stack checks multisig scripts as a node would', () => {
  for (const script of ['wsh', 'sh-wsh', 'tr'] as const) {
    it(`${script}: two cosigners' signatures pass; a changed signature, or a tampered amount, fails`, () => {
      const { tx, prevout } = spend(script, [LEDGER_WORDS, AIRGAP_WORDS]);
      expect(() => verifyInputScripts(tx, [prevout])).not.toThrow();
      // The amount the signatures commit to (BIP143/BIP341) is not the coin's.
      expect(() => verifyInputScripts(tx, [{ ...prevout, value: 100_001 }])).toThrow(/does not verify/);
      // One byte of a signature changed.
      const witness = tx.ins[0]!.witness.map((w) => Uint8Array.from(w));
      const sigAt = witness.findIndex((w) => w.length >= 64);
      const sig = witness[sigAt]!;
      sig[10] = (sig[10] ?? 0) ^ 1;
      tx.setWitness(0, witness);
      expect(() => verifyInputScripts(tx, [prevout])).toThrow();
    });
  }

  it('P2WSH: signatures out of key order fail (OP_CHECKMULTISIG matches keys in order)', () => {
    const { tx, prevout } = spend('wsh', [LEDGER_WORDS, TREZOR_WORDS]);
    const [dummy, a, b, ws] = tx.ins[0]!.witness;
    tx.setWitness(0, [dummy!, b!, a!, ws!]);
    expect(() => verifyInputScripts(tx, [prevout])).toThrow(/out of order|does not verify/);
  });
});
