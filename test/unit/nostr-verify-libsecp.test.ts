import * as nip44 from 'nostr-tools/nip44';
import { createSeal, createWrap } from 'nostr-tools/nip59';
import { finalizeEvent, generateSecretKey, getEventHash, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { createDm, unwrapDm } from '../../main/nostr/dm';
import { createWrapOpener } from '../../main/nostr/inbox/open-wrap';
import { setNativeCurve } from '../../main/core/native-secp256k1';
import { eventHash, verifyJs, verifyLibsecp } from '../../main/nostr/signature';
import type { NostrEvent } from '../../main/nostr/verify';
import { checkEvent, verifierKind, verifierReady } from '../../main/nostr/verify';
import { isFlashError } from '../../shared/errors';

// The WASM build, as used where the native one does not load (nostr-native-secp256k1.test.ts).
setNativeCurve(null);

const sk = generateSecretKey();
const plain = (e: NostrEvent): NostrEvent => JSON.parse(JSON.stringify(e)) as NostrEvent;
const good = plain(
  finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [['t', 'x']], content: 'hi' }, sk),
);
const other = plain(finalizeEvent({ kind: 1, created_at: 1_700_000_000, tags: [], content: 'other' }, sk));
const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

describe('nostr verification through libsecp256k1 in WASM (tiny-secp256k1)', () => {
  it('is the verifier without the native build, with no nostr-wasm to wait for', async () => {
    await expect(verifierReady).resolves.toBe('libsecp256k1');
    expect(verifierKind()).toBe('libsecp256k1');
  });

  it('accepts a valid event and rejects a forged signature, a wrong id and edited content', () => {
    expect(verifyLibsecp(plain(good))).toBe(true);
    expect(verifyLibsecp({ ...plain(good), sig: other.sig })).toBe(false);
    expect(verifyLibsecp({ ...plain(good), sig: flip(good.sig) })).toBe(false);
    expect(verifyLibsecp({ ...plain(good), id: other.id, sig: other.sig })).toBe(false);
    expect(verifyLibsecp({ ...plain(good), content: 'hI' })).toBe(false);
    expect(checkEvent({ ...plain(good), sig: other.sig })).toMatchObject({ ok: false, reason: 'forged' });
    expect(checkEvent(plain(good))).toMatchObject({ ok: true });
  });

  it('checks a gift wrap in full too: a relay that alters its signature is caught', () => {
    const wrap = plain(
      finalizeEvent({ kind: 1059, created_at: 1, tags: [['p', 'a'.repeat(64)]], content: 'x' }, sk),
    );
    expect(checkEvent(plain(wrap))).toMatchObject({ ok: true });
    expect(checkEvent({ ...plain(wrap), sig: flip(wrap.sig) })).toMatchObject({
      ok: false,
      reason: 'forged',
    });
    expect(checkEvent({ ...plain(wrap), content: 'y' })).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects, without throwing, a key off the curve and r or s out of range', () => {
    expect(verifyLibsecp({ ...plain(good), pubkey: 'f'.repeat(64) })).toBe(false);
    expect(verifyLibsecp({ ...plain(good), sig: 'f'.repeat(128) })).toBe(false);
    expect(verifyLibsecp({ ...plain(good), sig: good.sig.slice(0, 64) + 'f'.repeat(64) })).toBe(false);
  });

  it('hashes ids as nostr-tools does, on unicode, escapes, many tags and big events', () => {
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
    const big = plain(
      finalizeEvent({ kind: 1, created_at: 1, tags: [], content: '\u0001'.repeat(256 * 1024) }, sk),
    );
    for (const e of [tricky, big]) {
      expect(eventHash(e)).toBe(getEventHash(e));
      expect(verifyLibsecp(plain(e))).toBe(true);
      expect(verifyJs(plain(e))).toBe(true);
      expect(verifyLibsecp({ ...plain(e), created_at: 2 })).toBe(false);
    }
  });
});

describe('opening a gift wrap checks who sent it', () => {
  const me = generateSecretKey();
  const self = getPublicKey(me);
  const sender = generateSecretKey();
  const open = createWrapOpener(me);
  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      return isFlashError(err) ? err.code : 'not a FlashError';
    }
    return 'no error';
  };

  it('opens a good wrap', () => {
    const dm = createDm(sender, [self], 'hello');
    const wrap = dm.wraps.find((w) => w.recipient === self)?.wrap as NostrEvent;
    expect(open(wrap)).toMatchObject({ ok: true, rumor: { content: 'hello', pubkey: getPublicKey(sender) } });
  });

  it('refuses a seal whose signature is wrong (the wrap itself being fine)', () => {
    const rumor = { kind: 14, content: 'forged', tags: [['p', self]], created_at: 1_700_000_000 };
    const seal = createSeal(rumor as never, sender, self);
    const forged = { ...seal, sig: flip(seal.sig) };
    const wrap = createWrap(forged as never, self) as NostrEvent;
    expect(checkEvent(plain(wrap))).toMatchObject({ ok: true });
    expect(open(wrap)).toEqual({ ok: false, code: 'NOSTR_INVALID_EVENT' });
    expect(codeOf(() => unwrapDm(wrap, me))).toBe('NOSTR_INVALID_EVENT');
  });

  it("refuses a seal signed by someone else than the rumor's author", () => {
    const impostor = generateSecretKey();
    // The impostor seals (and signs) a rumor that claims to be from `sender`.
    const rumor = {
      kind: 14,
      created_at: 1,
      tags: [['p', self]],
      content: 'spoof',
      pubkey: getPublicKey(sender),
    };
    const seal = finalizeEvent(
      {
        kind: 13,
        created_at: 1,
        tags: [],
        content: nip44.encrypt(JSON.stringify(rumor), nip44.getConversationKey(impostor, self)),
      },
      impostor,
    );
    const wrap = createWrap(seal as never, self) as NostrEvent;
    expect(open(wrap)).toEqual({ ok: false, code: 'NOSTR_INVALID_EVENT' });
  });

  it('refuses a wrap whose content was altered (NIP-44 MAC)', () => {
    const dm = createDm(sender, [self], 'hello');
    const wrap = dm.wraps.find((w) => w.recipient === self)?.wrap as NostrEvent;
    const raw = Buffer.from(wrap.content, 'base64');
    raw[50] = (raw[50] ?? 0) ^ 1;
    expect(open({ ...wrap, content: raw.toString('base64') })).toEqual({
      ok: false,
      code: 'NOSTR_DECRYPT_FAILED',
    });
  });
});
