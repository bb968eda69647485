import { describe, expect, it } from 'vitest';
import { delayAfterFailures, MAX_DELAY_MS, retryAfterMs } from '../../main/vault/rate-limit';

describe('vault rate limit', () => {
  it('lets the first 3 failures pass, then doubles from 1 s up to 5 minutes', () => {
    const delays = Array.from({ length: 14 }, (_, n) => delayAfterFailures(n));
    expect(delays).toEqual([
      0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ]);
    expect(delayAfterFailures(10_000)).toBe(MAX_DELAY_MS);
  });

  it('counts the wait from the last failure', () => {
    expect(retryAfterMs(3, 1000, 1000)).toBe(1000);
    expect(retryAfterMs(3, 1000, 1600)).toBe(400);
    expect(retryAfterMs(3, 1000, 2000)).toBe(0);
    expect(retryAfterMs(5, 1000, 99_000)).toBe(0);
    expect(retryAfterMs(2, 1000, 1000)).toBe(0);
    expect(retryAfterMs(4, null, 1000)).toBe(0);
  });

  it('never asks for more than the delay when the clock went backwards', () => {
    expect(retryAfterMs(4, 50_000, 10_000)).toBe(2000);
  });
});
