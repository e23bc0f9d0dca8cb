// The limiter a replica falls back on while Redis is down: its share of the app-wide budget.
import type { RateLimitConfig } from '../config.js';
import {
  createTokenBucketRateLimiter,
  type RateBudget,
  type RateLimiter,
} from '../datasources/tiktok/rate-limiter.js';

/**
 * One replica's slice of `rateLimit` when `replicas` replicas share it without coordination: the
 * rate divided evenly and the burst rounded down (at least 1), so all replicas together never
 * exceed the shared budget. Queue and wait bounds stay per replica.
 */
export function replicaShare(rateLimit: RateLimitConfig, replicas: number): RateLimitConfig {
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new RangeError('replicas must be a whole number of at least 1');
  }
  const share = (budget: RateBudget): RateBudget => ({
    requestsPerSecond: budget.requestsPerSecond / replicas,
    burst: Math.max(1, Math.floor(budget.burst / replicas)),
  });
  return {
    ...share(rateLimit),
    analytics: rateLimit.analytics && share(rateLimit.analytics),
    maxQueue: rateLimit.maxQueue,
    maxWaitMs: rateLimit.maxWaitMs,
  };
}

export interface ReplicaShareRateLimiterOptions {
  /** The budget all replicas share (Config.rateLimit). */
  rateLimit: RateLimitConfig;
  /** Replicas sharing it (REDIS_REPLICAS). */
  replicas: number;
  /** Monotonic clock, ms. Default performance.now. */
  now?: () => number;
  /** Schedules `callback` after `delayMs`. Default setTimeout. */
  setTimer?: (callback: () => void, delayMs: number) => void;
}

/** The in-memory token bucket with this replica's share of the budget. */
export function createReplicaShareRateLimiter(
  options: ReplicaShareRateLimiterOptions,
): RateLimiter {
  return createTokenBucketRateLimiter({
    ...replicaShare(options.rateLimit, options.replicas),
    ...(options.now ? { now: options.now } : {}),
    ...(options.setTimer ? { setTimer: options.setTimer } : {}),
  });
}
