import * as ecc from '@bitcoinerlab/secp256k1';
import { base64 } from '@scure/base';
import { crypto as btcCrypto, initEccLib, networks, payments, Psbt, Transaction } from 'bitcoinjs-lib';
import { ECPairFactory } from 'ecpair';
import { describe, expect, it } from 'vitest';
import { SendError } from '../../main/bitcoin/send/errors';
import { messageHash, signMessageP2wpkh, verifyMessage } from '../../main/bitcoin/send/message';
import type { AccountRef } from '../../main/bitcoin/send/psbt';
import {
  buildPsbt,
  exportPsbt,
  finalizeAndExtract,
  importPsbt,
  RBF_SEQUENCE,
  signPsbtWithMnemonic,
} from '../../main/bitcoin/send/psbt';
import { ABSURD_FEE_RATE } from '../../main/bitcoin/send/fee-guard';
import { feeFromAmounts, knownAmounts } from '../../main/bitcoin/send/input-amounts';
import { estimateVsize } from '../../main/bitcoin/send/size';

/** bitcoinjs's extraction limit as the send flow sets it (see fee-guard.ts). */
const LIMIT = ABSURD_FEE_RATE + 1;
import { createAddressDeriver, deriveAccount } from '../../main/bitcoin/wallet/derivation';

initEccLib(ecc);
const ECPair = ECPairFactory(ecc);

const ABANDON =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

function account(): AccountRef {
  const keys = deriveAccount(ABANDON, '', 'regtest');
  return {
    network: 'regtest',
    xpub: keys.xpub,
    fingerprint: keys.fingerprint,
    accountPath: keys.accountPath,
  };
}

function draft() {
  const acct = account();
  const deriver = createAddressDeriver(acct.xpub, 'regtest');
  const a0 = deriver.derive(0, 0);
  const a1 = deriver.derive(0, 1);
  const change = deriver.derive(1, 0);
  const outside = payments.p2wpkh({ hash: new Uint8Array(20).fill(5), network: networks.regtest }).output!;
  const psbt = buildPsbt(
    acct,
    [
      { txid: '11'.repeat(32), vout: 0, value: 60_000, scriptPubKey: a0.scriptPubKey, chain: 0, index: 0 },
      { txid: '22'.repeat(32), vout: 3, value: 50_000, scriptPubKey: a1.scriptPubKey, chain: 0, index: 1 },
    ],
    [
      { script: outside, value: 70_000 },
      { script: change.scriptPubKey, value: 39_000, change: { chain: 1, index: 0 } },
    ],
  );
  return { acct, psbt };
}

describe('PSBT for a BIP84 account', () => {
  it('carries what a hardware signer needs and signals RBF', () => {
    const { acct, psbt } = draft();
    expect(psbt.data.inputs[0]?.witnessUtxo?.value).toBe(60_000n);
    const der = psbt.data.inputs[1]?.bip32Derivation?.[0];
    expect(der?.path).toBe("m/84'/1'/0'/0/1");
    expect(Buffer.from(der!.masterFingerprint).toString('hex')).toBe(acct.fingerprint);
    expect(psbt.data.outputs[1]?.bip32Derivation?.[0]?.path).toBe("m/84'/1'/0'/1/0");
    expect(psbt.txInputs.every((i) => i.sequence === RBF_SEQUENCE)).toBe(true);
    // Amounts as our own UTXO table would give them.
    const table = { ownedOutput: () => null, rawTx: () => null };
    expect(knownAmounts(psbt, table)).toEqual([null, null]);
    expect(feeFromAmounts(psbt, [60_000n, 50_000n])).toBe(1_000);
  });

  it('signs with the mnemonic, finalizes, and the estimate bounds the real vsize', () => {
    const { acct, psbt } = draft();
    const { signedInputs } = signPsbtWithMnemonic(psbt, { mnemonic: ABANDON, passphrase: '' }, acct);
    expect(signedInputs).toBe(2);
    const done = finalizeAndExtract(psbt, LIMIT);
    const tx = Transaction.fromBuffer(done.raw);
    expect(tx.getId()).toBe(done.txid);
    expect(tx.ins[0]?.witness).toHaveLength(2);
    expect(done.vsize).toBeLessThanOrEqual(estimateVsize(2, [22, 22]));
    expect(done.vsize).toBeGreaterThanOrEqual(estimateVsize(2, [22, 22]) - 2);
  });

  it('refuses words of another wallet and unsigned finalization', () => {
    const { acct, psbt } = draft();
    const other = 'zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong';
    expect(() => signPsbtWithMnemonic(psbt, { mnemonic: other, passphrase: '' }, acct)).toThrow(SendError);
    expect(() => finalizeAndExtract(psbt, LIMIT)).toThrow(/cannot be finalized/);
  });

  it('round-trips through base64, hex and binary and rejects garbage precisely', () => {
    const { psbt } = draft();
    const out = exportPsbt(psbt);
    expect(importPsbt(out.base64, 'regtest').toBase64()).toBe(out.base64);
    expect(importPsbt(out.binary, 'regtest').toBase64()).toBe(out.base64);
    expect(importPsbt(Buffer.from(out.binary).toString('hex'), 'regtest').toBase64()).toBe(out.base64);
    expect(importPsbt(new TextEncoder().encode(`${out.base64}\n`), 'regtest').toBase64()).toBe(out.base64);
    const reason = (data: string | Uint8Array) => {
      try {
        importPsbt(data, 'regtest');
        return 'ok';
      } catch (err) {
        return (err as SendError).reason;
      }
    };
    expect(reason('not a psbt at all!')).toBe('BAD_PSBT');
    expect(reason(base64.encode(new TextEncoder().encode('hello world')))).toBe('BAD_PSBT');
    expect(reason(out.binary.subarray(0, 40))).toBe('BAD_PSBT');
    expect(Psbt.fromBase64(out.base64).txInputs).toHaveLength(2);
  });
});

