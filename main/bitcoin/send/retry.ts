import { isFlashError } from '../../../shared/errors';
import type { Broadcaster } from './broadcast';
import type { SendContext } from './context';
import type { PaymentRow } from './journal';

/** A payment signed and journaled but not yet taken by the network. */
export interface PendingPayment {
  draftId: string;
  walletId: string;
  txid: string;
  kind: PaymentRow['kind'];
  amountSats: number;
  feeSats: number;
  /** Why the last attempt did not go through (the node's words), or null before any answer. */
  lastError: string | null;
  attempts: number;
  /** When the next attempt is due (ms since the epoch), null while waiting for a server. */
  nextRetryAt: number | null;
}

const DEFAULT_BACKOFF = { baseMs: 5_000, maxMs: 5 * 60_000 };

/**
 * Start-up recovery and the retry loop for payments the journal holds but the network has not
 * taken ('broadcasting'): each is asked about (the server may have it already), checked against
 * our view of the chain and mempool (its coins may have gone elsewhere: then it failed), and sent
 * again with exponential backoff. Also keeps 'broadcast' payments honest: confirmed once mined,
 * and sent again if the mempool dropped them. Schedules live in memory: after a restart every
 * pending payment is tried at once.
 */
export function createRetryLoop(ctx: SendContext, broadcaster: Broadcaster) {
  const { journal, reader, log } = ctx;
  const backoff = ctx.deps.retry ?? DEFAULT_BACKOFF;
  const schedule = new Map<string, { attempts: number; nextAt: number }>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const delay = (attempts: number): number =>
    Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));

  function refreshConfirmations(walletId?: string): void {
    for (const row of journal.inState('broadcast')) {
      if (walletId && row.walletId !== walletId) continue;
      if (!row.txid) continue;
      const tx = reader.tx(row.walletId, row.txid);
      // Re-read: a listener of an event emitted below may have moved it already.
      if (tx && tx.height > 0 && journal.get(row.id)?.state === 'broadcast') {
        journal.transition(row.id, 'broadcast', 'confirmed', ctx.now());
      }
    }
    // The wallet saw a payment we were still trying to send: the network has it.
    for (const row of journal.inState('broadcasting')) {
      if (walletId && row.walletId !== walletId) continue;
      if (row.txid && reader.tx(row.walletId, row.txid)) {
        broadcaster.accepted(row);
        schedule.delete(row.id);
      }
    }
  }

  /** True when the server has the transaction; null when the server could not be asked. */
  async function serverHas(txid: string): Promise<boolean | null> {
    try {
      await ctx.deps.electrum.client().request('blockchain.transaction.get', [txid]);
      return true;
    } catch (err) {
      if (isFlashError(err) && err.code === 'ELECTRUM_PROTOCOL' && typeof err.details?.rpcCode === 'number') {
        return false;
      }
      return null;
    }
  }

  async function retryPending(): Promise<boolean> {
    for (const row of journal.inState('broadcasting')) {
      if (stopped) return false;
      if (!row.txid) continue;
      const due = schedule.get(row.id)?.nextAt ?? 0;
      if (due > ctx.now()) continue;
      if (broadcaster.failIfTaken(row)) {
        schedule.delete(row.id);
        continue;
      }
      const has = await serverHas(row.txid);
      if (has === null) return false; // offline again: wait for the next connection
      if (has) {
        broadcaster.accepted(row);
        schedule.delete(row.id);
        log.info('journal: pending payment found on the server', { paymentId: row.id });
        continue;
      }
      try {
        const result = await broadcaster.send(row);
        if (result.state === 'broadcast') {
          schedule.delete(row.id);
          continue;
        }
      } catch (err) {
        // Refused for good: the broadcaster marked it failed.
        schedule.delete(row.id);
        log.warn('journal: pending payment refused', { paymentId: row.id, error: String(err) });
        continue;
      }
      const attempts = (schedule.get(row.id)?.attempts ?? 0) + 1;
      schedule.set(row.id, { attempts, nextAt: ctx.now() + delay(attempts) });
    }
    return true;
  }

  /**
   * A payment the server took but the wallet never saw may have been dropped (server restart,
   * mempool eviction): send it again. Refused for good, or its coins spent elsewhere: it failed.
   * Refused for a passing reason: it is pending again.
   */
  async function resendDropped(): Promise<void> {
    for (const row of journal.inState('broadcast')) {
      if (stopped) return;
      if (!row.txid || !row.rawTx || reader.tx(row.walletId, row.txid)) continue;
      const has = await serverHas(row.txid);
      if (has !== false) {
        if (has === null) return;
        continue;
      }
      journal.transition(row.id, 'broadcast', 'broadcasting', ctx.now(), 'dropped from the mempool');
      const pending = journal.get(row.id);
      if (!pending) continue;
      if (broadcaster.failIfTaken(pending)) continue;
      try {
        const result = await broadcaster.send(pending);
        if (result.state === 'broadcasting')
          schedule.set(row.id, { attempts: 1, nextAt: ctx.now() + delay(1) });
        else log.info('journal: re-broadcast a dropped payment', { paymentId: row.id });
      } catch (err) {
        log.warn('journal: dropped payment refused', { paymentId: row.id, error: String(err) });
      }
    }
  }

  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stopped) return;
    const next = Math.min(...[...schedule.values()].map((s) => s.nextAt));
    if (!Number.isFinite(next)) return;
    timer = setTimeout(() => void run(), Math.max(0, next - ctx.now()));
    timer.unref?.();
  }

  async function pass(): Promise<void> {
    refreshConfirmations();
    let online = true;
    try {
      ctx.deps.electrum.client();
    } catch {
      online = false;
    }
    if (online && (await retryPending())) await resendDropped();
    refreshConfirmations();
    // Forget schedules of rows that left 'broadcasting' by other paths.
    const pending = new Set(journal.inState('broadcasting').map((r) => r.id));
    for (const id of schedule.keys()) if (!pending.has(id)) schedule.delete(id);
    arm();
  }

  function run(): Promise<void> {
    if (!running) {
      running = pass()
        .catch((err) => log.warn('journal: retry pass failed', { error: String(err) }))
        .finally(() => {
          running = null;
        });
    }
    return running;
  }

  return {
    run,
    refreshConfirmations,
    /** A new connection: every pending payment is due now. */
    onConnected(): Promise<void> {
      for (const s of schedule.values()) s.nextAt = 0;
      return run();
    },
    pending(walletId: string): PendingPayment[] {
      return journal
        .inState('broadcasting')
        .filter((r) => r.walletId === walletId && r.txid)
        .map((r) => {
          const s = schedule.get(r.id);
          return {
            draftId: r.id,
            walletId: r.walletId,
            txid: r.txid as string,
            kind: r.kind,
            amountSats: r.amountSats,
            feeSats: r.feeSats,
            lastError: r.error,
            attempts: s?.attempts ?? 0,
            nextRetryAt: s ? s.nextAt : null,
          };
        });
    },
    /** Called after a fresh attempt outside the loop left the payment pending. */
    scheduleRetry(id: string): void {
      const attempts = (schedule.get(id)?.attempts ?? 0) + 1;
      schedule.set(id, { attempts, nextAt: ctx.now() + delay(attempts) });
      arm();
    },
    stop(): void {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export type RetryLoop = ReturnType<typeof createRetryLoop>;
