import { createHash, randomBytes } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { FlashError } from '../../shared/errors';
import type Database from 'better-sqlite3';
import type { Db } from '../store/database';
import type { NostrEvent } from './verify';

/** Vault secret name of the random 32-byte key that seals every stored message text. */
export const MESSAGES_KEY_SECRET = 'nostr:messages-key';

export type RelayRole = { url: string; read: boolean; write: boolean; dm: boolean };

export interface IdentityRow {
  id: string;
  pubkey: string;
  profile: Record<string, string>;
  createdAt: number;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  sender: string;
  createdAt: number;
  direction: 'in' | 'out';
  legacy: boolean;
  read: boolean;
  text: string;
  subject: string | null;
  delivery: {
    ok: number;
    failed: number;
    pending: number;
    total: number;
    relays: number;
    relaysOk: number;
  } | null;
}

export interface ConversationRow {
  id: string;
  members: string[];
  lastMessageAt: number;
  unread: number;
  lastMessage: StoredMessage | null;
}

export interface NewMessage {
  id: string;
  identityId: string;
  members: string[];
  sender: string;
  createdAt: number;
  direction: 'in' | 'out';
  legacy: boolean;
  text: string;
  subject?: string | null;
  read?: boolean;
}

/** Conversation id: sha256 of the sorted, unique member pubkeys (self included), joined by ','. */
export function conversationId(members: string[]): string {
  const sorted = [...new Set(members)].sort();
  // node:crypto rather than pure JS: an inbox's first load computes this once per message.
  return createHash('sha256').update(sorted.join(','), 'utf8').digest('hex');
}

interface MsgRow {
  id: string;
  conversation_id: string;
  sender: string;
  created_at: number;
  direction: 'in' | 'out';
  legacy: number;
  read: number;
  nonce: Uint8Array;
  sealed: Uint8Array;
}

/**
 * SQLite repository for NOSTR. Message texts are sealed with XChaCha20-Poly1305 under the
 * messages key (AAD = message id + conversation id, so a sealed row cannot be moved); nothing
 * readable reaches SQLite. `key()` returns the key or throws VAULT_LOCKED.
 *
 * Search cannot use SQL over ciphertext: `search()` reads the identity's rows, decrypts them one
 * by one in memory and matches case-insensitively there; plaintext never leaves this process.
 */
