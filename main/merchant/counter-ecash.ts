import crypto from 'node:crypto';
import { PaymentRequest } from '@cashu/cashu-ts';
import type { EcashOperationView, EcashTokenView } from '../../shared/contract/ecash';
import type {
  ChargeInput,
  Counter,
  CounterEcashSettings,
  CounterEcashView,
  EcashRequest,
  EcashSale,
  EcashSaleState,
} from '../../shared/contract/merchant';
import { FlashError } from '../../shared/errors';
import { satsForAmount } from '../../shared/merchant/decimal';
import type { Logger } from '../core/logger';
import { prepareOrder } from './pos-order';
import type { createMerchantRepository } from './repository';

/**
 * eCash at the counter while BTCPay cannot be reached. The wallet's eCash service does the Cashu
 * work (offline DLEQ check, the journaled receive, claiming once the mint answers); this module
 * decides what the shop accepts (trusted mints, a most-per-sale, DLEQ required) and keeps the
 * counter's own record of each sale, which BTCPay never sees.
 */

/** The eCash service's public calls the counter uses. */
export interface CounterEcashPort {
  listMints(): { url: string; name: string | null; reachable: boolean }[];
  decodeToken(text: string): EcashTokenView;
  receive(text: string): Promise<EcashOperationView>;
  getOperation(id: string): EcashOperationView;
  listOperations(limit: number, offset: number): { items: EcashOperationView[] };
}

export interface CounterEcashDeps {
  repo: ReturnType<typeof createMerchantRepository>;
  ecash: CounterEcashPort | null;
  log: Logger;
  now: () => number;
  /** The counter as last read from BTCPay (items, currency, store rate); null before the first read. */
  lastCounter: () => Counter | null;
  onSale: (sale: EcashSale) => void;
}

const SETTINGS_KEY = 'counter_ecash';
const SALE_PREFIX = 'ecash_sale:';
const DEFAULT_SETTINGS: CounterEcashSettings = { trustedMints: [], maxSats: 50_000 };
/** A request is for the customer in front of the counter: it goes stale with the rate. */
const REQUEST_TTL_MS = 15 * 60_000;

interface PendingRequest extends EcashRequest {
  createdAt: number;
  note: string | null;
}

/** What is stored per sale; the state comes from the eCash journal when read. */
interface SaleRecord {
  id: string;
  createdAt: number;
  amount: string;
  currency: string;
  sats: number;
  receivedSats: number;
  rate: string;
  mintUrl: string;
  operationId: string | null;
  tokenHash: string;
  note: string | null;
}

function sameMint(a: string, b: string): boolean {
  const clean = (u: string) => u.trim().replace(/\/+$/, '').toLowerCase();
  return clean(a) === clean(b);
}

