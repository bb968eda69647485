import fc from 'fast-check';

/**
 * Mutations of valid samples, so a fuzzer gets past the first checks of a parser (a random string
 * almost never has a valid checksum). Positions are drawn as naturals and taken modulo the current
 * length, which keeps every mutation applicable and lets fast-check shrink them.
 */

type Op =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'splice'; at: number; other: number; from: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 64 }),
  }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), other: fc.nat(), from: fc.nat() }),
);

function applyOp(data: number[], op: Op, samples: readonly (readonly number[])[]): number[] {
  const n = data.length;
  const at = n === 0 ? 0 : op.at % (n + 1);
  const out = [...data];
  switch (op.kind) {
    case 'flip':
      if (n > 0) out[at % n] = (out[at % n] as number) ^ (1 << op.bit);
      return out;
    case 'set':
      if (n > 0) out[at % n] = op.byte;
      return out;
    case 'delete':
      out.splice(at, op.length);
      return out;
    case 'insert':
      out.splice(at, 0, ...op.bytes);
      return out;
    case 'truncate':
      return out.slice(0, at);
    case 'duplicate':
      out.splice(at, 0, ...out.slice(at, at + op.length));
      return out;
    case 'splice': {
      const other = samples[op.other % samples.length] ?? [];
      const from = other.length === 0 ? 0 : op.from % other.length;
      return [...out.slice(0, at), ...other.slice(from)];
    }
  }
}

/** Byte strings made by 1-4 mutations of one of `samples` (read when values are drawn). */
export function mutatedBytes(samples: () => readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.nat(), fc.array(opArb, { minLength: 1, maxLength: 4 })).map(([pick, ops]) => {
    const all = samples().map((s) => Array.from(s));
    let data = all[pick % all.length] ?? [];
    for (const op of ops) data = applyOp(data, op, all);
    return Uint8Array.from(data);
  });
}

/**
 * Text made by 1-4 mutations of one of `samples`, working on UTF-16 code units so lone
 * surrogates and control characters appear too; `alphabet` biases replacements toward
 * characters the format uses (a bech32 typo is more interesting than a random emoji).
 */
export function mutatedString(samples: () => readonly string[], alphabet = ''): fc.Arbitrary<string> {
  const charOp = fc.oneof(
    fc.record({ kind: fc.constant('swapCase' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('alphabet' as const),
      at: fc.nat(),
      pick: fc.nat(),
      insert: fc.boolean(),
    }),
  );
  return fc
    .tuple(fc.nat(), fc.array(fc.oneof(opArb, charOp), { minLength: 1, maxLength: 4 }))
    .map(([pick, ops]) => {
      const all = samples().map(toUnits);
      let data = all[pick % all.length] ?? [];
      for (const op of ops) {
        if (op.kind === 'swapCase' || op.kind === 'alphabet') {
          if (data.length === 0) continue;
          const at = op.at % data.length;
          if (op.kind === 'swapCase') {
            const ch = String.fromCharCode(data[at] as number);
            const swapped = ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase();
            data = [...data.slice(0, at), swapped.charCodeAt(0), ...data.slice(at + 1)];
          } else if (alphabet !== '') {
            const c = alphabet.charCodeAt(op.pick % alphabet.length);
            data = [...data.slice(0, at), c, ...data.slice(op.insert ? at : at + 1)];
          }
          continue;
        }
        // Byte ops act on code units here. With an alphabet, three in four new units come from it
        // (so a mutation mostly stays in the format's character set); the rest keep the raw value.
        data = applyOp(data, alphabet === '' ? op : inAlphabet(op, alphabet), all);
      }
      return fromUnits(data);
    });
}

/** Code units back to a string, in slices (a spread of a long array would overflow the call stack). */
export function fromUnits(units: readonly number[]): string {
  let out = '';
  for (let i = 0; i < units.length; i += 4096) out += String.fromCharCode(...units.slice(i, i + 4096));
  return out;
}

function inAlphabet(op: Op, alphabet: string): Op {
  const pick = (b: number) => (b < 192 ? alphabet.charCodeAt(b % alphabet.length) : b);
  if (op.kind === 'set') return { ...op, byte: pick(op.byte) };
  if (op.kind === 'insert') return { ...op, bytes: op.bytes.map(pick) };
  return op;
}

function toUnits(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  return out;
}

/** Strings that have broken parsers before: control characters, surrogates, escapes, injections. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\u202e',
  '\ufeff',
  '%',
  '%zz',
  '%%',
  '%E0%A4%A',
  '%ff',
  '%00',
  '\\',
  '"',
  "'",
  '\n',
  '\r\n',
  '\t',
  '../../../../etc/passwd',
  "' OR 1=1 --",
  '${7*7}',
  '<script>',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  'null',
  'undefined',
  '[]',
  '{}',
  '😀',
  '\u0301',
];

/** Text of arbitrary UTF-16 code units: lone surrogates included, which well-formed generators never give. */
export function utf16Text(maxLength = 200): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    maxLength,
  });
}

/** Random text in several flavours: ASCII, full Unicode, raw UTF-16 units, and the nasty list. */
export function anyText(maxLength = 200): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'grapheme-ascii', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    utf16Text(maxLength),
    fc.constantFrom(...NASTY_STRINGS),
    fc.array(fc.constantFrom(...NASTY_STRINGS), { maxLength: 6 }).map((parts) => parts.join('')),
  );
}

/** Random text built from `alphabet` (e.g. base58 or bech32 characters), to land in the right character class. */
export function textFrom(alphabet: string, minLength = 0, maxLength = 120): fc.Arbitrary<string> {
  return fc
    .array(fc.integer({ min: 0, max: alphabet.length - 1 }), { minLength, maxLength })
    .map((idx) => idx.map((i) => alphabet[i]).join(''));
}

/** `samples` mutated, random text, and text over `alphabet`, in one arbitrary. */
export function fuzzText(samples: () => readonly string[], alphabet = ''): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: mutatedString(samples, alphabet), weight: 5 },
    { arbitrary: fc.nat().map((i) => samples()[i % samples().length] ?? ''), weight: 1 },
    { arbitrary: anyText(), weight: 2 },
    ...(alphabet !== '' ? [{ arbitrary: textFrom(alphabet), weight: 2 }] : []),
  );
}

/** The text with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed, for ES2022 typings). */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
