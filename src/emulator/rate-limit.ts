// Token bucket per (app, shop) — or per (app, seller) on seller-level routes — answering 429 (§7).

export interface RateLimiterOptions {
  /** Sustained rate, tokens added per second. */
  requestsPerSecond: number;
  /** Bucket size: requests allowed at once from a full bucket. */
  burst: number;
  /**
   * Monotonic clock, ms (default performance.now). Deliberately not the emulator's `now` option:
   * a test that freezes `now` must not freeze the bucket too.
   */
  clockMs?: () => number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one token from the key's bucket, or says how long until one is available. */
  take(key: string): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { requestsPerSecond, burst } = options;
  if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
    throw new RangeError('rate limit: requestsPerSecond must be a positive number');
  }
  if (!Number.isInteger(burst) || burst < 1) {
    throw new RangeError('rate limit: burst must be an integer of at least 1');
  }
  const clockMs = options.clockMs ?? (() => performance.now());
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      const nowMs = clockMs();
      const bucket = buckets.get(key) ?? { tokens: burst, updatedAtMs: nowMs };
      const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
      bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * requestsPerSecond);
      bucket.updatedAtMs = nowMs;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      // Retry-After is whole seconds and never 0, so a client cannot spin on it.
      const waitSeconds = (1 - bucket.tokens) / requestsPerSecond;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
    },
  };
}
