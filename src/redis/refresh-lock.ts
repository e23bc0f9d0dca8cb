// The refresh lock shared by every replica (issue #6): one replica at a time renews a seller's
// tokens, because TikTok rotates the refresh token (§2.3) and a second use of it fails.
import type { RefreshLock } from '../auth/token-manager.js';
import { RefreshUnavailableError } from './errors.js';
import type { RedisLogger } from './logger.js';
import type { Redis } from './redis-connection.js';
import { createRedisLock, type LockLease } from './redis-lock.js';

export type { LockLease };

export interface RedisRefreshLockOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** Key prefix (RedisConfig.keyPrefix): locks live at `<prefix>lock:refresh:<open_id>`. */
  keyPrefix: string;
  /**
   * Lock lifetime, ms (REDIS_REFRESH_LOCK_TTL_MS, default 15 000). A live holder extends it every
   * third of it; a holder that dies stops extending and the lock expires after at most this.
   */
  ttlMs?: number;
  /** Longest wait for another holder, ms (REDIS_REFRESH_WAIT_MS, default 30 000). */
  waitMs?: number;
  /** Pause between attempts to take a held lock, ms, ±50 % jitter. Default 50. */
  pollMs?: number;
  logger?: RedisLogger;
}

export interface RedisRefreshLock extends RefreshLock {
  /**
   * Takes the seller's lock if nobody holds it (SET NX PX); null when someone does. Not extended
   * by itself: `withLock` does that. Rejects with the Redis error when Redis is down.
   */
  tryAcquire(openId: string): Promise<LockLease | null>;
}

/**
 * A RefreshLock on Redis. `withLock` waits (polling) while another replica holds the seller's
 * lock, then runs the work, which re-reads the store and finds the tokens already renewed. It
 * refuses with RefreshUnavailableError when Redis does not answer (no lock, no refresh: a race
 * would burn the refresh token) or when the wait runs out. Should a holder stall past the TTL, a
 * second replica may refresh too; the token store's compare-and-set on the version still keeps
 * the late one from overwriting newer tokens.
 */
export function createRedisRefreshLock(options: RedisRefreshLockOptions): RedisRefreshLock {
  const lock = createRedisLock({
    redis: options.redis,
    keyOf: (openId) => `${options.keyPrefix}lock:refresh:${openId}`,
    ttlMs: options.ttlMs ?? 15_000,
    waitMs: options.waitMs ?? 30_000,
    pollMs: options.pollMs,
    refusal: (openId, reason, cause) => new RefreshUnavailableError(reason, openId, { cause }),
    // Refreshes are refused while Redis is down: logged once, not once per seller.
    messages: {
      down:
        'Redis unavailable: token refreshes are refused until it is back (still-valid access ' +
        'tokens keep being served)',
      up: 'Redis answers again: token refreshes resume',
      lost:
        'Refresh lock expired while the refresh ran; the version check still keeps a late write ' +
        'from overwriting newer tokens',
      notReleased: 'Refresh lock not released (Redis unavailable); it expires after its TTL',
    },
    logger: options.logger,
  });
  return {
    tryAcquire: lock.tryAcquire,
    withLock: (openId, work) => lock.withLock(openId, () => work()),
  };
}
