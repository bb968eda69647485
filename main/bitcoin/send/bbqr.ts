import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { base32nopad, hex } from '@scure/base';
import { SendError } from './errors';

/**
 * BBQr, Coinkite's "Better Bitcoin QR" (github.com/coinkite/BBQr, BBQr.md): a file split over
 * QR codes that hold only QR alphanumeric characters, each starting with an 8-character header
 * `B$` + encoding + file type + total (2 base-36 digits) + index (2 base-36 digits). Parts can be
 * read in any order. Coldcard Q, Sparrow and others scan it; it is offered beside UR.
 */

export type BbqrEncoding = 'H' | '2' | 'Z';
/** The spec's file types: PSBT, wire transaction, JSON, CBOR, UTF-8 text, binary, executable. */
export type BbqrFileType = 'P' | 'T' | 'J' | 'C' | 'U' | 'B' | 'X';

const ENCODINGS: ReadonlySet<string> = new Set<BbqrEncoding>(['H', '2', 'Z']);
const FILE_TYPES: ReadonlySet<string> = new Set<BbqrFileType>(['P', 'T', 'J', 'C', 'U', 'B', 'X']);

const HEADER_LENGTH = 8;
/** `ZZ` in base 36. */
export const MAX_BBQR_PARTS = 1295;

/**
 * How many alphanumeric characters a QR code holds at error correction L, versions 1 to 40
 * (ISO/IEC 18004 table 7; BBQr.md repeats versions 11 and 23-40). The spec recommends level L:
 * the codes are shown on a screen, not printed.
 */
const ALNUM_CAPACITY_L = [
  25, 47, 77, 114, 154, 195, 224, 279, 335, 395, 468, 535, 619, 667, 758, 854, 938, 1046, 1153, 1249, 1352,
  1460, 1588, 1704, 1853, 1990, 2132, 2223, 2369, 2520, 2677, 2840, 3009, 3183, 3351, 3537, 3729, 3927, 4087,
  4296,
] as const;

export function qrAlnumCapacity(version: number): number {
  const capacity = ALNUM_CAPACITY_L[version - 1];
  if (capacity === undefined) {
    throw new SendError('BBQR_BAD_VERSION', 'QR versions run from 1 to 40.', { version });
  }
  return capacity;
}

/**
 * Version 12 (65x65 modules) is about as dense as the UR frames shown beside it: phone and
 * hardware-wallet cameras read it at the 250 ms frame rate Coldcard suggests. A file that fits one
 * smaller code gets that smaller code.
 */
export const DEFAULT_BBQR_VERSION = 12;

/** Decompressed size limit when reading `Z` parts: far above any PSBT, far below a zip bomb. */
const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

export interface BbqrSplit {
  parts: string[];
  /** The encoding used: `Z` falls back to `2` when compressing does not make the data smaller. */
  encoding: BbqrEncoding;
  /** The QR version every part fits (show every frame at this version, so none jumps in size). */
  version: number;
}

export interface BbqrSplitOptions {
  encoding?: BbqrEncoding;
  /** Use exactly this QR version (1-40); by default the smallest single code up to version 12, else 12. */
  version?: number;
}

/** Characters per whole number of bytes: 2 hex digits per byte, 8 base32 characters per 5 bytes. */
const unitOf = (encoding: BbqrEncoding): number => (encoding === 'H' ? 2 : 8);

function encodeBody(data: Uint8Array, wanted: BbqrEncoding): { text: string; encoding: BbqrEncoding } {
  if (wanted === 'H') return { text: hex.encode(data).toUpperCase(), encoding: 'H' };
  if (wanted === 'Z') {
    // The spec fixes the compression: zlib, 10-bit window, no header (raw deflate), best effort.
    const compressed = deflateRawSync(data, { windowBits: 10, level: 9 });
    if (compressed.length < data.length) return { text: base32nopad.encode(compressed), encoding: 'Z' };
  }
  return { text: base32nopad.encode(data), encoding: '2' };
}

const base36 = (n: number): string => n.toString(36).toUpperCase().padStart(2, '0');

