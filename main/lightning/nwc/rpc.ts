import { randomBytes } from 'node:crypto';
import { bytesToHex } from '@noble/hashes/utils.js';
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure';
import type { Logger } from '../../core/logger';
import type { NostrEvent } from '../../nostr/verify';
import { LightningError } from '../provider';
import type { NwcEncryption } from './encryption';
import { chooseEncryption, decryptFrom, encryptFor, offeredEncryptions } from './encryption';
import { nwcErrorToLightning } from './errors';
import type { NwcMethod, NwcParams, NwcResult, ParsedNotification } from './messages';
import {
  KIND_NWC_INFO,
  KIND_NWC_NOTIFICATION,
  KIND_NWC_NOTIFICATION_NIP04,
  KIND_NWC_REQUEST,
  KIND_NWC_RESPONSE,
  parseNotification,
  parseResponse,
  requestBody,
} from './messages';
import type { NwcRelayPort } from './relays';

/** What the wallet's info event (kind 13194) says. */
export interface NwcWalletInfo {
  /** Space-separated words of its content: methods, plus "notifications" when it sends them. */
  capabilities: string[];
  notifications: string[];
  encryptions: NwcEncryption[];
  /** The scheme Flash speaks with this wallet. */
  encryption: NwcEncryption;
  /** Whether the info event carried an `encryption` tag (a legacy wallet has none). */
  announcedEncryption: boolean;
}

export interface NwcRpcOptions {
  walletPubkey: string;
  relays: string[];
  /** Read from the vault at each use, never kept. */
  secret(): Uint8Array;
  port: NwcRelayPort;
  log: Logger;
  now?: () => number;
  /** How long to wait for the info event on the wallet's relays. */
  infoTimeoutMs?: number;
  /** How long to wait for an answer; pay_invoice has its own, longer wait. */
  requestTimeoutMs?: number;
  payTimeoutMs?: number;
}

interface Pending {
  method: NwcMethod;
  resolve(plaintext: string): void;
  timer: ReturnType<typeof setTimeout>;
}

/** A request whose answer did not come in time: for a payment, the outcome is unknown. */
export class NwcTimeout extends LightningError {
  constructor(method: NwcMethod, ms: number) {
    super('timeout', `The wallet did not answer ${method} within ${Math.round(ms / 1000)} s.`, {
      method,
      waitedMs: ms,
    });
  }
}

let counter = 0;
/** How far behind ours another party's clock may run (NIP-47 events carry its created_at). */
const CLOCK_SKEW_SEC = 600;
/** How far ahead of ours a wallet's clock may run before it drops our requests as expired. */
const EXPIRATION_GRACE_SEC = 300;

/**
 * One NWC connection's request/response channel over the app's relay pool. Requests are kind
 * 23194, signed by the connection secret and encrypted for the wallet; answers are kind 23195
 * with an `e` tag naming the request. One subscription per connection carries answers and
 * notifications (23196/23197); answers are ephemeral on relays, so it is opened before any request.
 */
