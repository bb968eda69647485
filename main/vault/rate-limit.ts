/**
 * Growing delays between wrong passwords. The first FREE_ATTEMPTS failures cost nothing; after
 * failure n (n > FREE_ATTEMPTS - 1) the next try must wait 2^(n - FREE_ATTEMPTS) seconds from that
 * failure: 1 s, 2 s, 4 s, ... capped at MAX_DELAY_MS. The counter lives in SQLite so restarting
 * the app does not reset it; a right password does.
 */
export const FREE_ATTEMPTS = 3;
export const MAX_DELAY_MS = 5 * 60 * 1000;

/** How long after the last failure the next attempt is allowed. */
export function delayAfterFailures(failedAttempts: number): number {
  if (failedAttempts < FREE_ATTEMPTS) return 0;
  const exponent = failedAttempts - FREE_ATTEMPTS;
  // 2^9 s already exceeds the cap; avoid computing huge powers.
  if (exponent >= 9) return MAX_DELAY_MS;
  return Math.min(1000 * 2 ** exponent, MAX_DELAY_MS);
}

/** Milliseconds until a password may be tried again; 0 when it may be tried now. */
export function retryAfterMs(failedAttempts: number, lastFailureAt: number | null, now: number): number {
  const delay = delayAfterFailures(failedAttempts);
  if (delay === 0 || lastFailureAt === null) return 0;
  // If the clock went backwards, count from now rather than making the user wait longer than the
  // delay itself.
  const elapsed = Math.max(0, now - lastFailureAt);
  return Math.max(0, Math.ceil(delay - elapsed));
}
