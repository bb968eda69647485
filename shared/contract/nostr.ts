import { z } from 'zod';
import { Empty, Password } from './common';

/** x-only public key, lowercase hex. */
export const NostrPubkey = z.string().regex(/^[0-9a-f]{64}$/);
/** npub1..., nprofile1... or 64 hex characters; main parses it (NOSTR_INVALID_KEY if bad). */
export const NostrPubkeyInput = z.string().trim().min(1).max(512);
export const RelayUrl = z
  .string()
  .trim()
  .max(512)
  .regex(/^wss?:\/\/[^\s]+$/i, 'ws:// or wss:// URL');
export const ConversationId = z.string().regex(/^[0-9a-f]{64}$/);

export const NostrProfile = z
  .object({
    name: z.string().max(200).optional(),
    display_name: z.string().max(200).optional(),
    picture: z.string().max(2000).optional(),
    about: z.string().max(2000).optional(),
    nip05: z.string().max(320).optional(),
    lud16: z.string().max(320).optional(),
    website: z.string().max(2000).optional(),
    banner: z.string().max(2000).optional(),
  })
  .strict();
export type NostrProfile = z.infer<typeof NostrProfile>;

export const NostrIdentity = z.object({
  id: z.string(),
  pubkey: NostrPubkey,
  npub: z.string(),
  profile: NostrProfile,
  /** Milliseconds since the Unix epoch. */
  createdAt: z.number().int(),
});
export type NostrIdentity = z.infer<typeof NostrIdentity>;

export const NostrRelayRole = z
  .object({
    url: RelayUrl,
    read: z.boolean(),
    write: z.boolean(),
    /** Listed in our kind-10050 DM relay list. */
    dm: z.boolean(),
  })
  .strict();
export type NostrRelayRole = z.infer<typeof NostrRelayRole>;

export const NostrRelayStatus = z.object({
  url: z.string(),
  state: z.enum(['connecting', 'open', 'backoff', 'closed']),
  auth: z.enum(['none', 'challenged', 'authenticated', 'failed']),
  attempts: z.number().int().min(0),
  nextRetryAt: z.number().int().nullable(),
  lastError: z.string().nullable(),
  /** Events from this relay rejected by verification. */
  rejected: z.object({
    forged: z.number().int().min(0),
    malformed: z.number().int().min(0),
    oversized: z.number().int().min(0),
  }),
  received: z.number().int().min(0),
});
export type NostrRelayStatus = z.infer<typeof NostrRelayStatus>;

export const NostrRelayInfo = NostrRelayRole.extend({ status: NostrRelayStatus.nullable() });
export type NostrRelayInfo = z.infer<typeof NostrRelayInfo>;

export const NostrDelivery = z.object({
  /** Relays that accepted at least one copy / relays tried: "sent to 3 of 4 relays". */
  relaysOk: z.number().int().min(0),
  relays: z.number().int().min(0),
  ok: z.number().int().min(0),
  failed: z.number().int().min(0),
  pending: z.number().int().min(0),
  total: z.number().int().min(0),
});
export type NostrDelivery = z.infer<typeof NostrDelivery>;

export const NostrReceiptItem = z
  .object({
    description: z.string().trim().min(1).max(200),
    quantity: z.number().int().min(1).max(100_000),
    unitSats: z.number().int().min(0).max(2_100_000_000_000_000),
  })
  .strict();

/** A receipt carried inside a NIP-17 message (see main/nostr/receipt.ts for the wire form). */
export const NostrReceipt = z
  .object({
    v: z.literal(1),
    merchant: z.string().trim().min(1).max(200),
    /** Seconds since the Unix epoch. */
    date: z.number().int().min(0),
    items: z.array(NostrReceiptItem).min(1).max(100),
    totalSats: z.number().int().min(0).max(2_100_000_000_000_000),
    txid: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    invoice: z
      .string()
      .regex(/^ln[a-z0-9]+$/i)
      .max(4000)
      .optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export type NostrReceipt = z.infer<typeof NostrReceipt>;

export const NostrReceiptInput = z
  .object({
    items: z.array(NostrReceiptItem).min(1).max(100),
    txid: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/)
      .optional(),
    invoice: z
      .string()
      .trim()
      .regex(/^ln[a-z0-9]+$/i)
      .max(4000)
      .optional(),
    note: z.string().max(500).optional(),
    /** Defaults to the merchant profile's business name, then the profile name. */
    merchant: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type NostrReceiptInput = z.infer<typeof NostrReceiptInput>;

export const NostrMessage = z.object({
  id: z.string(),
  conversationId: ConversationId,
  sender: NostrPubkey,
  /** Seconds since the Unix epoch, as in the NOSTR event. */
  createdAt: z.number().int(),
  direction: z.enum(['in', 'out']),
  /** NIP-04: readable, but weaker privacy; never sent by Flash. */
  legacy: z.boolean(),
  read: z.boolean(),
  text: z.string(),
  subject: z.string().nullable(),
  delivery: NostrDelivery.nullable(),
  /** Set when the text carries a valid Flash receipt. */
  receipt: NostrReceipt.nullable(),
});
export type NostrMessage = z.infer<typeof NostrMessage>;

export const NostrConversation = z.object({
  id: ConversationId,
  /** Every member except us; more than one = a group. */
  members: z.array(NostrPubkey),
  isGroup: z.boolean(),
  /** Seconds since the Unix epoch. */
  lastMessageAt: z.number().int(),
  unread: z.number().int().min(0),
  lastMessage: NostrMessage.nullable(),
});
export type NostrConversation = z.infer<typeof NostrConversation>;

export const NostrPublishResult = z.object({ url: z.string(), ok: z.boolean(), message: z.string() });
export type NostrPublishResult = z.infer<typeof NostrPublishResult>;

export const NostrSendResult = z.object({
  message: NostrMessage,
  /** One row per (recipient, relay) copy. */
  results: z.array(NostrPublishResult.extend({ recipient: NostrPubkey })),
});
export type NostrSendResult = z.infer<typeof NostrSendResult>;

export const NostrKeyImport = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('nsec'), nsec: z.string().trim().min(1).max(200) }).strict(),
  z
    .object({
      kind: z.literal('ncryptsec'),
      ncryptsec: z.string().trim().min(1).max(400),
      password: Password,
    })
    .strict(),
  z
    .object({
      kind: z.literal('words'),
      words: z.string().trim().min(1).max(1000),
      passphrase: z.string().max(256).optional(),
      account: z.number().int().min(0).max(1000).optional(),
    })
    .strict(),
]);
export type NostrKeyImport = z.infer<typeof NostrKeyImport>;

