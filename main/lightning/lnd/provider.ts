import type { Network, Socks5ProxySetting } from '../../../shared/contract';
import { FlashError } from '../../../shared/errors';
import { decodeBolt11 } from '../../../shared/lightning/bolt11';
import type { Logger } from '../../core/logger';
import type {
  LightningCapability,
  LightningFailureKind,
  LightningPayment,
  LightningProvider,
  PaymentState,
  ProviderEvent,
  ProviderInfo,
} from '../provider';
import { LightningError } from '../provider';
import type { Permission } from './permissions';
import { macaroonPermissions } from './permissions';
import type { LndRest, LndStream } from './rest';
import { createLndRest, LndRpcError } from './rest';

/**
 * The user's own LND node over REST as a LightningProvider (getinfo, channel and wallet balances,
 * addinvoice, decodepayreq, routerrpc SendPaymentV2 and TrackPaymentV2, the invoice subscription
 * for live "Paid", list payments and invoices). What it may do follows the macaroon: admin pays
 * and receives; invoice + readonly receives and reads, and paying is not offered.
 */

/** Wire shapes (int64 as strings, bytes as base64), only the fields Flash reads. */
interface LndGetInfo {
  identity_pubkey: string;
  alias: string;
  block_height: number;
  synced_to_chain: boolean;
  synced_to_graph: boolean;
  chains: { chain: string; network: string }[] | null;
}
interface LndAmount {
  sat: string;
  msat: string;
}
interface LndChannelBalance {
  local_balance: LndAmount | null;
  remote_balance: LndAmount | null;
  unsettled_local_balance: LndAmount | null;
  unsettled_remote_balance: LndAmount | null;
}
interface LndWalletBalance {
  confirmed_balance: string;
}
interface LndPayment {
  payment_hash: string;
  value_msat: string;
  fee_msat: string;
  payment_preimage: string;
  payment_request: string;
  status: 'UNKNOWN' | 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED' | 'INITIATED';
  creation_time_ns: string;
  failure_reason: string;
  payment_index: string;
}
interface LndInvoice {
  memo: string;
  r_preimage: string;
  r_hash: string;
  value_msat: string;
  creation_date: string;
  settle_date: string;
  payment_request: string;
  state: 'OPEN' | 'SETTLED' | 'CANCELED' | 'ACCEPTED';
  amt_paid_msat: string;
  add_index: string;
  settle_index: string;
}
interface LndPayReq {
  payment_hash: string;
  num_msat: string;
  expiry: string;
  timestamp: string;
}

const ZERO_PREIMAGE = '0'.repeat(64);
/** How long sendPayment waits for a final state before answering 'pending' (the stream goes on). */
const SEND_WAIT_MS = 30_000;
/** LND's SendPaymentV2 requires a timeout for finding routes; 60 s is lncli's default. */
const PAY_TIMEOUT_SECONDS = 60;
const MAX_MSAT = 2_100_000_000_000_000_000n;

const b64ToHex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');
const hexToB64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const hexToB64Url = (hex: string): string => Buffer.from(hex, 'hex').toString('base64url');
const big = (s: string | undefined): bigint => (s && /^-?\d+$/.test(s) ? BigInt(s) : 0n);
const num = (s: string | undefined): number => Number(big(s));

const FAILURE_REASON: Record<string, LightningFailureKind> = {
  FAILURE_REASON_TIMEOUT: 'timeout',
  FAILURE_REASON_NO_ROUTE: 'no-route',
  FAILURE_REASON_ERROR: 'provider-error',
  FAILURE_REASON_INCORRECT_PAYMENT_DETAILS: 'invoice-invalid',
  FAILURE_REASON_INSUFFICIENT_BALANCE: 'insufficient-balance',
  FAILURE_REASON_CANCELED: 'provider-error',
};

const NETWORK_OF: Record<string, Network> = {
  mainnet: 'mainnet',
  testnet: 'testnet',
  testnet4: 'testnet',
  signet: 'signet',
  regtest: 'regtest',
};

function paymentFrom(p: LndPayment): LightningPayment {
  const state: PaymentState =
    p.status === 'SUCCEEDED' ? 'succeeded' : p.status === 'FAILED' ? 'failed' : 'pending';
  const created = Math.floor(num(p.creation_time_ns) / 1e9);
  let description: string | null = null;
  try {
    description = p.payment_request ? decodeBolt11(p.payment_request).description : null;
  } catch {
    description = null;
  }
  return {
    paymentHash: p.payment_hash,
    direction: 'outgoing',
    amountMsat: big(p.value_msat),
    feeMsat: big(p.fee_msat),
    state,
    createdAt: created,
    settledAt: state === 'pending' ? null : created,
    description,
    bolt11: p.payment_request || null,
    preimage: state === 'succeeded' && p.payment_preimage !== ZERO_PREIMAGE ? p.payment_preimage : null,
    failure: state === 'failed' ? (FAILURE_REASON[p.failure_reason] ?? 'provider-error') : null,
  };
}

