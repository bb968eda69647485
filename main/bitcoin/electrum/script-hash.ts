import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Electrum's address key: sha256 of the output script, byte-reversed, as hex. */
export function scriptHash(outputScript: Uint8Array): string {
  return bytesToHex(sha256(outputScript).reverse());
}
