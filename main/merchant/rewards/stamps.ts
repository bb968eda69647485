import crypto from 'node:crypto';
import * as nip19 from 'nostr-tools/nip19';
import { z } from 'zod';
import type { RewardRules, StampCustomerRef } from '../../../shared/contract/merchant';
import { FlashError } from '../../../shared/errors';
import { isDecimalString, toAtoms } from '../../../shared/merchant/decimal';
import { percentOfSats } from './rules';

/**
 * The stamp card: an identified customer's every Nth qualifying settled sale earns a reward.
 * Counters keep no authoritative state, so the card lives on BTCPay: each sale names its customer
 * in the invoice (metadata and a search term), and the card is counted from the customer's
 * settled invoices; a rewarded sale is known by its reward (the pull payment names the invoice).
 */

/** A customer in canonical form: the key stored on invoices, and how the counter shows it. */
export interface StampCustomer {
  kind: 'npub' | 'card';
  /** npub: the 64-hex public key; card: the UID as 14 lower-case hex digits. */
  key: string;
  /** What the screens show and the contract answers: npub1… or the card UID. */
  display: string;
}

const HEX_PUBKEY = /^[0-9a-f]{64}$/i;
const CARD_UID = /^[0-9a-f]{14}$/i;
const NOT_A_KEY = 'This is not an npub (or a public key in hex).';

/** The public key an npub, nprofile or 64-hex text names; null for anything else (an nsec too). */
function publicKeyOf(text: string): string | null {
  if (HEX_PUBKEY.test(text)) return text.toLowerCase();
  try {
    const decoded = nip19.decode(text);
    // An nprofile names the same key with relay hints: the card belongs to the key.
    if (decoded.type === 'npub') return decoded.data;
    if (decoded.type === 'nprofile') return decoded.data.pubkey;
  } catch {
    // Not bech32 at all: refused below, in words.
  }
  return null;
}

/**
 * A customer as the contract carries it, checked and made canonical: the npub kind decoded with
 * nip19 (or taken as 64-hex), the card kind as 7 bytes of hex (separators allowed, as readers
 * print UIDs).
 */
const StampCustomerSchema = z
  .object({ kind: z.enum(['npub', 'card']), value: z.string().trim().min(1).max(200) })
  .transform((ref, ctx): StampCustomer => {
    const value = ref.value.replace(/^nostr:/i, '');
    if (ref.kind === 'card') {
      const uid = value.replace(/[\s:]/g, '');
      if (CARD_UID.test(uid)) return { kind: 'card', key: uid.toLowerCase(), display: uid.toLowerCase() };
      ctx.addIssue({ code: 'custom', message: 'A Flash Card UID is 7 bytes in hex (14 digits).' });
      return z.NEVER;
    }
    const key = publicKeyOf(value);
    if (key) return { kind: 'npub', key, display: nip19.npubEncode(key) };
    ctx.addIssue({ code: 'custom', message: NOT_A_KEY });
    return z.NEVER;
  });

/** Checks a customer as typed, scanned or tapped; throws MERCHANT_BAD_CUSTOMER in words. */
export function parseStampCustomer(ref: StampCustomerRef): StampCustomer {
  const parsed = StampCustomerSchema.safeParse(ref);
  if (parsed.success) return parsed.data;
  throw new FlashError('MERCHANT_BAD_CUSTOMER', parsed.error.issues[0]?.message ?? NOT_A_KEY);
}

/** The invoice metadata field naming the sale's customer (BTCPay keeps any extra metadata). */
export const STAMP_METADATA_FIELD = 'flashStampCustomer';
/**
 * When the counter made the sale (ms) and which counter it was: BTCPay dates invoices to the
 * second, so two sales of one second are ordered by the counter's clock; and the counter that
 * sold a card's Nth sale is the one to reward it.
 */
export const STAMP_SOLD_AT_FIELD = 'flashStampAt';
export const STAMP_COUNTER_FIELD = 'flashStampCounter';

/** What the invoice's metadata holds: the kind and key, e.g. `npub:3bf0…` or `card:04a1…`. */
export const stampCustomerId = (c: StampCustomer): string => `${c.kind}:${c.key}`;

/**
 * The invoice's additional search term for the customer: one word (BTCPay indexes terms whole
 * and matches a text search against them), so `textSearch` finds the customer's invoices.
 */
export const stampSearchTerm = (c: StampCustomer): string => `flashstamp-${c.kind}-${c.key}`;

/**
 * The key that makes a stamp reward once-only: the store, the customer and the invoice of the
 * Nth sale. The same three always give the same key, whichever counter computes it.
 */
