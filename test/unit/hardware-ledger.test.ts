import type Btc from '@ledgerhq/hw-app-btc';
import type { AddressFormat } from '@ledgerhq/hw-app-btc';
import { hex } from '@scure/base';
import { Psbt, Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { networkParams } from '../../main/bitcoin/wallet/networks';
import type { LedgerBtc, LedgerSession } from '../../main/hardware/ledger/adapter';
import { checkLedgerApp, createLedgerSigner } from '../../main/hardware/ledger/adapter';
import type { HwScriptType } from '../../main/hardware/types';
import { verifyMessage } from '../../main/bitcoin/send/message';
import {
  accountFor,
  buildTestPsbt,
  finalizeToTx,
  signWithTestSeed,
  testRoot,
  TEST_FINGERPRINT,
  verifyAnySig,
} from '../fixtures/hardware/psbt';

type SignPsbtArgs = Parameters<Btc['signPsbtBuffer']>;

/**
 * A fake of hw-app-btc's `Btc`, typed by the library's own signatures: it records exactly what our
 * adapter sends and answers like the Bitcoin app would, signing with the test words.
 */
class FakeBtc implements LedgerBtc {
  signCalls: SignPsbtArgs[] = [];
  xpubCalls: Parameters<Btc['getWalletXpub']>[0][] = [];
  addressCalls: Parameters<Btc['getWalletPublicKey']>[] = [];
  messageCalls: Parameters<Btc['signMessage']>[] = [];
  tamper: ((psbt: Psbt) => void) | null = null;
  refuse: unknown = null;

  getWalletXpub(arg: { path: string; xpubVersion: number }): Promise<string> {
    this.xpubCalls.push(arg);
    const node = testRoot().derive(`m/${arg.path}`);
    return Promise.resolve(node.publicExtendedKey);
  }
  getWalletPublicKey(path: string, opts?: { verify?: boolean; format?: AddressFormat }) {
    this.addressCalls.push([path, opts]);
    return Promise.resolve({ publicKey: '04', bitcoinAddress: 'bcrt1qdevice', chainCode: '00' });
  }
  signMessage(path: string, messageHex: string) {
    this.messageCalls.push([path, messageHex]);
    return Promise.resolve({ v: 0, r: '11'.repeat(32), s: '22'.repeat(32) });
  }
  signPsbtBuffer(psbtBuffer: Buffer, options: SignPsbtArgs[1]): Promise<{ psbt: Buffer; tx?: string }> {
    this.signCalls.push([psbtBuffer, options]);
    if (this.refuse) return Promise.reject(this.refuse);
    const psbt = Psbt.fromBuffer(psbtBuffer, { network: networkParams('regtest').btc });
    signWithTestSeed(psbt);
    this.tamper?.(psbt);
    return Promise.resolve({ psbt: Buffer.from(psbt.toBuffer()) });
  }
}

function session(btc: LedgerBtc, app = { name: 'Bitcoin Test', version: '2.2.3', flags: 0 }): LedgerSession {
  return {
    btc,
    getAppAndVersion: () => Promise.resolve(app),
    getMasterFingerprint: () => Promise.resolve(hex.decode(TEST_FINGERPRINT)),
    close: () => Promise.resolve(),
  };
}

const FORMATS: Record<HwScriptType, AddressFormat> = {
  wpkh: 'bech32',
  tr: 'bech32m',
  'sh-wpkh': 'p2sh',
  pkh: 'legacy',
};

describe('Ledger adapter: signPsbtBuffer for each single-key policy', () => {
  for (const scriptType of ['wpkh', 'tr', 'sh-wpkh', 'pkh'] as const) {
    it(`${scriptType}: sends the exact PSBT and options, and the answer finalizes into a valid tx`, async () => {
      const { psbt, account, changePath, inputPath } = buildTestPsbt(scriptType);
      const fake = new FakeBtc();
      const signer = createLedgerSigner(session(fake), 'regtest');
      const signed = await signer.signPsbt(psbt.toBase64(), account);

      expect(fake.signCalls).toHaveLength(1);
      const [buffer, options] = fake.signCalls[0]!;
      expect(Buffer.from(buffer).equals(Buffer.from(psbt.toBuffer()))).toBe(true);
      expect(options.finalizePsbt).toBe(false);
      expect(options.accountPath).toBe(account.accountPath);
      expect(options.addressFormat).toBe(FORMATS[scriptType]);
      // Our own scripts, keyed by the hash (or x-only key) inside each script.
      const paths = [...options.knownAddressDerivations.values()].map((d) => d.path.join('/'));
      const toArray = (p: string) =>
        p
          .slice(2)
          .split('/')
          .map((s) => (s.endsWith("'") ? Number.parseInt(s, 10) + 0x80000000 : Number(s)))
          .join('/');
      expect(paths.sort()).toEqual([toArray(inputPath), toArray(changePath)].sort());

      const out = Psbt.fromBase64(signed, { network: networkParams('regtest').btc });
      expect(out.validateSignaturesOfAllInputs(verifyAnySig)).toBe(true);
      const tx = finalizeToTx(out);
      // The same spend as the draft: outpoint and outputs (a scriptSig changes a legacy txid).
      const unsigned = Transaction.fromBuffer(psbt.data.getTransaction());
      expect(Buffer.from(tx.ins[0]!.hash).equals(Buffer.from(unsigned.ins[0]!.hash))).toBe(true);
      expect(tx.ins[0]!.index).toBe(unsigned.ins[0]!.index);
      expect(tx.outs.map((o) => Buffer.from(o.script).toString('hex'))).toEqual(
        unsigned.outs.map((o) => Buffer.from(o.script).toString('hex')),
      );
      expect(tx.outs.map((o) => Number(o.value))).toEqual([60_000, 39_000]);
      expect(tx.ins).toHaveLength(1);
      // Witness for segwit types, scriptSig for legacy: the transaction really is signed.
      if (scriptType === 'pkh') expect(tx.ins[0]!.script.length).toBeGreaterThan(100);
      else expect(tx.ins[0]!.witness.length).toBeGreaterThan(0);
    });
  }

  it('refuses a device answer that changes the transaction', async () => {
    const { psbt, account } = buildTestPsbt('wpkh');
    const fake = new FakeBtc();
    fake.tamper = (p) => p.setLocktime(5);
    const signer = createLedgerSigner(session(fake), 'regtest');
    await expect(signer.signPsbt(psbt.toBase64(), account)).rejects.toMatchObject({
      code: 'HW_PSBT_REFUSED',
    });
  });

  it('maps a press on "Reject" (status 0x6985) to HW_REJECTED', async () => {
    const { psbt, account } = buildTestPsbt('wpkh');
    const fake = new FakeBtc();
    fake.refuse = Object.assign(new Error('denied'), { name: 'TransportStatusError', statusCode: 0x6985 });
    const signer = createLedgerSigner(session(fake), 'regtest');
    await expect(signer.signPsbt(psbt.toBase64(), account)).rejects.toMatchObject({ code: 'HW_REJECTED' });
  });

  it('refuses an input of another script type before talking to the device', async () => {
    const { psbt } = buildTestPsbt('wpkh');
    const fake = new FakeBtc();
    const signer = createLedgerSigner(session(fake), 'regtest');
    await expect(signer.signPsbt(psbt.toBase64(), accountFor('tr'))).rejects.toMatchObject({
      code: 'HW_PSBT_REFUSED',
    });
    expect(fake.signCalls).toHaveLength(0);
  });
});

describe('Ledger adapter: keys, addresses, messages', () => {
  it('asks for the account xpub with the tpub version bytes and the path without m/', async () => {
    const fake = new FakeBtc();
    const signer = createLedgerSigner(session(fake), 'regtest');
    const xpub = await signer.getXpub("m/84'/1'/0'", 'regtest');
    expect(fake.xpubCalls).toEqual([{ path: "84'/1'/0'", xpubVersion: 0x043587cf }]);
    expect(xpub).toBe(testRoot().derive("m/84'/1'/0'").publicExtendedKey);
    expect(await signer.fingerprint()).toBe(TEST_FINGERPRINT);
  });

  it('shows an address on the device with verify and the account format', async () => {
    const fake = new FakeBtc();
    const signer = createLedgerSigner(session(fake), 'regtest');
    const shown = await signer.showAddress("m/86'/1'/0'/0/4", accountFor('tr'));
    expect(fake.addressCalls).toEqual([["86'/1'/0'/0/4", { verify: true, format: 'bech32m' }]]);
    expect(shown).toBe('bcrt1qdevice');
  });

  it('turns {v, r, s} into a BIP137 P2WPKH signature (header 39 + v)', async () => {
    const fake = new FakeBtc();
    const signer = createLedgerSigner(session(fake), 'regtest');
    const sig = await signer.signMessage("m/84'/1'/0'/0/0", 'hi', accountFor('wpkh'));
    expect(fake.messageCalls).toEqual([["84'/1'/0'/0/0", Buffer.from('hi').toString('hex')]]);
    const bytes = Buffer.from(sig, 'base64');
    expect(bytes[0]).toBe(39);
    expect(bytes.subarray(1, 33).toString('hex')).toBe('11'.repeat(32));
    // Not a real signature: verifying it must fail rather than pass by accident.
    expect(verifyMessage('bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk', 'hi', sig, 'regtest')).toBe(false);
  });
});

describe('Ledger app checks', () => {
  it.each([
    [{ name: 'BOLOS', version: '1.1.0', flags: 0 }, 'regtest', 'HW_WRONG_APP'],
    [{ name: 'Ethereum', version: '1.10.0', flags: 0 }, 'regtest', 'HW_WRONG_APP'],
    [{ name: 'Bitcoin', version: '2.2.3', flags: 0 }, 'regtest', 'HW_WRONG_NETWORK'],
    [{ name: 'Bitcoin Test', version: '2.2.3', flags: 0 }, 'mainnet', 'HW_WRONG_NETWORK'],
    [{ name: 'Bitcoin Test', version: '2.0.6', flags: 0 }, 'regtest', 'HW_APP_TOO_OLD'],
    [{ name: 'Bitcoin Legacy', version: '2.1.0', flags: 0 }, 'mainnet', 'HW_APP_TOO_OLD'],
  ] as const)('%o on %s -> %s', (app, network, code) => {
    expect(() => checkLedgerApp(app, network)).toThrow(expect.objectContaining({ code }));
  });

  it('accepts Bitcoin 2.1.0+ on mainnet and Bitcoin Test on the test chains', () => {
    expect(() => checkLedgerApp({ name: 'Bitcoin', version: '2.1.0', flags: 0 }, 'mainnet')).not.toThrow();
    expect(() =>
      checkLedgerApp({ name: 'Bitcoin Test', version: '2.4.1', flags: 0 }, 'signet'),
    ).not.toThrow();
  });

  it('checks the app before the first device call', async () => {
    const fake = new FakeBtc();
    const signer = createLedgerSigner(session(fake, { name: 'BOLOS', version: '1.0', flags: 0 }), 'regtest');
    await expect(signer.getXpub("m/84'/1'/0'", 'regtest')).rejects.toMatchObject({ code: 'HW_WRONG_APP' });
    expect(fake.xpubCalls).toHaveLength(0);
  });
});
