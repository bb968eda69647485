import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import { bech32 } from '@scure/base';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Network } from '../../../shared/contract';
import type { Chain } from './constants';
import { bip84AccountPath, networkParams } from './networks';

export interface AccountKeys {
  /** Account-level extended public key (xpub/tpub version bytes). */
  xpub: string;
  /** First 4 bytes of HASH160 of the master public key, hex: what PSBTs and signers call it. */
  fingerprint: string;
  accountPath: string;
}

export interface DerivedAddress {
  chain: Chain;
  index: number;
  address: string;
  scriptPubKey: Uint8Array;
  /** Electrum's key for a script: sha256(scriptPubKey), byte-reversed, hex. */
  scriptHash: string;
}

/**
 * Seed -> account xpub. The only place that touches private keys; they are wiped before returning
 * (best effort: JS cannot wipe the mnemonic string itself), and only public data leaves.
 */
export function deriveAccount(mnemonic: string, passphrase: string, network: Network): AccountKeys {
  const versions = networkParams(network).btc.bip32;
  const accountPath = bip84AccountPath(network);
  const seed = mnemonicToSeedSync(mnemonic, passphrase);
  const root = HDKey.fromMasterSeed(seed, versions);
  seed.fill(0);
  try {
    const account = root.derive(accountPath);
    const xpub = account.publicExtendedKey;
    account.wipePrivateData();
    return { xpub, fingerprint: fingerprintHex(root.fingerprint), accountPath };
  } finally {
    root.wipePrivateData();
  }
}

function fingerprintHex(fp: number): string {
  return (fp >>> 0).toString(16).padStart(8, '0');
}

export function scriptHashOf(scriptPubKey: Uint8Array): string {
  return bytesToHex(sha256(scriptPubKey).reverse());
}

export function addressPath(accountPath: string, chain: Chain, index: number): string {
  return `${accountPath}/${chain}/${index}`;
}

export interface AddressDeriver {
  derive(chain: Chain, index: number): DerivedAddress;
}

/** Watch-only derivation from the account xpub: works while the vault is locked. */
export function createAddressDeriver(xpub: string, network: Network): AddressDeriver {
  const btc = networkParams(network).btc;
  const account = HDKey.fromExtendedKey(xpub, btc.bip32);
  // The chain nodes are reused for every index: deriving them each time would double the EC work.
  const chainNodes = new Map<Chain, HDKey>();
  return {
    derive(chain, index) {
      let node = chainNodes.get(chain);
      if (!node) {
        node = account.deriveChild(chain);
        chainNodes.set(chain, node);
      }
      const pubkey = node.deriveChild(index).publicKey;
      if (!pubkey) throw new Error('xpub derivation produced no public key');
      const hash = ripemd160(sha256(pubkey));
      const scriptPubKey = new Uint8Array(22);
      scriptPubKey[0] = 0x00; // witness v0
      scriptPubKey[1] = 0x14; // push 20 bytes
      scriptPubKey.set(hash, 2);
      const address = bech32.encode(btc.bech32, [0, ...bech32.toWords(hash)]);
      return { chain, index, address, scriptPubKey, scriptHash: scriptHashOf(scriptPubKey) };
    },
  };
}
