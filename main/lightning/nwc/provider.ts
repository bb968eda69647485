import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Network } from '../../../shared/contract/common';
import { NETWORKS } from '../../../shared/contract/common';
import type { Logger } from '../../core/logger';
import type {
  CreatedInvoice,
  LightningCapability,
  LightningPayment,
  LightningProvider,
  PaymentLimits,
  PreparedPayment,
  ProviderBalance,
  ProviderEvent,
  ProviderInfo,
} from '../provider';
import { LightningError } from '../provider';
import type { NwcMethod, NwcTransaction } from './messages';
import { toLightningPayment } from './messages';
import type { NwcRelayPort } from './relays';
import type { NwcRpc, NwcWalletInfo } from './rpc';
import { createNwcRpc, NwcTimeout } from './rpc';

export interface NwcProviderDeps {
  walletPubkey: string;
  relays: string[];
  /** The connection secret, read from the vault at each use (throws VAULT_LOCKED when locked). */
  secret(): Uint8Array;
  port: NwcRelayPort;
  log: Logger;
  now?: () => number;
  timeouts?: { infoMs?: number; requestMs?: number; payMs?: number };
  /**
   * After a pay_invoice whose answer never came, how often and how long to ask lookup_invoice
   * before leaving the payment pending for the service's restart recovery.
   */
  followUp?: { everyMs: number; forMs: number };
}

/** NWC methods onto what the UI may offer. */
const CAPABILITY_OF: Record<string, LightningCapability> = {
  pay_invoice: 'pay-invoice',
  make_invoice: 'make-invoice',
  lookup_invoice: 'lookup',
  list_transactions: 'list',
  get_balance: 'balance',
  pay_keysend: 'keysend',
  notifications: 'notifications',
};

/** NIP-47 advises small pages ("maximum of 20 transactions per page"). */
const PAGE = 20;
/** Any amount, as far as NWC can say (21M BTC in msat). */
const MAX_MSAT = 2_100_000_000_000_000_000n;

/** What NWC's prepare hands to send: the invoice and the amount to name (absent for fixed invoices). */
interface NwcOpaque {
  nwc: true;
  invoice: string;
  amountParam: number | null;
}

/**
 * Any Nostr Wallet Connect wallet (Alby Hub, LNbits, Coinos…) as a LightningProvider. Speaks
 * NIP-44 when the wallet's info event offers it, NIP-04 otherwise, over the app's relay pool.
 * A pay_invoice whose answer is lost is never sent again: it stays pending and is looked up.
 */
