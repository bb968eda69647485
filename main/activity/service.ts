import type { FeedItem } from '../../shared/contract';
import type { FeedRailFilter } from './types';
import type { FeedSource } from './feed';
import { feedCsv, lightningSource, mergeFeed, onchainSource } from './feed';
import { ecashSource } from './ecash';
import type { CoinsService } from '../bitcoin/coins/service';
import type { WalletService } from '../bitcoin/wallet/types';
import type { LightningService } from '../lightning/service';
import type { EcashService } from '../ecash/service';

/** Everything CSV export reads at most (a year of a busy shop is well under this). */
export const MAX_EXPORT_ITEMS = 100_000;

export interface FeedQuery {
  walletId?: string | null | undefined;
  rail: FeedRailFilter;
}

/**
 * The activity feed across rails: the on-chain account's transactions, the Lightning journal and
 * the eCash operations (later the counter), merged by time, filterable by rail, exportable to CSV.
 */
export function createActivityService(deps: {
  wallet: Pick<WalletService, 'activity'>;
  coins: Pick<CoinsService, 'labels'>;
  lightning: Pick<LightningService, 'journalRows' | 'journalCount'>;
  ecash?: Pick<EcashService, 'listOperations'>;
}) {
  function sources(q: FeedQuery): FeedSource[] {
    const out: FeedSource[] = [];
    const walletId = q.walletId ?? null;
    if (walletId !== null && (q.rail === 'all' || q.rail === 'onchain'))
      out.push(
        onchainSource({
          activity: (limit, offset) => deps.wallet.activity(walletId, limit, offset),
          labels: () => deps.coins.labels(walletId),
        }),
      );
    if (q.rail === 'all' || q.rail === 'lightning')
      out.push(lightningSource({ rows: deps.lightning.journalRows, count: deps.lightning.journalCount }));
    const ecash = deps.ecash;
    if (ecash && (q.rail === 'all' || q.rail === 'ecash'))
      out.push(ecashSource({ operations: (limit, offset) => ecash.listOperations(limit, offset) }));
    return out;
  }
  return {
    feed(q: FeedQuery & { limit: number; offset: number }): { items: FeedItem[]; total: number } {
      return mergeFeed(sources(q), q.limit, q.offset);
    },
    exportCsv(q: FeedQuery): string {
      return feedCsv(mergeFeed(sources(q), MAX_EXPORT_ITEMS, 0).items);
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
