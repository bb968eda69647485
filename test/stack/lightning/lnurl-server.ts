import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { cbc } from '@noble/ciphers/aes.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32 } from '@scure/base';
import { z } from 'zod';
import { decodeBolt11 } from '../../../shared/lightning/bolt11';
import type { Route } from '../control-api';
import { BadRequest } from '../control-api';
import type { LightningLedger } from './ledger';
import { LedgerPayError } from './ledger';

/**
 * An LNURL service as the LUDs describe it, paying and invoicing through the fake network:
 * - LUD-06 payRequest links and LUD-16 Lightning addresses (`name@127.0.0.1:PORT`), with LUD-12
 *   comments and LUD-09/10 success actions (message, url, aes encrypted with the preimage);
 * - LUD-03 withdrawRequest links, paid asynchronously after "OK";
 * - LUD-04 login links, checking the DER signature of k1 by the linking key;
 * - every link also in LUD-01 bech32 form and LUD-17 scheme form.
 * Answers are JSON whatever happens; errors are `{"status":"ERROR","reason":…}` (LUD-01 says
 * clients must ignore status codes, so this server uses 200 even for errors, as many do).
 */

export type LnurlFault = 'none' | 'down' | 'bad-hash' | 'wrong-amount' | 'error' | 'unknown-action';
export const LNURL_FAULTS = ['none', 'down', 'bad-hash', 'wrong-amount', 'error', 'unknown-action'] as const;
export type SuccessKind = 'none' | 'message' | 'url' | 'aes';

export const LNURL_NODE = 'lnurl';
/** Lightning addresses the server answers for: `coffee@…` and `tips@…`. */
export const LNURL_USERS = ['coffee', 'tips'] as const;

interface PayLink {
  id: string;
  /** Set for a Lightning address: the name before the @. */
  username: string | null;
  description: string;
  minSendable: bigint;
  maxSendable: bigint;
  commentAllowed: number;
  success: SuccessKind;
}

interface WithdrawLink {
  id: string;
  k1: string;
  minWithdrawable: bigint;
  maxWithdrawable: bigint;
  defaultDescription: string;
  used: boolean;
}

export interface LnurlReceived {
  link: string;
  amountMsat: string;
  comment: string | null;
  paymentHash: string;
  /** For aes success actions: what the payer should read after decrypting. */
  secret: string | null;
}

export interface LnurlServer {
  url: string;
  port: number;
  host: string;
  routes: Route[];
  /** `coffee@127.0.0.1:PORT`. */
  address(username: string): string;
  payLink(opts?: Partial<Omit<PayLink, 'id' | 'username'>>): {
    url: string;
    lnurl: string;
    lud17: string;
    id: string;
  };
  withdrawLink(opts: { minMsat: bigint; maxMsat: bigint; description?: string }): {
    url: string;
    lnurl: string;
    lud17: string;
  };
  authLink(action?: 'register' | 'login' | 'link' | 'auth'): {
    url: string;
    lnurl: string;
    lud17: string;
    k1: string;
  };
  /** Payments received through pay links and addresses (with comments). */
  readonly received: readonly LnurlReceived[];
  /** Linking keys that signed in, per k1. */
  readonly logins: ReadonlyMap<string, string>;
  fault: LnurlFault;
  stop(): Promise<void>;
}

const encodeLnurl = (url: string): string =>
  bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), false).toUpperCase();

