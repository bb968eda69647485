import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import type { HDKey } from '@scure/bip32';
import { payments, type Network as BtcNetwork } from 'bitcoinjs-lib';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { CHANGE_CHAIN, RECEIVE_CHAIN, type Chain } from '../wallet/constants';
import { scriptHashOf } from '../wallet/derivation';
import { networkParams } from '../wallet/networks';
import { publicChildDeriver } from './child-keys';
import { parseExtendedKey } from './extended-keys';
import type { ScriptType } from './types';
// Taproot output keys need point tweaking: this registers bitcoinjs-lib's EC library.
import '../ecc-lib';

export { CHANGE_CHAIN, RECEIVE_CHAIN, type Chain };

export interface AccountAddress {
  chain: Chain;
  index: number;
  address: string;
  scriptPubKey: Uint8Array;
  /** Electrum's key for a script: sha256(scriptPubKey), byte-reversed, hex. */
  scriptHash: string;
  /** The derived child public key (33 bytes compressed). */
  publicKey: Uint8Array;
}

/** Largest non-hardened child index. */
export const MAX_ADDRESS_INDEX = 0x7fffffff;

/** BIP341 x-only key: the compressed key without its parity byte. */
export function xOnly(publicKey: Uint8Array): Uint8Array {
  return publicKey.length === 32 ? publicKey : publicKey.subarray(1, 33);
}

/** Output script and address of one public key under one script type. */
export function scriptFor(
  scriptType: ScriptType,
  publicKey: Uint8Array,
  network: BtcNetwork,
): { address: string; scriptPubKey: Uint8Array } {
  // The common case written out: bitcoinjs's payment objects check and recompute more than a
  // fresh child key needs, which made them most of the cost of deriving a big wallet.
  if (scriptType === 'wpkh' && publicKey.length === 33) {
    const hash = ripemd160(sha256(publicKey));
    const scriptPubKey = new Uint8Array(22);
    scriptPubKey[1] = 0x14;
    scriptPubKey.set(hash, 2);
    return { address: bech32.encode(network.bech32, [0, ...bech32.toWords(hash)]), scriptPubKey };
  }
  let payment: payments.Payment;
  switch (scriptType) {
    case 'pkh':
      payment = payments.p2pkh({ pubkey: publicKey, network });
      break;
    case 'sh-wpkh':
      payment = payments.p2sh({ redeem: payments.p2wpkh({ pubkey: publicKey, network }), network });
      break;
    case 'wpkh':
      payment = payments.p2wpkh({ pubkey: publicKey, network });
      break;
    case 'tr':
      // BIP86: key-path only, the internal key tweaked with an empty script tree.
      payment = payments.p2tr({ internalPubkey: xOnly(publicKey), network });
      break;
  }
  if (!payment.address || !payment.output) throw new Error(`could not build a ${scriptType} output`);
  return { address: payment.address, scriptPubKey: payment.output };
}

export interface AccountAddressDeriver {
  readonly scriptType: ScriptType;
  readonly network: Network;
  derive(chain: Chain, index: number): AccountAddress;
  /** `count` consecutive addresses from `start` on one chain. */
  range(chain: Chain, start: number, count: number): AccountAddress[];
}

/**
 * Watch-only address derivation from an account-level extended public key (any SLIP-132 prefix):
 * receive chain 0, change chain 1, as BIP44/49/84/86 lay out. Works while the vault is locked.
 */
export function createAccountAddressDeriver(
  accountKey: string | HDKey,
  scriptType: ScriptType,
  network: Network,
): AccountAddressDeriver {
  const account =
    typeof accountKey === 'string' ? parseExtendedKey(accountKey, { network }).hdkey : accountKey;
  const btc = networkParams(network).btc;
  // The chain nodes are derived once; their children through one deriver each (see child-keys.ts).
  const children = new Map<Chain, (index: number) => Uint8Array>();
  const derive = (chain: Chain, index: number): AccountAddress => {
    if (chain !== RECEIVE_CHAIN && chain !== CHANGE_CHAIN) {
      throw new FlashError('BAD_INPUT', 'Address chain must be 0 (receive) or 1 (change).', { chain });
    }
    if (!Number.isInteger(index) || index < 0 || index > MAX_ADDRESS_INDEX) {
      throw new FlashError(
        'BAD_INPUT',
        `Address index must be a whole number from 0 to ${MAX_ADDRESS_INDEX}.`,
        {
          index: String(index),
        },
      );
    }
    let child = children.get(chain);
    if (!child) {
      const node = account.deriveChild(chain);
      if (!node.publicKey || !node.chainCode) throw new Error('xpub derivation produced no public key');
      child = publicChildDeriver(node.publicKey, node.chainCode);
      children.set(chain, child);
    }
    const publicKey = child(index);
    const { address, scriptPubKey } = scriptFor(scriptType, publicKey, btc);
    return { chain, index, address, scriptPubKey, scriptHash: scriptHashOf(scriptPubKey), publicKey };
  };
  return {
    scriptType,
    network,
    derive,
    range(chain, start, count) {
      const out: AccountAddress[] = [];
      for (let i = 0; i < count; i++) out.push(derive(chain, start + i));
      return out;
    },
  };
}
