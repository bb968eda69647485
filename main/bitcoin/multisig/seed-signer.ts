import * as ecc from '@bitcoinerlab/secp256k1';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import type { Psbt } from 'bitcoinjs-lib';
import { FlashError } from '../../../shared/errors';
import { networkParams } from '../wallet/networks';
import type { MultisigAccount } from './account';
import { prevoutScript, scriptsOfInput, type PlaceOf } from './psbt';

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Signs every input of a multisig PSBT with one cosigner's key held in Flash's own words (a
 * cosigner of kind 'seed', BIP48 path). The input's script is taken from the wallet's own table
 * and derivation, never from the PSBT: the key derived at the cosigner's path must be one of the
 * keys of the script the wallet itself derives there, else nothing is signed. Returns how many
 * inputs were signed; the seed and private keys are wiped (best effort).
 */
export function signMultisigWithWords(
  psbt: Psbt,
  secret: { mnemonic: string; passphrase: string },
  account: MultisigAccount,
  keyIndex: number,
  placeOf: PlaceOf,
): number {
  const cosigner = account.policy.keys[keyIndex];
  if (!cosigner) throw new FlashError('BAD_INPUT', 'No such cosigner.', { keyIndex });
  const seed = mnemonicToSeedSync(secret.mnemonic, secret.passphrase);
  const root = HDKey.fromMasterSeed(seed, networkParams(account.network).btc.bip32);
  seed.fill(0);
  try {
    if ((root.fingerprint >>> 0).toString(16).padStart(8, '0') !== cosigner.fingerprint) {
      throw new FlashError('MULTISIG_UNKNOWN_SIGNER', 'These recovery words are not this cosigner’s.', {
        fingerprint: cosigner.fingerprint,
      });
    }
    const accountNode = root.derive(cosigner.path);
    try {
      if (accountNode.publicExtendedKey !== cosigner.xpub) {
        throw new FlashError(
          'MULTISIG_UNKNOWN_SIGNER',
          `The words give another key at ${cosigner.path} than the wallet holds for this cosigner.`,
          { fingerprint: cosigner.fingerprint },
        );
      }
      let signed = 0;
      for (let i = 0; i < psbt.inputCount; i++) {
        const scripts = scriptsOfInput(psbt, i, account, placeOf);
        const prevout = prevoutScript(psbt, i);
        const place = prevout ? placeOf(prevout) : null;
        if (!place) continue;
        const child = accountNode.deriveChild(place.chain).deriveChild(place.index);
        try {
          const priv = child.privateKey;
          const pub = child.publicKey;
          if (!priv || !pub) throw new Error('derivation produced no key');
          const inScript = scripts.tap ? pub.subarray(1) : pub;
          if (!scripts.keys.some((k) => k.keyIndex === keyIndex && same(k.pubkey, inScript))) {
            throw new FlashError(
              'MULTISIG_WRONG_WALLET',
              `Input ${i}: this cosigner's key is not in its script.`,
              {
                input: i,
              },
            );
          }
          if (scripts.tap) {
            const leafHash = scripts.tap.leafHash;
            psbt.signTaprootInput(
              i,
              {
                publicKey: pub,
                sign: (hash: Uint8Array) => ecc.sign(hash, priv),
                signSchnorr: (hash: Uint8Array) => ecc.signSchnorr(hash, priv),
              },
              leafHash,
            );
          } else {
            psbt.signInput(i, { publicKey: pub, sign: (hash: Uint8Array) => ecc.sign(hash, priv) });
          }
          signed++;
        } finally {
          child.wipePrivateData();
        }
      }
      return signed;
    } finally {
      accountNode.wipePrivateData();
    }
  } finally {
    root.wipePrivateData();
  }
}
