import type { Migration } from './types';

/**
 * NOSTR. Only public data and ciphertext live here: the nsec is sealed in the vault under
 * `nostr:<id>:nsec`, and every decrypted message text is sealed (XChaCha20-Poly1305) under the
 * random "messages key" kept in the vault as `nostr:messages-key`. Timestamps are ms since epoch
 * except `created_at` columns that mirror a NOSTR event (seconds, as on the wire).
 */
export const nostrMigration: Migration = {
  version: 6,
  name: 'nostr: identities, relays, events, messages',
  up(db) {
    db.exec(`
      CREATE TABLE nostr_identities (
        id TEXT PRIMARY KEY,
        pubkey TEXT NOT NULL UNIQUE CHECK (length(pubkey) = 64),
        -- Our own kind-0 profile (public JSON), as last published.
        profile TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
      ) STRICT;

      -- Our relay lists: NIP-65 (read/write) and NIP-17 DM relays (kind 10050).
      CREATE TABLE nostr_relays (
        identity_id TEXT NOT NULL REFERENCES nostr_identities (id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        read INTEGER NOT NULL CHECK (read IN (0, 1)),
        write INTEGER NOT NULL CHECK (write IN (0, 1)),
        dm INTEGER NOT NULL CHECK (dm IN (0, 1)),
        PRIMARY KEY (identity_id, url)
      ) STRICT, WITHOUT ROWID;

      -- Other people's public lists and profiles, newest event wins (replaceable kinds).
      CREATE TABLE nostr_replaceable (
        pubkey TEXT NOT NULL,
        kind INTEGER NOT NULL CHECK (kind IN (0, 10002, 10050)),
        event_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        raw TEXT NOT NULL,                     -- the verified event JSON (public)
        nip05_verified_at INTEGER,             -- kind 0 only
        PRIMARY KEY (pubkey, kind)
      ) STRICT, WITHOUT ROWID;

      -- Every DM event (gift wrap, legacy kind 4) seen, verified, for dedupe across relays and to
      -- reprocess later: wraps received while the vault is locked wait here with processed = 0.
      -- The raw JSON is public ciphertext.
      CREATE TABLE nostr_events (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        identity_id TEXT NOT NULL REFERENCES nostr_identities (id) ON DELETE CASCADE,
        kind INTEGER NOT NULL,
        raw TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        -- 0: waiting (vault locked); 1: turned into a message; 2: unreadable (kept, counted).
        processed INTEGER NOT NULL DEFAULT 0 CHECK (processed IN (0, 1, 2)),
        message_id TEXT
      ) STRICT;
      CREATE INDEX nostr_events_pending ON nostr_events (identity_id) WHERE processed = 0;

      -- Which relays served us each event.
      CREATE TABLE nostr_event_relays (
        event_id TEXT NOT NULL REFERENCES nostr_events (id) ON DELETE CASCADE,
        relay_url TEXT NOT NULL,
        PRIMARY KEY (event_id, relay_url)
      ) STRICT, WITHOUT ROWID;

      -- A conversation is its member set (self included): id = sha256 of the sorted pubkeys.
      CREATE TABLE nostr_conversations (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        identity_id TEXT NOT NULL REFERENCES nostr_identities (id) ON DELETE CASCADE,
        members TEXT NOT NULL,                 -- JSON array of hex pubkeys, sorted
        last_message_at INTEGER NOT NULL,      -- seconds (rumor created_at)
        unread INTEGER NOT NULL DEFAULT 0 CHECK (unread >= 0)
      ) STRICT;
      CREATE INDEX nostr_conversations_recent ON nostr_conversations (identity_id, last_message_at DESC);

      -- One row per message (rumor id, or the kind-4 event id for legacy). The text is sealed:
      -- nonce + ciphertext under the messages key, AAD = id || conversation id.
      CREATE TABLE nostr_messages (
        id TEXT PRIMARY KEY CHECK (length(id) = 64),
        conversation_id TEXT NOT NULL REFERENCES nostr_conversations (id) ON DELETE CASCADE,
        sender TEXT NOT NULL CHECK (length(sender) = 64),
        created_at INTEGER NOT NULL,           -- seconds, from the rumor
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        legacy INTEGER NOT NULL DEFAULT 0 CHECK (legacy IN (0, 1)),
        read INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
        nonce BLOB NOT NULL,
        sealed BLOB NOT NULL,
        stored_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX nostr_messages_by_conversation ON nostr_messages (conversation_id, created_at, id);

      -- Outgoing delivery, one row per (message, relay): "sent to 3 of 4 relays".
      CREATE TABLE nostr_deliveries (
        message_id TEXT NOT NULL REFERENCES nostr_messages (id) ON DELETE CASCADE,
        relay_url TEXT NOT NULL,
        recipient TEXT NOT NULL,
        wrap_id TEXT NOT NULL,
        wrap TEXT NOT NULL,                    -- the gift wrap JSON (public ciphertext), for retries
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        status TEXT NOT NULL CHECK (status IN ('pending', 'ok', 'failed')),
        reason TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (message_id, relay_url, recipient)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX nostr_deliveries_open ON nostr_deliveries (relay_url) WHERE status <> 'ok';
    `);
  },
};
