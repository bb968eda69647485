import type { Logger } from '../core/logger';
import type { Filter } from './relay-connection';
import type { NostrEvent } from './verify';

/**
 * Relays answer a subscription with their newest matching events only, up to their own limit
 * (100 to a few thousand), then EOSE. An inbox holding more would show only its newest page. So
 * after the live subscription's EOSE, each relay is paged backwards with `until` (inclusive, so
 * the boundary second comes twice; the store dedupes) until a page comes back empty. `until` falls
 * on every page, so a pass always ends.
 */
export interface HistoryBackfillDeps {
  /** One relay, one query to EOSE; its events also reach the app's usual event path. */
  query(
    filters: Filter[],
    url: string,
    timeoutMs: number,
  ): Promise<{ events: NostrEvent[]; answered: boolean }>;
  log: Logger;
  /** Asked of the relay per page; relays clamp it to their own maximum. */
  pageLimit?: number;
  pageTimeoutMs?: number;
  /** A bound on pages per pass, against a relay that keeps inventing older events. */
  maxPages?: number;
}

export interface BackfillPass {
  pages: number;
  events: number;
  /** Why the pass ended. */
  end: 'exhausted' | 'no-answer' | 'page-bound' | 'stopped';
}

export interface HistoryBackfill {
  /**
   * Pages `url` backwards for `filters` (each keeps its own `since`), starting at `until`.
   * One pass per relay and key at a time: asking again while one runs returns the running one.
   */
  run(key: string, url: string, filters: Filter[], until: number): Promise<BackfillPass>;
  /** Ends every pass after its current page. */
  stop(): void;
}

export const BACKFILL_PAGE_LIMIT = 500;

export function createHistoryBackfill(deps: HistoryBackfillDeps): HistoryBackfill {
  const pageLimit = deps.pageLimit ?? BACKFILL_PAGE_LIMIT;
  const pageTimeoutMs = deps.pageTimeoutMs ?? 10_000;
  const maxPages = deps.maxPages ?? 1_000;
  const running = new Map<string, Promise<BackfillPass>>();
  let stopped = false;

  /** One filter at a time: relays apply `limit` per filter, so each needs its own `until`. */
  const pass = async (url: string, filter: Filter, start: number): Promise<BackfillPass> => {
    const seen = new Set<string>();
    let until = start;
    let events = 0;
    for (let page = 1; page <= maxPages; page++) {
      if (stopped) return { pages: page - 1, events, end: 'stopped' };
      const res = await deps.query([{ ...filter, until, limit: pageLimit }], url, pageTimeoutMs);
      if (!res.answered) return { pages: page, events, end: 'no-answer' };
      let fresh = 0;
      let oldest = until;
      for (const e of res.events) {
        if (!seen.has(e.id)) {
          seen.add(e.id);
          fresh += 1;
        }
        oldest = Math.min(oldest, e.created_at);
      }
      events += fresh;
      if (oldest < until) {
        until = oldest;
        continue;
      }
      // The whole page is the boundary second. NIP-01 has no cursor inside one second, so step
      // past it (events of that second beyond one page stay out) and stop once nothing is new.
      if (res.events.length === 0) return { pages: page, events, end: 'exhausted' };
      until -= 1;
    }
    deps.log.warn('nostr: history paging stopped at its page bound', { relay: url, pages: maxPages });
    return { pages: maxPages, events, end: 'page-bound' };
  };

  return {
    run(key, url, filters, until) {
      const id = `${key} ${url}`;
      const current = running.get(id);
      if (current) return current;
      stopped = false;
      const p = (async (): Promise<BackfillPass> => {
        const total: BackfillPass = { pages: 0, events: 0, end: 'exhausted' };
        for (const filter of filters) {
          const one = await pass(url, filter, until);
          total.pages += one.pages;
          total.events += one.events;
          if (one.end !== 'exhausted') total.end = one.end;
          if (one.end === 'stopped' || one.end === 'no-answer') break;
        }
        return total;
      })().finally(() => running.delete(id));
      running.set(id, p);
      return p;
    },
    stop() {
      stopped = true;
    },
  };
}
