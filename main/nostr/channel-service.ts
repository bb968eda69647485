import type { NostrChannel, NostrChannelPost, NostrPublishResult } from '../../shared/contract/nostr';
import { FlashError } from '../../shared/errors';
import {
  channelCreateTemplate,
  channelIdOf,
  channelMetadataTemplate,
  channelPostTemplate,
  channelRefEncode,
  KIND_CHANNEL_CREATE,
  KIND_CHANNEL_MESSAGE,
  KIND_CHANNEL_METADATA,
  parseChannelMetadata,
  parseChannelRef,
  replyToOf,
} from './channels';
import type { SocialContext } from './social-context';
import type { ChannelPostRow, ChannelRow } from './social-store';
import type { NostrEvent } from './verify';

export const CHANNEL_SUB = 'channels';

/**
 * NIP-28 public channels: create (40), metadata (41, creator only), posts (42). Joining only
 * remembers the channel locally; its posts arrive on one subscription over our relays.
 */
export function createChannelService(ctx: SocialContext) {
  const { social } = ctx;

  const toChannel = (row: ChannelRow, self: string): NostrChannel => ({
    id: row.id,
    nevent: channelRefEncode(row.id, row.relays.length > 0 ? row.relays : ctx.writeRelays(), row.creator),
    creator: row.creator,
    mine: row.creator === self,
    name: row.name,
    about: row.about,
    picture: row.picture,
    createdAt: row.createdAt,
    lastPostAt: row.lastPostAt,
    posts: row.posts,
  });
  const toPost = (p: ChannelPostRow, self: string): NostrChannelPost => ({ ...p, mine: p.author === self });

  const requireChannel = (identityId: string, channelId: string): ChannelRow => {
    const row = social.channel(identityId, channelId);
    if (!row) throw new FlashError('NOSTR_CHANNEL_NOT_FOUND', 'You have not joined that channel.');
    return row;
  };

  const subscribe = (): void => {
    const pool = ctx.poolOrNull();
    const id = ctx.identity();
    if (!pool || !id) return;
    const ids = social.channelIds(id.id);
    if (ids.length === 0) {
      pool.unsubscribe(CHANNEL_SUB);
      return;
    }
    pool.subscribe(
      CHANNEL_SUB,
      [
        { kinds: [KIND_CHANNEL_MESSAGE], '#e': ids, limit: 500 },
        { kinds: [KIND_CHANNEL_METADATA], '#e': ids },
      ],
      ctx.allRelays(),
    );
  };

  const applyMetadata = (event: NostrEvent): boolean => {
    const channelId = channelIdOf(event);
    const id = ctx.identity();
    if (!channelId || !id) return false;
    const row = social.channel(id.id, channelId);
    // NIP-28: only the creator's kind 41 counts; anyone else's would hijack the name.
    if (!row || event.pubkey !== row.creator) return false;
    const meta = parseChannelMetadata(event.content);
    if (!meta || meta.name === '') return false;
    return social.setChannelMetadata(channelId, meta, event.created_at);
  };

  const savePost = (event: NostrEvent): void => {
    const id = ctx.identity();
    const channelId = channelIdOf(event);
    if (!id || !channelId || !social.channel(id.id, channelId)) return;
    if (!social.savePost(channelId, event, replyToOf(event), ctx.now())) return;
    const post = social.post(event.id);
    if (post) ctx.emit('nostr.channelPost', { channelId, post: toPost(post, id.pubkey) });
  };

  /** Handles relay events of channel kinds; returns true when the event was one. */
  const onEvent = (event: NostrEvent): boolean => {
    if (event.kind === KIND_CHANNEL_MESSAGE) {
      savePost(event);
      return true;
    }
    if (event.kind === KIND_CHANNEL_METADATA) {
      const channelId = channelIdOf(event);
      if (applyMetadata(event)) ctx.emit('nostr.channels', { channelId });
      return true;
    }
    return event.kind === KIND_CHANNEL_CREATE;
  };

  const publish = (event: NostrEvent): Promise<NostrPublishResult[]> =>
    ctx.pool().publish(event, ctx.writeRelays());

  return {
    subscribe,
    onEvent,
    list(): NostrChannel[] {
      const id = ctx.identity();
      if (!id) return [];
      return social.channels(id.id).map((r) => toChannel(r, id.pubkey));
    },
    async create(meta: { name: string; about?: string; picture?: string }) {
      const id = ctx.requireIdentity();
      const relays = ctx.writeRelays().slice(0, 3);
      const event = ctx.sign(channelCreateTemplate({ ...meta, relays }, ctx.nowSec()));
      const parsed = parseChannelMetadata(event.content);
      if (!parsed) throw new FlashError('INTERNAL', 'Channel metadata did not round-trip.');
      social.joinChannel(id.id, event, parsed, ctx.now());
      subscribe();
      const results = await publish(event);
      ctx.emit('nostr.channels', { channelId: event.id });
      return { channel: toChannel(requireChannel(id.id, event.id), id.pubkey), results };
    },
    async update(input: { channelId: string; name: string; about?: string; picture?: string }) {
      const id = ctx.requireIdentity();
      const row = requireChannel(id.id, input.channelId);
      if (row.creator !== id.pubkey)
        throw new FlashError('NOSTR_NOT_CHANNEL_OWNER', 'Only the creator can change this channel.');
      const hint = row.relays[0] ?? ctx.writeRelays()[0] ?? '';
      const event = ctx.sign(
        channelMetadataTemplate(
          input.channelId,
          { ...input, relays: row.relays },
          hint,
          Math.max(ctx.nowSec(), row.metadataAt + 1),
        ),
      );
      applyMetadata(event);
      const results = await publish(event);
      ctx.emit('nostr.channels', { channelId: input.channelId });
      return { channel: toChannel(requireChannel(id.id, input.channelId), id.pubkey), results };
    },
    async join(ref: string): Promise<NostrChannel> {
      const id = ctx.requireIdentity();
      const parsed = parseChannelRef(ref);
      const known = social.channel(id.id, parsed.id);
      if (known) return toChannel(known, id.pubkey);
      const urls = [...new Set([...ctx.allRelays(), ...parsed.relays])];
      const found = await ctx
        .pool()
        .query(
          [{ ids: [parsed.id] }, { kinds: [KIND_CHANNEL_METADATA], '#e': [parsed.id] }],
          urls,
          ctx.queryTimeoutMs,
        );
      const creation = found.find((e) => e.id === parsed.id && e.kind === KIND_CHANNEL_CREATE);
      if (!creation || (parsed.author && creation.pubkey !== parsed.author))
        throw new FlashError('NOSTR_CHANNEL_NOT_FOUND', 'No relay has that channel.');
      const meta = parseChannelMetadata(creation.content) ?? { name: '', about: '', picture: '', relays: [] };
      social.joinChannel(
        id.id,
        creation,
        { ...meta, relays: meta.relays.length > 0 ? meta.relays : parsed.relays },
        ctx.now(),
      );
      for (const e of found) if (e.kind === KIND_CHANNEL_METADATA) applyMetadata(e);
      subscribe();
      ctx.emit('nostr.channels', { channelId: parsed.id });
      return toChannel(requireChannel(id.id, parsed.id), id.pubkey);
    },
    leave(channelId: string) {
      const id = ctx.requireIdentity();
      requireChannel(id.id, channelId);
      social.leaveChannel(id.id, channelId);
      subscribe();
      ctx.emit('nostr.channels', { channelId });
      return { done: true as const };
    },
    posts(channelId: string, limit: number): NostrChannelPost[] {
      const id = ctx.requireIdentity();
      requireChannel(id.id, channelId);
      return social.posts(channelId, limit).map((p) => toPost(p, id.pubkey));
    },
    async post(input: { channelId: string; text: string; replyTo?: string }) {
      const id = ctx.requireIdentity();
      const row = requireChannel(id.id, input.channelId);
      let reply: { id: string; author: string } | undefined;
      if (input.replyTo) {
        const target = social.post(input.replyTo);
        if (!target || target.channelId !== input.channelId)
          throw new FlashError('BAD_INPUT', 'That post is not in this channel.');
        reply = { id: target.id, author: target.author };
      }
      const hint = row.relays[0] ?? ctx.writeRelays()[0] ?? '';
      const event = ctx.sign(channelPostTemplate(input.channelId, input.text, hint, ctx.nowSec(), reply));
      social.savePost(input.channelId, event, reply?.id ?? null, ctx.now());
      const results = await publish(event);
      const stored = social.post(event.id);
      if (!stored) throw new FlashError('INTERNAL', 'The post vanished.');
      const post = toPost(stored, id.pubkey);
      ctx.emit('nostr.channelPost', { channelId: input.channelId, post });
      return { post, results };
    },
  };
}
