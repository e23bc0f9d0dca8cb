// The stock-write lock shared by every replica (issue 10): one write at a time per (shop, product)
// across the replicas, the WriteLock of src/datasources/tiktok/write-lock.ts on Redis.
import { type WriteLock, WriteLockUnavailableError } from '../datasources/tiktok/write-lock.js';
import type { RedisLogger } from './logger.js';
import type { Redis } from './redis-connection.js';
import { createRedisLock } from './redis-lock.js';

export interface RedisWriteLockOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** Key prefix (RedisConfig.keyPrefix): locks live at `<prefix>lock:write:<shop>:<product>`. */
  keyPrefix: string;
  /** Lock lifetime, ms (INVENTORY_WRITE_LOCK_TTL_MS); renewed every third of it. */
  ttlMs: number;
  /** Longest wait for another replica's write to the product, ms (INVENTORY_WRITE_WAIT_MS). */
  waitMs: number;
  /** Pause between attempts to take a held lock, ms, ±50 % jitter. Default 50. */
  pollMs?: number;
  logger?: RedisLogger;
}

/**
 * A WriteLock on Redis. A write is refused (WriteLockUnavailableError, nothing sent) when Redis
 * does not answer: without the lock two replicas could each re-send the other's warehouses from a
 * stale read. The lease is renewed while the write runs; `isHeld()` turns false when a renewal is
 * overdue, and the write then sends nothing more.
 */
export function createRedisWriteLock(options: RedisWriteLockOptions): WriteLock {
  const lock = createRedisLock({
    redis: options.redis,
    keyOf: (key) => `${options.keyPrefix}lock:write:${key}`,
    ttlMs: options.ttlMs,
    waitMs: options.waitMs,
    pollMs: options.pollMs,
    refusal: (key, reason, cause) =>
      new WriteLockUnavailableError(reason === 'lock_timeout' ? 'busy' : 'unavailable', key, {
        cause,
      }),
    messages: {
      down: 'Redis unavailable: stock writes are refused until it is back',
      up: 'Redis answers again: stock writes resume',
      lost: 'Stock write lock expired while the write ran; nothing more is sent for it',
      notReleased: 'Stock write lock not released (Redis unavailable); it expires after its TTL',
    },
    logger: options.logger,
  });
  return { withLock: lock.withLock };
}
