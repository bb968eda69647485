import * as nip19 from 'nostr-tools/nip19';
import { FlashError } from '../../shared/errors';
import type { NostrEvent } from './verify';

/** NIP-28 public chat. */
export const KIND_CHANNEL_CREATE = 40;
export const KIND_CHANNEL_METADATA = 41;
export const KIND_CHANNEL_MESSAGE = 42;

export const MAX_CHANNEL_POST_BYTES = 16_000;
const MAX_META_FIELD = 2000;
const HEX64 = /^[0-9a-f]{64}$/;

export interface ChannelMetadata {
  name: string;
  about: string;
  picture: string;
  relays: string[];
}

export interface ChannelRef {
  id: string;
  relays: string[];
  author: string | null;
}

interface Template {
  kind: number;
  created_at: number;
  tags: string[][];
  content: string;
}

function metaContent(meta: Partial<ChannelMetadata>): string {
  const out: Record<string, unknown> = { name: (meta.name ?? '').trim() };
  if (meta.about?.trim()) out.about = meta.about.trim();
  if (meta.picture?.trim()) out.picture = meta.picture.trim();
  if (meta.relays && meta.relays.length > 0) out.relays = meta.relays;
  return JSON.stringify(out);
}

function assertName(name: string): void {
  if (name.trim() === '') throw new FlashError('BAD_INPUT', 'A channel needs a name.');
}

export function channelCreateTemplate(meta: Partial<ChannelMetadata>, createdAt: number): Template {
  assertName(meta.name ?? '');
  return { kind: KIND_CHANNEL_CREATE, created_at: createdAt, tags: [], content: metaContent(meta) };
}

/** Kind 41: new metadata for `channelId`; NIP-10 marked root `e` tag. */
export function channelMetadataTemplate(
  channelId: string,
  meta: Partial<ChannelMetadata>,
  relayHint: string,
  createdAt: number,
): Template {
  assertName(meta.name ?? '');
  return {
    kind: KIND_CHANNEL_METADATA,
    created_at: createdAt,
    tags: [['e', channelId, relayHint, 'root']],
    content: metaContent(meta),
  };
}

/** Kind 42: a post; root `e` tag to the channel, plus a `reply` `e` tag and `p` tag for a reply. */
export function channelPostTemplate(
  channelId: string,
  text: string,
  relayHint: string,
  createdAt: number,
  reply?: { id: string; author: string },
): Template {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (text.trim() === '') throw new FlashError('BAD_INPUT', 'The post is empty.');
  if (bytes > MAX_CHANNEL_POST_BYTES)
    throw new FlashError(
      'NOSTR_CONTENT_TOO_LARGE',
      `The post is ${bytes} bytes; the limit is ${MAX_CHANNEL_POST_BYTES}.`,
      {
        bytes,
        limit: MAX_CHANNEL_POST_BYTES,
      },
    );
  const tags: string[][] = [['e', channelId, relayHint, 'root']];
  if (reply) {
    tags.push(['e', reply.id, relayHint, 'reply']);
    tags.push(['p', reply.author, relayHint]);
  }
  return { kind: KIND_CHANNEL_MESSAGE, created_at: createdAt, tags, content: text };
}

/** Kind 40/41 content -> metadata; null when it is not a JSON object. Never throws. */
export function parseChannelMetadata(content: string): ChannelMetadata | null {
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, MAX_META_FIELD) : '');
  const relays = Array.isArray(o.relays)
    ? o.relays.filter((r): r is string => typeof r === 'string' && /^wss?:\/\//i.test(r)).slice(0, 10)
    : [];
  return { name: str(o.name).slice(0, 200), about: str(o.about), picture: str(o.picture), relays };
}

/**
 * The channel a kind 41/42 belongs to: the `e` tag marked "root" (NIP-10), else, for clients
 * still using positional tags, the first `e` tag. Null when there is none.
 */
export function channelIdOf(event: NostrEvent): string | null {
  const es = event.tags.filter((t) => t[0] === 'e' && typeof t[1] === 'string' && HEX64.test(t[1]));
  const root = es.find((t) => t[3] === 'root') ?? (es.some((t) => t[3]) ? undefined : es[0]);
  return root?.[1] ?? null;
}

/** The post this kind 42 answers (its `reply` e tag), if any. */
export function replyToOf(event: NostrEvent): string | null {
  const t = event.tags.find(
    (x) => x[0] === 'e' && x[3] === 'reply' && typeof x[1] === 'string' && HEX64.test(x[1]),
  );
  return t?.[1] ?? null;
}

/** A channel id as typed by a user: 64 hex, note1… or nevent1…. Throws NOSTR_BAD_CHANNEL_ID. */
export function parseChannelRef(input: string): ChannelRef {
  const s = input.trim().replace(/^nostr:/i, '');
  if (HEX64.test(s.toLowerCase())) return { id: s.toLowerCase(), relays: [], author: null };
  try {
    const d = nip19.decode(s);
    if (d.type === 'note') return { id: d.data, relays: [], author: null };
    if (d.type === 'nevent') {
      if (d.data.kind !== undefined && d.data.kind !== KIND_CHANNEL_CREATE) throw new Error('kind');
      return {
        id: d.data.id,
        relays: (d.data.relays ?? []).filter((r) => /^wss?:\/\//i.test(r)).slice(0, 5),
        author: d.data.author ?? null,
      };
    }
  } catch {
    // fall through
  }
  throw new FlashError('NOSTR_BAD_CHANNEL_ID', 'That is not a channel id (hex, note1… or nevent1…).');
}

/** What to share so others can join: nevent with relay hints, the author and kind 40. */
export function channelRefEncode(id: string, relays: string[], author: string): string {
  return nip19.neventEncode({ id, relays: relays.slice(0, 3), author, kind: KIND_CHANNEL_CREATE });
}
