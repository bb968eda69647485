import { randomBytes, X509Certificate } from 'node:crypto';
import type http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import type { Route } from '../control-api';
import type { TlsCredentials } from '../tls';
import { generateTlsCredentials } from '../tls';
import type { LedgerInvoice, LedgerPayment, LightningLedger } from './ledger';
import { LedgerPayError } from './ledger';
import type { MacaroonOp, VerifiedMacaroon } from './macaroon';
import { allows, bakeMacaroon, MACAROON_PERMISSIONS, verifyMacaroon } from './macaroon';
import type { MatchedOperation } from './swagger';
import { LndSwagger } from './swagger';

/**
 * An LND node's REST gateway (v0.21.2-beta), backed by one node of the fake network. Every
 * request is matched and validated against ../shared/lnd/*.swagger.json, and so is every answer
 * and every line of every stream: a client sending `amt_msat` as a number, or an unknown field, is
 * answered 400 as grpc-gateway would and the mismatch is recorded in `violations`, which tests
 * assert empty. TLS with its own certificate; macaroons baked and verified like LND's (admin,
 * invoice, readonly), with LND's error shape for a missing, bad or insufficient macaroon.
 *
 * Faults: `down` (connections refused), `drop-stream` (a payment stream sends IN_FLIGHT and then
 * closes without the result, as when the node restarts mid-payment).
 */

export type LndFault = 'none' | 'down' | 'drop-stream';
export const LND_FAULTS = ['none', 'down', 'drop-stream'] as const;
export const LND_NODE = 'lnd';
export type MacaroonKind = 'admin' | 'invoice' | 'readonly' | 'invoiceReadonly';

/** Permission each endpoint needs, as in LND's rpcserver.go / routerrpc / invoicesrpc tables. */
const PERMISSION: Record<string, [string, string]> = {
  Lightning_GetInfo: ['info', 'read'],
  Lightning_WalletBalance: ['onchain', 'read'],
  Lightning_ChannelBalance: ['offchain', 'read'],
  Lightning_AddInvoice: ['invoices', 'write'],
  Lightning_LookupInvoice: ['invoices', 'read'],
  Lightning_ListInvoices: ['invoices', 'read'],
  Lightning_SubscribeInvoices: ['invoices', 'read'],
  Lightning_DecodePayReq: ['offchain', 'read'],
  Lightning_ListPayments: ['offchain', 'read'],
  Router_SendPaymentV2: ['offchain', 'write'],
  Router_TrackPaymentV2: ['offchain', 'read'],
  Invoices_SubscribeSingleInvoice: ['invoices', 'read'],
};

export interface LndRestServer {
  url: string;
  host: string;
  port: number;
  restAddress: string;
  tls: TlsCredentials;
  /**
   * admin, invoice and readonly as LND writes them, and `invoiceReadonly`: both sets in one, as
   * `lncli bakemacaroon` makes it for a receive-only wallet (an invoice macaroon alone cannot even
   * call getinfo, so no wallet can use it by itself).
   */
  macaroons: Record<MacaroonKind, string>;
  /** A macaroon signed by another root key: LND refuses it with "verification failed". */
  foreignMacaroon: string;
  lndconnect(macaroon?: MacaroonKind): string;
  /** Requests or responses that did not match the Swagger description. */
  readonly violations: readonly string[];
  /** Every request seen, `METHOD path`, for tests that check what a client called. */
  readonly requests: readonly string[];
  fault: LndFault;
  routes: Route[];
  stop(): Promise<void>;
}

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const b64ToHex = (s: string): string =>
  Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('hex');
const ZERO = '0'.repeat(64);

