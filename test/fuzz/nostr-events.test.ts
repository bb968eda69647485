import fc from 'fast-check';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { finalizeEvent, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDm, decryptLegacyDm, KIND_GIFT_WRAP, KIND_SEAL, unwrapDm } from '../../main/nostr/dm';
import type { NostrEvent } from '../../main/nostr/verify';
import { checkEvent, verifierReady } from '../../main/nostr/verify';
import { checkProperty, fuzzParams, parsesOrThrowsTyped } from './support/config';
import { anyText, mutatedString, NASTY_STRINGS } from './support/mutate';

const key = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? n : 7));
const ME = key(1);
const ME_PUB = getPublicKey(ME);
const ALICE = key(2);
const ALICE_PUB = getPublicKey(ALICE);
const THROWAWAY = key(3);
const HEX = '0123456789abcdef';
// Conversation keys are fixed per pair: computing them once keeps every run to one signature or two.
const SEAL_KEY = nip44.v2.utils.getConversationKey(ALICE, ME_PUB);
const WRAP_KEY = nip44.v2.utils.getConversationKey(THROWAWAY, ME_PUB);
/** NIP-44 cannot encrypt empty text; a hostile sender would send a space instead. */
const encrypt = (text: string, k: Uint8Array) => nip44.v2.encrypt(text === '' ? ' ' : text, k);

const eventTemplate = fc.record({
  kind: fc.oneof(fc.constantFrom(0, 1, 3, 4, 13, 14, 1059, 10002, 30078), fc.nat({ max: 65535 })),
  created_at: fc.nat({ max: 2_000_000_000 }),
  content: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), anyText(100)),
  tags: fc.array(fc.array(fc.string({ maxLength: 70 }), { maxLength: 4 }), { maxLength: 5 }),
});

/** Signed events as relays deliver them. */
const signedEvent: fc.Arbitrary<NostrEvent> = eventTemplate.map((t) => finalizeEvent({ ...t }, ALICE));
const SIGNED = fc.sample(signedEvent, { numRuns: 20, seed: 4 });

/** One field of a signed event replaced: a typo, another type, a hostile value. */
const fieldMutation: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.nat({ max: SIGNED.length - 1 }),
    fc.constantFrom('id', 'pubkey', 'sig', 'kind', 'created_at', 'content', 'tags', '__proto__', 'extra'),
    fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(...NASTY_STRINGS),
      fc.constantFrom(-1, 1.5, 65536, 2 ** 53, Number.MAX_SAFE_INTEGER, -0),
      fc.constant(Array.from({ length: 2001 }, () => ['t'])),
      fc.constant('x'.repeat(300 * 1024)),
    ),
    fc.boolean(),
  )
  .map(([i, field, value, asTypo]) => {
    const e = JSON.parse(JSON.stringify(SIGNED[i])) as Record<string, unknown>;
    const current = e[field];
    if (asTypo && typeof current === 'string' && current.length > 0) {
      // One hex digit changed: still well-formed, but the id or signature no longer matches.
      const at = (value === null ? 0 : JSON.stringify(value).length) % current.length;
      const swapped = HEX[(HEX.indexOf(current[at] as string) + 1) % 16] ?? 'x';
      e[field] = current.slice(0, at) + swapped + current.slice(at + 1);
    } else {
      Object.defineProperty(e, field, { value, enumerable: true, writable: true, configurable: true });
    }
    return e;
  });

const rawEvent: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: signedEvent, weight: 2 },
  { arbitrary: fieldMutation, weight: 6 },
  {
    // The relay's JSON text itself mutated, then parsed as a client would.
    arbitrary: mutatedString(() => SIGNED.map((e) => JSON.stringify(e)), `${HEX}{}[]":,`).map((text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    }),
    weight: 3,
  },
  { arbitrary: fc.jsonValue(), weight: 1 },
);

describe('fuzz: NOSTR event verification', () => {
  // The app verifies with libsecp256k1 (WASM) once loaded; fuzz the same path.
  beforeAll(() => verifierReady);

  it('checkEvent never throws, and accepts only events whose id and signature verify', async () => {
    await checkProperty(
      'nostr.checkEvent',
      fc.property(rawEvent, (raw) => {
        const r = checkEvent(raw);
        if (r.ok) expect(verifyEvent({ ...r.event })).toBe(true);
        else expect(['malformed', 'oversized', 'forged']).toContain(r.reason);
      }),
      fuzzParams(400),
    );
  });
});

/** Signs a seal (kind 13) by `author` around `rumorJson`, then wraps it to us from a throwaway key. */
function wrapAround(
  sealContentFor: (convKey: Uint8Array) => string,
  sealOverrides: Record<string, unknown> = {},
) {
  const sealKey = SEAL_KEY;
  const seal = finalizeEvent(
    { kind: KIND_SEAL, created_at: 1_700_000_000, tags: [], content: sealContentFor(sealKey) },
    ALICE,
  );
  const sealJson = JSON.stringify({ ...seal, ...sealOverrides });
  return wrapJson(sealJson);
}

function wrapJson(sealJson: string): NostrEvent {
  const wrapKey = WRAP_KEY;
  return finalizeEvent(
    {
      kind: KIND_GIFT_WRAP,
      created_at: 1_700_000_000,
      tags: [['p', ME_PUB]],
      content: encrypt(sealJson, wrapKey),
    },
    THROWAWAY,
  );
}

