import type { NostrEvent } from './verify';

/** NIP-02 follow list. Replaceable: whoever publishes must publish the whole list. */
export const KIND_CONTACTS = 3;

export interface Contact {
  pubkey: string;
  relay: string | null;
  petname: string | null;
}

export type ContactChange =
  | { op: 'follow'; pubkey: string; petname?: string | null; relay?: string | null }
  | { op: 'unfollow'; pubkey: string };

const HEX64 = /^[0-9a-f]{64}$/;

/** The `p` entries of a kind 3, first occurrence of each key wins; malformed entries skipped. */
export function parseContacts(event: NostrEvent | null): Contact[] {
  if (!event || event.kind !== KIND_CONTACTS) return [];
  const seen = new Set<string>();
  const out: Contact[] = [];
  for (const t of event.tags) {
    if (t[0] !== 'p' || typeof t[1] !== 'string') continue;
    const pubkey = t[1].toLowerCase();
    if (!HEX64.test(pubkey) || seen.has(pubkey)) continue;
    seen.add(pubkey);
    out.push({
      pubkey,
      relay: t[2]?.trim() ? t[2].trim() : null,
      petname: t[3]?.trim() ? t[3].trim() : null,
    });
  }
  return out;
}

/** The newer of two replaceable events (NIP-01: larger created_at, then lower id). */
export function newestOf(a: NostrEvent | null, b: NostrEvent | null): NostrEvent | null {
  if (!a) return b;
  if (!b) return a;
  if (a.created_at !== b.created_at) return a.created_at > b.created_at ? a : b;
  return a.id <= b.id ? a : b;
}

function pTag(c: { pubkey: string; relay?: string | null; petname?: string | null }): string[] {
  const relay = c.relay?.trim() ?? '';
  const petname = c.petname?.trim() ?? '';
  if (petname) return ['p', c.pubkey, relay, petname];
  if (relay) return ['p', c.pubkey, relay];
  return ['p', c.pubkey];
}

/**
 * The next kind 3 after `change`, built on `base` (the newest list known, from relays or here):
 * every other tag (other people, hashtags, whatever another client put there) and the content
 * (some clients keep relay JSON in it) are carried over unchanged, in order.
 */
export function applyContactChange(
  base: NostrEvent | null,
  change: ContactChange,
  createdAt: number,
): { kind: number; created_at: number; tags: string[][]; content: string } {
  const tags: string[][] = [];
  let placed = false;
  for (const t of base?.tags ?? []) {
    const isTarget = t[0] === 'p' && typeof t[1] === 'string' && t[1].toLowerCase() === change.pubkey;
    if (!isTarget) {
      tags.push([...t]);
      continue;
    }
    if (change.op === 'unfollow' || placed) continue; // drop it (and any duplicate)
    tags.push(pTag(change));
    placed = true;
  }
  if (change.op === 'follow' && !placed) tags.push(pTag(change));
  // Never go back in time: a replaceable event older than the one it replaces is ignored.
  const created = Math.max(
    createdAt,
    (base?.created_at ?? 0) + (base && createdAt <= base.created_at ? 1 : 0),
  );
  return { kind: KIND_CONTACTS, created_at: created, tags, content: base?.content ?? '' };
}