function paymentJson(p: LedgerPayment) {
  const sat = (m: bigint) => (m / 1000n).toString();
  return {
    payment_hash: p.paymentHash,
    value: sat(p.amountMsat),
    creation_date: String(p.createdAt),
    fee: sat(p.feeMsat),
    payment_preimage: p.preimage ?? ZERO,
    value_sat: sat(p.amountMsat),
    value_msat: p.amountMsat.toString(),
    payment_request: p.bolt11,
    status: p.state === 'in-flight' ? 'IN_FLIGHT' : p.state === 'succeeded' ? 'SUCCEEDED' : 'FAILED',
    fee_sat: sat(p.feeMsat),
    fee_msat: p.feeMsat.toString(),
    creation_time_ns: (BigInt(p.createdAt) * 1_000_000_000n).toString(),
    htlcs: [],
    payment_index: String(p.index),
    failure_reason:
      p.failure === null
        ? 'FAILURE_REASON_NONE'
        : {
            'no-route': 'FAILURE_REASON_NO_ROUTE',
            'insufficient-balance': 'FAILURE_REASON_INSUFFICIENT_BALANCE',
            timeout: 'FAILURE_REASON_TIMEOUT',
            expired: 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS',
            'already-paid': 'FAILURE_REASON_ERROR',
            'incorrect-payment-details': 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS',
            'wrong-network': 'FAILURE_REASON_ERROR',
          }[p.failure],
    first_hop_custom_records: {},
  };
}

function invoiceJson(i: LedgerInvoice) {
  const sat = (m: bigint) => (m / 1000n).toString();
  const value = i.amountMsat ?? 0n;
  return {
    memo: i.description ?? '',
    r_preimage: b64(i.preimage),
    r_hash: b64(i.paymentHash),
    value: sat(value),
    value_msat: value.toString(),
    settled: i.state === 'settled',
    creation_date: String(i.createdAt),
    settle_date: String(i.settledAt ?? 0),
    payment_request: i.bolt11,
    description_hash: i.descriptionHash ? b64(i.descriptionHash) : '',
    expiry: String(i.expiresAt - i.createdAt),
    fallback_addr: '',
    cltv_expiry: '80',
    route_hints: [],
    private: false,
    add_index: String(i.addIndex),
    settle_index: String(i.settleIndex),
    amt_paid: sat(i.amountPaidMsat),
    amt_paid_sat: sat(i.amountPaidMsat),
    amt_paid_msat: i.amountPaidMsat.toString(),
    state: i.state === 'settled' ? 'SETTLED' : i.state === 'canceled' ? 'CANCELED' : 'OPEN',
    htlcs: [],
    features: {},
    is_keysend: false,
    payment_addr: b64(i.paymentSecret),
    is_amp: false,
    amp_invoice_state: {},
    is_blinded: false,
    blinded_path_config: null,
  };
}

class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly http: number,
  ) {
    super(message);
  }
}

