import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSeal, createWrap } from 'nostr-tools/nip59';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createDm, KIND_GIFT_WRAP } from '../../main/nostr/dm';
import type { Inbox } from '../../main/nostr/inbox/inbox';
import { createInbox } from '../../main/nostr/inbox/inbox';
import { createUnwrapPool } from '../../main/nostr/inbox/unwrap-pool';
import type { StoredMessage } from '../../main/nostr/message-store';
import { createMessageStore } from '../../main/nostr/message-store';
import type { NostrEvent } from '../../main/nostr/verify';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';

let dir: string;
let db: Db;
let store: ReturnType<typeof createMessageStore>;
let inbox: Inbox | null = null;
const me = generateSecretKey();
const identity = { id: 'me', pubkey: getPublicKey(me) };
const senders = [generateSecretKey(), generateSecretKey(), generateSecretKey()];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-nostr-inbox-'));
  db = openDatabase(path.join(dir, 'flash.db'));
  const key = crypto.getRandomValues(new Uint8Array(32));
  store = createMessageStore(db, () => key);
  store.insertIdentity(identity.id, identity.pubkey, Date.now());
});

afterEach(async () => {
  await inbox?.close();
  inbox = null;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The wrap addressed to us of a DM from `sender`. */
function wrapFrom(sender: Uint8Array, text: string): NostrEvent {
  const dm = createDm(sender, [identity.pubkey], text);
  const mine = dm.wraps.find((w) => w.recipient === identity.pubkey);
  if (!mine) throw new Error('no wrap for us');
  return mine.wrap;
}

function open(workers: number, shown: StoredMessage[]): Inbox {
  inbox = createInbox({
    store,
    log: silentLogger,
    onMessage: (_conv, m) => void shown.push(m),
    workers,
    ...(workers === 0 ? { script: null } : {}),
  });
  return inbox;
}

const processedOf = (id: string) =>
  (db.prepare('SELECT processed FROM nostr_events WHERE id = ?').get(id) as { processed: number } | undefined)
    ?.processed;

describe('NIP-17 inbox', () => {
  it('records a burst in one go, opens each wrap once (a resent one is not opened again) and shows it', async () => {
    const shown: StoredMessage[] = [];
    const box = open(0, shown);
    const wraps = Array.from({ length: 30 }, (_, i) => wrapFrom(senders[i % 3] as Uint8Array, `hello ${i}`));
    for (const w of wraps) box.receive(identity, w, 'wss://a.example', () => me);
    // The same wraps again from another relay, in the same burst and after it.
    for (const w of wraps.slice(0, 5)) box.receive(identity, w, 'wss://b.example', () => me);
    await box.idle();
    for (const w of wraps.slice(5, 10)) box.receive(identity, w, 'wss://b.example', () => me);
    await box.idle();
    expect(shown.map((m) => m.text).sort()).toEqual(wraps.map((_, i) => `hello ${i}`).sort());
    expect((db.prepare('SELECT count(*) AS n FROM nostr_messages').get() as { n: number }).n).toBe(30);
    for (const w of wraps) expect(processedOf(w.id)).toBe(1);
    expect(store.eventRelays((wraps[7] as NostrEvent).id)).toEqual(['wss://a.example', 'wss://b.example']);
    expect(store.conversations(identity.id)).toHaveLength(3);
  });

  it('shows each new message as the store reads it back, ours (from another device) and theirs', async () => {
    const shown: StoredMessage[] = [];
    const box = open(0, shown);
    const theirs = wrapFrom(senders[0] as Uint8Array, 'from them');
    const mine = createDm(me, [getPublicKey(senders[1] as Uint8Array)], 'from my phone', {
      subject: 'plans',
    });
    const selfCopy = mine.wraps.find((w) => w.recipient === identity.pubkey)?.wrap as NostrEvent;
    box.receive(identity, theirs, null, () => me);
    box.receive(identity, selfCopy, null, () => me);
    await box.idle();
    expect(shown).toHaveLength(2);
    for (const m of shown) expect(m).toEqual(store.message(m.id));
    expect(shown.find((m) => m.direction === 'out')).toMatchObject({ read: true, subject: 'plans' });
    expect(shown.find((m) => m.direction === 'in')).toMatchObject({ read: false, text: 'from them' });
  });

  it('on worker threads, the same messages as on this thread', async () => {
    const shown: StoredMessage[] = [];
    const box = open(2, shown);
    const wraps = Array.from({ length: 60 }, (_, i) => wrapFrom(senders[i % 3] as Uint8Array, `w ${i}`));
    for (const w of wraps) box.receive(identity, w, null, () => me);
    await box.idle();
    expect(shown.map((m) => m.text).sort()).toEqual(wraps.map((_, i) => `w ${i}`).sort());
    for (const w of wraps) expect(processedOf(w.id)).toBe(1);
    // The pool really ran threads (a worker that fails to load falls back to this thread).
    const pool = createUnwrapPool(me, { workers: 2 });
    const opened = await pool.open(wraps.slice(0, 10));
    expect(pool.kind).toBe('workers');
    expect(pool.workers).toBe(2);
    expect(opened.every((o) => o.ok)).toBe(true);
    await pool.close();
  });

  it('while locked, wraps are recorded but stay unopened (pending for the unlock)', async () => {
    const shown: StoredMessage[] = [];
    const box = open(0, shown);
    const wraps = [wrapFrom(senders[0] as Uint8Array, 'one'), wrapFrom(senders[1] as Uint8Array, 'two')];
    for (const w of wraps) box.receive(identity, w, 'wss://a.example', () => null);
    await box.idle();
    expect(shown).toEqual([]);
    expect(
      store
        .pendingEvents(identity.id)
        .map((e) => e.id)
        .sort(),
    ).toEqual(wraps.map((w) => w.id).sort());
  });

  it('knows a stored wrap by id and signature only: another signature, or one quoted in content, is not it', async () => {
    const box = open(0, []);
    const wrap = wrapFrom(senders[0] as Uint8Array, 'known');
    box.receive(identity, wrap, null, () => me);
    await box.idle();
    expect(store.hasEvent(wrap.id, wrap.sig)).toBe(true);
    expect(store.hasEvent(wrap.id)).toBe(true);
    const other = `${wrap.sig.slice(0, -1)}${wrap.sig.endsWith('0') ? '1' : '0'}`;
    expect(store.hasEvent(wrap.id, other)).toBe(false);
    expect(store.hasEvent(wrap.id, wrap.sig.toUpperCase())).toBe(false);
    // An event whose content quotes another signature as JSON does not match that signature.
    const quoting = { ...wrapFrom(senders[1] as Uint8Array, 'q'), content: `{"sig":"${other}"}` };
    store.recordEvent(identity.id, quoting, null, Date.now());
    expect(store.hasEvent(quoting.id, other)).toBe(false);
    expect(store.hasEvent(quoting.id, quoting.sig)).toBe(true);
  });

  it('a seal whose signature does not check is kept aside, never shown', async () => {
    const shown: StoredMessage[] = [];
    const box = open(0, shown);
    const sender = senders[0] as Uint8Array;
    const good = wrapFrom(sender, 'fine');
    const rumor = { kind: 14, content: 'forged', tags: [['p', identity.pubkey]], created_at: 1_700_000_000 };
    const seal = createSeal(rumor as never, sender, identity.pubkey);
    const tampered = { ...seal, sig: `${seal.sig.slice(0, -2)}${seal.sig.endsWith('00') ? '01' : '00'}` };
    const bad = createWrap(tampered as never, identity.pubkey) as NostrEvent;
    expect(bad.kind).toBe(KIND_GIFT_WRAP);
    box.receive(identity, bad, null, () => me);
    box.receive(identity, good, null, () => me);
    await box.idle();
    expect(shown.map((m) => m.text)).toEqual(['fine']);
    expect(processedOf(bad.id)).toBe(2);
    expect(box.undecryptable).toBe(1);
  });
});
