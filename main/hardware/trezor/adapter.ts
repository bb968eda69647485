import type { Address, Params, PROTO, Response, SignMessage } from '@trezor/connect';
import type { SignTransaction, SignedTransaction } from '@trezor/connect';
import type { GetAddress } from '@trezor/connect/lib/types/api/getAddress';
import type { GetPublicKey, HDNodeResponse } from '@trezor/connect/lib/types/api/getPublicKey';
import type { DeviceUniquePath } from '@trezor/connect/lib/types/device';
import type { Network } from '../../../shared/contract';
import { hwError, mapTrezorError } from '../errors';
import { decodePsbt } from '../psbt';
import { FlashError } from '../../../shared/errors';
import type { AccountContext, MultisigSigner, Signer } from '../types';
import {
  multisigInputScript,
  toMultisigSignTransaction,
  trezorMultisigAt,
  trezorMultisigSignatures,
  walletOfRequest,
} from './multisig';
import { mergeTrezorSignatures, toSignTransaction, trezorCoin } from './translate';

/**
 * The Trezor Connect calls our adapter makes, with Connect's own parameter and answer types; the
 * real TrezorConnect object satisfies it and tests fake exactly these.
 */
export interface TrezorApi {
  getPublicKey(params: Params<GetPublicKey>): Response<HDNodeResponse>;
  getAddress(params: Params<GetAddress>): Response<Address>;
  signTransaction(params: Params<SignTransaction>): Response<SignedTransaction>;
  signMessage(params: Params<SignMessage>): Response<PROTO.MessageSignature>;
  cancel(reason?: string): void;
}

type Answer<T> = Awaited<Response<T>>;

/**
 * For taproot paths Connect answers `xpub` as a descriptor, `tr([fp/86'/0'/0']xpub…/<0;1>/*)`;
 * the account key is the extended key inside it.
 */
export function plainXpub(answer: string): string {
  if (!answer.includes('(')) return answer;
  const key = /([xt]pub[1-9A-HJ-NP-Za-km-z]{100,})/.exec(answer)?.[1];
  if (!key) throw hwError('HW_UNSUPPORTED_SCRIPT', 'unreadable extended key from the device');
  return key;
}

/** Connect answers instead of throwing; a failure becomes our typed error. */
function unwrap<T>(answer: Answer<T>): T {
  if (answer.success) return answer.payload;
  throw mapTrezorError(answer.payload);
}

/**
 * Our Signer over Trezor Connect for one device (`path` is Connect's device path). Connect keeps
 * waiting for a device that never answers, so the service's timeout calls `cancel()`.
 */
export function createTrezorSigner(api: TrezorApi, devicePath: DeviceUniquePath, network: Network): Signer {
  const device = { path: devicePath };
  const coin = trezorCoin(network);
  let fingerprint: string | null = null;
  const ownFingerprint = async (): Promise<string> => {
    if (fingerprint) return fingerprint;
    const node = unwrap(await api.getPublicKey({ device, path: "m/0'", coin, showOnTrezor: false }));
    fingerprint = (node.fingerprint >>> 0).toString(16).padStart(8, '0');
    return fingerprint;
  };
  // A Trezor registers no wallet: each request carries the multisig structure instead.
  const multisig: MultisigSigner = {
    register: () =>
      Promise.reject(
        new FlashError(
          'BAD_INPUT',
          'A Trezor does not register multisig wallets; it is given the wallet with every request.',
          {
            vendor: 'trezor',
          },
        ),
      ),
    async showAddress(req, chain, index) {
      const w = walletOfRequest(req);
      const fp = await ownFingerprint();
      const key = w.policy.keys.find((k) => k.fingerprint === fp);
      if (!key) throw hwError('HW_FINGERPRINT_MISMATCH', 'this Trezor holds none of the wallet’s keys');
      return unwrap(
        await api.getAddress({
          device,
          path: `${key.path}/${chain}/${index}`,
          coin: trezorCoin(req.network),
          showOnTrezor: true,
          multisig: trezorMultisigAt(w, chain, index),
          scriptType: multisigInputScript(w),
        }),
      ).address;
    },
    async signPsbt(req, psbtB64) {
      const psbt = decodePsbt(psbtB64, req.network);
      const fp = await ownFingerprint();
      const params = toMultisigSignTransaction(psbt, req, fp);
      const signed = unwrap(await api.signTransaction({ device, ...params }));
      return trezorMultisigSignatures(psbt, fp, signed);
    },
  };
  return {
    multisig,
    vendor: 'trezor',
    async fingerprint() {
      // HWI's way: the parent fingerprint of m/0' is the master key's fingerprint.
      const node = unwrap(await api.getPublicKey({ device, path: "m/0'", coin, showOnTrezor: false }));
      return (node.fingerprint >>> 0).toString(16).padStart(8, '0');
    },
    async getXpub(path, net) {
      const node = unwrap(
        await api.getPublicKey({ device, path, coin: trezorCoin(net), showOnTrezor: false }),
      );
      return plainXpub(node.xpub);
    },
    async showAddress(path, account: AccountContext) {
      return unwrap(
        await api.getAddress({ device, path, coin: trezorCoin(account.network), showOnTrezor: true }),
      ).address;
    },
    async signPsbt(psbtB64, account) {
      const psbt = decodePsbt(psbtB64, account.network);
      const params = toSignTransaction(psbt, account);
      const signed = unwrap(await api.signTransaction({ device, ...params }));
      return mergeTrezorSignatures(psbt, account, signed).toBase64();
    },
    async signMessage(path, message, account) {
      if (account.scriptType === 'tr')
        throw hwError('HW_UNSUPPORTED_SCRIPT', 'taproot message signing (BIP322)');
      return unwrap(await api.signMessage({ device, path, coin: trezorCoin(account.network), message }))
        .signature;
    },
    cancel: () => {
      api.cancel('Flash cancelled the request');
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
