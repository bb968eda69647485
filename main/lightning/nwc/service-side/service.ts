import { randomUUID } from 'node:crypto';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { FlashError, isFlashError } from '../../../../shared/errors';
import type { Logger } from '../../../core/logger';
import type { NostrEvent } from '../../../nostr/verify';
import type { Db } from '../../../store/database';
import type { VaultService } from '../../../vault/types';
import type { LightningPayment } from '../../provider';
import type { NwcEncryption } from '../encryption';
import { decryptFrom, encryptFor, isNwcEncryption, requestEncryption } from '../encryption';
import {
  KIND_NWC_INFO,
  KIND_NWC_NOTIFICATION,
  KIND_NWC_NOTIFICATION_NIP04,
  KIND_NWC_REQUEST,
  KIND_NWC_RESPONSE,
  NWC_METHODS,
  NwcRequestBody,
  responseBody,
} from '../messages';
import type { NwcRelayPort } from '../relays';
import { buildNwcUri } from '../uri';
import type { NwcBackend } from './backend';
import type { BudgetPeriod } from './budget';
import { budgetWindow, spentInWindow } from './budget';
import type { NwcAnswer } from './handler';
import { createNwcHandler } from './handler';
import type { NwcConnectionRow } from './store';
import { createNwcServiceStore } from './store';

export const serviceKeySecretName = (connectionId: string): string =>
  `lightning:nwc-service:${connectionId}:key`;

export interface NwcServiceConnection {
  id: string;
  name: string;
  servicePubkey: string;
  clientPubkey: string;
  relays: string[];
  methods: string[];
  budgetSats: number;
  budgetPeriod: BudgetPeriod;
  expiresAt: number | null;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
  status: 'active' | 'revoked' | 'expired';
  /** Spent (with fees, in flight included) in the current window. */
  spentSats: number;
  /** When the current window ends and the budget is whole again (seconds). */
  budgetRenewsAt: number;
}

export interface NewNwcConnection {
  name: string;
  budgetSats: number;
  budgetPeriod: BudgetPeriod;
  /** Seconds since the epoch; absent: never expires. */
  expiresAt?: number;
  methods: string[];
}

export interface NwcWalletServiceDeps {
  db: Db;
  vault: VaultService;
  log: Logger;
  port: NwcRelayPort;
  /** The user's NOSTR relays (Messages): where new connections are answered. */
  userRelays(): string[];
  /** The Lightning service's default provider, journaled; null while there is none. */
  backend(): NwcBackend | null;
  now?: () => number;
  payWaitMs?: number;
  /** A connection was used, made or revoked (the UI refreshes its list). */
  onChange?: (connectionId: string) => void;
}

const SUB_ID = 'nwc-service';
/**
 * Requests are ephemeral (relays keep none), so a wide `since` replays nothing; it keeps an app
 * whose clock runs behind ours from having its requests filtered out.
 */
const CLOCK_SKEW_SEC = 600;
const OWNER = 'nwc-service';
const ENCRYPTIONS = 'nip44_v2 nip04';
const NOTIFICATIONS = 'payment_received payment_sent';

/**
 * Flash as a Nostr Wallet Connect wallet service: other apps (a NOSTR client, a website) spend
 * from Flash's default Lightning provider through a connection each, with its own keys, budget,
 * expiry and allowed methods. Requests are journaled before they are acted on, so one delivered
 * by two relays (or replayed) is answered again from the journal, never paid twice.
 */
