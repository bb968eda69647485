import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/logger';
import { createHistoryBackfill } from '../../main/nostr/history-backfill';
import type { Filter } from '../../main/nostr/relay-connection';
import type { NostrEvent } from '../../main/nostr/verify';

const ev = (n: number, at: number): NostrEvent => ({
  id: n.toString(16).padStart(64, '0'),
  pubkey: 'a'.repeat(64),
  created_at: at,
  kind: 1059,
  tags: [],
  content: '',
  sig: 'b'.repeat(128),
});

/** A relay as NIP-01 describes one: newest first, `until` inclusive, at most `cap` per answer. */
function relay(events: NostrEvent[], cap: number) {
  const asked: Filter[][] = [];
  const query = (filters: Filter[]) => {
    asked.push(filters);
    const f = filters[0]!;
    const until = f.until as number;
    const since = (f.since as number | undefined) ?? 0;
    const limit = Math.min(cap, (f.limit as number | undefined) ?? cap);
    const found = events
      .filter((e) => e.created_at <= until && e.created_at >= since)
      .sort((a, b) => b.created_at - a.created_at)
      .slice(0, limit);
    return Promise.resolve({ events: found, answered: true });
  };
  return { asked, query };
}

describe('DM history paging', () => {
  it('pages back with until until a page brings nothing new, keeping the filter’s since', async () => {
    const all = Array.from({ length: 1_050 }, (_, i) => ev(i, 1_000_000 + i));
    const r = relay(all, 100);
    const seen = new Set<string>();
    const backfill = createHistoryBackfill({
      query: async (filters) => {
        const res = await r.query(filters);
        for (const e of res.events) seen.add(e.id);
        return res;
      },
      log: silentLogger,
    });
    const pass = await backfill.run('me', 'wss://r', [{ kinds: [1059], since: 1_000_100 }], 2_000_000);
    expect(pass.end).toBe('exhausted');
    expect(pass.events).toBe(950); // since cut the oldest 100 off
    expect(seen.size).toBe(950);
    expect(r.asked.every((fs) => fs[0]!.since === 1_000_100 && fs[0]!.limit === 500)).toBe(true);
  });

  it('steps past a second that holds more events than one page, instead of asking forever', async () => {
    const crowded = Array.from({ length: 30 }, (_, i) => ev(i, 5_000));
    const older = Array.from({ length: 5 }, (_, i) => ev(100 + i, 4_000 + i));
    const r = relay([...crowded, ...older], 10);
    const backfill = createHistoryBackfill({ query: r.query, log: silentLogger, pageLimit: 10 });
    const pass = await backfill.run('me', 'wss://r', [{ kinds: [1059] }], 6_000);
    expect(pass.end).toBe('exhausted');
    // The crowded second gives its first page only (NIP-01 has no cursor inside one second).
    expect(pass.events).toBe(10 + older.length);
  });

  it('ends on a relay that does not answer, and at its page bound', async () => {
    const silent = createHistoryBackfill({
      query: () => Promise.resolve({ events: [], answered: false }),
      log: silentLogger,
    });
    expect((await silent.run('me', 'wss://r', [{}], 10)).end).toBe('no-answer');

    let n = 0;
    const inventing = createHistoryBackfill({
      query: () => Promise.resolve({ events: [ev(++n, 1_000 - n)], answered: true }),
      log: silentLogger,
      maxPages: 7,
    });
    expect(await inventing.run('me', 'wss://r', [{}], 10_000)).toMatchObject({ pages: 7, end: 'page-bound' });
  });

  it('runs one pass per relay at a time, and stop() ends it after the current page', async () => {
    let release: () => void = () => {};
    let calls = 0;
    const backfill = createHistoryBackfill({
      query: () => {
        calls += 1;
        return new Promise((resolve) => {
          release = () => resolve({ events: [ev(calls, 1_000 - calls)], answered: true });
        });
      },
      log: silentLogger,
    });
    const a = backfill.run('me', 'wss://r', [{}], 10_000);
    const b = backfill.run('me', 'wss://r', [{}], 10_000);
    expect(b).toBe(a);
    await Promise.resolve();
    backfill.stop();
    release();
    expect(await a).toMatchObject({ pages: 1, end: 'stopped' });
    expect(calls).toBe(1);
  });
});

describe('DM history paging, several filters', () => {
  it('pages each filter on its own, so an old match of one does not skip the other’s history', async () => {
    const wraps = Array.from({ length: 300 }, (_, i) => ({ ...ev(i, 10_000 + i), kind: 1059 }));
    const legacy = [{ ...ev(999, 100), kind: 4 }];
    const seen = new Set<string>();
    const backfill = createHistoryBackfill({
      query: (filters) => {
        // Per filter, as relays do: newest first, `until` inclusive, at most 50 each.
        const found = filters.flatMap((f) =>
          [...wraps, ...legacy]
            .filter((e) => (f.kinds as number[]).includes(e.kind) && e.created_at <= (f.until as number))
            .sort((a, b) => b.created_at - a.created_at)
            .slice(0, 50),
        );
        for (const e of found) seen.add(e.id);
        return Promise.resolve({ events: found, answered: true });
      },
      log: silentLogger,
    });
    const pass = await backfill.run('me', 'wss://r', [{ kinds: [1059] }, { kinds: [4] }], 20_000);
    expect(pass).toMatchObject({ events: 301, end: 'exhausted' });
    expect(seen.size).toBe(301);
  });
});
