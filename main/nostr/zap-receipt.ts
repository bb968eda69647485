import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { decodeBolt11 } from '../../shared/lightning/bolt11';
import type { ZapRequestProblem } from './zap-request';
import { checkZapRequest, KIND_ZAP_RECEIPT } from './zap-request';
import type { NostrEvent } from './verify';
import { checkEvent } from './verify';

/** A zap receipt that passed NIP-57's checks: who zapped whom, how much, and what they said. */
export interface ValidZap {
  receiptId: string;
  /** Who paid (the zap request's author). */
  sender: string;
  recipient: string;
  /** The zapped event, when a post was zapped. */
  eventId: string | null;
  amountMsat: bigint;
  comment: string;
  /** The receipt's created_at (NIP-57: the invoice's paid_at). */
  paidAt: number;
  bolt11: string;
}

export type ZapReceiptProblem =
  | 'not-a-receipt'
  | 'wrong-zapper'
  | 'no-bolt11'
  | 'bad-bolt11'
  | 'no-description'
  | 'description-hash-mismatch'
  | 'bad-zap-request'
  | 'amount-mismatch'
  | 'lnurl-mismatch'
  | 'recipient-mismatch'
  | 'event-mismatch'
  | ZapRequestProblem;

export type ZapReceiptCheck = { ok: true; zap: ValidZap } | { ok: false; problem: ZapReceiptProblem };

/**
 * NIP-57 Appendix F: a receipt counts only when its author is the recipient's LNURL server
 * (`nostrPubkey` from their LNURL-pay response), the bolt11 amount equals the request's `amount`,
 * and (when known) the request's `lnurl` is the recipient's. Flash also holds the receipt to the
 * SHOULDs of Appendix E that bind it to the invoice: the description is the signed zap request
 * and hashes to the invoice's description hash; the receipt's `p`/`e` are the request's.
 */
export function validateZapReceipt(
  receipt: NostrEvent,
  expect: { nostrPubkey: string; lnurl?: string | null },
): ZapReceiptCheck {
  const bad = (problem: ZapReceiptProblem): ZapReceiptCheck => ({ ok: false, problem });
  if (receipt.kind !== KIND_ZAP_RECEIPT) return bad('not-a-receipt');
  if (receipt.pubkey !== expect.nostrPubkey.toLowerCase()) return bad('wrong-zapper');
  const bolt11 = receipt.tags.find((t) => t[0] === 'bolt11')?.[1];
  if (!bolt11) return bad('no-bolt11');
  let invoice: ReturnType<typeof decodeBolt11>;
  try {
    invoice = decodeBolt11(bolt11);
  } catch {
    return bad('bad-bolt11');
  }
  const description = receipt.tags.find((t) => t[0] === 'description')?.[1];
  if (!description) return bad('no-description');
  if (invoice.descriptionHash !== bytesToHex(sha256(new TextEncoder().encode(description))))
    return bad('description-hash-mismatch');
  let raw: unknown;
  try {
    raw = JSON.parse(description);
  } catch {
    return bad('bad-zap-request');
  }
  const checked = checkEvent(raw);
  if (!checked.ok) return bad('bad-zap-request');
  const request = checked.event;
  const problem = checkZapRequest(request, null);
  if (problem) return bad(problem);
  const amountTag = request.tags.find((t) => t[0] === 'amount')?.[1];
  if (amountTag !== undefined && (invoice.amountMsat === null || amountTag !== invoice.amountMsat.toString()))
    return bad('amount-mismatch');
  if (invoice.amountMsat === null) return bad('bad-bolt11');
  const lnurlTag = request.tags.find((t) => t[0] === 'lnurl')?.[1];
  if (expect.lnurl && lnurlTag && lnurlTag.toLowerCase() !== expect.lnurl.toLowerCase())
    return bad('lnurl-mismatch');
  const recipient = request.tags.find((t) => t[0] === 'p')?.[1] ?? '';
  if (receipt.tags.find((t) => t[0] === 'p')?.[1] !== recipient) return bad('recipient-mismatch');
  const eventId = request.tags.find((t) => t[0] === 'e')?.[1] ?? null;
  const receiptE = receipt.tags.find((t) => t[0] === 'e')?.[1] ?? null;
  if (eventId !== receiptE) return bad('event-mismatch');
  return {
    ok: true,
    zap: {
      receiptId: receipt.id,
      sender: request.pubkey,
      recipient,
      eventId,
      amountMsat: invoice.amountMsat,
      comment: request.content.slice(0, 500),
      paidAt: receipt.created_at,
      bolt11: invoice.paymentRequest,
    },
  };
}
