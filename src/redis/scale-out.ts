// Wires the Redis pieces of issue #6 from a RedisConfig: what createApp (src/app.ts) needs when
// REDIS_URL is set.
import type { UsedStateStore } from '../auth/oauth.js';
import type { InventoryWriteConfig, RateLimitConfig } from '../config.js';
import type { WriteLock } from '../datasources/tiktok/write-lock.js';
import type { TikTokEventTopics } from '../webhooks/event-bus.js';
import type { ReconcileCursorStore } from '../webhooks/reconcile-cursors.js';
import type { ReconcileLock } from '../webhooks/reconciler.js';
import { createInvalidationBus, type InvalidationBus } from './cache-invalidation.js';
import { createSharedEventTarget, type SharedEventTarget } from './event-target.js';
import { type RedisLogger, silentRedisLogger } from './logger.js';
import { createRedisReconcileLock } from './reconcile-lock.js';
import type { RedisConfig } from './redis-config.js';
import { describeRedisUrl } from './redis-config.js';
import {
  closeRedis,
  createRedisConnection,
  type Redis,
  waitUntilReady,
} from './redis-connection.js';
import { createRedisRateLimiter, type RedisRateLimiter } from './redis-rate-limiter.js';
import { createRedisReconcileCursors } from './redis-reconcile-cursors.js';
import { createRedisTokenStore, type RedisTokenStore } from './redis-token-store.js';
import { createRedisUsedStateStore } from './redis-used-state-store.js';
import { createRedisRefreshLock, type RedisRefreshLock } from './refresh-lock.js';
import { createRedisWriteLock } from './write-lock.js';

export interface RedisScaleOutOptions {
  config: RedisConfig;
  /** The budget per (app, shop) all replicas share (Config.rateLimit). */
  rateLimit: RateLimitConfig;
  /** The write lock's lifetime and wait (Config.inventoryWrites). */
  inventoryWrites: Pick<InventoryWriteConfig, 'lockTtlMs' | 'waitMs'>;
  /** 32-byte TOKEN_ENCRYPTION_KEY; every replica needs the same one. */
  encryptionKey: Uint8Array;
  logger?: RedisLogger;
}

export interface RedisScaleOut {
  /** The shared connection (commands fail fast while Redis is down). */
  redis: Redis;
  /** Replaces createTokenBucketRateLimiter(config.rateLimit) in the TikTok client. */
  rateLimiter: RedisRateLimiter;
  /** Replaces the file token store. */
  tokenStore: RedisTokenStore;
  /** createTokenManager({ …, refreshLock }). */
  refreshLock: RedisRefreshLock;
  /** createGateway({ …, writeLock }): one stock write per product across the replicas. */
  writeLock: WriteLock;
  /** createOAuthFlow({ …, usedStates }): a used state is refused by every replica, after restarts. */
  usedStates: UsedStateStore;
  /** Publish after a write; subscribe to evict from the shared cache. */
  invalidation: InvalidationBus;
  /** The reconciler's cursors, shared and kept across restarts (issue 13). */
  reconcileCursors: ReconcileCursorStore;
  /** One replica at a time reconciles a shop (issue 13). */
  reconcileLock: ReconcileLock;
  /** The event bus's target (issue 13): a webhook one replica received reaches every replica. */
  events: SharedEventTarget<TikTokEventTopics>;
  /** Closes the buses, detaches the store and closes the connection. */
  close(): Promise<void>;
}

/**
 * Connects and builds every piece. Waits up to `connectTimeoutMs` for Redis; if it does not
 * answer, the gateway starts anyway in the documented fallbacks and logs it.
 */
export async function createRedisScaleOut(options: RedisScaleOutOptions): Promise<RedisScaleOut> {
  const { config, rateLimit, inventoryWrites, encryptionKey } = options;
  const logger = options.logger ?? silentRedisLogger;
  const redis = createRedisConnection({
    url: config.url,
    name: `tts-gateway:${config.instanceId}`,
    connectTimeoutMs: config.connectTimeoutMs,
    commandTimeoutMs: config.commandTimeoutMs,
    logger,
  });
  if (!(await waitUntilReady(redis, config.connectTimeoutMs))) {
    logger.error(
      { redis: describeRedisUrl(config.url) },
      'Redis did not answer at start: running in fallback mode until it does (see docs/scale-out.md)',
    );
  }
  const tokenStore = createRedisTokenStore({
    redis,
    keyPrefix: config.keyPrefix,
    encryptionKey,
    logger,
  });
  const invalidation = createInvalidationBus({
    redis,
    channel: config.invalidationChannel,
    instanceId: config.instanceId,
    logger,
  });
  const events = createSharedEventTarget<TikTokEventTopics>({
    redis,
    channelPrefix: config.keyPrefix,
    logger,
  });
  return {
    redis,
    rateLimiter: createRedisRateLimiter({
      redis,
      rateLimit,
      keyPrefix: config.keyPrefix,
      replicas: config.replicas,
      logger,
    }),
    tokenStore,
    refreshLock: createRedisRefreshLock({
      redis,
      keyPrefix: config.keyPrefix,
      ttlMs: config.refreshLockTtlMs,
      waitMs: config.refreshWaitMs,
      logger,
    }),
    writeLock: createRedisWriteLock({
      redis,
      keyPrefix: config.keyPrefix,
      ttlMs: inventoryWrites.lockTtlMs,
      waitMs: inventoryWrites.waitMs,
      logger,
    }),
    usedStates: createRedisUsedStateStore({ redis, keyPrefix: config.keyPrefix }),
    invalidation,
    reconcileCursors: createRedisReconcileCursors({ redis, keyPrefix: config.keyPrefix }),
    reconcileLock: createRedisReconcileLock({ redis, keyPrefix: config.keyPrefix, logger }),
    events,
    async close() {
      await invalidation.close();
      await events.close();
      tokenStore.close();
      await closeRedis(redis);
    },
  };
}
