import { NostrReceipt } from '../../shared/contract/nostr';
import type { NostrReceiptInput } from '../../shared/contract/nostr';
import { FlashError } from '../../shared/errors';

/**
 * A receipt travels as an ordinary NIP-17 message: readable lines for any NOSTR client, then one
 * last line `flash-receipt:v1:<JSON>` that Flash turns back into a receipt card. The JSON is the
 * source of truth for the card; it is checked strictly (shape, bounds, total = sum of the lines)
 * and anything that does not pass is shown as plain text, never half a card.
 */
export const RECEIPT_MARKER = 'flash-receipt:v1:';

function groupSats(n: number): string {
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} sats`;
}

/** Builds the receipt from the form (the total is computed here, never taken from outside). */
export function buildReceipt(input: NostrReceiptInput, merchant: string, date: number): NostrReceipt {
  const items = input.items.map((i) => ({
    description: i.description.trim(),
    quantity: i.quantity,
    unitSats: i.unitSats,
  }));
  const totalSats = items.reduce((s, i) => s + i.quantity * i.unitSats, 0);
  const receipt = {
    v: 1 as const,
    merchant: merchant.trim(),
    date,
    items,
    totalSats,
    ...(input.txid ? { txid: input.txid.toLowerCase() } : {}),
    ...(input.invoice ? { invoice: input.invoice.trim() } : {}),
    ...(input.note?.trim() ? { note: input.note.trim() } : {}),
  };
  const parsed = NostrReceipt.safeParse(receipt);
  if (!parsed.success)
    throw new FlashError('NOSTR_BAD_RECEIPT', 'The receipt is not valid.', {
      issues: parsed.error.issues.length,
    });
  return parsed.data;
}

/** Human-readable lines followed by the machine-readable line. */
export function formatReceipt(r: NostrReceipt): string {
  const lines = [`Receipt from ${r.merchant}`, `Date: ${new Date(r.date * 1000).toISOString().slice(0, 10)}`];
  for (const i of r.items)
    lines.push(`- ${i.description} × ${i.quantity}: ${groupSats(i.quantity * i.unitSats)}`);
  lines.push(`Total: ${groupSats(r.totalSats)}`);
  if (r.txid) lines.push(`Transaction: ${r.txid}`);
  if (r.invoice) lines.push(`Invoice: ${r.invoice}`);
  if (r.note) lines.push(`Note: ${r.note}`);
  lines.push('', `${RECEIPT_MARKER}${JSON.stringify(r)}`);
  return lines.join('\n');
}

/** The receipt carried by a message text, or null (no marker, bad JSON, bad shape, wrong total). */
export function parseReceipt(text: string): NostrReceipt | null {
  const lines = text.trimEnd().split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  if (!last.startsWith(RECEIPT_MARKER)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(last.slice(RECEIPT_MARKER.length));
  } catch {
    return null;
  }
  const parsed = NostrReceipt.safeParse(raw);
  if (!parsed.success) return null;
  const r = parsed.data;
  const sum = r.items.reduce((s, i) => s + i.quantity * i.unitSats, 0);
  return sum === r.totalSats ? r : null;
}
