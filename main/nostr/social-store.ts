import type { Db } from '../store/database';
import type { NostrEvent } from './verify';

export interface ChannelRow {
  id: string;
  creator: string;
  name: string;
  about: string;
  picture: string;
  relays: string[];
  createdAt: number;
  metadataAt: number;
  lastPostAt: number | null;
  posts: number;
}

export interface ChannelPostRow {
  id: string;
  channelId: string;
  author: string;
  createdAt: number;
  text: string;
  replyTo: string | null;
}

/** The columns of nostr_channel_posts that ChannelPostRow is made from. */
interface PostDbRow {
  id: string;
  channel_id: string;
  author: string;
  created_at: number;
  content: string;
  reply_to: string | null;
}

const toPost = (r: PostDbRow): ChannelPostRow => ({
  id: r.id,
  channelId: r.channel_id,
  author: r.author,
  createdAt: r.created_at,
  text: r.content,
  replyTo: r.reply_to,
});

/** SQLite repository for the public social data (channels, posts, profile and NIP-05 caches). */
export function createSocialStore(db: Db) {
  const toChannel = (r: {
    id: string;
    creator: string;
    name: string;
    about: string;
    picture: string;
    relays: string;
    created_at: number;
    metadata_at: number;
    last_post_at: number | null;
    posts: number;
  }): ChannelRow => ({
    id: r.id,
    creator: r.creator,
    name: r.name,
    about: r.about,
    picture: r.picture,
    relays: JSON.parse(r.relays) as string[],
    createdAt: r.created_at,
    metadataAt: r.metadata_at,
    lastPostAt: r.last_post_at,
    posts: r.posts,
  });
  const channelSelect = `SELECT c.*, (SELECT max(created_at) FROM nostr_channel_posts p WHERE p.channel_id = c.id) AS last_post_at,
      (SELECT count(*) FROM nostr_channel_posts p WHERE p.channel_id = c.id) AS posts FROM nostr_channels c`;

  return {
    // ---- channels
    /** Remembers a channel (its verified kind 40); a second join keeps the first row. */
    joinChannel(
      identityId: string,
      event: NostrEvent,
      meta: { name: string; about: string; picture: string; relays: string[] },
      now: number,
    ): void {
      db.prepare(
        `INSERT INTO nostr_channels (identity_id, id, creator, name, about, picture, relays, created_at, metadata_at, joined_at, raw)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity_id, id) DO NOTHING`,
      ).run(
        identityId,
        event.id,
        event.pubkey,
        meta.name,
        meta.about,
        meta.picture,
        JSON.stringify(meta.relays),
        event.created_at,
        event.created_at,
        now,
        JSON.stringify(event),
      );
    },
    leaveChannel(identityId: string, channelId: string): void {
      db.transaction(() => {
        db.prepare('DELETE FROM nostr_channels WHERE identity_id = ? AND id = ?').run(identityId, channelId);
        const still = db.prepare('SELECT 1 FROM nostr_channels WHERE id = ?').get(channelId);
        if (!still) db.prepare('DELETE FROM nostr_channel_posts WHERE channel_id = ?').run(channelId);
      })();
    },
    /** Applies newer metadata (kind 41); returns true if it changed the row. */
    setChannelMetadata(
      channelId: string,
      meta: { name: string; about: string; picture: string },
      createdAt: number,
    ): boolean {
      const res = db
        .prepare(
          'UPDATE nostr_channels SET name = ?, about = ?, picture = ?, metadata_at = ? WHERE id = ? AND metadata_at < ?',
        )
        .run(meta.name, meta.about, meta.picture, createdAt, channelId, createdAt);
      return res.changes > 0;
    },
    channel(identityId: string, channelId: string): ChannelRow | null {
      const r = db
        .prepare(`${channelSelect} WHERE c.identity_id = ? AND c.id = ?`)
        .get(identityId, channelId) as Parameters<typeof toChannel>[0] | undefined;
      return r ? toChannel(r) : null;
    },
    channels(identityId: string): ChannelRow[] {
      const rows = db
        .prepare(
          `${channelSelect} WHERE c.identity_id = ? ORDER BY coalesce(last_post_at, c.created_at) DESC, c.id`,
        )
        .all(identityId) as Parameters<typeof toChannel>[0][];
      return rows.map(toChannel);
    },
    channelIds(identityId: string): string[] {
      return (
        db.prepare('SELECT id FROM nostr_channels WHERE identity_id = ?').all(identityId) as { id: string }[]
      ).map((r) => r.id);
    },
    /** Stores a verified kind 42; returns true the first time. */
    savePost(channelId: string, event: NostrEvent, replyTo: string | null, now: number): boolean {
      const res = db
        .prepare(
          `INSERT OR IGNORE INTO nostr_channel_posts (id, channel_id, author, created_at, content, reply_to, raw, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          event.id,
          channelId,
          event.pubkey,
          event.created_at,
          event.content,
          replyTo,
          JSON.stringify(event),
          now,
        );
      return res.changes === 1;
    },
    posts(channelId: string, limit: number): ChannelPostRow[] {
      const rows = db
        .prepare(
          `SELECT * FROM (SELECT rowid AS rid, id, channel_id, author, created_at, content, reply_to FROM nostr_channel_posts
             WHERE channel_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?) ORDER BY created_at, rid`,
        )
        .all(channelId, limit) as PostDbRow[];
      return rows.map(toPost);
    },
    post(id: string): ChannelPostRow | null {
      const r = db.prepare('SELECT * FROM nostr_channel_posts WHERE id = ?').get(id) as PostDbRow | undefined;
      return r ? toPost(r) : null;
    },
    newestPostAt(identityId: string): number | null {
      const r = db
        .prepare(
          `SELECT max(p.created_at) AS t FROM nostr_channel_posts p JOIN nostr_channels c ON c.id = p.channel_id
           WHERE c.identity_id = ?`,
        )
        .get(identityId) as { t: number | null };
      return r.t;
    },

    // ---- others' profiles and NIP-05
    profileFetchedAt(pubkey: string): number | null {
      const r = db
        .prepare('SELECT fetched_at AS t FROM nostr_profile_fetches WHERE pubkey = ?')
        .get(pubkey) as { t: number } | undefined;
      return r?.t ?? null;
    },
    setProfileFetched(pubkey: string, at: number): void {
      db.prepare(
        `INSERT INTO nostr_profile_fetches (pubkey, fetched_at) VALUES (?, ?)
         ON CONFLICT (pubkey) DO UPDATE SET fetched_at = excluded.fetched_at`,
      ).run(pubkey, at);
    },
    nip05(pubkey: string): { nip05: string; ok: boolean; checkedAt: number } | null {
      const r = db.prepare('SELECT nip05, ok, checked_at FROM nostr_nip05 WHERE pubkey = ?').get(pubkey) as
        { nip05: string; ok: number; checked_at: number } | undefined;
      return r ? { nip05: r.nip05, ok: r.ok === 1, checkedAt: r.checked_at } : null;
    },
    setNip05(pubkey: string, nip05: string, ok: boolean, at: number): void {
      db.prepare(
        `INSERT INTO nostr_nip05 (pubkey, nip05, ok, checked_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (pubkey) DO UPDATE SET nip05 = excluded.nip05, ok = excluded.ok, checked_at = excluded.checked_at`,
      ).run(pubkey, nip05, ok ? 1 : 0, at);
    },

    // ---- merchant profile
    merchant(identityId: string): { profile: Record<string, string>; createdAt: number } | null {
      const r = db
        .prepare('SELECT profile, created_at FROM nostr_merchant WHERE identity_id = ?')
        .get(identityId) as { profile: string; created_at: number } | undefined;
      return r ? { profile: JSON.parse(r.profile) as Record<string, string>, createdAt: r.created_at } : null;
    },
    setMerchant(
      identityId: string,
      profile: Record<string, string>,
      eventId: string,
      createdAt: number,
    ): boolean {
      const res = db
        .prepare(
          `INSERT INTO nostr_merchant (identity_id, profile, event_id, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (identity_id) DO UPDATE SET profile = excluded.profile, event_id = excluded.event_id,
             created_at = excluded.created_at WHERE excluded.created_at >= nostr_merchant.created_at`,
        )
        .run(identityId, JSON.stringify(profile), eventId, createdAt);
      return res.changes > 0;
    },
  };
}

export type SocialStore = ReturnType<typeof createSocialStore>;
