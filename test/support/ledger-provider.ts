import type {
  LightningCapability,
  LightningFailureKind,
  LightningPayment,
  LightningProvider,
  ProviderEvent,
} from '../../main/lightning/provider';
import { LightningError } from '../../main/lightning/provider';
import type { ProviderKindDefinition } from '../../main/lightning/registry';
import type { LedgerFailure, LedgerInvoice, LedgerPayment, LightningLedger } from '../stack/lightning/ledger';
import { LedgerPayError } from '../stack/lightning/ledger';

/**
 * A provider that is one node of the fake network, in process: the Lightning service's own
 * behaviour (journal, recovery, LNURL, events) is tested with it independently of any backend's
 * wire protocol. Registered under the 'lnd' kind slot (the kind map is keyed by backend name);
 * the LND provider itself is tested against the LND REST stand-in.
 */

const FAILURE: Record<LedgerFailure, LightningFailureKind> = {
  'no-route': 'no-route',
  'insufficient-balance': 'insufficient-balance',
  expired: 'expired',
  'already-paid': 'already-paid',
  timeout: 'timeout',
  'incorrect-payment-details': 'invoice-invalid',
  'wrong-network': 'wrong-network',
};

function outgoing(p: LedgerPayment): LightningPayment {
  return {
    paymentHash: p.paymentHash,
    direction: 'outgoing',
    amountMsat: p.amountMsat,
    feeMsat: p.feeMsat,
    state: p.state === 'in-flight' ? 'pending' : p.state,
    createdAt: p.createdAt,
    settledAt: p.settledAt,
    description: null,
    bolt11: p.bolt11,
    preimage: p.preimage,
    failure: p.failure ? FAILURE[p.failure] : null,
  };
}

function incoming(i: LedgerInvoice): LightningPayment {
  return {
    paymentHash: i.paymentHash,
    direction: 'incoming',
    amountMsat: i.state === 'settled' ? i.amountPaidMsat : (i.amountMsat ?? 0n),
    feeMsat: 0n,
    state: i.state === 'settled' ? 'succeeded' : i.state === 'canceled' ? 'failed' : 'pending',
    createdAt: i.createdAt,
    settledAt: i.settledAt,
    description: i.description,
    bolt11: i.bolt11,
    preimage: i.state === 'settled' ? i.preimage : null,
    failure: i.state === 'canceled' ? 'expired' : null,
  };
}

export interface LedgerProviderControls {
  /** Awaited inside sendPayment before the ledger hears of the payment (a slow backend). */
  beforeSend?: () => Promise<void>;
  /** Called inside sendPayment after the ledger took the payment; throw to simulate a crash. */
  afterSend?: () => void;
  /** Make connect() fail. */
  down?: boolean;
}

export function createLedgerProvider(
  ledger: LightningLedger,
  node: string,
  controls: LedgerProviderControls = {},
): LightningProvider {
  const listeners = new Set<(e: ProviderEvent) => void>();
  let stop: (() => void) | null = null;
  const emit = (e: ProviderEvent) => {
    for (const l of [...listeners]) l(e);
  };
  const info = () => ({
    kind: 'lnd' as const,
    alias: ledger.node(node).alias,
    pubkey: ledger.node(node).pubkey,
    network: ledger.network,
    capabilities: [
      'pay-invoice',
      'make-invoice',
      'lookup',
      'list',
      'balance',
      'notifications',
    ] as LightningCapability[],
    blockHeight: 101,
    synced: true,
  });
  return {
    kind: 'lnd',
    async connect() {
      if (controls.down) throw new LightningError('unreachable', 'node down');
      stop?.();
      stop = ledger.subscribe(node, (e) => {
        if (e.type === 'payment-updated') emit({ type: 'payment', payment: outgoing(e.payment) });
        if (e.type === 'invoice-settled') emit({ type: 'payment', payment: incoming(e.invoice) });
      });
      return info();
    },
    async disconnect() {
      stop?.();
      stop = null;
    },
    async info() {
      return info();
    },
    async balance() {
      const b = ledger.balance(node);
      return {
        spendableMsat: b.spendableMsat,
        receivableMsat: null,
        pendingSendMsat: b.reservedMsat,
        pendingReceiveMsat: 0n,
        onchainSats: null,
      };
    },
    async limits() {
      return {
        send: { minMsat: 1n, maxMsat: ledger.balance(node).spendableMsat },
        receive: { minMsat: 1n, maxMsat: 2_100_000_000_000_000_000n },
      };
    },
    async preparePayment(req) {
      if (req.target.kind !== 'bolt11') throw new LightningError('not-supported', 'bolt11 only');
      const amountMsat = req.target.amountMsat ?? req.amountMsat ?? 0n;
      return {
        target: req.target,
        amountMsat,
        feeMsat: req.maxFeeMsat ?? 0n,
        feeIsLimit: true,
        paymentHash: req.target.paymentHash,
        expiresAt: null,
        opaque: {
          maxFeeMsat: req.maxFeeMsat,
          amountMsat: req.target.amountMsat === null ? amountMsat : undefined,
        },
      };
    },
    async sendPayment(prepared) {
      if (prepared.target.kind !== 'bolt11') throw new LightningError('not-supported', 'bolt11 only');
      await controls.beforeSend?.();
      const opaque = prepared.opaque as { maxFeeMsat?: bigint; amountMsat?: bigint };
      let started: LedgerPayment;
      try {
        started = ledger.startPayment(node, prepared.target.invoice, {
          ...(opaque.maxFeeMsat !== undefined ? { maxFeeMsat: opaque.maxFeeMsat } : {}),
          ...(opaque.amountMsat !== undefined ? { amountMsat: opaque.amountMsat } : {}),
        });
      } catch (err) {
        if (err instanceof LedgerPayError) throw new LightningError(FAILURE[err.failure], err.message);
        throw err;
      }
      controls.afterSend?.();
      return outgoing(await ledger.waitForPayment(node, started.paymentHash));
    },
    async createInvoice(req) {
      const inv = ledger.createInvoice(node, {
        amountMsat: req.amountMsat ?? null,
        ...(req.descriptionHash
          ? { descriptionHash: req.descriptionHash }
          : { description: req.description }),
        ...(req.expirySeconds !== undefined ? { expirySeconds: req.expirySeconds } : {}),
      });
      return {
        bolt11: inv.bolt11,
        paymentHash: inv.paymentHash,
        amountMsat: inv.amountMsat,
        expiresAt: inv.expiresAt,
        feeMsat: null,
      };
    },
    async lookupPayment(hash) {
      const p = ledger.lookupPayment(node, hash);
      if (p) return outgoing(p);
      const i = ledger.lookupInvoice(node, hash);
      return i ? incoming(i) : null;
    },
    async listPayments({ limit, offset }) {
      const all = [...ledger.listPayments(node).map(outgoing), ...ledger.listInvoices(node).map(incoming)];
      return all.sort((a, b) => b.createdAt - a.createdAt).slice(offset, offset + limit);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A kind whose every connection is the given ledger node (the connect input is ignored). */
export function ledgerKind(
  ledger: LightningLedger,
  node: string,
  controls: LedgerProviderControls = {},
): ProviderKindDefinition<'lnd'> {
  return {
    kind: 'lnd',
    prepareConnection: () => ({
      label: node,
      settings: { node },
      secret: new TextEncoder().encode('test-secret'),
      endpoint: `ledger:${node}`,
    }),
    create: () => createLedgerProvider(ledger, node, controls),
  };
}
