import { bytesToHex } from '@noble/hashes/utils.js';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import type { Event, EventTemplate } from 'nostr-tools/pure';
import { finalizeEvent, generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import type { Subscription } from 'nostr-tools/abstract-relay';
import WebSocket from 'ws';
import type { LedgerEvent, LedgerInvoice, LedgerPayment, LightningLedger } from './ledger';
import { LedgerPayError } from './ledger';

useWebSocketImplementation(WebSocket);

/**
 * An NWC wallet service (NIP-47) on the stack's relays, written from the NIP's text and on
 * nostr-tools, never on Flash's own NWC code. It pays and invoices on the shared Lightning ledger.
 *
 * Encryption variants, each a real kind of wallet in the field:
 * - `nip04-legacy`: the first NWC wallets: no `encryption` tag at all (NIP-04 implied);
 * - `nip04`: announces `encryption: nip04` only;
 * - `nip44`: announces `encryption: nip44_v2` only, and sends only kind 23197 notifications;
 * - `both`: announces `nip44_v2 nip04`, answers in the scheme each request asked for, and sends
 *   every notification twice (23196 under NIP-04, 23197 under NIP-44), as the NIP says.
 *
 * Fault modes:
 * - `down`: the wallet reads nothing and answers nothing (its info event stays on the relays);
 * - `drop-replies`: requests are carried out, but the replies are lost on the way back (as a
 *   relay that drops them): a paid invoice is paid, and the client never hears so;
 * - `slow`: every answer waits `slowMs`;
 * - `restricted`: the methods in `restrictedMethods` are answered RESTRICTED.
 */
export type NwcWalletVariant = 'nip04-legacy' | 'nip04' | 'nip44' | 'both';
export const NWC_WALLET_VARIANTS = ['nip04-legacy', 'nip04', 'nip44', 'both'] as const;
export type NwcWalletFault = 'none' | 'down' | 'drop-replies' | 'slow' | 'restricted';
export const NWC_WALLET_FAULTS = ['none', 'down', 'drop-replies', 'slow', 'restricted'] as const;

type Scheme = 'nip04' | 'nip44_v2';

const KIND_INFO = 13194;
const KIND_REQUEST = 23194;
const KIND_RESPONSE = 23195;
const KIND_NOTIFY_NIP04 = 23196;
const KIND_NOTIFY_NIP44 = 23197;

const ALL_METHODS = [
  'pay_invoice',
  'make_invoice',
  'lookup_invoice',
  'list_transactions',
  'get_balance',
  'get_info',
] as const;

export interface NwcWalletOptions {
  ledger: LightningLedger;
  /** The ledger node this wallet spends from and invoices on (created when missing). */
  node: string;
  relays: string[];
  variant: NwcWalletVariant;
  /** Funds of a newly created node. */
  balanceMsat?: bigint;
  alias?: string;
  /** Put in the connection URI (NIP-47 recommends one). */
  lud16?: string;
  slowMs?: number;
  restrictedMethods?: string[];
  /** Methods the first connection may use (all by default). */
  methods?: string[];
  /**
   * Seconds the wallet's clock runs behind ours (negative: ahead), as real servers' clocks do: its
   * events' created_at and its reading of a request's `expiration` follow it.
   */
  clockBehindSec?: number;
}

export interface NwcWalletConnection {
  uri: string;
  clientPubkey: string;
  clientSecret: Uint8Array;
  methods: string[];
}

export interface NwcWallet {
  readonly variant: NwcWalletVariant;
  readonly node: string;
  readonly walletPubkey: string;
  /** The first connection's URI. */
  readonly uri: string;
  readonly connections: NwcWalletConnection[];
  fault: NwcWalletFault;
  slowMs: number;
  restrictedMethods: string[];
  /** Another app's connection to the same wallet (own secret, own permissions). */
  addConnection(methods?: string[]): NwcWalletConnection;
  /** pay_invoice requests carried out (a request seen twice counts once). */
  paysExecuted(): number;
  /** Requests seen, by method (after dedupe). */
  requestsSeen(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startNwcWallet(opts: NwcWalletOptions): Promise<NwcWallet> {
  const { ledger, node, variant } = opts;
  if (!ledger.hasNode(node))
    ledger.createNode(node, { alias: opts.alias ?? `NWC ${variant}`, balanceMsat: opts.balanceMsat ?? 0n });
  const walletNow = (): number => Math.floor(Date.now() / 1000) - (opts.clockBehindSec ?? 0);
  const walletSecret = generateSecretKey();
  const walletPubkey = getPublicKey(walletSecret);
  const schemes: Scheme[] =
    variant === 'both' ? ['nip44_v2', 'nip04'] : variant === 'nip44' ? ['nip44_v2'] : ['nip04'];
  const connections = new Map<string, NwcWalletConnection>();
  const handled = new Set<string>();
  const seen: Record<string, number> = {};
  let pays = 0;
  const relays: Relay[] = [];
  const subs: Subscription[] = [];
  let stopped = false;

  const makeConnection = (methods: string[] = opts.methods ?? [...ALL_METHODS]): NwcWalletConnection => {
    const clientSecret = generateSecretKey();
    const params = new URLSearchParams();
    for (const r of opts.relays) params.append('relay', r);
    params.set('secret', bytesToHex(clientSecret));
    if (opts.lud16) params.set('lud16', opts.lud16);
    const c: NwcWalletConnection = {
      uri: `nostr+walletconnect://${walletPubkey}?${params.toString()}`,
      clientPubkey: getPublicKey(clientSecret),
      clientSecret,
      methods,
    };
    connections.set(c.clientPubkey, c);
    return c;
  };
  const first = makeConnection();

  const seal = (scheme: Scheme, peer: string, text: string): string =>
    scheme === 'nip04'
      ? nip04.encrypt(walletSecret, peer, text)
      : nip44.encrypt(text, nip44.getConversationKey(walletSecret, peer));
  const open = (scheme: Scheme, peer: string, payload: string): string =>
    scheme === 'nip04'
      ? nip04.decrypt(walletSecret, peer, payload)
      : nip44.decrypt(payload, nip44.getConversationKey(walletSecret, peer));

  const publish = async (template: EventTemplate): Promise<void> => {
    const event = finalizeEvent(template, walletSecret);
    await Promise.all(relays.map((r) => r.publish(event).catch(() => undefined)));
  };

  const infoTemplate = (): EventTemplate => ({
    kind: KIND_INFO,
    created_at: walletNow(),
    tags: [
      ...(variant === 'nip04-legacy' ? [] : [['encryption', schemes.join(' ')]]),
      ['notifications', 'payment_received payment_sent'],
    ],
    content: [...ALL_METHODS, 'notifications'].join(' '),
  });

  // ---- the methods, on the ledger

  type Answer = { result: unknown } | { error: { code: string; message: string } };
  const fail = (code: string, message: string): Answer => ({ error: { code, message } });

  const incomingTx = (i: LedgerInvoice) => ({
    type: 'incoming',
    state: i.state === 'settled' ? 'settled' : i.state === 'canceled' ? 'expired' : 'pending',
    invoice: i.bolt11,
    description: i.description ?? undefined,
    description_hash: i.descriptionHash ?? undefined,
    preimage: i.state === 'settled' ? i.preimage : undefined,
    payment_hash: i.paymentHash,
    amount: Number(i.state === 'settled' ? i.amountPaidMsat : (i.amountMsat ?? 0n)),
    fees_paid: 0,
    created_at: i.createdAt,
    expires_at: i.expiresAt,
    settled_at: i.settledAt ?? undefined,
  });
  const outgoingTx = (p: LedgerPayment) => ({
    type: 'outgoing',
    state: p.state === 'succeeded' ? 'settled' : p.state === 'failed' ? 'failed' : 'pending',
    invoice: p.bolt11,
    preimage: p.preimage ?? undefined,
    payment_hash: p.paymentHash,
    amount: Number(p.amountMsat),
    fees_paid: Number(p.feeMsat),
    created_at: p.createdAt,
    settled_at: p.state === 'succeeded' ? (p.settledAt ?? undefined) : undefined,
  });

  const payCode = (failure: string): string =>
    failure === 'insufficient-balance' ? 'INSUFFICIENT_BALANCE' : 'PAYMENT_FAILED';

  const run = async (method: string, params: Record<string, unknown>): Promise<Answer> => {
    switch (method) {
      case 'get_info':
        return {
          result: {
            alias: opts.alias ?? `NWC ${variant}`,
            color: '#f7931a',
            pubkey: ledger.node(node).pubkey,
            network: ledger.network,
            block_height: 0,
            block_hash: '00'.repeat(32),
            methods: [...ALL_METHODS],
            notifications: ['payment_received', 'payment_sent'],
          },
        };
      case 'get_balance':
        return { result: { balance: Number(ledger.balance(node).spendableMsat) } };
      case 'pay_invoice': {
        const invoice = params.invoice;
        if (typeof invoice !== 'string') return fail('OTHER', 'invoice is required');
        const amount = typeof params.amount === 'number' ? BigInt(params.amount) : undefined;
        pays += 1;
        try {
          const p = await ledger.pay(node, invoice, amount !== undefined ? { amountMsat: amount } : {});
          if (p.state !== 'succeeded' || !p.preimage)
            return fail(payCode(p.failure ?? ''), `payment failed: ${p.failure ?? 'unknown'}`);
          return { result: { preimage: p.preimage, fees_paid: Number(p.feeMsat) } };
        } catch (err) {
          if (err instanceof LedgerPayError) return fail(payCode(err.failure), err.message);
          return fail('INTERNAL', err instanceof Error ? err.message : String(err));
        }
      }
      case 'make_invoice': {
        if (typeof params.amount !== 'number' || !Number.isInteger(params.amount) || params.amount < 0)
          return fail('OTHER', 'amount (msats) is required');
        const i = ledger.createInvoice(node, {
          amountMsat: params.amount === 0 ? null : BigInt(params.amount),
          ...(typeof params.description_hash === 'string'
            ? { descriptionHash: params.description_hash }
            : { description: typeof params.description === 'string' ? params.description : '' }),
          ...(typeof params.expiry === 'number' ? { expirySeconds: params.expiry } : {}),
        });
        return { result: incomingTx(i) };
      }
      case 'lookup_invoice': {
        let hash = typeof params.payment_hash === 'string' ? params.payment_hash : null;
        if (!hash && typeof params.invoice === 'string') {
          try {
            hash = ledger.decode(params.invoice).paymentHash;
          } catch {
            return fail('OTHER', 'invoice does not decode');
          }
        }
        if (!hash) return fail('OTHER', 'payment_hash or invoice is required');
        const inv = ledger.lookupInvoice(node, hash);
        if (inv) return { result: incomingTx(inv) };
        const pay = ledger.lookupPayment(node, hash);
        if (pay) return { result: outgoingTx(pay) };
        return fail('NOT_FOUND', 'invoice not found');
      }
      case 'list_transactions': {
        const from = typeof params.from === 'number' ? params.from : 0;
        const until = typeof params.until === 'number' ? params.until : Math.floor(Date.now() / 1000);
        const limit = typeof params.limit === 'number' ? params.limit : 50;
        const offset = typeof params.offset === 'number' ? params.offset : 0;
        const unpaid = params.unpaid === true;
        const type = params.type;
        const txs = [
          ...(type === 'outgoing'
            ? []
            : ledger
                .listInvoices(node)
                .filter((i) => unpaid || i.state === 'settled')
                .map(incomingTx)),
          ...(type === 'incoming'
            ? []
            : ledger
                .listPayments(node)
                .filter((p) => unpaid || p.state === 'succeeded')
                .map(outgoingTx)),
        ]
          .filter((t) => t.created_at >= from && t.created_at <= until)
          .sort((a, b) => b.created_at - a.created_at);
        return { result: { transactions: txs.slice(offset, offset + limit) } };
      }
      default:
        return fail('NOT_IMPLEMENTED', `${method} is not implemented`);
    }
  };

  const respond = async (request: Event, scheme: Scheme, method: string, answer: Answer): Promise<void> => {
    if (api.fault === 'slow') await new Promise((r) => setTimeout(r, api.slowMs));
    if (api.fault === 'drop-replies' || stopped) return;
    const body =
      'error' in answer
        ? { result_type: method, error: answer.error, result: null }
        : { result_type: method, error: null, result: answer.result };
    await publish({
      kind: KIND_RESPONSE,
      created_at: walletNow(),
      tags: [
        ['p', request.pubkey],
        ['e', request.id],
      ],
      content: seal(scheme, request.pubkey, JSON.stringify(body)),
    });
  };

  const onRequest = async (event: Event): Promise<void> => {
    if (event.kind !== KIND_REQUEST || api.fault === 'down') return;
    if (!verifyEvent(event)) return;
    if (!event.tags.some((t) => t[0] === 'p' && t[1] === walletPubkey)) return;
    // The same request arrives once per relay: carry it out once.
    if (handled.has(event.id)) return;
    handled.add(event.id);
    const expiration = Number(event.tags.find((t) => t[0] === 'expiration')?.[1]);
    if (Number.isFinite(expiration) && expiration < walletNow()) return;
    const encTag = event.tags.find((t) => t[0] === 'encryption');
    const asked = encTag ? (encTag[1] ?? '').trim() : 'nip04';
    if (asked !== 'nip04' && asked !== 'nip44_v2') {
      return respond(event, schemes[0] ?? 'nip04', 'unknown', fail('UNSUPPORTED_ENCRYPTION', `${asked}?`));
    }
    if (!schemes.includes(asked)) {
      // Answered in a scheme this wallet speaks; the client cannot read it, but the NIP has no better.
      return respond(
        event,
        schemes[0] ?? 'nip04',
        'unknown',
        fail('UNSUPPORTED_ENCRYPTION', `${asked} is not supported`),
      );
    }
    let body: { method?: unknown; params?: unknown };
    try {
      body = JSON.parse(open(asked, event.pubkey, event.content)) as typeof body;
    } catch {
      return;
    }
    const method = typeof body.method === 'string' ? body.method : 'unknown';
    seen[method] = (seen[method] ?? 0) + 1;
    const params = (typeof body.params === 'object' && body.params !== null ? body.params : {}) as Record<
      string,
      unknown
    >;
    const connection = connections.get(event.pubkey);
    if (!connection)
      return respond(event, asked, method, fail('UNAUTHORIZED', 'no wallet is connected to this key'));
    if (
      (api.fault === 'restricted' && api.restrictedMethods.includes(method)) ||
      ((ALL_METHODS as readonly string[]).includes(method) && !connection.methods.includes(method))
    )
      return respond(
        event,
        asked,
        method,
        fail('RESTRICTED', `${method} is not allowed for this connection`),
      );
    const answer = await run(method, params);
    await respond(event, asked, method, answer);
  };

  // ---- notifications, from the ledger

  const notify = async (type: 'payment_received' | 'payment_sent', tx: unknown): Promise<void> => {
    if (api.fault === 'down' || stopped) return;
    const text = JSON.stringify({ notification_type: type, notification: tx });
    for (const c of connections.values()) {
      if (schemes.includes('nip04'))
        await publish({
          kind: KIND_NOTIFY_NIP04,
          created_at: walletNow(),
          tags: [['p', c.clientPubkey]],
          content: seal('nip04', c.clientPubkey, text),
        });
      if (schemes.includes('nip44_v2'))
        await publish({
          kind: KIND_NOTIFY_NIP44,
          created_at: walletNow(),
          tags: [['p', c.clientPubkey]],
          content: seal('nip44_v2', c.clientPubkey, text),
        });
    }
  };
  const offLedger = ledger.subscribe(node, (e: LedgerEvent) => {
    if (e.type === 'invoice-settled') void notify('payment_received', incomingTx(e.invoice));
    if (e.type === 'payment-updated' && e.payment.state === 'succeeded')
      void notify('payment_sent', outgoingTx(e.payment));
  });

  const api: NwcWallet = {
    variant,
    node,
    walletPubkey,
    uri: first.uri,
    get connections() {
      return [...connections.values()];
    },
    fault: 'none',
    slowMs: opts.slowMs ?? 3000,
    restrictedMethods: opts.restrictedMethods ?? ['pay_invoice'],
    addConnection: (methods) => makeConnection(methods),
    paysExecuted: () => pays,
    requestsSeen: () => ({ ...seen }),
    async stop() {
      stopped = true;
      offLedger();
      for (const s of subs) s.close();
      for (const r of relays) r.close();
    },
  };

  try {
    for (const url of opts.relays) {
      const relay = await Relay.connect(url);
      relays.push(relay);
      subs.push(
        relay.subscribe(
          [{ kinds: [KIND_REQUEST], '#p': [walletPubkey], since: Math.floor(Date.now() / 1000) - 60 }],
          {
            onevent: (e) => {
              void onRequest(e).catch(() => undefined);
            },
          },
        ),
      );
    }
    await publish(infoTemplate());
  } catch (err) {
    await api.stop();
    throw err;
  }
  return api;
}
