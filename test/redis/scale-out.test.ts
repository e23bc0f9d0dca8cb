// createRedisScaleOut as server.ts would call it: two replicas on the shared Redis, and a start
// while Redis is not there yet (private server on its own port).
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../../src/config.js';
import type { InvalidationEvent } from '../../src/redis/cache-invalidation.js';
import type { RedisConfig } from '../../src/redis/redis-config.js';
import { createRedisScaleOut, type RedisScaleOut } from '../../src/redis/scale-out.js';
import {
  createRecordingLogger,
  deleteKeys,
  type PrivateRedis,
  reconnected,
  SHARED_REDIS_URL,
  startPrivateRedis,
  uniquePrefix,
} from './helpers/redis.js';

const rateLimit: RateLimitConfig = {
  requestsPerSecond: 10,
  burst: 5,
  maxQueue: 100,
  maxWaitMs: 5_000,
};
const encryptionKey = Buffer.alloc(32, 3);
const opened: RedisScaleOut[] = [];
let server: PrivateRedis | undefined;
/** Keys to remove from the shared server after the test. */
let sharedPrefix: string | undefined;

afterEach(async () => {
  const [first] = opened;
  if (first && sharedPrefix) await deleteKeys(first.redis, sharedPrefix);
  sharedPrefix = undefined;
  await Promise.all(opened.splice(0).map((scaleOut) => scaleOut.close()));
  await server?.stop();
  server = undefined;
});

function config(overrides: Partial<RedisConfig>): RedisConfig {
  const keyPrefix = overrides.keyPrefix ?? uniquePrefix('scale-out');
  return {
    url: SHARED_REDIS_URL,
    keyPrefix,
    replicas: 2,
    connectTimeoutMs: 2_000,
    commandTimeoutMs: 1_000,
    refreshLockTtlMs: 5_000,
    refreshWaitMs: 5_000,
    invalidationChannel: `${keyPrefix}invalidate`,
    instanceId: 'replica-a',
    ...overrides,
  };
}

async function start(redisConfig: RedisConfig, logger = createRecordingLogger().logger) {
  const scaleOut = await createRedisScaleOut({
    config: redisConfig,
    rateLimit,
    inventoryWrites: { lockTtlMs: 5_000, waitMs: 5_000 },
    encryptionKey,
    logger,
  });
  opened.push(scaleOut);
  return scaleOut;
}

describe('createRedisScaleOut', () => {
  it('gives two replicas one limiter bucket, one token store, one lock and one bus', async () => {
    const shared = config({});
    sharedPrefix = shared.keyPrefix;
    const first = await start(shared);
    const second = await start({ ...shared, instanceId: 'replica-b' });
    const received: InvalidationEvent[] = [];
    let onReceived = () => {};
    await second.invalidation.subscribe((event) => {
      received.push(event);
      onReceived();
    });

    await first.rateLimiter.acquire('app:shop-1');
    await second.rateLimiter.acquire('app:shop-1');
    expect(await first.redis.hget(`${shared.keyPrefix}rl:app:shop-1`, 'tokens')).toMatch(/^3\./);

    const saved = await first.tokenStore.saveSeller({
      openId: 'open-1',
      source: 'oauth',
      name: 'Seller',
      baseRegion: 'GB',
      userType: 0,
      grantedScopes: [],
      tokens: {
        accessToken: 'TTP_a',
        accessTokenExpiresAt: null,
        refreshToken: null,
        refreshTokenExpiresAt: null,
      },
      shops: [],
    });
    expect(await second.tokenStore.getSeller('open-1')).toEqual(saved);

    expect(await second.refreshLock.withLock('open-1', async () => 'locked')).toBe('locked');

    const arrived = new Promise<void>((resolve) => (onReceived = resolve));
    await first.invalidation.publish({ kind: 'product', shopId: 'shop-1', productId: 'p-1' });
    await arrived;
    expect(received).toEqual([{ kind: 'product', shopId: 'shop-1', productId: 'p-1' }]);
  });

  it('starts while Redis is down, in fallback, and joins Redis once it answers', async () => {
    server = await startPrivateRedis();
    await server.stop();
    const recording = createRecordingLogger();
    const scaleOut = await start(
      config({ url: server.url, connectTimeoutMs: 200, keyPrefix: 'tts:' }),
      recording.logger,
    );

    expect(recording.matching('error', /Redis did not answer at start/)).toHaveLength(1);
    await scaleOut.rateLimiter.acquire('app:shop-1');
    expect(scaleOut.rateLimiter.isShared).toBe(false);

    await server.start();
    await reconnected(scaleOut.redis);
    await scaleOut.rateLimiter.acquire('app:shop-1');
    expect(scaleOut.rateLimiter.isShared).toBe(true);
    expect(await scaleOut.tokenStore.load()).toEqual({ sellers: [] });
  });
});
