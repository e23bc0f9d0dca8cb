// Redis going away mid-run and coming back empty, on a private redis-server (own port, no
// persistence) that each test kills and restarts: the documented fallback of every piece.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenManager } from '../../src/auth/token-manager.js';
import type { AuthHostClient } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import {
  createInvalidationBus,
  type InvalidationEvent,
} from '../../src/redis/cache-invalidation.js';
import { RefreshUnavailableError, TokenStoreUnavailableError } from '../../src/redis/errors.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createRedisRateLimiter } from '../../src/redis/redis-rate-limiter.js';
import { createRedisTokenStore } from '../../src/redis/redis-token-store.js';
import { createRedisRefreshLock } from '../../src/redis/refresh-lock.js';
import { authHostFor, createClock, sellerRecord } from '../auth/support.js';
import {
  createConnections,
  createRecordingLogger,
  type PrivateRedis,
  reconnected,
  startPrivateRedis,
  watchUnhandledRejections,
} from './helpers/redis.js';
import { busiestWindow } from './helpers/windows.js';

const prefix = 'tts-test:';
const encryptionKey = Buffer.alloc(32, 9);
const connections = createConnections();
let server: PrivateRedis;
let rejections: ReturnType<typeof watchUnhandledRejections>;

beforeEach(async () => {
  rejections = watchUnhandledRejections();
  server = await startPrivateRedis();
});

afterEach(async () => {
  await connections.closeAll();
  await server.stop();
  rejections.stop();
  expect(rejections.seen).toEqual([]);
});

/** Kills the server and waits until `redis` noticed, so the next command meets the outage. */
async function killRedis(...clients: Redis[]) {
  await server.stop();
  await Promise.all(
    clients.map(
      (redis) =>
        redis.status === 'ready' &&
        new Promise((resolve) => redis.once('close', () => resolve(undefined))),
    ),
  );
}

describe('the rate limiter while Redis is down', () => {
  it('falls back to its share of the budget, says so once, and returns to Redis', async () => {
    const recording = createRecordingLogger();
    const redis = await connections.open(server.url, recording.logger);
    const limiter = createRedisRateLimiter({
      redis,
      rateLimit: { requestsPerSecond: 10, burst: 4, maxQueue: 100, maxWaitMs: 10_000 },
      keyPrefix: prefix,
      replicas: 2,
      logger: recording.logger,
    });
    await limiter.acquire('app:shop-1');
    expect(limiter.isShared).toBe(true);

    await killRedis(redis);
    const grantsMs: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, () =>
        limiter.acquire('app:shop-1').then(() => void grantsMs.push(performance.now())),
      ),
    );

    expect(limiter.isShared).toBe(false);
    expect(grantsMs).toHaveLength(12);
    // The replica's share: 10 / 2 = 5 per second, burst 4 / 2 = 2.
    expect(busiestWindow(grantsMs)).toBeLessThanOrEqual(5 + 2);
    expect(recording.matching('error', /rate limiting is per replica now/)).toHaveLength(1);

    await server.start();
    await reconnected(redis);
    await limiter.acquire('app:shop-1');

    expect(limiter.isShared).toBe(true);
    expect(await redis.exists(`${prefix}rl:app:shop-1`)).toBe(1);
    expect(recording.matching('warn', /shared across replicas again/)).toHaveLength(1);
  });
});

