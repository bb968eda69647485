import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import * as nip06 from 'nostr-tools/nip06';
import * as nip19 from 'nostr-tools/nip19';
import * as nip49 from 'nostr-tools/nip49';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { FlashError } from '../../shared/errors';

/** Vault secret name of an identity's 32-byte private key. */
export const nsecSecretName = (identityId: string): string => `nostr:${identityId}:nsec`;

const HEX64 = /^[0-9a-f]{64}$/;

/** How a user can bring an existing key. */
export type KeyImport =
  | { kind: 'nsec'; nsec: string }
  | { kind: 'ncryptsec'; ncryptsec: string; password: string }
  | { kind: 'words'; words: string; passphrase?: string; account?: number };

export interface KeyPair {
  secretKey: Uint8Array;
  /** x-only public key, lowercase hex. */
  pubkey: string;
}

function invalid(what: string): FlashError {
  return new FlashError('NOSTR_INVALID_KEY', `That is not a valid ${what}.`);
}

export function generateKeyPair(): KeyPair {
  const secretKey = generateSecretKey();
  return { secretKey, pubkey: getPublicKey(secretKey) };
}

export function keyPairFromSecret(secretKey: Uint8Array): KeyPair {
  if (secretKey.length !== 32) throw invalid('private key');
  try {
    return { secretKey, pubkey: getPublicKey(secretKey) };
  } catch {
    throw invalid('private key'); // zero or >= curve order
  }
}

/** nsec1... -> 32 bytes. Throws NOSTR_INVALID_KEY. */
export function decodeNsec(nsec: string): Uint8Array {
  try {
    const decoded = nip19.decode(nsec.trim());
    if (decoded.type !== 'nsec') throw invalid('nsec');
    return keyPairFromSecret(decoded.data).secretKey;
  } catch (err) {
    if (err instanceof FlashError) throw err;
    throw invalid('nsec');
  }
}

/** npub1... or 64 hex chars -> lowercase hex pubkey. Throws NOSTR_INVALID_KEY. */
export function parsePubkey(input: string): string {
  const s = input.trim();
  if (HEX64.test(s.toLowerCase())) return assertOnCurve(s.toLowerCase(), 'public key');
  try {
    const decoded = nip19.decode(s);
    if (decoded.type === 'npub') return assertOnCurve(decoded.data, 'npub');
    if (decoded.type === 'nprofile') return assertOnCurve(decoded.data.pubkey, 'nprofile');
  } catch {
    // fall through
  }
  throw invalid('npub');
}

function assertOnCurve(hex: string, what: string): string {
  // Every x-only key is 32 bytes; reject ones that are not an x coordinate on secp256k1 by
  // trying to lift them (a bogus key would make every later encryption throw).
  try {
    const x = BigInt('0x' + hex);
    const p = 2n ** 256n - 2n ** 32n - 977n;
    if (x === 0n || x >= p) throw new Error('range');
    const y2 = (modPow(x, 3n, p) + 7n) % p;
    if (modPow(y2, (p - 1n) / 2n, p) !== 1n) throw new Error('not on curve');
    return hex;
  } catch {
    throw invalid(what);
  }
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

export function npubEncode(pubkey: string): string {
  return nip19.npubEncode(pubkey);
}

export function nsecEncode(secretKey: Uint8Array): string {
  return nip19.nsecEncode(secretKey);
}

/** NIP-49: private key -> ncryptsec under `password` (scrypt 2^logN). */
export function encryptNcryptsec(secretKey: Uint8Array, password: string, logN = 16): string {
  if (password.length === 0) throw new FlashError('BAD_INPUT', 'A password is required.');
  return nip49.encrypt(secretKey, password, logN);
}

/** Throws NOSTR_INVALID_KEY for a malformed ncryptsec, NOSTR_WRONG_PASSWORD when it will not open. */
export function decryptNcryptsec(ncryptsec: string, password: string): Uint8Array {
  const s = ncryptsec.trim();
  let bytes: Uint8Array;
  try {
    const decoded = bech32.decode(s as `${string}1${string}`, 5000);
    if (decoded.prefix !== 'ncryptsec') throw new Error('prefix');
    bytes = bech32.fromWords(decoded.words);
  } catch {
    throw invalid('ncryptsec');
  }
  // version 2, log_n, 16 salt, 24 nonce, 1 key-security byte, 32 + 16 ciphertext
  if (bytes.length !== 91 || bytes[0] !== 2) throw invalid('ncryptsec');
  if ((bytes[1] ?? 0) > 22) throw invalid('ncryptsec'); // refuse absurd scrypt costs
  let sk: Uint8Array;
  try {
    sk = nip49.decrypt(s, password);
  } catch {
    throw new FlashError('NOSTR_WRONG_PASSWORD', 'Wrong password for this ncryptsec.');
  }
  return keyPairFromSecret(sk).secretKey;
}

/** NIP-06: BIP-39 words -> m/44'/1237'/<account>'/0/0. */
export function secretFromWords(words: string, passphrase = '', account = 0): Uint8Array {
  const normalized = words.trim().toLowerCase().split(/\s+/).join(' ');
  if (!nip06.validateWords(normalized)) throw invalid('set of recovery words');
  return nip06.privateKeyFromSeedWords(normalized, passphrase, account);
}

export function importSecret(input: KeyImport): KeyPair {
  switch (input.kind) {
    case 'nsec':
      return keyPairFromSecret(decodeNsec(input.nsec));
    case 'ncryptsec':
      return keyPairFromSecret(decryptNcryptsec(input.ncryptsec, input.password));
    case 'words':
      return keyPairFromSecret(secretFromWords(input.words, input.passphrase ?? '', input.account ?? 0));
  }
}

export { bytesToHex, hexToBytes };
