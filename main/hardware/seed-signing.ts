import * as ecc from '@bitcoinerlab/secp256k1';
import type { HDKey } from '@scure/bip32';
import { crypto as btcCrypto, type Psbt } from 'bitcoinjs-lib';
import { signMessageP2wpkh } from '../bitcoin/send/message';
import { hwError } from './errors';
import { arrayToPath, checkSignable } from './psbt';
import type { AccountContext } from './types';

export function fingerprintOf(root: HDKey): string {
  return (root.fingerprint >>> 0).toString(16).padStart(8, '0');
}

/** BIP341 key-path signer: the internal key tweaked by its own TapTweak hash (no script tree). */
function taprootKeySigner(privateKey: Uint8Array, publicKey: Uint8Array) {
  const xonly = publicKey.slice(1);
  const base = publicKey[0] === 0x03 ? ecc.privateNegate(privateKey) : privateKey;
  const tweaked = ecc.privateAdd(base, btcCrypto.taggedHash('TapTweak', xonly));
  if (!tweaked) throw hwError('HW_PSBT_REFUSED', 'taproot tweak failed');
  const tweakedPub = ecc.pointFromScalar(tweaked, true);
  if (!tweakedPub) throw hwError('HW_PSBT_REFUSED', 'taproot tweak failed');
  return {
    publicKey: tweakedPub,
    sign: (hash: Uint8Array) => ecc.sign(hash, tweaked),
    signSchnorr: (hash: Uint8Array) => ecc.signSchnorr(hash, tweaked),
  };
}

/**
 * Signs every input of the account with keys from `root` after checking that the key at each
 * input's path is the one the PSBT names. Used by the vault's software signer and by the test-only
 * simulated device; private keys are wiped before returning.
 */
export function signPsbtWithRoot(psbt: Psbt, root: HDKey, account: AccountContext): number {
  if (fingerprintOf(root) !== account.fingerprint) throw hwError('HW_FINGERPRINT_MISMATCH');
  const owns = checkSignable(psbt, account);
  let signed = 0;
  owns.forEach((own, i) => {
    const child = root.derive(arrayToPath(own.path));
    try {
      const priv = child.privateKey;
      const pub = child.publicKey;
      if (!priv || !pub) throw hwError('HW_PSBT_REFUSED', 'no private key');
      const expected = own.taproot ? pub.slice(1) : pub;
      const named = own.taproot && own.pubkey.length === 33 ? own.pubkey.slice(1) : own.pubkey;
      if (!expected.every((b, k) => b === named[k])) {
        throw hwError('HW_FINGERPRINT_MISMATCH', `input ${i}: the key at this path differs`);
      }
      if (own.taproot) psbt.signTaprootInput(i, taprootKeySigner(priv, pub));
      else psbt.signInput(i, { publicKey: pub, sign: (hash: Uint8Array) => ecc.sign(hash, priv) });
      signed++;
    } finally {
      child.wipePrivateData();
    }
  });
  return signed;
}

/** BIP137 message signature from the key at `path`; P2WPKH header like Trezor, else compressed P2PKH. */
export function signMessageWithRoot(
  root: HDKey,
  path: string,
  message: string,
  account: AccountContext,
): string {
  const child = root.derive(path);
  try {
    if (!child.privateKey) throw hwError('HW_PSBT_REFUSED', 'no private key');
    if (account.scriptType !== 'wpkh') throw hwError('HW_UNSUPPORTED_SCRIPT', 'message signing: P2WPKH only');
    return signMessageP2wpkh(message, child.privateKey);
  } finally {
    child.wipePrivateData();
  }
}
