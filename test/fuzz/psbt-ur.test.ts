import { HDKey } from '@scure/bip32';
import { base64, hex } from '@scure/base';
import { networks, Psbt, Transaction } from 'bitcoinjs-lib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Network } from '../../shared/contract';
import { SendError } from '../../main/bitcoin/send/errors';
import { importPsbt } from '../../main/bitcoin/send/psbt';
import { decodePsbtUr, encodePsbtUr } from '../../main/bitcoin/send/ur';
import { checkProperty, fuzzParams, parsesOrThrowsTyped } from './support/config';
import { anyText, mutatedBytes, mutatedString, textFrom } from './support/mutate';

const isSendError = (err: unknown) => err instanceof SendError;
const ROOT = HDKey.fromMasterSeed(new Uint8Array(32).fill(3));
const FINGERPRINT = Uint8Array.from([0xde, 0xad, 0xbe, 0xef]);
const ACCOUNT = ROOT.derive("m/84'/1'/0'");
const pubkeys = new Map<string, Uint8Array>();
/** Public key of chain/index under the test account, derived once (EC math is the slow part here). */
function pubkeyAt(chain: 0 | 1, index: number): Uint8Array {
  const id = `${chain}/${index}`;
  let key = pubkeys.get(id);
  if (!key) {
    key = ACCOUNT.deriveChild(chain).deriveChild(index).publicKey as Uint8Array;
    pubkeys.set(id, key);
  }
  return key;
}

interface InputSpec {
  prevOutputs: { script: Uint8Array; value: bigint }[];
  vout: number;
  withPrevTx: boolean;
  keyIndex: number;
  sequence: number;
}

const script = fc.oneof(
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((h) => Uint8Array.from([0x00, 0x14, ...h])),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((h) => Uint8Array.from([0x51, 0x20, ...h])),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((h) => Uint8Array.from([0xa9, 0x14, ...h, 0x87])),
  fc.uint8Array({ maxLength: 40 }).map((d) => Uint8Array.from([0x6a, d.length, ...d])),
);
const isTaproot = (s: Uint8Array) => s.length === 34 && s[0] === 0x51 && s[1] === 0x20;
const value = fc.bigInt({ min: 0n, max: 2_100_000_000_000_000n });

const inputSpec: fc.Arbitrary<InputSpec> = fc
  .record({
    prevOutputs: fc.array(fc.record({ script, value }), { minLength: 1, maxLength: 3 }),
    vout: fc.nat(),
    withPrevTx: fc.boolean(),
    keyIndex: fc.nat({ max: 50 }),
    sequence: fc.constantFrom(0xffffffff, 0xfffffffd, 0),
  })
  .map((s) => ({ ...s, vout: s.vout % s.prevOutputs.length }));

/**
 * A well-formed PSBT the way wallets write them: inputs with a witness UTXO or the whole previous
 * transaction, BIP32 derivations, outputs with and without key origins.
 */
