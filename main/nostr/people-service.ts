import type {
  NostrContact,
  NostrMerchantProfile as MerchantProfile,
  NostrPerson,
  NostrPublishResult,
} from '../../shared/contract/nostr';
import { NostrMerchantProfile } from '../../shared/contract/nostr';
import { FlashError } from '../../shared/errors';
import type { ContactChange } from './contacts';
import { applyContactChange, KIND_CONTACTS, parseContacts } from './contacts';
import { npubEncode, parsePubkey } from './identity';
import type { RelayRole } from './message-store';
import { KIND_APP_DATA, merchantTemplate, MERCHANT_D_TAG, parseMerchantEvent } from './merchant';
import { profileFromEvent } from './profile';
import { normalizeRelayUrl } from './relay-pool';
import type { SocialContext } from './social-context';
import type { NostrEvent } from './verify';

export const KIND_RELAY_LIST = 10002;
export const KIND_DM_RELAYS = 10050;
/** Someone's kind 0 is asked for again after this long (found or not). */
export const PROFILE_TTL_MS = 30 * 60_000;
/** A passed NIP-05 check is trusted this long; a failed one is retried after the shorter time. */
export const NIP05_OK_TTL_MS = 6 * 3_600_000;
export const NIP05_FAIL_TTL_MS = 30 * 60_000;

export interface PeopleDeps {
  /** NIP-05 check; throws when it does not pass. */
  checkNip05(nip05: string, pubkey: string): Promise<void>;
  /** Replaces our relay list locally (no publish) and resubscribes. */
  adoptRelays(list: RelayRole[]): void;
}

/**
 * Contacts (NIP-02 kind 3 with petnames), others' profiles with NIP-05 badges, our own public
 * events read back from relays (a key imported on a new machine finds its profile, relays and
 * contacts), and the merchant profile (NIP-78).
 */
