import { HDKey } from '@scure/bip32';
import { mnemonicToSeedSync } from '@scure/bip39';
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
import type { BreezBackend } from './sdk';

/**
 * A Breez SDK whose every call is answered by the local test stack's Breez stand-in, for
 * browser mode on regtest started with `--breez-stand-in URL` only (main/headless/args.ts
 * refuses it on any other network, and only loopback URLs). It exists so the real UI can be
 * driven through payment flows that the real SDK can only do with Breez's servers, on the one
 * fake Lightning network the other stand-ins share.
 *
 * The words never leave main: the stand-in is told the wallet's BIP32 fingerprint (what the
 * real SDK reports too), which is enough to give each wallet its own node on the ledger.
 */

const DEFAULTS: Omit<Config, 'network' | 'workingDir'> = {
  liquidExplorer: { type: 'esplora', url: 'stand-in', useWaterfalls: false },
  bitcoinExplorer: { type: 'esplora', url: 'stand-in', useWaterfalls: false },
  paymentTimeoutSec: 15,
  useDefaultExternalInputParsers: false,
  useMagicRoutingHints: false,
  onchainSyncPeriodSec: 10,
  onchainSyncRequestTimeoutSec: 7,
};

const POLL_MS = 20_000;

async function post<T>(base: string, route: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    // The same words the real SDK uses when its servers are out of reach.
    throw new Error(`Service connectivity: ${err instanceof Error ? err.message : 'error sending request'}`);
  }
  const payload = (await res.json().catch(() => null)) as { error?: unknown } | null;
  if (!res.ok) throw new Error(typeof payload?.error === 'string' ? payload.error : `HTTP ${res.status}`);
  return payload as T;
}

export function fingerprintOf(mnemonic: string, passphrase: string): string {
  const seed = mnemonicToSeedSync(mnemonic, passphrase);
  try {
    return HDKey.fromMasterSeed(seed).fingerprint.toString(16).padStart(8, '0');
  } finally {
    seed.fill(0);
  }
}

class RemoteBreezSdk implements BindingLiquidSdk {
  private readonly listeners = new Map<string, EventListener>();
  private polling = false;
  private stopped = false;
  private after = 0;
  private nextListener = 1;

  constructor(
    private readonly base: string,
    private readonly session: string,
  ) {}

