import * as ecc from '@bitcoinerlab/secp256k1';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { base64 } from '@scure/base';
import type { Network } from '../../../shared/contract';
import { decodeAddress } from '../../../shared/bitcoin/address';
import { SendError } from './errors';

/**
 * "Bitcoin Signed Message" signatures (BIP137 headers), the format Electrum, Trezor, Sparrow and
 * Bitcoin Core exchange: base64 of [header, r(32), s(32)] over
 * sha256d("\x18Bitcoin Signed Message:\n" + varint(len) + message).
 *
 * We sign P2WPKH addresses with headers 39..42 (BIP137 "segwit bech32", as Trezor does).
 * Verification accepts, for a P2WPKH address, 39..42 and also 31..34 (compressed-P2PKH style,
 * which Electrum and Bitcoin Core-era tools emit for any address type); for P2PKH 27..34; for
 * P2SH(-P2WPKH) 35..38 and 31..34. BIP322 (generic signed messages, taproot) is not supported.
 */

const PREFIX = utf8ToBytes('\x18Bitcoin Signed Message:\n');

function varint(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
}

export function messageHash(message: string): Uint8Array {
  const m = utf8ToBytes(message);
  const buf = new Uint8Array(PREFIX.length + varint(m.length).length + m.length);
  buf.set(PREFIX, 0);
  buf.set(varint(m.length), PREFIX.length);
  buf.set(m, PREFIX.length + varint(m.length).length);
  return sha256(sha256(buf));
}

const hash160 = (b: Uint8Array): Uint8Array => ripemd160(sha256(b));
const equal = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** BIP137 header base per address type: + recovery id (0..3). */
const HEADER_BASE = { pkh: 31, 'sh-wpkh': 35, wpkh: 39 } as const;

/** Signs for a P2PKH, P2SH-P2WPKH or P2WPKH address with its BIP137 header (compressed keys). */
export function signMessageWithKey(
  message: string,
  privateKey: Uint8Array,
  type: keyof typeof HEADER_BASE,
): string {
  const { signature, recoveryId } = ecc.signRecoverable(messageHash(message), privateKey);
  const out = new Uint8Array(65);
  out[0] = HEADER_BASE[type] + recoveryId;
  out.set(signature, 1);
  return base64.encode(out);
}

/** Signs with a private key for a P2WPKH address: header 39 + recovery id. */
export function signMessageP2wpkh(message: string, privateKey: Uint8Array): string {
  return signMessageWithKey(message, privateKey, 'wpkh');
}

/** True when `signature` (base64, 65 bytes) was made by the key behind `address`. */
export function verifyMessage(
  address: string,
  message: string,
  signature: string,
  network?: Network,
): boolean {
  let sig: Uint8Array;
  try {
    sig = base64.decode(signature.trim());
  } catch {
    throw new SendError('BAD_SIGNATURE_FORMAT', 'The signature is not base64.');
  }
  if (sig.length !== 65) throw new SendError('BAD_SIGNATURE_FORMAT', 'A message signature is 65 bytes.');
  const header = sig[0] as number;
  if (header < 27 || header > 42)
    throw new SendError('BAD_SIGNATURE_FORMAT', `Unknown signature header ${header}.`);
  const parsed = decodeAddress(address);
  if (network && !parsed.networks.includes(network)) return false;
  const recid = ((header - 27) & 3) as 0 | 1 | 2 | 3;
  const kind =
    header < 31 ? 'uncompressed' : header < 35 ? 'compressed' : header < 39 ? 'p2sh-p2wpkh' : 'p2wpkh';
  const allowed: Record<string, readonly string[]> = {
    p2pkh: ['uncompressed', 'compressed'],
    p2wpkh: ['compressed', 'p2wpkh'],
    p2sh: ['compressed', 'p2sh-p2wpkh'],
  };
  if (!allowed[parsed.type]?.includes(kind)) {
    if (!allowed[parsed.type]) {
      throw new SendError('UNSUPPORTED_ADDRESS', `Signed messages for ${parsed.type} addresses need BIP322.`);
    }
    return false;
  }
  let pub: Uint8Array | null;
  try {
    pub = ecc.recover(messageHash(message), sig.subarray(1), recid, kind !== 'uncompressed');
  } catch {
    return false;
  }
  if (!pub) return false;
  const h = hash160(pub);
  if (parsed.type === 'p2sh') {
    const redeem = Uint8Array.from([0x00, 0x14, ...h]);
    return equal(hash160(redeem), parsed.program);
  }
  return equal(h, parsed.program);
}