export function createCounterEcash(deps: CounterEcashDeps) {
  const requests = new Map<string, PendingRequest>();

  function port(): CounterEcashPort {
    if (!deps.ecash) throw new FlashError('MERCHANT_ECASH_OFF', 'eCash is not available in this app.');
    return deps.ecash;
  }

  function settings(): CounterEcashSettings {
    const raw = deps.repo.setting(SETTINGS_KEY);
    if (!raw) return DEFAULT_SETTINGS;
    try {
      return { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<CounterEcashSettings>) };
    } catch {
      return DEFAULT_SETTINGS;
    }
  }

  function view(): CounterEcashView {
    const mints = deps.ecash ? deps.ecash.listMints().map((m) => ({ ...m })) : [];
    return { ...settings(), mints };
  }

  function records(): SaleRecord[] {
    return deps.repo
      .settingsWithPrefix(SALE_PREFIX)
      .map((r) => JSON.parse(r.value) as SaleRecord)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  function saveRecord(r: SaleRecord): void {
    deps.repo.setSetting(`${SALE_PREFIX}${r.id}`, JSON.stringify(r));
  }

  /**
   * A record written just before the receive has no operation id if Flash stopped in between:
   * the eCash journal's receive of that mint and amount made right after it is the one.
   */
  function linkOperation(r: SaleRecord): SaleRecord {
    if (r.operationId || !deps.ecash) return r;
    const linked = new Set(records().map((x) => x.operationId));
    const op = deps.ecash
      .listOperations(100, 0)
      .items.find(
        (o) =>
          o.kind === 'receive' &&
          sameMint(o.mintUrl, r.mintUrl) &&
          o.amount === r.receivedSats &&
          o.createdAt >= r.createdAt &&
          !linked.has(o.id),
      );
    if (!op) return r;
    const next = { ...r, operationId: op.id };
    saveRecord(next);
    return next;
  }

  function toSale(record: SaleRecord): EcashSale {
    const r = linkOperation(record);
    let state: EcashSaleState = 'toClaim';
    let error: string | null = null;
    let mintFeeSats = 0;
    if (r.operationId && deps.ecash) {
      try {
        const op = deps.ecash.getOperation(r.operationId);
        if (op.state === 'claimed') {
          state = 'claimed';
          mintFeeSats = op.fee;
        } else if (op.state === 'failed') {
          state = 'failed';
          error = op.error;
        }
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
    }
    const { tokenHash: _hash, ...rest } = r;
    void _hash;
    return { ...rest, state, error, mintFeeSats };
  }

  function pruneRequests(): void {
    for (const [id, r] of requests) if (deps.now() - r.createdAt > REQUEST_TTL_MS) requests.delete(id);
  }

  return {
    settings: view,

    setSettings(next: CounterEcashSettings): CounterEcashView {
      const known = deps.ecash?.listMints() ?? [];
      const trustedMints = [...new Set(next.trustedMints)].map((url) => {
        const mint = known.find((m) => sameMint(m.url, url));
        if (!mint)
          throw new FlashError('ECASH_MINT_NOT_FOUND', 'Add this mint to the wallet’s eCash first.', {
            mint: url,
          });
        return mint.url;
      });
      deps.repo.setSetting(SETTINGS_KEY, JSON.stringify({ trustedMints, maxSats: next.maxSats }));
      return view();
    },

    /** The cart priced in sats at the store's last rate, as a NUT-18 request paid in band. */
    request(input: ChargeInput): EcashRequest {
      const s = settings();
      if (!deps.ecash || s.trustedMints.length === 0)
        throw new FlashError(
          'MERCHANT_ECASH_OFF',
          'eCash at the counter is off: choose the mints you trust in Store settings.',
        );
      const counter = deps.lastCounter();
      if (!counter?.rate)
        throw new FlashError(
          'MERCHANT_NO_RATE',
          'No BTC rate from the store yet: the sale cannot be priced in sats.',
        );
      const requestId = crypto.randomUUID();
      const { totals } = prepareOrder(counter, input, `flash-ecash-${requestId}`);
      const sats = Number(satsForAmount(totals.total, counter.rate));
      if (sats < 1) throw new FlashError('MERCHANT_BAD_ORDER', 'The sale is less than one sat.');
      if (sats > s.maxSats)
        throw new FlashError('MERCHANT_ECASH_OVER_LIMIT', 'This sale is above the most you take in eCash.', {
          sats,
          maxSats: s.maxSats,
        });
      const request = new PaymentRequest(
        undefined,
        requestId,
        sats,
        'sat',
        s.trustedMints,
        counter.storeName || counter.title || undefined,
        true,
      ).toEncodedRequest();
      pruneRequests();
      const pending: PendingRequest = {
        requestId,
        amount: totals.total,
        currency: counter.currency,
        sats,
        rate: counter.rate,
        rateAt: counter.rateAt,
        request,
        mints: s.trustedMints,
        createdAt: deps.now(),
        note: input.note ?? null,
      };
      requests.set(requestId, pending);
      const { createdAt: _at, note: _note, ...answer } = pending;
      void _at;
      void _note;
      return answer;
    },

    /**
     * Takes the customer's token: checked offline (trusted mint, sats, every proof's DLEQ, not
     * locked to someone else), recorded here, then handed to the eCash journal, which claims it
     * now if the mint answers and later otherwise.
     */
    async accept(requestId: string, token: string): Promise<EcashSale> {
      pruneRequests();
      const req = requests.get(requestId);
      if (!req)
        throw new FlashError('MERCHANT_NOT_FOUND', 'This eCash request has expired: start the sale again.');
      const s = settings();
      const ecash = port();
      const text = token.trim();
      const checked = ecash.decodeToken(text);
      if (!s.trustedMints.some((m) => sameMint(m, checked.mintUrl)))
        throw new FlashError(
          'MERCHANT_ECASH_UNTRUSTED_MINT',
          'This token is from a mint the shop does not trust.',
          {
            mint: checked.mintUrl,
          },
        );
      if (checked.unit !== 'sat')
        throw new FlashError('MERCHANT_ECASH_UNTRUSTED_MINT', 'The counter takes eCash in sats only.', {
          unit: checked.unit,
        });
      if (checked.dleq === 'invalid')
        throw new FlashError('ECASH_DLEQ_INVALID', 'The token’s signatures do not check out (DLEQ).');
      if (checked.dleq !== 'valid')
        throw new FlashError(
          'MERCHANT_ECASH_UNVERIFIED',
          'The token’s signatures cannot be checked offline (no DLEQ proofs).',
          { dleq: checked.dleq },
        );
      if (checked.lock === 'other')
        throw new FlashError('ECASH_LOCKED_TO_OTHER', 'This token is locked to someone else’s key.');
      if (checked.amount < req.sats)
        throw new FlashError('MERCHANT_ECASH_TOO_LITTLE', 'The token holds less than the sale.', {
          sats: req.sats,
          token: checked.amount,
        });
      const tokenHash = crypto.createHash('sha256').update(text).digest('hex');
      if (records().some((r) => r.tokenHash === tokenHash && r.operationId !== 'refused'))
        throw new FlashError('MERCHANT_ECASH_TOKEN_USED', 'This token already paid a sale here.');
      // Recorded before the eCash journal takes it, so a sale is never paid without a record.
      const record: SaleRecord = {
        id: requestId,
        createdAt: deps.now(),
        amount: req.amount,
        currency: req.currency,
        sats: req.sats,
        receivedSats: checked.amount,
        rate: req.rate,
        mintUrl: checked.mintUrl,
        operationId: null,
        tokenHash,
        note: req.note,
      };
      saveRecord(record);
      let op: EcashOperationView;
      try {
        op = await ecash.receive(text);
      } catch (err) {
        // Refused before or by the mint (spent, wrong keys): no sale was made.
        deps.repo.setSetting(
          `${SALE_PREFIX}${record.id}`,
          JSON.stringify({ ...record, operationId: 'refused' }),
        );
        deps.log.warn('eCash refused at the counter', {
          code: err instanceof FlashError ? err.code : 'INTERNAL',
        });
        throw err;
      }
      requests.delete(requestId);
      saveRecord({ ...record, operationId: op.id });
      const sale = toSale({ ...record, operationId: op.id });
      deps.onSale(sale);
      return sale;
    },

    sales(): EcashSale[] {
      return records()
        .filter((r) => r.operationId !== 'refused')
        .map(toSale);
    },

    /** The eCash journal moved an operation: tell the counter if it is one of its sales. */
    operationChanged(operationId: string): void {
      const r = records().find((x) => x.operationId === operationId);
      if (r) deps.onSale(toSale(r));
    },
  };
}

export type CounterEcash = ReturnType<typeof createCounterEcash>;
