import type * as BcUr from '@ngraveio/bc-ur';
import { lazyRequire } from '../../core/lazy-require';
import { SendError } from './errors';

/** Loaded when a PSBT is first shown or read as UR: start-up does not pay for it. */
const bcUr = lazyRequire<typeof BcUr>('@ngraveio/bc-ur');

/** BCR-2020-006: a PSBT as a CBOR byte string. `psbt` is the newer registry name for the same thing. */
export const UR_PSBT_TYPE = 'crypto-psbt';
const ACCEPTED_TYPES = new Set([UR_PSBT_TYPE, 'psbt']);

/** Fragment size that keeps each QR at a density phones and hardware cameras read quickly. */
export const DEFAULT_UR_FRAGMENT = 200;
export const MIN_UR_FRAGMENT = 10;
export const MAX_UR_FRAGMENT = 2000;

/** Text that looks like one or more UR parts (as opposed to base64 or hex). */
export function looksLikeUr(text: string): boolean {
  return /^\s*ur:/i.test(text);
}

/**
 * The PSBT as UR parts for an animated QR. One part when it fits in a fragment; otherwise the
 * pure fragments followed by three times as many mixed fountain parts: a camera decoder that
 * cannot read one particular frame (it then misses it on every loop) still completes from the
 * mixed parts, which carry each fragment several times over.
 */
export function encodePsbtUr(psbt: Uint8Array, maxFragmentLength = DEFAULT_UR_FRAGMENT): string[] {
  if (!Number.isInteger(maxFragmentLength) || maxFragmentLength < MIN_UR_FRAGMENT) {
    throw new SendError('BAD_UR', `A UR fragment is at least ${MIN_UR_FRAGMENT} bytes.`);
  }
  const { UR, UREncoder } = bcUr();
  const ur = new UR(cborByteString(psbt), UR_PSBT_TYPE);
  const encoder = new UREncoder(ur, Math.min(maxFragmentLength, MAX_UR_FRAGMENT));
  if (encoder.fragmentsLength === 1) return [UREncoder.encodeSinglePart(ur)];
  const parts: string[] = [];
  for (let i = 0; i < encoder.fragmentsLength * 4; i++) parts.push(encoder.nextPart());
  return parts;
}

/**
 * The PSBT bytes from pasted UR text: parts separated by whitespace, in any order, duplicates and
 * gaps allowed as long as the fountain code can rebuild the message.
 */
export function decodePsbtUr(text: string): Uint8Array {
  const parts = text
    .split(/\s+/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new SendError('BAD_UR', 'Paste the ur:crypto-psbt text.');
  const decoder = new (bcUr().URDecoder)();
  let type: string | null = null;
  parts.forEach((part, i) => {
    const parsedType = urTypeOf(part, i);
    if (!ACCEPTED_TYPES.has(parsedType)) {
      throw new SendError(
        'UR_UNKNOWN_TYPE',
        `This QR holds a ur:${parsedType}, not a ur:crypto-psbt. Export the PSBT from the signer.`,
        { urType: parsedType },
      );
    }
    if (type !== null && parsedType !== type) {
      throw new SendError('BAD_UR', 'The parts come from different QR codes: paste the parts of one PSBT.');
    }
    type = parsedType;
    try {
      decoder.receivePart(part);
    } catch {
      throw new SendError('BAD_UR', `Part ${i + 1} is damaged: copy or scan it again.`, { part: i + 1 });
    }
  });
  if (decoder.isError()) {
    throw new SendError('BAD_UR', 'The parts do not belong to the same PSBT: scan it again.');
  }
  if (!decoder.isSuccess()) {
    const expected = decoder.expectedPartCount();
    throw new SendError(
      'UR_INCOMPLETE',
      `The animated QR is not complete: keep scanning until all ${expected} parts are read.`,
      { received: decoder.receivedPartIndexes().length, expected },
    );
  }
  let payload: unknown;
  try {
    payload = decoder.resultUR().decodeCBOR();
  } catch {
    throw new SendError('BAD_UR', 'The UR payload is not valid CBOR.');
  }
  if (!(payload instanceof Uint8Array) || payload.length === 0) {
    throw new SendError('BAD_UR', 'The UR payload is not a PSBT byte string.');
  }
  return Uint8Array.from(payload);
}

function urTypeOf(part: string, index: number): string {
  const match = /^ur:([^/]+)\//i.exec(part);
  if (!match?.[1]) {
    throw new SendError('BAD_UR', `Part ${index + 1} does not start with ur:crypto-psbt/.`, {
      part: index + 1,
    });
  }
  return match[1].toLowerCase();
}

/** CBOR major type 2 (byte string) header plus the bytes; bc-ur wants a Node Buffer. */
function cborByteString(bytes: Uint8Array): Buffer {
  const n = bytes.length;
  let head: number[];
  if (n < 24) head = [0x40 | n];
  else if (n < 0x100) head = [0x58, n];
  else if (n < 0x10000) head = [0x59, n >> 8, n & 0xff];
  else head = [0x5a, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(head), Buffer.from(bytes)]);
}
