import { randomBytes, randomUUID } from 'node:crypto';
import { finalizeEvent } from 'nostr-tools/pure';
import type { Socks5ProxySetting } from '../../shared/contract';
import type {
  NostrConversation,
  NostrIdentity,
  NostrChannel,
  NostrChannelPost,
  NostrContact,
  NostrKeyImport,
  NostrMerchantProfile,
  NostrMessage,
  NostrPerson,
  NostrReceiptInput,
  NostrProfile,
  NostrPublishResult,
  NostrRelayInfo,
  NostrRelayRole,
  NostrRelayStatus,
  NostrSendResult,
} from '../../shared/contract/nostr';
import { FlashError, isFlashError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../store/database';
import type { VaultService } from '../vault/types';
import {
  createDm,
  decryptLegacyDm,
  KIND_CHAT,
  KIND_GIFT_WRAP,
  KIND_LEGACY_DM,
  nip44Decrypt,
  rumorMembers,
  unwrapDm,
} from './dm';
import * as nip44 from 'nostr-tools/nip44';
import { conversationKey } from './conversation-key';
import type { KeyPair } from './identity';
import {
  encryptNcryptsec,
  generateKeyPair,
  importSecret,
  keyPairFromSecret,
  npubEncode,
  nsecSecretName,
  parsePubkey,
} from './identity';
import type { ConversationRow, RelayRole, StoredMessage } from './message-store';
import { createMessageStore, MESSAGES_KEY_SECRET } from './message-store';
import type { Resolver } from './dial-policy';
import { checkDialUrl, describeRefusal } from './dial-policy';
import { createNostrDialer } from './dialer';
import { fetchNip05Json } from './nip05-fetch';
import {
  announceMissing,
  dmRelayListTemplate,
  KIND_DM_RELAYS,
  KIND_RELAY_LIST,
  nextCreatedAt,
  relayListTemplate,
} from './own-lists';
import type { Profile } from './profile';
import { profileFromEvent, profileTemplate, verifyNip05 } from './profile';
import type { AuthSigner, Filter, RelayConnectionOptions, WebSocketCtor } from './relay-connection';
import type { HistoryBackfill } from './history-backfill';
import { createHistoryBackfill } from './history-backfill';
import { normalizeRelayUrl, RelayPool } from './relay-pool';
import type { NostrEvent } from './verify';
import { createChannelService } from './channel-service';
import { createInbox } from './inbox/inbox';
import { createPeopleService } from './people-service';
import { buildReceipt, formatReceipt, parseReceipt } from './receipt';
import type { SocialContext } from './social-context';
import { createSocialStore } from './social-store';

export { KIND_DM_RELAYS, KIND_RELAY_LIST };
/** The live subscription for our DMs on every read relay. */
const DM_SUB = 'dm';
/** A copy is offered to a relay at most this many times (first send + retries on reconnect). */
export const MAX_DELIVERY_ATTEMPTS = 6;

export interface NostrServiceDeps {
  db: Db;
  vault: VaultService;
  bus: EventBus;
  log: Logger;
  now?: () => number;
  webSocket?: WebSocketCtor;
  /**
   * Relays used until the user sets a list (a new identity starts with these); given by the
   * user (--nostr-relays), so trusted like their own list: a local port is fine for them.
   */
  defaultRelays?: string[];
  /** SOCKS5 proxy for every relay socket and NIP-05 fetch (the Electrum proxy setting). */
  proxy?: Socks5ProxySetting | null;
  /** DNS look-ups for the dial policy (tests play a lying DNS server through it). */
  resolve?: Resolver;
  /** Tuning for tests. */
  relay?: {
    backoff?: RelayConnectionOptions['backoff'];
    connectTimeoutMs?: number;
    publishTimeoutMs?: number;
    queryTimeoutMs?: number;
  };
  /** NIP-49 scrypt cost exponent for exports (16 by default; tests use less). */
  ncryptsecLogN?: number;
  /** NIP-05 over http (tests only). */
  nip05Scheme?: 'https' | 'http';
}

export interface NostrService {
  getIdentity(): NostrIdentity | null;
  createIdentity(): NostrIdentity;
  importIdentity(input: NostrKeyImport): NostrIdentity;
  exportNcryptsec(input: { vaultPassword: string; exportPassword: string }): Promise<{ ncryptsec: string }>;
  updateProfile(profile: NostrProfile): Promise<{ identity: NostrIdentity; results: NostrPublishResult[] }>;
  verifyNip05(pubkey: string, nip05: string): Promise<{ verified: boolean }>;
  getProfile(pubkey: string): Profile | null;
  listRelays(): NostrRelayInfo[];
  setRelays(relays: NostrRelayRole[]): Promise<{ relays: NostrRelayInfo[]; results: NostrPublishResult[] }>;
  relayStatuses(): NostrRelayStatus[];
  listConversations(): NostrConversation[];
  getMessages(input: { conversationId: string; limit?: number; before?: number }): NostrMessage[];
  searchMessages(input: { query: string; limit?: number }): NostrMessage[];
  sendMessage(input: { to: string[]; text: string; subject?: string }): Promise<NostrSendResult>;
  markRead(input: { conversationId: string }): { done: true };
  listChannels(): NostrChannel[];
  createChannel(input: {
    name: string;
    about?: string;
    picture?: string;
  }): Promise<{ channel: NostrChannel; results: NostrPublishResult[] }>;
  updateChannel(input: {
    channelId: string;
    name: string;
    about?: string;
    picture?: string;
  }): Promise<{ channel: NostrChannel; results: NostrPublishResult[] }>;
  joinChannel(input: { ref: string }): Promise<NostrChannel>;
  leaveChannel(input: { channelId: string }): { done: true };
  getChannelPosts(input: { channelId: string; limit?: number }): NostrChannelPost[];
  postToChannel(input: {
    channelId: string;
    text: string;
    replyTo?: string;
  }): Promise<{ post: NostrChannelPost; results: NostrPublishResult[] }>;
  listContacts(): NostrContact[];
  follow(input: {
    pubkey: string;
    petname?: string;
    relay?: string;
  }): Promise<{ contacts: NostrContact[]; results: NostrPublishResult[] }>;
  unfollow(input: { pubkey: string }): Promise<{ contacts: NostrContact[]; results: NostrPublishResult[] }>;
  getPeople(input: { pubkeys: string[] }): NostrPerson[];
  getMerchantProfile(): NostrMerchantProfile | null;
  setMerchantProfile(
    profile: NostrMerchantProfile,
  ): Promise<{ profile: NostrMerchantProfile; results: NostrPublishResult[] }>;
  sendReceipt(input: { to: string[]; receipt: NostrReceiptInput }): Promise<NostrSendResult>;
  /** Reads our own profile, relay lists, contacts and merchant data back from the relays. */
  syncOwn(): Promise<void>;
  /** Dm relays (kind 10050) of someone, fetched from our relays if not cached. */
  dmRelaysOf(pubkey: string): Promise<string[]>;
  /** Reprocesses events received while the vault was locked; returns how many became messages. */
  processPending(): number;
  /** New proxy setting (null: direct): every relay socket is dialled again through it. */
  setProxy(proxy: Socks5ProxySetting | null): void;
  /** The one relay pool of the app (Lightning's NWC parts use it too); null while stopped. */
  relayPool(): RelayPool | null;
  /**
   * Keeps relays open for another part of the app (an NWC wallet's relays) beside the user's
   * lists, and trusts them as the user's own: the user pasted them. With `auth`, a NIP-42
   * challenge from one of these relays that is not also the user's own is answered with that
   * signer instead of the NOSTR identity, so the wallet's relay never learns who the user is.
   */
  holdRelays(owner: string, urls: string[], auth?: AuthSigner): void;
  releaseRelays(owner: string): void;
  /**
   * NIP-44 to the identity's own key (NIP-60 wallet events): the secret key never leaves this
   * service. Throws NOSTR_NO_IDENTITY, VAULT_LOCKED or NOSTR_DECRYPT_FAILED.
   */
  encryptToSelf(text: string): string;
  decryptFromSelf(payload: string): string;
  /** Signs with the identity's key (zap requests); throws NOSTR_NO_IDENTITY or VAULT_LOCKED. */
  signEvent(template: { kind: number; created_at: number; tags: string[][]; content: string }): NostrEvent;
  /** The user's relays by role (read includes DM relays), normalized. */
  userRelays(): { read: string[]; write: string[] };
  start(): void;
  stop(): void;
}

/**
 * NOSTR: one identity (key in the vault), its relays (NIP-65 + NIP-17 DM list), private messages
 * (NIP-17, legacy NIP-04 read only) and groups. Incoming DM events are recorded raw (ciphertext)
 * before anything else, so a locked vault or a crash loses nothing: they are opened on unlock.
 */
export function createNostrService(deps: NostrServiceDeps): NostrService {
  const { db, vault, log } = deps;
  const now = deps.now ?? Date.now;
  const emit = deps.bus.emit;
  const store = createMessageStore(db, () => vault.getSecret(MESSAGES_KEY_SECRET));
  let pool: RelayPool | null = null;
  let backfill: HistoryBackfill | null = null;
  const unsubs: (() => void)[] = [];
  let undecryptable = 0;
  // Gift wraps from relays are opened off the main thread, in batches (inbox/).
  const inbox = createInbox({
    store,
    log,
    now,
    onMessage: (conversationId, message) =>
      emit('nostr.message', { conversationId, message: toMessage(message) }),
  });

  const unlocked = (): boolean => vault.status().state === 'unlocked';

  let proxy: Socks5ProxySetting | null = deps.proxy ?? null;
  const cliRelays = new Set<string>();
  /** Relays other parts of the app hold open, by owner (see holdRelays). */
  const held = new Map<string, { urls: string[]; auth: AuthSigner | null }>();
  const heldRelays = (): string[] => [...new Set([...held.values()].flatMap((h) => h.urls))];
  for (const url of deps.defaultRelays ?? []) {
    try {
      cliRelays.add(normalizeRelayUrl(url));
    } catch {
      // not a relay URL: never dialled anyway
    }
  }
  /** Relays the user chose (their list, --nostr-relays); everything else comes from strangers. */
  const isUsersOwnRelay = (url: string): boolean => {
    if (cliRelays.has(url)) return true;
    const id = store.identity();
    return id ? store.relays(id.id).some((r) => r.url === url) : false;
  };
  const isTrustedRelay = (url: string): boolean => isUsersOwnRelay(url) || heldRelays().includes(url);
  /** The signer a holder gave for this relay, unless the user uses the relay as themselves anyway. */
  const holderAuth = (url: string): AuthSigner | null => {
    if (isUsersOwnRelay(url)) return null;
    for (const h of held.values()) if (h.auth && h.urls.includes(url)) return h.auth;
    return null;
  };
  const dialer = createNostrDialer({
    proxy: () => proxy,
    isTrustedRelay,
    ...(deps.resolve ? { resolve: deps.resolve } : {}),
  });
  const fetchNip05 = (url: string) => fetchNip05Json(url, dialer);

  const requireIdentity = () => {
    const id = store.identity();
    if (!id) throw new FlashError('NOSTR_NO_IDENTITY', 'No NOSTR identity yet.');
    return id;
  };

  const keys = (): KeyPair => {
    const id = requireIdentity();
    return keyPairFromSecret(vault.getSecret(nsecSecretName(id.id)));
  };

  const toIdentity = (row: {
    id: string;
    pubkey: string;
    profile: Record<string, string>;
    createdAt: number;
  }): NostrIdentity => ({
    id: row.id,
    pubkey: row.pubkey,
    npub: npubEncode(row.pubkey),
    profile: row.profile as NostrProfile,
    createdAt: row.createdAt,
  });

  const getPool = (): RelayPool => {
    if (!pool) throw new FlashError('INTERNAL', 'The NOSTR service is not started.');
    return pool;
  };

  const relaysOf = (pred: (r: RelayRole) => boolean): string[] => {
    const id = store.identity();
    if (!id) return [];
    return store
      .relays(id.id)
      .filter(pred)
      .map((r) => r.url);
  };
  const readRelays = () => relaysOf((r) => r.read || r.dm);
  const writeRelays = () => relaysOf((r) => r.write);
  const myDmRelays = () => {
    const dm = relaysOf((r) => r.dm);
    return dm.length > 0 ? dm : writeRelays();
  };

  const toMessage = (m: StoredMessage): NostrMessage => ({ ...m, receipt: parseReceipt(m.text) });
  const toConversation = (c: ConversationRow, self: string): NostrConversation => {
    const others = c.members.filter((p) => p !== self);
    return {
      id: c.id,
      members: others.length > 0 ? others : [self],
      isGroup: others.length > 1,
      lastMessageAt: c.lastMessageAt,
      unread: c.unread,
      lastMessage: c.lastMessage ? toMessage(c.lastMessage) : null,
    };
  };

  const social = createSocialStore(db);
  const allRelays = () => [...new Set([...readRelays(), ...writeRelays(), ...myDmRelays()])];
  const socialCtx: SocialContext = {
    store,
    social,
    log,
    emit,
    now,
    nowSec: () => Math.floor(now() / 1000),
    identity: () => store.identity(),
    requireIdentity,
    sign: (template) => sign(template),
    pool: getPool,
    poolOrNull: () => pool,
    writeRelays,
    allRelays,
    queryTimeoutMs: deps.relay?.queryTimeoutMs ?? 3000,
  };
  const channels = createChannelService(socialCtx);
  const people = createPeopleService(socialCtx, {
    checkNip05: async (nip05, pubkey) => {
      await verifyNip05(nip05, pubkey, fetchNip05, deps.nip05Scheme ? { scheme: deps.nip05Scheme } : {});
    },
    adoptRelays: (list) => {
      const id = requireIdentity();
      store.setRelays(id.id, list);
      subscribeAll();
    },
  });
  /** Set while our lists could not be checked against our relays; retried when one opens. */
  let announcePending = false;
  /** Keys made on this machine in this session: nobody else can have published for them. */
  const generatedHere = new Set<string>();
  let syncing: Promise<void> | null = null;
  const syncOnce = async (): Promise<void> => {
    try {
      const { asked, answered } = await people.syncOwn();
      const id = store.identity();
      const p = pool;
      if (!id || !p) return;
      // A relay that did not answer may hold lists or a profile this key published elsewhere;
      // ours, being newer, would bury them. So an imported key waits for every relay, and even
      // a new one needs a relay to publish to. Tried again when a relay opens.
      const known = answered > 0 && (answered >= asked || generatedHere.has(id.pubkey));
      if (!known) {
        announcePending = true;
        return;
      }
      announcePending = false;
      if (!unlocked()) return;
      const { kinds, results } = await announceMissing({
        store,
        pool: p,
        self: id.pubkey,
        profile: id.profile as Profile,
        relays: store.relays(id.id),
        dmRelays: myDmRelays(),
        targets: [...new Set([...writeRelays(), ...myDmRelays()])],
        nowSec: Math.floor(now() / 1000),
        sign: (t) => sign(t),
      });
      if (kinds.length > 0)
        log.info('nostr: published our missing public events', {
          kinds: kinds.join(','),
          accepted: results.filter((r) => r.ok).length,
        });
    } catch (err) {
      log.warn('nostr: reading our own events back failed', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  };
  const syncOwn = (): Promise<void> => {
    // One at a time: start, unlock and a relay coming up may all ask at once.
    syncing ??= syncOnce().finally(() => {
      syncing = null;
    });
    return syncing;
  };

  // ---- incoming

  const processDmEvent = (identityId: string, self: string, event: NostrEvent, sk: Uint8Array): boolean => {
    try {
      let saved: { conversationId: string; inserted: boolean; id: string };
      if (event.kind === KIND_GIFT_WRAP) {
        const rumor = unwrapDm(event, sk);
        if (rumor.kind !== KIND_CHAT) {
          store.markEvent(event.id, 2, null); // reactions, files...: not shown yet
          return false;
        }
        const members = rumorMembers(rumor);
        if (!members.includes(self)) members.push(self);
        const subject = rumor.tags.find((t) => t[0] === 'subject')?.[1] ?? null;
        const direction = rumor.pubkey === self ? 'out' : 'in';
        const res = store.saveMessage({
          id: rumor.id,
          identityId,
          members,
          sender: rumor.pubkey,
          createdAt: rumor.created_at,
          direction,
          legacy: false,
          text: rumor.content,
          subject,
        });
        saved = { ...res, id: rumor.id };
      } else if (event.kind === KIND_LEGACY_DM) {
        const { peer, text } = decryptLegacyDm(event, sk);
        const res = store.saveMessage({
          id: event.id,
          identityId,
          members: [self, peer],
          sender: event.pubkey,
          createdAt: event.created_at,
          direction: event.pubkey === self ? 'out' : 'in',
          legacy: true,
          text,
        });
        saved = { ...res, id: event.id };
      } else {
        return false;
      }
      store.markEvent(event.id, 1, saved.id);
      if (saved.inserted) {
        const message = store.message(saved.id);
        if (message)
          emit('nostr.message', { conversationId: saved.conversationId, message: toMessage(message) });
      }
      return saved.inserted;
    } catch (err) {
      if (isFlashError(err) && err.code === 'VAULT_LOCKED') return false; // stays pending
      undecryptable += 1;
      store.markEvent(event.id, 2, null);
      log.warn('nostr: unreadable DM event kept aside', {
        eventId: event.id,
        code: isFlashError(err) ? err.code : 'INTERNAL',
      });
      return false;
    }
  };

  const onEvent = (event: NostrEvent, relayUrl: string): void => {
    const id = store.identity();
    if (!id) return;
    if (channels.onEvent(event) || people.onEvent(event)) return;
    if (event.kind === 0 || event.kind === KIND_RELAY_LIST || event.kind === KIND_DM_RELAYS) {
      store.putReplaceable(event);
      return;
    }
    if (event.kind !== KIND_GIFT_WRAP && event.kind !== KIND_LEGACY_DM) return;
    const addressed =
      event.tags.some((t) => t[0] === 'p' && t[1] === id.pubkey) || event.pubkey === id.pubkey;
    if (!addressed) return;
    if (event.kind === KIND_GIFT_WRAP) {
      // Recorded with the rest of its burst in one transaction, opened on the inbox's workers.
      inbox.receive(id, event, relayUrl, secretKeyIfUnlocked);
      return;
    }
    const isNew = store.recordEvent(id.id, event, relayUrl, now());
    const sk = isNew ? secretKeyIfUnlocked() : null;
    if (sk) processDmEvent(id.id, id.pubkey, event, sk);
  };

  /** The identity's key while the vault is unlocked; null when locked (events stay pending). */
  const secretKeyIfUnlocked = (): Uint8Array | null => {
    if (!unlocked()) return null;
    try {
      return keys().secretKey;
    } catch {
      return null; // locked in between: processed on unlock
    }
  };

  const processPending = (): number => {
    const id = store.identity();
    if (!id || !unlocked()) return 0;
    const sk = keys().secretKey;
    let n = 0;
    for (const event of store.pendingEvents(id.id)) if (processDmEvent(id.id, id.pubkey, event, sk)) n += 1;
    return n;
  };

  const subscribeAll = (): void => {
    const p = pool;
    const id = store.identity();
    if (!p || !id) return;
    const urls = [...new Set([...readRelays(), ...myDmRelays()])];
    p.retain([...urls, ...writeRelays(), ...heldRelays()]);
    // Gift wraps carry created_at up to two days in the past (NIP-59): look back three days
    // from the newest one already stored; the store dedupes whatever comes twice.
    p.subscribe(DM_SUB, dmFilters(id), urls);
    channels.subscribe();
  };

  const dmFilters = (id: { id: string; pubkey: string }): Filter[] => {
    const newest = store.newestEventAt(id.id);
    const since = newest === null ? undefined : Math.floor(newest / 1000) - 3 * 86_400;
    const window = since !== undefined && since > 0 ? { since } : {};
    return [
      { kinds: [KIND_GIFT_WRAP], '#p': [id.pubkey], ...window },
      { kinds: [KIND_LEGACY_DM], '#p': [id.pubkey], ...window },
      { kinds: [KIND_LEGACY_DM], authors: [id.pubkey], ...window },
    ];
  };

  /** A relay finished its newest page of our DMs: page back through the rest of its history. */
  const backfillDms = (url: string): void => {
    const id = store.identity();
    if (!id || !backfill) return;
    void backfill.run(id.id, url, dmFilters(id), Math.floor(now() / 1000)).then((pass) => {
      if (pass.pages > 1) log.info('nostr: DM history paged in', { relay: url, ...pass });
    });
  };

  // ---- retries: copies a relay did not accept are sent again when it (re)connects

  const retrying = new Set<string>();
  const lastState = new Map<string, string>();
  const retryDeliveries = async (url: string): Promise<void> => {
    if (retrying.has(url) || !pool) return;
    retrying.add(url);
    try {
      // Let AUTH (if asked) settle before resending.
      await new Promise((r) => setTimeout(r, 50));
      // 'pending' rows younger than a minute belong to a send still in flight.
      const open = store.openDeliveries(url, MAX_DELIVERY_ATTEMPTS, now() - 60_000);
      const changed = new Set<string>();
      for (const d of open) {
        const p = pool;
        if (!p) return;
        const [res] = await p.publish(d.wrap, [url]);
        if (!res) continue;
        store.setDelivery(d, res.ok ? 'ok' : 'failed', res.message || null, now());
        changed.add(d.messageId);
      }
      for (const messageId of changed) {
        const message = store.message(messageId);
        if (message)
          emit('nostr.message', { conversationId: message.conversationId, message: toMessage(message) });
      }
    } catch (err) {
      log.warn('nostr: delivery retry failed', {
        relay: url,
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      retrying.delete(url);
    }
  };

  // ---- identity

  const ensureMessagesKey = (): void => {
    if (!vault.hasSecret(MESSAGES_KEY_SECRET))
      vault.putSecret(MESSAGES_KEY_SECRET, new Uint8Array(randomBytes(32)));
  };

  const adopt = (kp: KeyPair): NostrIdentity => {
    if (!unlocked()) throw new FlashError('VAULT_LOCKED', 'Unlock the vault first.');
    if (store.identity()) throw new FlashError('NOSTR_IDENTITY_EXISTS', 'A NOSTR identity already exists.');
    const id = randomUUID();
    ensureMessagesKey();
    vault.putSecret(nsecSecretName(id), kp.secretKey);
    try {
      store.insertIdentity(id, kp.pubkey, now());
      const defaults = (deps.defaultRelays ?? []).map((url) => ({
        url: normalizeRelayUrl(url),
        read: true,
        write: true,
        dm: true,
      }));
      if (defaults.length > 0) store.setRelays(id, defaults);
    } catch (err) {
      vault.deleteSecret(nsecSecretName(id));
      throw err;
    }
    subscribeAll();
    void syncOwn();
    return toIdentity(requireIdentity());
  };

  const sign = (template: {
    kind: number;
    created_at: number;
    tags: string[][];
    content: string;
  }): NostrEvent => finalizeEvent(template, keys().secretKey);

  const relayInfos = (): NostrRelayInfo[] => {
    const id = store.identity();
    if (!id) return [];
    const statuses = new Map((pool?.statuses() ?? []).map((s) => [s.url, s]));
    return store.relays(id.id).map((r) => ({ ...r, status: statuses.get(r.url) ?? null }));
  };

  /**
   * Someone's relay URLs that we may dial: normalized, deduped, and without the ones the dial
   * policy refuses (so no delivery is journaled to a relay we will never open).
   */
  const dialable = (urls: string[], owner: string): string[] => {
    const out = new Set<string>();
    for (const raw of urls) {
      let url: string;
      try {
        url = normalizeRelayUrl(raw);
      } catch {
        continue;
      }
      const decision = checkDialUrl(url, { trusted: isTrustedRelay(url) });
      if (decision.ok) out.add(url);
      else
        log.info('nostr: a relay from someone’s list is refused', {
          owner,
          why: describeRefusal(decision.refusal),
        });
    }
    return [...out];
  };

  const dmRelaysOf = async (pubkey: string): Promise<string[]> => {
    const id = requireIdentity();
    if (pubkey === id.pubkey) return myDmRelays();
    let ev = store.replaceable(pubkey, KIND_DM_RELAYS);
    if (!ev) {
      const urls = [...new Set([...readRelays(), ...writeRelays()])];
      const found = await getPool().query(
        [{ kinds: [KIND_DM_RELAYS, KIND_RELAY_LIST], authors: [pubkey] }],
        urls,
        deps.relay?.queryTimeoutMs ?? 3000,
      );
      for (const e of found) if (e.pubkey === pubkey) store.putReplaceable(e);
      ev = store.replaceable(pubkey, KIND_DM_RELAYS);
    }
    const list = dialable(
      (ev?.tags ?? []).filter((t) => t[0] === 'relay' && t[1]).map((t) => t[1] as string),
      pubkey,
    );
    if (list.length > 0) return list.slice(0, 10);
    // No usable kind 10050: fall back to the inbox (read) relays of their NIP-65 list, then to ours.
    const nip65 = store.replaceable(pubkey, KIND_RELAY_LIST);
    const inbox = dialable(
      (nip65?.tags ?? [])
        .filter((t) => t[0] === 'r' && t[1] && (t[2] === undefined || t[2] === 'read'))
        .map((t) => t[1] as string),
      pubkey,
    );
    return inbox.length > 0 ? inbox.slice(0, 10) : myDmRelays();
  };

  const api: NostrService = {
    getIdentity() {
      const row = store.identity();
      return row ? toIdentity(row) : null;
    },
    createIdentity() {
      const kp = generateKeyPair();
      generatedHere.add(kp.pubkey);
      return adopt(kp);
    },
    importIdentity(input) {
      return adopt(importSecret(input));
    },
    async exportNcryptsec({ vaultPassword, exportPassword }) {
      await vault.verifyPassword(vaultPassword);
      return { ncryptsec: encryptNcryptsec(keys().secretKey, exportPassword, deps.ncryptsecLogN ?? 16) };
    },
    async updateProfile(profile) {
      const id = requireIdentity();
      const previous = store.replaceable(id.pubkey, 0);
      const event = sign(profileTemplate(profile, nextCreatedAt(Math.floor(now() / 1000), previous)));
      store.setProfile(id.id, profileFromEvent(event) as Record<string, string>);
      store.putReplaceable(event);
      const results = await getPool().publish(event, writeRelays());
      return { identity: toIdentity(requireIdentity()), results };
    },
    async verifyNip05(pubkeyInput, nip05) {
      const pubkey = parsePubkey(pubkeyInput);
      await verifyNip05(nip05, pubkey, fetchNip05, {
        ...(deps.nip05Scheme ? { scheme: deps.nip05Scheme } : {}),
      });
      store.setNip05Verified(pubkey, now());
      return { verified: true };
    },
    getProfile(pubkeyInput) {
      const ev = store.replaceable(parsePubkey(pubkeyInput), 0);
      return ev ? profileFromEvent(ev) : null;
    },
    listRelays: relayInfos,
    async setRelays(relays) {
      const id = requireIdentity();
      const clean = new Map<string, RelayRole>();
      for (const r of relays) {
        let url: string;
        try {
          url = normalizeRelayUrl(r.url);
        } catch {
          throw new FlashError('BAD_INPUT', `Not a relay URL: ${r.url}`);
        }
        const prev = clean.get(url);
        clean.set(url, {
          url,
          read: r.read || (prev?.read ?? false),
          write: r.write || (prev?.write ?? false),
          dm: r.dm || (prev?.dm ?? false),
        });
      }
      const list = [...clean.values()];
      store.setRelays(id.id, list);
      subscribeAll();
      const nowSec = Math.floor(now() / 1000);
      const nip65 = sign(
        relayListTemplate(list, nextCreatedAt(nowSec, store.replaceable(id.pubkey, KIND_RELAY_LIST))),
      );
      const dmList = sign(
        dmRelayListTemplate(
          list.filter((r) => r.dm).map((r) => r.url),
          nextCreatedAt(nowSec, store.replaceable(id.pubkey, KIND_DM_RELAYS)),
        ),
      );
      store.putReplaceable(nip65);
      store.putReplaceable(dmList);
      const targets = [...new Set([...writeRelays(), ...myDmRelays()])];
      if (targets.length === 0) return { relays: relayInfos(), results: [] };
      const [a, b] = await Promise.all([
        getPool().publish(nip65, targets),
        getPool().publish(dmList, targets),
      ]);
      const results = (a ?? []).map((r, i) => {
        const other = b?.[i];
        return other && !other.ok ? other : r;
      });
      return { relays: relayInfos(), results };
    },
    relayStatuses() {
      return pool?.statuses() ?? [];
    },
    listConversations() {
      const id = store.identity();
      if (!id) return [];
      return store.conversations(id.id).map((c) => toConversation(c, id.pubkey));
    },
    getMessages({ conversationId, limit, before }) {
      if (!store.conversation(conversationId)) {
        throw new FlashError('NOSTR_CONVERSATION_NOT_FOUND', 'No such conversation.');
      }
      return store
        .messages(conversationId, {
          ...(limit !== undefined ? { limit } : {}),
          ...(before !== undefined ? { before } : {}),
        })
        .map(toMessage);
    },
    searchMessages({ query, limit }) {
      const id = requireIdentity();
      return store.search(id.id, query, limit ?? 100).map(toMessage);
    },
    async sendMessage({ to, text, subject }) {
      const id = requireIdentity();
      const recipients = [...new Set(to.map(parsePubkey))].filter((p) => p !== id.pubkey);
      const kp = keys();
      const dm = createDm(kp.secretKey, recipients, text, {
        createdAt: Math.floor(now() / 1000),
        ...(subject ? { subject } : {}),
      });
      // Resolve every recipient's DM relays before writing anything.
      const targets = new Map<string, string[]>();
      for (const { recipient } of dm.wraps) targets.set(recipient, await dmRelaysOf(recipient));
      if ([...targets.values()].every((t) => t.length === 0)) {
        throw new FlashError('NOSTR_NO_RELAYS', 'Neither you nor the recipients have DM relays.');
      }
      // Journal first: the message and its pending deliveries are stored before the network.
      const members = [id.pubkey, ...recipients];
      const { conversationId } = store.saveMessage({
        id: dm.rumor.id,
        identityId: id.id,
        members,
        sender: id.pubkey,
        createdAt: dm.rumor.created_at,
        direction: 'out',
        legacy: false,
        text,
        subject: subject ?? null,
      });
      for (const { recipient, wrap } of dm.wraps) {
        // Our own copy is also recorded as a known event, so its echo is not reprocessed.
        if (recipient === id.pubkey) {
          store.recordEvent(id.id, wrap, null, now());
          store.markEvent(wrap.id, 1, dm.rumor.id);
        }
        for (const url of targets.get(recipient) ?? [])
          store.setDelivery(
            { messageId: dm.rumor.id, relayUrl: url, recipient, wrap },
            'pending',
            null,
            now(),
          );
      }
      const results = (
        await Promise.all(
          dm.wraps.map(async ({ recipient, wrap }) => {
            const res = await getPool().publish(wrap, targets.get(recipient) ?? []);
            for (const r of res)
              store.setDelivery(
                { messageId: dm.rumor.id, relayUrl: r.url, recipient, wrap },
                r.ok ? 'ok' : 'failed',
                r.message || null,
                now(),
              );
            return res.map((r) => ({ ...r, recipient }));
          }),
        )
      ).flat();
      const message = store.message(dm.rumor.id);
      if (!message) throw new FlashError('INTERNAL', 'The sent message vanished.');
      emit('nostr.message', { conversationId, message: toMessage(message) });
      if (!results.some((r) => r.ok))
        log.warn('nostr: no relay accepted a message', { messageId: dm.rumor.id });
      return { message: toMessage(message), results };
    },
    markRead({ conversationId }) {
      if (!store.conversation(conversationId))
        throw new FlashError('NOSTR_CONVERSATION_NOT_FOUND', 'No such conversation.');
      store.markRead(conversationId);
      return { done: true as const };
    },
    listChannels: () => channels.list(),
    createChannel: (input) => channels.create(input),
    updateChannel: (input) => channels.update(input),
    joinChannel: ({ ref }) => channels.join(ref),
    leaveChannel: ({ channelId }) => channels.leave(channelId),
    getChannelPosts: ({ channelId, limit }) => channels.posts(channelId, limit ?? 200),
    postToChannel: (input) => channels.post(input),
    listContacts: () => people.listContacts(),
    follow: (input) => people.follow(input),
    unfollow: (input) => people.unfollow(input),
    getPeople: ({ pubkeys }) => people.getPeople(pubkeys),
    getMerchantProfile: () => people.getMerchant(),
    setMerchantProfile: (profile) => people.setMerchant(profile),
    async sendReceipt({ to, receipt }) {
      const id = requireIdentity();
      const merchant =
        receipt.merchant ??
        people.getMerchant()?.businessName ??
        id.profile.display_name ??
        id.profile.name ??
        null;
      if (!merchant)
        throw new FlashError(
          'NOSTR_BAD_RECEIPT',
          'Set a business name (merchant profile) before sending receipts.',
        );
      const built = buildReceipt(receipt, merchant, Math.floor(now() / 1000));
      return api.sendMessage({ to, text: formatReceipt(built) });
    },
    syncOwn,
    dmRelaysOf,
    processPending,
    relayPool: () => pool,
    holdRelays(owner, urls, auth) {
      held.set(owner, { urls: urls.map((u) => normalizeRelayUrl(u)), auth: auth ?? null });
    },
    releaseRelays(owner) {
      held.delete(owner);
      pool?.retain([...readRelays(), ...myDmRelays(), ...writeRelays(), ...heldRelays()]);
    },
    signEvent: (template) => sign(template),
    encryptToSelf(text) {
      const kp = keys();
      return nip44.encrypt(text, conversationKey(kp.secretKey, kp.pubkey));
    },
    decryptFromSelf(payload) {
      const kp = keys();
      return nip44Decrypt(payload, kp.secretKey, kp.pubkey);
    },
    userRelays: () => ({ read: readRelays(), write: writeRelays() }),
    setProxy(next) {
      if (JSON.stringify(next) === JSON.stringify(proxy)) return;
      proxy = next;
      pool?.restartAll();
    },
    start() {
      if (pool) return;
      pool = new RelayPool({
        log: log.child('relays'),
        signAuth: (template) => {
          const relay = template.tags.find((t) => t[0] === 'relay')?.[1];
          // The connection fills in its own (normalized) URL.
          const other = relay === undefined ? null : holderAuth(relay);
          if (other) return other(template);
          if (!unlocked() || !store.identity()) return null;
          return sign(template);
        },
        ...(deps.webSocket ? { webSocket: deps.webSocket } : {}),
        dial: (url) => dialer.relay(url),
        knownEvent: (eventId, sig, url) => {
          if (!store.hasEvent(eventId, sig)) return false;
          store.addEventRelay(eventId, url);
          return true;
        },
        now,
        ...(deps.relay?.backoff ? { backoff: deps.relay.backoff } : {}),
        ...(deps.relay?.connectTimeoutMs ? { connectTimeoutMs: deps.relay.connectTimeoutMs } : {}),
        ...(deps.relay?.publishTimeoutMs ? { publishTimeoutMs: deps.relay.publishTimeoutMs } : {}),
      });
      unsubs.push(pool.onEvent((event, url) => onEvent(event, url)));
      const paging = pool;
      backfill = createHistoryBackfill({
        query: async (filters, url, timeoutMs) => {
          const res = await paging.queryReport(filters, [url], timeoutMs);
          return { events: res.events, answered: res.answered.length > 0 };
        },
        log,
      });
      unsubs.push(pool.onEose((subId, url) => subId === DM_SUB && backfillDms(url)));
      // The key leaves the workers with the vault.
      unsubs.push(vault.onLock(() => void inbox.lock()));
      unsubs.push(
        pool.onStatus((s) => {
          emit('nostr.relayStatus', s);
          const before = lastState.get(s.url);
          lastState.set(s.url, s.state);
          if (s.state === 'open' && before !== 'open') {
            void retryDeliveries(s.url);
            if (announcePending && isTrustedRelay(s.url)) void syncOwn();
          }
        }),
      );
      unsubs.push(
        vault.onUnlock(() => {
          try {
            const n = processPending();
            if (n > 0) log.info('nostr: opened messages received while locked', { count: n });
            void syncOwn();
          } catch (err) {
            log.warn('nostr: pending messages not processed', {
              error: err instanceof Error ? err.message : String(err),
            });
          }
        }),
      );
      subscribeAll();
      if (unlocked()) {
        processPending();
        void syncOwn();
      }
    },
    stop() {
      for (const u of unsubs.splice(0)) u();
      backfill?.stop();
      backfill = null;
      pool?.close();
      pool = null;
      void inbox.lock();
      if (undecryptable > 0) log.info('nostr: unreadable DM events this session', { count: undecryptable });
    },
  };
  return api;
}
