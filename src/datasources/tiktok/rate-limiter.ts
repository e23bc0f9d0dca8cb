// Client-side throttle: a token bucket per (app, shop, rate class), the unit TikTok allocates
// limits by (§7): analytics endpoints get a far smaller budget than the standard ones.
import { createAdaptiveRates } from './adaptive-rates.js';
import type { RateClass } from './endpoints.js';
import { localRateLimitError, type TikTokShopRateLimitError } from './errors.js';

/** One class's budget: sustained requests per second and the bucket size. */
export interface RateBudget {
  requestsPerSecond: number;
  burst: number;
}

/** The budget of each rate class; a class without its own uses `standard`. */
export type RateBudgets = { standard: RateBudget } & {
  [Class in RateClass]?: RateBudget | undefined;
};

export function budgetFor(budgets: RateBudgets, rateClass: RateClass): RateBudget {
  return budgets[rateClass] ?? budgets.standard;
}

function checkBudget({ requestsPerSecond, burst }: RateBudget): void {
  if (!(requestsPerSecond > 0) || !(burst >= 1)) {
    throw new RangeError('requestsPerSecond must be > 0 and burst >= 1');
  }
}

export function checkBudgets(budgets: RateBudgets): void {
  for (const budget of Object.values(budgets)) if (budget) checkBudget(budget);
}

/**
 * Grants permission to send one upstream request for `key`. The in-memory token bucket below
 * implements it; a shared (e.g. Redis-backed) limiter for several gateway instances can too.
 */
export interface RateLimiter {
  /**
   * Resolves when one request for `key` may be sent. Callers wait in FIFO order. Rejects at
   * once, without anything being sent, with a TikTokShopRateLimitError (`isLocal: true`,
   * `retryAfterMs` set) when waiting is refused (queue full or wait longer than allowed).
   * `rateClass` (default standard) picks the budget of a bucket the key creates. `maxWaitMs`
   * shortens the configured wait bound for this caller (the time left before its request's
   * deadline), never lengthens it.
   */
  acquire(key: string, rateClass?: RateClass, maxWaitMs?: number): Promise<void>;
  /**
   * Tells the limiter how TikTok answered a request it let through for `key`: `throttled` for a
   * 429, false otherwise. Adaptive limiters lower and restore the key's rate from it (AIMD).
   */
  report(key: string, rateClass: RateClass, throttled: boolean): void;
  /**
   * The lowest priority (the reconciler, issue 13): takes a slot for `key` only when its bucket is
   * full and nobody waits for it, so it never queues ahead of a caller, and never waits itself.
   */
  tryAcquireIdle(key: string, rateClass?: RateClass): Promise<IdleSlot>;
  /** What the lowest-priority asks did since the start. */
  backgroundCounts(): BackgroundCounts;
}

/** The answer to tryAcquireIdle. */
export interface IdleSlot {
  isGranted: boolean;
  /** Not granted: ms until the bucket can be full again (the earliest worth asking again). */
  retryAfterMs: number;
}

export interface BackgroundCounts {
  /** Lowest-priority slots granted. */
  granted: number;
  /** Lowest-priority asks refused: the bucket was in use. */
  refused: number;
  /**
   * Callers that had to wait, or were refused, while their bucket had not been full again since
   * a lowest-priority slot: the only callers that slot can have cost anything (one slot's wait).
   */
  callersDelayed: number;
}

export const NO_BACKGROUND_COUNTS: BackgroundCounts = { granted: 0, refused: 0, callersDelayed: 0 };

/** Two limiters' counts together (a shared limiter and its fallback). */
export function addBackgroundCounts(a: BackgroundCounts, b: BackgroundCounts): BackgroundCounts {
  return {
    granted: a.granted + b.granted,
    refused: a.refused + b.refused,
    callersDelayed: a.callersDelayed + b.callersDelayed,
  };
}

/** The key TikTok isolates limits by (§7): one bucket per app, authorized shop and rate class. */
export function rateLimitKey(
  appKey: string,
  shopId: string | undefined,
  rateClass: RateClass,
): string {
  return `${appKey}:${shopId ?? 'seller'}:${rateClass}`;
}

/** The wait bound of one acquire: the configured one, shortened by the caller's own. */
export function waitBoundMs(configuredMs: number, callerMs: number | undefined): number {
  return callerMs === undefined ? configuredMs : Math.max(0, Math.min(configuredMs, callerMs));
}

/** A limiter's refusal for `key`: nothing was sent; a slot is `retryAfterMs` away. */
export function rateLimitRefusal(
  key: string,
  why: string,
  retryAfterMs: number,
): TikTokShopRateLimitError {
  return localRateLimitError(
    `rate limit for ${key} reached: ${why}`,
    'rate-limiter.acquire',
    retryAfterMs,
  );
}

export interface TokenBucketRateLimiterOptions {
  /** Sustained requests per second per standard-class key (RateLimitConfig.requestsPerSecond). */
  requestsPerSecond: number;
  /** Requests that may go at once after idling; the bucket size (RateLimitConfig.burst). */
  burst: number;
  /** The analytics class's budget (RateLimitConfig.analytics). Default: the standard one. */
  analytics?: RateBudget | undefined;
  /** Callers that may wait per key; more are refused (RateLimitConfig.maxQueue). */
  maxQueue: number;
  /** Longest computed wait a caller accepts, ms; longer is refused (RateLimitConfig.maxWaitMs). */
  maxWaitMs: number;
  /** Monotonic clock, ms. Default performance.now. */
  now?: () => number;
  /** Schedules `callback` after `delayMs`. Default setTimeout. */
  setTimer?: (callback: () => void, delayMs: number) => void;
}

