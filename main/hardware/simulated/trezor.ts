/**
 * TEST-ONLY simulated Trezor, gated exactly like the simulated Ledger (see ./ledger.ts): reachable
 * only through createHardwareService({ simulated }), regtest only, public test words.
 *
 * It fakes the Trezor Connect calls our adapter makes (TrezorApi) and behaves like firmware: it
 * rebuilds the transaction from the signTransaction payload alone (inputs by address_n, change by
 * address_n, previous transactions from refTxs), signs it and answers signatures + serializedTx,
 * so the real PSBT <-> Connect translation and merge run end to end.
 */
import * as ecc from '@bitcoinerlab/secp256k1';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { hex } from '@scure/base';
import type { PROTO, RefTransaction } from '@trezor/connect';
import type { DeviceUniquePath } from '@trezor/connect/lib/types/device';
import { address as btcAddress, payments, Psbt, Transaction } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import { signMessageP2wpkh } from '../../bitcoin/send/message';
import { networkParams } from '../../bitcoin/wallet/networks';
import { hwError } from '../errors';
import { arrayToPath, HARDENED, pathToArray } from '../psbt';
import { fingerprintOf, signPsbtWithRoot } from '../seed-signing';
import type { TrezorApi } from '../trezor/adapter';
import { createTrezorSigner } from '../trezor/adapter';
import type { DetectedDevice, HardwareDriver, HwScriptType } from '../types';
import type { SimulatorControl } from './ledger';
import { SIMULATED_WORDS } from './ledger';

export const SIMULATED_TREZOR_ID = 'simulated:trezor-1';

const PURPOSE_SCRIPT: Readonly<Record<number, HwScriptType>> = {
  44: 'pkh',
  49: 'sh-wpkh',
  84: 'wpkh',
  86: 'tr',
};

type Fail = { success: false; payload: { error: string; code: 'Failure_ActionCancelled' } };
const cancelled = (): Fail => ({
  success: false,
  payload: { error: 'Action cancelled by user', code: 'Failure_ActionCancelled' },
});

function scriptTypeOfPath(path: number[]): HwScriptType {
  const type = PURPOSE_SCRIPT[(path[0] ?? 0) - HARDENED];
  if (!type) throw hwError('HW_UNSUPPORTED_SCRIPT', 'Forbidden key path');
  return type;
}

const asPath = (p: string | number[]): number[] => (typeof p === 'string' ? pathToArray(p) : p);

function payment(pubkey: Uint8Array, type: HwScriptType, network: Network) {
  const btc = networkParams(network).btc;
  if (type === 'pkh') return payments.p2pkh({ pubkey, network: btc });
  if (type === 'wpkh') return payments.p2wpkh({ pubkey, network: btc });
  if (type === 'sh-wpkh')
    return payments.p2sh({ redeem: payments.p2wpkh({ pubkey, network: btc }), network: btc });
  return payments.p2tr({ internalPubkey: pubkey.slice(1), network: btc });
}

function rawRefTx(ref: RefTransaction): Uint8Array {
  const tx = new Transaction();
  tx.version = ref.version;
  tx.locktime = ref.lock_time;
  for (const i of ref.inputs) {
    const prev = i as PROTO.PrevInput;
    tx.addInput(
      hex.decode(prev.prev_hash).reverse(),
      prev.prev_index,
      prev.sequence,
      hex.decode(prev.script_sig),
    );
  }
  for (const o of ref.bin_outputs ?? []) tx.addOutput(hex.decode(o.script_pubkey), BigInt(o.amount));
  return tx.toBuffer();
}

/**
 * The P2WSH (or P2SH-P2WSH) payment of a multisig structure as firmware builds it: each pubkey's
 * xpub derived along its address_n, in the order given, OP_m … OP_n OP_CHECKMULTISIG.
 */
function multisigPayment(multisig: PROTO.MultisigRedeemScriptType, nested: boolean, network: Network) {
  const btc = networkParams(network).btc;
  const pubkeys = multisig.pubkeys.map((p) => {
    if (typeof p.node !== 'string') throw new Error('the simulator takes xpub nodes');
    const node = HDKey.fromExtendedKey(p.node, btc.bip32).derive(arrayToPath(asPath(p.address_n)));
    if (!node.publicKey) throw new Error('no key');
    return node.publicKey;
  });
  const p2wsh = payments.p2wsh({
    redeem: payments.p2ms({ m: multisig.m, pubkeys, network: btc }),
    network: btc,
  });
  return nested ? payments.p2sh({ redeem: p2wsh, network: btc }) : p2wsh;
}