function invoiceFrom(i: LndInvoice): LightningPayment {
  const state: PaymentState =
    i.state === 'SETTLED' ? 'succeeded' : i.state === 'CANCELED' ? 'failed' : 'pending';
  return {
    paymentHash: b64ToHex(i.r_hash),
    direction: 'incoming',
    amountMsat: state === 'succeeded' ? big(i.amt_paid_msat) : big(i.value_msat),
    feeMsat: 0n,
    state,
    createdAt: num(i.creation_date),
    settledAt: state === 'succeeded' ? num(i.settle_date) : null,
    description: i.memo || null,
    bolt11: i.payment_request || null,
    preimage: state === 'succeeded' ? b64ToHex(i.r_preimage) : null,
    failure: state === 'failed' ? 'expired' : null,
  };
}

/** LND's in-stream and RPC error messages for a send, as failure kinds. */
function sendError(err: unknown): Error {
  if (!(err instanceof LndRpcError))
    return err instanceof Error ? err : new LightningError('provider-error', String(err));
  const m = err.message;
  if (/already paid/i.test(m)) return new LightningError('already-paid', m);
  if (/in transition|already in flight|payment is in flight/i.test(m))
    return new LightningError('already-paid', m);
  if (/expired/i.test(m)) return new LightningError('expired', m);
  if (/not for current active network|network mismatch/i.test(m))
    return new LightningError('wrong-network', m);
  if (/amount must|invalid payment request|checksum|invoice/i.test(m))
    return new LightningError('invoice-invalid', m);
  if (/insufficient/i.test(m)) return new LightningError('insufficient-balance', m);
  return new LightningError('provider-error', m);
}

export interface LndProviderDeps {
  host: string;
  port: number;
  certPem: string;
  macaroon(): Uint8Array;
  proxy(): Socks5ProxySetting | null;
  log: Logger;
  timeoutMs?: number;
  /** How long to wait before re-opening a dropped invoice subscription. */
  resubscribeMs?: number;
}

