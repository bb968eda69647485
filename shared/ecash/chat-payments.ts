/**
 * What a chat message carries that eCash can act on, found by shape only (no decoding, so the
 * renderer can use it too): Cashu tokens (NUT-00, `cashuA…`/`cashuB…`, with or without the
 * `cashu:` scheme), NUT-18 payment requests (`creqA…` CBOR, `creqb1…` bech32m) and a NUT-18
 * payment payload (the JSON a payer sends over the NOSTR transport, the whole message).
 * The pay card of each is "Claim" (token, payload) or "Pay" (request).
 */
export type ChatPayment =
  { kind: 'token'; text: string } | { kind: 'request'; text: string } | { kind: 'payload'; text: string };

const TOKEN = /(?:cashu:(?:\/\/)?)?(cashu[AB][A-Za-z0-9_\-+/]{16,}={0,2})/g;
const REQUEST_A = /(creqA[A-Za-z0-9_\-+/]{8,}={0,2})/g;
const REQUEST_B = /\b(creqb1[02-9ac-hj-np-z]{8,})\b/gi;
/** A payload is small JSON; a longer message is not one. */
const PAYLOAD_MAX = 60_000;

export function findChatPayments(text: string): ChatPayment[] {
  const out: ChatPayment[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.length <= PAYLOAD_MAX && looksLikePayload(trimmed))
    return [{ kind: 'payload', text: trimmed }];
  for (const m of text.matchAll(TOKEN)) out.push({ kind: 'token', text: m[1] as string });
  for (const m of text.matchAll(REQUEST_A)) out.push({ kind: 'request', text: m[1] as string });
  for (const m of text.matchAll(REQUEST_B)) out.push({ kind: 'request', text: m[1] as string });
  const seen = new Set<string>();
  return out.filter((p) => (seen.has(p.text) ? false : (seen.add(p.text), true)));
}

function looksLikePayload(json: string): boolean {
  try {
    const v = JSON.parse(json) as Record<string, unknown> | null;
    return (
      typeof v === 'object' &&
      v !== null &&
      typeof v.mint === 'string' &&
      Array.isArray(v.proofs) &&
      v.proofs.length > 0
    );
  } catch {
    return false;
  }
}