/** How many parts `length` characters need at a version, or null when they cannot fit. */
function partsNeeded(length: number, version: number, unit: number): number | null {
  const perPart = Math.floor((qrAlnumCapacity(version) - HEADER_LENGTH) / unit) * unit;
  if (perPart <= 0) return null;
  const count = Math.max(1, Math.ceil(length / perPart));
  return count <= MAX_BBQR_PARTS ? count : null;
}

function chooseVersion(length: number, unit: number, fixed: number | undefined): number {
  if (fixed !== undefined) {
    qrAlnumCapacity(fixed);
    if (partsNeeded(length, fixed, unit) === null) {
      throw new SendError('BBQR_TOO_LARGE', `This file needs more than ${MAX_BBQR_PARTS} QR codes.`, {
        version: fixed,
      });
    }
    return fixed;
  }
  for (let v = 1; v <= DEFAULT_BBQR_VERSION; v++) if (partsNeeded(length, v, unit) === 1) return v;
  for (let v = DEFAULT_BBQR_VERSION; v <= 40; v++) if (partsNeeded(length, v, unit) !== null) return v;
  throw new SendError('BBQR_TOO_LARGE', `This file needs more than ${MAX_BBQR_PARTS} QR codes.`, {});
}

/**
 * A file as BBQr parts. The parts are as equal as whole bytes allow (the last may be shorter), so
 * no runt frame is much harder to read than the others.
 */
export function splitBbqr(
  data: Uint8Array,
  fileType: BbqrFileType,
  options: BbqrSplitOptions = {},
): BbqrSplit {
  if (data.length === 0) throw new SendError('BBQR_BAD_DATA', 'There is nothing to put in a QR code.');
  const { text, encoding } = encodeBody(data, options.encoding ?? 'Z');
  const unit = unitOf(encoding);
  const version = chooseVersion(text.length, unit, options.version);
  const needed = partsNeeded(text.length, version, unit) ?? 1;
  const perPart = Math.ceil(text.length / needed / unit) * unit;
  const count = Math.ceil(text.length / perPart);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      `B$${encoding}${fileType}${base36(count)}${base36(i)}${text.slice(i * perPart, (i + 1) * perPart)}`,
    );
  }
  return { parts, encoding, version };
}

/** Text that starts like a BBQr part (as opposed to UR, base64 or hex). */
export function looksLikeBbqr(text: string): boolean {
  return /^\s*B\$/i.test(text);
}

export interface BbqrFile {
  fileType: BbqrFileType;
  encoding: BbqrEncoding;
  data: Uint8Array;
}

interface Header {
  encoding: BbqrEncoding;
  fileType: BbqrFileType;
  total: number;
  index: number;
  body: string;
}

function readHeader(part: string, position: number): Header {
  const m = /^B\$(.)(.)([0-9A-Z]{2})([0-9A-Z]{2})(.*)$/.exec(part);
  if (!m) {
    throw new SendError(
      'BBQR_BAD_HEADER',
      `Part ${position} does not start with a BBQr header (B$, encoding, file type, count, index).`,
      { part: position },
    );
  }
  const [, encoding = '', fileType = '', total = '', index = '', body = ''] = m;
  if (!ENCODINGS.has(encoding)) {
    throw new SendError(
      'BBQR_BAD_HEADER',
      `Part ${position} uses encoding "${encoding}": BBQr knows H, 2 and Z.`,
      {
        part: position,
        encoding,
      },
    );
  }
  if (!FILE_TYPES.has(fileType)) {
    throw new SendError(
      'BBQR_BAD_HEADER',
      `Part ${position} holds file type "${fileType}", which BBQr does not define.`,
      {
        part: position,
        fileType,
      },
    );
  }
  const n = Number.parseInt(total, 36);
  const i = Number.parseInt(index, 36);
  if (n < 1 || i >= n) {
    throw new SendError('BBQR_BAD_HEADER', `Part ${position} says it is number ${i + 1} of ${n}.`, {
      part: position,
    });
  }
  return { encoding: encoding as BbqrEncoding, fileType: fileType as BbqrFileType, total: n, index: i, body };
}