export function createNwcWalletService(deps: NwcWalletServiceDeps) {
  const { db, vault, log, port } = deps;
  const now = deps.now ?? Date.now;
  const nowSec = (): number => Math.floor(now() / 1000);
  const store = createNwcServiceStore(db);
  const handler = createNwcHandler({
    store,
    backend: deps.backend,
    log,
    nowSec,
    ...(deps.payWaitMs !== undefined ? { payWaitMs: deps.payWaitMs } : {}),
  });
  let started = false;
  const unsubs: (() => void)[] = [];
  let offBackend: (() => void) | null = null;
  let backendSeen: NwcBackend | null = null;

  const unlocked = (): boolean => vault.status().state === 'unlocked';
  const keyOf = (c: NwcConnectionRow): Uint8Array => vault.getSecret(serviceKeySecretName(c.id));
  const active = (): NwcConnectionRow[] => store.connections().filter((c) => handler.usable(c));

  const toView = (c: NwcConnectionRow): NwcServiceConnection => {
    const window = budgetWindow(c.budgetPeriod, nowSec());
    const spent = spentInWindow(store.spends(c.id), window);
    return {
      ...c,
      status: c.revokedAt !== null ? 'revoked' : handler.usable(c) ? 'active' : 'expired',
      spentSats: Number((spent + 999n) / 1000n),
      budgetRenewsAt: window.end,
    };
  };

  const publishAs = async (c: NwcConnectionRow, template: Omit<NostrEvent, 'id' | 'sig' | 'pubkey'>) => {
    const event = finalizeEvent(template, keyOf(c));
    const results = await port.publish(event, c.relays);
    if (!results.some((r) => r.ok))
      log.warn('nwc service: no relay took an event', { kind: template.kind, connection: c.id });
    return results;
  };

  /** A replaceable event needs a newer created_at to replace one made in the same second. */
  const lastInfoAt = new Map<string, number>();
  const publishInfo = (c: NwcConnectionRow, revoked = false) => {
    const at = Math.max(nowSec(), (lastInfoAt.get(c.id) ?? 0) + 1);
    lastInfoAt.set(c.id, at);
    return publishAs(c, {
      kind: KIND_NWC_INFO,
      created_at: at,
      tags: [
        ['encryption', ENCRYPTIONS],
        ['notifications', NOTIFICATIONS],
      ],
      // A revoked connection announces that it offers nothing any more.
      content: revoked ? '' : [...c.methods, 'notifications'].join(' '),
    });
  };

  const resubscribe = (): void => {
    if (!started) return;
    const list = active();
    const relays = [...new Set(list.flatMap((c) => c.relays))];
    port.hold(OWNER, relays);
    if (list.length === 0) {
      port.unsubscribe(SUB_ID);
      return;
    }
    port.subscribe(
      SUB_ID,
      [
        {
          kinds: [KIND_NWC_REQUEST],
          '#p': list.map((c) => c.servicePubkey),
          since: nowSec() - CLOCK_SKEW_SEC,
        },
      ],
      relays,
    );
  };

  const answer = async (
    c: NwcConnectionRow,
    request: NostrEvent,
    scheme: NwcEncryption,
    method: string,
    body: string,
  ): Promise<void> => {
    await publishAs(c, {
      kind: KIND_NWC_RESPONSE,
      created_at: nowSec(),
      tags: [
        ['p', request.pubkey],
        ['e', request.id],
      ],
      content: encryptFor(scheme, keyOf(c), request.pubkey, body),
    });
    log.info('nwc service: answered', { connection: c.id, method });
  };

  const onRequest = async (event: NostrEvent): Promise<void> => {
    if (event.kind !== KIND_NWC_REQUEST) return;
    const target = event.tags.find((t) => t[0] === 'p')?.[1];
    const c = target ? store.byServicePubkey(target) : null;
    if (!c) return;
    // Without the vault there is no key to read or answer with: the app's request times out.
    if (!unlocked()) return;
    const expiration = Number(event.tags.find((t) => t[0] === 'expiration')?.[1]);
    if (Number.isFinite(expiration) && expiration < nowSec()) return;
    const asked = requestEncryption(event.tags);
    if (!isNwcEncryption(asked)) {
      // Answered under NIP-04, which any client can read; the request itself cannot be opened.
      const body = responseBody('unknown', {
        error: { code: 'UNSUPPORTED_ENCRYPTION', message: 'Use nip44_v2 or nip04.' },
      });
      return answer(c, event, 'nip04', 'unknown', body);
    }
    if (event.pubkey !== c.clientPubkey) {
      const body = responseBody('unknown', {
        error: { code: 'UNAUTHORIZED', message: 'No wallet is connected to this key.' },
      });
      return answer(c, event, asked, 'unknown', body);
    }
    let method = 'unknown';
    let params: Record<string, unknown> = {};
    try {
      const parsed = NwcRequestBody.safeParse(
        JSON.parse(decryptFrom(asked, keyOf(c), event.pubkey, event.content)),
      );
      if (!parsed.success) throw new Error('not a NIP-47 request');
      method = parsed.data.method;
      params = parsed.data.params ?? {};
    } catch (err) {
      log.warn('nwc service: a request did not open', {
        connection: c.id,
        error: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    const earlier = store.beginRequest(
      { eventId: event.id, connectionId: c.id, method: method.slice(0, 64), encryption: asked },
      nowSec(),
    );
    if (earlier) {
      // Seen before (a second relay, a replay): answer again from the journal, never run again.
      if (earlier.state === 'answered' && earlier.response)
        await answer(c, event, asked, method, earlier.response);
      return;
    }
    store.touch(c.id, nowSec());
    const result: NwcAnswer = await handler.handle(c, event.id, method, params);
    const body = responseBody(method, result);
    store.finishRequest(event.id, body);
    deps.onChange?.(c.id);
    await answer(c, event, asked, method, body);
  };

  const notify = async (payment: LightningPayment): Promise<void> => {
    const row = store.payment(payment.paymentHash, payment.direction);
    if (!row) return;
    if (payment.state === 'pending') return;
    const state = payment.state === 'succeeded' ? 'succeeded' : 'failed';
    if (row.state === state) return;
    store.settle(
      row.connectionId,
      row.paymentHash,
      row.direction,
      state,
      payment.feeMsat,
      payment.amountMsat,
    );
    const c = store.connection(row.connectionId);
    if (!c || !handler.usable(c) || state !== 'succeeded' || !unlocked()) return;
    const text = JSON.stringify({
      notification_type: payment.direction === 'incoming' ? 'payment_received' : 'payment_sent',
      notification: {
        type: payment.direction,
        state: 'settled',
        invoice: row.invoice,
        ...(row.description ? { description: row.description } : {}),
        ...(payment.preimage ? { preimage: payment.preimage } : {}),
        payment_hash: row.paymentHash,
        amount: Number(payment.amountMsat),
        fees_paid: Number(payment.feeMsat),
        created_at: row.createdAt,
        settled_at: payment.settledAt ?? nowSec(),
      },
    });
    // NIP-47: a wallet speaking both schemes sends each notification under each.
    for (const [kind, scheme] of [
      [KIND_NWC_NOTIFICATION_NIP04, 'nip04'],
      [KIND_NWC_NOTIFICATION, 'nip44_v2'],
    ] as const) {
      await publishAs(c, {
        kind,
        created_at: nowSec(),
        tags: [['p', c.clientPubkey]],
        content: encryptFor(scheme, keyOf(c), c.clientPubkey, text),
      });
    }
  };

  /** Follows the default provider's payments (it may change while Flash runs). */
  const followBackend = (): void => {
    const b = deps.backend();
    if (b === backendSeen) return;
    offBackend?.();
    backendSeen = b;
    offBackend = b
      ? b.onPayment((p) => {
          void notify(p).catch((err: unknown) =>
            log.warn('nwc service: notification failed', {
              error: err instanceof Error ? err.message : String(err),
            }),
          );
        })
      : null;
  };

  /**
   * After a crash: a request left running lost its answer (the app has given up on it), so it is
   * closed with an error an app can act on; the payments it started are the Lightning journal's
   * to settle, and their rows here follow that journal's outcome.
   */
  const recover = async (): Promise<void> => {
    for (const r of store.runningRequests())
      store.finishRequest(
        r.eventId,
        responseBody(r.method, {
          error: {
            code: 'OTHER',
            message: 'Flash restarted while this ran; ask lookup_invoice for the outcome.',
          },
        }),
      );
    const backend = deps.backend();
    if (!backend) return;
    for (const row of store.pendingPayments()) {
      const found = await backend.lookup(row.paymentHash);
      if (found && found.state !== 'pending') await notify({ ...found, direction: row.direction });
    }
  };

  const announceAll = (): void => {
    if (!unlocked()) return;
    for (const c of active())
      void publishInfo(c).catch((err: unknown) =>
        log.warn('nwc service: info event not published', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
  };

  return {
    list(): NwcServiceConnection[] {
      return store.connections().map(toView);
    },
    /** Makes a connection and returns its URI: shown once, as the app's secret is kept nowhere. */
    async create(input: NewNwcConnection): Promise<{ connection: NwcServiceConnection; uri: string }> {
      const name = input.name.trim();
      const methods = [...new Set(input.methods)].filter((m) =>
        (NWC_METHODS as readonly string[]).includes(m),
      );
      if (
        !name ||
        name.length > 64 ||
        methods.length === 0 ||
        !Number.isSafeInteger(input.budgetSats) ||
        input.budgetSats < 0
      )
        throw new FlashError(
          'NWC_BAD_CONNECTION',
          'A connection needs a name, a budget and at least one method.',
        );
      if (input.expiresAt !== undefined && input.expiresAt <= nowSec())
        throw new FlashError('NWC_BAD_CONNECTION', 'The expiry must be in the future.');
      const relays = deps.userRelays();
      if (relays.length === 0)
        throw new FlashError(
          'NOSTR_NO_RELAYS',
          'Set your NOSTR relays in Messages first: apps reach Flash through them.',
        );
      const id = randomUUID();
      const serviceKey = generateSecretKey();
      const clientSecret = generateSecretKey();
      vault.putSecret(serviceKeySecretName(id), serviceKey);
      const row: NwcConnectionRow = {
        id,
        name,
        servicePubkey: getPublicKey(serviceKey),
        clientPubkey: getPublicKey(clientSecret),
        relays,
        methods,
        budgetSats: input.budgetSats,
        budgetPeriod: input.budgetPeriod,
        expiresAt: input.expiresAt ?? null,
        createdAt: nowSec(),
        revokedAt: null,
        lastUsedAt: null,
      };
      try {
        store.insertConnection(row);
      } catch (err) {
        vault.deleteSecret(serviceKeySecretName(id));
        throw err;
      }
      const uri = buildNwcUri({ walletPubkey: row.servicePubkey, relays, secret: clientSecret, lud16: null });
      clientSecret.fill(0);
      resubscribe();
      await publishInfo(row);
      log.info('nwc service: connection created', { connection: id, methods: methods.join(' ') });
      deps.onChange?.(id);
      return { connection: toView(row), uri };
    },
    async revoke(id: string): Promise<NwcServiceConnection> {
      const c = store.connection(id);
      if (!c) throw new FlashError('NWC_CONNECTION_NOT_FOUND', 'No such connection.');
      if (c.revokedAt === null) {
        store.revoke(id, nowSec());
        resubscribe();
        try {
          await publishInfo(c, true);
        } catch (err) {
          if (!isFlashError(err) || err.code !== 'VAULT_LOCKED') throw err;
        }
        if (vault.hasSecret(serviceKeySecretName(id))) vault.deleteSecret(serviceKeySecretName(id));
        log.info('nwc service: connection revoked', { connection: id });
        deps.onChange?.(id);
      }
      const after = store.connection(id);
      if (!after) throw new FlashError('NWC_CONNECTION_NOT_FOUND', 'No such connection.');
      return toView(after);
    },
    /** Call when the default provider changes, so notifications follow it. */
    backendChanged: followBackend,
    start(): void {
      if (started) return;
      started = true;
      unsubs.push(
        port.onEvent((event, _url, duplicate, subId) => {
          if (subId !== SUB_ID || duplicate) return;
          void onRequest(event).catch((err: unknown) =>
            log.warn('nwc service: request failed', {
              error: err instanceof Error ? err.message : String(err),
            }),
          );
        }),
      );
      unsubs.push(vault.onUnlock(() => announceAll()));
      try {
        resubscribe();
        followBackend();
        announceAll();
        void recover().catch((err: unknown) =>
          log.warn('nwc service: recovery after restart failed', {
            error: err instanceof Error ? err.message : String(err),
          }),
        );
      } catch (err) {
        log.warn('nwc service: not listening yet', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    },
    stop(): void {
      if (!started) return;
      started = false;
      for (const u of unsubs.splice(0)) u();
      offBackend?.();
      offBackend = null;
      backendSeen = null;
      port.unsubscribe(SUB_ID);
      port.release(OWNER);
    },
  };
}

export type NwcWalletService = ReturnType<typeof createNwcWalletService>;