export function stampRewardKey(storeId: string, c: StampCustomer, invoiceId: string): string {
  return crypto
    .createHash('sha256')
    .update(`${storeId}\n${stampCustomerId(c)}\n${invoiceId}`)
    .digest('hex')
    .slice(0, 32);
}

/** One of the customer's invoices, as the count needs it (from Greenfield's invoice list). */
export interface StampInvoice {
  id: string;
  /** Seconds since the epoch (BTCPay's createdTime). */
  createdTime: number;
  /** ms since the epoch by the selling counter's clock, when the invoice says. */
  soldAtMs?: number | null;
  status: string;
  amount: string;
  currency: string;
  /** The customer the invoice's metadata names. */
  customerId: string | null;
  /** A reward was issued for it (as the Nth sale of a card). */
  rewarded: boolean;
}

export interface StampRule {
  every: number;
  /** In the store's currency. */
  minimumSale: string;
}

/** Only a settled sale at or above the minimum, in the store's currency, earns a stamp. */
export function earnsStamp(inv: StampInvoice, rule: StampRule, storeCurrency: string): boolean {
  if (inv.status !== 'Settled') return false;
  if (inv.currency.toUpperCase() !== storeCurrency.toUpperCase()) return false;
  if (!isDecimalString(inv.amount) || !isDecimalString(rule.minimumSale)) return false;
  return toAtoms(inv.amount) >= toAtoms(rule.minimumSale);
}

export interface StampProgress {
  /** Stamps on the current card (may reach `every` when a reward is due and not yet issued). */
  stamps: number;
  /** The invoice of the Nth sale whose reward is due and not issued yet; null when none is due. */
  due: string | null;
  /** The last invoice that completed a card (rewarded, or `due`). */
  lastFull: string | null;
  /** The current card's stamped invoices, oldest first. */
  stamped: string[];
}

/**
 * Counts a customer's card from their invoices. In the order BTCPay made them, every qualifying
 * sale adds a stamp; a rewarded sale uses up itself and the oldest stamps before it (N in all),
 * so a reward always spends exactly one full card, even when two counters' sales settle out of
 * order. When a full card is left over, its Nth stamp is the sale whose reward is due: the same
 * invoice for every counter that sees the same invoices.
 */
export function stampProgress(
  invoices: readonly StampInvoice[],
  customerId: string,
  rule: StampRule,
  storeCurrency: string,
): StampProgress {
  const ordered = invoices
    .filter((i) => i.customerId === customerId && earnsStamp(i, rule, storeCurrency))
    .sort(
      (a, b) =>
        a.createdTime - b.createdTime ||
        (a.soldAtMs ?? 0) - (b.soldAtMs ?? 0) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  let open: string[] = [];
  let lastFull: string | null = null;
  for (const inv of ordered) {
    if (!inv.rewarded) {
      open.push(inv.id);
      continue;
    }
    // The rewarded sale and the N-1 oldest stamps before it make its card.
    open = open.slice(rule.every - 1);
    lastFull = inv.id;
  }
  const due = open.length >= rule.every ? (open[rule.every - 1] ?? null) : null;
  if (due) return { stamps: rule.every, due, lastFull: due, stamped: open.slice(0, rule.every) };
  return { stamps: open.length, due: null, lastFull, stamped: open };
}

/** The stamp reward in sats for the Nth sale: the fixed amount, or a percentage of its sats. */
export function stampRewardSats(rules: RewardRules, paidSats: number): number {
  return rules.stampPays === 'fixed' ? rules.sats : percentOfSats(paidSats, rules.percent);
}

/** The customer an invoice names (`npub:<hex>` or `card:<uid>`), or null for anything else. */
export function customerFromId(id: string): StampCustomer | null {
  const at = id.indexOf(':');
  const kind = id.slice(0, at);
  if (kind !== 'npub' && kind !== 'card') return null;
  try {
    return parseStampCustomer({ kind, value: id.slice(at + 1) });
  } catch {
    return null;
  }
}

/**
 * The stamp a sale put on the card, for its screen: N for the sale that completed a card, its
 * place on the current card, or (not settled yet, or under the minimum) the stamps so far.
 */
export function stampOfSale(p: StampProgress, every: number, invoiceId?: string): number {
  if (!invoiceId) return p.stamps;
  if (p.lastFull === invoiceId) return every;
  const at = p.stamped.indexOf(invoiceId);
  return at >= 0 ? at + 1 : p.stamps;
}
