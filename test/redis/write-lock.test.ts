// The stock-write lock on the real Redis: one holder per product across replicas, a write refused
// (not run) when Redis does not answer, and a lease that reports itself lost once it may be.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WriteLockUnavailableError } from '../../src/datasources/tiktok/write-lock.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createRedisWriteLock } from '../../src/redis/write-lock.js';
import { createConnections, deleteKeys, uniquePrefix } from './helpers/redis.js';

const connections = createConnections();
let prefix: string;
let admin: Redis;

beforeEach(async () => {
  prefix = uniquePrefix('write-lock');
  admin = await connections.open();
});

afterEach(async () => {
  await deleteKeys(admin, prefix);
  await connections.closeAll();
});

async function lock(options: { ttlMs?: number; waitMs?: number; redis?: Redis } = {}) {
  return createRedisWriteLock({
    redis: options.redis ?? (await connections.open()),
    keyPrefix: prefix,
    ttlMs: options.ttlMs ?? 5_000,
    waitMs: options.waitMs ?? 10_000,
    pollMs: 10,
  });
}

describe('createRedisWriteLock', () => {
  it('runs one write per product at a time across replicas, and releases after', async () => {
    const locks = await Promise.all([lock(), lock()]);
    let inside = 0;
    let mostInside = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        locks[index % 2]?.withLock('shop-1:product-1', async (held) => {
          expect(held.isHeld()).toBe(true);
          inside++;
          mostInside = Math.max(mostInside, inside);
          await sleep(10);
          inside--;
        }),
      ),
    );
    expect(mostInside).toBe(1);
    expect(await admin.exists(`${prefix}lock:write:shop-1:product-1`)).toBe(0);
  });

  it('refuses the write, without running it, when Redis does not answer', async () => {
    const redis = await connections.open();
    const broken = await lock({ redis });
    redis.disconnect();
    let ran = false;
    const refusal = await broken
      .withLock('shop-1:product-1', async () => {
        ran = true;
      })
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(WriteLockUnavailableError);
    expect(refusal).toMatchObject({ reason: 'unavailable', key: 'shop-1:product-1' });
    expect(ran).toBe(false);
  });

  it('refuses after waitMs while another replica holds the product (busy)', async () => {
    const holder = await lock();
    const impatient = await lock({ waitMs: 100 });
    let release = () => {};
    const holding = holder.withLock(
      'shop-1:product-1',
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    while ((await admin.exists(`${prefix}lock:write:shop-1:product-1`)) === 0) await sleep(5);
    const refusal = await impatient
      .withLock('shop-1:product-1', async () => 'ran')
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ reason: 'busy' });
    release();
    await holding;
  });

  it('says the lease is lost once renewals stop past the TTL; another replica then takes it', async () => {
    const holderRedis = await connections.open();
    const holder = await lock({ ttlMs: 300, redis: holderRedis });
    const other = await lock();
    let isHeldAfter: boolean | undefined;
    await holder.withLock('shop-1:product-1', async (held) => {
      await sleep(400);
      // Still held after more than the TTL: a live holder keeps renewing.
      expect(held.isHeld()).toBe(true);
      holderRedis.disconnect();
      await sleep(400);
      isHeldAfter = held.isHeld();
      await expect(other.withLock('shop-1:product-1', async () => 'taken over')).resolves.toBe(
        'taken over',
      );
    });
    expect(isHeldAfter).toBe(false);
  });
});
