import * as nip04 from 'nostr-tools/nip04';
import { conversationKey, type ConversationKeyFn } from './conversation-key';
import { nip44DecryptV2 } from './nip44';
import { eventHash } from './signature';
import { createRumor, createSeal, createWrap } from 'nostr-tools/nip59';
import { getPublicKey } from 'nostr-tools/pure';
import { FlashError } from '../../shared/errors';
import type { NostrEvent } from './verify';
import { checkEvent } from './verify';

export const KIND_LEGACY_DM = 4;
export const KIND_SEAL = 13;
export const KIND_CHAT = 14;
export const KIND_GIFT_WRAP = 1059;

/** Message text limit in UTF-8 bytes: keeps the rumor, then the seal, inside NIP-44's 65,535. */
export const MAX_TEXT_BYTES = 32_000;
/** Members of one group conversation, self included. */
export const MAX_MEMBERS = 32;

export interface Rumor {
  id: string;
  pubkey: string;
  created_at: number;
  kind: number;
  tags: string[][];
  content: string;
}

export interface OutgoingDm {
  rumor: Rumor;
  /** One gift wrap per recipient, plus one for the sender (the self copy, last). */
  wraps: { recipient: string; wrap: NostrEvent }[];
}

export function assertTextFits(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes === 0) throw new FlashError('BAD_INPUT', 'The message is empty.');
  if (bytes > MAX_TEXT_BYTES) {
    throw new FlashError(
      'NOSTR_CONTENT_TOO_LARGE',
      `The message is ${bytes} bytes; the limit is ${MAX_TEXT_BYTES}.`,
      {
        bytes,
        limit: MAX_TEXT_BYTES,
      },
    );
  }
}

/**
 * NIP-17: one unsigned kind-14 rumor (p tag per recipient) sealed (kind 13, signed by us) and
 * gift-wrapped (kind 1059, throwaway key) once per recipient and once to ourselves, so every copy
 * carries the same rumor id.
 */
export function createDm(
  secretKey: Uint8Array,
  recipients: string[],
  text: string,
  opts: { createdAt?: number; subject?: string } = {},
): OutgoingDm {
  assertTextFits(text);
  const self = getPublicKey(secretKey);
  const others = [...new Set(recipients)].filter((p) => p !== self);
  if (others.length + 1 > MAX_MEMBERS) throw new FlashError('BAD_INPUT', `At most ${MAX_MEMBERS} members.`);
  const tags = others.map((p) => ['p', p]);
  if (opts.subject) tags.push(['subject', opts.subject]);
  const rumor = createRumor(
    {
      kind: KIND_CHAT,
      content: text,
      tags,
      ...(opts.createdAt !== undefined ? { created_at: opts.createdAt } : {}),
    },
    secretKey,
  ) as Rumor;
  const wraps = [...others, self].map((recipient) => ({
    recipient,
    wrap: createWrap(createSeal(rumor, secretKey, recipient), recipient),
  }));
  return { rumor, wraps };
}

/** NIP-44 v2 decrypt with typed errors: a wrong MAC or bad payload is NOSTR_DECRYPT_FAILED. */
export function nip44Decrypt(
  payload: string,
  secretKey: Uint8Array,
  peerPubkey: string,
  keyOf: ConversationKeyFn = conversationKey,
): string {
  let key: Uint8Array;
  try {
    key = keyOf(secretKey, peerPubkey);
  } catch {
    throw new FlashError('NOSTR_INVALID_EVENT', 'The sender key is not a valid public key.');
  }
  try {
    return nip44DecryptV2(payload, key);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new FlashError('NOSTR_DECRYPT_FAILED', `NIP-44 decryption failed: ${reason}`, {
      reason: /mac/i.test(reason) ? 'mac' : 'payload',
    });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new FlashError('NOSTR_INVALID_EVENT', 'Decrypted content is not JSON.');
  }
}

