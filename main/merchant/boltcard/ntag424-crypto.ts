import crypto from 'node:crypto';

/**
 * The cryptography of a Bolt card (an NTAG 424 DNA tag with Secure Unique NFC messages), as NXP
 * specifies it (AN12196) and as BTCPay derives its keys (the boltcard "deterministic" scheme):
 * - every key derivation is AES-CMAC (RFC 4493) of a 4-byte label and data under a parent key;
 * - `p` is the PICC data (tag 0xC7, 7-byte UID, 3-byte little-endian counter, padding)
 *   encrypted with K1 in AES-CBC under a zero IV;
 * - `c` is the SUN MAC: CMAC under a session key derived from K2 and the UID and counter,
 *   over an empty message, keeping the odd bytes.
 */

export const BLOCK = 16;
const ZERO_IV = new Uint8Array(BLOCK);

function aesEcbEncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = crypto.createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

export function aesCbc(
  direction: 'encrypt' | 'decrypt',
  key: Uint8Array,
  data: Uint8Array,
  iv: Uint8Array = ZERO_IV,
): Uint8Array {
  if (data.length % BLOCK !== 0) throw new RangeError('AES-CBC data must be whole blocks');
  const c =
    direction === 'encrypt'
      ? crypto.createCipheriv('aes-128-cbc', key, iv)
      : crypto.createDecipheriv('aes-128-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

function shiftLeft(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) out[i] = ((block[i] ?? 0) << 1) | ((block[i + 1] ?? 0) >> 7);
  out[BLOCK - 1] = ((block[BLOCK - 1] ?? 0) << 1) & 0xff;
  return out;
}

function subkey(prev: Uint8Array): Uint8Array {
  const k = shiftLeft(prev);
  if (((prev[0] ?? 0) & 0x80) !== 0) k[BLOCK - 1] = (k[BLOCK - 1] ?? 0) ^ 0x87;
  return k;
}

/** AES-CMAC (RFC 4493), 16 bytes. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length !== BLOCK) throw new RangeError('AES-128 keys are 16 bytes');
  const k1 = subkey(aesEcbEncryptBlock(key, new Uint8Array(BLOCK)));
  const k2 = subkey(k1);
  const whole = message.length > 0 && message.length % BLOCK === 0;
  const blocks = whole ? message.length / BLOCK : Math.floor(message.length / BLOCK) + 1;
  const last = new Uint8Array(BLOCK);
  const tail = message.subarray((blocks - 1) * BLOCK);
  last.set(tail);
  if (!whole) last[tail.length] = 0x80;
  const mask = whole ? k1 : k2;
  for (let i = 0; i < BLOCK; i++) last[i] = (last[i] ?? 0) ^ (mask[i] ?? 0);
  let x: Uint8Array = new Uint8Array(BLOCK);
  for (let b = 0; b < blocks; b++) {
    const block = b === blocks - 1 ? last : message.subarray(b * BLOCK, (b + 1) * BLOCK);
    const y = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) y[i] = (x[i] ?? 0) ^ (block[i] ?? 0);
    x = aesEcbEncryptBlock(key, y);
  }
  return x;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const label = (last: number): Uint8Array => Uint8Array.of(0x2d, 0x00, 0x3f, last);

function u32le(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

function checkUid(uid: Uint8Array): void {
  if (uid.length !== 7) throw new RangeError('an NTAG 424 UID is 7 bytes');
}

export interface BoltcardKeys {
  /** Application master key: needed to change the other keys. */
  k0: Uint8Array;
  /** Encrypts the PICC data (`p`); the same for every card of one issuer. */
  k1: Uint8Array;
  /** Authenticates the tap (`c`). */
  k2: Uint8Array;
  k3: Uint8Array;
  k4: Uint8Array;
}

/** K1, shared by all cards of an issuer. */
export function issuerEncryptionKey(issuerKey: Uint8Array): Uint8Array {
  return aesCmac(issuerKey, label(0x77));
}

