import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import type { Network } from '../../shared/contract';
import { networkParams } from '../bitcoin/wallet/networks';
import { addressOf, decodePsbt } from './psbt';
import { fingerprintOf, signMessageWithRoot, signPsbtWithRoot } from './seed-signing';
import type { Signer } from './types';

export interface SeedSecret {
  mnemonic: string;
  passphrase: string;
}

/**
 * The vault's seed behind the same interface as a device. `getSecret` is called per operation (it
 * needs the vault unlocked) and the seed and keys are dropped right after; nothing is cached.
 */
export function createSoftwareSigner(deps: { network: Network; getSecret: () => SeedSecret }): Signer {
  function withRoot<T>(fn: (root: HDKey) => T): T {
    const secret = deps.getSecret();
    const seed = mnemonicToSeedSync(secret.mnemonic, secret.passphrase);
    const root = HDKey.fromMasterSeed(seed, networkParams(deps.network).btc.bip32);
    seed.fill(0);
    try {
      return fn(root);
    } finally {
      root.wipePrivateData();
    }
  }
  return {
    vendor: 'seed',
    fingerprint: () => Promise.resolve(withRoot(fingerprintOf)),
    getXpub: (path, network) =>
      Promise.resolve(
        withRoot((root) => {
          const node = root.derive(path);
          const xpub = new HDKey({
            versions: networkParams(network).btc.bip32,
            publicKey: node.publicKey ?? undefined,
            chainCode: node.chainCode ?? undefined,
            depth: node.depth,
            index: node.index,
            parentFingerprint: node.parentFingerprint,
          }).publicExtendedKey;
          node.wipePrivateData();
          return xpub;
        }),
      ),
    showAddress: (path, account) =>
      Promise.resolve(
        withRoot((root) => {
          const pub = root.derive(path).publicKey;
          if (!pub) throw new Error('no public key');
          return addressOf(pub, account.scriptType, account.network);
        }),
      ),
    signPsbt: (base64, account) =>
      Promise.resolve(
        withRoot((root) => {
          const psbt = decodePsbt(base64, account.network);
          signPsbtWithRoot(psbt, root, account);
          return psbt.toBase64();
        }),
      ),
    signMessage: (path, message, account) =>
      Promise.resolve(withRoot((root) => signMessageWithRoot(root, path, message, account))),
    cancel: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
