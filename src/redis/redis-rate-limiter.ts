// The rate limiter shared by every replica (issue #6): one token bucket per (app, shop, rate class)
// in Redis, so replicas together stay within each budget TikTok gives the app for a shop (§7).
import type { RateLimitConfig } from '../config.js';
import { createAdaptiveRates } from '../datasources/tiktok/adaptive-rates.js';
import type { RateClass } from '../datasources/tiktok/endpoints.js';
import {
  addBackgroundCounts,
  type BackgroundCounts,
  budgetFor,
  checkBudgets,
  NO_BACKGROUND_COUNTS,
  type RateBudgets,
  type RateLimiter,
  rateLimitRefusal,
  waitBoundMs,
} from '../datasources/tiktok/rate-limiter.js';
import { describeError, type RedisLogger, silentRedisLogger } from './logger.js';
import { defineScript, type Redis } from './redis-connection.js';
import { createReplicaShareRateLimiter } from './replica-share.js';

/**
 * What both scripts start with: the bucket refilled to Redis's TIME, and `save()` to write it back.
 * Time is Redis's, so replicas whose clocks disagree still share one timeline; microseconds keep
 * integers exact in Lua's doubles. `owes`: a lowest-priority slot was taken and the bucket has not
 * been full since (see BackgroundCounts.callersDelayed). A bucket left alone until full equals a
 * fresh one, so it may vanish then. KEYS[1] bucket; ARGV[1] tokens per µs, ARGV[2] burst.
 */
const REFILLED_BUCKET = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'owes')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
local owes = state[3] == '1'
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate)
  at = now
end
if tokens >= burst - 1e-9 then owes = false end
local function save()
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.9f', tokens), 'at', string.format('%d', at),
    'owes', owes and '1' or '0')
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) / rate / 1000) + 1000)
end
`;

/**
 * A caller's slot: the next token now when one is there, else the first one not yet promised,
 * `wait` ms from now. A reservation over `maxWaitMs` away is refused and takes nothing. Tokens go
 * below zero while reservations are pending, so callers on every replica are served in the order
 * their reservations reached Redis. ARGV[3] max wait ms. Returns {granted 0|1, wait ms, delayed
 * 0|1}: delayed when the caller must wait while the bucket owes a lowest-priority slot.
 */
const RESERVE = defineScript(`${REFILLED_BUCKET}
local maxWaitMs = tonumber(ARGV[3])
local waitMs = 0
local delayed = 0
if tokens < 1 - 1e-9 then
  waitMs = math.ceil((1 - tokens) / rate / 1000)
  if owes then delayed = 1 end
  if waitMs > maxWaitMs then return {0, waitMs, delayed} end
