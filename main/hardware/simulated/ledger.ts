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
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Psbt, Transaction } from 'bitcoinjs-lib';
import type * as LedgerBitcoinModule from 'ledger-bitcoin';
import { parseMultisigDescriptor } from '../../bitcoin/multisig/descriptor';
import { policyFromDescriptor } from '../../bitcoin/multisig/policy';
import { addressOfScript, multisigScriptsAt } from '../../bitcoin/multisig/scripts';
import { walletPolicyToDescriptor } from '../../bitcoin/multisig/wallet-policy';
import { loadVendorModule } from '../load';
import type { Network } from '../../../shared/contract';
import { messageHash } from '../../bitcoin/send/message';
import { networkParams } from '../../bitcoin/wallet/networks';
import { hwError } from '../errors';
import type { LedgerBtc, LedgerPolicySession, LedgerSession } from '../ledger/adapter';
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

/** A Ledger app's error status word (0x6a80: incorrect data, e.g. a wrong HMAC or a foreign policy). */
function statusError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`Ledger device: ${message} (0x${statusCode.toString(16)})`), {
    name: 'TransportStatusError',
    statusCode,
  });
}

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

/**
 * A fake of ledger-bitcoin's AppClient for multisig, after the Bitcoin app's documented behaviour
 * (app-bitcoin-new doc/wallet.md): registerWallet shows the policy, refuses one that holds none of
 * the device's keys, and answers the policy id with an HMAC-SHA256 under a key only the device
 * knows (here: derived from its test seed); getWalletAddress and signPsbt refuse a policy whose HMAC
 * is not that one. signPsbt signs, with the test keys, every input whose script is the policy's
 * script at the path the PSBT names for this device's key.
 */
export function createSimulatedPolicySession(
  root: HDKey,
  network: Network,
  control: SimulatorControl,
): LedgerPolicySession {
  const lib = loadVendorModule<typeof LedgerBitcoinModule>('ledger-bitcoin');
  const hmacKey = sha256(
    Uint8Array.from([...(root.privateKey ?? new Uint8Array()), ...new TextEncoder().encode('policy hmac')]),
  );
  const fingerprint = fingerprintOf(root);
  type Policy = InstanceType<typeof lib.WalletPolicy>;
  const descriptorOf = (p: Policy) => {
    try {
      return parseMultisigDescriptor(walletPolicyToDescriptor(p.descriptorTemplate, p.keys), { network });
    } catch (err) {
      throw statusError(0x6a80, err instanceof Error ? err.message : 'bad policy');
    }
  };
  const expectedHmac = (p: Policy) => Buffer.from(hmac(sha256, hmacKey, p.getId()));
  const checkHmac = (p: Policy, given: Buffer | null) => {
    if (!given || !expectedHmac(p).equals(given)) throw statusError(0x6a80, 'wallet policy not registered');
  };
  const ourKeyIndex = (p: Policy): number => {
    const { policy } = policyFromDescriptor(descriptorOf(p), network);
    return policy.keys.findIndex(
      (k) => k.fingerprint === fingerprint && root.derive(k.path).publicExtendedKey === k.xpub,
    );
  };
  const client: LedgerPolicySession['client'] = {
    registerWallet(p) {
      if (!/^[\x20-\x7e]{1,16}$/.test(p.name)) return Promise.reject(statusError(0x6a80, 'bad wallet name'));
      if (ourKeyIndex(p) < 0) return Promise.reject(statusError(0x6a80, 'none of the keys is this device’s'));
      if (!control.approve) return Promise.reject(rejected());
      return Promise.resolve([p.getId(), expectedHmac(p)] as const);
    },
    getWalletAddress(p, walletHmac, change, index, display) {
      checkHmac(p, walletHmac);
      if (display && !control.approve) return Promise.reject(rejected());
      const d = descriptorOf(p);
      return Promise.resolve(addressOfScript(multisigScriptsAt(d, change, index).scriptPubKey, network));
    },
    signPsbt(psbtIn, p, walletHmac) {
      checkHmac(p, walletHmac);
      if (ourKeyIndex(p) < 0) return Promise.reject(statusError(0x6a80, 'none of the keys is this device’s'));
      if (!control.approve) return Promise.reject(rejected());
      const d = descriptorOf(p);
      const psbt =
        typeof psbtIn === 'string'
          ? Psbt.fromBase64(psbtIn, { network: networkParams(network).btc })
          : Psbt.fromBuffer(psbtIn as Buffer, { network: networkParams(network).btc });
      const out: [number, InstanceType<typeof lib.PartialSignature>][] = [];
      psbt.data.inputs.forEach((input, i) => {
        const origins = [...(input.tapBip32Derivation ?? []), ...(input.bip32Derivation ?? [])];
        const ours = origins.find((o) => hex.encode(o.masterFingerprint) === fingerprint);
        if (!ours) return;
        const steps = ours.path.split('/');
        const chain = Number(steps[steps.length - 2]);
        const index = Number(steps[steps.length - 1]);
        if (chain !== 0 && chain !== 1) return;
        const scripts = multisigScriptsAt(d, chain, index);
        const prevout =
          input.witnessUtxo?.script ??
          (input.nonWitnessUtxo
            ? Transaction.fromBuffer(input.nonWitnessUtxo).outs[psbt.txInputs[i]?.index ?? 0]?.script
            : undefined);
        if (!prevout || !Buffer.from(prevout).equals(Buffer.from(scripts.scriptPubKey))) {
          throw statusError(0x6a80, `input ${i} is not this wallet's`);
        }
        const child = root.derive(ours.path);
        const priv = child.privateKey;
        const pub = child.publicKey;
        if (!priv || !pub) throw new Error('no key');
        const signer = {
          publicKey: pub,
          sign: (h: Uint8Array) => ecc.sign(h, priv),
          signSchnorr: (h: Uint8Array) => ecc.signSchnorr(h, priv),
        };
        if (scripts.tap) {
          psbt.signTaprootInput(i, signer, scripts.tap.leafHash);
          const sig = psbt.data.inputs[i]?.tapScriptSig?.find((s) =>
            Buffer.from(s.pubkey).equals(Buffer.from(pub.subarray(1))),
          );
          if (sig) {
            out.push([
              i,
              new lib.PartialSignature(
                Buffer.from(sig.pubkey),
                Buffer.from(sig.signature),
                Buffer.from(sig.leafHash),
              ),
            ]);
          }
        } else {
          psbt.signInput(i, signer);
          const sig = psbt.data.inputs[i]?.partialSig?.find((s) =>
            Buffer.from(s.pubkey).equals(Buffer.from(pub)),
          );
          if (sig)
            out.push([i, new lib.PartialSignature(Buffer.from(sig.pubkey), Buffer.from(sig.signature))]);
        }
      });
      return Promise.resolve(out);
    },
  };
  return { client, policy: (name, template, keys) => new lib.WalletPolicy(name, template, keys) };
}

export function createSimulatedLedgerSession(network: Network, control: SimulatorControl): LedgerSession {
  const { btc, root } = createSimulatedBtc(network, control);
  return {
    btc,
    policies: createSimulatedPolicySession(root, network, control),
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
