import { bech32 } from '@scure/base';

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** NIP-19 npub for a 64-hex x-only public key. */
export function npubOf(pubkey: string): string {
  return bech32.encode('npub', bech32.toWords(hexToBytes(pubkey)));
}

/** "npub1abcdef…wxyz": enough to tell people apart at a glance. */
export function shortNpub(pubkey: string): string {
  const npub = npubOf(pubkey);
  return `${npub.slice(0, 12)}…${npub.slice(-6)}`;
}

/** Splits a "To" field: npubs separated by commas, spaces or new lines. */
export function splitRecipients(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ];
}

/** The first `bitcoin:` URI in a message, if any. */
export function findBitcoinUri(text: string): string | null {
  const m = /bitcoin:[^\s<>"']+/i.exec(text);
  if (!m) return null;
  return m[0].replace(/[.,;:!?)\]]+$/, '');
}

/**
 * The first Lightning request in a message: a BOLT11 invoice, an `lnurl1…`, a `lightning:` link,
 * or a Lightning address when it is the whole message or marked with ⚡ (an e-mail address in a
 * sentence is not a payment request).
 */
export function findLightningRequest(text: string): string | null {
  const link = /lightning:([^\s<>"']+)/i.exec(text);
  if (link?.[1]) return link[1].replace(/[.,;!?)\]]+$/, '');
  const invoice = /\b(ln(?:bcrt|bc|tbs|tb)[0-9a-z]{50,})\b/i.exec(text);
  if (invoice?.[1]) return invoice[1];
  const lnurl = /\b(lnurl1[0-9a-z]{20,})\b/i.exec(text);
  if (lnurl?.[1]) return lnurl[1];
  const address = /^(?:⚡\s*)?([a-z0-9._-]+@[a-z0-9.-]+(?::\d{1,5})?)$/i.exec(text.trim());
  if (address?.[1]) return address[1];
  const marked = /⚡\s*([a-z0-9._-]+@[a-z0-9.-]+(?::\d{1,5})?)/i.exec(text);
  return marked?.[1] ?? null;
}
