import { z } from 'zod';

/** Receive addresses kept watched past the last used one: what every BIP44 wallet scans. */
export const DEFAULT_RECEIVE_GAP = 20;
/** Change is only handed out by us, one at a time, so a smaller window is enough. */
export const DEFAULT_CHANGE_GAP = 10;
export const MIN_GAP = 1;
export const MAX_GAP = 1000;

const gap = (fallback: number) => z.number().int().min(MIN_GAP).max(MAX_GAP).default(fallback);

/** Per-account gap limits; missing fields take the defaults (20 receive, 10 change). */
export const GapLimits = z.object({
  receive: gap(DEFAULT_RECEIVE_GAP),
  change: gap(DEFAULT_CHANGE_GAP),
});
export type GapLimits = z.output<typeof GapLimits>;
export type GapLimitsInput = z.input<typeof GapLimits>;

export const DEFAULT_GAP_LIMITS: Readonly<GapLimits> = Object.freeze({
  receive: DEFAULT_RECEIVE_GAP,
  change: DEFAULT_CHANGE_GAP,
});