const validPsbt: fc.Arbitrary<Uint8Array> = fc
  .record({
    inputs: fc.array(inputSpec, { minLength: 1, maxLength: 3 }),
    outputs: fc.array(fc.record({ script, value, ours: fc.boolean(), keyIndex: fc.nat({ max: 50 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    locktime: fc.nat({ max: 800_000 }),
  })
  .map(({ inputs, outputs, locktime }) => {
    const psbt = new Psbt({ network: networks.regtest });
    psbt.setLocktime(locktime);
    inputs.forEach((spec, i) => {
      const prev = new Transaction();
      prev.addInput(new Uint8Array(32).fill(i + 1), i);
      for (const o of spec.prevOutputs) prev.addOutput(o.script, o.value);
      const spent = spec.prevOutputs[spec.vout] as { script: Uint8Array; value: bigint };
      psbt.addInput({
        hash: prev.getId(),
        index: spec.vout,
        sequence: spec.sequence,
        ...(spec.withPrevTx
          ? { nonWitnessUtxo: prev.toBuffer() }
          : { witnessUtxo: { script: spent.script, value: spent.value } }),
        // bitcoinjs refuses BIP32 (non-taproot) fields on a taproot input.
        ...(isTaproot(spent.script)
          ? {}
          : {
              bip32Derivation: [
                {
                  masterFingerprint: FINGERPRINT,
                  path: `m/84'/1'/0'/0/${spec.keyIndex}`,
                  pubkey: pubkeyAt(0, spec.keyIndex),
                },
              ],
            }),
      });
    });
    for (const o of outputs) {
      psbt.addOutput({
        script: o.script,
        value: o.value,
        ...(o.ours && !isTaproot(o.script)
          ? {
              bip32Derivation: [
                {
                  masterFingerprint: FINGERPRINT,
                  path: `m/84'/1'/0'/1/${o.keyIndex}`,
                  pubkey: pubkeyAt(1, o.keyIndex),
                },
              ],
            }
          : {}),
      });
    }
    return psbt.toBuffer();
  });

const network = fc.constantFrom<Network>('mainnet', 'testnet', 'signet', 'regtest');

/** A few fixed valid PSBTs to mutate (splices mix them), drawn once from the same generator. */
const SAMPLES = fc.sample(validPsbt, { numRuns: 12, seed: 7 });

/** PSBT bytes: valid, mutated valid, or random. */
const psbtBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: validPsbt, weight: 1 },
  { arbitrary: mutatedBytes(() => SAMPLES), weight: 6 },
  { arbitrary: validPsbt.chain((p) => mutatedBytes(() => [p])), weight: 2 },
  {
    arbitrary: fc
      .uint8Array({ maxLength: 300 })
      .map((b) => Uint8Array.from([0x70, 0x73, 0x62, 0x74, 0xff, ...b])),
    weight: 1,
  },
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
);

/** PSBT text as users paste it: base64 or hex of (mutated) PSBTs, and mutated text itself. */
const psbtText: fc.Arbitrary<string> = fc.oneof(
  psbtBytes.map((b) => base64.encode(b)),
  psbtBytes.map((b) => hex.encode(b)),
  psbtBytes.map((b) => hex.encode(b).toUpperCase()),
  mutatedString(
    () => SAMPLES.map((b) => base64.encode(b)),
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n',
  ),
  mutatedString(() => SAMPLES.map((b) => hex.encode(b)), '0123456789abcdefABCDEF \n'),
  anyText(),
);

describe('fuzz: PSBT import', () => {
  it('importPsbt takes any file bytes: a PSBT or a SendError', async () => {
    await checkProperty(
      'psbt.bytes',
      fc.property(psbtBytes, network, (bytes, net) => {
        parsesOrThrowsTyped(() => importPsbt(bytes, net), isSendError);
      }),
      fuzzParams(500),
    );
  });

  it('importPsbt takes any pasted text: a PSBT or a SendError', async () => {
    await checkProperty(
      'psbt.text',
      fc.property(psbtText, network, (text, net) => {
        parsesOrThrowsTyped(() => importPsbt(text, net), isSendError);
      }),
      fuzzParams(500),
    );
  });

  it('reads back every valid PSBT unchanged, from bytes, base64 and hex', async () => {
    await checkProperty(
      'psbt.roundtrip',
      fc.property(validPsbt, (bytes) => {
        const want = hex.encode(bytes);
        expect(hex.encode(importPsbt(bytes, 'regtest').toBuffer())).toBe(want);
        expect(hex.encode(importPsbt(base64.encode(bytes), 'regtest').toBuffer())).toBe(want);
        expect(hex.encode(importPsbt(want, 'regtest').toBuffer())).toBe(want);
      }),
      fuzzParams(100),
    );
  });
});

const BYTEWORDS_LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** UR parts of a valid PSBT at a fragment size small enough to need several parts. */
const urParts: fc.Arbitrary<{ psbt: Uint8Array; parts: string[] }> = fc
  .tuple(validPsbt, fc.integer({ min: 10, max: 400 }))
  .map(([psbt, frag]) => ({ psbt, parts: encodePsbtUr(psbt, frag) }));

const UR_SAMPLES = fc.sample(urParts, { numRuns: 6, seed: 11 });

/** Ways a scan goes wrong: damaged, dropped, repeated, reordered, or mixed-up parts. */
const damagedUr: fc.Arbitrary<string> = fc.oneof(
  // One part damaged, the rest intact.
  fc
    .tuple(urParts, fc.nat())
    .chain(([{ parts }, which]) =>
      mutatedString(() => [parts[which % parts.length] as string], `${BYTEWORDS_LETTERS}/-:0123456789`).map(
        (bad) => parts.map((p, i) => (i === which % parts.length ? bad : p)).join('\n'),
      ),
    ),
  // A subset of the parts, shuffled and repeated.
  urParts.chain(({ parts }) =>
    fc
      .array(fc.nat({ max: parts.length - 1 }), { maxLength: parts.length * 2 })
      .map((idx) => idx.map((i) => parts[i]).join(' ')),
  ),
  // Parts of two different PSBTs mixed.
  fc
    .tuple(fc.nat(), fc.nat(), fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }))
    .map(([a, b, pick]) => {
      const pa = (UR_SAMPLES[a % UR_SAMPLES.length] as { parts: string[] }).parts;
      const pb = (UR_SAMPLES[b % UR_SAMPLES.length] as { parts: string[] }).parts;
      return pick.map((usePb, i) => (usePb ? pb[i % pb.length] : pa[i % pa.length])).join('\n');
    }),
  // The header rewritten: another type, sequence numbers out of range, huge counts.
  fc
    .tuple(
      fc.nat(),
      fc.constantFrom('crypto-psbt', 'psbt', 'crypto-seed', 'bytes', 'CRYPTO-PSBT', ''),
      fc.oneof(
        fc.constant(''),
        fc
          .tuple(
            fc.oneof(fc.nat(), fc.constant(4294967295), fc.constant(0)),
            fc.oneof(fc.nat(), fc.constant(4294967295)),
          )
          .map(([n, m]) => `${n}-${m}/`),
      ),
      textFrom(BYTEWORDS_LETTERS, 0, 400),
    )
    .map(([i, type, seq, body]) => {
      const sample = (UR_SAMPLES[i % UR_SAMPLES.length] as { parts: string[] }).parts[0] as string;
      const words = sample.slice(sample.lastIndexOf('/') + 1);
      return `ur:${type}/${seq}${body.length > 0 ? body : words}`;
    }),
  anyText().map((t) => `ur:${t}`),
);

describe('fuzz: UR crypto-psbt parts', () => {
  it('decodePsbtUr gives PSBT bytes or a SendError for any damaged scan', async () => {
    await checkProperty(
      'ur.decode',
      fc.property(damagedUr, (text) => {
        parsesOrThrowsTyped(() => decodePsbtUr(text), isSendError);
      }),
      fuzzParams(400),
    );
  });

  it('rebuilds the exact PSBT from all parts in any order, with repeats', async () => {
    await checkProperty(
      'ur.roundtrip',
      fc.property(
        urParts.chain(({ psbt, parts }) =>
          fc.shuffledSubarray(parts, { minLength: parts.length, maxLength: parts.length }).chain((shuffled) =>
            fc.array(fc.nat({ max: parts.length - 1 }), { maxLength: 3 }).map((extra) => ({
              psbt,
              text: [...shuffled, ...extra.map((i) => parts[i] as string)].join('\n'),
            })),
          ),
        ),
        ({ psbt, text }) => {
          expect(hex.encode(decodePsbtUr(text))).toBe(hex.encode(psbt));
        },
      ),
      fuzzParams(60, 0.25),
    );
  });

  it('importPsbt of UR text gives a PSBT or a SendError', async () => {
    await checkProperty(
      'ur.import',
      fc.property(damagedUr, network, (text, net) => {
        parsesOrThrowsTyped(() => importPsbt(text, net), isSendError);
      }),
      fuzzParams(200),
    );
  });
});
