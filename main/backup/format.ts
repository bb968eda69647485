import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { FlashError } from '../../shared/errors';
import { kdfParamsProblem } from '../vault/crypto';
import { xchachaOpen, xchachaSeal, xchachaSubkey } from './aead';

/**
 * The `.flashbak` file: a small plain header, then the body sealed with XChaCha20-Poly1305 (see
 * aead.ts) in
 * numbered chunks.
 *
 *   "FLASHBAK" (8 bytes) | format version (1 byte) | header length (u16 BE) | header JSON
 *   | chunk 0 | chunk 1 | ... | final chunk
 *
 * The header says how to derive the key (scrypt parameters and salt), who wrote the file and when.
 * It is not secret, but every byte of it is the AAD of every chunk, so changing any of it (a
 * cheaper KDF, another date) makes the body refuse to open.
 *
 * Chunks (each `chunkSize` plaintext bytes plus a 16-byte tag, the last one shorter) exist so that
 * a long backup can report progress and never needs a second copy of the whole body. Each chunk's
 * nonce is the header's 19-byte prefix, the chunk's index (u32 BE) and a final flag (1 byte), the
 * STREAM construction: chunks cannot be reordered, dropped or cut at a chunk boundary without a
 * tag failing.
 *
 * Wrong password versus damage: the header also holds `check`, an HMAC of a fixed label under the
 * derived key. A key that fails it is a wrong password; a key that passes it but fails a chunk's
 * tag means the body was changed or cut. The check reveals nothing that a guess at the password
 * could not already learn by trying the first chunk, and costs the guesser the same scrypt.
 */

export const MAGIC = new TextEncoder().encode('FLASHBAK');
export const FORMAT_VERSION = 1;
export const TAG_BYTES = 16;
export const NONCE_PREFIX_BYTES = 19;
export const SALT_BYTES = 32;
export const CHECK_BYTES = 16;
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 1024;
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** A header is a few hundred bytes; anything near this is not ours. */
export const MAX_HEADER_BYTES = 4096;
const FIXED_BYTES = MAGIC.length + 1 + 2;
const CHECK_LABEL = new TextEncoder().encode('flash.backup.key-check.v1');

const hex = (len: number) =>
  z
    .string()
    .length(len * 2)
    .regex(/^[0-9a-f]+$/);

export const BackupHeader = z
  .object({
    app: z.string().min(1).max(64),
    createdAt: z.number().int().nonnegative(),
    kdf: z
      .object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int() })
      .strict(),
    salt: hex(SALT_BYTES),
    noncePrefix: hex(NONCE_PREFIX_BYTES),
    check: hex(CHECK_BYTES),
    chunkSize: z.number().int().min(MIN_CHUNK_BYTES).max(MAX_CHUNK_BYTES),
  })
  .strict();
export type BackupHeader = z.infer<typeof BackupHeader>;

export interface ParsedFile {
  header: BackupHeader;
  /** Every byte before the first chunk: the AAD of each chunk. */
  headerBytes: Uint8Array;
  body: Uint8Array;
}

export type Progress = (done: number, total: number) => void;

function damaged(message: string): FlashError {
  return new FlashError('BACKUP_DAMAGED', `The backup file is damaged or incomplete: ${message}.`);
}

/**
 * Reads the plain part of a file. Throws BACKUP_NOT_A_BACKUP (no magic), BACKUP_NEWER_VERSION
 * (a format this app does not know) or BACKUP_DAMAGED (a header that does not parse).
 */
export function parseBackupFile(file: Uint8Array): ParsedFile {
  if (file.length < MAGIC.length || !MAGIC.every((b, i) => file[i] === b)) {
    throw new FlashError('BACKUP_NOT_A_BACKUP', 'This file is not a Flash backup.');
  }
  if (file.length < FIXED_BYTES) throw damaged('the header is cut short');
  const version = file[MAGIC.length]!;
  if (version > FORMAT_VERSION) {
    throw new FlashError(
      'BACKUP_NEWER_VERSION',
      `This backup was made by a newer version of Flash (file format ${version}; this app reads ${FORMAT_VERSION}).`,
      { formatVersion: version },
    );
  }
  if (version < 1) throw damaged(`unknown format ${version}`);
  const headerLength = (file[MAGIC.length + 1]! << 8) | file[MAGIC.length + 2]!;
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) throw damaged('bad header length');
  const end = FIXED_BYTES + headerLength;
  if (file.length < end) throw damaged('the header is cut short');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(FIXED_BYTES, end)));
  } catch {
    throw damaged('the header is not readable');
  }
  const parsed = BackupHeader.safeParse(json);
  if (!parsed.success) throw damaged('the header has unexpected fields');
  const problem = kdfParamsProblem(parsed.data.kdf);
  if (problem) throw damaged(`the key parameters are out of range (${problem})`);
  const body = file.subarray(end);
  if (body.length < TAG_BYTES) throw damaged('the encrypted part is missing');
  return { header: parsed.data, headerBytes: file.subarray(0, end), body };
}

