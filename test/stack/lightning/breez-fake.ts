import { createHash, randomBytes } from 'node:crypto';
import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
import * as bitcoin from 'bitcoinjs-lib';
import type {
  AcceptPaymentProposedFeesRequest,
  BackupRequest,
  BindingLiquidSdk,
  BuyBitcoinRequest,
  CheckMessageRequest,
  CheckMessageResponse,
  Config,
  ConnectRequest,
  CreateBolt12InvoiceRequest,
  CreateBolt12InvoiceResponse,
  EventListener,
  FetchPaymentProposedFeesRequest,
  FetchPaymentProposedFeesResponse,
  FiatCurrency,
  GetInfoResponse,
  GetPaymentRequest,
  InputType,
  LightningPaymentLimitsResponse,
  LiquidNetwork,
  ListPaymentsRequest,
  LNInvoice,
  LnUrlAuthRequestData,
  LnUrlCallbackStatus,
  LnUrlPayRequest,
  LnUrlPayResult,
  LnUrlWithdrawRequest,
  LnUrlWithdrawResult,
  OnchainPaymentLimitsResponse,
  PayOnchainRequest,
  Payment,
  PrepareBuyBitcoinRequest,
  PrepareBuyBitcoinResponse,
  PrepareLnUrlPayRequest,
  PrepareLnUrlPayResponse,
  PreparePayOnchainRequest,
  PreparePayOnchainResponse,
  PrepareReceiveRequest,
  PrepareReceiveResponse,
  PrepareRefundRequest,
  PrepareRefundResponse,
  PrepareSendRequest,
  PrepareSendResponse,
  Rate,
  ReceivePaymentRequest,
  ReceivePaymentResponse,
  RecommendedFees,
  RefundRequest,
  RefundResponse,
  RefundableSwap,
  RestoreRequest,
  SdkEvent,
  SendPaymentRequest,
  SendPaymentResponse,
  SignMessageRequest,
  SignMessageResponse,
} from '@breeztech/breez-sdk-liquid/node';
import type { Bolt11Invoice } from '../../../shared/lightning/bolt11';
import { decodeBolt11 } from '../../../shared/lightning/bolt11';
import { isValidAddress } from '../../../shared/bitcoin/address';
import type { LedgerEvent, LedgerFault, LightningLedger } from './ledger';
import { LedgerPayError } from './ledger';

/**
 * A stand-in for Breez SDK Liquid and the servers behind it (the Boltz swapper, Liquid and Bitcoin
 * explorers), typed against the SDK's own .d.ts: `FakeBreezSdk implements BindingLiquidSdk`, so
 * an SDK release that changes a method or a type breaks this file at compile time.
 *
 * What it follows is the SDK's public behaviour (its docs and lib/core/src/sdk.rs): Lightning
 * payments are swaps run by a swapper whose node is on the shared Lightning ledger (invoices to
 * receive are the swapper's, as Boltz's are); payments to and from a Bitcoin address are chain
 * swaps; fees are quoted at prepare; `sendPayment` returns once the payment completed or when
 * the payment timeout passes with the payment still pending; a swap that fails refunds itself
 * (refundPending, then failed) minus its lockup fee; a chain swap whose deposit is out of limits
 * becomes refundable, one whose amount differs from the quote waits for fee acceptance. Events
 * come in the SDK's order (pending, waiting confirmation, succeeded; refundPending, refunded).
 * Errors carry the SDK's messages (lib/core/src/error.rs), which is what clients read.
 *
 * Fees and limits are the stand-in's own round numbers (Breez's change with the swapper's), and
 * BOLT12 offers are not issued or paid here: the ledger has no BOLT12.
 */

export type BreezFault =
  /** Breez's servers out of reach: what needs them fails, local reads still answer (as offline). */
  | 'down'
  /** The swapper cannot route Lightning payments. */
  | 'no-route'
  /** The swapper's Lightning payment stays in flight, then fails; the swap refunds itself. */
  | 'stuck-then-fail'
  /** The swapper's payment stays in flight until the invoice expires, then fails. */
  | 'expire-mid-pay'
  | 'none';
export const BREEZ_FAULTS: readonly BreezFault[] = [
  'none',
  'down',
  'no-route',
  'stuck-then-fail',
  'expire-mid-pay',
];

export interface SwapFees {
  /** Reverse swap (receive over Lightning): percent of the amount, plus the claim transaction. */
  receivePercent: number;
  receiveClaimSat: number;
  /** Submarine swap (pay over Lightning): percent, plus the lockup transaction (lost on a refund). */
  sendPercent: number;
  sendLockupSat: number;
  /** Chain swaps (Bitcoin address <-> Lightning balance): percent plus claim and lockup. */
  chainPercent: number;
  chainClaimSat: number;
  chainLockupSat: number;
  /** vsize of a refund transaction. */
  refundVsize: number;
}

export const DEFAULT_SWAP_FEES: SwapFees = {
  receivePercent: 0.25,
  receiveClaimSat: 26,
  sendPercent: 0.1,
  sendLockupSat: 21,
  chainPercent: 0.1,
  chainClaimSat: 300,
  chainLockupSat: 21,
  refundVsize: 140,
};

export interface SwapLimits {
  lightning: { minSat: number; maxSat: number };
  chain: { minSat: number; maxSat: number };
  maxZeroConfSat: number;
}

