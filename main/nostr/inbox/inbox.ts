import { bytesToHex } from '@noble/hashes/utils.js';
import type { Logger } from '../../core/logger';
import { KIND_CHAT, rumorMembers } from '../dm';
import type { createMessageStore, StoredMessage } from '../message-store';
import type { NostrEvent } from '../verify';
import type { Opened } from './open-wrap';
import type { UnwrapPool, WorkerScript } from './unwrap-pool';
import { createUnwrapPool } from './unwrap-pool';

type MessageStore = ReturnType<typeof createMessageStore>;

/** Gift wraps handed to the pool at once, and batches open at the same time. */
const BATCH = 512;
const IN_FLIGHT = 4;

export interface InboxDeps {
  store: MessageStore;
  log: Logger;
  /** A message was stored for the first time. */
  onMessage(conversationId: string, message: StoredMessage): void;
  /** Worker options (tests and benches pick the script or none). */
  workers?: number;
  script?: WorkerScript | null;
  now?: () => number;
}

export interface Inbox {
  /**
   * A gift wrap from a relay, already checked (id + signature) by the connection: recorded raw
   * with the rest of its burst in one SQLite transaction, then, the first time its id is seen and
   * while `secretKey()` gives the key (null: locked, it stays pending), opened like `add`.
   */
  receive(
    identity: { id: string; pubkey: string },
    event: NostrEvent,
    relayUrl: string | null,
    secretKey: () => Uint8Array | null,
  ): void;
  /** Opens gift wraps already recorded raw (store.recordEvent), off the main thread, in batches. */
  add(identity: { id: string; pubkey: string }, secretKey: Uint8Array, event: NostrEvent): void;
  /** Resolves once every added wrap is opened and stored. */
  idle(): Promise<void>;
  /** Unreadable wraps so far (kept aside, marked 2). */
  readonly undecryptable: number;
  /** The vault locked: the workers holding the key go; what was queued stays pending in SQLite. */
  lock(): Promise<void>;
  close(): Promise<void>;
}

interface Received {
  identity: { id: string; pubkey: string };
  event: NostrEvent;
  relayUrl: string | null;
  secretKey: () => Uint8Array | null;
}

interface Queued {
  identityId: string;
  self: string;
  event: NostrEvent;
}

/**
 * NIP-17 inbox: wraps are opened on worker threads (unwrap-pool.ts) while this thread stores what
 * they hold, one SQLite transaction per batch. A wrap not opened yet is still recorded raw and
 * unprocessed, so a crash or a lock in between loses nothing: processPending opens it later.
 */