export const NostrChannel = z.object({
  /** The kind-40 event id. */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  /** nevent1… with relay hints: what to share so others can join. */
  nevent: z.string(),
  creator: NostrPubkey,
  mine: z.boolean(),
  name: z.string(),
  about: z.string(),
  picture: z.string(),
  /** Seconds. */
  createdAt: z.number().int(),
  lastPostAt: z.number().int().nullable(),
  posts: z.number().int().min(0),
});
export type NostrChannel = z.infer<typeof NostrChannel>;

export const NostrChannelPost = z.object({
  id: z.string(),
  channelId: z.string(),
  author: NostrPubkey,
  /** Seconds. */
  createdAt: z.number().int(),
  text: z.string(),
  replyTo: z.string().nullable(),
  mine: z.boolean(),
});
export type NostrChannelPost = z.infer<typeof NostrChannelPost>;

export const ChannelId = z.string().regex(/^[0-9a-f]{64}$/);
const ChannelMeta = z
  .object({
    name: z.string().trim().min(1).max(200),
    about: z.string().max(2000).optional(),
    picture: z.string().max(2000).optional(),
  })
  .strict();

export const NostrContact = z.object({
  pubkey: NostrPubkey,
  npub: z.string(),
  petname: z.string().nullable(),
  relay: z.string().nullable(),
});
export type NostrContact = z.infer<typeof NostrContact>;

/** What the UI shows for someone: petname, else kind-0 name, else (UI side) a short npub. */
export const NostrPerson = z.object({
  pubkey: NostrPubkey,
  npub: z.string(),
  petname: z.string().nullable(),
  name: z.string().nullable(),
  about: z.string().nullable(),
  nip05: z.string().nullable(),
  /** none: no NIP-05 in the profile; checking: not checked yet (or aged out). */
  nip05Status: z.enum(['none', 'checking', 'verified', 'unverified']),
  isContact: z.boolean(),
});
export type NostrPerson = z.infer<typeof NostrPerson>;

export const NostrMerchantProfile = z
  .object({
    businessName: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    website: z.string().max(2000).optional(),
    lud16: z.string().max(320).optional(),
    /** How to pay on-chain (e.g. "we send a bitcoin: request in chat"). */
    onchainNote: z.string().max(1000).optional(),
  })
  .strict();
export type NostrMerchantProfile = z.infer<typeof NostrMerchantProfile>;