/** The per-card key; BTCPay binds it to the pull payment by adding the id's UTF-8 bytes. */
export function cardKey(
  issuerKey: Uint8Array,
  uid: Uint8Array,
  version: number,
  pullPaymentId?: string,
): Uint8Array {
  checkUid(uid);
  if (!Number.isInteger(version) || version < 0) throw new RangeError('version must be a whole number >= 0');
  const extra = pullPaymentId === undefined ? new Uint8Array(0) : new TextEncoder().encode(pullPaymentId);
  return aesCmac(issuerKey, concat(label(0x75), uid, u32le(version), extra));
}

export function boltcardKeys(issuerKey: Uint8Array, card: Uint8Array): BoltcardKeys {
  return {
    k0: aesCmac(card, label(0x76)),
    k1: issuerEncryptionKey(issuerKey),
    k2: aesCmac(card, label(0x78)),
    k3: aesCmac(card, label(0x79)),
    k4: aesCmac(card, label(0x7a)),
  };
}

/** The lookup id of a card (its UID never leaves the issuer in the clear). */
export function cardId(issuerKey: Uint8Array, uid: Uint8Array): Uint8Array {
  checkUid(uid);
  return aesCmac(issuerKey, concat(label(0x7b), uid));
}

export interface PiccData {
  uid: Uint8Array;
  counter: number;
}

/** Builds the 16-byte PICC data a card encrypts into `p` (padding from `padding`, 5 bytes). */
export function encodePicc(picc: PiccData, padding: Uint8Array = new Uint8Array(5)): Uint8Array {
  checkUid(picc.uid);
  if (picc.counter < 0 || picc.counter > 0xffffff) throw new RangeError('the SDM counter is 24 bits');
  const out = new Uint8Array(BLOCK);
  out[0] = 0xc7;
  out.set(picc.uid, 1);
  out[8] = picc.counter & 0xff;
  out[9] = (picc.counter >> 8) & 0xff;
  out[10] = (picc.counter >> 16) & 0xff;
  out.set(padding.subarray(0, 5), 11);
  return out;
}

/** Decrypts `p` with K1; null unless it is Bolt card PICC data (tag 0xC7: UID and counter mirrored). */
export function decryptPicc(k1: Uint8Array, p: string): PiccData | null {
  if (!/^[0-9a-fA-F]{32}$/.test(p)) return null;
  const plain = aesCbc('decrypt', k1, hexToBytes(p));
  if (plain[0] !== 0xc7) return null;
  return {
    uid: plain.slice(1, 8),
    counter: (plain[8] ?? 0) | ((plain[9] ?? 0) << 8) | ((plain[10] ?? 0) << 16),
  };
}

/** The 8-byte SUN MAC (`c`) of a tap, over `payload` (empty for Bolt cards). */
export function sunMac(k2: Uint8Array, picc: PiccData, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const sv2 = new Uint8Array(BLOCK);
  sv2.set([0x3c, 0xc3, 0x00, 0x01, 0x00, 0x80]);
  sv2.set(picc.uid, 6);
  sv2[13] = picc.counter & 0xff;
  sv2[14] = (picc.counter >> 8) & 0xff;
  sv2[15] = (picc.counter >> 16) & 0xff;
  const session = aesCmac(k2, sv2);
  const full = aesCmac(session, payload);
  const half = new Uint8Array(8);
  for (let i = 1; i < BLOCK; i += 2) half[i >> 1] = full[i] ?? 0;
  return half;
}

/** Constant-time check of `c` against the tap. */
export function checkSunMac(k2: Uint8Array, picc: PiccData, c: string): boolean {
  if (!/^[0-9a-fA-F]{16}$/.test(c)) return false;
  const expected = sunMac(k2, picc);
  return crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(hexToBytes(c)));
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('not hex');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array, upper = false): string {
  const hex = Buffer.from(bytes).toString('hex');
  return upper ? hex.toUpperCase() : hex;
}

/** `p` and `c` from a Bolt card URL (`lnurlw://host/path?p=…&c=…`), as BTCPay extracts them. */
export function extractPc(url: string): { p: string; c: string } | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  const query = url.slice(q);
  const p = /p=([a-fA-F0-9]{32})/.exec(query)?.[1];
  const c = /c=([a-fA-F0-9]{16})/.exec(query)?.[1];
  return p && c ? { p, c } : null;
}
