// Which notifications were already handled (issue 13): TikTok retries a delivery it thinks failed
// (§8: +2 min, +30 min, +3 h, +12 h, about 15.5 h in all), and each retry carries the same
// `tts_notification_id`. With Redis the first replica to claim an id wins (`SET NX PX`), so a retry
// reaching another replica is known there too; without Redis (or while it is down) an LRU here.
import { isRedisUnavailable } from '../redis/redis-connection.js';
import { createKeptState, type KeptStateOptions } from './kept-state.js';

export interface DeliveryDedup {
  /** true the first time `notificationId` is claimed within the TTL, false for a repeat. */
  claim(notificationId: string): Promise<boolean>;
}

export function createDeliveryDedup(options: KeptStateOptions): DeliveryDedup {
  const { ttlMs, redis } = options;
  const { local: seen, outage } = createKeptState<true>(options, {
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
