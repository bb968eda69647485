import { bech32 } from '@scure/base';
import type { NostrEvent } from './verify';
import { verifySignature } from './signature';

/** NIP-57 event kinds. */
export const KIND_ZAP_REQUEST = 9734;
export const KIND_ZAP_RECEIPT = 9735;

const HEX64 = /^[0-9a-f]{64}$/;

/** LUD-01 bech32 `lnurl1…` of a URL (the `lnurl` tag and query parameter of NIP-57). */
export function encodeLnurl(url: string): string {
  return bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), 2000);
}

export interface ZapRequestInput {
  /** The recipient's pubkey (the `p` tag). */
  recipient: string;
  amountMsat: bigint;
  /** The recipient's LNURL-pay URL, bech32-encoded (`lnurl1…`). */
  lnurl: string;
  /** Where the recipient's LNURL server should publish the receipt. */
  relays: string[];
  /** A zapped event (a channel post): its id and kind. */
  event?: { id: string; kind: number };
  /** The zap comment; may be empty. */
  comment: string;
  createdAt: number;
}

/** The unsigned kind 9734 of NIP-57 Appendix A (never published: sent to the LNURL callback). */
export function zapRequestTemplate(input: ZapRequestInput): {
  kind: number;
  created_at: number;
  tags: string[][];
  content: string;
} {
  const tags: string[][] = [
    ['relays', ...input.relays],
    ['amount', input.amountMsat.toString()],
    ['lnurl', input.lnurl],
    ['p', input.recipient],
  ];
  if (input.event) tags.push(['e', input.event.id], ['k', String(input.event.kind)]);
  return { kind: KIND_ZAP_REQUEST, created_at: input.createdAt, tags, content: input.comment };
}

export type ZapRequestProblem =
  | 'not-a-zap-request'
  | 'bad-signature'
  | 'no-tags'
  | 'p-tags'
  | 'e-tags'
  | 'no-relays'
  | 'amount-mismatch'
  | 'bad-a-tag'
  | 'P-tags';

/**
 * NIP-57 Appendix D, the checks an LNURL server makes on a zap request (Flash makes them on its
 * own requests before sending, and on the request inside a receipt before believing it).
 * `amountMsat` is the amount the invoice is for; null skips that check.
 */
export function checkZapRequest(event: NostrEvent, amountMsat: bigint | null): ZapRequestProblem | null {
  if (event.kind !== KIND_ZAP_REQUEST) return 'not-a-zap-request';
  // A plain copy: nostr-tools marks events it signed as verified, and a mutated copy keeps the mark.
  const { id, pubkey, created_at, kind, tags, content, sig } = event;
  if (!verifySignature({ id, pubkey, created_at, kind, tags, content, sig })) return 'bad-signature';
  if (event.tags.length === 0) return 'no-tags';
  const p = event.tags.filter((t) => t[0] === 'p');
  if (p.length !== 1 || !HEX64.test(p[0]?.[1] ?? '')) return 'p-tags';
  const e = event.tags.filter((t) => t[0] === 'e');
  if (e.length > 1 || (e.length === 1 && !HEX64.test(e[0]?.[1] ?? ''))) return 'e-tags';
  const relays = event.tags.find((t) => t[0] === 'relays');
  if (!relays || relays.length < 2) return 'no-relays';
  const amount = event.tags.find((t) => t[0] === 'amount')?.[1];
  if (amount !== undefined && amountMsat !== null && amount !== amountMsat.toString())
    return 'amount-mismatch';
  const a = event.tags.filter((t) => t[0] === 'a');
  if (a.some((t) => !/^\d+:[0-9a-f]{64}:.*$/.test(t[1] ?? ''))) return 'bad-a-tag';
  if (event.tags.filter((t) => t[0] === 'P').length > 1) return 'P-tags';
  return null;
}