/**
 * Opens a gift wrap addressed to us: wrap -> seal (signature checked) -> rumor (id recomputed,
 * author must equal the seal's signer). Errors: NOSTR_DECRYPT_FAILED, NOSTR_INVALID_EVENT.
 */
export function unwrapDm(
  wrap: NostrEvent,
  secretKey: Uint8Array,
  keyOf: ConversationKeyFn = conversationKey,
  /** For the seal's key (its signer's, the same for every message from them): may be cached. */
  sealKeyOf: ConversationKeyFn = keyOf,
): Rumor {
  if (wrap.kind !== KIND_GIFT_WRAP) throw new FlashError('NOSTR_INVALID_EVENT', 'Not a gift wrap.');
  const sealChecked = checkEvent(parseJson(nip44Decrypt(wrap.content, secretKey, wrap.pubkey, keyOf)));
  if (!sealChecked.ok) throw new FlashError('NOSTR_INVALID_EVENT', `Bad seal: ${sealChecked.detail}`);
  const seal = sealChecked.event;
  if (seal.kind !== KIND_SEAL) throw new FlashError('NOSTR_INVALID_EVENT', 'The wrap does not hold a seal.');
  const r = parseJson(nip44Decrypt(seal.content, secretKey, seal.pubkey, sealKeyOf)) as Partial<Rumor> | null;
  if (
    !r ||
    typeof r !== 'object' ||
    typeof r.content !== 'string' ||
    typeof r.pubkey !== 'string' ||
    typeof r.created_at !== 'number' ||
    typeof r.kind !== 'number' ||
    !Array.isArray(r.tags) ||
    !r.tags.every((t) => Array.isArray(t) && t.every((v) => typeof v === 'string'))
  ) {
    throw new FlashError('NOSTR_INVALID_EVENT', 'Malformed rumor.');
  }
  if (r.pubkey !== seal.pubkey)
    throw new FlashError('NOSTR_INVALID_EVENT', 'Rumor author is not the seal signer.');
  const rumor: Rumor = {
    id: '',
    pubkey: r.pubkey,
    created_at: r.created_at,
    kind: r.kind,
    tags: r.tags,
    content: r.content,
  };
  rumor.id = eventHash(rumor); // the rumor's pubkey is the seal's, checked as 64 hex above
  if (r.id !== undefined && r.id !== rumor.id)
    throw new FlashError('NOSTR_INVALID_EVENT', 'Rumor id mismatch.');
  if (Buffer.byteLength(rumor.content) > 2 * MAX_TEXT_BYTES) {
    throw new FlashError('NOSTR_CONTENT_TOO_LARGE', 'Message content too large.');
  }
  return rumor;
}

/** Sorted, unique members of a kind-14 rumor: the author and every p tag. */
export function rumorMembers(rumor: Rumor): string[] {
  const set = new Set<string>([rumor.pubkey]);
  for (const t of rumor.tags)
    if (t[0] === 'p' && typeof t[1] === 'string' && /^[0-9a-f]{64}$/.test(t[1])) set.add(t[1]);
  return [...set].sort();
}

/** NIP-04 (legacy, read only): returns the peer and the text. Never used to send. */
export function decryptLegacyDm(event: NostrEvent, secretKey: Uint8Array): { peer: string; text: string } {
  if (event.kind !== KIND_LEGACY_DM) throw new FlashError('NOSTR_INVALID_EVENT', 'Not a NIP-04 message.');
  const self = getPublicKey(secretKey);
  const peer = event.pubkey === self ? event.tags.find((t) => t[0] === 'p')?.[1] : event.pubkey;
  if (!peer || !/^[0-9a-f]{64}$/.test(peer))
    throw new FlashError('NOSTR_INVALID_EVENT', 'NIP-04 message without peer.');
  try {
    return { peer, text: nip04.decrypt(secretKey, peer, event.content) };
  } catch (err) {
    throw new FlashError(
      'NOSTR_DECRYPT_FAILED',
      `NIP-04 decryption failed: ${err instanceof Error ? err.message : ''}`,
    );
  }
}
