import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { initNostrWasm } from 'nostr-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyJs, verifyWasm } from '../../main/nostr/signature';
import type { NostrEvent } from '../../main/nostr/verify';
import { checkEvent, verifierKind, verifierReady } from '../../main/nostr/verify';

const sk = generateSecretKey();
/** A fresh plain copy: nostr-tools caches a verdict on the object it signed. */
const plain = (e: NostrEvent): NostrEvent => JSON.parse(JSON.stringify(e)) as NostrEvent;
const good = plain(
  finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [['t', 'x']], content: 'hello' }, sk),
);
const other = plain(finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [], content: 'other' }, sk));
const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

let nw: Awaited<ReturnType<typeof initNostrWasm>>;
beforeAll(async () => {
  nw = await initNostrWasm();
  await verifierReady;
});

describe('nostr verification through nostr-wasm', () => {
  it('is not what the app uses where libsecp256k1 loads (see nostr-native-secp256k1.test.ts)', () => {
    expect(verifierKind()).toBe('libsecp256k1-native');
  });

  it('accepts a valid event, like the pure-JS path', () => {
    expect(verifyWasm(nw, plain(good))).toBe(true);
    expect(verifyJs(plain(good))).toBe(true);
    expect(checkEvent(plain(good))).toMatchObject({ ok: true });
  });

  it('rejects a forged signature', () => {
    const forged = { ...plain(good), sig: other.sig };
    expect(verifyWasm(nw, forged)).toBe(false);
    expect(verifyWasm(nw, { ...plain(good), sig: flip(good.sig) })).toBe(false);
    expect(checkEvent(forged)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects a wrong id and edited content', () => {
    // id of another event, with that event's valid signature: only the id check catches it
    const wrongId = { ...plain(good), id: other.id, sig: other.sig };
    expect(verifyWasm(nw, wrongId)).toBe(false);
    expect(verifyWasm(nw, { ...plain(good), id: flip(good.id) })).toBe(false);
    expect(verifyWasm(nw, { ...plain(good), content: 'hellO' })).toBe(false);
    expect(checkEvent(wrongId)).toMatchObject({ ok: false, reason: 'forged' });
    expect(checkEvent({ ...plain(good), content: 'hellO' })).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects a pubkey that is not on the curve', () => {
    const offCurve = { ...plain(good), pubkey: 'f'.repeat(64) };
    expect(verifyWasm(nw, offCurve)).toBe(false);
    expect(checkEvent(offCurve)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('hands events too big for the WASM heap to the JS verifier, with the same verdict', () => {
    // 256 KiB of control characters serializes to 1.5 MB, past nostr-wasm's fixed heap
    const big = plain(
      finalizeEvent({ kind: 1, created_at: 1, tags: [], content: '\u0001'.repeat(256 * 1024) }, sk),
    );
    expect(verifyWasm(nw, big)).toBeNull();
    expect(checkEvent(big)).toMatchObject({ ok: true });
    expect(checkEvent({ ...big, sig: other.sig })).toMatchObject({ ok: false, reason: 'forged' });
    // the WASM instance still works afterwards
    expect(verifyWasm(nw, plain(good))).toBe(true);
  });

  it('agrees with the pure-JS verifier on unicode, escapes and many tags', () => {
    const tricky = plain(
      finalizeEvent(
        {
          kind: 1059,
          created_at: 0,
          tags: [['p', 'é"\\\n\u2028'], ...Array.from({ length: 200 }, (_, i) => ['e', String(i)])],
          content: 'emoji 🎉 "quotes" \\ \u0000 \ud83d',
        },
        sk,
      ),
    );
    expect(verifyJs(plain(tricky))).toBe(true);
    expect(verifyWasm(nw, plain(tricky))).toBe(true);
    expect(verifyWasm(nw, { ...plain(tricky), created_at: 1 })).toBe(false);
  });
});
