import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bip329Record, LabelType } from '../../main/bitcoin/coins/bip329';
import { formatBip329, LABEL_TYPES, MAX_LABEL_LENGTH, parseBip329 } from '../../main/bitcoin/coins/bip329';
import { parseLine, ProtocolViolation } from '../../main/bitcoin/electrum/json-rpc';
import { LineSplitter, LineTooLongError } from '../../main/bitcoin/electrum/line-splitter';
import { checkProperty, fuzzParams, leakIn, parsesOrThrowsTyped } from './support/config';
import { anyText, mutatedBytes, mutatedString, utf16Text } from './support/mutate';

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

/** A reference of the right shape for each BIP329 type. */
const refFor: Record<LabelType, fc.Arbitrary<string>> = {
  tx: hex(64),
  addr: fc.constantFrom(
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    'bcrt1qq07svpujw3p2jrfvgurpsp8alkq8elx0lcp25phlhlsfwjz8l5ust8gxfk',
  ),
  pubkey: fc.oneof(hex(64), hex(66)),
  input: fc.tuple(hex(64), fc.nat({ max: 5000 })).map(([t, n]) => `${t}:${n}`),
  output: fc.tuple(hex(64), fc.nat({ max: 5000 })).map(([t, n]) => `${t}:${n}`),
  xpub: fc.stringMatching(/^[1-9A-HJ-NP-Za-km-z]{111}$/),
};

/** A record as another wallet (Sparrow, Bitcoin Core's tools) would export it. */
const record: fc.Arbitrary<Bip329Record> = fc
  .constantFrom(...LABEL_TYPES)
  .chain((type) =>
    fc.record(
      {
        type: fc.constant(type),
        ref: refFor[type],
        label: fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 80 })
          .filter((l) => l.trim() === l && l !== '' && !/[\r\n]/.test(l)),
        origin: fc.constantFrom("wpkh([d34db33f/84'/0'/0'])", "tr([12345678/86'/1'/0'])"),
        spendable: fc.boolean(),
      },
      { requiredKeys: ['type', 'ref', 'label'] },
    ),
  )
  .map((r) => (r.type === 'output' ? r : { ...r, spendable: undefined }))
  .map(
    (r) =>
      Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as unknown as Bip329Record,
  );

const VALID_LINES = fc.sample(record, { numRuns: 30, seed: 3 }).map(formatBip329);

/** A whole import: valid lines, mutated lines, hostile JSON values and raw text, joined in any style. */
const importText: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { arbitrary: record.map(formatBip329), weight: 3 },
        { arbitrary: mutatedString(() => VALID_LINES, '{}[]":,0123456789abcdef \\'), weight: 4 },
        {
          arbitrary: fc
            .record(
              {
                type: fc.oneof(fc.constantFrom(...LABEL_TYPES), fc.jsonValue()),
                ref: fc.oneof(fc.string(), fc.jsonValue()),
                label: fc.oneof(fc.string(), utf16Text(300), fc.jsonValue(), fc.constant('x'.repeat(400))),
                origin: fc.oneof(fc.string(), fc.jsonValue()),
                spendable: fc.jsonValue(),
                __proto__: fc.jsonValue(),
              },
              { requiredKeys: [] },
            )
            .map((o) => JSON.stringify(o)),
          weight: 2,
        },
        { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), weight: 1 },
        { arbitrary: anyText(), weight: 1 },
      ),
      { maxLength: 12 },
    ),
    fc.constantFrom('\n', '\r\n', '\n\n', '\r'),
    fc.boolean(),
  )
  .map(([lines, sep, bom]) => (bom ? '\ufeff' : '') + lines.join(sep));

describe('fuzz: BIP329 label import', () => {
  it('parseBip329 never throws, and every problem names a line that exists', async () => {
    await checkProperty(
      'bip329.parse',
      fc.property(importText, (text) => {
        const out = parseBip329(text);
        const lineCount = text.split('\n').length;
        for (const issue of [...out.errors, ...out.warnings]) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(lineCount);
          expect(leakIn(issue.message)).toBeNull();
        }
        for (const { record: r } of out.records) {
          expect(LABEL_TYPES).toContain(r.type);
          if (typeof r.label === 'string') {
            expect([...r.label].length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
            // What the store can keep: SQLite's length() stops at a NUL, so none may get through.
            expect(r.label.includes('\u0000')).toBe(false);
          }
          expect(r.label !== undefined || r.spendable !== undefined).toBe(true);
        }
      }),
      fuzzParams(400),
    );
  });

  it('reads back every record it writes', async () => {
    await checkProperty(
      'bip329.roundtrip',
      fc.property(fc.array(record, { minLength: 1, maxLength: 10 }), (records) => {
        const out = parseBip329(records.map(formatBip329).join('\n'));
        expect(out.errors).toEqual([]);
        expect(out.records.map((r) => r.record)).toEqual(
          records.map((r) => ({
            ...r,
            ref: r.type === 'addr' && /^(bc|tb|bcrt)1/i.test(r.ref) ? r.ref.toLowerCase() : r.ref,
          })),
        );
      }),
      fuzzParams(200),
    );
  });
});