function decodeBody(body: string, encoding: BbqrEncoding, index: number): Uint8Array {
  const bad = () =>
    new SendError('BBQR_BAD_DATA', `Part ${index + 1} is damaged: scan or copy it again.`, {
      part: index + 1,
    });
  if (encoding === 'H') {
    if (!/^([0-9A-F]{2})*$/.test(body)) throw bad();
    return hex.decode(body.toLowerCase());
  }
  try {
    return base32nopad.decode(body);
  } catch {
    throw bad();
  }
}

/** Human part numbers, 1-based, in any language: "2, 5, 7". */
function listParts(indexes: readonly number[]): string {
  const shown = indexes.slice(0, 10).map((i) => String(i + 1));
  if (indexes.length > 10) shown.push('…');
  return shown.join(', ');
}

/**
 * A file from BBQr parts separated by whitespace, in any order; a part read twice is ignored.
 * Parts of different files, missing parts and damaged parts are typed errors naming the part.
 */
export function joinBbqr(input: string | readonly string[]): BbqrFile {
  const parts = (typeof input === 'string' ? input.split(/\s+/) : input)
    .map((p) => p.trim().toUpperCase())
    .filter((p) => p !== '');
  if (parts.length === 0)
    throw new SendError('BBQR_BAD_HEADER', 'Paste the BBQr parts (they start with B$).');
  let first: Header | null = null;
  const bodies = new Map<number, string>();
  parts.forEach((part, i) => {
    const h = readHeader(part, i + 1);
    if (!first) first = h;
    else if (h.encoding !== first.encoding || h.fileType !== first.fileType || h.total !== first.total) {
      throw new SendError(
        'BBQR_MIXED',
        'These parts come from different QR series: paste the parts of one file.',
        {
          part: i + 1,
        },
      );
    }
    const seen = bodies.get(h.index);
    if (seen !== undefined && seen !== h.body) {
      throw new SendError('BBQR_MIXED', `Two different parts say they are number ${h.index + 1}.`, {
        part: h.index + 1,
      });
    }
    bodies.set(h.index, h.body);
  });
  const head = first as Header | null;
  if (!head) throw new SendError('BBQR_BAD_HEADER', 'Paste the BBQr parts (they start with B$).');
  const missing: number[] = [];
  for (let i = 0; i < head.total; i++) if (!bodies.has(i)) missing.push(i);
  if (missing.length > 0) {
    throw new SendError(
      'BBQR_INCOMPLETE',
      `Missing part(s) ${listParts(missing)} of ${head.total}: keep scanning.`,
      { missing: listParts(missing), received: head.total - missing.length, expected: head.total },
    );
  }
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < head.total; i++) chunks.push(decodeBody(bodies.get(i) ?? '', head.encoding, i));
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    joined.set(c, at);
    at += c.length;
  }
  let data: Uint8Array = joined;
  if (head.encoding === 'Z') {
    try {
      // A 15-bit window reads any smaller one, so a sender that used more than 10 bits still works.
      data = Uint8Array.from(inflateRawSync(joined, { windowBits: 15, maxOutputLength: MAX_INFLATED_BYTES }));
    } catch {
      throw new SendError('BBQR_BAD_DATA', 'The compressed data in these parts is damaged: scan them again.');
    }
  }
  return { fileType: head.fileType, encoding: head.encoding, data };
}

/** A PSBT as BBQr parts (file type P). */
export function encodePsbtBbqr(psbt: Uint8Array, options: BbqrSplitOptions = {}): BbqrSplit {
  return splitBbqr(psbt, 'P', options);
}

const FILE_TYPE_NAMES: Readonly<Record<BbqrFileType, string>> = {
  P: 'a PSBT',
  T: 'a finished transaction',
  J: 'JSON',
  C: 'CBOR',
  U: 'text',
  B: 'binary data',
  X: 'a program',
};

/** The PSBT bytes from pasted BBQr parts; a series of another file type is refused by name. */
export function decodePsbtBbqr(text: string): Uint8Array {
  const file = joinBbqr(text);
  if (file.fileType !== 'P') {
    throw new SendError(
      'BBQR_WRONG_TYPE',
      `This BBQr holds ${FILE_TYPE_NAMES[file.fileType]}, not a PSBT. Export the PSBT from the signer.`,
      { fileType: file.fileType },
    );
  }
  return file.data;
}
