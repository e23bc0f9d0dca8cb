// The shared limiter on the real Redis: two limiters (two connections, as two replicas would
// have) on one bucket, checked from grant times and from the emulator's request log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from '../../src/config.js';
import { createTikTokShopClient } from '../../src/datasources/tiktok/client.js';
import { TikTokShopRateLimitError } from '../../src/datasources/tiktok/errors.js';
import {
  createTokenBucketRateLimiter,
  type RateLimiter,
  rateLimitKey,
} from '../../src/datasources/tiktok/rate-limiter.js';
import { createStaticCredentials } from '../../src/datasources/tiktok/static-credentials.js';
import type { ShopSession, TikTokShopClient } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createRedisRateLimiter } from '../../src/redis/redis-rate-limiter.js';
import { TEST_HTTP } from '../datasources/tiktok/helpers/harness.js';
import { createConnections, deleteKeys, uniquePrefix } from './helpers/redis.js';
import { busiestWindow, rateOf } from './helpers/windows.js';

const RATE: RateLimitConfig = {
  requestsPerSecond: 10,
  burst: 5,
  maxQueue: 1_000,
  maxWaitMs: 20_000,
};

const connections = createConnections();
let prefix: string;
let admin: Redis;

beforeEach(async () => {
  prefix = uniquePrefix('rate-limiter');
  admin = await connections.open();
});

afterEach(async () => {
  await deleteKeys(admin, prefix);
  await connections.closeAll();
});

/** Two limiters on two connections, as two replicas would have them. */
async function twoReplicas(rate: RateLimitConfig = RATE) {
  const replicas: Array<{ redis: Redis; limiter: RateLimiter }> = [];
  for (let index = 0; index < 2; index++) {
    const redis = await connections.open();
    replicas.push({
      redis,
      limiter: createRedisRateLimiter({ redis, rateLimit: rate, keyPrefix: prefix, replicas: 2 }),
    });
  }
  return replicas as [
    { redis: Redis; limiter: RateLimiter },
    { redis: Redis; limiter: RateLimiter },
  ];
}

describe('createRedisRateLimiter', () => {
  it('keeps two replicas hammering one key within rate + burst in every 1 s window', async () => {
    const [{ limiter: first }, { limiter: second }] = await twoReplicas();
    const grantsMs: number[] = [];
    const calls = Array.from({ length: 40 }, (_, index) =>
      (index % 2 === 0 ? first : second).acquire('app:shop-1').then(() => {
        grantsMs.push(performance.now());
      }),
    );
    await Promise.all(calls);

    expect(grantsMs).toHaveLength(40);
    // Two unshared buckets would allow 2 × (10 + 5) = 30 here.
    expect(busiestWindow(grantsMs)).toBeLessThanOrEqual(RATE.requestsPerSecond + RATE.burst);
  });

  it('keeps one bucket per key in Redis under <prefix>rl:<app>:<shop>:<class>, expiring when idle', async () => {
    const [{ limiter }] = await twoReplicas();
    await limiter.acquire(rateLimitKey('app', 'shop-1', 'standard'));

    const key = `${prefix}rl:app:shop-1:standard`;
    expect(await admin.hget(key, 'tokens')).toBe('4.000000000');
    const ttlMs = await admin.pttl(key);
    // Full again after 0.1 s (one token at 10/s), plus the 1 s grace.
    expect(ttlMs).toBeGreaterThan(0);
    expect(ttlMs).toBeLessThanOrEqual(1_100);
    expect(await admin.exists(`${prefix}rl:app:shop-2:standard`)).toBe(0);
  });

  it('shares the analytics class in its own bucket with its own budget across replicas', async () => {
    const [first, second] = await twoReplicas({
      ...RATE,
      analytics: { requestsPerSecond: 5, burst: 1 },
    });
    // 8 calls: the standard budget (10/s, burst 5) would grant them all within a second.
    const grantsMs: number[] = [];
    const key = rateLimitKey('app', 'shop-1', 'analytics');
    await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        (index % 2 === 0 ? first : second).limiter
          .acquire(key, 'analytics')
          .then(() => void grantsMs.push(performance.now())),
      ),
    );
    // Burst 1 at 5/s: at most 1 + 5 grants in any second, whichever replica asked.
    expect(busiestWindow(grantsMs)).toBeLessThanOrEqual(6);
    expect(await admin.exists(`${prefix}rl:${key}`)).toBe(1);
    expect(await admin.exists(`${prefix}rl:app:shop-1:standard`)).toBe(0);
  });

  it("serves one process's waiters in the order they asked", async () => {
    const [{ limiter }] = await twoReplicas({ ...RATE, requestsPerSecond: 50 });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, (_, index) =>
        limiter.acquire('app:fifo').then(() => void order.push(index)),
      ),
    );
    expect(order).toEqual(Array.from({ length: 15 }, (_, index) => index));
  });

  it('refuses a caller whose slot is further away than maxWaitMs, across replicas', async () => {
    const [first, second] = await twoReplicas({ ...RATE, maxWaitMs: 250 });
    // Five from the burst plus slots 100 and 200 ms away; the next one, 300 ms away, is too far.
    const granted = Array.from({ length: 7 }, () => first.limiter.acquire('app:shop-1'));
    // Same connection, so this answers after the seven reservations were made.
    await first.redis.ping();
    const refusal = await second.limiter.acquire('app:shop-1').catch((error: unknown) => error);
    await Promise.all(granted);

    expect(refusal).toBeInstanceOf(TikTokShopRateLimitError);
    const error = refusal as TikTokShopRateLimitError;
    expect(error.isLocal).toBe(true);
    expect(error.retryAfterMs).toBeGreaterThan(250);
    expect(error.message).toMatch(/rate limit for app:shop-1 reached: a slot is \d+ ms away/);
  });

  it('refuses callers beyond maxQueue waiting in this process', async () => {
    const [{ limiter }] = await twoReplicas({ ...RATE, burst: 1, maxQueue: 3 });
    const waiting = Array.from({ length: 3 }, () => limiter.acquire('app:queue'));
    const refusal = await limiter.acquire('app:queue').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TikTokShopRateLimitError);
    expect((refusal as TikTokShopRateLimitError).message).toMatch(/3 calls already waiting/);
    await Promise.all(waiting);
  });
});