/** JSON-RPC replies as an Electrum server sends them (protocol 1.4), one per line. */
const rpcMessage = fc.oneof(
  fc.record({ jsonrpc: fc.constant('2.0'), id: fc.oneof(fc.nat(), fc.string()), result: fc.jsonValue() }),
  fc.record({
    jsonrpc: fc.constant('2.0'),
    id: fc.oneof(fc.nat(), fc.constant(null)),
    error: fc.oneof(fc.record({ code: fc.integer(), message: fc.string() }), fc.string(), fc.jsonValue()),
  }),
  fc.record({
    jsonrpc: fc.constant('2.0'),
    method: fc.constantFrom('blockchain.headers.subscribe', 'blockchain.scripthash.subscribe'),
    params: fc.array(fc.jsonValue(), { maxLength: 3 }),
  }),
);
const VALID_RPC = fc
  .sample(fc.oneof(rpcMessage, fc.array(rpcMessage, { minLength: 1, maxLength: 3 })), {
    numRuns: 30,
    seed: 9,
  })
  .map((m) => JSON.stringify(m));

/** Deep nesting a hostile server may send to exhaust the stack. */
const deepJson = fc
  .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), fc.boolean())
  .map(([depth, open, batch]) => {
    const close = open === '[' ? ']' : '}';
    const inner = `${open.repeat(depth)}1${close.repeat(depth)}`;
    return batch ? `[${inner}]` : `{"jsonrpc":"2.0","id":1,"error":${inner}}`;
  });

const rpcLine: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: rpcMessage.map((m) => JSON.stringify(m)), weight: 2 },
  { arbitrary: mutatedString(() => VALID_RPC, '{}[]":,0123456789-.eE \\ntrufals'), weight: 4 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'), weight: 2 },
  { arbitrary: deepJson, weight: 1 },
  { arbitrary: anyText(), weight: 1 },
);

describe('fuzz: Electrum JSON-RPC lines', () => {
  it('parseLine gives messages or a ProtocolViolation for any line', async () => {
    await checkProperty(
      'electrum.parseLine',
      fc.property(rpcLine, (line) => {
        const r = parsesOrThrowsTyped(
          () => parseLine(line),
          (e) => e instanceof ProtocolViolation,
        );
        if (r.ok) {
          expect(r.value.length).toBeGreaterThan(0);
          for (const m of r.value) {
            if (m.kind === 'notification') expect(Array.isArray(m.params)).toBe(true);
            if (m.kind === 'error') expect(typeof m.message).toBe('string');
          }
        }
      }),
      fuzzParams(500),
    );
  });

  it('the line splitter gives the same lines however the stream is cut into chunks', async () => {
    const stream = fc.oneof(
      fc.array(rpcLine, { maxLength: 8 }).map((lines) => Buffer.from(lines.join('\n') + '\n', 'utf8')),
      mutatedBytes(() => VALID_RPC.map((l) => Buffer.from(`${l}\n${l}\r\n`, 'utf8'))).map((b) =>
        Buffer.from(b),
      ),
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
    );
    await checkProperty(
      'electrum.lineSplitter',
      fc.property(
        stream,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 1, max: 2048 }),
        (bytes, cuts, limit) => {
          const whole = splitAll(new LineSplitter(limit), [bytes]);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let last = 0;
          for (const p of [...points, bytes.length]) {
            chunks.push(bytes.subarray(last, p));
            last = p;
          }
          const pieces = splitAll(new LineSplitter(limit), chunks);
          if (whole.error || pieces.error) {
            // A line over the limit is refused whichever way it arrives (possibly earlier when cut).
            expect(whole.error || pieces.error).toBe(true);
            return;
          }
          expect(pieces.lines).toEqual(whole.lines);
          // What the splitter yields is what a split on newlines gives, blank lines dropped.
          const text = bytes.toString('utf8');
          const complete = text.slice(0, text.lastIndexOf('\n') + 1);
          const expected = complete
            .split('\n')
            .slice(0, -1)
            .map((l) => l.trim())
            .filter((l) => l !== '');
          if (!/[\ud800-\udfff\ufffd]/.test(text)) expect(whole.lines).toEqual(expected);
        },
      ),
      fuzzParams(400),
    );
  });
});

function splitAll(splitter: LineSplitter, chunks: Buffer[]): { lines: string[]; error: boolean } {
  const lines: string[] = [];
  try {
    for (const c of chunks) lines.push(...splitter.push(c));
    return { lines, error: false };
  } catch (err) {
    if (!(err instanceof LineTooLongError)) throw err;
    return { lines, error: true };
  }
}
