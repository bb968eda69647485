import type { CounterRange, CounterSource } from '@cashu/cashu-ts';
import { FlashError } from '../../shared/errors';
import type { Db } from '../store/database';

/**
 * NUT-13 counters in SQLite, handed to cashu-ts as its CounterSource. Each reservation is one
 * statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), atomic in SQLite across connections
 * and processes, so two operations can never be given the same counter, and a counter once
 * handed out is never handed out again, even if the operation then died before using it (a
 * restore's gap covers such holes).
 */
export function createSqliteCounterSource(db: Db): CounterSource & {
  peek(keysetId: string): number;
} {
  const reserveStmt = db.prepare<[string, number, number], { next: number }>(
    `INSERT INTO ecash_counters (keyset_id, next) VALUES (?, ?)
     ON CONFLICT (keyset_id) DO UPDATE SET next = next + ?
     RETURNING next`,
  );
  const peekStmt = db.prepare<[string], { next: number }>(
    `SELECT next FROM ecash_counters WHERE keyset_id = ?`,
  );
  const advanceStmt = db.prepare<[string, number, number]>(
    `INSERT INTO ecash_counters (keyset_id, next) VALUES (?, ?)
     ON CONFLICT (keyset_id) DO UPDATE SET next = MAX(next, ?)`,
  );
  const peek = (keysetId: string): number => peekStmt.get(keysetId)?.next ?? 0;
  return {
    peek,
    async reserve(keysetId: string, n: number): Promise<CounterRange> {
      if (!Number.isSafeInteger(n) || n < 0) throw new FlashError('INTERNAL', 'bad counter count');
      if (n === 0) return { start: peek(keysetId), count: 0 };
      const next = reserveStmt.get(keysetId, n, n)?.next;
      if (next === undefined) throw new FlashError('INTERNAL', 'counter reservation failed');
      return { start: next - n, count: n };
    },
    async reserveAt(keysetId: string, start: number, count: number): Promise<CounterRange> {
      const run = db.transaction(() => {
        const next = peek(keysetId);
        if (start < next)
          throw new FlashError('INTERNAL', `counters from ${start} were already issued (next ${next})`);
        advanceStmt.run(keysetId, start + count, start + count);
      });
      run.immediate();
      return { start, count };
    },
    async advanceToAtLeast(keysetId: string, minNext: number): Promise<void> {
      advanceStmt.run(keysetId, minNext, minNext);
    },
    async snapshot(): Promise<Record<string, number>> {
      const rows = db
        .prepare<[], { keyset_id: string; next: number }>(`SELECT keyset_id, next FROM ecash_counters`)
        .all();
      return Object.fromEntries(rows.map((r) => [r.keyset_id, r.next]));
    },
    async setNext(keysetId: string, next: number): Promise<void> {
      db.prepare(
        `INSERT INTO ecash_counters (keyset_id, next) VALUES (?, ?) ON CONFLICT (keyset_id) DO UPDATE SET next = excluded.next`,
      ).run(keysetId, next);
    },
  };
}
