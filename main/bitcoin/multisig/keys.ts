import { sha256 } from '@noble/hashes/sha2.js';
import { base58 } from '@scure/base';
import type { Network } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { bip32Versions, parseExtendedKey, type ParsedExtendedKey } from '../accounts/extended-keys';
import { keyNetworkOf, type KeyNetwork } from '../accounts/types';

/**
 * SLIP-132's multisig prefixes (Ypub/Zpub, Upub/Vpub) are what Coldcard, Sparrow and Electrum
 * write for BIP48 cosigner keys. A cosigner key is the same BIP32 key whatever its prefix, so it is
 * rewritten to plain xpub/tpub before the accounts module (which refuses them for single-key
 * accounts) reads it.
 */
const MULTISIG_VERSIONS: Readonly<Record<number, KeyNetwork>> = {
  0x0295b43f: 'mainnet', // Ypub
  0x02aa7ed3: 'mainnet', // Zpub
  0x024289ef: 'test', // Upub
  0x02575483: 'test', // Vpub
};

function checksum(payload: Uint8Array): Uint8Array {
  return sha256(sha256(payload)).subarray(0, 4);
}

/** Plain xpub/tpub for a SLIP-132 multisig key; any other text comes back unchanged. */
export function plainCosignerKey(text: string): string {
  const input = text.trim();
  let raw: Uint8Array;
  try {
    raw = base58.decode(input);
  } catch {
    return input;
  }
  if (raw.length !== 82) return input;
  const payload = raw.subarray(0, 78);
  const sum = checksum(payload);
  if (!sum.every((b, i) => b === raw[78 + i])) return input;
  const version =
    ((payload[0] ?? 0) << 24) | ((payload[1] ?? 0) << 16) | ((payload[2] ?? 0) << 8) | (payload[3] ?? 0);
  const network = MULTISIG_VERSIONS[version >>> 0];
  if (!network) return input;
  const plain = new Uint8Array(payload);
  const v = bip32Versions(network).public;
  plain[0] = (v >>> 24) & 0xff;
  plain[1] = (v >>> 16) & 0xff;
  plain[2] = (v >>> 8) & 0xff;
  plain[3] = v & 0xff;
  const out = new Uint8Array(82);
  out.set(plain);
  out.set(checksum(plain), 78);
  return base58.encode(out);
}

/**
 * A cosigner's extended public key in any form other wallets write (xpub/tpub, SLIP-132 single or
 * multisig prefixes), checked against the wallet's network. Typed errors as parseExtendedKey's.
 */
export function parseCosignerKey(text: string, network?: Network): ParsedExtendedKey {
  return parseExtendedKey(plainCosignerKey(text), network ? { network } : {});
}

/** Whether a key belongs on this network's family (test keys serve testnet, signet and regtest). */
export function keyFitsNetwork(key: ParsedExtendedKey, network: Network): boolean {
  return key.network === keyNetworkOf(network);
}

export function requireFingerprint(text: string): string {
  const fp = text.trim().toLowerCase();
  if (!/^[0-9a-f]{8}$/.test(fp)) {
    throw new FlashError('BAD_INPUT', 'A master fingerprint is 8 hex digits, e.g. 73c5da0a.', {
      fingerprint: fp.slice(0, 20),
    });
  }
  return fp;
}