describe('two gateway replicas against the emulator', () => {
  let emulator: EmulatorHandle;
  let shop: ShopSession;
  let accessToken: string;
  let productIds: string[];
  const clients: TikTokShopClient[] = [];

  beforeEach(async () => {
    // The emulator throttles at 10/s (burst 10) per (app, shop) and answers 429 past that (§7).
    emulator = await createEmulator({
      scale: 0.1,
      rateLimit: { requestsPerSecond: 10, burst: 10 },
    });
    const seller = emulator.sellers[0];
    const first = seller?.shops[0];
    if (!seller || !first) throw new Error('emulator seed has no shop');
    accessToken = emulator.issueTokens({ openId: seller.openId }).accessToken;
    shop = { id: first.id, cipher: first.cipher, seller: createStaticCredentials(accessToken) };
    const lister = client(createTokenBucketRateLimiter(RATE));
    const page = await lister.searchProducts(shop, { pageSize: 50 });
    productIds = page.items.map((product) => product.id).slice(0, 40);
    if (productIds.length < 40) throw new Error('emulator seed has too few products');
    // Let the emulator's bucket fill up again before the measured run.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    emulator.resetRequests();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((each) => each.close()));
    await emulator.close();
  });

  function client(rateLimiter: RateLimiter): TikTokShopClient {
    const created = createTikTokShopClient({
      credentials: { appKey: emulator.appKey, appSecret: emulator.appSecret },
      apiBase: emulator.url,
      // One attempt: a 429 must show up as a failure, not be retried away.
      http: {
        ...TEST_HTTP,
        maxAttempts: 1,
        rateLimitBackoff: { ...TEST_HTTP.rateLimitBackoff, maxRetries: 0 },
      },
      rateLimiter,
    });
    clients.push(created);
    return created;
  }

  async function fetchAll(replicas: [TikTokShopClient, TikTokShopClient]) {
    return Promise.allSettled(
      productIds.map((id, index) => replicas[index % 2]?.getProduct(shop, id)),
    );
  }

  it('sharing the Redis limiter, stays within the limit upstream: no 429', async () => {
    const [first, second] = await twoReplicas();
    const results = await fetchAll([client(first.limiter), client(second.limiter)]);

    const log = emulator.requests().filter((entry) => entry.endpoint === 'product.detail');
    const arrivalsMs = log.map((entry) => entry.at);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(log).toHaveLength(40);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    expect(busiestWindow(arrivalsMs)).toBeLessThanOrEqual(RATE.requestsPerSecond + RATE.burst);
    if (process.env.REPORT_RATES) {
      const sustained = [...arrivalsMs].sort((a, b) => a - b).slice(RATE.burst - 1);
      console.info(
        `shared limiter, two replicas: ${rateOf(arrivalsMs).toFixed(2)} req/s overall, ` +
          `${rateOf(sustained).toFixed(2)} req/s after the burst, busiest 1 s window ` +
          `${busiestWindow(arrivalsMs)}`,
      );
    }
  });

  it('control: with a limiter each, the same load is throttled by the emulator', async () => {
    const results = await fetchAll([
      client(createTokenBucketRateLimiter(RATE)),
      client(createTokenBucketRateLimiter(RATE)),
    ]);

    const throttled = emulator.requests().filter((entry) => entry.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(results.some((result) => result.status === 'rejected')).toBe(true);
  });
});

describe('the lowest priority on the shared bucket (tryAcquireIdle, issue 13)', () => {
  it("is refused while another replica's callers wait, granted once the bucket is full", async () => {
    const [{ limiter: callers }, { limiter: reconciler }] = await twoReplicas();
    const key = 'app:shop-idle';
    expect((await reconciler.tryAcquireIdle(key)).isGranted).toBe(true);
    // Not full (4 of 5): refused, and told when it can be full (one token at 10/s).
    const notFull = await reconciler.tryAcquireIdle(key);
    expect(notFull.isGranted).toBe(false);
    expect(notFull.retryAfterMs).toBeLessThanOrEqual(100);
    // The other replica's six callers: four tokens now, two reservations beyond them.
    const waiting = Promise.all(Array.from({ length: 6 }, () => callers.acquire(key)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const reserved = await reconciler.tryAcquireIdle(key);
    expect(reserved.isGranted).toBe(false);
    // Full again only once both reservations are paid and five tokens refilled: about 0.7 s.
    expect(reserved.retryAfterMs).toBeGreaterThan(300);
    await waiting;
    let isGranted = false;
    for (let ask = 0; ask < 40 && !isGranted; ask += 1) {
      const slot = await reconciler.tryAcquireIdle(key);
      isGranted = slot.isGranted;
      if (!isGranted) await new Promise((resolve) => setTimeout(resolve, slot.retryAfterMs));
    }
    expect(isGranted).toBe(true);
    expect(reconciler.backgroundCounts().granted).toBe(2);
    expect(reconciler.backgroundCounts().refused).toBeGreaterThanOrEqual(2);
    // Both that waited did so while the bucket owed the lowest-priority slot: each was served
    // one slot later than without it (a burst over burst − 1 right after a reconciler call).
    expect(callers.backgroundCounts().callersDelayed).toBe(2);
  });
});
