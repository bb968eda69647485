import { networks, payments, Psbt, Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { SendError } from '../../main/bitcoin/send/errors';
import { ABSURD_FEE_RATE, extractionFeeLimit, judgeFee } from '../../main/bitcoin/send/fee-guard';
import type { AmountSources } from '../../main/bitcoin/send/input-amounts';
import { feeFromAmounts, knownAmounts, requireTrustedAmounts } from '../../main/bitcoin/send/input-amounts';
import {
  buildPsbt,
  finalizeAndExtract,
  signPsbtWithMnemonic,
  type AccountRef,
} from '../../main/bitcoin/send/psbt';
import { createAddressDeriver, deriveAccount } from '../../main/bitcoin/wallet/derivation';

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const keys = deriveAccount(ABANDON, '', 'regtest');
const account: AccountRef = {
  network: 'regtest',
  xpub: keys.xpub,
  fingerprint: keys.fingerprint,
  accountPath: keys.accountPath,
};
const deriver = createAddressDeriver(keys.xpub, 'regtest');
const outside = payments.p2wpkh({ hash: new Uint8Array(20).fill(9), network: networks.regtest }).output!;

const reason = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return err instanceof SendError ? err.reason : String(err);
  }
};

describe('absurd fees', () => {
  it('flags a rate above 1,000 sat/vB, and a fee above both 100,000 sats and a quarter of what leaves', () => {
    expect(judgeFee({ feeSats: 141_000, vsize: 141, leavingSats: 10_000_000 })).toBeNull(); // exactly 1,000 sat/vB
    expect(judgeFee({ feeSats: 141_001, vsize: 141, leavingSats: 10_000_000 })).toMatchObject({
      reason: 'rate',
    });
    // 100,001 sats out of 400,000 leaving: more than a quarter and more than 100,000.
    expect(judgeFee({ feeSats: 100_001, vsize: 200, leavingSats: 400_000 })).toMatchObject({
      reason: 'share',
    });
    // A quarter exactly, or a big fee on a big payment, or a small fee on a tiny one: fine.
    expect(judgeFee({ feeSats: 100_001, vsize: 200, leavingSats: 400_004 })).toBeNull();
    expect(judgeFee({ feeSats: 150_000, vsize: 200, leavingSats: 50_000_000 })).toBeNull();
    expect(judgeFee({ feeSats: 90_000, vsize: 200, leavingSats: 95_000 })).toBeNull();
  });

  it('gives bitcoinjs an explicit extraction limit: 1,000 sat/vB, or just above an accepted fee', () => {
    expect(extractionFeeLimit(null)).toBe(ABSURD_FEE_RATE + 1);
    expect(extractionFeeLimit({ feeSats: 300_000, vsize: 100 })).toBe(3001);
  });

  it("refuses to extract a signed transaction above bitcoinjs's limit, and extracts it within the limit", () => {
    const build = (fee: number) =>
      buildPsbt(
        account,
        [
          {
            txid: '11'.repeat(32),
            vout: 0,
            value: 500_000,
            scriptPubKey: deriver.derive(0, 0).scriptPubKey,
            chain: 0,
            index: 0,
          },
        ],
        [{ script: outside, value: 500_000 - fee }],
      );
    const signed = (fee: number) => {
      const psbt = build(fee);
      signPsbtWithMnemonic(psbt, { mnemonic: ABANDON, passphrase: '' }, account);
      return psbt;
    };
    // 110 vB: 200,000 sats is ~1,818 sat/vB.
    expect(reason(() => finalizeAndExtract(signed(200_000), extractionFeeLimit(null)))).toBe('FEE_ABSURD');
    expect(
      finalizeAndExtract(signed(200_000), extractionFeeLimit({ feeSats: 200_000, vsize: 100 })).txid,
    ).toMatch(/^[0-9a-f]{64}$/);
    expect(finalizeAndExtract(signed(1_000), extractionFeeLimit(null)).vsize).toBeLessThan(120);
  });
});

describe('input amounts come from what we can prove (the segwit v0 fee attack)', () => {
  const a0 = deriver.derive(0, 0).scriptPubKey;
  const a1 = deriver.derive(0, 1).scriptPubKey;
  /** A funding transaction paying 80,000 sats to a1 at vout 1. */
  const funding = new Transaction();
  funding.addInput(new Uint8Array(32).fill(3), 0);
  funding.addOutput(outside, 1000n);
  funding.addOutput(a1, 80_000n);
  const fundingTxid = funding.getId();

  /** Our table knows 11..11:0 holds 60,000 sats; the funding tx is not stored. */
  const sources: AmountSources = {
    ownedOutput: (txid, vout) =>
      txid === '11'.repeat(32) && vout === 0 ? { value: 60_000, scriptPubKey: a0 } : null,
    rawTx: () => null,
  };

  function psbtWith(claimed0: number, opts: { prevTx?: Uint8Array; claimed1?: number } = {}): Psbt {
    const psbt = new Psbt({ network: networks.regtest });
    psbt.addInput({ hash: '11'.repeat(32), index: 0, witnessUtxo: { script: a0, value: BigInt(claimed0) } });
    psbt.addInput({
      hash: fundingTxid,
      index: 1,
      witnessUtxo: { script: a1, value: BigInt(opts.claimed1 ?? 80_000) },
      ...(opts.prevTx ? { nonWitnessUtxo: opts.prevTx } : {}),
    });
    psbt.addOutput({ script: outside, value: 130_000n });
    return psbt;
  }

  it('uses our UTXO table and a previous transaction whose txid checks out', () => {
    const psbt = psbtWith(60_000, { prevTx: funding.toBuffer() });
    const amounts = requireTrustedAmounts(psbt, sources);
    expect(amounts).toEqual([60_000n, 80_000n]);
    expect(feeFromAmounts(psbt, amounts)).toBe(10_000);
  });

  it('refuses a PSBT whose witnessUtxo understates a coin we know', () => {
    // Round one of the attack: input 0 claimed at 6,000 sats makes the fee look small.
    expect(
      reason(() => requireTrustedAmounts(psbtWith(6_000, { prevTx: funding.toBuffer() }), sources)),
    ).toBe('INPUT_AMOUNT_MISMATCH');
    expect(
      reason(() =>
        requireTrustedAmounts(psbtWith(60_000, { prevTx: funding.toBuffer(), claimed1: 8_000 }), sources),
      ),
    ).toBe('INPUT_AMOUNT_MISMATCH');
  });

  it('refuses an input whose amount only the PSBT itself asserts', () => {
    // No stored tx, no nonWitnessUtxo: the witnessUtxo alone proves nothing.
    expect(reason(() => requireTrustedAmounts(psbtWith(60_000), sources))).toBe('INPUT_AMOUNT_UNKNOWN');
    // A "previous transaction" that is not the one the input names.
    const other = new Transaction();
    other.addInput(new Uint8Array(32).fill(4), 0);
    other.addOutput(outside, 1000n);
    other.addOutput(a1, 80_000n);
    expect(reason(() => requireTrustedAmounts(psbtWith(60_000, { prevTx: other.toBuffer() }), sources))).toBe(
      'INPUT_AMOUNT_UNKNOWN',
    );
    expect(knownAmounts(psbtWith(60_000), sources)).toEqual([60_000n, null]);
  });

  it('takes the stored previous transaction when the table does not list the coin', () => {
    const stored: AmountSources = {
      ownedOutput: () => null,
      rawTx: (txid) => (txid === fundingTxid ? funding.toBuffer() : null),
    };
    expect(knownAmounts(psbtWith(60_000), stored)).toEqual([null, 80_000n]);
  });
});
