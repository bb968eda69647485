import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import {
  createDm,
  decryptLegacyDm,
  MAX_TEXT_BYTES,
  nip44Decrypt,
  rumorMembers,
  unwrapDm,
} from '../../main/nostr/dm';
import { checkEvent, MAX_CONTENT_BYTES } from '../../main/nostr/verify';
import { FlashError } from '../../shared/errors';

function errorOf(fn: () => unknown): FlashError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FlashError) return err;
    throw new Error(`expected a FlashError, got ${String(err)}`);
  }
  throw new Error('expected an error');
}

const alice = generateSecretKey();
const bob = generateSecretKey();
const carol = generateSecretKey();
const A = getPublicKey(alice);
const B = getPublicKey(bob);
const C = getPublicKey(carol);

describe('event verification', () => {
  const good = finalizeEvent(
    { kind: 1, created_at: 1_700_000_000, tags: [['p', B]], content: 'hello' },
    alice,
  );

  it('accepts a valid event', () => {
    expect(checkEvent(JSON.parse(JSON.stringify(good)))).toMatchObject({ ok: true });
  });

  it('rejects a forged signature and a changed content as forged', () => {
    const sig = { ...good, sig: good.sig.slice(0, -1) + (good.sig.endsWith('0') ? '1' : '0') };
    expect(checkEvent(sig)).toMatchObject({ ok: false, reason: 'forged' });
    expect(checkEvent({ ...good, content: 'hellO' })).toMatchObject({ ok: false, reason: 'forged' });
    // Another key's signature over the same id
    const other = finalizeEvent(
      { kind: 1, created_at: 1_700_000_000, tags: [['p', B]], content: 'hello' },
      bob,
    );
    expect(checkEvent({ ...good, sig: other.sig })).toMatchObject({ ok: false, reason: 'forged' });
  });

  it('rejects malformed events without throwing', () => {
    for (const bad of [
      null,
      'x',
      [],
      { ...good, id: 'zz' },
      { ...good, tags: [[1]] },
      { ...good, kind: -1 },
      { ...good, content: 5 },
    ]) {
      expect(checkEvent(bad)).toMatchObject({ ok: false, reason: 'malformed' });
    }
  });

  it('rejects an oversized content field', () => {
    const big = finalizeEvent(
      { kind: 1059, created_at: 1, tags: [], content: 'a'.repeat(MAX_CONTENT_BYTES + 1) },
      alice,
    );
    expect(checkEvent(big)).toMatchObject({ ok: false, reason: 'oversized' });
  });
});

describe('NIP-17 direct messages', () => {
  it('wraps once per recipient plus a self copy, all with the same rumor', () => {
    const dm = createDm(alice, [B], 'hi Bob');
    expect(dm.wraps.map((w) => w.recipient)).toEqual([B, A]);
    for (const { recipient, wrap } of dm.wraps) {
      expect(wrap.kind).toBe(1059);
      expect(wrap.pubkey).not.toBe(A); // throwaway key
      expect(wrap.tags).toEqual([['p', recipient]]);
      expect(checkEvent(wrap).ok).toBe(true);
    }
    const forBob = unwrapDm(dm.wraps[0]!.wrap, bob);
    const forMe = unwrapDm(dm.wraps[1]!.wrap, alice);
    expect(forBob).toEqual(forMe);
    expect(forBob).toMatchObject({ id: dm.rumor.id, pubkey: A, kind: 14, content: 'hi Bob' });
    expect(rumorMembers(forBob)).toEqual([A, B].sort());
  });

  it('supports groups: one p tag per member', () => {
    const dm = createDm(alice, [B, C], 'hi all', { subject: 'plans' });
    expect(dm.wraps).toHaveLength(3);
    const r = unwrapDm(dm.wraps[1]!.wrap, carol);
    expect(rumorMembers(r)).toEqual([A, B, C].sort());
    expect(r.tags).toContainEqual(['subject', 'plans']);
  });

  it('someone else cannot open a wrap (typed error, no crash)', () => {
    const dm = createDm(alice, [B], 'secret');
    const err = errorOf(() => unwrapDm(dm.wraps[0]!.wrap, carol));
    expect(err.code).toBe('NOSTR_DECRYPT_FAILED');
  });

  it('a wrong NIP-44 MAC is NOSTR_DECRYPT_FAILED with reason mac', () => {
    const key = nip44.getConversationKey(alice, B);
    const payload = nip44.encrypt('hello', key);
    const raw = Buffer.from(payload, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1; // flip a MAC bit
    const err = errorOf(() => nip44Decrypt(raw.toString('base64'), bob, A));
    expect(err.code).toBe('NOSTR_DECRYPT_FAILED');
    expect(err.details).toMatchObject({ reason: 'mac' });
    expect(nip44Decrypt(payload, bob, A)).toBe('hello');
  });

  it('a seal whose rumor claims another author is NOSTR_INVALID_EVENT', () => {
    // Alice seals a rumor that says it is from Carol.
    const rumor = { kind: 14, created_at: 1, tags: [['p', B]], content: 'spoof', pubkey: C };
    const seal = finalizeEvent(
      {
        kind: 13,
        created_at: 1,
        tags: [],
        content: nip44.encrypt(JSON.stringify(rumor), nip44.getConversationKey(alice, B)),
      },
      alice,
    );
    const eph = generateSecretKey();
    const wrap = finalizeEvent(
      {
        kind: 1059,
        created_at: 1,
        tags: [['p', B]],
        content: nip44.encrypt(JSON.stringify(seal), nip44.getConversationKey(eph, B)),
      },
      eph,
    );
    expect(errorOf(() => unwrapDm(wrap, bob)).code).toBe('NOSTR_INVALID_EVENT');
  });

  it('refuses oversized text before encrypting; the limit itself works', () => {
    expect(errorOf(() => createDm(alice, [B], 'x'.repeat(MAX_TEXT_BYTES + 1))).code).toBe(
      'NOSTR_CONTENT_TOO_LARGE',
    );
    const dm = createDm(alice, [B], 'é'.repeat(MAX_TEXT_BYTES / 2));
    expect(unwrapDm(dm.wraps[0]!.wrap, bob).content.length).toBe(MAX_TEXT_BYTES / 2);
  });

  it('reads legacy NIP-04 messages both ways', () => {
    const ev = finalizeEvent(
      { kind: 4, created_at: 1, tags: [['p', B]], content: nip04.encrypt(alice, B, 'old style') },
      alice,
    );
    expect(decryptLegacyDm(ev, bob)).toEqual({ peer: A, text: 'old style' });
    expect(decryptLegacyDm(ev, alice)).toEqual({ peer: B, text: 'old style' });
    const garbled = { ...ev, content: 'nonsense' };
    expect(errorOf(() => decryptLegacyDm(garbled, bob)).code).toBe('NOSTR_DECRYPT_FAILED');
  });
});