export function createInbox(deps: InboxDeps): Inbox {
  const { store, log } = deps;
  let pool: { key: string; pool: UnwrapPool } | null = null;
  const now = deps.now ?? Date.now;
  const received: Received[] = [];
  const queue: Queued[] = [];
  let inFlight = 0;
  let scheduled = false;
  let undecryptable = 0;
  let waiters: (() => void)[] = [];
  let closed = false;
  let secret: Uint8Array | null = null;

  const poolFor = (secretKey: Uint8Array): UnwrapPool => {
    const key = bytesToHex(secretKey);
    if (pool?.key !== key) {
      void pool?.pool.close();
      pool = {
        key,
        pool: createUnwrapPool(secretKey, {
          log,
          ...(deps.workers !== undefined ? { workers: deps.workers } : {}),
          ...(deps.script !== undefined ? { script: deps.script } : {}),
        }),
      };
    }
    return pool.pool;
  };

  const settleWaiters = (): void => {
    if (received.length > 0 || queue.length > 0 || inFlight > 0 || scheduled) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  const store1 = (q: Queued, opened: Opened, inserted: StoredMessage[]): void => {
    if (!opened.ok) {
      if (opened.code === 'VAULT_LOCKED') return; // stays pending
      undecryptable += 1;
      store.markEvent(q.event.id, 2, null);
      log.warn('nostr: unreadable DM event kept aside', { eventId: q.event.id, code: opened.code });
      return;
    }
    const rumor = opened.rumor;
    if (rumor.kind !== KIND_CHAT) {
      store.markEvent(q.event.id, 2, null); // reactions, files...: not shown yet
      return;
    }
    const members = rumorMembers(rumor);
    if (!members.includes(q.self)) members.push(q.self);
    const direction = rumor.pubkey === q.self ? 'out' : 'in';
    const subject = rumor.tags.find((t) => t[0] === 'subject')?.[1] ?? null;
    const res = store.saveMessage({
      id: rumor.id,
      identityId: q.identityId,
      members,
      sender: rumor.pubkey,
      createdAt: rumor.created_at,
      direction,
      legacy: false,
      text: rumor.content,
      subject,
    });
    store.markEvent(q.event.id, 1, rumor.id);
    // WHY not store.message(id): reading the row back decrypts what was just sealed, once per
    // message of a first load. A row inserted now holds exactly this (saveMessage's default: read
    // when sent by us), and no delivery row can name it yet (they reference the message row).
    if (res.inserted)
      inserted.push({
        id: rumor.id,
        conversationId: res.conversationId,
        sender: rumor.pubkey,
        createdAt: rumor.created_at,
        direction,
        legacy: false,
        read: direction === 'out',
        text: rumor.content,
        subject,
        delivery: null,
      });
  };

  /** Records the burst received since the last flush, and queues what is new for opening. */
  const recordReceived = (): void => {
    if (received.length === 0) return;
    const burst = received.splice(0);
    let fresh: boolean[];
    try {
      fresh = store.recordEvents(
        burst.map((r) => ({ identityId: r.identity.id, event: r.event, relayUrl: r.relayUrl })),
        now(),
      );
    } catch (err) {
      // Not recorded: the relays send them again on the next subscription.
      log.warn('nostr: a burst of DM events was not recorded', {
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    const last = burst[burst.length - 1];
    const sk = last ? last.secretKey() : null;
    if (!sk || closed) return; // locked: recorded, unprocessed, opened on unlock
    secret = sk;
    burst.forEach((r, i) => {
      if (fresh[i]) queue.push({ identityId: r.identity.id, self: r.identity.pubkey, event: r.event });
    });
  };

  const flush = (): void => {
    scheduled = false;
    recordReceived();
    while (!closed && queue.length > 0 && inFlight < IN_FLIGHT && secret) {
      const batch = queue.splice(0, BATCH);
      inFlight += 1;
      void poolFor(secret)
        .open(batch.map((q) => q.event))
        .then((results) => {
          const inserted: StoredMessage[] = [];
          store.transaction(() => batch.forEach((q, i) => store1(q, results[i] as Opened, inserted)));
          for (const m of inserted) deps.onMessage(m.conversationId, m);
        })
        .catch((err: unknown) => {
          // Left unprocessed in SQLite: the next unlock or start opens them.
          log.warn('nostr: a batch of DM events was not opened', {
            error: err instanceof Error ? err.message : String(err),
          });
        })
        .finally(() => {
          inFlight -= 1;
          if (queue.length > 0) schedule();
          settleWaiters();
        });
    }
    settleWaiters();
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    // After the current burst of relay messages: more wraps per batch, fewer hops.
    setImmediate(flush);
  };

  return {
    receive(identity, event, relayUrl, secretKey) {
      if (closed) return;
      received.push({ identity, event, relayUrl, secretKey });
      schedule();
    },
    add(identity, secretKey, event) {
      if (closed) return;
      secret = secretKey;
      queue.push({ identityId: identity.id, self: identity.pubkey, event });
      schedule();
    },
    idle() {
      if (received.length === 0 && queue.length === 0 && inFlight === 0 && !scheduled)
        return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    get undecryptable() {
      return undecryptable;
    },
    async lock() {
      queue.length = 0;
      secret = null;
      const p = pool;
      pool = null;
      await p?.pool.close();
      settleWaiters();
    },
    async close() {
      closed = true;
      await this.lock();
    },
  };
}