export const nostrMethods = {
  'nostr.getIdentity': { input: Empty, output: NostrIdentity.nullable() },
  'nostr.createIdentity': { input: Empty, output: NostrIdentity },
  'nostr.importIdentity': { input: NostrKeyImport, output: NostrIdentity },
  /** NIP-49; needs the vault password again (main verifies it) plus the export password. */
  'nostr.exportNcryptsec': {
    input: z.object({ vaultPassword: Password, exportPassword: Password }).strict(),
    output: z.object({ ncryptsec: z.string() }),
  },
  'nostr.updateProfile': {
    input: z.object({ profile: NostrProfile }).strict(),
    output: z.object({ identity: NostrIdentity, results: z.array(NostrPublishResult) }),
  },
  'nostr.verifyNip05': {
    input: z.object({ pubkey: NostrPubkeyInput, nip05: z.string().trim().min(3).max(320) }).strict(),
    output: z.object({ verified: z.boolean() }),
  },
  'nostr.listRelays': { input: Empty, output: z.array(NostrRelayInfo) },
  /** Saves and publishes kind 10002 (read/write) and kind 10050 (dm). */
  'nostr.setRelays': {
    input: z.object({ relays: z.array(NostrRelayRole).max(30) }).strict(),
    output: z.object({ relays: z.array(NostrRelayInfo), results: z.array(NostrPublishResult) }),
  },
  'nostr.listConversations': { input: Empty, output: z.array(NostrConversation) },
  'nostr.getMessages': {
    input: z
      .object({
        conversationId: ConversationId,
        limit: z.number().int().min(1).max(500).default(100),
        before: z.number().int().optional(),
      })
      .strict(),
    output: z.array(NostrMessage),
  },
  'nostr.searchMessages': {
    input: z
      .object({
        query: z.string().trim().min(1).max(200),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    output: z.array(NostrMessage),
  },
  /** One recipient = a direct chat; several = a group (identified by its member set). */
  'nostr.sendMessage': {
    input: z
      .object({
        to: z.array(NostrPubkeyInput).min(1).max(31),
        text: z.string().min(1).max(64_000),
        subject: z.string().max(200).optional(),
      })
      .strict(),
    output: NostrSendResult,
  },
  'nostr.markRead': {
    input: z.object({ conversationId: ConversationId }).strict(),
    output: z.object({ done: z.literal(true) }),
  },
  /** NIP-28 channels we created or joined. */
  'nostr.listChannels': { input: Empty, output: z.array(NostrChannel) },
  /** Publishes kind 40 and joins the new channel. */
  'nostr.createChannel': {
    input: ChannelMeta,
    output: z.object({ channel: NostrChannel, results: z.array(NostrPublishResult) }),
  },
  /** Kind 41; only the channel's creator may. */
  'nostr.updateChannel': {
    input: ChannelMeta.extend({ channelId: ChannelId }).strict(),
    output: z.object({ channel: NostrChannel, results: z.array(NostrPublishResult) }),
  },
  /** Finds the kind 40 on relays (and the nevent's hints), remembers it and loads its posts. */
  'nostr.joinChannel': {
    input: z.object({ ref: z.string().trim().min(1).max(1000) }).strict(),
    output: NostrChannel,
  },
  'nostr.leaveChannel': {
    input: z.object({ channelId: ChannelId }).strict(),
    output: z.object({ done: z.literal(true) }),
  },
  'nostr.getChannelPosts': {
    input: z.object({ channelId: ChannelId, limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.array(NostrChannelPost),
  },
  'nostr.postToChannel': {
    input: z
      .object({
        channelId: ChannelId,
        text: z.string().min(1).max(16_000),
        replyTo: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .optional(),
      })
      .strict(),
    output: z.object({ post: NostrChannelPost, results: z.array(NostrPublishResult) }),
  },
  'nostr.listContacts': { input: Empty, output: z.array(NostrContact) },
  /** Adds or updates a contact, then publishes the whole kind 3 (merged with the newest on relays). */
  'nostr.follow': {
    input: z
      .object({
        pubkey: NostrPubkeyInput,
        petname: z.string().trim().max(100).optional(),
        relay: RelayUrl.optional(),
      })
      .strict(),
    output: z.object({ contacts: z.array(NostrContact), results: z.array(NostrPublishResult) }),
  },
  'nostr.unfollow': {
    input: z.object({ pubkey: NostrPubkeyInput }).strict(),
    output: z.object({ contacts: z.array(NostrContact), results: z.array(NostrPublishResult) }),
  },
  /** Cached names and NIP-05 state; missing or stale ones are fetched and announced by nostr.people. */
  'nostr.getPeople': {
    input: z.object({ pubkeys: z.array(NostrPubkey).max(500) }).strict(),
    output: z.array(NostrPerson),
  },
  'nostr.getMerchantProfile': { input: Empty, output: NostrMerchantProfile.nullable() },
  /** Publishes the merchant profile as NIP-78 app data (kind 30078). */
  'nostr.setMerchantProfile': {
    input: z.object({ profile: NostrMerchantProfile }).strict(),
    output: z.object({ profile: NostrMerchantProfile, results: z.array(NostrPublishResult) }),
  },
  /** Sends a receipt as a NIP-17 message (readable text + a machine-readable line). */
  'nostr.sendReceipt': {
    input: z.object({ to: z.array(NostrPubkeyInput).min(1).max(31), receipt: NostrReceiptInput }).strict(),
    output: NostrSendResult,
  },
} as const;

export const nostrEvents = {
  /** A new message was stored (incoming, or our own copy from another device). */
  'nostr.message': z.object({ conversationId: ConversationId, message: NostrMessage }),
  'nostr.relayStatus': NostrRelayStatus,
  /** A channel post was stored (ours or from a relay). */
  'nostr.channelPost': z.object({ channelId: ChannelId, post: NostrChannelPost }),
  /** Channel list or a channel's metadata changed. */
  'nostr.channels': z.object({ channelId: ChannelId.nullable() }),
  /** Names, contacts or NIP-05 results changed for these people: ask nostr.getPeople again. */
  'nostr.people': z.object({ pubkeys: z.array(NostrPubkey) }),
} as const;