  private call<T>(method: string, arg?: unknown): Promise<T> {
    if (this.stopped) return Promise.reject(new Error('Liquid SDK instance is not running'));
    return post<T>(this.base, '/lightning/breez/call', { session: this.session, method, arg: arg ?? null });
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    while (!this.stopped && this.listeners.size > 0) {
      try {
        const { events, next } = await post<{ events: SdkEvent[]; next: number }>(
          this.base,
          '/lightning/breez/events',
          {
            session: this.session,
            after: this.after,
            waitMs: POLL_MS,
          },
        );
        this.after = next;
        for (const e of events) for (const l of [...this.listeners.values()]) l.onEvent(e);
      } catch {
        // The stand-in is down (a fault under test): try again shortly, as the SDK's sync does.
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    this.polling = false;
  }

  free(): void {}
  async disconnect(): Promise<void> {
    await this.call('disconnect').catch(() => undefined);
    this.stopped = true;
    this.listeners.clear();
  }
  async addEventListener(listener: EventListener): Promise<string> {
    const id = `listener-${this.nextListener++}`;
    this.listeners.set(id, listener);
    void this.poll();
    return id;
  }
  async removeEventListener(id: string): Promise<void> {
    this.listeners.delete(id);
  }
  getInfo = (): Promise<GetInfoResponse> => this.call('getInfo');
  getPayment = (req: GetPaymentRequest): Promise<Payment | undefined> =>
    this.call<Payment | null>('getPayment', req).then((p) => p ?? undefined);
  listPayments = (req: ListPaymentsRequest): Promise<Payment[]> => this.call('listPayments', req);
  prepareSendPayment = (req: PrepareSendRequest): Promise<PrepareSendResponse> =>
    this.call('prepareSendPayment', req);
  sendPayment = (req: SendPaymentRequest): Promise<SendPaymentResponse> => this.call('sendPayment', req);
  prepareReceivePayment = (req: PrepareReceiveRequest): Promise<PrepareReceiveResponse> =>
    this.call('prepareReceivePayment', req);
  receivePayment = (req: ReceivePaymentRequest): Promise<ReceivePaymentResponse> =>
    this.call('receivePayment', req);
  preparePayOnchain = (req: PreparePayOnchainRequest): Promise<PreparePayOnchainResponse> =>
    this.call('preparePayOnchain', req);
  payOnchain = (req: PayOnchainRequest): Promise<SendPaymentResponse> => this.call('payOnchain', req);
  fetchLightningLimits = (): Promise<LightningPaymentLimitsResponse> => this.call('fetchLightningLimits');
  fetchOnchainLimits = (): Promise<OnchainPaymentLimitsResponse> => this.call('fetchOnchainLimits');
  listRefundables = (): Promise<RefundableSwap[]> => this.call('listRefundables');
  prepareRefund = (req: PrepareRefundRequest): Promise<PrepareRefundResponse> =>
    this.call('prepareRefund', req);
  refund = (req: RefundRequest): Promise<RefundResponse> => this.call('refund', req);
  rescanOnchainSwaps = (): Promise<void> => this.call('rescanOnchainSwaps');
  fetchPaymentProposedFees = (
    req: FetchPaymentProposedFeesRequest,
  ): Promise<FetchPaymentProposedFeesResponse> => this.call('fetchPaymentProposedFees', req);
  acceptPaymentProposedFees = (req: AcceptPaymentProposedFeesRequest): Promise<void> =>
    this.call('acceptPaymentProposedFees', req);
  sync = (): Promise<void> => this.call('sync');
  parse = (input: string): Promise<InputType> => this.call('parse', input);
  recommendedFees = (): Promise<RecommendedFees> => this.call('recommendedFees');
  createBolt12Invoice = (req: CreateBolt12InvoiceRequest): Promise<CreateBolt12InvoiceResponse> =>
    this.call('createBolt12Invoice', req);
  // Flash does LNURL, fiat and buying itself: the stand-in has no such parts.
  lnurlAuth = (_req: LnUrlAuthRequestData): Promise<LnUrlCallbackStatus> => this.unsupported('lnurlAuth');
  lnurlPay = (_req: LnUrlPayRequest): Promise<LnUrlPayResult> => this.unsupported('lnurlPay');
  lnurlWithdraw = (_req: LnUrlWithdrawRequest): Promise<LnUrlWithdrawResult> =>
    this.unsupported('lnurlWithdraw');
  prepareLnurlPay = (_req: PrepareLnUrlPayRequest): Promise<PrepareLnUrlPayResponse> =>
    this.unsupported('prepareLnurlPay');
  buyBitcoin = (_req: BuyBitcoinRequest): Promise<string> => this.unsupported('buyBitcoin');
  prepareBuyBitcoin = (_req: PrepareBuyBitcoinRequest): Promise<PrepareBuyBitcoinResponse> =>
    this.unsupported('prepareBuyBitcoin');
  fetchFiatRates = (): Promise<Rate[]> => this.unsupported('fetchFiatRates');
  listFiatCurrencies = (): Promise<FiatCurrency[]> => this.unsupported('listFiatCurrencies');
  registerWebhook = (_url: string): Promise<void> => this.unsupported('registerWebhook');
  unregisterWebhook = (): Promise<void> => this.unsupported('unregisterWebhook');
  signMessage(_req: SignMessageRequest): SignMessageResponse {
    throw new Error('Generic error: signMessage is not offered by the stand-in');
  }
  checkMessage(_req: CheckMessageRequest): CheckMessageResponse {
    throw new Error('Generic error: checkMessage is not offered by the stand-in');
  }
  backup(_req: BackupRequest): void {}
  restore(_req: RestoreRequest): void {}

  private unsupported<T>(what: string): Promise<T> {
    return Promise.reject(new Error(`Generic error: ${what} is not offered by the stand-in`));
  }
}

/** The Breez backend of `--breez-stand-in URL` (regtest browser mode only). */
export function createRemoteBackend(baseUrl: string): BreezBackend {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    endpoint: `Breez stand-in ${new URL(base).host}`,
    defaultConfig: (network: LiquidNetwork, apiKey: string | null) => ({
      ...DEFAULTS,
      network,
      workingDir: '.',
      ...(apiKey ? { breezApiKey: apiKey } : {}),
    }),
    async connect(request: ConnectRequest) {
      if (!request.mnemonic) throw new Error('Generic error: the stand-in needs the wallet words');
      const { session } = await post<{ session: string }>(base, '/lightning/breez/connect', {
        network: request.config.network,
        fingerprint: fingerprintOf(request.mnemonic, request.passphrase ?? ''),
      });
      return new RemoteBreezSdk(base, session);
    },
  };
}
