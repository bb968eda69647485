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
 * The widest window of addresses discovery derives ahead at once: windows double from the gap
 * limit while they come back all used. A batch this size leaves as several frames in one flight
 * (the client sizes frames per server), and its reply lines stay far under the line limit.
 */
export const MAX_WINDOW = 1_000;