describe('signed messages (BIP137 headers)', () => {
  // bitcoinjs-message's README vector (compressed P2PKH, header 31).
  it('verifies a published legacy vector', () => {
    const ok = verifyMessage(
      '1F3sAm6ZtwLAUnj7d38pGFxtP3RVEvtsbV',
      'This is an example of a signed message.',
      'H9L5yLFjti0QTHhPyFrZCT1V/MMnBtXKmoiKDZ78NDBjERki6ZTQZdSMCtkgoNmp17By9ItJr8o7ChX0XxY91nk=',
    );
    expect(ok).toBe(true);
  });

  it('signs P2WPKH with header 39-42 and verifies; tampering fails', () => {
    const key = ECPair.fromPrivateKey(new Uint8Array(32).fill(3));
    const addr = payments.p2wpkh({ pubkey: key.publicKey, network: networks.bitcoin }).address!;
    const sig = signMessageP2wpkh('hello flash', key.privateKey!);
    const bytes = base64.decode(sig);
    expect(bytes[0]).toBeGreaterThanOrEqual(39);
    expect(bytes[0]).toBeLessThanOrEqual(42);
    expect(verifyMessage(addr, 'hello flash', sig)).toBe(true);
    expect(verifyMessage(addr, 'hello flash!', sig)).toBe(false);
    expect(verifyMessage(addr, 'hello flash', sig, 'regtest')).toBe(false);
    // Electrum-style header (31-34, compressed) for the same segwit address also verifies.
    const electrumStyle = Uint8Array.from(bytes);
    electrumStyle[0] = 31 + (bytes[0]! - 39);
    expect(verifyMessage(addr, 'hello flash', base64.encode(electrumStyle))).toBe(true);
    // ...but a P2SH-P2WPKH header does not.
    electrumStyle[0] = 35 + (bytes[0]! - 39);
    expect(verifyMessage(addr, 'hello flash', base64.encode(electrumStyle))).toBe(false);
    expect(() => verifyMessage(addr, 'x', 'AAAA')).toThrow(SendError);
  });

  it('hashes like an independent implementation and the signature checks with plain ECDSA', () => {
    const msg = 'Ünïcödé message of some length '.repeat(10);
    const body = Buffer.from(msg, 'utf8');
    const prefix = Buffer.from('\x18Bitcoin Signed Message:\n', 'utf8');
    const len =
      body.length < 0xfd
        ? Buffer.from([body.length])
        : Buffer.from([0xfd, body.length & 0xff, body.length >> 8]);
    const expected = btcCrypto.hash256(Buffer.concat([prefix, len, body]));
    expect(Buffer.from(messageHash(msg)).equals(Buffer.from(expected))).toBe(true);
    const key = ECPair.fromPrivateKey(new Uint8Array(32).fill(9));
    const sig = base64.decode(signMessageP2wpkh(msg, key.privateKey!));
    expect(ecc.verify(expected, key.publicKey, sig.subarray(1))).toBe(true);
  });
});

describe('signed PSBT import', () => {
  it('finalizes a PSBT that was signed elsewhere (e.g. a hardware wallet) without the words', () => {
    const { acct, psbt } = draft();
    signPsbtWithMnemonic(psbt, { mnemonic: ABANDON, passphrase: '' }, acct);
    const imported = importPsbt(exportPsbt(psbt).base64, 'regtest');
    const done = finalizeAndExtract(imported, LIMIT);
    expect(Transaction.fromBuffer(done.raw).ins[1]?.witness).toHaveLength(2);
    // Already-final inputs are left alone.
    const again = importPsbt(imported.toBase64(), 'regtest');
    expect(finalizeAndExtract(again, LIMIT).txid).toBe(done.txid);
  });
});
