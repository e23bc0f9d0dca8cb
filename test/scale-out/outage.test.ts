// Two gateway replicas on a private redis-server (own port, no persistence) that is killed while
// they serve traffic and restarted empty (issue #6, item 4): they keep answering in the documented
// fallbacks, refuse a token refresh they cannot coordinate, and return to Redis by themselves with
// the tokens written back and the refresh coordinated again.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/emulator/server.js';
import type { Json } from '../helpers/gateway.js';
import {
  createLogRecorder,
  createTempDir,
  createTestClock,
  type Replica,
  startReplica,
  writeSellerFile,
} from '../helpers/scale-out.js';
import {
  createConnections,
  reconnected,
  startPrivateRedis,
  uniquePrefix,
  watchUnhandledRejections,
} from '../redis/helpers/redis.js';

const PRODUCTS = `{ products(first: 100) { edges { node { id } } } }`;
const PRODUCT = `query ($id: ID!) { product(id: $id) { id title } }`;

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Looks the products up one after the other, calling `onReply` after each answer. */
async function lookUpInTurn(replica: Replica, ids: string[], onReply: () => void) {
  const replies: Json[] = [];
  for (const id of ids) {
    replies.push(await replica.query(PRODUCT, { id }));
    onReply();
  }
  return replies;
}

