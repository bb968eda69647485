import type { Migration } from './types';

/**
 * NOSTR social: public channels (NIP-28), contacts (kind 3), others' profiles and NIP-05 checks,
 * and the merchant profile. All of it is public data (channel posts are readable by anyone on the
 * relays), so it is stored in plain columns; private messages stay sealed in nostr_messages.
 */
export const nostrSocialMigration: Migration = {
  version: 8,
  name: 'nostr social: channels, contacts, profile cache, merchant',
  up(db) {
    db.exec(`
      -- Widen the replaceable cache to kind 3 (our contact list, read back from relays).
      CREATE TABLE nostr_replaceable_v2 (
        pubkey TEXT NOT NULL,
        kind INTEGER NOT NULL CHECK (kind IN (0, 3, 10002, 10050)),
        event_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        raw TEXT NOT NULL,
        nip05_verified_at INTEGER,
        PRIMARY KEY (pubkey, kind)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO nostr_replaceable_v2 SELECT pubkey, kind, event_id, created_at, raw, nip05_verified_at
        FROM nostr_replaceable;
      DROP TABLE nostr_replaceable;
      ALTER TABLE nostr_replaceable_v2 RENAME TO nostr_replaceable;

      -- Channels we created or joined: the kind-40 event id, its author, and the newest metadata
      -- (kind 41 from the same author, else the kind-40 content).
      CREATE TABLE nostr_channels (
        identity_id TEXT NOT NULL REFERENCES nostr_identities (id) ON DELETE CASCADE,
        id TEXT NOT NULL CHECK (length(id) = 64),
        creator TEXT NOT NULL CHECK (length(creator) = 64),
        name TEXT NOT NULL,
        about TEXT NOT NULL DEFAULT '',
        picture TEXT NOT NULL DEFAULT '',
        relays TEXT NOT NULL DEFAULT '[]',     -- JSON array of relay URLs (hints)
        created_at INTEGER NOT NULL,           -- seconds, kind 40
        metadata_at INTEGER NOT NULL,          -- seconds, newest metadata applied
        joined_at INTEGER NOT NULL,            -- ms
        raw TEXT NOT NULL,                     -- the verified kind-40 event
        PRIMARY KEY (identity_id, id)
      ) STRICT, WITHOUT ROWID;

      -- Kind-42 posts of channels we follow (public), verified.
      CREATE TABLE nostr_channel_posts (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        channel_id TEXT NOT NULL CHECK (length(channel_id) = 64),
        author TEXT NOT NULL CHECK (length(author) = 64),
        created_at INTEGER NOT NULL,           -- seconds
        content TEXT NOT NULL,
        reply_to TEXT,
        raw TEXT NOT NULL,
        received_at INTEGER NOT NULL           -- ms
      ) STRICT;
      CREATE INDEX nostr_channel_posts_by_channel ON nostr_channel_posts (channel_id, created_at);

      -- NIP-05 results for others, with their time: a pass or a failure is reused until it ages out.
      CREATE TABLE nostr_nip05 (
        pubkey TEXT PRIMARY KEY CHECK (length(pubkey) = 64),
        nip05 TEXT NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        checked_at INTEGER NOT NULL            -- ms
      ) STRICT;

      -- When we last asked relays for someone's kind 0 (found or not), so we do not ask again at once.
      CREATE TABLE nostr_profile_fetches (
        pubkey TEXT PRIMARY KEY CHECK (length(pubkey) = 64),
        fetched_at INTEGER NOT NULL            -- ms
      ) STRICT;

      -- Our merchant profile as last published (NIP-78 app data, public).
      CREATE TABLE nostr_merchant (
        identity_id TEXT PRIMARY KEY REFERENCES nostr_identities (id) ON DELETE CASCADE,
        profile TEXT NOT NULL,
        event_id TEXT,
        created_at INTEGER NOT NULL            -- seconds
      ) STRICT;
    `);
  },
};