export function createMessageStore(db: Db, key: () => Uint8Array) {
  // Statements are prepared once: a first load stores thousands of messages through these.
  const statements = new Map<string, Database.Statement<unknown[]>>();
  const prep = (sql: string): Database.Statement<unknown[]> => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const seal = (id: string, convId: string, text: string, subject: string | null) => {
    const nonce = new Uint8Array(randomBytes(24));
    const aad = utf8ToBytes(`${id}:${convId}`);
    const body = utf8ToBytes(JSON.stringify({ t: text, s: subject }));
    return { nonce, sealed: xchacha20poly1305(key(), nonce, aad).encrypt(body) };
  };
  const open = (row: MsgRow): { text: string; subject: string | null } => {
    try {
      const aad = utf8ToBytes(`${row.id}:${row.conversation_id}`);
      const plain = xchacha20poly1305(key(), new Uint8Array(row.nonce), aad).decrypt(
        new Uint8Array(row.sealed),
      );
      const o = JSON.parse(new TextDecoder().decode(plain)) as { t: string; s: string | null };
      return { text: o.t, subject: o.s ?? null };
    } catch (err) {
      if (err instanceof FlashError) throw err;
      throw new FlashError('STORE_CORRUPT', 'A stored message could not be decrypted.', {
        messageId: row.id,
      });
    }
  };

  const record = (identityId: string, event: NostrEvent, relayUrl: string | null, now: number): boolean => {
    const res = prep(
      'INSERT OR IGNORE INTO nostr_events (id, identity_id, kind, raw, received_at) VALUES (?, ?, ?, ?, ?)',
    ).run(event.id, identityId, event.kind, JSON.stringify(event), now);
    if (relayUrl)
      prep('INSERT OR IGNORE INTO nostr_event_relays (event_id, relay_url) VALUES (?, ?)').run(
        event.id,
        relayUrl,
      );
    return res.changes === 1;
  };

  const deliverySummary = (messageId: string): StoredMessage['delivery'] => {
    const rows = prep('SELECT relay_url, status FROM nostr_deliveries WHERE message_id = ?').all(
      messageId,
    ) as { relay_url: string; status: string }[];
    if (rows.length === 0) return null;
    const relays = new Map<string, boolean>();
    for (const r of rows) relays.set(r.relay_url, (relays.get(r.relay_url) ?? false) || r.status === 'ok');
    return {
      ok: rows.filter((r) => r.status === 'ok').length,
      failed: rows.filter((r) => r.status === 'failed').length,
      pending: rows.filter((r) => r.status === 'pending').length,
      total: rows.length,
      relays: relays.size,
      relaysOk: [...relays.values()].filter(Boolean).length,
    };
  };

  const toMessage = (row: MsgRow): StoredMessage => {
    const { text, subject } = open(row);
    return {
      id: row.id,
      conversationId: row.conversation_id,
      sender: row.sender,
      createdAt: row.created_at,
      direction: row.direction,
      legacy: row.legacy === 1,
      read: row.read === 1,
      text,
      subject,
      delivery: row.direction === 'out' ? deliverySummary(row.id) : null,
    };
  };

  return {
    // ---- identities
    insertIdentity(id: string, pubkey: string, createdAt: number): void {
      prep('INSERT INTO nostr_identities (id, pubkey, created_at) VALUES (?, ?, ?)').run(
        id,
        pubkey,
        createdAt,
      );
    },
    deleteIdentity(id: string): void {
      prep('DELETE FROM nostr_identities WHERE id = ?').run(id);
    },
    identity(): IdentityRow | null {
      const r = prep('SELECT * FROM nostr_identities ORDER BY created_at LIMIT 1').get() as
        { id: string; pubkey: string; profile: string; created_at: number } | undefined;
      if (!r) return null;
      return {
        id: r.id,
        pubkey: r.pubkey,
        profile: JSON.parse(r.profile) as Record<string, string>,
        createdAt: r.created_at,
      };
    },
    setProfile(id: string, profile: Record<string, string>): void {
      prep('UPDATE nostr_identities SET profile = ? WHERE id = ?').run(JSON.stringify(profile), id);
    },

    // ---- relays
    setRelays(identityId: string, relays: RelayRole[]): void {
      db.transaction(() => {
        prep('DELETE FROM nostr_relays WHERE identity_id = ?').run(identityId);
        const ins = prep(
          'INSERT INTO nostr_relays (identity_id, url, read, write, dm) VALUES (?, ?, ?, ?, ?)',
        );
        for (const r of relays) ins.run(identityId, r.url, r.read ? 1 : 0, r.write ? 1 : 0, r.dm ? 1 : 0);
      })();
    },
    relays(identityId: string): RelayRole[] {
      const rows = prep(
        'SELECT url, read, write, dm FROM nostr_relays WHERE identity_id = ? ORDER BY url',
      ).all(identityId) as {
        url: string;
        read: number;
        write: number;
        dm: number;
      }[];
      return rows.map((r) => ({ url: r.url, read: r.read === 1, write: r.write === 1, dm: r.dm === 1 }));
    },

    // ---- replaceable events of others (kind 0, 10002, 10050)
    /** Stores a verified replaceable event if newer than ours; returns true when it replaced. */
    putReplaceable(event: NostrEvent): boolean {
      const cur = prep(
        'SELECT created_at, event_id FROM nostr_replaceable WHERE pubkey = ? AND kind = ?',
      ).get(event.pubkey, event.kind) as { created_at: number; event_id: string } | undefined;
      if (
        cur &&
        (cur.created_at > event.created_at ||
          (cur.created_at === event.created_at && cur.event_id <= event.id))
      )
        return false;
      prep(
        `INSERT INTO nostr_replaceable (pubkey, kind, event_id, created_at, raw) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (pubkey, kind) DO UPDATE SET event_id = excluded.event_id, created_at = excluded.created_at,
           raw = excluded.raw, nip05_verified_at = NULL`,
      ).run(event.pubkey, event.kind, event.id, event.created_at, JSON.stringify(event));
      return true;
    },
    replaceable(pubkey: string, kind: number): NostrEvent | null {
      const r = prep('SELECT raw FROM nostr_replaceable WHERE pubkey = ? AND kind = ?').get(pubkey, kind) as
        { raw: string } | undefined;
      return r ? (JSON.parse(r.raw) as NostrEvent) : null;
    },
    setNip05Verified(pubkey: string, at: number | null): void {
      prep('UPDATE nostr_replaceable SET nip05_verified_at = ? WHERE pubkey = ? AND kind = 0').run(
        at,
        pubkey,
      );
    },
    nip05VerifiedAt(pubkey: string): number | null {
      const r = prep(
        'SELECT nip05_verified_at AS v FROM nostr_replaceable WHERE pubkey = ? AND kind = 0',
      ).get(pubkey) as { v: number | null } | undefined;
      return r?.v ?? null;
    },

    /** Runs `fn` in one SQLite transaction (a batch of messages commits together). */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    /** An event stored (verified) with this id, and with this signature when given. */
    hasEvent(id: string, sig?: string): boolean {
      if (sig === undefined) return prep('SELECT 1 FROM nostr_events WHERE id = ?').get(id) !== undefined;
      return (
        prep(`SELECT 1 FROM nostr_events WHERE id = ? AND json_extract(raw, '$.sig') = ?`).get(id, sig) !==
        undefined
      );
    },
    /** Remembers that `relayUrl` also holds an event stored before. */
    addEventRelay(id: string, relayUrl: string): void {
      prep('INSERT OR IGNORE INTO nostr_event_relays (event_id, relay_url) VALUES (?, ?)').run(id, relayUrl);
    },

    // ---- raw DM events (dedupe + pending while locked)
    /** Records a verified event; returns true the first time this id is seen. */
    recordEvent(identityId: string, event: NostrEvent, relayUrl: string | null, now: number): boolean {
      return db.transaction(() => record(identityId, event, relayUrl, now))();
    },
    /**
     * Records many verified events in one SQLite transaction (one commit for a burst from the
     * relays instead of one per event); for each, true the first time its id is seen.
     */
    recordEvents(
      items: readonly { identityId: string; event: NostrEvent; relayUrl: string | null }[],
      now: number,
    ): boolean[] {
      return db.transaction(() => items.map((i) => record(i.identityId, i.event, i.relayUrl, now)))();
    },
    markEvent(id: string, processed: 1 | 2, messageId: string | null): void {
      prep('UPDATE nostr_events SET processed = ?, message_id = ? WHERE id = ?').run(
        processed,
        messageId,
        id,
      );
    },
    pendingEvents(identityId: string): NostrEvent[] {
      const rows = prep(
        'SELECT raw FROM nostr_events WHERE identity_id = ? AND processed = 0 ORDER BY received_at',
      ).all(identityId) as {
        raw: string;
      }[];
      return rows.map((r) => JSON.parse(r.raw) as NostrEvent);
    },
    eventRelays(eventId: string): string[] {
      return (
        prep('SELECT relay_url FROM nostr_event_relays WHERE event_id = ? ORDER BY relay_url').all(
          eventId,
        ) as { relay_url: string }[]
      ).map((r) => r.relay_url);
    },
    newestEventAt(identityId: string): number | null {
      const r = prep('SELECT max(received_at) AS t FROM nostr_events WHERE identity_id = ?').get(
        identityId,
      ) as { t: number | null };
      return r.t;
    },

    // ---- messages
    /** Saves a decrypted message (sealed). Returns the conversation id and whether it was new. */
    saveMessage(m: NewMessage): { conversationId: string; inserted: boolean } {
      const members = [...new Set(m.members)].sort();
      const convId = conversationId(members);
      const { nonce, sealed } = seal(m.id, convId, m.text, m.subject ?? null);
      const write = (): boolean => {
        prep(
          `INSERT INTO nostr_conversations (id, identity_id, members, last_message_at, unread) VALUES (?, ?, ?, ?, 0)
           ON CONFLICT (id) DO NOTHING`,
        ).run(convId, m.identityId, JSON.stringify(members), m.createdAt);
        const read = m.read ?? m.direction === 'out';
        const res = prep(
          `INSERT OR IGNORE INTO nostr_messages (id, conversation_id, sender, created_at, direction, legacy, read, nonce, sealed, stored_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          m.id,
          convId,
          m.sender,
          m.createdAt,
          m.direction,
          m.legacy ? 1 : 0,
          read ? 1 : 0,
          nonce,
          sealed,
          Date.now(),
        );
        if (res.changes === 0) return false;
        prep(
          'UPDATE nostr_conversations SET last_message_at = max(last_message_at, ?), unread = unread + ? WHERE id = ?',
        ).run(m.createdAt, read ? 0 : 1, convId);
        return true;
      };
      // Inside a caller's transaction (the inbox stores a batch in one) no savepoint of its own:
      // a failure still undoes everything, since it rolls the caller's transaction back too.
      const inserted = db.inTransaction ? write() : db.transaction(write)();
      return { conversationId: convId, inserted };
    },
    message(id: string): StoredMessage | null {
      const row = prep('SELECT * FROM nostr_messages WHERE id = ?').get(id) as MsgRow | undefined;
      return row ? toMessage(row) : null;
    },
    hasMessage(id: string): boolean {
      return prep('SELECT 1 FROM nostr_messages WHERE id = ?').get(id) !== undefined;
    },
    messages(convId: string, opts: { limit?: number; before?: number } = {}): StoredMessage[] {
      const rows = prep(
        `SELECT * FROM (SELECT rowid AS rid, * FROM nostr_messages WHERE conversation_id = ? AND created_at < ?
             ORDER BY created_at DESC, rowid DESC LIMIT ?) ORDER BY created_at, rid`,
      ).all(convId, opts.before ?? Number.MAX_SAFE_INTEGER, opts.limit ?? 100) as MsgRow[];
      return rows.map(toMessage);
    },
    conversation(convId: string): ConversationRow | null {
      const r = prep('SELECT * FROM nostr_conversations WHERE id = ?').get(convId) as
        { id: string; members: string; last_message_at: number; unread: number } | undefined;
      if (!r) return null;
      const last = prep(
        'SELECT * FROM nostr_messages WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
      ).get(r.id) as MsgRow | undefined;
      return {
        id: r.id,
        members: JSON.parse(r.members) as string[],
        lastMessageAt: r.last_message_at,
        unread: r.unread,
        lastMessage: last ? toMessage(last) : null,
      };
    },
    conversations(identityId: string): ConversationRow[] {
      const ids = prep(
        'SELECT id FROM nostr_conversations WHERE identity_id = ? ORDER BY last_message_at DESC, id',
      ).all(identityId) as { id: string }[];
      return ids.map((r) => this.conversation(r.id)).filter((c): c is ConversationRow => c !== null);
    },
    markRead(convId: string): void {
      db.transaction(() => {
        prep('UPDATE nostr_messages SET read = 1 WHERE conversation_id = ? AND read = 0').run(convId);
        prep('UPDATE nostr_conversations SET unread = 0 WHERE id = ?').run(convId);
      })();
    },
    /** Decrypts in memory and matches case-insensitively; newest first, at most `limit`. */
    search(identityId: string, query: string, limit = 100): StoredMessage[] {
      const needle = query.toLocaleLowerCase();
      const out: StoredMessage[] = [];
      const rows = prep(
        `SELECT m.* FROM nostr_messages m JOIN nostr_conversations c ON c.id = m.conversation_id
           WHERE c.identity_id = ? ORDER BY m.created_at DESC, m.rowid DESC`,
      ).iterate(identityId) as IterableIterator<MsgRow>;
      for (const row of rows) {
        const { text, subject } = open(row);
        if (
          text.toLocaleLowerCase().includes(needle) ||
          (subject ?? '').toLocaleLowerCase().includes(needle)
        ) {
          out.push(toMessage(row));
          if (out.length >= limit) break;
        }
      }
      return out;
    },

    // ---- deliveries
    /** Journals one copy's delivery; `wrap` is the gift wrap (public ciphertext) so it can be retried. */
    setDelivery(
      d: { messageId: string; relayUrl: string; recipient: string; wrap: NostrEvent },
      status: 'pending' | 'ok' | 'failed',
      reason: string | null,
      now: number,
    ): void {
      prep(
        `INSERT INTO nostr_deliveries (message_id, relay_url, recipient, wrap_id, wrap, status, reason, updated_at, attempts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (message_id, relay_url, recipient) DO UPDATE SET wrap_id = excluded.wrap_id, wrap = excluded.wrap,
           status = excluded.status, reason = excluded.reason, updated_at = excluded.updated_at,
           attempts = attempts + excluded.attempts`,
      ).run(
        d.messageId,
        d.relayUrl,
        d.recipient,
        d.wrap.id,
        JSON.stringify(d.wrap),
        status,
        reason,
        now,
        status === 'pending' ? 0 : 1,
      );
    },
    /** Copies not yet accepted by `relayUrl` (failed or interrupted), oldest first. */
    openDeliveries(
      relayUrl: string,
      maxAttempts: number,
      pendingBefore: number,
    ): { messageId: string; relayUrl: string; recipient: string; wrap: NostrEvent }[] {
      const rows = prep(
        `SELECT message_id, relay_url, recipient, wrap FROM nostr_deliveries
           WHERE relay_url = ? AND attempts < ? AND (status = 'failed' OR (status = 'pending' AND updated_at < ?))
           ORDER BY updated_at LIMIT 200`,
      ).all(relayUrl, maxAttempts, pendingBefore) as {
        message_id: string;
        relay_url: string;
        recipient: string;
        wrap: string;
      }[];
      return rows.map((r) => ({
        messageId: r.message_id,
        relayUrl: r.relay_url,
        recipient: r.recipient,
        wrap: JSON.parse(r.wrap) as NostrEvent,
      }));
    },
    deliveries(
      messageId: string,
    ): { relayUrl: string; recipient: string; status: string; reason: string | null }[] {
      return (
        prep(
          'SELECT relay_url, recipient, status, reason FROM nostr_deliveries WHERE message_id = ? ORDER BY recipient, relay_url',
        ).all(messageId) as {
          relay_url: string;
          recipient: string;
          status: string;
          reason: string | null;
        }[]
      ).map((r) => ({ relayUrl: r.relay_url, recipient: r.recipient, status: r.status, reason: r.reason }));
    },
    deliverySummary,
  };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
