import fs from 'node:fs';
import type {
  FetchPaymentProposedFeesResponse,
  PrepareSendResponse,
  PreparePayOnchainResponse,
  ReceiveAmount,
  SdkEvent,
} from '@breeztech/breez-sdk-liquid/node';
import { createHash } from 'node:crypto';
import type { Network } from '../../../shared/contract';
import { isValidAddress } from '../../../shared/bitcoin/address';
import { buildBitcoinUri } from '../../../shared/bitcoin/uri';
import { decodeBolt11 } from '../../../shared/lightning/bolt11';
import type { Logger } from '../../core/logger';
import type {
  CreatedInvoice,
  LightningCapability,
  LightningPayment,
  LightningProvider,
  OnchainReceive,
  PaymentLimits,
  PayRequest,
  PreparedPayment,
  ProviderBalance,
  ProviderEvent,
  ProviderInfo,
  RefundableSwap,
} from '../provider';
import { LightningError } from '../provider';
import { paymentKey, swapIdOf, toLightningError, toLightningPayment, toProviderEvent } from './map';
import type { BreezBackend, BreezSdk } from './sdk';
import { liquidNetworkOf } from './sdk';

/**
 * Breez SDK Liquid as a Lightning provider: an embedded, self-custodial wallet whose keys come
 * from the wallet's own recovery words. Lightning payments are swaps to and from Liquid run by
 * the SDK; so are payments to and from a Bitcoin address. The provider translates: the service
 * journals, recovers and decides.
 */

export interface BreezProviderDeps {
  backend: BreezBackend;
  network: Network;
  /** The wallet's BIP39 words and passphrase, read from the vault at connect (VAULT_LOCKED otherwise). */
  words(): { mnemonic: string; passphrase: string };
  /** The API key from the vault, or null (regtest works without one). */
  apiKey(): string | null;
  /** The SDK's own storage (swap data it needs to claim and refund); kept across restarts. */
  workingDir: string;
  log: Logger;
  /** How long connect may take before it counts as unreachable. */
  connectTimeoutMs?: number;
  now?: () => number;
}

const CAPABILITIES: LightningCapability[] = [
  'pay-invoice',
  'make-invoice',
  'lookup',
  'list',
  'balance',
  'bolt12',
  'onchain-receive',
  'onchain-send',
  'refunds',
  'notifications',
];

type Opaque =
  | { kind: 'send'; response: PrepareSendResponse; payerNote: string | null }
  | { kind: 'onchain'; address: string; response: PreparePayOnchainResponse };

const msat = (sats: number): bigint => BigInt(sats) * 1000n;

/** Breez speaks whole sats: an amount with a fraction of a sat cannot be asked for. */
function wholeSats(amountMsat: bigint): number {
  if (amountMsat % 1000n !== 0n)
    throw new LightningError('amount-out-of-limits', 'Breez sends and receives whole sats only.');
  return Number(amountMsat / 1000n);
}

