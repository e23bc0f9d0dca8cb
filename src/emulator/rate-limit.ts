// Token bucket per (app, shop) — or per (app, seller) on seller-level routes — and rate class,
// answering 429 (§7). TikTok allocates each endpoint class its own budget; tests change the
// budgets at runtime (the admin route) to watch the gateway adapt.

/** The classes TikTok's allocation tells apart; analytics paths carry `/analytics/`. */
export const RATE_CLASSES = ['standard', 'analytics'] as const;
export type RateClass = (typeof RATE_CLASSES)[number];

export function rateClassOf(path: string): RateClass {
  return path.includes('/analytics/') ? 'analytics' : 'standard';
}

export interface RateBudget {
  /** Sustained rate, tokens added per second. */
  requestsPerSecond: number;
  /** Bucket size: requests allowed at once from a full bucket. */
  burst: number;
}

/** A class's limit; false lets the class through unlimited. */
export type ClassLimit = RateBudget | false;
export type RateLimits = Record<RateClass, ClassLimit>;

export interface RateLimiterOptions {
  limits: RateLimits;
  /**
   * Monotonic clock, ms (default performance.now). Deliberately not the emulator's `now` option:
   * a test that freezes `now` must not freeze the bucket too.
   */
  clockMs?: () => number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one token from the key's bucket of `rateClass`, or says how long until one is available. */
  take(key: string, rateClass: RateClass): RateDecision;
  limits(): RateLimits;
  /**
   * Replaces the given classes' limits; throws RangeError (changing nothing) for an invalid one.
   * Buckets keep their tokens, capped at the new burst, and refill at the new rate from now.
   */
  setLimits(limits: Record<string, unknown>): void;
}

/**
 * A token due within this many ms counts as there: a client pacing exactly at the limit sees its
 * requests arrive a fraction of a ms early or late (network and event-loop jitter). The token is
 * still paid (the bucket goes that little below zero), so the long-run rate stays exact.
 */
const ARRIVAL_TOLERANCE_MS = 10;

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

function checkLimit(rateClass: string, limit: unknown): ClassLimit {
  if (limit === false) return false;
  const { requestsPerSecond, burst } = (limit ?? {}) as Partial<RateBudget>;
  if (
    typeof requestsPerSecond !== 'number' ||
    !(requestsPerSecond > 0) ||
    !Number.isFinite(requestsPerSecond)
  ) {
    throw new RangeError(`rate limit ${rateClass}: requestsPerSecond must be a positive number`);
  }
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`rate limit ${rateClass}: burst must be an integer of at least 1`);
  }
  return { requestsPerSecond, burst };
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clockMs = options.clockMs ?? (() => performance.now());
  const limits: RateLimits = { standard: false, analytics: false };
  const buckets = new Map<string, Bucket>();

  const setLimits = (changes: Record<string, unknown>) => {
    const unknown = Object.keys(changes).filter(
      (name) => !(RATE_CLASSES as readonly string[]).includes(name),
    );
    if (unknown.length > 0) {
      throw new RangeError(`rate limit: unknown class ${unknown.join(', ')}; use ${RATE_CLASSES}`);
    }
    const checked = Object.entries(changes).map(
      ([rateClass, limit]) => [rateClass as RateClass, checkLimit(rateClass, limit)] as const,
    );
    for (const [rateClass, limit] of checked) limits[rateClass] = limit;
  };
  setLimits(options.limits);

  return {
    take(key, rateClass) {
      const limit = limits[rateClass];
      if (!limit) return { ok: true };
      const { requestsPerSecond, burst } = limit;
      const nowMs = clockMs();
      const bucketKey = `${key} ${rateClass}`;
      const bucket = buckets.get(bucketKey) ?? { tokens: burst, updatedAtMs: nowMs };
      const elapsedSeconds = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
      bucket.tokens = Math.min(burst, bucket.tokens + elapsedSeconds * requestsPerSecond);
      bucket.updatedAtMs = nowMs;
      buckets.set(bucketKey, bucket);
      if (bucket.tokens >= 1 - (ARRIVAL_TOLERANCE_MS / 1000) * requestsPerSecond) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      // Retry-After is whole seconds and never 0, so a client cannot spin on it.
      const waitSeconds = (1 - bucket.tokens) / requestsPerSecond;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
    },
    limits: () => structuredClone(limits),
    setLimits,
  };
}
