import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { HDKey } from '@scure/bip32';
import { FlashError } from '../../../shared/errors';
import type { LnurlTarget } from '../../../shared/lightning/lnurl';
import { fromHex, toHex } from '../../../shared/lightning/words';
import type { LnurlGet } from './http';
import { withParams } from './pay';
import { read, StatusOk } from './responses';

/**
 * LNURL-auth (LUD-04) with LUD-05 linking keys: one key per service domain, derived from the
 * wallet's BIP32 root, so the same recovery words give the same identity at every service and
 * no two services can link it. The challenge k1 is signed as-is (it is already 32 bytes).
 */

const HARDENED = 0x80000000;

/** LUD-05 step 1-3: the four path numbers after m/138' for a domain, from the hashing key. */
export function linkingPathSuffix(hashingPrivateKey: Uint8Array, domain: string): number[] {
  const material = hmac(sha256, hashingPrivateKey, new TextEncoder().encode(domain));
  const view = new DataView(material.buffer, material.byteOffset, 16);
  return [0, 4, 8, 12].map((off) => view.getUint32(off));
}

/**
 * The domain's linking key. Path numbers of 2^31 or more are used as they are, which makes those
 * steps hardened: this is what the reference implementation (derivePrivateKey with a raw Long)
 * does, so other LUD-05 wallets restored from the same words get the same key.
 */
export function deriveLinkingKey(
  root: HDKey,
  domain: string,
): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const hashing = root.deriveChild(HARDENED + 138).deriveChild(0);
  if (!hashing.privateKey)
    throw new FlashError('LIGHTNING_NOT_SUPPORTED', 'LNURL-auth needs the wallet words.');
  let node = root.deriveChild(HARDENED + 138);
  for (const index of linkingPathSuffix(hashing.privateKey, domain)) node = node.deriveChild(index);
  if (!node.privateKey || !node.publicKey) throw new FlashError('INTERNAL', 'Linking key derivation failed.');
  return { privateKey: node.privateKey, publicKey: node.publicKey };
}

/** DER-encoded ECDSA signature of k1 (LUD-04 step 3). */
export function signChallenge(k1Hex: string, privateKey: Uint8Array): string {
  const k1 = fromHex(k1Hex);
  if (k1.length !== 32) throw new FlashError('LNURL_BAD_RESPONSE', 'The challenge is not 32 bytes.');
  return toHex(secp256k1.sign(k1, privateKey, { prehash: false, format: 'der' }));
}

/** Signs in: calls the service back with the signature and the domain's linking key. */
export async function lnurlLogin(
  get: LnurlGet,
  target: LnurlTarget,
  root: HDKey,
): Promise<{ linkingKey: string }> {
  if (target.tag !== 'login' || !target.k1)
    throw new FlashError('LNURL_UNSUPPORTED', 'This is not an LNURL login.', {
      what: target.tag ?? 'unknown',
    });
  const key = deriveLinkingKey(root, target.domain);
  try {
    const sig = signChallenge(target.k1, key.privateKey);
    const linkingKey = toHex(key.publicKey);
    read(StatusOk, await get(withParams(target.url, { sig, key: linkingKey })), target.domain);
    return { linkingKey };
  } finally {
    key.privateKey.fill(0);
  }
}
