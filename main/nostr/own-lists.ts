import type { NostrPublishResult } from '../../shared/contract/nostr';
import type { MessageStore, RelayRole } from './message-store';
import type { Profile } from './profile';
import { profileTemplate } from './profile';
import type { RelayPool } from './relay-pool';
import type { NostrEvent } from './verify';

export const KIND_PROFILE = 0;
export const KIND_RELAY_LIST = 10002;
export const KIND_DM_RELAYS = 10050;

interface Template {
  kind: number;
  created_at: number;
  tags: string[][];
  content: string;
}

/**
 * created_at for a new version of a replaceable event: now, but always after the one it replaces,
 * so two edits within one second do not tie (a tie goes to the lower id, i.e. by chance).
 */
export function nextCreatedAt(nowSec: number, previous: NostrEvent | null): number {
  return Math.max(nowSec, (previous?.created_at ?? -1) + 1);
}

/** NIP-65 kind 10002: `r` tags, with a read/write marker unless the relay is both. */
export function relayListTemplate(list: RelayRole[], createdAt: number): Template {
  return {
    kind: KIND_RELAY_LIST,
    created_at: createdAt,
    content: '',
    tags: list
      .filter((r) => r.read || r.write)
      .map((r) => (r.read && r.write ? ['r', r.url] : ['r', r.url, r.read ? 'read' : 'write'])),
  };
}

/** NIP-17 kind 10050: the relays others should send our DMs to. */
export function dmRelayListTemplate(urls: string[], createdAt: number): Template {
  return { kind: KIND_DM_RELAYS, created_at: createdAt, content: '', tags: urls.map((u) => ['relay', u]) };
}

export interface AnnounceDeps {
  store: MessageStore;
  pool: RelayPool;
  self: string;
  /** Our profile as stored here (empty for a new key). */
  profile: Profile;
  relays: RelayRole[];
  /** Where others should send our DMs. */
  dmRelays: string[];
  /** Where to publish. */
  targets: string[];
  nowSec: number;
  sign(template: Template): NostrEvent;
}

/**
 * Publishes our kind 10002, kind 10050 and a minimal kind 0 where none is known, here or on the
 * relays (the caller has just read them back and stored what it found, so an imported key keeps
 * its own). Without a 10050 list, NIP-17 clients (0xchat, Amethyst) cannot send us a DM at all.
 */
export async function announceMissing(
  d: AnnounceDeps,
): Promise<{ kinds: number[]; results: NostrPublishResult[] }> {
  const events: NostrEvent[] = [];
  if (d.targets.length === 0) return { kinds: [], results: [] };
  const missing = (kind: number) => d.store.replaceable(d.self, kind) === null;
  if (missing(KIND_RELAY_LIST) && d.relays.some((r) => r.read || r.write))
    events.push(d.sign(relayListTemplate(d.relays, d.nowSec)));
  if (missing(KIND_DM_RELAYS) && d.dmRelays.length > 0)
    events.push(d.sign(dmRelayListTemplate(d.dmRelays, d.nowSec)));
  if (missing(KIND_PROFILE)) events.push(d.sign(profileTemplate(d.profile, d.nowSec)));
  // Stored before the network, so a concurrent edit (setRelays, updateProfile) builds on them.
  for (const e of events) d.store.putReplaceable(e);
  const results = (await Promise.all(events.map((e) => d.pool.publish(e, d.targets)))).flat();
  return { kinds: events.map((e) => e.kind), results };
}