export async function startLndRest(opts: {
  ledger: LightningLedger;
  node?: string;
  port?: number;
  alias?: string;
  fundsMsat?: bigint;
  /** Inbound capacity reported as remote balance. */
  inboundMsat?: bigint;
  onchainSats?: number;
  blockHeight?: () => number;
  swagger?: LndSwagger;
}): Promise<LndRestServer> {
  const { ledger } = opts;
  const node = opts.node ?? LND_NODE;
  if (!ledger.hasNode(node))
    ledger.createNode(node, {
      alias: opts.alias ?? 'flash-stack-lnd',
      balanceMsat: opts.fundsMsat ?? 5_000_000_000n,
    });
  const swagger = opts.swagger ?? new LndSwagger();
  const tls = await generateTlsCredentials('127.0.0.1');
  const rootKey = randomBytes(32);
  const macaroons = {
    admin: bakeMacaroon(rootKey, MACAROON_PERMISSIONS.admin),
    invoice: bakeMacaroon(rootKey, MACAROON_PERMISSIONS.invoice),
    readonly: bakeMacaroon(rootKey, MACAROON_PERMISSIONS.readonly),
    invoiceReadonly: bakeMacaroon(rootKey, [
      ...MACAROON_PERMISSIONS.readonly.filter((op) => op.entity !== 'invoices'),
      { entity: 'invoices', actions: ['read', 'write'] },
    ]),
  };
  const foreignMacaroon = bakeMacaroon(randomBytes(32), MACAROON_PERMISSIONS.admin);
  const violations: string[] = [];
  const requests: string[] = [];
  const state = { fault: 'none' as LndFault };
  const openResponses = new Set<http.ServerResponse>();

  const send = (m: MatchedOperation, res: http.ServerResponse, status: number, body: unknown): void => {
    for (const v of swagger.validateResponse(m, status, body))
      violations.push(`${m.operationId} response: ${v}`);
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const rpcError = (code: number, message: string) => ({ code, message, details: [] });

  /** Starts a grpc-gateway stream: 200 and chunked NDJSON lines, each checked against the spec. */
  function startStream(m: MatchedOperation, res: http.ServerResponse) {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    openResponses.add(res);
    res.on('close', () => openResponses.delete(res));
    return {
      result(item: unknown) {
        const line = { result: item };
        for (const v of swagger.validateResponse(m, 200, line, true))
          violations.push(`${m.operationId} stream: ${v}`);
        res.write(`${JSON.stringify(line)}\n`);
      },
      error(code: number, message: string) {
        const line = { error: rpcError(code, message) };
        for (const v of swagger.validateResponse(m, 200, line, true))
          violations.push(`${m.operationId} stream: ${v}`);
        res.end(`${JSON.stringify(line)}\n`);
        return undefined;
      },
      end: (): void => {
        res.end();
      },
    };
  }

  function checkMacaroon(m: MatchedOperation, req: http.IncomingMessage): void {
    const header = req.headers['grpc-metadata-macaroon'];
    if (header === undefined) throw new RpcFailure(2, 'expected 1 macaroon, got 0', 500);
    const text = Array.isArray(header) ? (header[0] ?? '') : header;
    if (!/^([0-9a-fA-F]{2})+$/.test(text))
      throw new RpcFailure(2, 'verification failed: invalid macaroon encoding', 500);
    const mac: VerifiedMacaroon | null = verifyMacaroon(rootKey, Buffer.from(text, 'hex'));
    if (!mac)
      throw new RpcFailure(2, 'verification failed: signature mismatch after caveat verification', 500);
    const need = PERMISSION[m.operationId];
    if (!need || !allows(mac, need[0], need[1])) throw new RpcFailure(2, 'permission denied', 500);
  }

  const nowSec = () => ledger.nowSeconds();

  async function handle(
    m: MatchedOperation,
    url: URL,
    body: Record<string, unknown>,
    res: http.ServerResponse,
  ): Promise<void> {
    const q = url.searchParams;
    switch (m.operationId) {
      case 'Lightning_GetInfo': {
        const n = ledger.node(node);
        return send(m, res, 200, {
          version: '0.21.2-beta commit=v0.21.2-beta',
          commit_hash: '29257ecc8892af0c882fa627b66a556190c84fd9',
          identity_pubkey: n.pubkey,
          alias: n.alias,
          color: '#3399ff',
          num_pending_channels: 0,
          num_active_channels: 2,
          num_inactive_channels: 0,
          num_peers: 2,
          block_height: opts.blockHeight?.() ?? 101,
          block_hash: '',
          best_header_timestamp: String(nowSec()),
          synced_to_chain: true,
          synced_to_graph: true,
          testnet: false,
          chains: [{ chain: 'bitcoin', network: ledger.network }],
          uris: [],
          features: {},
          require_htlc_interceptor: false,
          store_final_htlc_resolutions: false,
          wallet_synced: true,
          graph_cache_status: 'GRAPH_CACHE_STATUS_LOADED',
        });
      }
      case 'Lightning_ChannelBalance': {
        const b = ledger.balance(node);
        const amount = (msat: bigint) => ({ sat: (msat / 1000n).toString(), msat: msat.toString() });
        const zero = amount(0n);
        return send(m, res, 200, {
          balance: (b.spendableMsat / 1000n).toString(),
          pending_open_balance: '0',
          local_balance: amount(b.spendableMsat),
          remote_balance: amount(opts.inboundMsat ?? 10_000_000_000n),
          unsettled_local_balance: amount(b.reservedMsat),
          unsettled_remote_balance: zero,
          pending_open_local_balance: zero,
          pending_open_remote_balance: zero,
          custom_channel_data: '',
        });
      }
      case 'Lightning_WalletBalance': {
        const s = String(opts.onchainSats ?? 250_000);
        return send(m, res, 200, {
          total_balance: s,
          confirmed_balance: s,
          unconfirmed_balance: '0',
          locked_balance: '0',
          reserved_balance_anchor_chan: '0',
          account_balance: {},
        });
      }
      case 'Lightning_AddInvoice': {
        const value = body['value'] as string | undefined;
        const valueMsat = body['value_msat'] as string | undefined;
        if (value !== undefined && valueMsat !== undefined && value !== '0' && valueMsat !== '0')
          throw new RpcFailure(2, 'value and value_msat are mutually exclusive', 500);
        const amount = valueMsat !== undefined ? BigInt(valueMsat) : BigInt(value ?? '0') * 1000n;
        const hash = body['description_hash'] as string | undefined;
        const memo = (body['memo'] as string | undefined) ?? '';
        if (new TextEncoder().encode(memo).length > 1024) throw new RpcFailure(2, 'memo too large', 500);
        const inv = ledger.createInvoice(node, {
          amountMsat: amount > 0n ? amount : null,
          ...(hash ? { descriptionHash: b64ToHex(hash) } : { description: memo }),
          ...(body['expiry'] !== undefined ? { expirySeconds: Number(body['expiry']) } : {}),
        });
        return send(m, res, 200, {
          r_hash: b64(inv.paymentHash),
          payment_request: inv.bolt11,
          add_index: String(inv.addIndex),
          payment_addr: b64(inv.paymentSecret),
        });
      }
      case 'Lightning_LookupInvoice': {
        const hash = m.pathParams['r_hash_str'] ?? '';
        if (!/^[0-9a-f]{64}$/i.test(hash)) throw new RpcFailure(3, 'invalid hash', 400);
        const inv = ledger.lookupInvoice(node, hash);
        if (!inv) throw new RpcFailure(5, 'there are no existing invoices', 404);
        return send(m, res, 200, invoiceJson(inv));
      }
      case 'Lightning_ListInvoices': {
        let all = ledger.listInvoices(node);
        if (q.get('pending_only') === 'true') all = all.filter((i) => i.state === 'open');
        const max = Number(q.get('num_max_invoices') ?? '100');
        const page = q.get('reversed') === 'true' ? all.slice(-max) : all.slice(0, max);
        return send(m, res, 200, {
          invoices: page.map(invoiceJson),
          last_index_offset: String(page.at(-1)?.addIndex ?? 0),
          first_index_offset: String(page[0]?.addIndex ?? 0),
        });
      }
      case 'Lightning_SubscribeInvoices': {
        const stream = startStream(m, res);
        const settleIndex = Number(q.get('settle_index') ?? '0');
        const addIndex = Number(q.get('add_index') ?? '0');
        const all = ledger.listInvoices(node);
        if (addIndex > 0)
          for (const i of all.filter((x) => x.addIndex > addIndex)) stream.result(invoiceJson(i));
        if (settleIndex > 0)
          for (const i of all
            .filter((x) => x.state === 'settled' && x.settleIndex > settleIndex)
            .sort((a, b) => a.settleIndex - b.settleIndex))
            stream.result(invoiceJson(i));
        const stop = ledger.subscribe(node, (e) => {
          if (e.type === 'invoice-created' || e.type === 'invoice-settled')
            stream.result(invoiceJson(e.invoice));
        });
        res.on('close', stop);
        return;
      }
      case 'Lightning_DecodePayReq': {
        let decoded;
        try {
          decoded = ledger.decode(m.pathParams['pay_req'] ?? '');
        } catch (err) {
          if (err instanceof LedgerPayError)
            throw new RpcFailure(2, `invoice not for current active network '${ledger.network}'`, 500);
          throw new RpcFailure(2, `unable to decode payment request: ${(err as Error).message}`, 500);
        }
        return send(m, res, 200, {
          destination: decoded.payeeNodeKey,
          payment_hash: decoded.paymentHash,
          num_satoshis: ((decoded.amountMsat ?? 0n) / 1000n).toString(),
          timestamp: String(decoded.timestamp),
          expiry: String(decoded.expirySeconds),
          description: decoded.description ?? '',
          description_hash: decoded.descriptionHash ?? '',
          fallback_addr: decoded.fallbackAddresses[0] ?? '',
          cltv_expiry: String(decoded.minFinalCltvExpiry),
          route_hints: [],
          payment_addr: b64(decoded.paymentSecret),
          num_msat: (decoded.amountMsat ?? 0n).toString(),
          features: {},
          blinded_paths: [],
        });
      }
      case 'Lightning_ListPayments': {
        let all = ledger.listPayments(node);
        if (q.get('include_incomplete') !== 'true') all = all.filter((p) => p.state === 'succeeded');
        const max = Number(q.get('max_payments') ?? '100');
        const page = q.get('reversed') === 'true' ? all.slice(-max) : all.slice(0, max);
        return send(m, res, 200, {
          payments: page.map(paymentJson),
          first_index_offset: String(page[0]?.index ?? 0),
          last_index_offset: String(page.at(-1)?.index ?? 0),
          total_num_payments: q.get('count_total_payments') === 'true' ? String(all.length) : '0',
        });
      }
      case 'Router_SendPaymentV2': {
        const pr = body['payment_request'];
        if (typeof pr !== 'string' || pr === '')
          throw new RpcFailure(2, 'payment_request required by this stand-in', 500);
        if (!body['timeout_seconds']) throw new RpcFailure(2, 'timeout_seconds must be specified', 500);
        if (body['fee_limit_sat'] !== undefined && body['fee_limit_msat'] !== undefined)
          throw new RpcFailure(2, 'sat and msat arguments are mutually exclusive', 500);
        const feeLimit =
          body['fee_limit_msat'] !== undefined
            ? BigInt(body['fee_limit_msat'] as string)
            : BigInt((body['fee_limit_sat'] as string | undefined) ?? '0') * 1000n;
        const amt =
          body['amt_msat'] !== undefined
            ? BigInt(body['amt_msat'] as string)
            : body['amt'] !== undefined
              ? BigInt(body['amt'] as string) * 1000n
              : undefined;
        const stream = startStream(m, res);
        let started: LedgerPayment;
        try {
          started = ledger.startPayment(node, pr, {
            maxFeeMsat: feeLimit,
            ...(amt !== undefined && amt > 0n ? { amountMsat: amt } : {}),
          });
        } catch (err) {
          if (!(err instanceof LedgerPayError)) throw err;
          const message =
            {
              'already-paid': err.message.includes('transition')
                ? 'payment is in transition'
                : 'invoice is already paid',
              expired: 'invoice expired',
              'wrong-network': `invoice not for current active network '${ledger.network}'`,
              'incorrect-payment-details': err.message,
            }[err.failure as 'already-paid'] ?? err.message;
          return stream.error(2, message);
        }
        if (body['no_inflight_updates'] !== true) stream.result(paymentJson(started));
        if (state.fault === 'drop-stream') {
          res.destroy();
          return;
        }
        const done = await ledger.waitForPayment(node, started.paymentHash);
        stream.result(paymentJson(done));
        return stream.end();
      }
      case 'Router_TrackPaymentV2': {
        const hash = b64ToHex(m.pathParams['payment_hash'] ?? '');
        const stream = startStream(m, res);
        const p = ledger.lookupPayment(node, hash);
        if (!p) return stream.error(5, "payment isn't initiated");
        if (p.state !== 'in-flight' || q.get('no_inflight_updates') !== 'true') stream.result(paymentJson(p));
        if (p.state !== 'in-flight') return stream.end();
        const done = await ledger.waitForPayment(node, hash);
        stream.result(paymentJson(done));
        return stream.end();
      }
      case 'Invoices_SubscribeSingleInvoice': {
        const hash = b64ToHex(m.pathParams['r_hash'] ?? '');
        const inv = ledger.lookupInvoice(node, hash);
        const stream = startStream(m, res);
        if (!inv) return stream.error(5, 'unable to locate invoice');
        stream.result(invoiceJson(inv));
        const stop = ledger.subscribe(node, (e) => {
          if (
            (e.type === 'invoice-settled' || e.type === 'invoice-canceled') &&
            e.invoice.paymentHash === hash
          ) {
            stream.result(invoiceJson(e.invoice));
            stream.end();
          }
        });
        res.on('close', stop);
        return;
      }
      default:
        throw new RpcFailure(12, `${m.operationId} is not served by this stand-in`, 501);
    }
  }

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'https://localhost');
      requests.push(`${req.method ?? ''} ${url.pathname}`);
      const m = swagger.match(req.method ?? 'GET', url.pathname);
      if (!m) {
        violations.push(`no such endpoint: ${req.method ?? ''} ${url.pathname}`);
        const text = JSON.stringify(rpcError(5, 'Not Found'));
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(text);
        return;
      }
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = undefined;
      try {
        checkMacaroon(m, req);
        if (raw.trim() !== '') {
          try {
            body = JSON.parse(raw);
          } catch {
            throw new RpcFailure(3, 'invalid character in request body', 400);
          }
        }
        const problems = swagger.validateRequest(m, url.searchParams, body);
        if (problems.length > 0) {
          for (const p of problems) violations.push(`${m.operationId} request: ${p}`);
          throw new RpcFailure(3, problems.join('; '), 400);
        }
        await handle(m, url, (body ?? {}) as Record<string, unknown>, res);
      } catch (err) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (err instanceof RpcFailure) send(m, res, err.http, rpcError(err.code, err.message));
        else send(m, res, 500, rpcError(2, err instanceof Error ? err.message : String(err)));
      }
    })();
  });
  server.on('tlsClientError', () => {});
  server.on('error', () => {});

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(opts.port ?? 0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('LND stand-in has no port');
  const port = address.port;
  const der = new X509Certificate(tls.cert).raw.toString('base64url');

  const api: LndRestServer = {
    url: `https://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    restAddress: `127.0.0.1:${port}`,
    tls,
    macaroons,
    foreignMacaroon,
    lndconnect: (kind = 'admin') =>
      `lndconnect://127.0.0.1:${port}?cert=${der}&macaroon=${Buffer.from(macaroons[kind], 'hex').toString('base64url')}`,
    violations,
    requests,
    get fault() {
      return state.fault;
    },
    set fault(f: LndFault) {
      const was = state.fault;
      state.fault = f;
      if (f === 'down' && was !== 'down') {
        for (const r of openResponses) r.destroy();
        server.close();
        server.closeAllConnections();
      }
      if (f !== 'down' && was === 'down') void listen(port);
    },
    routes: [],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const r of openResponses) r.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  api.routes = lndRoutes(api);
  return api;
}

const FaultBody = z.object({ mode: z.enum(LND_FAULTS as unknown as [LndFault, ...LndFault[]]) }).strict();

function lndRoutes(s: LndRestServer): Route[] {
  return [
    {
      method: 'GET',
      path: '/lightning/lnd',
      handler: () => ({
        restAddress: s.restAddress,
        tlsCert: s.tls.cert,
        macaroons: s.macaroons,
        lndconnect: {
          admin: s.lndconnect('admin'),
          invoice: s.lndconnect('invoice'),
          readonly: s.lndconnect('readonly'),
        },
        fault: s.fault,
        violations: s.violations,
      }),
    },
    {
      method: 'POST',
      path: '/lightning/lnd/fault',
      handler: (body) => {
        s.fault = FaultBody.parse(body).mode;
        return { mode: s.fault };
      },
    },
  ];
}

export type { MacaroonOp };