export function createNwcProvider(deps: NwcProviderDeps): LightningProvider & {
  /** What the wallet's info event said, once connected. */
  walletInfo(): NwcWalletInfo | null;
} {
  const now = deps.now ?? Date.now;
  const nowSec = (): number => Math.floor(now() / 1000);
  const rpc: NwcRpc = createNwcRpc({
    walletPubkey: deps.walletPubkey,
    relays: deps.relays,
    secret: deps.secret,
    port: deps.port,
    log: deps.log,
    now,
    ...(deps.timeouts?.infoMs ? { infoTimeoutMs: deps.timeouts.infoMs } : {}),
    ...(deps.timeouts?.requestMs ? { requestTimeoutMs: deps.timeouts.requestMs } : {}),
    ...(deps.timeouts?.payMs ? { payTimeoutMs: deps.timeouts.payMs } : {}),
  });
  const listeners = new Set<(e: ProviderEvent) => void>();
  const emit = (e: ProviderEvent): void => {
    for (const l of [...listeners]) {
      try {
        l(e);
      } catch (err) {
        deps.log.warn('nwc: event listener failed', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
  };
  let methods: string[] = [];
  let alias: string | null = null;
  let network: Network | null = null;
  let blockHeight: number | null = null;
  let connected: ProviderInfo | null = null;
  let offNotifications: (() => void) | null = null;
  const followUps = new Set<ReturnType<typeof setTimeout>>();

  const allowed = (m: NwcMethod): boolean => methods.includes(m);
  const need = (m: NwcMethod): void => {
    if (!connected) throw new LightningError('unreachable', 'The NWC wallet is not connected.');
    if (!allowed(m))
      throw new LightningError('not-supported', `This NWC connection does not allow ${m}.`, { method: m });
  };

  const toInfo = (): ProviderInfo => {
    const caps = new Set<LightningCapability>();
    for (const m of methods) {
      const c = CAPABILITY_OF[m];
      if (c) caps.add(c);
    }
    return {
      kind: 'nwc',
      alias,
      pubkey: deps.walletPubkey,
      network,
      capabilities: [...caps],
      blockHeight,
      // NWC says nothing about sync; a wallet that answers is as ready as it will tell us.
      synced: true,
    };
  };

  const payment = (tx: NwcTransaction): LightningPayment => {
    const p = toLightningPayment(tx, nowSec());
    // A preimage that does not hash to the payment hash proves nothing: keep the state, drop it.
    if (p.preimage && !preimageMatches(p.preimage, p.paymentHash)) return { ...p, preimage: null };
    return p;
  };

  /** After a lost pay_invoice answer: ask lookup_invoice until the wallet knows the outcome. */
  const followUp = (paymentHash: string, base: LightningPayment): void => {
    const policy = deps.followUp ?? { everyMs: 5_000, forMs: 10 * 60_000 };
    if (!allowed('lookup_invoice')) return;
    const until = now() + policy.forMs;
    const tick = async (): Promise<void> => {
      try {
        const found = await api.lookupPayment(paymentHash);
        if (found && found.state !== 'pending') {
          emit({ type: 'payment', payment: { ...base, ...found, direction: 'outgoing' } });
          return;
        }
      } catch (err) {
        deps.log.info('nwc: payment follow-up not answered yet', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
      if (now() < until && connected) schedule();
    };
    const schedule = (): void => {
      const t = setTimeout(() => {
        followUps.delete(t);
        void tick();
      }, policy.everyMs);
      t.unref?.();
      followUps.add(t);
    };
    schedule();
  };

  const api: LightningProvider & { walletInfo(): NwcWalletInfo | null } = {
    kind: 'nwc',
    walletInfo: () => rpc.info(),
    async connect() {
      const info = await rpc.connect();
      methods = info.capabilities.filter((c) => c !== 'notifications');
      if (info.capabilities.includes('notifications')) methods.push('notifications');
      if (methods.includes('get_info')) {
        try {
          const r = await rpc.call('get_info', {});
          // get_info names what THIS connection may do, which can be less than the wallet offers.
          if (r.methods.length > 0) {
            const keepNotifications = methods.includes('notifications') || (r.notifications?.length ?? 0) > 0;
            methods = r.methods.filter((m) => m !== 'notifications');
            if (keepNotifications) methods.push('notifications');
          }
          alias = r.alias?.slice(0, 64) || null;
          network = NETWORKS.find((n) => n === r.network) ?? null;
          blockHeight = r.block_height ?? null;
        } catch (err) {
          if (err instanceof NwcTimeout) {
            rpc.close();
            throw new LightningError('unreachable', 'The NWC wallet does not answer on its relays.', {
              method: 'get_info',
            });
          }
          // A wallet may refuse get_info for this connection; the info event is enough then.
          if (!(err instanceof LightningError) || err.kind === 'provider-error') throw err;
        }
      }
      connected = toInfo();
      offNotifications ??= rpc.onNotification((n) => {
        if (n.type === 'other') return;
        emit({ type: 'payment', payment: payment(n.transaction) });
      });
      emit({ type: 'connection', state: 'connected', error: null });
      return connected;
    },
    async disconnect() {
      offNotifications?.();
      offNotifications = null;
      for (const t of followUps) clearTimeout(t);
      followUps.clear();
      rpc.close();
      connected = null;
      emit({ type: 'connection', state: 'disconnected', error: null });
    },
    async info() {
      if (!connected) return api.connect();
      return connected;
    },
    async balance(): Promise<ProviderBalance> {
      need('get_balance');
      const r = await rpc.call('get_balance', {});
      return {
        spendableMsat: BigInt(r.balance),
        receivableMsat: null,
        pendingSendMsat: 0n,
        pendingReceiveMsat: 0n,
        onchainSats: null,
      };
    },
    async limits(): Promise<PaymentLimits> {
      // NWC names no limits; what can be sent is at most the balance, where the wallet says it.
      let sendMax = MAX_MSAT;
      if (allowed('get_balance')) sendMax = (await api.balance()).spendableMsat;
      return { send: { minMsat: 1n, maxMsat: sendMax }, receive: { minMsat: 0n, maxMsat: MAX_MSAT } };
    },
    async preparePayment(request): Promise<PreparedPayment> {
      need('pay_invoice');
      const target = request.target;
      if (target.kind !== 'bolt11')
        throw new LightningError('not-supported', 'An NWC wallet pays BOLT11 invoices only.', {
          target: target.kind,
        });
      const amountMsat = target.amountMsat ?? request.amountMsat ?? null;
      if (amountMsat === null || amountMsat <= 0n)
        throw new LightningError('amount-out-of-limits', 'This invoice has no amount: say how much to pay.');
      if (
        target.amountMsat !== null &&
        request.amountMsat !== undefined &&
        request.amountMsat !== target.amountMsat
      )
        throw new LightningError(
          'amount-out-of-limits',
          'The invoice fixes its amount; it cannot be changed.',
        );
      if (amountMsat > BigInt(Number.MAX_SAFE_INTEGER))
        throw new LightningError('amount-out-of-limits', 'The amount is too large for NWC.');
      const opaque: NwcOpaque = {
        nwc: true,
        invoice: target.invoice,
        amountParam: target.amountMsat === null ? Number(amountMsat) : null,
      };
      return {
        target,
        amountMsat,
        // NWC has no fee limit to pass: the wallet routes and reports fees_paid afterwards.
        feeMsat: request.maxFeeMsat ?? 0n,
        feeIsLimit: true,
        feeSetByBackend: true,
        paymentHash: target.paymentHash,
        expiresAt: null,
        opaque,
      };
    },
    async sendPayment(prepared) {
      need('pay_invoice');
      const o = prepared.opaque as Partial<NwcOpaque> | null;
      if (!o || o.nwc !== true || typeof o.invoice !== 'string')
        throw new LightningError('provider-error', 'This payment was not prepared by the NWC provider.');
      const paymentHash = prepared.paymentHash ?? '';
      const base: LightningPayment = {
        paymentHash,
        direction: 'outgoing',
        amountMsat: prepared.amountMsat,
        feeMsat: 0n,
        state: 'pending',
        createdAt: nowSec(),
        settledAt: null,
        description: null,
        bolt11: o.invoice,
        preimage: null,
        failure: null,
      };
      try {
        const r = await rpc.call('pay_invoice', {
          invoice: o.invoice,
          ...(o.amountParam !== null && o.amountParam !== undefined ? { amount: o.amountParam } : {}),
        });
        const proven = preimageMatches(r.preimage, paymentHash);
        if (!proven)
          deps.log.warn('nwc: the wallet reported a preimage that does not match the invoice', {
            paymentHash,
          });
        return {
          ...base,
          state: 'succeeded',
          feeMsat: BigInt(r.fees_paid ?? 0),
          settledAt: nowSec(),
          preimage: proven ? r.preimage.toLowerCase() : null,
        };
      } catch (err) {
        if (err instanceof NwcTimeout) {
          // The request reached a relay; the wallet may have paid. Never send it again: ask.
          followUp(paymentHash, base);
          return base;
        }
        if (err instanceof LightningError && err.kind !== 'unreachable') {
          return { ...base, state: 'failed', failure: err.kind };
        }
        throw err;
      }
    },
    async createInvoice(request): Promise<CreatedInvoice> {
      need('make_invoice');
      const amount = request.amountMsat ?? 0n;
      if (amount > BigInt(Number.MAX_SAFE_INTEGER))
        throw new LightningError('amount-out-of-limits', 'The amount is too large for NWC.');
      const r = await rpc.call('make_invoice', {
        amount: Number(amount),
        ...(request.descriptionHash
          ? { description_hash: request.descriptionHash }
          : { description: request.description }),
        ...(request.expirySeconds ? { expiry: request.expirySeconds } : {}),
      });
      if (!r.invoice)
        throw new LightningError('provider-error', 'The wallet made an invoice but did not send it.');
      return {
        bolt11: r.invoice,
        paymentHash: r.payment_hash.toLowerCase(),
        amountMsat: request.amountMsat ?? null,
        expiresAt: r.expires_at ?? nowSec() + (request.expirySeconds ?? 3600),
        feeMsat: null,
      };
    },
    async lookupPayment(paymentHash) {
      need('lookup_invoice');
      try {
        return payment(await rpc.call('lookup_invoice', { payment_hash: paymentHash }));
      } catch (err) {
        if (err instanceof LightningError && err.details?.nwcCode === 'NOT_FOUND') return null;
        throw err;
      }
    },
    async listPayments({ limit, offset }) {
      need('list_transactions');
      const out: LightningPayment[] = [];
      let at = offset;
      while (out.length < limit) {
        const want = Math.min(PAGE, limit - out.length);
        const r = await rpc.call('list_transactions', { limit: want, offset: at, unpaid: true });
        out.push(...r.transactions.map(payment));
        if (r.transactions.length < want) break;
        at += r.transactions.length;
      }
      return out.sort((a, b) => b.createdAt - a.createdAt);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return api;
}

function preimageMatches(preimage: string, paymentHash: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(preimage) || !/^[0-9a-fA-F]{64}$/.test(paymentHash)) return false;
  return bytesToHex(sha256(hexToBytes(preimage.toLowerCase()))) === paymentHash.toLowerCase();
}
