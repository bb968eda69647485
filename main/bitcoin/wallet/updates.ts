import type { EventBus } from '../../core/event-bus';

/** During a sync, `wallet.updated` at most this often per wallet. */
export const UPDATE_INTERVAL_MS = 250;

export interface UpdateNotifier {
  /** Says the wallet changed: at once, unless a sync is applying its history (then coalesced). */
  changed(walletId: string): void;
  /** A sync of this wallet starts: its changes are told at most once per interval until `end`. */
  begin(walletId: string): void;
  /** The sync ended: what is still waiting is told now. */
  end(walletId: string): void;
  stop(): void;
}

/**
 * Coalesces `wallet.updated` while a sync applies history in rounds, so the UI does not refetch
 * after each: the first change of a quiet wallet is told at once, later ones within the interval
 * once at its end, and whatever is left when the sync ends. Nothing is lost, only merged.
 */
export function createUpdateNotifier(bus: EventBus, intervalMs = UPDATE_INTERVAL_MS): UpdateNotifier {
  const lastSent = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();
  const syncing = new Map<string, number>();

  const send = (walletId: string): void => {
    lastSent.set(walletId, performance.now());
    bus.emit('wallet.updated', { walletId });
  };
  const cancel = (walletId: string): boolean => {
    const timer = timers.get(walletId);
    if (!timer) return false;
    clearTimeout(timer);
    timers.delete(walletId);
    return true;
  };

  return {
    changed(walletId) {
      if ((syncing.get(walletId) ?? 0) === 0) {
        cancel(walletId);
        send(walletId);
        return;
      }
      if (timers.has(walletId)) return;
      const since = performance.now() - (lastSent.get(walletId) ?? -Infinity);
      if (since >= intervalMs) {
        send(walletId);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(walletId);
        send(walletId);
      }, intervalMs - since);
      timer.unref?.();
      timers.set(walletId, timer);
    },
    begin(walletId) {
      syncing.set(walletId, (syncing.get(walletId) ?? 0) + 1);
    },
    end(walletId) {
      const left = (syncing.get(walletId) ?? 1) - 1;
      if (left > 0) syncing.set(walletId, left);
      else syncing.delete(walletId);
      if (cancel(walletId)) send(walletId);
    },
    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      syncing.clear();
    },
  };
}