export function createPeopleService(ctx: SocialContext, deps: PeopleDeps) {
  const { store, social, log } = ctx;
  const inFlight = new Set<string>();

  const ownContacts = (self: string) => parseContacts(store.replaceable(self, KIND_CONTACTS));
  const toContacts = (self: string): NostrContact[] =>
    ownContacts(self).map((c) => ({ ...c, npub: npubEncode(c.pubkey) }));

  const nip05State = (pubkey: string, nip05: string | undefined): NostrPerson['nip05Status'] => {
    if (!nip05) return 'none';
    const cached = social.nip05(pubkey);
    if (!cached || cached.nip05 !== nip05) return 'checking';
    const age = ctx.now() - cached.checkedAt;
    if (age > (cached.ok ? NIP05_OK_TTL_MS : NIP05_FAIL_TTL_MS)) return 'checking';
    return cached.ok ? 'verified' : 'unverified';
  };

  const person = (pubkey: string, petnames: Map<string, string | null>): NostrPerson => {
    const ev = store.replaceable(pubkey, 0);
    const profile = ev ? profileFromEvent(ev) : {};
    const name = profile.display_name ?? profile.name ?? null;
    return {
      pubkey,
      npub: npubEncode(pubkey),
      petname: petnames.get(pubkey) ?? null,
      name,
      about: profile.about ?? null,
      nip05: profile.nip05 ?? null,
      nip05Status: nip05State(pubkey, profile.nip05),
      isContact: petnames.has(pubkey),
    };
  };

  /** Fetches stale kind 0s, then runs due NIP-05 checks; announces who changed. Never throws. */
  const refresh = async (pubkeys: string[]): Promise<void> => {
    const todo = pubkeys.filter((p) => !inFlight.has(p));
    if (todo.length === 0) return;
    for (const p of todo) inFlight.add(p);
    const changed = new Set<string>();
    try {
      const pool = ctx.poolOrNull();
      const stale = todo.filter((p) => {
        const at = social.profileFetchedAt(p);
        return at === null || ctx.now() - at > PROFILE_TTL_MS;
      });
      if (pool && stale.length > 0) {
        for (let i = 0; i < stale.length; i += 100) {
          const authors = stale.slice(i, i + 100);
          // The pool's event listener may store these before the query resolves: compare ids.
          const before = new Map(authors.map((p) => [p, store.replaceable(p, 0)?.id ?? null]));
          const found = await pool.query([{ kinds: [0], authors }], ctx.allRelays(), ctx.queryTimeoutMs);
          for (const e of found) if (e.kind === 0 && authors.includes(e.pubkey)) store.putReplaceable(e);
          for (const p of authors)
            if ((store.replaceable(p, 0)?.id ?? null) !== before.get(p)) changed.add(p);
          for (const p of authors) social.setProfileFetched(p, ctx.now());
        }
      }
      await Promise.all(
        todo.map(async (p) => {
          const ev = store.replaceable(p, 0);
          const nip05 = ev ? profileFromEvent(ev).nip05 : undefined;
          if (!nip05 || nip05State(p, nip05) !== 'checking') return;
          let ok = false;
          try {
            await deps.checkNip05(nip05, p);
            ok = true;
          } catch {
            ok = false; // shown as "unverified"; the reason is not the user's problem here
          }
          social.setNip05(p, nip05, ok, ctx.now());
          changed.add(p);
        }),
      );
    } catch (err) {
      log.warn('nostr: profile refresh failed', { error: err instanceof Error ? err.message : String(err) });
    } finally {
      for (const p of todo) inFlight.delete(p);
    }
    if (changed.size > 0) ctx.emit('nostr.people', { pubkeys: [...changed] });
  };

  const ownRelaysFrom = (nip65: NostrEvent | null, dm: NostrEvent | null): RelayRole[] => {
    const roles = new Map<string, RelayRole>();
    const role = (url: string): RelayRole | null => {
      let key: string;
      try {
        key = normalizeRelayUrl(url);
      } catch {
        return null;
      }
      const r = roles.get(key) ?? { url: key, read: false, write: false, dm: false };
      roles.set(key, r);
      return r;
    };
    for (const t of nip65?.tags ?? []) {
      if (t[0] !== 'r' || !t[1]) continue;
      const r = role(t[1]);
      if (!r) continue;
      if (t[2] !== 'write') r.read = true;
      if (t[2] !== 'read') r.write = true;
    }
    for (const t of dm?.tags ?? []) {
      if (t[0] !== 'relay' || !t[1]) continue;
      const r = role(t[1]);
      if (r) r.dm = true;
    }
    return [...roles.values()].slice(0, 30);
  };

  /**
   * Reads our own kind 0, 3, 10002, 10050 and merchant app data back from the relays. Local
   * copies win where they exist; what is missing here (new machine, imported key) is taken.
   * Returns how many relays were asked and how many answered: only an answer from every one
   * shows what the relays hold.
   */
  const syncOwn = async (): Promise<{ asked: number; answered: number }> => {
    const id = ctx.identity();
    const pool = ctx.poolOrNull();
    if (!id || !pool) return { asked: 0, answered: 0 };
    const relays = [...new Set(ctx.allRelays())];
    const self = id.pubkey;
    const hadRelayLists =
      store.replaceable(self, KIND_RELAY_LIST) !== null || store.replaceable(self, KIND_DM_RELAYS) !== null;
    const { events: found, answered } = await pool.queryReport(
      [
        { kinds: [0, KIND_CONTACTS, KIND_RELAY_LIST, KIND_DM_RELAYS], authors: [self] },
        { kinds: [KIND_APP_DATA], authors: [self], '#d': [MERCHANT_D_TAG] },
      ],
      relays,
      ctx.queryTimeoutMs,
    );
    let changed = false;
    for (const e of found) {
      if (e.pubkey !== self) continue;
      if (e.kind === KIND_APP_DATA) {
        const m = parseMerchantEvent(e);
        if (m && social.setMerchant(id.id, m as Record<string, string>, e.id, e.created_at)) changed = true;
      } else if (store.putReplaceable(e)) changed = true;
    }
    const kind0 = store.replaceable(self, 0);
    if (kind0 && Object.keys(id.profile).length === 0) {
      store.setProfile(id.id, profileFromEvent(kind0) as Record<string, string>);
      changed = true;
    }
    if (!hadRelayLists) {
      const list = ownRelaysFrom(
        store.replaceable(self, KIND_RELAY_LIST),
        store.replaceable(self, KIND_DM_RELAYS),
      );
      if (list.length > 0) {
        const current = store.relays(id.id);
        // Keep whatever the lists do not say (e.g. no 10050: the current DM relays stay DM relays).
        const merged = new Map(list.map((r) => [r.url, r]));
        const hasNip65 = store.replaceable(self, KIND_RELAY_LIST) !== null;
        const hasDm = store.replaceable(self, KIND_DM_RELAYS) !== null;
        for (const r of current) {
          const keepRw = !hasNip65 && (r.read || r.write);
          const keepDm = !hasDm && r.dm;
          if (!keepRw && !keepDm) continue;
          const m = merged.get(r.url) ?? { url: r.url, read: false, write: false, dm: false };
          merged.set(r.url, {
            url: r.url,
            read: m.read || (keepRw && r.read),
            write: m.write || (keepRw && r.write),
            dm: m.dm || keepDm,
          });
        }
        deps.adoptRelays([...merged.values()]);
        changed = true;
      }
    }
    // The pool listener may have stored some of these before the query resolved, so anything
    // found counts as a possible change.
    if (changed || found.length > 0) ctx.emit('nostr.people', { pubkeys: [self] });
    return { asked: relays.length, answered: answered.length };
  };

  const publishContacts = async (change: ContactChange) => {
    const id = ctx.requireIdentity();
    const self = id.pubkey;
    // Another client may have changed the list: start from the newest one the relays hold.
    const pool = ctx.pool();
    const remote = await pool.query(
      [{ kinds: [KIND_CONTACTS], authors: [self] }],
      ctx.allRelays(),
      ctx.queryTimeoutMs,
    );
    for (const e of remote) if (e.pubkey === self && e.kind === KIND_CONTACTS) store.putReplaceable(e);
    const base = store.replaceable(self, KIND_CONTACTS);
    const event = ctx.sign(applyContactChange(base, change, ctx.nowSec()));
    store.putReplaceable(event);
    const results: NostrPublishResult[] = await pool.publish(event, ctx.writeRelays());
    ctx.emit('nostr.people', { pubkeys: [change.pubkey] });
    return { contacts: toContacts(self), results };
  };

  return {
    syncOwn,
    refresh,
    /** Own kind 3 / merchant events that show up on a subscription. */
    onEvent(event: NostrEvent): boolean {
      const id = ctx.identity();
      if (!id || event.pubkey !== id.pubkey) return false;
      if (event.kind === KIND_CONTACTS) {
        if (store.putReplaceable(event))
          ctx.emit('nostr.people', { pubkeys: parseContacts(event).map((c) => c.pubkey) });
        return true;
      }
      if (event.kind === KIND_APP_DATA) {
        const m = parseMerchantEvent(event);
        if (m) social.setMerchant(id.id, m as Record<string, string>, event.id, event.created_at);
        return true;
      }
      return false;
    },
    listContacts(): NostrContact[] {
      const id = ctx.identity();
      return id ? toContacts(id.pubkey) : [];
    },
    async follow(input: { pubkey: string; petname?: string; relay?: string }) {
      const id = ctx.requireIdentity();
      const pubkey = parsePubkey(input.pubkey);
      if (pubkey === id.pubkey) throw new FlashError('BAD_INPUT', 'That is your own key.');
      let relay: string | null = null;
      if (input.relay) {
        try {
          relay = normalizeRelayUrl(input.relay);
        } catch {
          throw new FlashError('BAD_INPUT', `Not a relay URL: ${input.relay}`);
        }
      }
      return publishContacts({ op: 'follow', pubkey, petname: input.petname?.trim() || null, relay });
    },
    async unfollow(input: { pubkey: string }) {
      return publishContacts({ op: 'unfollow', pubkey: parsePubkey(input.pubkey) });
    },
    getPeople(pubkeys: string[]): NostrPerson[] {
      const id = ctx.identity();
      const petnames = new Map<string, string | null>(
        id ? ownContacts(id.pubkey).map((c) => [c.pubkey, c.petname]) : [],
      );
      const unique = [...new Set(pubkeys)];
      const people = unique.map((p) => person(p, petnames));
      const due = people
        .filter(
          (p) =>
            p.nip05Status === 'checking' ||
            (social.profileFetchedAt(p.pubkey) ?? 0) < ctx.now() - PROFILE_TTL_MS,
        )
        .map((p) => p.pubkey);
      if (due.length > 0) void refresh(due);
      return people;
    },
    getMerchant(): MerchantProfile | null {
      const id = ctx.identity();
      if (!id) return null;
      const row = social.merchant(id.id);
      const parsed = row ? NostrMerchantProfile.safeParse(row.profile) : null;
      return parsed?.success ? parsed.data : null;
    },
    async setMerchant(profile: MerchantProfile) {
      const id = ctx.requireIdentity();
      const prev = social.merchant(id.id);
      const event = ctx.sign(merchantTemplate(profile, Math.max(ctx.nowSec(), (prev?.createdAt ?? 0) + 1)));
      const clean = parseMerchantEvent(event);
      if (!clean) throw new FlashError('BAD_INPUT', 'The merchant profile is not valid.');
      social.setMerchant(id.id, clean as Record<string, string>, event.id, event.created_at);
      const results = await ctx.pool().publish(event, ctx.writeRelays());
      return { profile: clean, results };
    },
  };
}
