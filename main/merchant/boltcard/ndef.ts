import { Ntag424Error } from './ntag424-ev2';

/**
 * The NDEF file of a Bolt card (NFC Forum Type 4 tag: a 2-byte length, then one short URI
 * record with no abbreviation, since `lnurlw://` has no prefix code). The card writes `p` and
 * `c` into the placeholders on every read, at offsets counted from the start of the file.
 */

export const P_PLACEHOLDER = '0'.repeat(32);
export const C_PLACEHOLDER = '0'.repeat(16);

export interface BoltcardNdef {
  file: Uint8Array;
  /** Where the card mirrors the encrypted PICC data (`p`), 32 hex characters. */
  piccOffset: number;
  /** Where it writes the SUN MAC (`c`), 16 hex characters; MAC input is empty (offset = same). */
  macOffset: number;
}

/** The file for `lnurlw://host/path`, with `?p=…&c=…` placeholders appended. */
export function boltcardNdef(lnurlw: string): BoltcardNdef {
  if (!/^lnurlw:\/\/[^\s?#]+$/i.test(lnurlw)) throw new Ntag424Error(`not a card URL: ${lnurlw}`);
  const url = `${lnurlw}?p=${P_PLACEHOLDER}&c=${C_PLACEHOLDER}`;
  const uri = new TextEncoder().encode(url);
  const payload = uri.length + 1;
  if (payload > 255 - 4) throw new Ntag424Error('the card URL is too long for one short record');
  const record = Uint8Array.of(0xd1, 0x01, payload, 0x55, 0x00);
  const message = new Uint8Array(record.length + uri.length);
  message.set(record);
  message.set(uri, record.length);
  const file = new Uint8Array(2 + message.length);
  file[0] = message.length >> 8;
  file[1] = message.length & 0xff;
  file.set(message, 2);
  const start = 2 + record.length;
  return {
    file,
    piccOffset: start + url.indexOf('?p=') + 3,
    macOffset: start + url.indexOf('&c=') + 3,
  };
}

const URI_PREFIXES: readonly string[] = ['', 'http://www.', 'https://www.', 'http://', 'https://'];

/** The URI of the first record of an NDEF message (without its 2-byte length), or null. */
export function ndefUri(message: Uint8Array): string | null {
  const header = message[0];
  if (header === undefined || (header & 0x07) !== 0x01) return null;
  const short = (header & 0x10) !== 0;
  const typeLength = message[1] ?? 0;
  let at = 2;
  let payloadLength: number;
  if (short) payloadLength = message[at++] ?? 0;
  else {
    payloadLength =
      ((message[at] ?? 0) << 24) |
      ((message[at + 1] ?? 0) << 16) |
      ((message[at + 2] ?? 0) << 8) |
      (message[at + 3] ?? 0);
    at += 4;
  }
  if ((header & 0x08) !== 0) at += 1 + (message[at] ?? 0);
  const type = message.subarray(at, at + typeLength);
  at += typeLength;
  if (type.length !== 1 || type[0] !== 0x55 || payloadLength < 1 || at + payloadLength > message.length)
    return null;
  const prefix = URI_PREFIXES[message[at] ?? 0xff];
  if (prefix === undefined) return null;
  try {
    return (
      prefix + new TextDecoder('utf-8', { fatal: true }).decode(message.subarray(at + 1, at + payloadLength))
    );
  } catch {
    return null;
  }
}
