import { DEFAULT_CHANGE_GAP, DEFAULT_RECEIVE_GAP } from '../accounts/gap-limits';

/** BIP44 chains: 0 for addresses handed out to payers, 1 for our own change. */
export const RECEIVE_CHAIN = 0;
export const CHANGE_CHAIN = 1;
export type Chain = typeof RECEIVE_CHAIN | typeof CHANGE_CHAIN;
export const CHAINS: readonly Chain[] = [RECEIVE_CHAIN, CHANGE_CHAIN];

/** The default gap limits per chain (accounts may set their own: see accounts/gap-limits). */
export const GAP_LIMIT: Readonly<Record<Chain, number>> = {
  [RECEIVE_CHAIN]: DEFAULT_RECEIVE_GAP,
  [CHANGE_CHAIN]: DEFAULT_CHANGE_GAP,
};

/** Words shown at onboarding stay in memory this long, then must be generated again. */
export const DRAFT_TTL_MS = 30 * 60 * 1000;
/** Positions the user types back to prove the words were written down. */
export const CONFIRM_WORD_COUNT = 3;

/**
 * Requests per JSON-RPC batch: few round trips for a big wallet, while one reply line stays well
 * under the client's line limit (16 MiB). Statuses are tiny; a history is ~100 bytes per tx; a raw
 * tx is usually under 1 kB of hex but may be hundreds, hence the smallest batch.
 */
export const SUBSCRIBE_BATCH = 10_000;
export const HISTORY_BATCH = 100;
export const TX_BATCH = 50;