describe('tokens while Redis is down', () => {
  let clock: ReturnType<typeof createClock>;
  let emulator: EmulatorHandle;
  let authHost: AuthHostClient;

  beforeEach(async () => {
    clock = createClock();
    emulator = await createEmulator({ now: clock.now, accessTokenTtlSeconds: 600 });
    authHost = authHostFor(emulator, clock.now);
  });

  afterEach(async () => {
    await authHost.close();
    await emulator.close();
  });

  async function replica(recording = createRecordingLogger()) {
    const redis = await connections.open(server.url, recording.logger);
    const store = createRedisTokenStore({
      redis,
      keyPrefix: prefix,
      encryptionKey,
      now: clock.now,
      logger: recording.logger,
    });
    const manager = createTokenManager({
      store,
      authHost,
      refreshMarginMs: 60_000,
      now: clock.now,
      logger: recording.logger,
      refreshLock: createRedisRefreshLock({
        redis,
        keyPrefix: prefix,
        logger: recording.logger,
      }),
    });
    return { redis, store, manager, recording };
  }

  function issue(index: number) {
    const seller = emulator.sellers[index];
    if (!seller) throw new Error('missing emulator seller');
    return sellerRecord(emulator, emulator.issueTokens({ openId: seller.openId }), index);
  }

  it('serves valid tokens, refuses refreshes, and re-seeds a Redis that comes back empty', async () => {
    const { redis, store, manager, recording } = await replica();
    const first = await store.saveSeller(issue(0));
    const second = await store.saveSeller(issue(1));
    const firstShop = first.shops[0]?.id ?? '';

    await killRedis(redis);
    // Inside the refresh margin but not expired: served, the refused refresh only logged.
    clock.advanceSeconds(570);
    await expect(manager.getAccessToken(firstShop)).resolves.toBe(first.tokens.accessToken);
    expect(recording.matching('warn', /Early token refresh failed/)).toHaveLength(1);
    // Expired: refused with the documented error rather than racing other replicas.
    clock.advanceSeconds(31);
    const refusal = await manager.getAccessToken(firstShop).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RefreshUnavailableError);
    expect(refusal).toMatchObject({ reason: 'redis_unavailable', openId: first.openId });
    expect(String((refusal as Error).message)).not.toContain(first.tokens.refreshToken ?? '');
    await expect(manager.refresh(second.openId)).rejects.toBeInstanceOf(RefreshUnavailableError);
    expect(emulator.counters()['token.refresh']).toBeUndefined();
    expect(store.isAvailable).toBe(false);
    expect(recording.matching('error', /token store serves the last-known records/)).toHaveLength(
      1,
    );
    expect(
      recording.matching('error', /token refreshes are refused until it is back/),
    ).toHaveLength(1);

    await server.start();
    await reconnected(redis);
    // The restarted Redis is empty; this replica writes back what it holds, then refreshes.
    const renewed = await manager.getAccessToken(firstShop);
    expect(renewed).not.toBe(first.tokens.accessToken);
    expect(emulator.counters()['token.refresh']).toBe(1);
    expect(recording.matching('error', /Redis had lost the token store/)).toHaveLength(1);

    // A replica that never saw these sellers finds both in Redis.
    const newcomer = await replica();
    expect(await newcomer.store.getSeller(first.openId)).toMatchObject({
      version: 2,
      tokens: { accessToken: renewed },
    });
    expect(await newcomer.store.getSeller(second.openId)).toEqual(second);
  });

  it('keeps tokens saved during the outage and writes them back, newest version winning', async () => {
    const writer = await replica();
    const reader = await replica();
    const saved = await writer.store.saveSeller(issue(0));
    expect(await reader.store.getSeller(saved.openId)).toEqual(saved);

    await killRedis(writer.redis, reader.redis);
    // What a refresh that completed just as Redis died would save.
    const pending = await writer.store.saveTokens(
      saved.openId,
      { ...saved.tokens, accessToken: 'TTP_saved_during_outage' },
      { expectedVersion: 1 },
    );
    expect(pending.version).toBe(2);
    expect(writer.store.pendingWrites).toBe(1);
    expect(await writer.store.getSeller(saved.openId)).toEqual(pending);
    // The other replica still answers from its copy (version 1).
    expect(await reader.store.getSeller(saved.openId)).toEqual(saved);
    await expect(reader.store.getSeller('never-seen')).rejects.toBeInstanceOf(
      TokenStoreUnavailableError,
    );
    await expect(reader.store.deleteSeller(saved.openId)).rejects.toBeInstanceOf(
      TokenStoreUnavailableError,
    );

    // Back, empty. The reader re-seeds version 1 first (the writer reconnects only after it);
    // the writer's version 2 still wins.
    writer.redis.disconnect();
    await server.start();
    await reconnected(reader.redis);
    expect(await reader.store.getSeller(saved.openId)).toMatchObject({ version: 1 });
    await writer.redis.connect();
    await writer.store.sync();

    expect(writer.store.pendingWrites).toBe(0);
    expect(await reader.store.getSeller(saved.openId)).toEqual(pending);
    const newcomer = await replica();
    expect(await newcomer.store.getSeller(saved.openId)).toEqual(pending);
  });
});

describe('cache invalidation while Redis is down', () => {
  it('keeps what it could not send and tells subscribers to evict everything on return', async () => {
    const publisherRedis = await connections.open(server.url);
    const subscriberRedis = await connections.open(server.url);
    const publisher = createInvalidationBus({
      redis: publisherRedis,
      channel: `${prefix}invalidate`,
      instanceId: 'replica-a',
    });
    const subscriber = createInvalidationBus({
      redis: subscriberRedis,
      channel: `${prefix}invalidate`,
      instanceId: 'replica-b',
    });
    const received: InvalidationEvent[] = [];
    let onReceived = () => {};
    await subscriber.subscribe((event) => {
      received.push(event);
      onReceived();
    });
    const nextEvent = () => new Promise<void>((resolve) => (onReceived = resolve));

    try {
      const product = { kind: 'product', shopId: 'shop-1', productId: 'p-1' } as const;
      let arrived = nextEvent();
      await publisher.publish(product);
      await arrived;
      expect(received).toEqual([product]);

      await killRedis(publisherRedis, subscriberRedis);
      await expect(publisher.publish(product)).resolves.toBe(false);
      expect(publisher.pendingEvents).toBe(1);

      arrived = nextEvent();
      await server.start();
      await arrived;
      // Messages sent while it was cut off are lost to pub/sub: it is told to evict everything.
      expect(received).toContainEqual({ kind: 'all' });
      await reconnected(publisherRedis);
      await expect.poll(() => publisher.pendingEvents).toBe(0);

      arrived = nextEvent();
      await expect(publisher.publish({ kind: 'shop', shopId: 'shop-1' })).resolves.toBe(true);
      await arrived;
      expect(received.at(-1)).toEqual({ kind: 'shop', shopId: 'shop-1' });
    } finally {
      await publisher.close();
      await subscriber.close();
    }
  });
});