export const DEFAULT_SWAP_LIMITS: SwapLimits = {
  lightning: { minSat: 100, maxSat: 25_000_000 },
  chain: { minSat: 25_000, maxSat: 25_000_000 },
  maxZeroConfSat: 1_000_000,
};

/** The ledger node that stands for the swapper (Boltz): it issues receive invoices and pays sends. */
export const SWAPPER_NODE = 'breez-swapper';
const SWAPPER_FUNDS_MSAT = 10_000_000_000n;

export interface BreezStandInOptions {
  ledger: LightningLedger;
  /** Pays a Bitcoin address on the stack's chain (swaps out, refunds); absent: a made-up txid. */
  sendOnchain?: (address: string, sats: number) => { txid: string };
  bitcoinTip?: () => number;
  fees?: Partial<SwapFees>;
  limits?: SwapLimits;
  /** Delay between a swap's steps (lockup seen, claim broadcast, confirmed). */
  stepMs?: number;
  /** Overrides the config's paymentTimeoutSec (tests keep waits short). */
  paymentTimeoutMs?: number;
  now?: () => number;
}

interface ChainReceive {
  swapId: string;
  fingerprint: string;
  address: string;
  payerAmountSat: number | null;
  feesSat: number;
  createdAt: number;
  /** Set once a deposit arrived. */
  depositSat: number | null;
  proposedFeesSat: number | null;
}

interface InvoiceSwap {
  swapId: string;
  fingerprint: string;
  feesSat: number | null;
  description: string;
}

interface WalletState {
  fingerprint: string;
  pubkey: string;
  balanceSat: number;
  payments: Map<string, Payment>;
  refundables: Map<string, RefundableSwap & { swapId: string }>;
  listeners: Set<(e: SdkEvent) => void>;
}

const SDK_DOWN = 'Generic error: Could not contact servers: "error sending request"';

const ceilPercent = (amount: number, percent: number): number => Math.ceil((amount * percent) / 100);

function randomSwapId(): string {
  return randomBytes(9).toString('base64url');
}

function randomRegtestAddress(): string {
  const hash = randomBytes(20);
  const out = bitcoin.payments.p2wpkh({ hash, network: bitcoin.networks.regtest }).address;
  if (!out) throw new Error('no address');
  return out;
}

function formatBtc(sats: number): string {
  return (sats / 100_000_000).toString();
}

/** BIP32 fingerprint of the words, as the SDK reports it in walletInfo.fingerprint. */
export function walletFingerprint(mnemonic: string, passphrase = ''): string {
  return HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic, passphrase))
    .fingerprint.toString(16)
    .padStart(8, '0');
}

function lnInvoiceOf(inv: Bolt11Invoice): LNInvoice {
  return {
    bolt11: inv.paymentRequest,
    network: 'regtest',
    payeePubkey: inv.payeeNodeKey,
    paymentHash: inv.paymentHash,
    ...(inv.description !== null ? { description: inv.description } : {}),
    ...(inv.descriptionHash !== null ? { descriptionHash: inv.descriptionHash } : {}),
    ...(inv.amountMsat !== null ? { amountMsat: Number(inv.amountMsat) } : {}),
    timestamp: inv.timestamp,
    expiry: inv.expirySeconds,
    routingHints: [],
    paymentSecret: [...Buffer.from(inv.paymentSecret, 'hex')],
    minFinalCltvExpiryDelta: inv.minFinalCltvExpiry,
  };
}

/** The swapper, explorers and sync service of the stand-in: one per ledger, shared by wallets. */
export class BreezStandIn {
  readonly ledger: LightningLedger;
  readonly fees: SwapFees;
  readonly limits: SwapLimits;
  private fault: BreezFault = 'none';
  private readonly stepMs: number;
  private readonly now: () => number;
  private readonly wallets = new Map<string, WalletState>();
  private readonly invoiceSwaps = new Map<string, InvoiceSwap>();
  private readonly chainReceives = new Map<string, ChainReceive>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stopLedger: () => void;

  constructor(readonly opts: BreezStandInOptions) {
    this.ledger = opts.ledger;
    this.fees = { ...DEFAULT_SWAP_FEES, ...(opts.fees ?? {}) };
    this.limits = opts.limits ?? DEFAULT_SWAP_LIMITS;
    this.stepMs = opts.stepMs ?? 50;
    this.now = opts.now ?? Date.now;
    if (!this.ledger.hasNode(SWAPPER_NODE))
      this.ledger.createNode(SWAPPER_NODE, {
        alias: 'Breez swapper (stand-in)',
        balanceMsat: SWAPPER_FUNDS_MSAT,
      });
    this.stopLedger = this.ledger.subscribe(SWAPPER_NODE, (e) => this.onLedger(e));
  }

  nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  setFault(fault: BreezFault): void {
    this.fault = fault;
    const ledgerFault: LedgerFault =
      fault === 'no-route' || fault === 'stuck-then-fail' || fault === 'expire-mid-pay' ? fault : 'none';
    this.ledger.setFault(SWAPPER_NODE, ledgerFault);
  }

  currentFault(): BreezFault {
    return this.fault;
  }

  /** The SDK's connect: offline-capable, as the real one (its data is local). */
  connect(request: ConnectRequest): FakeBreezSdk {
    if (!request.mnemonic) throw new Error('Generic error: a mnemonic is required');
    return this.connectFingerprint(
      request.config,
      walletFingerprint(request.mnemonic, request.passphrase ?? ''),
    );
  }