function timeout<T>(promise: Promise<T>, ms: number, onLate: (value: T) => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  return Promise.race([
    promise.then((v) => {
      if (timedOut) onLate(v);
      return v;
    }),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new LightningError('unreachable', `Breez did not start within ${Math.round(ms / 1000)} s.`));
      }, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function createBreezProvider(deps: BreezProviderDeps): LightningProvider & {
  receiveOnchain: NonNullable<LightningProvider['receiveOnchain']>;
  listRefundables: NonNullable<LightningProvider['listRefundables']>;
  prepareRefund: NonNullable<LightningProvider['prepareRefund']>;
  refund: NonNullable<LightningProvider['refund']>;
  feeQuote: NonNullable<LightningProvider['feeQuote']>;
  acceptFee: NonNullable<LightningProvider['acceptFee']>;
  lookupByDestination: NonNullable<LightningProvider['lookupByDestination']>;
} {
  const now = deps.now ?? Date.now;
  const nowSec = () => Math.floor(now() / 1000);
  const listeners = new Set<(e: ProviderEvent) => void>();
  let sdk: BreezSdk | null = null;
  let listenerId: string | null = null;
  let connecting: Promise<ProviderInfo> | null = null;
  let synced = false;
  /** The fee quote last shown per swap: accepting takes exactly what the user saw. */
  const quotes = new Map<string, FetchPaymentProposedFeesResponse>();
  /** Limits last fetched: shown while Breez's servers are out of reach. */
  let lastLimits: PaymentLimits | null = null;
  /**
   * Outgoing payment events that arrive while a send is being made. A swap to a Bitcoin address
   * (or an offer) is journaled before its key exists; the SDK announces it before sendPayment
   * returns, and the service would take that event for a payment it never made. Held until the
   * service has recorded sendPayment's answer, then passed on.
   */
  let sending = 0;
  const held: ProviderEvent[] = [];

  const emit = (e: ProviderEvent): void => {
    for (const l of [...listeners]) l(e);
  };

  function need(): BreezSdk {
    if (!sdk) throw new LightningError('unreachable', 'Breez is not started.');
    return sdk;
  }

  async function call<T>(fn: (s: BreezSdk) => Promise<T>): Promise<T> {
    const s = need();
    try {
      return await fn(s);
    } catch (err) {
      throw toLightningError(err);
    }
  }

  function onSdkEvent(e: SdkEvent): void {
    if (e.type === 'synced') synced = true;
    if (e.type === 'syncFailed') deps.log.warn('breez sync failed', { reason: e.error.slice(0, 200) });
    const mapped = toProviderEvent(e, nowSec());
    if (!mapped) return;
    if (sending > 0 && mapped.type === 'payment' && mapped.payment.direction === 'outgoing')
      held.push(mapped);
    else emit(mapped);
  }

  function releaseHeld(): void {
    // After the caller's continuation ran: it records the send's answer first.
    setTimeout(() => {
      if (sending > 0) return;
      for (const e of held.splice(0)) emit(e);
    }, 0);
  }

  async function infoOf(s: BreezSdk): Promise<ProviderInfo> {
    const info = await s.getInfo();
    return {
      kind: 'breez',
      alias: 'Breez',
      pubkey: info.walletInfo.pubkey,
      network: deps.network,
      capabilities: [...CAPABILITIES],
      blockHeight: info.blockchainInfo.bitcoinTip > 0 ? info.blockchainInfo.bitcoinTip : null,
      synced,
    };
  }

  async function start(): Promise<ProviderInfo> {
    const liquid = liquidNetworkOf(deps.network);
    const apiKey = deps.apiKey();
    if (liquid !== 'regtest' && !apiKey)
      throw new LightningError('unauthorized', 'Breez needs an API key on this network.');
    const words = deps.words();
    let config;
    try {
      config = deps.backend.defaultConfig(liquid, apiKey);
    } catch (err) {
      throw toLightningError(err);
    }
    fs.mkdirSync(deps.workingDir, { recursive: true, mode: 0o700 });
    config.workingDir = deps.workingDir;
    let started: BreezSdk;
    try {
      started = await timeout(
        deps.backend.connect({
          config,
          mnemonic: words.mnemonic,
          ...(words.passphrase !== '' ? { passphrase: words.passphrase } : {}),
        }),
        deps.connectTimeoutMs ?? 60_000,
        // A start that finishes after we gave up must not keep a second SDK running.
        (late) => void late.disconnect().catch(() => undefined),
      );
    } catch (err) {
      throw toLightningError(err);
    }
    try {
      listenerId = await started.addEventListener({ onEvent: onSdkEvent });
      const info = await infoOf(started);
      sdk = started;
      emit({ type: 'connection', state: 'connected', error: null });
      return info;
    } catch (err) {
      await started.disconnect().catch(() => undefined);
      throw toLightningError(err);
    }
  }

  async function findPayment(key: string) {
    const s = need();
    if (/^[0-9a-f]{64}$/.test(key)) {
      const byHash = await s.getPayment({ type: 'paymentHash', paymentHash: key });
      if (byHash && paymentKey(byHash) === key) return byHash;
    }
    // Swaps are keyed by a hash of their swap id (see map.ts): look through the history.
    const all = await s.listPayments({});
    return all.find((p) => paymentKey(p) === key) ?? null;
  }

  async function fetchLimits(): Promise<PaymentLimits> {
    return call(async (s) => {
      const [ln, chain] = await Promise.all([s.fetchLightningLimits(), s.fetchOnchainLimits()]);
      return {
        send: { minMsat: msat(ln.send.minSat), maxMsat: msat(ln.send.maxSat) },
        receive: { minMsat: msat(ln.receive.minSat), maxMsat: msat(ln.receive.maxSat) },
        onchainSend: { minMsat: msat(chain.send.minSat), maxMsat: msat(chain.send.maxSat) },
        onchainReceive: { minMsat: msat(chain.receive.minSat), maxMsat: msat(chain.receive.maxSat) },
      };
    });
  }

  async function send(s: BreezSdk, prepared: PreparedPayment): Promise<LightningPayment> {
    const o = prepared.opaque as Opaque;
    const { payment } =
      o.kind === 'onchain'
        ? await s.payOnchain({ address: o.address, prepareResponse: o.response })
        : await s.sendPayment({
            prepareResponse: o.response,
            ...(o.payerNote ? { payerNote: o.payerNote } : {}),
          });
    const mapped = toLightningPayment(payment, nowSec());
    if (!mapped) throw new LightningError('provider-error', 'Breez answered without a payment.');
    return mapped;
  }

  return {
    kind: 'breez',

    connect() {
      if (sdk) return call(infoOf);
      connecting ??= start().finally(() => {
        connecting = null;
      });
      return connecting;
    },

    async disconnect() {
      const s = sdk;
      sdk = null;
      synced = false;
      quotes.clear();
      if (!s) return;
      try {
        if (listenerId) await s.removeEventListener(listenerId);
        await s.disconnect();
      } catch (err) {
        deps.log.warn('breez did not stop cleanly', { kind: toLightningError(err).kind });
      }
      listenerId = null;
      emit({ type: 'connection', state: 'disconnected', error: null });
    },

    info: () => call(infoOf),

    balance: () =>
      call(async (s): Promise<ProviderBalance> => {
        const { walletInfo } = await s.getInfo();
        return {
          spendableMsat: msat(walletInfo.balanceSat),
          // What can come in depends on the swapper's limits, not on channels: see limits().
          receivableMsat: null,
          pendingSendMsat: msat(walletInfo.pendingSendSat),
          pendingReceiveMsat: msat(walletInfo.pendingReceiveSat),
          // Breez holds L-BTC on Liquid; it keeps no on-chain bitcoin of its own.
          onchainSats: null,
        };
      }),

    limits: async () => {
      try {
        lastLimits = await fetchLimits();
      } catch (err) {
        if (!(err instanceof LightningError && err.kind === 'unreachable' && lastLimits)) throw err;
      }
      return lastLimits as PaymentLimits;
    },

    /**
     * Breez quotes a swap's fee as a price (prepare), not a routing budget: the user sees it
     * before confirming, and the send uses exactly that quote. `maxFeeMsat` cannot cap it.
     */
    preparePayment: (request: PayRequest) =>
      call(async (s): Promise<PreparedPayment> => {
        const t = request.target;
        if (t.kind === 'onchain') {
          const response = await s.preparePayOnchain({
            amount: { type: 'bitcoin', receiverAmountSat: t.amountSats },
          });
          return {
            target: t,
            amountMsat: msat(response.receiverAmountSat),
            feeMsat: msat(response.totalFeesSat),
            feeIsLimit: false,
            paymentHash: null,
            expiresAt: null,
            opaque: { kind: 'onchain', address: t.address, response } satisfies Opaque,
          };
        }
        const destination = t.kind === 'bolt11' ? t.invoice : t.offer;
        const fixed = t.amountMsat;
        const amountMsat = fixed ?? request.amountMsat;
        if (amountMsat === undefined) throw new LightningError('invoice-invalid', 'Choose an amount to pay.');
        const response = await s.prepareSendPayment({
          destination,
          ...(fixed === null || t.kind === 'bolt12'
            ? { amount: { type: 'bitcoin', receiverAmountSat: wholeSats(amountMsat) } }
            : {}),
        });
        return {
          target: t,
          amountMsat,
          feeMsat: msat(response.feesSat ?? 0),
          feeIsLimit: false,
          paymentHash: t.kind === 'bolt11' ? t.paymentHash : null,
          expiresAt: t.kind === 'bolt11' ? decodeBolt11(t.invoice).expiresAt : null,
          opaque: {
            kind: 'send',
            response,
            payerNote: request.comment && t.kind === 'bolt12' ? request.comment : null,
          } satisfies Opaque,
        };
      }),

    sendPayment: (prepared) =>
      call(async (s): Promise<LightningPayment> => {
        sending++;
        try {
          return await send(s, prepared);
        } finally {
          sending--;
          releaseHeld();
        }
      }),

    createInvoice: (request) =>
      call(async (s): Promise<CreatedInvoice> => {
        let useDescriptionHash = false;
        if (request.descriptionHash !== undefined) {
          // Breez hashes the description itself: it can commit only to the hash of the text given.
          const own = createHash('sha256').update(request.description, 'utf8').digest('hex');
          if (own !== request.descriptionHash)
            throw new LightningError(
              'not-supported',
              'Breez commits only to the hash of the description it gets.',
            );
          useDescriptionHash = true;
        }
        const amount: ReceiveAmount | undefined =
          request.amountMsat !== undefined
            ? { type: 'bitcoin', payerAmountSat: wholeSats(request.amountMsat) }
            : undefined;
        const prepareResponse = await s.prepareReceivePayment({
          paymentMethod: 'bolt11Invoice',
          ...(amount ? { amount } : {}),
        });
        const { destination } = await s.receivePayment({
          prepareResponse,
          description: request.description,
          ...(useDescriptionHash ? { useDescriptionHash } : {}),
        });
        const invoice = decodeBolt11(destination);
        return {
          bolt11: invoice.paymentRequest,
          paymentHash: invoice.paymentHash,
          amountMsat: invoice.amountMsat,
          expiresAt: invoice.expiresAt,
          feeMsat: msat(prepareResponse.feesSat),
        };
      }),

    lookupPayment: (paymentHash) =>
      call(async () => {
        const found = await findPayment(paymentHash.toLowerCase());
        return found ? toLightningPayment(found, nowSec()) : null;
      }),

    async lookupByDestination(destination, sinceSec) {
      // Only swaps to a Bitcoin address are found by destination; anything else (an offer's
      // issuer, say): cannot tell, and the service must not take "not found" for "never sent".
      if (!isValidAddress(destination, deps.network)) return undefined;
      return call(async (s) => {
        const sent = await s.listPayments({ filters: ['send'], fromTimestamp: Math.max(0, sinceSec) });
        const match = sent.find(
          (p) => p.details.type === 'bitcoin' && p.details.bitcoinAddress === destination,
        );
        return match ? toLightningPayment(match, nowSec()) : null;
      });
    },

    listPayments: ({ limit, offset }) =>
      call(async (s) => {
        const list = await s.listPayments({ limit, offset });
        return list
          .map((p) => toLightningPayment(p, nowSec()))
          .filter((p): p is LightningPayment => p !== null);
      }),

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    receiveOnchain: (amountSats) =>
      call(async (s): Promise<OnchainReceive> => {
        const prepareResponse = await s.prepareReceivePayment({
          paymentMethod: 'bitcoinAddress',
          ...(amountSats !== undefined ? { amount: { type: 'bitcoin', payerAmountSat: amountSats } } : {}),
        });
        const limits = await s.fetchOnchainLimits();
        const { destination } = await s.receivePayment({ prepareResponse });
        // The SDK answers with the swapper's BIP21 link (its amount printed as a float, "0" when
        // none was asked): keep the address, checked for our network, and write our own link.
        const address = destination.replace(/^bitcoin:/i, '').split('?')[0] ?? '';
        if (!isValidAddress(address, deps.network))
          throw new LightningError('provider-error', 'Breez gave no usable Bitcoin address.');
        return {
          address,
          bip21: buildBitcoinUri({ address, ...(amountSats !== undefined ? { amountSats } : {}) }),
          feeMsat: msat(prepareResponse.feesSat),
          feeRatePercent: prepareResponse.swapperFeerate ?? null,
          limits: {
            minMsat: msat(prepareResponse.minPayerAmountSat ?? limits.receive.minSat),
            maxMsat: msat(prepareResponse.maxPayerAmountSat ?? limits.receive.maxSat),
          },
        };
      }),

    listRefundables: () =>
      call(async (s): Promise<RefundableSwap[]> =>
        (await s.listRefundables()).map((r) => ({
          swapAddress: r.swapAddress,
          amountSats: r.amountSat,
          createdAt: r.timestamp,
          lastRefundTxid: r.lastRefundTxId ?? null,
        })),
      ),

    prepareRefund: (swapAddress, toAddress, feeRateSatPerVb) =>
      call(async (s) => {
        const r = await s.prepareRefund({
          swapAddress,
          refundAddress: toAddress,
          feeRateSatPerVbyte: feeRateSatPerVb,
        });
        return { feeSats: r.txFeeSat, txVsize: r.txVsize };
      }),

    refund: (swapAddress, toAddress, feeRateSatPerVb) =>
      call(async (s) => {
        const r = await s.refund({
          swapAddress,
          refundAddress: toAddress,
          feeRateSatPerVbyte: feeRateSatPerVb,
        });
        return { txid: r.refundTxId };
      }),

    feeQuote: (paymentHash) =>
      call(async (s) => {
        const payment = await findPayment(paymentHash);
        const swapId = payment ? swapIdOf(payment.details) : null;
        if (!payment || !swapId) throw new LightningError('invoice-invalid', 'No swap waits for a fee here.');
        const quote = await s.fetchPaymentProposedFees({ swapId });
        quotes.set(paymentHash, quote);
        return { feeMsat: msat(quote.feesSat), amountMsat: msat(quote.receiverAmountSat) };
      }),

    acceptFee: (paymentHash) =>
      call(async (s) => {
        const quote = quotes.get(paymentHash);
        if (!quote) throw new LightningError('expired', 'Look at the new fee before accepting it.');
        await s.acceptPaymentProposedFees({ response: quote });
        quotes.delete(paymentHash);
      }),
  };
}
