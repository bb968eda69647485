import crypto from 'node:crypto';
import { aesCbc, aesCmac, BLOCK } from './ntag424-crypto';

/**
 * NTAG 424 DNA secure messaging, as NXP's application note AN12196 describes it: the
 * AuthenticateEV2First handshake (section 6.6), the session keys from SV1/SV2, and commands in
 * CommMode.MAC and CommMode.Full (sections 5.3, 5.4): data encrypted with SesAuthENCKey in CBC
 * under IV = E(SesAuthENCKey, A55A‖TI‖CmdCtr‖0…), MACed with SesAuthMACKey over
 * Cmd‖CmdCtr‖TI‖header‖data and truncated to its odd bytes. Pure functions over bytes, so the
 * note's worked examples check them byte for byte (test/unit/merchant-ntag424-ev2.test.ts).
 */

export interface Ev2Session {
  keyNo: number;
  /** Transaction identifier the card chose. */
  ti: Uint8Array;
  encKey: Uint8Array;
  macKey: Uint8Array;
  /** Commands sent since the handshake (both sides count; a wrong count breaks every MAC). */
  cmdCtr: number;
}

export class Ntag424Error extends Error {
  constructor(
    message: string,
    /** The card's status word, e.g. 0x91AE, when the card answered one. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'Ntag424Error';
  }
}

export const concatBytes = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const rotateLeft = (b: Uint8Array): Uint8Array => concatBytes(b.subarray(1), b.subarray(0, 1));
const rotateRight = (b: Uint8Array): Uint8Array =>
  concatBytes(b.subarray(b.length - 1), b.subarray(0, b.length - 1));
const u16le = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >> 8) & 0xff);
export const u24le = (n: number): Uint8Array => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff);

/** AES-CMAC keeping the odd bytes (S1, S3, …, S15): NXP's 8-byte MACt. */
export function truncatedMac(key: Uint8Array, message: Uint8Array): Uint8Array {
  const full = aesCmac(key, message);
  const out = new Uint8Array(8);
  for (let i = 1; i < BLOCK; i += 2) out[i >> 1] = full[i] ?? 0;
  return out;
}

/** ISO/IEC 9797-1 padding method 2: 0x80 then zeros, always at least one byte. */
export function padM2(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / BLOCK) + 1) * BLOCK);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

export function unpadM2(data: Uint8Array): Uint8Array {
  let end = data.length - 1;
  while (end >= 0 && data[end] === 0) end--;
  if (end < 0 || data[end] !== 0x80) throw new Ntag424Error('bad padding in the card’s answer');
  return data.subarray(0, end);
}

/** SV1/SV2 of the handshake: label ‖ RndA[15..14] ‖ (RndA[13..8] ⊕ RndB[15..10]) ‖ RndB[9..0] ‖ RndA[7..0]. */
export function sessionVectors(rndA: Uint8Array, rndB: Uint8Array): { sv1: Uint8Array; sv2: Uint8Array } {
  const mixed = new Uint8Array(6);
  for (let i = 0; i < 6; i++) mixed[i] = (rndA[2 + i] ?? 0) ^ (rndB[i] ?? 0);
  const context = concatBytes(rndA.subarray(0, 2), mixed, rndB.subarray(6, 16), rndA.subarray(8, 16));
  return {
    sv1: concatBytes(Uint8Array.of(0xa5, 0x5a, 0x00, 0x01, 0x00, 0x80), context),
    sv2: concatBytes(Uint8Array.of(0x5a, 0xa5, 0x00, 0x01, 0x00, 0x80), context),
  };
}

export function sessionKeys(key: Uint8Array, rndA: Uint8Array, rndB: Uint8Array) {
  const { sv1, sv2 } = sessionVectors(rndA, rndB);
  return { encKey: aesCmac(key, sv1), macKey: aesCmac(key, sv2) };
}

/** First frame of AuthenticateEV2First: key number and no capabilities. */
export function authFirstCommand(keyNo: number): Uint8Array {
  return Uint8Array.of(0x90, 0x71, 0x00, 0x00, 0x02, keyNo, 0x00, 0x00);
}

/** Second frame: E(K, RndA ‖ RndB') after decrypting the card's RndB. */
export function authSecondCommand(
  key: Uint8Array,
  encRndB: Uint8Array,
  rndA: Uint8Array,
): { apdu: Uint8Array; rndB: Uint8Array } {
  if (encRndB.length !== BLOCK || rndA.length !== BLOCK) throw new Ntag424Error('bad handshake lengths');
  const rndB = aesCbc('decrypt', key, encRndB);
  const body = aesCbc('encrypt', key, concatBytes(rndA, rotateLeft(rndB)));
  return { apdu: concatBytes(Uint8Array.of(0x90, 0xaf, 0x00, 0x00, 0x20), body, Uint8Array.of(0x00)), rndB };
}