  connectFingerprint(config: Config, fingerprint: string): FakeBreezSdk {
    if (config.network !== 'regtest') throw new Error(`Network ${config.network} is not currently supported`);
    if (!/^[0-9a-f]{8}$/.test(fingerprint)) throw new Error('Generic error: bad fingerprint');
    let wallet = this.wallets.get(fingerprint);
    if (!wallet) {
      wallet = {
        fingerprint,
        pubkey: '02' + createHash('sha256').update(`breez stand-in ${fingerprint}`).digest('hex'),
        balanceSat: 0,
        payments: new Map(),
        refundables: new Map(),
        listeners: new Set(),
      };
      this.wallets.set(fingerprint, wallet);
    }
    const timeoutMs = this.opts.paymentTimeoutMs ?? config.paymentTimeoutSec * 1000;
    return new FakeBreezSdk(this, wallet, timeoutMs);
  }

  walletOf(fingerprint: string): WalletState | null {
    return this.wallets.get(fingerprint) ?? null;
  }

  listWallets(): { fingerprint: string; balanceSat: number; payments: number; refundables: number }[] {
    return [...this.wallets.values()].map((w) => ({
      fingerprint: w.fingerprint,
      balanceSat: w.balanceSat,
      payments: w.payments.size,
      refundables: w.refundables.size,
    }));
  }

  /** Addresses of chain receives still waiting for their deposit. */
  openSwapAddresses(): string[] {
    return [...this.chainReceives.values()].filter((c) => c.depositSat === null).map((c) => c.address);
  }