export function createSimulatedTrezorApi(network: Network, control: SimulatorControl): TrezorApi {
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(SIMULATED_WORDS), networkParams(network).btc.bip32);
  const fp = hex.decode(fingerprintOf(root));
  const keyAt = (path: number[]) => {
    const pub = root.derive(arrayToPath(path)).publicKey;
    if (!pub) throw new Error('no key');
    return pub;
  };
  return {
    getPublicKey(params) {
      const path = asPath(params.path);
      const node = root.derive(arrayToPath(path));
      return Promise.resolve({
        success: true,
        payload: {
          path,
          serializedPath: arrayToPath(path),
          publicKey: hex.encode(node.publicKey ?? new Uint8Array()),
          childNum: node.index,
          // Like Connect: taproot account keys come back as a descriptor with their origin.
          xpub:
            path[0] === 86 + HARDENED && path.length === 3
              ? `tr([${fingerprintOf(root)}${arrayToPath(path).slice(1)}]${node.publicExtendedKey}/<0;1>/*)`
              : node.publicExtendedKey,
          chainCode: hex.encode(node.chainCode ?? new Uint8Array()),
          fingerprint: node.parentFingerprint,
          depth: node.depth,
        },
      });
    },
    getAddress(params) {
      if (params.showOnTrezor && !control.approve) return Promise.resolve(cancelled());
      const path = asPath(params.path);
      if (params.multisig) {
        const pay = multisigPayment(params.multisig, params.scriptType === 'SPENDP2SHWITNESS', network);
        const ours = params.multisig.pubkeys.some((p) => {
          const node =
            typeof p.node === 'string'
              ? HDKey.fromExtendedKey(p.node, networkParams(network).btc.bip32)
              : null;
          const derived = node?.derive(arrayToPath(asPath(p.address_n))).publicKey;
          return derived !== undefined && derived !== null && hex.encode(derived) === hex.encode(keyAt(path));
        });
        if (!ours) throw hwError('HW_PSBT_REFUSED', 'the multisig does not hold this device’s key');
        return Promise.resolve({
          success: true,
          payload: { address: pay.address ?? '', path, serializedPath: arrayToPath(path) },
        });
      }
      const address = payment(keyAt(path), scriptTypeOfPath(path), network).address ?? '';
      return Promise.resolve({
        success: true,
        payload: { address, path, serializedPath: arrayToPath(path) },
      });
    },
    signMessage(params) {
      if (!control.approve) return Promise.resolve(cancelled());
      const path = asPath(params.path);
      const child = root.derive(arrayToPath(path));
      const signature = signMessageP2wpkh(params.message, child.privateKey ?? new Uint8Array(32));
      const address = payment(keyAt(path), scriptTypeOfPath(path), network).address ?? '';
      return Promise.resolve({ success: true, payload: { address, signature } });
    },
    signTransaction(params) {
      if (!control.approve) return Promise.resolve(cancelled());
      if (params.inputs.some((i) => 'multisig' in i && i.multisig))
        return Promise.resolve(signMultisig(params));
      const btc = networkParams(network).btc;
      const psbt = new Psbt({ network: btc });
      psbt.setVersion(params.version ?? 2);
      psbt.setLocktime(params.locktime ?? 0);
      const refs = new Map((params.refTxs ?? []).map((r) => [r.hash, r]));
      let accountPath: number[] = [];
      let scriptType: HwScriptType = 'wpkh';
      for (const input of params.inputs) {
        if (!('address_n' in input) || input.address_n === undefined) throw new Error('external input');
        const path = asPath(input.address_n);
        accountPath = path.slice(0, 3);
        scriptType = scriptTypeOfPath(path);
        const pub = keyAt(path);
        const pay = payment(pub, scriptType, network);
        const ref = refs.get(input.prev_hash);
        psbt.addInput({
          hash: input.prev_hash,
          index: input.prev_index,
          sequence: input.sequence,
          witnessUtxo: { script: pay.output ?? new Uint8Array(), value: BigInt(input.amount) },
          ...(ref ? { nonWitnessUtxo: rawRefTx(ref) } : {}),
          ...(scriptType === 'sh-wpkh' && pay.redeem?.output ? { redeemScript: pay.redeem.output } : {}),
          ...(scriptType === 'tr'
            ? {
                tapInternalKey: pub.slice(1),
                tapBip32Derivation: [
                  { masterFingerprint: fp, path: arrayToPath(path), pubkey: pub.slice(1), leafHashes: [] },
                ],
              }
            : { bip32Derivation: [{ masterFingerprint: fp, path: arrayToPath(path), pubkey: pub }] }),
        });
      }
      for (const out of params.outputs) {
        const script =
          'address_n' in out && out.address_n !== undefined
            ? payment(keyAt(asPath(out.address_n)), scriptTypeOfPath(asPath(out.address_n)), network).output
            : btcAddress.toOutputScript((out as { address: string }).address, btc);
        if (!script) throw new Error('no script');
        psbt.addOutput({ script, value: BigInt(out.amount) });
      }
      signPsbtWithRoot(psbt, root, {
        network,
        scriptType,
        accountPath: arrayToPath(accountPath),
        fingerprint: fingerprintOf(root),
      });
      const signatures = psbt.data.inputs.map((i) =>
        hex.encode(i.tapKeySig ?? (i.partialSig?.[0]?.signature ?? new Uint8Array(1)).slice(0, -1)),
      );
      psbt.finalizeAllInputs();
      return Promise.resolve({
        success: true,
        payload: { signatures, serializedTx: psbt.extractTransaction().toHex() },
      });
    },
    cancel: () => undefined,
  };

  /**
   * Multisig inputs as firmware signs them: each input's script rebuilt from its multisig
   * structure (it must hold the key at address_n), change outputs rebuilt the same way, this
   * device's signature per input; the transaction comes back unsigned for the others to finish.
   */
  function signMultisig(params: Parameters<TrezorApi['signTransaction']>[0]) {
    const btc = networkParams(network).btc;
    const psbt = new Psbt({ network: btc });
    psbt.setVersion(params.version ?? 2);
    psbt.setLocktime(params.locktime ?? 0);
    const refs = new Map((params.refTxs ?? []).map((r) => [r.hash, r]));
    const keys: Uint8Array[] = [];
    for (const input of params.inputs) {
      if (
        !('address_n' in input) ||
        input.address_n === undefined ||
        !('multisig' in input) ||
        !input.multisig
      ) {
        throw new Error('mixed or external inputs');
      }
      const nested = input.script_type === 'SPENDP2SHWITNESS';
      const pay = multisigPayment(input.multisig, nested, network);
      const ref = refs.get(input.prev_hash);
      if (!ref) throw new Error('the previous transaction is missing');
      const witnessScript = (nested ? pay.redeem?.redeem?.output : pay.redeem?.output) ?? new Uint8Array();
      const pub = keyAt(asPath(input.address_n));
      keys.push(pub);
      psbt.addInput({
        hash: input.prev_hash,
        index: input.prev_index,
        sequence: input.sequence,
        witnessUtxo: { script: pay.output ?? new Uint8Array(), value: BigInt(input.amount) },
        nonWitnessUtxo: rawRefTx(ref),
        witnessScript,
        ...(nested && pay.redeem?.output ? { redeemScript: pay.redeem.output } : {}),
      });
    }
    for (const out of params.outputs) {
      const script =
        'multisig' in out && out.multisig
          ? multisigPayment(out.multisig, out.script_type === 'PAYTOP2SHWITNESS', network).output
          : btcAddress.toOutputScript((out as { address: string }).address, btc);
      if (!script) throw new Error('no script');
      psbt.addOutput({ script, value: BigInt(out.amount) });
    }
    const signatures = params.inputs.map((input, i) => {
      const child = root.derive(arrayToPath(asPath((input as { address_n: number[] }).address_n)));
      const priv = child.privateKey;
      if (!priv) throw new Error('no key');
      psbt.signInput(i, {
        publicKey: keys[i] ?? new Uint8Array(),
        sign: (h: Uint8Array) => ecc.sign(h, priv),
      });
      const sig = psbt.data.inputs[i]?.partialSig?.[0]?.signature ?? new Uint8Array(1);
      return hex.encode(sig.slice(0, -1));
    });
    const unsigned = Transaction.fromBuffer(psbt.data.globalMap.unsignedTx.toBuffer());
    return { success: true as const, payload: { signatures, serializedTx: unsigned.toHex() } };
  }
}

/** A driver listing one simulated Trezor; refuses to open on any network but regtest. */
export function createSimulatedTrezorDriver(control: SimulatorControl): HardwareDriver {
  const model = 'Trezor Safe 3 (simulated)';
  return {
    simulated: true,
    vendor: 'trezor',
    list: (): Promise<DetectedDevice[]> =>
      Promise.resolve([{ id: SIMULATED_TREZOR_ID, vendor: 'trezor', model, simulated: true }]),
    async open(id, network) {
      if (id !== SIMULATED_TREZOR_ID) throw hwError('HW_NO_DEVICE');
      if (network !== 'regtest')
        throw hwError('HW_WRONG_NETWORK', 'the simulated device is for regtest only');
      const signer = createTrezorSigner(
        createSimulatedTrezorApi(network, control),
        'simulated-trezor-1' as DeviceUniquePath,
        network,
      );
      const fingerprint = await signer.fingerprint();
      return { signer, info: { fingerprint, appVersion: '2.8.1', model } };
    },
    dispose: () => Promise.resolve(),
  };
}
