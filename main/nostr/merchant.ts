import { NostrMerchantProfile } from '../../shared/contract/nostr';
import type { NostrEvent } from './verify';

/**
 * The merchant profile is published as NIP-78 application data (kind 30078, `d` =
 * MERCHANT_D_TAG), not as extra kind-0 fields: other clients rewrite kind 0 with only the fields
 * they know when the user edits a profile elsewhere, which would silently drop the business data,
 * and kind 0 is the personal identity while this is a shop's. An addressable event of our own is
 * replaced only by us, and the personal profile stays untouched.
 */
export const KIND_APP_DATA = 30078;
export const MERCHANT_D_TAG = 'flash/merchant-profile';

export function merchantTemplate(profile: NostrMerchantProfile, createdAt: number) {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(profile)) if (typeof v === 'string' && v.trim()) clean[k] = v.trim();
  return {
    kind: KIND_APP_DATA,
    created_at: createdAt,
    tags: [['d', MERCHANT_D_TAG]],
    content: JSON.stringify(clean),
  };
}

/** The merchant profile in a kind-30078 event of ours, or null if it is not one / not valid. */
export function parseMerchantEvent(event: NostrEvent): NostrMerchantProfile | null {
  if (event.kind !== KIND_APP_DATA || !event.tags.some((t) => t[0] === 'd' && t[1] === MERCHANT_D_TAG))
    return null;
  let raw: unknown;
  try {
    raw = JSON.parse(event.content);
  } catch {
    return null;
  }
  const parsed = NostrMerchantProfile.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