export function keyCheck(key: Uint8Array): Uint8Array {
  return hmac(sha256, key, CHECK_LABEL).subarray(0, CHECK_BYTES);
}

/** True when `key` is the one the header was written with (constant time). */
export function keyMatches(header: BackupHeader, key: Uint8Array): boolean {
  return timingSafeEqual(Buffer.from(keyCheck(key)), Buffer.from(header.check, 'hex'));
}

function chunkNonce(prefix: Uint8Array, index: number, final: boolean): Uint8Array {
  const nonce = new Uint8Array(NONCE_PREFIX_BYTES + 5);
  nonce.set(prefix, 0);
  new DataView(nonce.buffer).setUint32(NONCE_PREFIX_BYTES, index, false);
  nonce[NONCE_PREFIX_BYTES + 4] = final ? 1 : 0;
  return nonce;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface NewHeader {
  app: string;
  createdAt: number;
  kdf: { N: number; r: number; p: number };
  salt: Uint8Array;
  chunkSize?: number;
}

/** Seals `plaintext` under `key` and returns the whole file. */
export async function sealBackup(
  plaintext: Uint8Array,
  key: Uint8Array,
  fields: NewHeader,
  onProgress?: Progress,
): Promise<Uint8Array> {
  const chunkSize = fields.chunkSize ?? DEFAULT_CHUNK_BYTES;
  const prefix = new Uint8Array(randomBytes(NONCE_PREFIX_BYTES));
  const header: BackupHeader = {
    app: fields.app,
    createdAt: fields.createdAt,
    kdf: { name: 'scrypt', N: fields.kdf.N, r: fields.kdf.r, p: fields.kdf.p },
    salt: Buffer.from(fields.salt).toString('hex'),
    noncePrefix: Buffer.from(prefix).toString('hex'),
    check: Buffer.from(keyCheck(key)).toString('hex'),
    chunkSize,
  };
  const json = new TextEncoder().encode(JSON.stringify(BackupHeader.parse(header)));
  const headerBytes = new Uint8Array(FIXED_BYTES + json.length);
  headerBytes.set(MAGIC, 0);
  headerBytes[MAGIC.length] = FORMAT_VERSION;
  headerBytes[MAGIC.length + 1] = json.length >> 8;
  headerBytes[MAGIC.length + 2] = json.length & 0xff;
  headerBytes.set(json, FIXED_BYTES);

  const chunks = Math.max(1, Math.ceil(plaintext.length / chunkSize));
  // Every chunk's nonce shares its first 16 bytes (the prefix), so one HChaCha20 subkey serves all.
  const subkey = xchachaSubkey(key, chunkNonce(prefix, 0, false));
  const out = new Uint8Array(headerBytes.length + plaintext.length + chunks * TAG_BYTES);
  out.set(headerBytes, 0);
  let at = headerBytes.length;
  for (let i = 0; i < chunks; i++) {
    const final = i === chunks - 1;
    const part = plaintext.subarray(i * chunkSize, final ? plaintext.length : (i + 1) * chunkSize);
    const sealed = xchachaSeal(subkey, chunkNonce(prefix, i, final), headerBytes, part);
    out.set(sealed, at);
    at += sealed.length;
    onProgress?.(i + 1, chunks);
    if (!final) await yieldToLoop();
  }
  subkey.fill(0);
  return out;
}

/**
 * Opens the body with `key` (already checked with keyMatches). Throws BACKUP_DAMAGED when any
 * chunk fails its tag, is missing or is cut.
 */
export async function openBackup(
  file: ParsedFile,
  key: Uint8Array,
  onProgress?: Progress,
): Promise<Uint8Array> {
  const { header, headerBytes, body } = file;
  const prefix = Buffer.from(header.noncePrefix, 'hex');
  const sealedChunk = header.chunkSize + TAG_BYTES;
  const chunks = Math.max(1, Math.ceil(body.length / sealedChunk));
  if (body.length - (chunks - 1) * sealedChunk < TAG_BYTES) throw damaged('the last part is cut short');
  const subkey = xchachaSubkey(key, chunkNonce(prefix, 0, false));
  const out = new Uint8Array(body.length - chunks * TAG_BYTES);
  let written = 0;
  for (let i = 0; i < chunks; i++) {
    const final = i === chunks - 1;
    const part = body.subarray(i * sealedChunk, final ? body.length : (i + 1) * sealedChunk);
    if (part.length < TAG_BYTES) throw damaged('the last part is cut short');
    let plain: Uint8Array;
    try {
      plain = xchachaOpen(subkey, chunkNonce(prefix, i, final), headerBytes, part);
    } catch {
      out.fill(0);
      subkey.fill(0);
      throw damaged(final ? 'the file was changed or cut short' : `part ${i + 1} was changed`);
    }
    out.set(plain, written);
    written += plain.length;
    plain.fill(0);
    onProgress?.(i + 1, chunks);
    if (!final) await yieldToLoop();
  }
  subkey.fill(0);
  return out;
}
