/**
 * TEST-ONLY simulated Ledger for end-to-end tests on the local regtest stack.
 *
 * Gating: this module is reachable only through createHardwareService({ simulated }) and the
 * container sets `simulated` only when browser mode was started with --simulated-devices, which
 * main/headless/args.ts accepts only together with --network regtest. The Electron entry never
 * sets it, and the simulator refuses every network but regtest on its own as well. Its keys come
 * from the public BIP39 test words below: nothing here may ever hold real money.
 *
 * It fakes hw-app-btc's `Btc` object (the four methods our adapter calls) plus the two framework
 * calls, so the real Ledger adapter (app checks, PSBT checks, signature merge, error mapping) runs.
 */
import * as ecc from '@bitcoinerlab/secp256k1';
import type { AddressFormat } from '@ledgerhq/hw-app-btc';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { hex } from '@scure/base';
import { Psbt } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import { messageHash } from '../../bitcoin/send/message';
import { networkParams } from '../../bitcoin/wallet/networks';
import { hwError } from '../errors';
import type { LedgerBtc, LedgerSession } from '../ledger/adapter';
import { createLedgerSigner } from '../ledger/adapter';
import { addressOf } from '../psbt';
import { fingerprintOf, signPsbtWithRoot } from '../seed-signing';
import type { DetectedDevice, HardwareDriver, HwScriptType } from '../types';

export const SIMULATED_WORDS =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

export const SIMULATED_LEDGER_ID = 'simulated:ledger-1';

/** What the on-screen "approve / reject" of the simulated device answers; tests flip it. */
export interface SimulatorControl {
  approve: boolean;
}

const FORMAT_TO_SCRIPT: Readonly<Record<string, HwScriptType>> = {
  legacy: 'pkh',
  p2sh: 'sh-wpkh',
  bech32: 'wpkh',
  bech32m: 'tr',
};

/** The status word a Ledger app answers when the user presses "Reject" (0x6985). */
function rejected(): Error {
  return Object.assign(
    new Error('Ledger device: Condition of use not satisfied (denied by the user?) (0x6985)'),
    {
      name: 'TransportStatusError',
      statusCode: 0x6985,
    },
  );
}

export function createSimulatedBtc(
  network: Network,
  control: SimulatorControl,
): { btc: LedgerBtc; root: HDKey } {
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(SIMULATED_WORDS), networkParams(network).btc.bip32);
  const approveOrThrow = () => {
    if (!control.approve) throw rejected();
  };
  const scriptOf = (format: AddressFormat | undefined): HwScriptType =>
    FORMAT_TO_SCRIPT[format ?? 'legacy'] ?? 'pkh';
  const btc: LedgerBtc = {
    getWalletXpub({ path, xpubVersion }) {
      const node = root.derive(`m/${path}`);
      const versions = { public: xpubVersion, private: networkParams(network).btc.bip32.private };
      return Promise.resolve(
        new HDKey({
          versions,
          publicKey: node.publicKey ?? undefined,
          chainCode: node.chainCode ?? undefined,
          depth: node.depth,
          index: node.index,
          parentFingerprint: node.parentFingerprint,
        }).publicExtendedKey,
      );
    },
    getWalletPublicKey(path, opts) {
      if (opts?.verify) approveOrThrow();
      const node = root.derive(`m/${path}`);
      if (!node.publicKey || !node.chainCode) throw new Error('no key');
      return Promise.resolve({
        publicKey: hex.encode(ecc.pointCompress(node.publicKey, false)),
        bitcoinAddress: addressOf(node.publicKey, scriptOf(opts?.format), network),
        chainCode: hex.encode(node.chainCode),
      });
    },
    signMessage(path, messageHex) {
      approveOrThrow();
      const node = root.derive(`m/${path}`);
      if (!node.privateKey) throw new Error('no key');
      const message = Buffer.from(messageHex, 'hex').toString('utf8');
      const { signature, recoveryId } = ecc.signRecoverable(messageHash(message), node.privateKey);
      return Promise.resolve({
        v: recoveryId,
        r: hex.encode(signature.slice(0, 32)),
        s: hex.encode(signature.slice(32)),
      });
    },
    signPsbtBuffer(psbtBuffer, options) {
      approveOrThrow();
      const psbt = Psbt.fromBuffer(psbtBuffer, { network: networkParams(network).btc });
      signPsbtWithRoot(psbt, root, {
        network,
        scriptType: scriptOf(options.addressFormat),
        accountPath: options.accountPath,
        fingerprint: fingerprintOf(root),
      });
      return Promise.resolve({ psbt: Buffer.from(psbt.toBuffer()) });
    },
  };
  return { btc, root };
}

export function createSimulatedLedgerSession(network: Network, control: SimulatorControl): LedgerSession {
  const { btc, root } = createSimulatedBtc(network, control);
  return {
    btc,
    getAppAndVersion: () => Promise.resolve({ name: 'Bitcoin Test', version: '2.2.3', flags: 0 }),
    getMasterFingerprint: () => Promise.resolve(hex.decode(fingerprintOf(root))),
    close: () => Promise.resolve(),
  };
}

/** A driver listing one simulated Ledger; refuses to open on any network but regtest. */
export function createSimulatedLedgerDriver(control: SimulatorControl): HardwareDriver {
  return {
    simulated: true,
    vendor: 'ledger',
    list: (): Promise<DetectedDevice[]> =>
      Promise.resolve([
        {
          id: SIMULATED_LEDGER_ID,
          vendor: 'ledger',
          model: 'Ledger Nano S Plus (simulated)',
          simulated: true,
        },
      ]),
    async open(id, network) {
      if (id !== SIMULATED_LEDGER_ID) throw hwError('HW_NO_DEVICE');
      if (network !== 'regtest')
        throw hwError('HW_WRONG_NETWORK', 'the simulated device is for regtest only');
      const session = createSimulatedLedgerSession(network, control);
      const signer = createLedgerSigner(session, network);
      const fingerprint = await signer.fingerprint();
      return {
        signer,
        info: { fingerprint, appVersion: 'Bitcoin Test 2.2.3', model: 'Ledger Nano S Plus (simulated)' },
      };
    },
    dispose: () => Promise.resolve(),
  };
}
