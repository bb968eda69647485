import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { decodeBolt11 } from '../../shared/lightning/bolt11';
import { FlashError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { Filter } from './relay-connection';
import type { NostrService } from './service';
import type { NostrEvent } from './verify';
import type { ValidZap } from './zap-receipt';
import { validateZapReceipt } from './zap-receipt';
import { checkZapRequest, encodeLnurl, KIND_ZAP_RECEIPT, zapRequestTemplate } from './zap-request';

/** LUD-06 as far as zaps need it, with NIP-57's two fields. */
export interface ZapPayRequest {
  /** The LNURL-pay URL (`.well-known/lnurlp/name` for an address): becomes the `lnurl` tag. */
  url: string;
  callback: string;
  minSendableMsat: bigint;
  maxSendableMsat: bigint;
  allowsNostr: boolean;
  nostrPubkey: string | null;
}

/** The LNURL module's HTTP side (its dial policy and limits apply): fetch, then call back. */
export interface ZapLnurlPort {
  /** `target` is a Lightning address (lud16) or a bech32 `lnurl1…` (lud06). */
  payRequest(target: string): Promise<ZapPayRequest>;
  /** GET `callback` with `params`; returns the invoice (`pr`). */
  fetchInvoice(callback: string, params: Record<string, string>): Promise<string>;
}

/** Paying goes through the Lightning service: journaled, and shown in activity as a zap. */
export interface ZapPaymentPort {
  pay(input: { bolt11: string; counterparty: string; description: string }): Promise<{
    paymentId: string;
    paymentHash: string | null;
    state: string;
  }>;
}

export interface ZapServiceDeps {
  nostr: Pick<NostrService, 'getProfile' | 'signEvent' | 'userRelays' | 'relayPool' | 'getIdentity'>;
  lnurl: ZapLnurlPort;
  payments: ZapPaymentPort;
  log: Logger;
  now?: () => number;
  queryTimeoutMs?: number;
  /** Emits the receipts seen live (bus 'nostr.zap'). */
  onZap?: (zap: ValidZap) => void;
}

export interface ZapInput {
  recipient: string;
  /** A zapped event (a channel post) and its kind. */
  event?: { id: string; kind: number };
  amountSats: number;
  comment: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const PAY_INFO_TTL_MS = 10 * 60_000;
const LIVE_SUB = 'zaps-live';

/**
 * Zaps (NIP-57) from Messages: a zap request signed with the user's NOSTR key, sent to the
 * recipient's LNURL server (never published), the invoice it returns checked against the request
 * (amount, description hash) and paid through the Lightning service; and the receipts Flash sees,
 * each validated per NIP-57 before it is shown.
 */
export function createZapService(deps: ZapServiceDeps) {
  const now = deps.now ?? Date.now;
  const nowSec = (): number => Math.floor(now() / 1000);
  const payInfo = new Map<string, { at: number; info: ZapPayRequest; lnurl: string; target: string }>();
  /** Receipts followed live: to these people, and on these posts (what the UI has asked about). */
  const watched = new Set<string>();
  const watchedPosts = new Set<string>();
  let offLive: (() => void) | null = null;

  const pool = () => {
    const p = deps.nostr.relayPool();
    if (!p) throw new FlashError('INTERNAL', 'The NOSTR service is not started.');
    return p;
  };
  const readRelays = (): string[] => deps.nostr.userRelays().read.slice(0, 8);

  /** lud16 from the cached profile, else lud16/lud06 from the newest kind 0 on our relays. */
  const lightningTargetOf = async (pubkey: string): Promise<string> => {
    const cached = deps.nostr.getProfile(pubkey)?.lud16;
    if (cached) return cached;
    const found = await pool().query(
      [{ kinds: [0], authors: [pubkey], limit: 1 }],
      readRelays(),
      deps.queryTimeoutMs ?? 3000,
    );
    const newest = found.filter((e) => e.pubkey === pubkey).sort((a, b) => b.created_at - a.created_at)[0];
    if (newest) {
      try {
        const content = JSON.parse(newest.content) as Record<string, unknown>;
        for (const field of ['lud16', 'lud06'] as const) {
          const v = content[field];
          if (typeof v === 'string' && v.trim()) return v.trim();
        }
      } catch {
        // a broken profile has no address
      }
    }
    throw new FlashError(
      'ZAP_NO_LIGHTNING_ADDRESS',
      'This person has no Lightning address in their profile.',
    );
  };

  const zapInfoOf = async (
    pubkey: string,
  ): Promise<{ info: ZapPayRequest; lnurl: string; target: string }> => {
    const hit = payInfo.get(pubkey);
    if (hit && now() - hit.at < PAY_INFO_TTL_MS) return hit;
    const target = await lightningTargetOf(pubkey);
    const info = await deps.lnurl.payRequest(target);
    const entry = { at: now(), info, lnurl: encodeLnurl(info.url), target };
    payInfo.set(pubkey, entry);
    return entry;
  };

  const validate = async (receipt: NostrEvent): Promise<ValidZap | null> => {
    const recipient = receipt.tags.find((t) => t[0] === 'p')?.[1];
    if (!recipient || !HEX64.test(recipient)) return null;
    let zapInfo: { info: ZapPayRequest; lnurl: string };
    try {
      zapInfo = await zapInfoOf(recipient);
    } catch {
      return null; // without the recipient's LNURL server we cannot tell who may sign receipts
    }
    const nostrPubkey = zapInfo.info.nostrPubkey;
    if (!zapInfo.info.allowsNostr || !nostrPubkey) return null;
    const check = validateZapReceipt(receipt, { nostrPubkey, lnurl: zapInfo.lnurl });
    if (!check.ok) {
      deps.log.info('zaps: a receipt failed NIP-57 validation', {
        receipt: receipt.id,
        problem: check.problem,
      });
      return null;
    }
    return check.zap;
  };

  const watchLive = (): void => {
    const me = deps.nostr.getIdentity()?.pubkey;
    const people = [...new Set([...watched, ...(me ? [me] : [])])].slice(-200);
    const posts = [...watchedPosts].slice(-500);
    if (people.length === 0 && posts.length === 0) return;
    const p = pool();
    offLive ??= p.onEvent((event, _url, duplicate, subId) => {
      if (subId !== LIVE_SUB || duplicate || event.kind !== KIND_ZAP_RECEIPT) return;
      void validate(event).then((zap) => {
        if (zap) deps.onZap?.(zap);
      });
    });
    const since = nowSec() - 60;
    const filters: Filter[] = [];
    if (people.length > 0) filters.push({ kinds: [KIND_ZAP_RECEIPT], '#p': people, since });
    if (posts.length > 0) filters.push({ kinds: [KIND_ZAP_RECEIPT], '#e': posts, since });
    p.subscribe(LIVE_SUB, filters, readRelays());
  };

  return {
    /**
     * Zaps `recipient` (or one of their posts). Throws ZAP_NO_LIGHTNING_ADDRESS, ZAP_NOT_SUPPORTED
     * (no allowsNostr/nostrPubkey, amount outside the server's range), ZAP_BAD_INVOICE (an invoice
     * that is not for this zap: nothing is paid), or the Lightning service's errors.
     */
    async zap(input: ZapInput) {
      const me = deps.nostr.getIdentity();
      if (!me) throw new FlashError('NOSTR_NO_IDENTITY', 'Set up a NOSTR identity first.');
      if (!HEX64.test(input.recipient)) throw new FlashError('BAD_INPUT', 'Not a NOSTR public key.');
      const amountMsat = BigInt(input.amountSats) * 1000n;
      const { info, lnurl, target } = await zapInfoOf(input.recipient);
      if (!info.allowsNostr || !info.nostrPubkey || !HEX64.test(info.nostrPubkey))
        throw new FlashError('ZAP_NOT_SUPPORTED', 'Their Lightning address does not accept zaps.', {
          reason: 'no-nostr',
        });
      if (amountMsat < info.minSendableMsat || amountMsat > info.maxSendableMsat)
        throw new FlashError(
          'ZAP_NOT_SUPPORTED',
          'The amount is outside what their Lightning address accepts.',
          {
            reason: 'amount',
            minSats: Number(info.minSendableMsat / 1000n),
            maxSats: Number(info.maxSendableMsat / 1000n),
          },
        );
      const relays = readRelays();
      if (relays.length === 0) throw new FlashError('NOSTR_NO_RELAYS', 'Set your NOSTR relays first.');
      const request = deps.nostr.signEvent(
        zapRequestTemplate({
          recipient: input.recipient,
          amountMsat,
          lnurl,
          relays,
          ...(input.event ? { event: input.event } : {}),
          comment: input.comment.slice(0, 280),
          createdAt: nowSec(),
        }),
      );
      const problem = checkZapRequest(request, amountMsat);
      if (problem) throw new FlashError('INTERNAL', `Our zap request is not valid: ${problem}.`);
      const requestJson = JSON.stringify(request);
      const bolt11 = await deps.lnurl.fetchInvoice(info.callback, {
        amount: amountMsat.toString(),
        nostr: requestJson,
        lnurl,
      });
      let invoice: ReturnType<typeof decodeBolt11>;
      try {
        invoice = decodeBolt11(bolt11);
      } catch {
        throw new FlashError('ZAP_BAD_INVOICE', 'Their server sent something that is not an invoice.');
      }
      if (invoice.amountMsat !== amountMsat)
        throw new FlashError('ZAP_BAD_INVOICE', 'The invoice is not for the amount of the zap.', {
          reason: 'amount',
        });
      // NIP-57: "the description is this zap request note and this note only".
      if (invoice.descriptionHash !== bytesToHex(sha256(new TextEncoder().encode(requestJson))))
        throw new FlashError('ZAP_BAD_INVOICE', 'The invoice does not commit to this zap request.', {
          reason: 'description-hash',
        });
      watched.add(input.recipient);
      try {
        watchLive();
      } catch (err) {
        deps.log.warn('zaps: receipts not watched', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      const paid = await deps.payments.pay({
        bolt11: invoice.paymentRequest,
        counterparty: target,
        description: input.comment ? `Zap: ${input.comment.slice(0, 100)}` : 'Zap',
      });
      return { ...paid, zapRequestId: request.id };
    },
    /** Valid receipts for a person (zaps to them) or for posts, newest first. */
    async receipts(query: { recipient?: string; eventIds?: string[] }): Promise<ValidZap[]> {
      const filters: Filter[] = [];
      if (query.eventIds && query.eventIds.length > 0)
        filters.push({ kinds: [KIND_ZAP_RECEIPT], '#e': query.eventIds.slice(0, 200), limit: 500 });
      if (query.recipient) filters.push({ kinds: [KIND_ZAP_RECEIPT], '#p': [query.recipient], limit: 500 });
      if (filters.length === 0) return [];
      // What the UI asks about, it shows: new receipts for it are followed live from now on.
      const before = watched.size + watchedPosts.size;
      if (query.recipient) watched.add(query.recipient);
      for (const id of query.eventIds ?? []) watchedPosts.add(id);
      if (watched.size + watchedPosts.size !== before) {
        try {
          watchLive();
        } catch (err) {
          deps.log.warn('zaps: receipts not watched', {
            error: err instanceof Error ? err.message : String(err),
          });
        }
      }
      const found = await pool().query(filters, readRelays(), deps.queryTimeoutMs ?? 3000);
      const out: ValidZap[] = [];
      for (const r of found) {
        const zap = await validate(r);
        if (zap) out.push(zap);
      }
      return out.sort((a, b) => b.paidAt - a.paidAt || a.receiptId.localeCompare(b.receiptId));
    },
    stop(): void {
      offLive?.();
      offLive = null;
      deps.nostr.relayPool()?.unsubscribe(LIVE_SUB);
    },
  };
}

export type ZapService = ReturnType<typeof createZapService>;