export function createLndProvider(deps: LndProviderDeps): LightningProvider {
  const rest: LndRest = createLndRest({
    host: deps.host,
    port: deps.port,
    certPem: deps.certPem,
    macaroon: deps.macaroon,
    proxy: deps.proxy,
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
  });
  const listeners = new Set<(e: ProviderEvent) => void>();
  const streams = new Set<LndStream>();
  let permissions = new Set<Permission>();
  let invoiceStream: LndStream | null = null;
  let lastSettleIndex = '0';
  let connected = false;
  let resubscribe: NodeJS.Timeout | null = null;

  const emit = (e: ProviderEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(e);
      } catch {
        // A listener's failure is its own.
      }
    }
  };
  const can = (p: Permission): boolean => permissions.has(p);
  const need = (p: Permission, what: string): void => {
    if (!can(p)) throw new LightningError('not-supported', `This macaroon does not allow ${what} (${p}).`);
  };

  function capabilities(): LightningCapability[] {
    const caps: LightningCapability[] = [];
    if (can('offchain:write')) caps.push('pay-invoice');
    if (can('invoices:write')) caps.push('make-invoice');
    if (can('offchain:read') && can('invoices:read')) caps.push('lookup', 'list');
    if (can('offchain:read')) caps.push('balance');
    if (can('invoices:read')) caps.push('notifications');
    return caps;
  }

  async function getInfo(): Promise<ProviderInfo> {
    let info: LndGetInfo;
    try {
      info = await rest.call<LndGetInfo>('GET', '/v1/getinfo');
    } catch (err) {
      throw sendError(err);
    }
    const chain = info.chains?.find((c) => c.chain === 'bitcoin') ?? info.chains?.[0];
    return {
      kind: 'lnd',
      alias: info.alias || null,
      pubkey: info.identity_pubkey,
      network: chain ? (NETWORK_OF[chain.network] ?? null) : null,
      capabilities: capabilities(),
      blockHeight: info.block_height,
      synced: info.synced_to_chain && info.synced_to_graph,
    };
  }

  /** Live "Paid": settled invoices as events; re-opened after a drop, catching up by settle index. */
  function subscribeInvoices(): void {
    if (!connected || !can('invoices:read')) return;
    const query = lastSettleIndex !== '0' ? `?settle_index=${lastSettleIndex}` : '';
    const stream = rest.stream(
      'GET',
      `/v1/invoices/subscribe${query}`,
      undefined,
      (item) => {
        const inv = item as LndInvoice;
        if (inv.state === 'SETTLED' && big(inv.settle_index) > big(lastSettleIndex))
          lastSettleIndex = inv.settle_index;
        emit({ type: 'payment', payment: invoiceFrom(inv) });
      },
      (err) => deps.log.warn('invoice subscription ended', { error: err.message }),
    );
    invoiceStream = stream;
    streams.add(stream);
    void stream.done.then(() => {
      streams.delete(stream);
      if (invoiceStream === stream) invoiceStream = null;
      if (!connected) return;
      // The node went away (restart, network): say so, and come back when it answers again.
      emit({ type: 'connection', state: 'connecting', error: null });
      subscribeLater();
    });
  }

  function subscribeLater(): void {
    if (!connected || resubscribe) return;
    resubscribe = setTimeout(() => {
      resubscribe = null;
      getInfo().then(
        () => {
          if (!connected) return;
          emit({ type: 'connection', state: 'connected', error: null });
          subscribeInvoices();
        },
        (err: unknown) => {
          deps.log.warn('node still unreachable', {
            error: err instanceof Error ? err.message : String(err),
          });
          emit({ type: 'connection', state: 'disconnected', error: 'LIGHTNING_UNREACHABLE' });
          subscribeLater();
        },
      );
    }, deps.resubscribeMs ?? 3000);
    resubscribe.unref?.();
  }

  /** Reads a payment stream until a final state (or the first state when `first`). */
  function followPayment(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    opts: { waitMs: number; first: boolean },
  ): Promise<LightningPayment | null> {
    return new Promise((resolve, reject) => {
      let answered = false;
      let last: LightningPayment | null = null;
      const answer = (p: LightningPayment | null): void => {
        if (answered) return;
        answered = true;
        clearTimeout(timer);
        resolve(p);
      };
      const stream = rest.stream(
        method,
        path,
        body,
        (item) => {
          last = paymentFrom(item as LndPayment);
          if (answered) emit({ type: 'payment', payment: last });
          if (opts.first || last.state !== 'pending') {
            answer(last);
            stream.close();
          }
        },
        (err) => {
          if (answered) return;
          answered = true;
          clearTimeout(timer);
          reject(err);
        },
      );
      streams.add(stream);
      void stream.done.then(() => {
        streams.delete(stream);
        // The stream ended without a final state (the connection dropped): unknown, say pending.
        answer(last);
      });
      const timer = setTimeout(() => answer(last), opts.waitMs);
    });
  }

  return {
    kind: 'lnd',

    async connect() {
      permissions = macaroonPermissions(deps.macaroon());
      // getinfo (info:read) says which node and network this is: Flash will not guess.
      if (!can('info:read'))
        throw new LightningError(
          'unauthorized',
          'This macaroon cannot read the node info (info:read). Use admin.macaroon, or bake one with the invoice and read-only permissions.',
        );
      const info = await getInfo();
      connected = true;
      subscribeInvoices();
      return info;
    },

    async disconnect() {
      connected = false;
      if (resubscribe) clearTimeout(resubscribe);
      resubscribe = null;
      for (const s of [...streams]) s.close();
      streams.clear();
      invoiceStream = null;
      rest.close();
    },

    info: () => getInfo(),

    async balance() {
      need('offchain:read', 'reading balances');
      const [channels, wallet] = await Promise.all([
        rest.call<LndChannelBalance>('GET', '/v1/balance/channels'),
        can('onchain:read')
          ? rest.call<LndWalletBalance>('GET', '/v1/balance/blockchain')
          : Promise.resolve(null),
      ]).catch((err: unknown) => {
        throw sendError(err);
      });
      return {
        spendableMsat: big(channels.local_balance?.msat),
        receivableMsat: big(channels.remote_balance?.msat),
        pendingSendMsat: big(channels.unsettled_local_balance?.msat),
        pendingReceiveMsat: big(channels.unsettled_remote_balance?.msat),
        onchainSats: wallet ? num(wallet.confirmed_balance) : null,
      };
    },

    async limits() {
      const b = can('offchain:read') ? await this.balance() : null;
      return {
        send: { minMsat: 1n, maxMsat: b?.spendableMsat ?? 0n },
        receive: { minMsat: 1n, maxMsat: b?.receivableMsat ?? MAX_MSAT },
      };
    },

    async preparePayment(req) {
      need('offchain:write', 'paying');
      if (req.target.kind !== 'bolt11')
        throw new LightningError('not-supported', 'LND pays BOLT11 invoices only.');
      let decoded: LndPayReq;
      try {
        // The node's own reading of the invoice: its network, its amount.
        decoded = await rest.call<LndPayReq>('GET', `/v1/payreq/${encodeURIComponent(req.target.invoice)}`);
      } catch (err) {
        throw sendError(err);
      }
      const invoiceMsat = big(decoded.num_msat);
      const amountMsat = invoiceMsat > 0n ? invoiceMsat : (req.amountMsat ?? 0n);
      if (amountMsat <= 0n)
        throw new LightningError('invoice-invalid', 'The invoice has no amount and none was given.');
      const feeLimit = req.maxFeeMsat ?? amountMsat / 100n + 1000n;
      return {
        target: req.target,
        amountMsat,
        feeMsat: feeLimit,
        feeIsLimit: true,
        paymentHash: decoded.payment_hash,
        expiresAt: num(decoded.timestamp) + num(decoded.expiry),
        opaque: { zeroAmount: invoiceMsat === 0n, amountMsat, feeLimit },
      };
    },

    async sendPayment(prepared) {
      need('offchain:write', 'paying');
      if (prepared.target.kind !== 'bolt11')
        throw new LightningError('not-supported', 'LND pays BOLT11 invoices only.');
      const o = prepared.opaque as { zeroAmount: boolean; amountMsat: bigint; feeLimit: bigint };
      const body = {
        payment_request: prepared.target.invoice,
        ...(o.zeroAmount ? { amt_msat: o.amountMsat.toString() } : {}),
        fee_limit_msat: o.feeLimit.toString(),
        timeout_seconds: PAY_TIMEOUT_SECONDS,
      };
      try {
        const result = await followPayment('POST', '/v2/router/send', body, {
          waitMs: SEND_WAIT_MS,
          first: false,
        });
        if (result) return result;
      } catch (err) {
        throw sendError(err);
      }
      // The stream ended before any update: whether it left is unknown to us; the service looks it up.
      throw new LightningError('unreachable', 'The node closed the payment stream without an answer.');
    },

    async createInvoice(req) {
      need('invoices:write', 'making invoices');
      const body = {
        memo: req.description,
        ...(req.amountMsat !== undefined ? { value_msat: req.amountMsat.toString() } : {}),
        ...(req.expirySeconds !== undefined ? { expiry: String(req.expirySeconds) } : {}),
        ...(req.descriptionHash ? { description_hash: hexToB64(req.descriptionHash) } : {}),
      };
      let added: { r_hash: string; payment_request: string };
      try {
        added = await rest.call('POST', '/v1/invoices', body);
      } catch (err) {
        throw sendError(err);
      }
      const decoded = decodeBolt11(added.payment_request);
      if (decoded.paymentHash !== b64ToHex(added.r_hash))
        throw new LightningError('provider-error', 'The node returned an invoice for another payment hash.');
      return {
        bolt11: added.payment_request,
        paymentHash: decoded.paymentHash,
        amountMsat: decoded.amountMsat,
        expiresAt: decoded.expiresAt,
        feeMsat: null,
      };
    },

    async lookupPayment(paymentHash) {
      if (!/^[0-9a-f]{64}$/.test(paymentHash))
        throw new FlashError('BAD_INPUT', 'A payment hash is 64 hex characters.');
      if (can('offchain:read')) {
        try {
          const p = await followPayment('GET', `/v2/router/track/${hexToB64Url(paymentHash)}`, undefined, {
            waitMs: 10_000,
            first: true,
          });
          if (p) return p;
        } catch (err) {
          // NotFound: not a payment of ours; look for an invoice instead.
          if (!(
            err instanceof LndRpcError &&
            (err.status.code === 5 || /not (been )?initiated|not found/i.test(err.message))
          ))
            throw sendError(err);
        }
      }
      if (can('invoices:read')) {
        try {
          return invoiceFrom(await rest.call<LndInvoice>('GET', `/v1/invoice/${paymentHash}`));
        } catch (err) {
          if (err instanceof LndRpcError && (err.status.code === 5 || err.httpStatus === 404)) return null;
          throw sendError(err);
        }
      }
      return null;
    },

    async listPayments({ limit, offset }) {
      const want = String(limit + offset);
      const [payments, invoices] = await Promise.all([
        can('offchain:read')
          ? rest.call<{ payments: LndPayment[] | null }>(
              'GET',
              `/v1/payments?include_incomplete=true&reversed=true&max_payments=${want}`,
            )
          : Promise.resolve({ payments: [] }),
        can('invoices:read')
          ? rest.call<{ invoices: LndInvoice[] | null }>(
              'GET',
              `/v1/invoices?reversed=true&num_max_invoices=${want}`,
            )
          : Promise.resolve({ invoices: [] }),
      ]).catch((err: unknown) => {
        throw sendError(err);
      });
      return [...(payments.payments ?? []).map(paymentFrom), ...(invoices.invoices ?? []).map(invoiceFrom)]
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(offset, offset + limit);
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
