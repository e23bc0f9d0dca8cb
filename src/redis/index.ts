// Public surface of the Redis scale-out pieces (issue #6, see docs/scale-out.md).
export type {
  InvalidationBus,
  InvalidationBusOptions,
  InvalidationEvent,
  InvalidationHandler,
  InvalidationMeta,
} from './cache-invalidation.js';
export { createInvalidationBus } from './cache-invalidation.js';
export type { RefreshUnavailableReason } from './errors.js';
export {
  RedisTokenStoreCorruptError,
  RefreshUnavailableError,
  TokenStoreUnavailableError,
} from './errors.js';
export type { RedisLogger } from './logger.js';
export type { RedisConfig } from './redis-config.js';
export { describeRedisUrl, loadRedisConfig, REDIS_SECRET_VARIABLES } from './redis-config.js';
export type { Redis, RedisConnectionOptions } from './redis-connection.js';
export {
  closeRedis,
  createRedisConnection,
  isRedisUnavailable,
  waitUntilReady,
} from './redis-connection.js';
export type { RedisRateLimiter, RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { createRedisRateLimiter } from './redis-rate-limiter.js';
export type { RedisTokenStore, RedisTokenStoreOptions } from './redis-token-store.js';
export { createRedisTokenStore, importSellers } from './redis-token-store.js';
export type { RedisUsedStateStoreOptions } from './redis-used-state-store.js';
export { createRedisUsedStateStore } from './redis-used-state-store.js';
export type { LockLease, RedisRefreshLock, RedisRefreshLockOptions } from './refresh-lock.js';
export { createRedisRefreshLock } from './refresh-lock.js';
export type { ReplicaShareRateLimiterOptions } from './replica-share.js';
export { createReplicaShareRateLimiter, replicaShare } from './replica-share.js';
export type { RedisScaleOut, RedisScaleOutOptions } from './scale-out.js';
export { createRedisScaleOut } from './scale-out.js';