  close(): void {
    this.stopLedger();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // ---- used by FakeBreezSdk -------------------------------------------------------------------

  needServers(): void {
    if (this.fault === 'down') throw new Error(SDK_DOWN);
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  step(fn: () => void, times = 1): void {
    this.later(this.stepMs * times, fn);
  }

  update(wallet: WalletState, key: string, payment: Payment, event: SdkEvent['type']): void {
    wallet.payments.set(key, payment);
    const e = { type: event, details: { ...payment, details: { ...payment.details } } } as SdkEvent;
    for (const l of [...wallet.listeners]) {
      try {
        l(e);
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  /** The SDK's Synced, which it sends after each sync round (and so after a swap settled). */
  emitSynced(wallet: WalletState): void {
    for (const l of [...wallet.listeners]) l({ type: 'synced' });
  }

  registerInvoice(paymentHash: string, swap: InvoiceSwap): void {
    this.invoiceSwaps.set(paymentHash, swap);
  }

  registerChainReceive(c: ChainReceive): void {
    this.chainReceives.set(c.address, c);
  }

  chainReceiveBySwapId(swapId: string): ChainReceive | null {
    return [...this.chainReceives.values()].find((c) => c.swapId === swapId) ?? null;
  }

  sendOnchain(address: string, sats: number): string {
    return this.opts.sendOnchain
      ? this.opts.sendOnchain(address, sats).txid
      : randomBytes(32).toString('hex');
  }

  /**
   * A payer's coins reach a chain swap's address (what the swapper's chain watcher sees). Out of
   * limits: refundable. An amount other than the quoted one, or `feesChanged`: the swap waits
   * for the user to accept the new fee. Otherwise it completes.
   */
  deposit(
    address: string,
    sats: number,
    opts: { feesChanged?: boolean } = {},
  ): { swapId: string; status: string } {
    const c = this.chainReceives.get(address);
    if (!c) throw new Error(`no swap waits at ${address}`);
    if (c.depositSat !== null) throw new Error('this swap address was paid already');
    const wallet = this.wallets.get(c.fingerprint);
    if (!wallet) throw new Error('no wallet for this swap');
    c.depositSat = sats;
    const base = (status: Payment['status'], amountSat: number, feesSat: number): Payment => ({
      timestamp: this.nowSec(),
      amountSat,
      feesSat,
      paymentType: 'receive',
      status,
      destination: address,
      details: {
        type: 'bitcoin',
        swapId: c.swapId,
        bitcoinAddress: address,
        description: 'Bitcoin transfer',
        autoAcceptedFees: false,
        liquidExpirationBlockheight: 1_000,
        bitcoinExpirationBlockheight: 1_000,
        lockupTxId: randomBytes(32).toString('hex'),
      },
    });
    if (sats < this.limits.chain.minSat || sats > this.limits.chain.maxSat) {
      wallet.refundables.set(address, {
        swapAddress: address,
        timestamp: this.nowSec(),
        amountSat: sats,
        swapId: c.swapId,
      });
      this.update(wallet, c.swapId, base('refundable', sats, 0), 'paymentRefundable');
      return { swapId: c.swapId, status: 'refundable' };
    }
    const fee = ceilPercent(sats, this.fees.chainPercent) + this.fees.chainClaimSat;
    if (opts.feesChanged || (c.payerAmountSat !== null && c.payerAmountSat !== sats)) {
      c.proposedFeesSat = fee + (opts.feesChanged ? this.fees.chainClaimSat : 0);
      this.update(
        wallet,
        c.swapId,
        base('waitingFeeAcceptance', sats - c.proposedFeesSat, c.proposedFeesSat),
        'paymentWaitingFeeAcceptance',
      );
      return { swapId: c.swapId, status: 'waitingFeeAcceptance' };
    }
    this.completeChainReceive(wallet, c, sats, c.payerAmountSat === null ? fee : c.feesSat);
    return { swapId: c.swapId, status: 'pending' };
  }

  completeChainReceive(wallet: WalletState, c: ChainReceive, sats: number, feesSat: number): void {
    const existing = wallet.payments.get(c.swapId);
    const pending: Payment = {
      timestamp: existing?.timestamp ?? this.nowSec(),
      amountSat: sats - feesSat,
      feesSat,
      paymentType: 'receive',
      status: 'pending',
      destination: c.address,
      details: {
        type: 'bitcoin',
        swapId: c.swapId,
        bitcoinAddress: c.address,
        description: 'Bitcoin transfer',
        autoAcceptedFees: c.payerAmountSat === null,
        liquidExpirationBlockheight: 1_000,
        bitcoinExpirationBlockheight: 1_000,
        lockupTxId: randomBytes(32).toString('hex'),
      },
    };
    this.update(wallet, c.swapId, pending, 'paymentPending');
    this.step(() => {
      const claimed: Payment = {
        ...pending,
        details: { ...pending.details, claimTxId: randomBytes(32).toString('hex') } as Payment['details'],
      };
      this.update(wallet, c.swapId, claimed, 'paymentWaitingConfirmation');
      this.step(() => {
        wallet.balanceSat += sats - feesSat;
        this.update(wallet, c.swapId, { ...claimed, status: 'complete' }, 'paymentSucceeded');
        this.emitSynced(wallet);
      });
    });
  }

  /** The swapper's node was paid: the receive swap's lockup, then the wallet's claim. */
  private onLedger(e: LedgerEvent): void {
    if (e.type !== 'invoice-settled') return;
    const swap = this.invoiceSwaps.get(e.invoice.paymentHash);
    if (!swap) return;
    this.invoiceSwaps.delete(e.invoice.paymentHash);
    const wallet = this.wallets.get(swap.fingerprint);
    if (!wallet) return;
    const paidSat = Number(e.invoice.amountPaidMsat / 1000n);
    const feesSat =
      swap.feesSat ?? ceilPercent(paidSat, this.fees.receivePercent) + this.fees.receiveClaimSat;
    const details = {
      type: 'lightning' as const,
      swapId: swap.swapId,
      description: swap.description,
      liquidExpirationBlockheight: 1_000,
      invoice: e.invoice.bolt11,
      paymentHash: e.invoice.paymentHash,
      destinationPubkey: this.ledger.node(SWAPPER_NODE).pubkey,
      preimage: e.invoice.preimage,
    };
    const pending: Payment = {
      timestamp: this.nowSec(),
      amountSat: paidSat - feesSat,
      feesSat,
      swapperFeesSat: feesSat - this.fees.receiveClaimSat,
      paymentType: 'receive',
      status: 'pending',
      details,
    };
    this.update(wallet, swap.swapId, pending, 'paymentPending');
    this.step(() => {
      const claimed: Payment = {
        ...pending,
        details: { ...details, claimTxId: randomBytes(32).toString('hex') },
      };
      this.update(wallet, swap.swapId, claimed, 'paymentWaitingConfirmation');
      this.step(() => {
        wallet.balanceSat += paidSat - feesSat;
        this.update(wallet, swap.swapId, { ...claimed, status: 'complete' }, 'paymentSucceeded');
        this.emitSynced(wallet);
      });
    });
  }
}

/** One connected SDK instance on one wallet of the stand-in. */
export class FakeBreezSdk implements BindingLiquidSdk {
  private running = true;
  private nextListener = 1;
  private readonly ownListeners = new Map<string, (e: SdkEvent) => void>();

  constructor(
    private readonly standIn: BreezStandIn,
    private readonly wallet: WalletState,
    private readonly paymentTimeoutMs: number,
  ) {}

  private alive(): void {
    if (!this.running) throw new Error('Liquid SDK instance is not running');
  }

  private online(): void {
    this.alive();
    this.standIn.needServers();
  }

  private checkLightningAmount(sats: number): void {
    const { minSat, maxSat } = this.standIn.limits.lightning;
    if (sats < minSat || sats > maxSat) throw new Error(`Amount must be between ${minSat} and ${maxSat}`);
  }

  private checkChainAmount(sats: number): void {
    const { minSat, maxSat } = this.standIn.limits.chain;
    if (sats < minSat || sats > maxSat) throw new Error(`Amount must be between ${minSat} and ${maxSat}`);
  }

  private checkAddress(address: string): void {
    if (!isValidAddress(address, 'regtest'))
      throw new Error(`Invalid network: ${address} is not a regtest address`);
  }

  private decode(destination: string): Bolt11Invoice {
    let inv: Bolt11Invoice;
    try {
      inv = decodeBolt11(destination.replace(/^lightning:/i, ''));
    } catch {
      throw new Error('Generic error: Destination is not valid');
    }
    if (inv.network !== 'regtest') throw new Error(`Invalid network: invoice is for ${inv.network}`);
    return inv;
  }

  private pending(type: Payment['paymentType']): number {
    let sum = 0;
    for (const p of this.wallet.payments.values())
      if (p.paymentType === type && (p.status === 'pending' || p.status === 'refundPending'))
        sum += p.amountSat + (type === 'send' ? p.feesSat : 0);
    return sum;
  }

  private findByHash(hash: string): Payment | undefined {
    for (const p of this.wallet.payments.values())
      if (p.details.type === 'lightning' && p.details.paymentHash === hash) return p;
    return undefined;
  }

  free(): void {}

  async disconnect(): Promise<void> {
    this.alive();
    this.running = false;
    for (const l of this.ownListeners.values()) this.wallet.listeners.delete(l);
    this.ownListeners.clear();
  }

  async addEventListener(listener: EventListener): Promise<string> {
    this.alive();
    const id = `fake-listener-${this.nextListener++}`;
    const fn = (e: SdkEvent) => listener.onEvent(e);
    this.ownListeners.set(id, fn);
    this.wallet.listeners.add(fn);
    // The SDK syncs on start and says so.
    if (this.standIn.currentFault() !== 'down')
      this.standIn.later(10, () => this.running && this.standIn.emitSynced(this.wallet));
    return id;
  }

  async removeEventListener(id: string): Promise<void> {
    const fn = this.ownListeners.get(id);
    if (fn) this.wallet.listeners.delete(fn);
    this.ownListeners.delete(id);
  }

  async getInfo(): Promise<GetInfoResponse> {
    this.alive();
    return {
      walletInfo: {
        balanceSat: this.wallet.balanceSat,
        pendingSendSat: this.pending('send'),
        pendingReceiveSat: this.pending('receive'),
        fingerprint: this.wallet.fingerprint,
        pubkey: this.wallet.pubkey,
        assetBalances: [],
      },
      blockchainInfo: { liquidTip: 1_000, bitcoinTip: this.standIn.opts.bitcoinTip?.() ?? 0 },
    };
  }

  async getPayment(req: GetPaymentRequest): Promise<Payment | undefined> {
    this.alive();
    if (req.type === 'paymentHash') return this.findByHash(req.paymentHash.toLowerCase());
    return this.wallet.payments.get(req.swapId);
  }

  async listPayments(req: ListPaymentsRequest): Promise<Payment[]> {
    this.alive();
    let list = [...this.wallet.payments.values()];
    if (req.filters) list = list.filter((p) => req.filters?.includes(p.paymentType));
    if (req.states) list = list.filter((p) => req.states?.includes(p.status));
    if (req.fromTimestamp !== undefined)
      list = list.filter((p) => p.timestamp >= (req.fromTimestamp as number));
    if (req.toTimestamp !== undefined) list = list.filter((p) => p.timestamp < (req.toTimestamp as number));
    const d = req.details;
    if (d?.type === 'bitcoin' && d.address !== undefined)
      list = list.filter((p) => p.details.type === 'bitcoin' && p.details.bitcoinAddress === d.address);
    list.sort((a, b) => (req.sortAscending ? a.timestamp - b.timestamp : b.timestamp - a.timestamp));
    const offset = req.offset ?? 0;
    return list.slice(offset, req.limit !== undefined ? offset + req.limit : undefined);
  }

  async fetchLightningLimits(): Promise<LightningPaymentLimitsResponse> {
    this.online();
    const l = this.standIn.limits;
    const limits = { ...l.lightning, maxZeroConfSat: l.maxZeroConfSat };
    return { send: limits, receive: limits };
  }

  async fetchOnchainLimits(): Promise<OnchainPaymentLimitsResponse> {
    this.online();
    const l = this.standIn.limits;
    const limits = { ...l.chain, maxZeroConfSat: l.maxZeroConfSat };
    return { send: limits, receive: limits };
  }

  async prepareSendPayment(req: PrepareSendRequest): Promise<PrepareSendResponse> {
    this.online();
    if (/^ln[o]1/i.test(req.destination))
      throw new Error('Generic error: BOLT12 offers are not paid by the stand-in');
    const inv = this.decode(req.destination);
    if (inv.expiresAt <= this.standIn.nowSec())
      throw new Error('The specified invoice is not valid: Invoice has expired');
    let amountSat: number;
    if (inv.amountMsat !== null) amountSat = Number((inv.amountMsat + 999n) / 1000n);
    else if (req.amount?.type === 'bitcoin') amountSat = req.amount.receiverAmountSat;
    else throw new Error('Amount is missing: the invoice has no amount and none was given');
    this.checkLightningAmount(amountSat);
    const f = this.standIn.fees;
    return {
      destination: { type: 'bolt11', invoice: lnInvoiceOf(inv) },
      ...(inv.amountMsat === null ? { amount: { type: 'bitcoin', receiverAmountSat: amountSat } } : {}),
      feesSat: ceilPercent(amountSat, f.sendPercent) + f.sendLockupSat,
    };
  }

  async sendPayment(req: SendPaymentRequest): Promise<SendPaymentResponse> {
    this.online();
    const p = req.prepareResponse;
    if (p.destination.type !== 'bolt11')
      throw new Error('Generic error: only invoices are paid by the stand-in');
    const inv = this.decode(p.destination.invoice.bolt11);
    const previous = this.findByHash(inv.paymentHash);
    if (previous?.status === 'complete') throw new Error('The specified funds have already been sent');
    if (previous && previous.status !== 'failed' && previous.status !== 'timedOut')
      throw new Error('The payment is already in progress');
    if (inv.expiresAt <= this.standIn.nowSec())
      throw new Error('The specified invoice is not valid: Invoice has expired');
    const amountSat =
      inv.amountMsat !== null
        ? Number((inv.amountMsat + 999n) / 1000n)
        : p.amount?.type === 'bitcoin'
          ? p.amount.receiverAmountSat
          : 0;
    const feesSat = p.feesSat ?? 0;
    if (this.wallet.balanceSat < amountSat + feesSat) throw new Error('Cannot pay: not enough funds');
    const swapId = randomSwapId();
    const w = this.wallet;
    const s = this.standIn;
    w.balanceSat -= amountSat + feesSat;
    const payment: Payment = {
      timestamp: s.nowSec(),
      amountSat,
      feesSat,
      paymentType: 'send',
      status: 'pending',
      destination: inv.paymentRequest,
      details: {
        type: 'lightning',
        swapId,
        description: inv.description ?? '',
        liquidExpirationBlockheight: 1_000,
        invoice: inv.paymentRequest,
        paymentHash: inv.paymentHash,
        destinationPubkey: inv.payeeNodeKey,
        ...(req.payerNote ? { payerNote: req.payerNote } : {}),
      },
    };
    s.update(w, swapId, payment, 'paymentPending');
    const done = new Promise<Payment>((resolve) => {
      const finish = (outcome: 'complete' | 'failed', preimage: string | null): void => {
        if (outcome === 'complete') {
          const paid: Payment = {
            ...payment,
            status: 'complete',
            details: { ...payment.details, ...(preimage ? { preimage } : {}) } as Payment['details'],
          };
          s.update(w, swapId, paid, 'paymentSucceeded');
          resolve(paid);
          return;
        }
        // The swapper could not pay: the lockup comes back (cooperative refund) minus its fee.
        const refundTxId = randomBytes(32).toString('hex');
        const refunding: Payment = {
          ...payment,
          status: 'refundPending',
          details: {
            ...payment.details,
            refundTxId,
            refundTxAmountSat: amountSat + feesSat - s.fees.sendLockupSat,
          } as Payment['details'],
        };
        s.update(w, swapId, refunding, 'paymentRefundPending');
        resolve(refunding);
        s.step(() => {
          w.balanceSat += amountSat + feesSat - s.fees.sendLockupSat;
          s.update(w, swapId, { ...refunding, status: 'failed' }, 'paymentFailed');
          s.emitSynced(w);
        });
      };
      let stop: (() => void) | null = null;
      stop = s.ledger.subscribe(SWAPPER_NODE, (e) => {
        if (e.type !== 'payment-updated' || e.payment.paymentHash !== inv.paymentHash) return;
        if (e.payment.state === 'in-flight') return;
        stop?.();
        finish(e.payment.state === 'succeeded' ? 'complete' : 'failed', e.payment.preimage);
      });
      try {
        s.ledger.startPayment(SWAPPER_NODE, inv.paymentRequest, {
          ...(inv.amountMsat === null ? { amountMsat: BigInt(amountSat) * 1000n } : {}),
        });
      } catch (err) {
        stop();
        if (!(err instanceof LedgerPayError)) throw err;
        s.step(() => finish('failed', null));
      }
    });
    // sdk.rs wait_for_payment_with_timeout: the payment once it completed, or as it stands at the timeout.
    const outcome = await Promise.race([
      done,
      new Promise<null>((r) => s.later(this.paymentTimeoutMs, () => r(null))),
    ]);
    return { payment: outcome ?? (w.payments.get(swapId) as Payment) };
  }

  async prepareReceivePayment(req: PrepareReceiveRequest): Promise<PrepareReceiveResponse> {
    this.online();
    const f = this.standIn.fees;
    const amount = req.amount?.type === 'bitcoin' ? req.amount.payerAmountSat : undefined;
    if (req.amount?.type === 'asset')
      throw new Error('Asset error: Cannot receive an asset for this payment method');
    if (req.paymentMethod === 'bitcoinAddress') {
      if (amount !== undefined) this.checkChainAmount(amount);
      const l = this.standIn.limits.chain;
      return {
        paymentMethod: 'bitcoinAddress',
        feesSat: (amount !== undefined ? ceilPercent(amount, f.chainPercent) : 0) + f.chainClaimSat,
        ...(req.amount ? { amount: req.amount } : {}),
        minPayerAmountSat: l.minSat,
        maxPayerAmountSat: l.maxSat,
        swapperFeerate: f.chainPercent,
      };
    }
    if (req.paymentMethod !== 'bolt11Invoice' && req.paymentMethod !== 'lightning')
      throw new Error(`Generic error: ${req.paymentMethod} is not offered by the stand-in`);
    if (amount !== undefined) this.checkLightningAmount(amount);
    const l = this.standIn.limits.lightning;
    return {
      paymentMethod: req.paymentMethod,
      feesSat: (amount !== undefined ? ceilPercent(amount, f.receivePercent) : 0) + f.receiveClaimSat,
      ...(req.amount ? { amount: req.amount } : {}),
      minPayerAmountSat: l.minSat,
      maxPayerAmountSat: l.maxSat,
      swapperFeerate: f.receivePercent,
    };
  }

  async receivePayment(req: ReceivePaymentRequest): Promise<ReceivePaymentResponse> {
    this.online();
    const p = req.prepareResponse;
    const amount = p.amount?.type === 'bitcoin' ? p.amount.payerAmountSat : undefined;
    const swapId = randomSwapId();
    if (p.paymentMethod === 'bitcoinAddress') {
      const address = randomRegtestAddress();
      this.standIn.registerChainReceive({
        swapId,
        fingerprint: this.wallet.fingerprint,
        address,
        payerAmountSat: amount ?? null,
        feesSat: p.feesSat,
        createdAt: this.standIn.nowSec(),
        depositSat: null,
        proposedFeesSat: null,
      });
      return {
        destination: `bitcoin:${address}?amount=${formatBtc(amount ?? 0)}&label=Send%20to%20L-BTC%20address`,
        liquidExpirationBlockheight: 1_000,
        bitcoinExpirationBlockheight: 1_000,
      };
    }
    const description = req.description ?? '';
    const invoice = this.standIn.ledger.createInvoice(SWAPPER_NODE, {
      ...(amount !== undefined ? { amountMsat: BigInt(amount) * 1000n } : {}),
      ...(req.useDescriptionHash
        ? { descriptionHash: createHash('sha256').update(description, 'utf8').digest('hex') }
        : { description }),
      expirySeconds: 3600,
      includePayeeKey: true,
    });
    this.standIn.registerInvoice(invoice.paymentHash, {
      swapId,
      fingerprint: this.wallet.fingerprint,
      feesSat: amount !== undefined ? p.feesSat : null,
      description,
    });
    return { destination: invoice.bolt11, liquidExpirationBlockheight: 1_000 };
  }

  async preparePayOnchain(req: PreparePayOnchainRequest): Promise<PreparePayOnchainResponse> {
    this.online();
    if (req.amount.type !== 'bitcoin')
      throw new Error('Generic error: the stand-in pays bitcoin amounts only');
    const receiver = req.amount.receiverAmountSat;
    this.checkChainAmount(receiver);
    const f = this.standIn.fees;
    const claimFeesSat = f.chainClaimSat;
    const server = ceilPercent(receiver + claimFeesSat, f.chainPercent);
    return {
      receiverAmountSat: receiver,
      claimFeesSat,
      totalFeesSat: server + claimFeesSat + f.chainLockupSat,
    };
  }

  async payOnchain(req: PayOnchainRequest): Promise<SendPaymentResponse> {
    this.online();
    this.checkAddress(req.address);
    const { receiverAmountSat, totalFeesSat } = req.prepareResponse;
    if (this.wallet.balanceSat < receiverAmountSat + totalFeesSat)
      throw new Error('Cannot pay: not enough funds');
    const s = this.standIn;
    const w = this.wallet;
    const swapId = randomSwapId();
    w.balanceSat -= receiverAmountSat + totalFeesSat;
    const payment: Payment = {
      timestamp: s.nowSec(),
      amountSat: receiverAmountSat,
      feesSat: totalFeesSat,
      paymentType: 'send',
      status: 'pending',
      destination: req.address,
      details: {
        type: 'bitcoin',
        swapId,
        bitcoinAddress: req.address,
        description: 'Bitcoin transfer',
        autoAcceptedFees: false,
        liquidExpirationBlockheight: 1_000,
        bitcoinExpirationBlockheight: 1_000,
        lockupTxId: randomBytes(32).toString('hex'),
      },
    };
    s.update(w, swapId, payment, 'paymentPending');
    // The swapper's side of the chain swap: real coins to the address on the stack's chain.
    const claimTxId = s.sendOnchain(req.address, receiverAmountSat);
    s.step(() => {
      const paid: Payment = {
        ...payment,
        status: 'complete',
        details: { ...payment.details, claimTxId } as Payment['details'],
      };
      s.update(w, swapId, paid, 'paymentSucceeded');
    });
    return { payment };
  }

  async listRefundables(): Promise<RefundableSwap[]> {
    this.alive();
    return [...this.wallet.refundables.values()].map(({ swapId: _swapId, ...r }) => r);
  }

  async prepareRefund(req: PrepareRefundRequest): Promise<PrepareRefundResponse> {
    this.online();
    const r = this.wallet.refundables.get(req.swapAddress);
    if (!r) throw new Error(`Generic error: no refundable swap at ${req.swapAddress}`);
    this.checkAddress(req.refundAddress);
    const txFeeSat = Math.ceil(this.standIn.fees.refundVsize * req.feeRateSatPerVbyte);
    if (txFeeSat >= r.amountSat) throw new Error('Generic error: the fee is more than the swap holds');
    return {
      txVsize: this.standIn.fees.refundVsize,
      txFeeSat,
      ...(r.lastRefundTxId ? { lastRefundTxId: r.lastRefundTxId } : {}),
    };
  }

  async refund(req: RefundRequest): Promise<RefundResponse> {
    const { txFeeSat } = await this.prepareRefund(req);
    const r = this.wallet.refundables.get(req.swapAddress) as RefundableSwap & { swapId: string };
    const s = this.standIn;
    const w = this.wallet;
    const refundTxId = s.sendOnchain(req.refundAddress, r.amountSat - txFeeSat);
    r.lastRefundTxId = refundTxId;
    const current = w.payments.get(r.swapId) as Payment;
    const refunding: Payment = {
      ...current,
      status: 'refundPending',
      details: {
        ...current.details,
        refundTxId,
        refundTxAmountSat: r.amountSat - txFeeSat,
      } as Payment['details'],
    };
    s.update(w, r.swapId, refunding, 'paymentRefundPending');
    s.step(() => {
      w.refundables.delete(req.swapAddress);
      s.update(w, r.swapId, { ...refunding, status: 'failed' }, 'paymentRefunded');
    });
    return { refundTxId };
  }

  async rescanOnchainSwaps(): Promise<void> {
    this.online();
  }

  async fetchPaymentProposedFees(
    req: FetchPaymentProposedFeesRequest,
  ): Promise<FetchPaymentProposedFeesResponse> {
    this.online();
    const c = this.standIn.chainReceiveBySwapId(req.swapId);
    const p = this.wallet.payments.get(req.swapId);
    if (
      !c ||
      !p ||
      p.status !== 'waitingFeeAcceptance' ||
      c.depositSat === null ||
      c.proposedFeesSat === null
    )
      throw new Error(`Generic error: swap ${req.swapId} is not waiting for fee acceptance`);
    return {
      swapId: req.swapId,
      feesSat: c.proposedFeesSat,
      payerAmountSat: c.depositSat,
      receiverAmountSat: c.depositSat - c.proposedFeesSat,
    };
  }

  async acceptPaymentProposedFees(req: AcceptPaymentProposedFeesRequest): Promise<void> {
    const current = await this.fetchPaymentProposedFees({ swapId: req.response.swapId });
    if (current.feesSat !== req.response.feesSat || current.payerAmountSat !== req.response.payerAmountSat)
      throw new Error('The provided fees have expired');
    const c = this.standIn.chainReceiveBySwapId(req.response.swapId) as ChainReceive;
    this.standIn.completeChainReceive(this.wallet, c, current.payerAmountSat, current.feesSat);
  }

  async sync(): Promise<void> {
    this.online();
    this.standIn.emitSynced(this.wallet);
  }

  async parse(input: string): Promise<InputType> {
    this.alive();
    const text = input.trim();
    if (isValidAddress(text, 'regtest'))
      return { type: 'bitcoinAddress', address: { address: text, network: 'regtest' } };
    try {
      return { type: 'bolt11', invoice: lnInvoiceOf(decodeBolt11(text.replace(/^lightning:/i, ''))) };
    } catch {
      throw new Error('Generic error: Unrecognized input type');
    }
  }

  async recommendedFees(): Promise<RecommendedFees> {
    this.online();
    return { fastestFee: 4, halfHourFee: 3, hourFee: 2, economyFee: 1, minimumFee: 1 };
  }

  // Not part of what Flash uses or the stand-in offers: they answer as a server that lacks them.
  async createBolt12Invoice(_req: CreateBolt12InvoiceRequest): Promise<CreateBolt12InvoiceResponse> {
    return this.unsupported('createBolt12Invoice');
  }
  async lnurlAuth(_req: LnUrlAuthRequestData): Promise<LnUrlCallbackStatus> {
    return this.unsupported('lnurlAuth');
  }
  async lnurlPay(_req: LnUrlPayRequest): Promise<LnUrlPayResult> {
    return this.unsupported('lnurlPay');
  }
  async lnurlWithdraw(_req: LnUrlWithdrawRequest): Promise<LnUrlWithdrawResult> {
    return this.unsupported('lnurlWithdraw');
  }
  async prepareLnurlPay(_req: PrepareLnUrlPayRequest): Promise<PrepareLnUrlPayResponse> {
    return this.unsupported('prepareLnurlPay');
  }
  async buyBitcoin(_req: BuyBitcoinRequest): Promise<string> {
    return this.unsupported('buyBitcoin');
  }
  async prepareBuyBitcoin(_req: PrepareBuyBitcoinRequest): Promise<PrepareBuyBitcoinResponse> {
    return this.unsupported('prepareBuyBitcoin');
  }
  async fetchFiatRates(): Promise<Rate[]> {
    return this.unsupported('fetchFiatRates');
  }
  async listFiatCurrencies(): Promise<FiatCurrency[]> {
    return this.unsupported('listFiatCurrencies');
  }
  async registerWebhook(_url: string): Promise<void> {
    return this.unsupported('registerWebhook');
  }
  async unregisterWebhook(): Promise<void> {
    return this.unsupported('unregisterWebhook');
  }
  signMessage(_req: SignMessageRequest): SignMessageResponse {
    throw new Error('Generic error: signMessage is not offered by the stand-in');
  }
  checkMessage(_req: CheckMessageRequest): CheckMessageResponse {
    throw new Error('Generic error: checkMessage is not offered by the stand-in');
  }
  backup(_req: BackupRequest): void {}
  restore(_req: RestoreRequest): void {}

  private async unsupported<T>(what: string): Promise<T> {
    this.alive();
    throw new Error(`Generic error: ${what} is not offered by the stand-in`);
  }
}

/** A BreezBackend (main/lightning/breez/sdk.ts) on the stand-in, for in-process tests. */
export function standInBackend(standIn: BreezStandIn) {
  return {
    endpoint: 'Breez stand-in',
    defaultConfig: (network: LiquidNetwork, apiKey: string | null): Config => ({
      liquidExplorer: { type: 'esplora', url: 'stand-in', useWaterfalls: false },
      bitcoinExplorer: { type: 'esplora', url: 'stand-in', useWaterfalls: false },
      workingDir: '.',
      network,
      paymentTimeoutSec: 15,
      useDefaultExternalInputParsers: false,
      useMagicRoutingHints: false,
      onchainSyncPeriodSec: 10,
      onchainSyncRequestTimeoutSec: 7,
      ...(apiKey ? { breezApiKey: apiKey } : {}),
    }),
    connect: async (request: ConnectRequest) => standIn.connect(request),
  };
}