/** Rumors of every shape: right, wrong types, hostile numbers, an author who is not the sealer. */
const rumor = fc.record(
  {
    id: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.jsonValue()),
    pubkey: fc.oneof(fc.constant(ALICE_PUB), fc.constant(ME_PUB), fc.jsonValue()),
    created_at: fc.oneof(fc.nat(), fc.double(), fc.jsonValue()),
    kind: fc.oneof(fc.constant(14), fc.integer(), fc.double(), fc.jsonValue()),
    tags: fc.oneof(
      fc.constant([['p', ME_PUB]]),
      fc.array(fc.array(fc.string(), { maxLength: 3 }), { maxLength: 3 }),
      fc.jsonValue(),
    ),
    content: fc.oneof(fc.string({ maxLength: 100 }), fc.constant('x'.repeat(70_000)), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

/** Gift wraps to us: real ones, damaged ones, and valid envelopes around broken contents. */
const giftWrap: fc.Arbitrary<NostrEvent> = fc.oneof(
  {
    arbitrary: fc
      .string({ minLength: 1, maxLength: 100 })
      .map((text) => createDm(ALICE, [ME_PUB], text).wraps[0]!.wrap),
    weight: 1,
  },
  {
    // A real wrap with its ciphertext, author or kind damaged.
    arbitrary: fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constantFrom('content', 'pubkey', 'kind'),
        fc.nat(),
      )
      .chain(([text, field, n]) => {
        const wrap = createDm(ALICE, [ME_PUB], text).wraps[0]!.wrap;
        if (field === 'kind') return fc.constant({ ...wrap, kind: n % 2 ? KIND_SEAL : 1058 });
        if (field === 'pubkey') return fc.constant({ ...wrap, pubkey: ALICE_PUB });
        return mutatedString(
          () => [wrap.content],
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=',
        ).map((content) => ({ ...wrap, content }));
      }),
    weight: 3,
  },
  {
    // A valid wrap whose seal is any JSON at all.
    arbitrary: fc
      .oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        anyText(),
      )
      .map((sealJson) => wrapJson(sealJson)),
    weight: 2,
  },
  {
    // A valid wrap and seal signature around a seal whose fields were changed after signing.
    arbitrary: fc
      .tuple(
        fc.constantFrom('kind', 'pubkey', 'sig', 'content', 'id'),
        fc.oneof(
          fc.jsonValue(),
          fc.constant(1059),
          fc.constant(ME_PUB),
          fc.stringMatching(/^[0-9a-f]{128}$/),
        ),
      )
      .map(([field, value]) => wrapAround((k) => encrypt('{}', k), { [field]: value })),
    weight: 2,
  },
  {
    // A valid wrap and a validly signed seal around any rumor.
    arbitrary: fc
      .oneof(
        rumor.map((r) => JSON.stringify(r)),
        fc.jsonValue().map((v) => JSON.stringify(v)),
        anyText(),
      )
      .map((rumorJson) => wrapAround((k) => encrypt(rumorJson, k))),
    weight: 4,
  },
);

describe('fuzz: NIP-17 gift wraps', () => {
  it('unwrapDm opens a wrap or throws a typed NOSTR error', async () => {
    await checkProperty(
      'nostr.unwrapDm',
      fc.property(giftWrap, (wrap) => {
        const r = parsesOrThrowsTyped(() => unwrapDm(wrap, ME));
        if (r.ok) {
          expect(r.value.pubkey).toBe(ALICE_PUB);
          expect(typeof r.value.content).toBe('string');
        }
      }),
      fuzzParams(120),
    );
  });

  it('unwrapDm reads back every message we wrap, for any text', async () => {
    await checkProperty(
      'nostr.unwrapDm-roundtrip',
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), (text) => {
        const { wraps } = createDm(ALICE, [ME_PUB], text);
        const mine = wraps.find((w) => w.recipient === ME_PUB)!;
        expect(unwrapDm(mine.wrap, ME).content).toBe(text);
      }),
      fuzzParams(25, 0.1),
    );
  });

  it('decryptLegacyDm (NIP-04) reads a message or throws a typed NOSTR error', async () => {
    const samples = fc.sample(
      fc.tuple(fc.string({ minLength: 1, maxLength: 60 }), fc.boolean()).map(([text, fromMe]) =>
        finalizeEvent(
          {
            kind: 4,
            created_at: 1_700_000_000,
            tags: [['p', fromMe ? ALICE_PUB : ME_PUB]],
            content: nip04.encrypt(fromMe ? ME : ALICE, fromMe ? ALICE_PUB : ME_PUB, text),
          },
          fromMe ? ME : ALICE,
        ),
      ),
      { numRuns: 8, seed: 6 },
    );
    const nip04Event = fc.constantFrom(...samples);
    const damaged = fc.oneof(
      nip04Event,
      nip04Event.chain((e) =>
        mutatedString(
          () => [e.content],
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=?iv',
        ).map((content) => ({ ...e, content })),
      ),
      nip04Event.map((e) => ({ ...e, tags: [] })),
      nip04Event.map((e) => ({ ...e, pubkey: ME_PUB, tags: [['p', 'zz']] })),
      nip04Event.chain((e) => anyText().map((content) => ({ ...e, content }))),
    );
    await checkProperty(
      'nostr.nip04',
      fc.property(damaged, (event) => {
        parsesOrThrowsTyped(() => decryptLegacyDm(event, ME));
      }),
      fuzzParams(150),
    );
  });
});
