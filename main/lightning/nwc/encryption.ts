import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { conversationKey } from '../../nostr/conversation-key';

/** The two schemes NIP-47 names in its `encryption` tag. */
export type NwcEncryption = 'nip44_v2' | 'nip04';

/** Larger payloads are refused before decrypting (NIP-44 caps plaintext at 65,535 bytes). */
const MAX_PAYLOAD_CHARS = 256 * 1024;

/**
 * The schemes a wallet service offers, read from its info event (kind 13194). NIP-47: "Absence of
 * this tag implies that the wallet only supports nip04." Unknown words are ignored; a tag that
 * names nothing we know leaves an empty list (that wallet cannot be spoken to).
 */
export function offeredEncryptions(infoTags: string[][]): NwcEncryption[] {
  const tag = infoTags.find((t) => t[0] === 'encryption');
  if (!tag) return ['nip04'];
  const words = (tag[1] ?? '').split(/\s+/).filter(Boolean);
  const out: NwcEncryption[] = [];
  for (const w of words) if ((w === 'nip44_v2' || w === 'nip04') && !out.includes(w)) out.push(w);
  return out;
}

/** The client's choice: NIP-44 whenever the wallet offers it ("should always be nip44 if possible"). */
export function chooseEncryption(offered: readonly NwcEncryption[]): NwcEncryption | null {
  if (offered.includes('nip44_v2')) return 'nip44_v2';
  if (offered.includes('nip04')) return 'nip04';
  return null;
}

/**
 * The scheme a request asks for, from its own `encryption` tag (the wallet side). NIP-47:
 * "Absence of the `encryption` tag indicates use of nip04". Returns the raw word when it is
 * something else, so the wallet can answer UNSUPPORTED_ENCRYPTION.
 */
export function requestEncryption(tags: string[][]): string {
  const tag = tags.find((t) => t[0] === 'encryption');
  return tag ? (tag[1] ?? '').trim() : 'nip04';
}

export function isNwcEncryption(word: string): word is NwcEncryption {
  return word === 'nip44_v2' || word === 'nip04';
}

export function encryptFor(
  scheme: NwcEncryption,
  secretKey: Uint8Array,
  peerPubkey: string,
  plaintext: string,
): string {
  if (scheme === 'nip04') return nip04.encrypt(secretKey, peerPubkey, plaintext);
  return nip44.encrypt(plaintext, conversationKey(secretKey, peerPubkey));
}

/** Throws on a payload that does not open under `scheme` (wrong key, tampered, wrong scheme). */
export function decryptFrom(
  scheme: NwcEncryption,
  secretKey: Uint8Array,
  peerPubkey: string,
  payload: string,
): string {
  if (payload.length > MAX_PAYLOAD_CHARS) throw new Error('encrypted payload too large');
  if (scheme === 'nip04') {
    // NIP-04's shape is base64?iv=base64; a NIP-44 payload has no "?iv=", so a mismatch fails here.
    if (!payload.includes('?iv=')) throw new Error('not a NIP-04 payload');
    return nip04.decrypt(secretKey, peerPubkey, payload);
  }
  return nip44.decrypt(payload, conversationKey(secretKey, peerPubkey));
}
