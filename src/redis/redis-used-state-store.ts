// Used OAuth states shared by every replica and kept across restarts (issue 10): one Redis key
// per used nonce, set only if absent and expiring with its state.
import type { UsedStateStore } from '../auth/oauth.js';
import type { Redis } from './redis-connection.js';

export interface RedisUsedStateStoreOptions {
  /** A client from createRedisConnection (fails fast while Redis is down). */
  redis: Redis;
  /** Key prefix (RedisConfig.keyPrefix); this store uses `<prefix>oauth-state:<nonce>`. */
  keyPrefix: string;
  /** Clock, ms since the epoch. Default Date.now. */
  now?: () => number;
}

/**
 * `SET <prefix>oauth-state:<nonce> 1 NX PX <ms until the state expires>`: atomic, so of two
 * replicas seeing one state only one accepts it, and Redis drops the key once the state has
 * expired. While Redis is down markUsed throws, and the callback refuses the state (never
 * accepts one it cannot record).
 */
export function createRedisUsedStateStore(options: RedisUsedStateStoreOptions): UsedStateStore {
  const { redis, keyPrefix } = options;
  const now = options.now ?? Date.now;
  return {
    async markUsed(nonce, expiresAtMs) {
      const ttlMs = Math.max(1, Math.ceil(expiresAtMs - now()));
      const answer = await redis.set(`${keyPrefix}oauth-state:${nonce}`, '1', 'PX', ttlMs, 'NX');
      return answer === 'OK';
    },
  };
}
