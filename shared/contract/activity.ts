import { z } from 'zod';
import { Id } from './common';
import { Msat } from './lightning';

/**
 * One activity feed across rails: on-chain, Lightning and eCash; the merchant counter joins as a
 * further rail (a new enum value and a source in main/activity), nothing else changes.
 */
export const FeedRail = z.enum(['onchain', 'lightning', 'ecash']);
export type FeedRail = z.infer<typeof FeedRail>;

export const FeedRailFilter = z.enum(['all', 'onchain', 'lightning', 'ecash']);

export const FeedItem = z.object({
  /** `onchain:<txid>`, `lightning:<payment id>` or `ecash:<operation id>`: unique across rails. */
  id: z.string(),
  rail: FeedRail,
  direction: z.enum(['in', 'out', 'self']),
  /**
   * What moved, without sign (msat, so Lightning's sub-sat amounts survive). eCash in a currency
   * unit (usd, eur) is not bitcoin: '0' here, its amount in `unitAmount`.
   */
  amountMsat: Msat,
  feeMsat: Msat.nullable(),
  /** Across rails: waiting, done, or did not happen. */
  status: z.enum(['pending', 'complete', 'failed']),
  /** The rail's own word for it (verified, mempool, succeeded, refundable, expired…). */
  detail: z.string(),
  counterparty: z.string().nullable(),
  description: z.string().nullable(),
  /** Seconds since the epoch. */
  timestamp: z.number().int(),
  /** txid, Lightning payment id or eCash operation id, to open the details. */
  ref: z.string(),
  /** eCash: the mint that holds it (a move: where it left from; `counterparty` is where it went). */
  mint: z.string().nullable().optional(),
  /** eCash: the mint's unit (sat, or usd/eur counted in cents), with the amount and fee in it. */
  unit: z.string().optional(),
  unitAmount: z.number().int().optional(),
  unitFee: z.number().int().nullable().optional(),
});
export type FeedItem = z.infer<typeof FeedItem>;

const FeedQuery = z
  .object({
    /** The on-chain account to include; null/absent: Lightning only. */
    walletId: Id.nullable().optional(),
    rail: FeedRailFilter.default('all'),
  })
  .strict();

export const activityMethods = {
  'activity.feed': {
    input: FeedQuery.extend({
      limit: z.number().int().min(1).max(500).default(50),
      offset: z.number().int().min(0).default(0),
    }).strict(),
    output: z.object({ items: z.array(FeedItem), total: z.number().int().min(0) }),
  },
  'activity.exportCsv': { input: FeedQuery, output: z.object({ csv: z.string() }) },
} as const;
