import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelCreateTemplate, channelPostTemplate } from '../../main/nostr/channels';
import { createMessageStore } from '../../main/nostr/message-store';
import { createSocialStore } from '../../main/nostr/social-store';
import type { Db } from '../../main/store/database';
import { openDatabase } from '../../main/store/database';
import { MIGRATIONS } from '../../main/store/migrations';

let dir: string;
const dbs: Db[] = [];
const sk = generateSecretKey();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-social-store-'));
});
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 8 (nostr social)', () => {
  it('keeps the cached profiles and relay lists of a version-7 database and allows kind 3', () => {
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 7).sort((a, b) => a.version - b.version)) m.up(old);
    old.pragma('user_version = 7');
    const profile = finalizeEvent({ kind: 0, created_at: 10, tags: [], content: '{"name":"Old"}' }, sk);
    old
      .prepare(
        'INSERT INTO nostr_replaceable (pubkey, kind, event_id, created_at, raw, nip05_verified_at) VALUES (?, 0, ?, 10, ?, 99)',
      )
      .run(profile.pubkey, profile.id, JSON.stringify(profile));
    expect(() =>
      old.prepare("INSERT INTO nostr_replaceable VALUES ('x', 3, 'e', 1, '{}', NULL)").run(),
    ).toThrow(/CHECK/);
    old.close();

    const db = openDatabase(file);
    dbs.push(db);
    const store = createMessageStore(db, () => new Uint8Array(32));
    expect(store.replaceable(profile.pubkey, 0)).toEqual(JSON.parse(JSON.stringify(profile)));
    expect(store.nip05VerifiedAt(profile.pubkey)).toBe(99);
    const contacts = finalizeEvent(
      { kind: 3, created_at: 11, tags: [['p', 'a'.repeat(64)]], content: '' },
      sk,
    );
    expect(store.putReplaceable(contacts)).toBe(true);
    expect(store.replaceable(profile.pubkey, 3)).toEqual(JSON.parse(JSON.stringify(contacts)));
  });
});

describe('social store', () => {
  it('channels: join once, newer metadata only, posts deduplicated and counted, leave forgets', () => {
    const db = openDatabase(path.join(dir, 'a.db'));
    dbs.push(db);
    const store = createMessageStore(db, () => new Uint8Array(32));
    store.insertIdentity('me', 'b'.repeat(64), 1);
    const social = createSocialStore(db);
    const create = finalizeEvent(channelCreateTemplate({ name: 'Room' }, 100), sk);
    const meta = { name: 'Room', about: '', picture: '', relays: ['ws://r'] };
    social.joinChannel('me', create, meta, 5);
    social.joinChannel('me', create, { ...meta, name: 'Other' }, 6);
    expect(social.channels('me')).toMatchObject([
      { id: create.id, name: 'Room', posts: 0, relays: ['ws://r'] },
    ]);

    expect(social.setChannelMetadata(create.id, { name: 'Newer', about: 'a', picture: '' }, 200)).toBe(true);
    expect(social.setChannelMetadata(create.id, { name: 'Older', about: '', picture: '' }, 150)).toBe(false);
    expect(social.channel('me', create.id)?.name).toBe('Newer');

    const post = finalizeEvent(channelPostTemplate(create.id, 'hi', 'ws://r', 300), sk);
    expect(social.savePost(create.id, post, null, 1)).toBe(true);
    expect(social.savePost(create.id, post, null, 2)).toBe(false);
    expect(social.channel('me', create.id)).toMatchObject({ posts: 1, lastPostAt: 300 });
    expect(social.posts(create.id, 10)).toEqual([
      { id: post.id, channelId: create.id, author: post.pubkey, createdAt: 300, text: 'hi', replyTo: null },
    ]);
    social.leaveChannel('me', create.id);
    expect(social.channels('me')).toEqual([]);
    expect(social.posts(create.id, 10)).toEqual([]);
  });

  it('NIP-05 results and merchant profile: latest wins, older merchant events ignored', () => {
    const db = openDatabase(path.join(dir, 'b.db'));
    dbs.push(db);
    createMessageStore(db, () => new Uint8Array(32)).insertIdentity('me', 'c'.repeat(64), 1);
    const social = createSocialStore(db);
    social.setNip05('d'.repeat(64), 'bob@x.org', false, 10);
    social.setNip05('d'.repeat(64), 'bob@x.org', true, 20);
    expect(social.nip05('d'.repeat(64))).toEqual({ nip05: 'bob@x.org', ok: true, checkedAt: 20 });
    expect(social.setMerchant('me', { businessName: 'B' }, 'e2', 200)).toBe(true);
    expect(social.setMerchant('me', { businessName: 'A' }, 'e1', 100)).toBe(false);
    expect(social.merchant('me')).toEqual({ profile: { businessName: 'B' }, createdAt: 200 });
  });
});
