import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Event } from 'nostr-tools/pure';
import { finalizeEvent, generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay';
import WebSocket from 'ws';
import type { LightningLedger } from './ledger';

useWebSocketImplementation(WebSocket);

/**
 * A zap-capable LNURL-pay server (LUD-06, LUD-16 addresses, NIP-57 Appendix C-E), written from
 * the specs on nostr-tools and the shared ledger: its pay endpoint says `allowsNostr` with a
 * `nostrPubkey`; its callback checks a zap request as Appendix D says, makes a description-hash
 * invoice for that request alone, and once the invoice is paid publishes the zap receipt
 * (Appendix E) to the relays the request named.
 *
 * Fault modes, each a way real servers get it wrong:
 * - `no-nostr`: an ordinary LNURL server (no allowsNostr, no nostrPubkey);
 * - `wrong-amount`: the invoice is for 1 sat more than asked;
 * - `wrong-signer`: receipts are signed by a key other than `nostrPubkey`.
 */
export type ZapServerFault = 'none' | 'no-nostr' | 'wrong-amount' | 'wrong-signer';
export const ZAP_SERVER_FAULTS = ['none', 'no-nostr', 'wrong-amount', 'wrong-signer'] as const;

export interface ZapServer {
  readonly url: string;
  readonly host: string;
  readonly nostrPubkey: string;
  fault: ZapServerFault;
  /** A Lightning address `name@host` paid into `node` of the ledger. */
  addUser(name: string, node: string): string;
  /** Receipts published so far. */
  receipts(): Event[];
  stop(): Promise<void>;
}

interface PendingZap {
  request: Event;
  description: string;
  bolt11: string;
}

export async function startZapServer(opts: { ledger: LightningLedger; port?: number }): Promise<ZapServer> {
  const { ledger } = opts;
  const key = generateSecretKey();
  const nostrPubkey = getPublicKey(key);
  const users = new Map<string, string>();
  const pending = new Map<string, PendingZap>();
  const published: Event[] = [];
  const unsubs: (() => void)[] = [];
  let host = '';

  const metadataOf = (name: string): string =>
    JSON.stringify([
      ['text/plain', `Zaps for ${name}`],
      ['text/identifier', `${name}@${host}`],
    ]);

  const publishReceipt = async (zap: PendingZap, preimage: string, paidAt: number): Promise<void> => {
    const tags: string[][] = [['p', zap.request.tags.find((t) => t[0] === 'p')?.[1] ?? '']];
    tags.push(['P', zap.request.pubkey]);
    const e = zap.request.tags.find((t) => t[0] === 'e');
    if (e) tags.push(e);
    const a = zap.request.tags.find((t) => t[0] === 'a');
    if (a) tags.push(a);
    tags.push(['bolt11', zap.bolt11], ['description', zap.description], ['preimage', preimage]);
    const signer = api.fault === 'wrong-signer' ? generateSecretKey() : key;
    const receipt = finalizeEvent({ kind: 9735, created_at: paidAt, tags, content: '' }, signer);
    published.push(receipt);
    const relays = (zap.request.tags.find((t) => t[0] === 'relays') ?? []).slice(1, 6);
    await Promise.all(
      relays.map(async (url) => {
        try {
          const relay = await Relay.connect(url);
          try {
            await relay.publish(receipt);
          } finally {
            relay.close();
          }
        } catch {
          // a relay that is down misses the receipt, as in life
        }
      }),
    );
  };

  const watchNode = (node: string): void => {
    unsubs.push(
      ledger.subscribe(node, (event) => {
        if (event.type !== 'invoice-settled') return;
        const zap = pending.get(event.invoice.paymentHash);
        if (!zap) return;
        pending.delete(event.invoice.paymentHash);
        void publishReceipt(zap, event.invoice.preimage, event.invoice.settledAt ?? ledger.nowSeconds());
      }),
    );
  };

  /** NIP-57 Appendix D; returns why the request is refused, or null. */
  const checkRequest = (request: Event, amount: string): string | null => {
    if (request.kind !== 9734 || !verifyEvent(request)) return 'invalid zap request signature';
    if (!Array.isArray(request.tags) || request.tags.length === 0) return 'zap request has no tags';
    if (request.tags.filter((t) => t[0] === 'p').length !== 1) return 'zap request needs exactly one p tag';
    if (request.tags.filter((t) => t[0] === 'e').length > 1) return 'zap request has several e tags';
    if (!request.tags.some((t) => t[0] === 'relays')) return 'zap request has no relays tag';
    const amountTag = request.tags.find((t) => t[0] === 'amount')?.[1];
    if (amountTag !== undefined && amountTag !== amount) return 'amount tag does not match amount';
    if (request.tags.filter((t) => t[0] === 'P').length > 1) return 'zap request has several P tags';
    return null;
  };

  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const wellKnown = /^\/\.well-known\/lnurlp\/([a-z0-9\-_.]+)$/.exec(url.pathname);
    const callback = /^\/lnurlp\/([a-z0-9\-_.]+)\/callback$/.exec(url.pathname);
    const name = (wellKnown ?? callback)?.[1];
    if (req.method !== 'GET' || !name) return json(res, 404, { status: 'ERROR', reason: 'not found' });
    const node = users.get(name);
    if (!node) return json(res, 404, { status: 'ERROR', reason: `unknown user ${name}` });
    if (wellKnown) {
      return json(res, 200, {
        tag: 'payRequest',
        callback: `http://${host}/lnurlp/${name}/callback`,
        minSendable: 1000,
        maxSendable: 100_000_000_000,
        metadata: metadataOf(name),
        commentAllowed: 0,
        ...(api.fault === 'no-nostr' ? {} : { allowsNostr: true, nostrPubkey }),
      });
    }
    const amount = url.searchParams.get('amount') ?? '';
    if (!/^\d{1,15}$/.test(amount)) return json(res, 200, { status: 'ERROR', reason: 'amount is required' });
    const nostr = url.searchParams.get('nostr');
    let descriptionHash: string;
    let request: Event | null = null;
    if (nostr !== null && api.fault !== 'no-nostr') {
      try {
        request = JSON.parse(nostr) as Event;
      } catch {
        return json(res, 200, { status: 'ERROR', reason: 'nostr is not JSON' });
      }
      const problem = checkRequest(request, amount);
      if (problem) return json(res, 200, { status: 'ERROR', reason: problem });
      // The description is the zap request, exactly as received, and nothing else.
      descriptionHash = bytesToHex(sha256(new TextEncoder().encode(nostr)));
    } else {
      descriptionHash = bytesToHex(sha256(new TextEncoder().encode(metadataOf(name))));
    }
    const invoice = ledger.createInvoice(node, {
      amountMsat: BigInt(amount) + (api.fault === 'wrong-amount' ? 1000n : 0n),
      descriptionHash,
    });
    if (request && nostr !== null)
      pending.set(invoice.paymentHash, { request, description: nostr, bolt11: invoice.bolt11 });
    return json(res, 200, { pr: invoice.bolt11, routes: [] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: ZapServer = {
    get url() {
      return `http://${host}`;
    },
    get host() {
      return host;
    },
    nostrPubkey,
    fault: 'none',
    addUser(name, node) {
      if (!users.has(name)) watchNode(node);
      users.set(name, node);
      return `${name}@${host}`;
    },
    receipts: () => [...published],
    async stop() {
      for (const u of unsubs.splice(0)) u();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return api;
}