describe('two replicas through a Redis outage', () => {
  it('keep serving while Redis is down and share again once it is back', async ({ annotate }) => {
    const rejections = watchUnhandledRejections();
    cleanups.push(() => rejections.stop());
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const connections = createConnections();
    cleanups.push(() => connections.closeAll());
    const clock = createTestClock();
    const emulator = await createEmulator({ port: 0, scale: 0.2, now: clock.now });
    cleanups.push(() => emulator.close());
    const dir = createTempDir();
    cleanups.push(() => dir.remove());
    const tokenStorePath = join(dir.path, 'tokens.json');
    const file = await writeSellerFile(emulator, tokenStorePath);
    const keyPrefix = uniquePrefix('scale-out-outage');
    const recorder = createLogRecorder('debug');
    const start = async (name: 'a' | 'b') => {
      const replica = await startReplica({
        emulator,
        name,
        redisUrl: redis.url,
        keyPrefix,
        tokenStorePath,
        defaultShopId: file.shops[0]?.id ?? '',
        // Retries as in production: the switch to the local fallback may cost a 429.
        env: { TIKTOK_SHOP_MAX_ATTEMPTS: '3', REDIS_COMMAND_TIMEOUT_MS: '500' },
        now: clock.now,
        ...(name === 'b' ? { logger: recorder.logger } : {}),
      });
      cleanups.push(() => replica.close());
      return replica;
    };
    const a = await start('a');
    const b = await start('b');
    const listed = await a.query(PRODUCTS);
    const ids: string[] = (listed.body.data as Json).products.edges.map(
      (edge: Json) => edge.node.id,
    );
    const take = (count: number) => ids.splice(0, count);
    emulator.resetRequests();

    // Redis is killed after the sixth answer while both replicas keep sending.
    let answered = 0;
    let killed: Promise<void> | undefined;
    const onReply = () => {
      answered += 1;
      if (answered === 6) killed = redis.stop();
    };
    const during = await Promise.all([
      lookUpInTurn(a, take(10), onReply),
      lookUpInTurn(b, take(10), onReply),
    ]);
    await killed;
    for (const reply of during.flat()) {
      expect(reply.body.errors).toBeUndefined();
      expect(reply.body.data.product).not.toBeNull();
    }
    // Limiter on the local share; tokens from each replica's sellers snapshot (issue 14: requests
    // do not read the store, so they need no outage fallback for it).
    expect(a.scaleOut.rateLimiter.isShared).toBe(false);
    expect(b.scaleOut.rateLimiter.isShared).toBe(false);

    // An expired token cannot be renewed without the lock: refused, with a code to branch on.
    clock.advanceMs(8 * 86_400_000);
    const refused = await a.query(PRODUCT, { id: take(1)[0] });
    expect(refused.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      reason: 'TOKEN_REFRESH_UNAVAILABLE',
      detail: 'redis_unavailable',
      retryable: true,
    });
    expect(emulator.counters()['token.refresh']).toBeUndefined();

    // Redis comes back empty on the same port; the replicas reconnect by themselves.
    await redis.start();
    await reconnected(a.scaleOut.redis);
    await reconnected(b.scaleOut.redis);
    // B's subscription is renewed and, having maybe missed messages, B evicts everything.
    await recorder.waitFor(
      (line) => line.msg === 'Cache invalidation applied' && (line.event as Json)?.kind === 'all',
    );

    const after = await Promise.all(
      take(20).map((id, index) => (index % 2 === 0 ? a : b).query(PRODUCT, { id })),
    );
    for (const reply of after) {
      expect(reply.body.errors).toBeUndefined();
      expect(reply.body.data?.product).not.toBeNull();
    }
    expect(emulator.counters()['token.refresh']).toBe(1);
    expect(a.scaleOut.rateLimiter.isShared).toBe(true);
    expect(b.scaleOut.rateLimiter.isShared).toBe(true);

    // The store re-synced: the seller is in the new Redis, renewed once, the same for both.
    const seller = await a.stack.sellers.store.getSeller(file.seller.openId);
    expect(seller?.version).toBe(2);
    expect(await b.stack.sellers.store.getSeller(file.seller.openId)).toEqual(seller);
    const raw = await connections.open(redis.url);
    expect(await raw.sismember(`${keyPrefix}tokens:sellers`, file.seller.openId)).toBe(1);
    expect(await raw.hget(`${keyPrefix}tokens:seller:${file.seller.openId}`, 'version')).toBe('2');

    // What an operator sees: each outage logged once per piece, at error level, and no token.
    const errors = recorder.lines.filter((line) => line.level === 50).map((line) => line.msg ?? '');
    expect(errors.filter((msg) => msg.startsWith('Redis unavailable: rate limiting'))).toHaveLength(
      1,
    );
    // The token store logs its outage only if something read it meanwhile: requests list their
    // shops from the sellers snapshot (issue 14), so B may not have touched it at all.
    expect(
      errors.filter((msg) => msg.startsWith('Redis unavailable: the token store')).length,
    ).toBeLessThanOrEqual(1);
    const logText = JSON.stringify(recorder.lines);
    for (const secret of [seller?.tokens.accessToken, seller?.tokens.refreshToken]) {
      expect(logText).not.toContain(secret);
    }

    expect(rejections.seen).toEqual([]);
    const throttled = emulator.requests().filter((entry) => entry.status === 429).length;
    await annotate(`outage: ${throttled} × 429 from the emulator (retried), 1 token refresh`);
  });

  it('start while Redis is down, answer TOKEN_STORE_UNAVAILABLE, and import the sellers once it is up', async () => {
    const rejections = watchUnhandledRejections();
    cleanups.push(() => rejections.stop());
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    await redis.stop();
    const emulator = await createEmulator({ port: 0, scale: 0.05 });
    cleanups.push(() => emulator.close());
    const dir = createTempDir();
    cleanups.push(() => dir.remove());
    const tokenStorePath = join(dir.path, 'tokens.json');
    const file = await writeSellerFile(emulator, tokenStorePath);
    const recorder = createLogRecorder('info');
    const replica = await startReplica({
      emulator,
      name: 'a',
      redisUrl: redis.url,
      keyPrefix: uniquePrefix('scale-out-cold-start'),
      tokenStorePath,
      defaultShopId: file.shops[0]?.id ?? '',
      env: { REDIS_CONNECT_TIMEOUT_MS: '200' },
      logger: recorder.logger,
    });
    cleanups.push(() => replica.close());
    const shops = '{ shops { id } }';

    // It started, but knows no seller: Redis holds them, and the file is imported into Redis.
    const refused = await replica.query(shops);
    expect(refused.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_ERROR',
      reason: 'TOKEN_STORE_UNAVAILABLE',
      retryable: true,
    });
    expect(refused.body.errors?.[0]?.message).toBe(
      'The token store is unavailable (Redis does not answer); retry shortly.',
    );

    await redis.start();
    await recorder.waitFor((line) => line.msg === 'Sellers copied from the token file into Redis');
    const served = await replica.query<Json>(shops);
    expect(served.body.errors).toBeUndefined();
    expect(served.body.data?.shops.map((shop: Json) => shop.id)).toEqual(
      file.shops.map((shop) => shop.id),
    );
    expect(rejections.seen).toEqual([]);
  });
});
