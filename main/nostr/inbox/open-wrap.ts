import { isFlashError } from '../../../shared/errors';
import { conversationKey } from '../conversation-key';
import type { Rumor } from '../dm';
import { unwrapDm } from '../dm';
import type { NostrEvent } from '../verify';

export type Opened = { ok: true; rumor: Rumor } | { ok: false; code: string };

/** Senders whose seal key is kept: one ECDH per sender instead of one per message. */
const SEAL_KEYS = 4_096;

/**
 * Opens gift wraps addressed to `secretKey` (wrap -> seal, signature checked -> rumor). The
 * wrap's key is new for every message; the seal's is the sender's, so its conversation key is
 * computed once per sender and kept (the oldest forgotten past SEAL_KEYS). Never throws.
 */
export function createWrapOpener(secretKey: Uint8Array): (wrap: NostrEvent) => Opened {
  const sealKeys = new Map<string, Uint8Array>();
  const sealKeyOf = (sk: Uint8Array, peer: string): Uint8Array => {
    let key = sealKeys.get(peer);
    if (!key) {
      key = conversationKey(sk, peer);
      if (sealKeys.size >= SEAL_KEYS) {
        const oldest = sealKeys.keys().next().value;
        if (oldest !== undefined) sealKeys.delete(oldest);
      }
      sealKeys.set(peer, key);
    }
    return key;
  };
  return (wrap) => {
    try {
      return { ok: true, rumor: unwrapDm(wrap, secretKey, conversationKey, sealKeyOf) };
    } catch (err) {
      return { ok: false, code: isFlashError(err) ? err.code : 'INTERNAL' };
    }
  };
}
