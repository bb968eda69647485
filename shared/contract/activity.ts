import { z } from 'zod';
import { Id } from './common';
import { Msat } from './lightning';

/**
 * One activity feed across rails: on-chain and Lightning today; eCash and the merchant counter
 * join as further rails (a new enum value and a source in main/activity), nothing else changes.
 */
export const FeedRail = z.enum(['onchain', 'lightning']);
export type FeedRail = z.infer<typeof FeedRail>;

export const FeedRailFilter = z.enum(['all', 'onchain', 'lightning']);

export const FeedItem = z.object({
  /** `onchain:<txid>` or `lightning:<payment id>`: unique across rails. */
  id: z.string(),
  rail: FeedRail,
  direction: z.enum(['in', 'out', 'self']),
  /** What moved, without sign (msat, so Lightning's sub-sat amounts survive). */
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
  /** txid or Lightning payment id, to open the details. */
  ref: z.string(),
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