end
tokens = tokens - 1
save()
return {1, waitMs, delayed}
`);

/**
 * A lowest-priority slot: only from a full bucket, which also means no reservation is pending on
 * any replica. Returns {granted 0|1, ms until the bucket can be full again}.
 */
const RESERVE_IDLE = defineScript(`${REFILLED_BUCKET}
if tokens < burst - 1e-9 then return {0, math.ceil((burst - tokens) / rate / 1000)} end
tokens = tokens - 1
owes = true
save()
return {1, 0}
`);

/** A script's reply of `length` numbers; anything else is a failure like an outage. */
function parseReply(reply: unknown, length: number): number[] {
  if (Array.isArray(reply) && reply.length === length) {
    const values = reply.map(Number);
    if (values.every(Number.isFinite)) return values;
  }
  throw new Error('Unexpected reply from the rate limit script');
}

export interface RedisRateLimiterOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** The budgets all replicas share, per (app, shop, class) (Config.rateLimit). */
  rateLimit: RateLimitConfig;
  /** Key prefix (RedisConfig.keyPrefix): buckets live at `<prefix>rl:<appKey>:<shop>:<class>`. */
  keyPrefix: string;
  /** Replicas sharing the budget (RedisConfig.replicas); sizes the default fallback. */
  replicas: number;
  /** Used while Redis is down. Default: the in-memory bucket with 1/replicas of the budget. */
  fallback?: RateLimiter;
  /** Told once per outage, at error level, that limiting went local. */
  logger?: RedisLogger;
  /** Schedules `callback` after `delayMs`. Default setTimeout. */
  setTimer?: (callback: () => void, delayMs: number) => void;
}

export interface RedisRateLimiter extends RateLimiter {
  /** false while Redis is down and this replica limits itself with its share of the budget. */
  readonly isShared: boolean;
}

/**
 * A RateLimiter with the in-memory bucket's contract (FIFO per key, bounded queue and wait,
 * TikTokShopRateLimitError with `isLocal` when refused, nothing sent) whose bucket is shared
 * through Redis. When a Redis call fails it switches to `fallback`, logs that once, and goes
 * back to Redis on the first call after the connection is ready again. Callers already waiting
 * for a slot Redis gave them keep it.
 */
export function createRedisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const { redis, rateLimit, keyPrefix } = options;
  const { maxQueue, maxWaitMs } = rateLimit;
  const budgets: RateBudgets = {
    standard: { requestsPerSecond: rateLimit.requestsPerSecond, burst: rateLimit.burst },
    analytics: rateLimit.analytics,
  };
  checkBudgets(budgets);
  // Each replica adapts from the answers it sees; the bucket they share refills at the rate of
  // whichever replica asks, so a 429 seen by one slows the others' grants only through it.
  const rates = createAdaptiveRates(budgets);
  const logger = options.logger ?? silentRedisLogger;
  const setTimer = options.setTimer ?? ((callback, delayMs) => void setTimeout(callback, delayMs));
  const fallback =
    options.fallback ??
    createReplicaShareRateLimiter({ rateLimit, replicas: options.replicas, setTimer });
  /** This replica's lowest-priority asks and delayed callers (the fallback counts its own). */
  const counts: BackgroundCounts = { ...NO_BACKGROUND_COUNTS };
  /** Callers of this process between acquire() and their slot, per key. */
  const waiting = new Map<string, number>();
  let isShared = true;

  const fallBack = (
    key: string,
    rateClass: RateClass,
    callerMaxWaitMs: number | undefined,
    error: unknown,
  ): Promise<void> => {
    if (isShared) {
      isShared = false;
      logger.error(
        {
          error: describeError(error),
          replicas: options.replicas,
          requestsPerSecond: rateLimit.requestsPerSecond / options.replicas,
        },
        'Redis unavailable: rate limiting is per replica now, each replica using its share of ' +
          'the budget (REDIS_REPLICAS); it is shared again once Redis answers',
      );
    }
    return fallback.acquire(key, rateClass, callerMaxWaitMs);
  };

  const release = (key: string) => {
    const count = (waiting.get(key) ?? 1) - 1;
    if (count === 0) waiting.delete(key);
    else waiting.set(key, count);
  };

  return {
    get isShared() {
      return isShared;
    },

    report(key, rateClass, throttled) {
      rates.report(key, rateClass, throttled);
      fallback.report(key, rateClass, throttled);
    },

    async acquire(key, rateClass = 'standard', callerMaxWaitMs) {
      // During an outage, skip Redis until its connection is back rather than fail each call.
      if (!isShared && redis.status !== 'ready') {
        return fallback.acquire(key, rateClass, callerMaxWaitMs);
      }
      const boundMs = waitBoundMs(maxWaitMs, callerMaxWaitMs);
      const { burst } = budgetFor(budgets, rateClass);
      const requestsPerSecond = rates.rateFor(key, rateClass);
      const ahead = waiting.get(key) ?? 0;
      if (ahead >= maxQueue) {
        throw rateLimitRefusal(
          key,
          `${ahead} calls already waiting`,
          Math.ceil((ahead + 1) / (requestsPerSecond / 1000)),
        );
      }
      waiting.set(key, ahead + 1);
      let granted: number | undefined;
      let waitMs: number | undefined;
      try {
        const reply = await RESERVE.run(
          redis,
          [`${keyPrefix}rl:${key}`],
          [requestsPerSecond / 1_000_000, burst, boundMs],
        );
        let delayed: number | undefined;
        [granted, waitMs = 0, delayed] = parseReply(reply, 3);
        if (delayed === 1) counts.callersDelayed += 1;
      } catch (error) {
        release(key);
        return fallBack(key, rateClass, callerMaxWaitMs, error);
      }
      if (!isShared) {
        isShared = true;
        logger.warn({}, 'Redis answers again: rate limiting is shared across replicas again');
      }
      if (granted !== 1) {
        release(key);
        throw rateLimitRefusal(key, `a slot is ${waitMs} ms away (limit ${boundMs} ms)`, waitMs);
      }
      if (waitMs > 0) await new Promise<void>((resolve) => setTimer(resolve, waitMs));
      release(key);
    },

    async tryAcquireIdle(key, rateClass = 'standard') {
      if (!isShared && redis.status !== 'ready') return fallback.tryAcquireIdle(key, rateClass);
      const { burst } = budgetFor(budgets, rateClass);
      let granted: number | undefined;
      let retryAfterMs: number | undefined;
      try {
        const reply = await RESERVE_IDLE.run(
          redis,
          [`${keyPrefix}rl:${key}`],
          [rates.rateFor(key, rateClass) / 1_000_000, burst],
        );
        [granted, retryAfterMs = 0] = parseReply(reply, 2);
      } catch {
        // The outage is logged by the callers' acquire; the reconciler just uses the fallback.
        return fallback.tryAcquireIdle(key, rateClass);
      }
      if (granted === 1) {
        counts.granted += 1;
        return { isGranted: true, retryAfterMs: 0 };
      }
      counts.refused += 1;
      return { isGranted: false, retryAfterMs };
    },

    backgroundCounts: () => addBackgroundCounts(counts, fallback.backgroundCounts()),
  };
}
