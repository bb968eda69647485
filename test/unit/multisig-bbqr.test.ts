import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { create as createQr } from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  decodePsbtBbqr,
  encodePsbtBbqr,
  joinBbqr,
  qrAlnumCapacity,
  splitBbqr,
  type BbqrEncoding,
} from '../../main/bitcoin/send/bbqr';
import { importPsbt } from '../../main/bitcoin/send/psbt';

/** Test files of the BBQr spec's repository (github.com/coinkite/BBQr, test_data/, public domain). */
const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../fixtures/bbqr', name));

const ALNUM = /^[0-9A-Z $%*+\-./:]+$/;

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return (err as { details?: { reason?: string } }).details?.reason;
  }
  return 'no error';
}

describe('BBQr (Coinkite BBQr.md)', () => {
  it('joins the spec repository’s real scan: Z-encoded text, parts out of order and read many times', () => {
    const lines = fixture('real-scan.txt')
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const indexes = lines.map((l) => l.slice(6, 8));
    expect(new Set(indexes).size).toBeLessThan(lines.length); // the scan holds repeats
    expect(indexes[0]).not.toBe('00'); // and starts mid-series
    const file = joinBbqr(lines);
    expect(file.fileType).toBe('U');
    expect(file.encoding).toBe('Z');
    const text = new TextDecoder().decode(file.data);
    expect(text).toContain('Zlib compressed');
    expect(text).toContain('PSBT');
  });

  it('a series of another file type is refused where a PSBT is expected', () => {
    expect(reasonOf(() => decodePsbtBbqr(fixture('real-scan.txt').toString('utf8')))).toBe('BBQR_WRONG_TYPE');
  });

  describe.each(['1in2out.psbt', '1in10out.psbt', '1in100out.psbt'])('round trips of %s', (name) => {
    const psbt = new Uint8Array(fixture(name));
    it.each<BbqrEncoding>(['H', '2', 'Z'])('encoding %s', (encoding) => {
      const split = encodePsbtBbqr(psbt, { encoding });
      expect(split.encoding).toBe(encoding);
      const total = split.parts.length;
      split.parts.forEach((p, i) => {
        expect(p.slice(0, 8)).toBe(
          `B$${encoding}P${total.toString(36).toUpperCase().padStart(2, '0')}${i
            .toString(36)
            .toUpperCase()
            .padStart(2, '0')}`,
        );
        expect(p).toMatch(ALNUM);
        expect(p.length).toBeLessThanOrEqual(qrAlnumCapacity(split.version));
      });
      // Every part but the last has the same length, a whole number of bytes.
      const unit = encoding === 'H' ? 2 : 8;
      const lengths = split.parts.map((p) => p.length - 8);
      for (const l of lengths.slice(0, -1)) {
        expect(l).toBe(lengths[0]);
        expect(l % unit).toBe(0);
      }
      const shuffled = [...split.parts].reverse();
      expect(decodePsbtBbqr([...shuffled, split.parts[0] ?? ''].join('\n'))).toEqual(psbt);
      expect(importPsbt(split.parts.join(' '), 'mainnet').toBase64()).toBe(
        Buffer.from(psbt).toString('base64'),
      );
    });
  });

  it('Z compresses PSBTs with a 10-bit window; 2 is used when compression does not help', () => {
    const psbt = new Uint8Array(fixture('1in100out.psbt'));
    const z = joinBbqr(encodePsbtBbqr(psbt, { encoding: 'Z' }).parts);
    expect(z.data).toEqual(psbt);
    const zChars = encodePsbtBbqr(psbt, { encoding: 'Z' }).parts.join('').length;
    const b32Chars = encodePsbtBbqr(psbt, { encoding: '2' }).parts.join('').length;
    expect(zChars).toBeLessThan(b32Chars * 0.8);
    const random = Uint8Array.from({ length: 600 }, (_, i) => (i * 7919 + ((i * i) >> 3)) & 0xff);
    const noisy = new Uint8Array(600);
    crypto.getRandomValues(noisy);
    expect(encodePsbtBbqr(noisy, { encoding: 'Z' }).encoding).toBe('2');
    expect(joinBbqr(encodePsbtBbqr(random).parts).data).toEqual(random);
  });

  it('each part fits the chosen QR version in alphanumeric mode at level L', () => {
    const psbt = new Uint8Array(fixture('1in100out.psbt'));
    for (const version of [5, 12, 27]) {
      const split = encodePsbtBbqr(psbt, { encoding: 'H', version });
      expect(split.version).toBe(version);
      for (const part of split.parts) {
        const qr = createQr(part, { version, errorCorrectionLevel: 'L' });
        expect(qr.version).toBe(version);
        expect(qr.segments.every((s) => s.mode.id !== 'Byte')).toBe(true);
      }
      // Fewer parts would not have fitted: the parts are as large as the version allows.
      const perPart = Math.floor((qrAlnumCapacity(version) - 8) / 2) * 2;
      expect(split.parts.length).toBe(Math.ceil((psbt.length * 2) / perPart));
    }
  });

  it('a small PSBT takes one code of the smallest version that holds it; a large one splits at version 12', () => {
    const small = encodePsbtBbqr(new Uint8Array(fixture('1in2out.psbt')).slice(0, 200), { encoding: '2' });
    expect(small.version).toBe(9); // 8 + 320 characters: version 8 holds 279, version 9 holds 335
    expect(small.parts).toHaveLength(1);
    expect(qrAlnumCapacity(small.version)).toBeGreaterThanOrEqual(small.parts[0]?.length ?? 0);
    expect(qrAlnumCapacity(small.version - 1)).toBeLessThan(small.parts[0]?.length ?? 0);
    const large = encodePsbtBbqr(new Uint8Array(fixture('1in100out.psbt')), { encoding: 'H' });
    expect(large.version).toBe(12);
    expect(large.parts.length).toBeGreaterThan(1);
  });

  it('missing parts are named, 1-based', () => {
    const { parts } = encodePsbtBbqr(new Uint8Array(fixture('1in100out.psbt')), {
      encoding: 'H',
      version: 10,
    });
    expect(parts.length).toBeGreaterThan(5);
    const some = parts.filter((_, i) => i !== 1 && i !== 4);
    try {
      joinBbqr(some);
      throw new Error('joined');
    } catch (err) {
      const e = err as { details: Record<string, unknown>; message: string };
      expect(e.details['reason']).toBe('BBQR_INCOMPLETE');
      expect(e.details['missing']).toBe('2, 5');
      expect(e.details['expected']).toBe(parts.length);
      expect(e.message).toContain('2, 5 of');
    }
  });

  it('bad input is a typed error, never a crash', () => {
    const { parts } = encodePsbtBbqr(new Uint8Array(fixture('1in10out.psbt')), { encoding: 'H', version: 8 });
    const other = encodePsbtBbqr(new Uint8Array(fixture('1in2out.psbt')), {
      encoding: 'H',
      version: 8,
    }).parts;
    expect(reasonOf(() => joinBbqr('B%HP0100AB'))).toBe('BBQR_BAD_HEADER');
    expect(reasonOf(() => joinBbqr('B$'))).toBe('BBQR_BAD_HEADER');
    expect(reasonOf(() => joinBbqr('B$QP0100AB'))).toBe('BBQR_BAD_HEADER'); // unknown encoding
    expect(reasonOf(() => joinBbqr('B$HQ0100AB'))).toBe('BBQR_BAD_HEADER'); // unknown file type
    expect(reasonOf(() => joinBbqr('B$HP0202AB'))).toBe('BBQR_BAD_HEADER'); // index past the end
    expect(reasonOf(() => joinBbqr('B$HP0000'))).toBe('BBQR_BAD_HEADER'); // no parts
    expect(reasonOf(() => joinBbqr(`${parts[0]} ur:crypto-psbt/abc`))).toBe('BBQR_BAD_HEADER');
    expect(reasonOf(() => joinBbqr([parts[0] ?? '', other[1] ?? '']))).toBe('BBQR_MIXED');
    expect(
      reasonOf(() =>
        joinBbqr([
          parts[0] ?? '',
          (parts[0] ?? '').slice(0, -2) + ((parts[0] ?? '').endsWith('00') ? '11' : '00'),
        ]),
      ),
    ).toBe('BBQR_MIXED');
    expect(reasonOf(() => joinBbqr('B$HP0100ABC'))).toBe('BBQR_BAD_DATA'); // odd hex
    expect(reasonOf(() => joinBbqr('B$2P0100A1'))).toBe('BBQR_BAD_DATA'); // 1 is not base32
    expect(reasonOf(() => joinBbqr('B$ZP0100AAAAAAAA'))).toBe('BBQR_BAD_DATA'); // not deflate
    expect(reasonOf(() => decodePsbtBbqr('B$HP01004142'))).toBe('no error'); // two bytes, not a PSBT yet
    expect(reasonOf(() => importPsbt('B$HP01004142', 'mainnet'))).toBe('BAD_PSBT');
    expect(reasonOf(() => splitBbqr(new Uint8Array(10), 'P', { version: 41 }))).toBe('BBQR_BAD_VERSION');
    expect(reasonOf(() => splitBbqr(new Uint8Array(0), 'P'))).toBe('BBQR_BAD_DATA');
  });

  it('lower-case text from a scanner that changed case still reads', () => {
    const psbt = new Uint8Array(fixture('1in10out.psbt'));
    const text = encodePsbtBbqr(psbt).parts.join('\n').toLowerCase();
    expect(decodePsbtBbqr(text)).toEqual(psbt);
  });
});