function json(res: http.ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const fail = (res: http.ServerResponse, reason: string) => json(res, { status: 'ERROR', reason });

export async function startLnurlServer(opts: {
  ledger: LightningLedger;
  port?: number;
  /** Lightning address user names served (default coffee and tips). */
  users?: string[];
  fundsMsat?: bigint;
}): Promise<LnurlServer> {
  const { ledger } = opts;
  if (!ledger.hasNode(LNURL_NODE))
    ledger.createNode(LNURL_NODE, { alias: 'LNURL service', balanceMsat: opts.fundsMsat ?? 10_000_000_000n });
  const host = '127.0.0.1';
  const payLinks = new Map<string, PayLink>();
  const withdrawLinks = new Map<string, WithdrawLink>();
  const authK1 = new Map<string, { action: string | null }>();
  const received: LnurlReceived[] = [];
  const logins = new Map<string, string>();
  const state = { fault: 'none' as LnurlFault };
  let base = '';

  for (const user of opts.users ?? LNURL_USERS)
    payLinks.set(`user-${user}`, {
      id: `user-${user}`,
      username: user,
      description: `Pay ${user}`,
      minSendable: 1000n,
      maxSendable: 1_000_000_000n,
      commentAllowed: 140,
      success: 'message',
    });

  const metadataOf = (link: PayLink): string => {
    const entries: [string, string][] = [['text/plain', link.description]];
    if (link.username) entries.push(['text/identifier', `${link.username}@${new URL(base).host}`]);
    return JSON.stringify(entries);
  };

  const payRequest = (link: PayLink) => ({
    tag: 'payRequest',
    callback: `${base}/lnurlp/${link.id}/callback`,
    minSendable: Number(link.minSendable),
    maxSendable: Number(link.maxSendable),
    metadata: metadataOf(link),
    commentAllowed: link.commentAllowed,
  });

  function payCallback(link: PayLink, url: URL, res: http.ServerResponse): void {
    const amountText = url.searchParams.get('amount') ?? '';
    if (!/^\d+$/.test(amountText)) return fail(res, 'amount is required (millisatoshis)');
    const amount = BigInt(amountText);
    if (amount < link.minSendable || amount > link.maxSendable) return fail(res, 'amount out of range');
    const comment = url.searchParams.get('comment');
    if (comment !== null && [...comment].length > link.commentAllowed)
      return fail(res, `comment longer than ${link.commentAllowed} characters`);
    const metadata = metadataOf(link);
    const hash =
      state.fault === 'bad-hash'
        ? Buffer.from(sha256(new TextEncoder().encode(metadata + ' '))).toString('hex')
        : Buffer.from(sha256(new TextEncoder().encode(metadata))).toString('hex');
    const invoice = ledger.createInvoice(LNURL_NODE, {
      amountMsat: state.fault === 'wrong-amount' ? amount + 1000n : amount,
      descriptionHash: hash,
      expirySeconds: 600,
    });
    let secret: string | null = null;
    let successAction: unknown = undefined;
    if (state.fault === 'unknown-action') successAction = { tag: 'qrcode', data: 'x' };
    else if (link.success === 'message')
      successAction = { tag: 'message', message: `Thanks for paying ${link.description}` };
    else if (link.success === 'url')
      successAction = {
        tag: 'url',
        description: 'Your receipt',
        url: `${base}/receipt/${invoice.paymentHash}`,
      };
    else if (link.success === 'aes') {
      secret = `code-${randomBytes(4).toString('hex')}`;
      const iv = randomBytes(16);
      const ciphertext = cbc(Buffer.from(invoice.preimage, 'hex'), iv).encrypt(
        new TextEncoder().encode(secret),
      );
      successAction = {
        tag: 'aes',
        description: 'Your voucher code',
        ciphertext: Buffer.from(ciphertext).toString('base64'),
        iv: iv.toString('base64'),
      };
    }
    received.push({
      link: link.id,
      amountMsat: amount.toString(),
      comment,
      paymentHash: invoice.paymentHash,
      secret,
    });
    json(res, { pr: invoice.bolt11, routes: [], ...(successAction ? { successAction } : {}) });
  }

  function withdrawCallback(url: URL, res: http.ServerResponse): void {
    const k1 = url.searchParams.get('k1') ?? '';
    const link = [...withdrawLinks.values()].find((w) => w.k1 === k1);
    if (!link || link.used) return fail(res, 'unknown or used k1');
    const pr = url.searchParams.get('pr') ?? '';
    let amount: bigint | null;
    try {
      amount = decodeBolt11(pr).amountMsat;
    } catch (err) {
      return fail(res, `bad invoice: ${(err as Error).message}`);
    }
    if (amount === null || amount < link.minWithdrawable || amount > link.maxWithdrawable)
      return fail(res, 'invoice amount out of range');
    link.used = true;
    json(res, { status: 'OK' });
    // LUD-03: the service pays after answering.
    setTimeout(() => {
      try {
        ledger.startPayment(LNURL_NODE, pr);
      } catch (err) {
        if (!(err instanceof LedgerPayError)) throw err;
      }
    }, 20);
  }

  function authCallback(url: URL, res: http.ServerResponse): void {
    const k1 = url.searchParams.get('k1') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    const key = url.searchParams.get('key') ?? '';
    if (!authK1.has(k1)) return fail(res, 'unknown or used k1');
    try {
      const ok = secp256k1.verify(Buffer.from(sig, 'hex'), Buffer.from(k1, 'hex'), Buffer.from(key, 'hex'), {
        prehash: false,
        format: 'der',
      });
      if (!ok) return fail(res, 'bad signature');
    } catch {
      return fail(res, 'bad signature or key');
    }
    authK1.delete(k1);
    logins.set(k1, key);
    json(res, { status: 'OK' });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base || 'http://localhost');
    if (state.fault === 'down') {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html>Service unavailable</html>');
      return;
    }
    if (state.fault === 'error' && !url.pathname.startsWith('/lnurl-auth'))
      return fail(res, 'The service is in maintenance');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '.well-known' && parts[1] === 'lnurlp' && parts[2]) {
      const link = payLinks.get(`user-${parts[2]}`);
      return link ? json(res, payRequest(link)) : fail(res, `no such user ${parts[2]}`);
    }
    if (parts[0] === 'lnurlp' && parts[1]) {
      const link = payLinks.get(parts[1]);
      if (!link) return fail(res, 'no such link');
      return parts[2] === 'callback' ? payCallback(link, url, res) : json(res, payRequest(link));
    }
    if (parts[0] === 'lnurlw' && parts[1] === 'callback') return withdrawCallback(url, res);
    if (parts[0] === 'lnurlw' && parts[1]) {
      const link = withdrawLinks.get(parts[1]);
      if (!link || link.used) return fail(res, 'no such link, or already used');
      return json(res, {
        tag: 'withdrawRequest',
        callback: `${base}/lnurlw/callback`,
        k1: link.k1,
        defaultDescription: link.defaultDescription,
        minWithdrawable: Number(link.minWithdrawable),
        maxWithdrawable: Number(link.maxWithdrawable),
      });
    }
    if (parts[0] === 'lnurl-auth') return authCallback(url, res);
    if (parts[0] === 'receipt') return json(res, { receipt: parts[1] ?? null });
    fail(res, 'not found');
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('LNURL server has no port');
  base = `http://${host}:${address.port}`;
  let nextId = 1;
  const forms = (path: string, scheme: string) => {
    const url = `${base}${path}`;
    return { url, lnurl: encodeLnurl(url), lud17: `${scheme}://${host}:${address.port}${path}` };
  };

  const api: LnurlServer = {
    url: base,
    port: address.port,
    host,
    routes: [],
    address: (username) => `${username}@${host}:${address.port}`,
    payLink(o = {}) {
      const id = `pay-${nextId++}`;
      payLinks.set(id, {
        id,
        username: null,
        description: o.description ?? 'A coffee',
        minSendable: o.minSendable ?? 1000n,
        maxSendable: o.maxSendable ?? 100_000_000n,
        commentAllowed: o.commentAllowed ?? 0,
        success: o.success ?? 'none',
      });
      return { id, ...forms(`/lnurlp/${id}`, 'lnurlp') };
    },
    withdrawLink(o) {
      const id = `w-${nextId++}`;
      withdrawLinks.set(id, {
        id,
        k1: randomBytes(16).toString('hex'),
        minWithdrawable: o.minMsat,
        maxWithdrawable: o.maxMsat,
        defaultDescription: o.description ?? 'Withdrawal from the stack',
        used: false,
      });
      return forms(`/lnurlw/${id}`, 'lnurlw');
    },
    authLink(action) {
      const k1 = randomBytes(32).toString('hex');
      authK1.set(k1, { action: action ?? null });
      const path = `/lnurl-auth?tag=login&k1=${k1}${action ? `&action=${action}` : ''}`;
      return { k1, ...forms(path, 'keyauth') };
    },
    received,
    logins,
    get fault() {
      return state.fault;
    },
    set fault(f: LnurlFault) {
      state.fault = f;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  api.routes = lnurlRoutes(api);
  return api;
}

const Sats = z.number().int().positive();
const PayLinkBody = z
  .object({
    description: z.string().max(200).optional(),
    minSats: Sats.optional(),
    maxSats: Sats.optional(),
    commentAllowed: z.number().int().min(0).max(2000).optional(),
    success: z.enum(['none', 'message', 'url', 'aes']).optional(),
  })
  .strict();
const WithdrawBody = z
  .object({ minSats: Sats, maxSats: Sats, description: z.string().max(200).optional() })
  .strict();
const AuthBody = z.object({ action: z.enum(['register', 'login', 'link', 'auth']).optional() }).strict();
const FaultBody = z
  .object({ mode: z.enum(LNURL_FAULTS as unknown as [LnurlFault, ...LnurlFault[]]) })
  .strict();

function lnurlRoutes(s: LnurlServer): Route[] {
  return [
    {
      method: 'GET',
      path: '/lightning/lnurl',
      handler: () => ({
        url: s.url,
        addresses: LNURL_USERS.map((u) => s.address(u)),
        fault: s.fault,
        received: s.received,
        logins: Object.fromEntries(s.logins),
      }),
    },
    {
      method: 'POST',
      path: '/lightning/lnurl/pay-link',
      handler: (body) => {
        const b = PayLinkBody.parse(body ?? {});
        if (b.minSats !== undefined && b.maxSats !== undefined && b.minSats > b.maxSats)
          throw new BadRequest('minSats is above maxSats');
        return s.payLink({
          ...(b.description !== undefined ? { description: b.description } : {}),
          ...(b.minSats !== undefined ? { minSendable: BigInt(b.minSats) * 1000n } : {}),
          ...(b.maxSats !== undefined ? { maxSendable: BigInt(b.maxSats) * 1000n } : {}),
          ...(b.commentAllowed !== undefined ? { commentAllowed: b.commentAllowed } : {}),
          ...(b.success !== undefined ? { success: b.success } : {}),
        });
      },
    },
    {
      method: 'POST',
      path: '/lightning/lnurl/withdraw-link',
      handler: (body) => {
        const b = WithdrawBody.parse(body);
        if (b.minSats > b.maxSats) throw new BadRequest('minSats is above maxSats');
        return s.withdrawLink({
          minMsat: BigInt(b.minSats) * 1000n,
          maxMsat: BigInt(b.maxSats) * 1000n,
          ...(b.description !== undefined ? { description: b.description } : {}),
        });
      },
    },
    {
      method: 'POST',
      path: '/lightning/lnurl/auth-link',
      handler: (body) => s.authLink(AuthBody.parse(body ?? {}).action),
    },
    {
      method: 'POST',
      path: '/lightning/lnurl/fault',
      handler: (body) => {
        s.fault = FaultBody.parse(body).mode;
        return { mode: s.fault };
      },
    },
  ];
}
