// Which notifications were already handled (issue 13): TikTok retries a delivery it thinks failed
// (§8: +2 min, +30 min, +3 h, +12 h, about 15.5 h in all), and each retry carries the same
// `tts_notification_id`. With Redis the first replica to claim an id wins (`SET NX PX`), so a retry
// reaching another replica is known there too; without Redis (or while it is down) an LRU here.
import { LRUCache } from 'lru-cache';
import { createOutageLog, type RedisLogger, silentRedisLogger } from '../redis/logger.js';
import { isRedisUnavailable, type Redis } from '../redis/redis-connection.js';

export interface DeliveryDedup {
  /** true the first time `notificationId` is claimed within the TTL, false for a repeat. */
  claim(notificationId: string): Promise<boolean>;
}

export interface DeliveryDedupOptions {
  /** How long an id is remembered, ms (WEBHOOK_DEDUP_TTL_MS): longer than TikTok's retries. */
  ttlMs: number;
  /** Ids this replica remembers at most. Default 100 000 (a few MB). */
  maxEntries?: number;
  /** Shared claims across replicas; without it this replica only. */
  redis?: { connection: Redis; keyPrefix: string };
  logger?: RedisLogger;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
}

export function createDeliveryDedup(options: DeliveryDedupOptions): DeliveryDedup {
  const { ttlMs, redis } = options;
  const now = options.now ?? Date.now;
  const seen = new LRUCache<string, true>({
    max: options.maxEntries ?? 100_000,
    ttl: ttlMs,
    perf: { now },
  });
  const outage = createOutageLog(options.logger ?? silentRedisLogger, {
    down:
      'Redis unavailable: webhook deliveries are deduplicated on this replica only until it ' +
      'is back (a retry reaching another replica may be processed twice)',
    up: 'Redis answers again: webhook deliveries are deduplicated across replicas again',
  });

  return {
    async claim(notificationId) {
      // Claimed here first, before any await: a repeat arriving meanwhile is already a repeat.
      if (seen.has(notificationId)) return false;
      seen.set(notificationId, true);
      if (!redis) return true;
      try {
        const answer = await redis.connection.set(
          `${redis.keyPrefix}webhooks:seen:${notificationId}`,
          '1',
          'PX',
          ttlMs,
          'NX',
        );
        outage.up();
        return answer === 'OK';
      } catch (error) {
        if (!isRedisUnavailable(error)) throw error;
        outage.down({}, error);
        return true;
      }
    },
  };
}