interface Waiter {
  resolve: () => void;
}

interface Bucket {
  tokensPerMs: number;
  burst: number;
  tokens: number;
  updatedAtMs: number;
  queue: Waiter[];
  hasTimer: boolean;
  /**
   * A lowest-priority slot was taken and the bucket has not been full since: until it is, a
   * caller has one token fewer than it would have had.
   */
  owesBackground: boolean;
}

/** Buckets kept before idle full ones are dropped (they equal a fresh bucket). */
const SWEEP_THRESHOLD = 10_000;
/** Slack for floating-point refill sums (10 tokens/s for 0.1 s can sum to 0.999…). */
const EPSILON = 1e-9;

export function createTokenBucketRateLimiter(options: TokenBucketRateLimiterOptions): RateLimiter {
  const { maxQueue, maxWaitMs } = options;
  const budgets: RateBudgets = {
    standard: { requestsPerSecond: options.requestsPerSecond, burst: options.burst },
    analytics: options.analytics,
  };
  checkBudgets(budgets);
  const rates = createAdaptiveRates(budgets);
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((callback, delayMs) => void setTimeout(callback, delayMs));
  const buckets = new Map<string, Bucket>();
  const counts: BackgroundCounts = { ...NO_BACKGROUND_COUNTS };

  const refill = (bucket: Bucket, atMs: number) => {
    const elapsedMs = Math.max(0, atMs - bucket.updatedAtMs);
    bucket.tokens = Math.min(bucket.burst, bucket.tokens + elapsedMs * bucket.tokensPerMs);
    bucket.updatedAtMs = atMs;
    if (bucket.tokens >= bucket.burst - EPSILON) bucket.owesBackground = false;
  };

  const sweep = (atMs: number) => {
    for (const [key, bucket] of buckets) {
      refill(bucket, atMs);
      if (bucket.queue.length === 0 && !bucket.hasTimer && bucket.tokens >= bucket.burst)
        buckets.delete(key);
    }
  };

  /** The key's bucket, refilled to now (created full). */
  const bucketFor = (key: string, rateClass: RateClass): Bucket => {
    const atMs = now();
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= SWEEP_THRESHOLD) sweep(atMs);
      const { burst } = budgetFor(budgets, rateClass);
      bucket = {
        tokensPerMs: rates.rateFor(key, rateClass) / 1000,
        burst,
        tokens: burst,
        updatedAtMs: atMs,
        queue: [],
        hasTimer: false,
        owesBackground: false,
      };
      buckets.set(key, bucket);
    }
    refill(bucket, atMs);
    return bucket;
  };

  // One timer per key: it fires when the head of the queue can have a token, releases every
  // waiter the bucket can pay for, and re-arms itself while anyone is still waiting.
  const schedule = (bucket: Bucket) => {
    if (bucket.hasTimer || bucket.queue.length === 0) return;
    bucket.hasTimer = true;
    const delayMs = Math.max(0, Math.ceil((1 - bucket.tokens) / bucket.tokensPerMs));
    setTimer(() => {
      bucket.hasTimer = false;
      drain(bucket);
    }, delayMs);
  };

  const drain = (bucket: Bucket) => {
    refill(bucket, now());
    while (bucket.queue.length > 0 && bucket.tokens >= 1 - EPSILON) {
      bucket.tokens -= 1;
      bucket.queue.shift()?.resolve();
    }
    schedule(bucket);
  };

  return {
    report(key, rateClass, throttled) {
      rates.report(key, rateClass, throttled);
      const bucket = buckets.get(key);
      if (bucket) {
        refill(bucket, now());
        bucket.tokensPerMs = rates.rateFor(key, rateClass) / 1000;
      }
    },

    acquire(key, rateClass = 'standard', callerMaxWaitMs) {
      const bucket = bucketFor(key, rateClass);
      if (bucket.queue.length === 0 && bucket.tokens >= 1 - EPSILON) {
        bucket.tokens -= 1;
        return Promise.resolve();
      }
      if (bucket.owesBackground) counts.callersDelayed += 1;
      // This caller gets the (queue + 1)-th token from now.
      const waitMs = Math.ceil((bucket.queue.length + 1 - bucket.tokens) / bucket.tokensPerMs);
      const boundMs = waitBoundMs(maxWaitMs, callerMaxWaitMs);
      if (bucket.queue.length >= maxQueue || waitMs > boundMs) {
        const why =
          bucket.queue.length >= maxQueue
            ? `${bucket.queue.length} calls already waiting`
            : `a slot is ${waitMs} ms away (limit ${boundMs} ms)`;
        return Promise.reject(rateLimitRefusal(key, why, waitMs));
      }
      const target = bucket;
      return new Promise<void>((resolve) => {
        target.queue.push({ resolve });
        schedule(target);
      });
    },

    async tryAcquireIdle(key, rateClass = 'standard') {
      const bucket = bucketFor(key, rateClass);
      if (bucket.queue.length === 0 && bucket.tokens >= bucket.burst - EPSILON) {
        bucket.tokens -= 1;
        bucket.owesBackground = true;
        counts.granted += 1;
        return { isGranted: true, retryAfterMs: 0 };
      }
      counts.refused += 1;
      // Full again once the waiting callers are served and the bucket has refilled.
      const missing = bucket.queue.length + bucket.burst - bucket.tokens;
      return { isGranted: false, retryAfterMs: Math.ceil(missing / bucket.tokensPerMs) };
    },

    backgroundCounts: () => ({ ...counts }),
  };
}
