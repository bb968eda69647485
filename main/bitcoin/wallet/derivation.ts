import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Network } from '../../../shared/contract';
import { deriveAccountKeys } from '../accounts/account';
import { createAccountAddressDeriver } from '../accounts/addresses';
import type { Chain } from './constants';

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

export interface AddressDeriver {
  derive(chain: Chain, index: number): DerivedAddress;
}

/** The first BIP84 account of some words: shorthand over accounts/ for tests and benches. */
export function deriveAccount(mnemonic: string, passphrase: string, network: Network): AccountKeys {
  const keys = deriveAccountKeys(mnemonic, passphrase, network, 'bip84', 0);
  return { xpub: keys.xpub, fingerprint: keys.fingerprint ?? '', accountPath: keys.path ?? '' };
}

/** P2WPKH addresses of a BIP84 account xpub: shorthand over accounts/ for tests and benches. */
export function createAddressDeriver(xpub: string, network: Network): AddressDeriver {
  return createAccountAddressDeriver(xpub, 'wpkh', network);
}

export function scriptHashOf(scriptPubKey: Uint8Array): string {
  return bytesToHex(sha256(scriptPubKey).reverse());
}

export function addressPath(accountPath: string, chain: Chain, index: number): string {
  return `${accountPath}/${chain}/${index}`;
}