/** Checks the card's last frame (it must return our RndA rotated) and opens the session. */
export function finishAuth(
  key: Uint8Array,
  keyNo: number,
  rndA: Uint8Array,
  rndB: Uint8Array,
  encrypted: Uint8Array,
): Ev2Session {
  if (encrypted.length !== 32) throw new Ntag424Error('the card’s handshake answer has the wrong length');
  const plain = aesCbc('decrypt', key, encrypted);
  const returned = rotateRight(plain.subarray(4, 20));
  if (!crypto.timingSafeEqual(Buffer.from(returned), Buffer.from(rndA))) {
    throw new Ntag424Error('the card did not prove it holds the key (RndA mismatch)');
  }
  return { keyNo, ti: plain.slice(0, 4), ...sessionKeys(key, rndA, rndB), cmdCtr: 0 };
}

function commandIv(s: Ev2Session, label: [number, number], ctr: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block.set(label, 0);
  block.set(s.ti, 2);
  block.set(u16le(ctr), 6);
  return aesCbc('encrypt', s.encKey, block);
}

function wrap(cmd: number, data: Uint8Array): Uint8Array {
  if (data.length > 255) throw new Ntag424Error('command too long for a short APDU');
  return concatBytes(Uint8Array.of(0x90, cmd, 0x00, 0x00, data.length), data, Uint8Array.of(0x00));
}

/** A command in CommMode.MAC: header sent in the clear, MACt appended. */
export function macCommand(
  s: Ev2Session,
  cmd: number,
  header: Uint8Array,
  data = new Uint8Array(0),
): Uint8Array {
  const mac = truncatedMac(s.macKey, concatBytes(Uint8Array.of(cmd), u16le(s.cmdCtr), s.ti, header, data));
  return wrap(cmd, concatBytes(header, data, mac));
}

/** A command in CommMode.Full: header in the clear, data padded and encrypted, then MACed. */
export function fullCommand(s: Ev2Session, cmd: number, header: Uint8Array, data: Uint8Array): Uint8Array {
  const enc =
    data.length === 0 ? data : aesCbc('encrypt', s.encKey, padM2(data), commandIv(s, [0xa5, 0x5a], s.cmdCtr));
  const mac = truncatedMac(s.macKey, concatBytes(Uint8Array.of(cmd), u16le(s.cmdCtr), s.ti, header, enc));
  return wrap(cmd, concatBytes(header, enc, mac));
}

/** Splits an R-APDU into data and status word. */
export function splitResponse(response: Uint8Array): { data: Uint8Array; sw: number } {
  if (response.length < 2) throw new Ntag424Error('the card’s answer is too short');
  const sw = ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
  return { data: response.subarray(0, response.length - 2), sw };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  0x911e: 'integrity error',
  0x917e: 'length error',
  0x919d: 'permission denied',
  0x919e: 'parameter error',
  0x9140: 'no such key',
  0x91ae: 'authentication error',
  0x91be: 'boundary error',
  0x91ca: 'command aborted',
  0x91f0: 'file not found',
  0x6982: 'security status not satisfied',
  0x6a82: 'file or application not found',
  0x6700: 'wrong length',
};

export function statusText(sw: number): string {
  return STATUS_TEXT[sw] ?? `status ${sw.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Checks a secured answer (SW 91 00, MACt over RC‖CmdCtr+1‖TI‖data), moves the counter on and
 * returns the data, decrypted when `full`.
 */
export function checkResponse(s: Ev2Session, response: Uint8Array, full: boolean): Uint8Array {
  const { data, sw } = splitResponse(response);
  if (sw !== 0x9100) throw new Ntag424Error(`the card refused: ${statusText(sw)}`, sw);
  if (data.length < 8) throw new Ntag424Error('the card’s answer has no MAC');
  const body = data.subarray(0, data.length - 8);
  const next = s.cmdCtr + 1;
  const expected = truncatedMac(s.macKey, concatBytes(Uint8Array.of(0x00), u16le(next), s.ti, body));
  if (!crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(data.subarray(data.length - 8)))) {
    throw new Ntag424Error('the card’s answer failed its MAC check');
  }
  s.cmdCtr = next;
  if (!full || body.length === 0) return body;
  return unpadM2(aesCbc('decrypt', s.encKey, body, commandIv(s, [0x5a, 0xa5], next)));
}

/** CRC32 as ISO/IEC 13239 without the final inversion (NXP's CRC32NK over a new key). */
export function crc32nk(data: Uint8Array): Uint8Array {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  crc >>>= 0;
  return Uint8Array.of(crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, (crc >>> 24) & 0xff);
}

/**
 * ChangeKey (0xC4) in CommMode.Full. The key that opened the session is sent as NewKey‖KeyVer;
 * any other key as (NewKey ⊕ OldKey)‖KeyVer‖CRC32NK(NewKey), which is why its old value is needed.
 */
export function changeKeyCommand(
  s: Ev2Session,
  keyNo: number,
  newKey: Uint8Array,
  version: number,
  oldKey?: Uint8Array,
): Uint8Array {
  let data: Uint8Array;
  if (keyNo === s.keyNo) data = concatBytes(newKey, Uint8Array.of(version));
  else {
    if (!oldKey) throw new Ntag424Error('changing another key needs its old value');
    const x = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) x[i] = (newKey[i] ?? 0) ^ (oldKey[i] ?? 0);
    data = concatBytes(x, Uint8Array.of(version), crc32nk(newKey));
  }
  return fullCommand(s, 0xc4, Uint8Array.of(keyNo), data);
}
