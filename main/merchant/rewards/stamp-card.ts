import type { RewardRules, StampCard } from '../../../shared/contract/merchant';
import type { Logger } from '../../core/logger';
import type { Greenfield, GreenfieldSchemas } from '../greenfield/client';
import { call } from '../greenfield/client';
import type { StampCustomer, StampInvoice, StampProgress } from './stamps';
import {
  STAMP_COUNTER_FIELD,
  STAMP_METADATA_FIELD,
  STAMP_SOLD_AT_FIELD,
  stampCustomerId,
  stampProgress,
  stampSearchTerm,
} from './stamps';

/**
 * A customer's stamp card read from BTCPay: their settled invoices (found by the search term
 * each sale carries, confirmed by its metadata) and which of them were rewarded. Nothing here is
 * kept as the truth; the last count is cached only to show it at once on the next screen.
 */

type Invoice = GreenfieldSchemas['InvoiceData'];

/** The invoice metadata field a stamp reward leaves on its Nth sale, for the other counters. */
export const STAMP_REWARD_FIELD = 'flashStampReward';

/** Greenfield pages (skip/take); a card of a thousand settled sales is read in one. */
const PAGE = 1000;
/** A customer with more settled sales than this is read in part (the newest). */
const MAX_PAGES = 20;

export interface StampCardsDeps {
  log: Logger;
}

export interface StampCardRead {
  progress: StampProgress;
  /** The customer's settled invoices by id (for the Nth sale's amount and sats). */
  invoices: Map<string, Invoice>;
}

/** The customer an invoice's metadata names, if any. */
export function invoiceCustomer(inv: Invoice): string | null {
  const v = (inv.metadata as Record<string, unknown> | undefined)?.[STAMP_METADATA_FIELD];
  return typeof v === 'string' ? v : null;
}

/** The counter that sold the invoice, as its metadata says. */
export function invoiceCounter(inv: Invoice): string | null {
  const v = (inv.metadata as Record<string, unknown> | undefined)?.[STAMP_COUNTER_FIELD];
  return typeof v === 'string' ? v : null;
}

function soldAt(inv: Invoice): number | null {
  const v = (inv.metadata as Record<string, unknown> | undefined)?.[STAMP_SOLD_AT_FIELD];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function rewardMark(inv: Invoice): string | null {
  const v = (inv.metadata as Record<string, unknown> | undefined)?.[STAMP_REWARD_FIELD];
  return typeof v === 'string' ? v : null;
}

export function createStampCards(deps: StampCardsDeps) {
  const { log } = deps;
  /** Speed-up only: the last count per customer, shown while BTCPay is asked again. */
  const lastSeen = new Map<string, StampCard>();

  /** The customer's settled invoices: `textSearch` for their term, `status=Settled`, all pages. */
  async function settledInvoices(gf: Greenfield, storeId: string, c: StampCustomer): Promise<Invoice[]> {
    const out: Invoice[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const got = (await call('list the customer’s sales', () =>
        gf.GET('/api/v1/stores/{storeId}/invoices', {
          params: {
            path: { storeId },
            query: { textSearch: stampSearchTerm(c), status: 'Settled', skip: page * PAGE, take: PAGE },
          },
        }),
      )) as Invoice[];
      out.push(...got);
      if (got.length < PAGE) return out;
    }
    log.warn('stamp card read in part', { pages: MAX_PAGES });
    return out;
  }

  /**
   * Counts the card. `rewardedHere` says which invoices have a reward this counter knows of
   * (pull payments of the store, eCash tokens); the mark on the invoice covers the others.
   */
  async function read(
    gf: Greenfield,
    storeId: string,
    c: StampCustomer,
    rules: RewardRules,
    storeCurrency: string,
    rewardedHere: (invoiceId: string) => boolean,
  ): Promise<StampCardRead> {
    const found = await settledInvoices(gf, storeId, c);
    const id = stampCustomerId(c);
    const invoices = new Map<string, Invoice>();
    const facts: StampInvoice[] = [];
    for (const inv of found) {
      // A text search may match more than the term: the metadata says whose sale it is.
      if (!inv.id || invoiceCustomer(inv) !== id) continue;
      invoices.set(inv.id, inv);
      facts.push({
        id: inv.id,
        createdTime: inv.createdTime ?? 0,
        soldAtMs: soldAt(inv),
        status: inv.status ?? '',
        amount: inv.amount ?? '0',
        currency: inv.currency ?? '',
        customerId: id,
        rewarded: rewardMark(inv) !== null || rewardedHere(inv.id),
      });
    }
    const progress = stampProgress(
      facts,
      id,
      { every: rules.stampEvery, minimumSale: rules.minimumSale },
      storeCurrency,
    );
    return { progress, invoices };
  }

  return {
    read,

    /** The card as the contract shows it, remembered as the last count seen. */
    view(c: StampCustomer, every: number, progress: StampProgress): StampCard {
      const card: StampCard = {
        customer: { kind: c.kind, value: c.display },
        every,
        stamps: progress.stamps,
        lastFullInvoiceId: progress.lastFull,
        stampedInvoiceIds: progress.stamped,
      };
      lastSeen.set(stampCustomerId(c), card);
      return card;
    },

    /** The last count seen for the customer (not the truth: for showing at once). */
    cached(c: StampCustomer): StampCard | null {
      return lastSeen.get(stampCustomerId(c)) ?? null;
    },

    /**
     * Leaves the reward's key on the Nth sale's invoice, so every counter sees the card spent
     * whatever paid it (an eCash token is this counter's alone). BTCPay's update replaces the
     * metadata, so the invoice is read and written back whole. Needs canmodifyinvoices: without
     * it the reward still counts through its pull payment, and an eCash one on this counter.
     */
    async markRewarded(gf: Greenfield, invoiceId: string, key: string): Promise<boolean> {
      try {
        const inv = await call('read the stamped sale', () =>
          gf.GET('/api/v1/invoices/{invoiceId}', { params: { path: { invoiceId } } }),
        );
        const metadata = { ...((inv.metadata ?? {}) as Record<string, unknown>) };
        if (metadata[STAMP_REWARD_FIELD] === key) return true;
        metadata[STAMP_REWARD_FIELD] = key;
        await call('mark the stamped sale rewarded', () =>
          gf.PUT('/api/v1/invoices/{invoiceId}', { params: { path: { invoiceId } }, body: { metadata } }),
        );
        return true;
      } catch (err) {
        log.warn('stamp reward not marked on the invoice', {
          error: err instanceof Error ? err.message : String(err),
        });
        return false;
      }
    },
  };
}

export type StampCards = ReturnType<typeof createStampCards>;