export function createNwcRpc(opts: NwcRpcOptions) {
  const now = opts.now ?? Date.now;
  const pending = new Map<string, Pending>();
  const subId = `nwc-${++counter}-${bytesToHex(randomBytes(4))}`;
  const owner = `nwc-client:${subId}`;
  let info: NwcWalletInfo | null = null;
  let offEvent: (() => void) | null = null;
  const notificationListeners = new Set<(n: ParsedNotification) => void>();
  const clientPubkey = (): string => getPublicKey(opts.secret());

  const onEvent = (event: NostrEvent, _url: string, duplicate: boolean, sid: string): void => {
    if (sid !== subId || duplicate || event.pubkey !== opts.walletPubkey) return;
    if (event.kind === KIND_NWC_RESPONSE) return onResponse(event);
    if (event.kind === KIND_NWC_NOTIFICATION || event.kind === KIND_NWC_NOTIFICATION_NIP04)
      return onNotification(event);
  };

  const open = (scheme: NwcEncryption, event: NostrEvent): string | null => {
    try {
      return decryptFrom(scheme, opts.secret(), opts.walletPubkey, event.content);
    } catch (err) {
      opts.log.warn('nwc: an answer from the wallet did not decrypt', {
        kind: event.kind,
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  };

  const onResponse = (event: NostrEvent): void => {
    const requestId = event.tags.find((t) => t[0] === 'e')?.[1];
    const p = requestId ? pending.get(requestId) : undefined;
    if (!p || !requestId || !info) return;
    const plaintext = open(info.encryption, event);
    if (plaintext === null) return;
    clearTimeout(p.timer);
    pending.delete(requestId);
    p.resolve(plaintext);
  };

  const onNotification = (event: NostrEvent): void => {
    if (!info) return;
    // One kind per scheme: listen only to the one we speak, so a wallet sending both is not read twice.
    const wanted = info.encryption === 'nip44_v2' ? KIND_NWC_NOTIFICATION : KIND_NWC_NOTIFICATION_NIP04;
    if (event.kind !== wanted) return;
    const plaintext = open(info.encryption, event);
    if (plaintext === null) return;
    const n = parseNotification(plaintext);
    if (!n) return;
    for (const l of [...notificationListeners]) l(n);
  };

  const readInfo = async (): Promise<NwcWalletInfo> => {
    let events: NostrEvent[];
    try {
      events = await opts.port.query(
        [{ kinds: [KIND_NWC_INFO], authors: [opts.walletPubkey], limit: 1 }],
        opts.relays,
        opts.infoTimeoutMs ?? 6000,
      );
    } catch (err) {
      throw new LightningError('unreachable', `The wallet's relay could not be asked: ${describe(err)}`);
    }
    const newest = events
      .filter((e) => e.kind === KIND_NWC_INFO && e.pubkey === opts.walletPubkey)
      .sort((a, b) => b.created_at - a.created_at)[0];
    if (!newest)
      throw new LightningError(
        'unreachable',
        'The wallet has published no NWC info event on its relays: it is offline, or the link is wrong.',
      );
    const encryptions = offeredEncryptions(newest.tags);
    const encryption = chooseEncryption(encryptions);
    if (!encryption)
      throw new LightningError(
        'not-supported',
        'The wallet offers no encryption Flash speaks (nip44_v2, nip04).',
      );
    const notifTag = newest.tags.find((t) => t[0] === 'notifications')?.[1] ?? '';
    return {
      capabilities: newest.content.split(/\s+/).filter(Boolean).slice(0, 64),
      notifications: notifTag.split(/\s+/).filter(Boolean).slice(0, 64),
      encryptions,
      encryption,
      announcedEncryption: newest.tags.some((t) => t[0] === 'encryption'),
    };
  };

  const api = {
    subId,
    clientPubkey,
    info: (): NwcWalletInfo | null => info,
    /** Reads the info event, picks the encryption and opens the answer subscription. */
    async connect(): Promise<NwcWalletInfo> {
      // The wallet's relay may ask for NIP-42 AUTH: answer as this connection, not as the user.
      opts.port.hold(owner, opts.relays, (template) => finalizeEvent(template, opts.secret()));
      const found = await readInfo();
      info = found;
      offEvent ??= opts.port.onEvent(onEvent);
      const kinds =
        found.encryption === 'nip44_v2'
          ? [KIND_NWC_RESPONSE, KIND_NWC_NOTIFICATION]
          : [KIND_NWC_RESPONSE, KIND_NWC_NOTIFICATION_NIP04];
      opts.port.subscribe(
        subId,
        [
          {
            kinds,
            authors: [opts.walletPubkey],
            '#p': [clientPubkey()],
            // Answers are ephemeral (never stored), so a wide window replays nothing; it only keeps
            // a wallet whose clock runs behind ours from having its answers filtered out.
            since: Math.floor(now() / 1000) - CLOCK_SKEW_SEC,
          },
        ],
        opts.relays,
      );
      return found;
    },
    close(): void {
      offEvent?.();
      offEvent = null;
      opts.port.unsubscribe(subId);
      opts.port.release(owner);
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        pending.delete(id);
      }
      info = null;
    },
    onNotification(listener: (n: ParsedNotification) => void): () => void {
      notificationListeners.add(listener);
      return () => notificationListeners.delete(listener);
    },
    /**
     * Sends one request and waits for its answer. Throws LightningError: the wallet's error code
     * mapped (details.nwcCode), 'timeout' (NwcTimeout) when no answer came, 'unreachable' when no
     * relay took the request, 'provider-error' for an answer that does not fit NIP-47.
     */
    async call<M extends NwcMethod>(method: M, params: NwcParams[M]): Promise<NwcResult<M>> {
      const current = info;
      if (!current) throw new LightningError('unreachable', 'The NWC wallet is not connected.');
      const secret = opts.secret();
      const createdAt = Math.floor(now() / 1000);
      const timeoutMs =
        method === 'pay_invoice' ? (opts.payTimeoutMs ?? 60_000) : (opts.requestTimeoutMs ?? 15_000);
      const tags: string[][] = [['p', opts.walletPubkey]];
      // A legacy wallet (no encryption tag in its info) is spoken to exactly as NIP-04 NWC was.
      if (current.announcedEncryption) tags.push(['encryption', current.encryption]);
      // A request found late (a relay holding it) must not be acted on long after we gave up on
      // it; the grace beyond our own wait is for a wallet whose clock runs ahead of ours. Acted on
      // late, a payment is still safe: it was left pending and is looked up, never sent again.
      tags.push(['expiration', String(createdAt + Math.ceil(timeoutMs / 1000) + EXPIRATION_GRACE_SEC)]);
      const event = finalizeEvent(
        {
          kind: KIND_NWC_REQUEST,
          created_at: createdAt,
          tags,
          content: encryptFor(current.encryption, secret, opts.walletPubkey, requestBody(method, params)),
        },
        secret,
      );
      const answer = new Promise<string | null>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(event.id);
          resolve(null);
        }, timeoutMs);
        timer.unref?.();
        pending.set(event.id, { method, resolve, timer });
      });
      const published = await opts.port.publish(event, opts.relays);
      if (!published.some((r) => r.ok)) {
        const p = pending.get(event.id);
        if (p) clearTimeout(p.timer);
        pending.delete(event.id);
        throw new LightningError('unreachable', `No relay of the wallet took the ${method} request.`, {
          method,
          relayMessage: published[0]?.message.slice(0, 200) ?? null,
        });
      }
      const plaintext = await answer;
      if (plaintext === null) throw new NwcTimeout(method, timeoutMs);
      const parsed = parseResponse(plaintext, method);
      if (parsed.ok === 'malformed')
        throw new LightningError(
          'provider-error',
          `The wallet's answer to ${method} is not NIP-47: ${parsed.reason}.`,
        );
      if (parsed.ok === false) throw nwcErrorToLightning(parsed.code, parsed.message, method);
      return parsed.result;
    },
  };
  return api;
}

export type NwcRpc = ReturnType<typeof createNwcRpc>;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
