/**
 * Per-connection request cap: a token bucket (sustained requests per second, with a burst) and a
 * ceiling on requests awaiting replies. Every request counts, including each one inside a batch
 * and keep-alive pings, because that is what public servers meter.
 */
export interface RateLimit {
  /** Sustained rate; 0 or Infinity turns the bucket off. */
  requestsPerSecond: number;
  /** Tokens available at once (and the bucket size). */
  burst: number;
  /** Requests sent but not yet answered; a batch counts each of its requests. */
  maxInFlight: number;
}

/**
 * Generous enough for a 5,000-transaction first sync (about 12,700 requests) to run at the
 * server's pace, strict enough that a runaway loop cannot flood a public server (ElectrumX meters
 * cost per session). WHY these figures: at 2,000/s the cap itself was the floor of that sync
 * (4.3 s, more than Fulcrum needed to answer it); the ceiling on requests awaiting replies already
 * holds us to the server's own pace, the bucket only bounds a loop, and a server that asks us to
 * slow down halves the rate (slowDown).
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerSecond: 5_000, burst: 5_000, maxInFlight: 1_000 };

export interface RateLimiter {
  /** Resolves when `n` requests may be written; the caller must call `release(n)` once answered. */
  acquire(n: number): Promise<void>;
  /** Takes `n` at once if nobody is queued and they fit; false otherwise (then use acquire). */
  tryAcquire(n: number): boolean;
  release(n: number): void;
  /** Rejects every waiter (the connection closed). */
  abort(err: Error): void;
  /** The server asked us to slow down: halve the sustained rate (never below a floor). */
  slowDown(): void;
  readonly inFlight: number;
}

interface Waiter {
  n: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

export function createRateLimiter(
  limit: RateLimit,
  now: () => number = () => performance.now(),
): RateLimiter {
  let rate =
    limit.requestsPerSecond > 0 && Number.isFinite(limit.requestsPerSecond) ? limit.requestsPerSecond : 0;
  const burst = Math.max(1, limit.burst);
  const maxInFlight = Math.max(1, limit.maxInFlight);
  let tokens = burst;
  let last = now();
  let inFlight = 0;
  const waiters: Waiter[] = [];
  let timer: NodeJS.Timeout | null = null;

  const refill = (): void => {
    const t = now();
    if (rate > 0) tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
    last = t;
  };

  /** A request larger than the bucket or the in-flight cap waits for a full bucket / idle line. */
  const fits = (n: number): boolean => {
    const needTokens = Math.min(n, burst);
    const tokensOk = rate === 0 || tokens >= needTokens;
    const flightOk = inFlight === 0 || inFlight + n <= maxInFlight;
    return tokensOk && flightOk;
  };

  const pump = (): void => {
    refill();
    while (waiters.length > 0) {
      const w = waiters[0] as Waiter;
      if (!fits(w.n)) break;
      waiters.shift();
      if (rate > 0) tokens -= w.n;
      inFlight += w.n;
      w.resolve();
    }
    if (waiters.length > 0 && timer === null) {
      const w = waiters[0] as Waiter;
      const deficit = rate > 0 ? Math.max(0, Math.min(w.n, burst) - tokens) : 0;
      // Waiting for tokens: sleep until enough have dripped in. Waiting for replies: release() pumps.
      if (deficit > 0) {
        timer = setTimeout(
          () => {
            timer = null;
            pump();
          },
          Math.max(1, Math.ceil((deficit / rate) * 1000)),
        );
        timer.unref?.();
      }
    }
  };

  return {
    acquire(n) {
      return new Promise<void>((resolve, reject) => {
        waiters.push({ n, resolve, reject });
        if (waiters.length === 1) pump();
      });
    },
    tryAcquire(n) {
      if (waiters.length > 0) return false;
      refill();
      if (!fits(n)) return false;
      if (rate > 0) tokens -= n;
      inFlight += n;
      return true;
    },
    release(n) {
      inFlight = Math.max(0, inFlight - n);
      if (waiters.length > 0) pump();
    },
    abort(err) {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const w of waiters.splice(0)) w.reject(err);
    },
    slowDown() {
      refill();
      // An uncapped connection (the user's own server) drops to half the public servers' cap.
      rate = rate > 0 ? Math.max(SLOWEST_RATE, rate / 2) : DEFAULT_RATE_LIMIT.requestsPerSecond / 2;
    },
    get inFlight() {
      return inFlight;
    },
  };
}

/** Requests per second a slowed-down connection never goes below: a sync still finishes. */
const SLOWEST_RATE = 10;
