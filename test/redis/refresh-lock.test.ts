// The refresh lock on the real Redis, and two token managers (two replicas) sharing the Redis
// token store against the emulator's token routes. Clocks are injected for token expiry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenStoreConflictError } from '../../src/auth/errors.js';
import {
  createTokenManager,
  inProcessRefreshLock,
  type RefreshLock,
  type TokenManager,
} from '../../src/auth/token-manager.js';
import { TikTokShopAuthError } from '../../src/datasources/tiktok/errors.js';
import type { AuthHostClient } from '../../src/datasources/tiktok/types.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { RefreshUnavailableError } from '../../src/redis/errors.js';
import type { Redis } from '../../src/redis/redis-connection.js';
import { createRedisTokenStore, type RedisTokenStore } from '../../src/redis/redis-token-store.js';
import { createRedisRefreshLock } from '../../src/redis/refresh-lock.js';
import { authHostFor, createClock, sellerRecord, shopLister } from '../auth/support.js';
import { createConnections, deleteKeys, uniquePrefix } from './helpers/redis.js';

const TTL_SECONDS = 600;
const MARGIN_MS = 60_000;
const encryptionKey = Buffer.alloc(32, 7);

const connections = createConnections();
let prefix: string;
let admin: Redis;

beforeEach(async () => {
  prefix = uniquePrefix('refresh-lock');
  admin = await connections.open();
});

afterEach(async () => {
  await deleteKeys(admin, prefix);
  await connections.closeAll();
});

async function lock(options: { ttlMs?: number; waitMs?: number; redis?: Redis } = {}) {
  return createRedisRefreshLock({
    redis: options.redis ?? (await connections.open()),
    keyPrefix: prefix,
    ttlMs: options.ttlMs ?? 5_000,
    waitMs: options.waitMs ?? 10_000,
    pollMs: 20,
  });
}

describe('createRedisRefreshLock', () => {
  it('runs one holder at a time per seller', async () => {
    const locks = await Promise.all([lock(), lock(), lock()]);
    let inside = 0;
    let mostInside = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 9 }, (_, index) =>
        locks[index % 3]?.withLock('open-1', async () => {
          inside++;
          mostInside = Math.max(mostInside, inside);
          await new Promise((resolve) => setTimeout(resolve, 10));
          order.push(index);
          inside--;
        }),
      ),
    );
    expect(order).toHaveLength(9);
    expect(mostInside).toBe(1);
    expect(await admin.exists(`${prefix}lock:refresh:open-1`)).toBe(0);
  });

  it('expires when its holder never releases it: another replica takes over after the TTL', async () => {
    const holder = await lock({ ttlMs: 300 });
    const other = await lock();
    const lease = await holder.tryAcquire('open-1');
    expect(lease).not.toBeNull();
    expect(await other.tryAcquire('open-1')).toBeNull();
    expect(await admin.pttl(`${prefix}lock:refresh:open-1`)).toBeLessThanOrEqual(300);

    await expect(other.withLock('open-1', async () => 'taken over')).resolves.toBe('taken over');
    // The old holder cannot release (or extend) what is no longer its lock.
    await expect(lease?.release()).resolves.toBe(false);
    await expect(lease?.extend()).resolves.toBe(false);
  });

  it('expires when the holder dies mid-refresh (its connection gone, no more renewals)', async () => {
    const holderRedis = await connections.open();
    const holder = await lock({ ttlMs: 300, redis: holderRedis });
    const other = await lock();
    let finishHolder = () => {};
    const holding = holder
      .withLock('open-1', () => new Promise<void>((resolve) => (finishHolder = resolve)))
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Still held after more than the TTL: a live holder keeps renewing.
    expect(await other.tryAcquire('open-1')).toBeNull();

    holderRedis.disconnect();
    await expect(other.withLock('open-1', async () => 'taken over')).resolves.toBe('taken over');
    finishHolder();
    await holding;
  });

  it('gives up after waitMs with RefreshUnavailableError (lock_timeout)', async () => {
    const holder = await lock();
    const impatient = await lock({ waitMs: 100 });
    await holder.tryAcquire('open-1');
    const failure = await impatient
      .withLock('open-1', async () => 'ran')
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RefreshUnavailableError);
    expect(failure).toMatchObject({ reason: 'lock_timeout', openId: 'open-1' });
  });
});

describe('two token managers sharing the Redis store', () => {
  let clock: ReturnType<typeof createClock>;
  let emulator: EmulatorHandle;
  const clients: AuthHostClient[] = [];

  beforeEach(async () => {
    clock = createClock();
    emulator = await createEmulator({ now: clock.now, accessTokenTtlSeconds: TTL_SECONDS });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await emulator.close();
  });

  /** One replica: its own connection, store, lock and auth-host client. */
  async function replica(refreshLock?: RefreshLock) {
    const redis = await connections.open();
    const store = createRedisTokenStore({
      redis,
      keyPrefix: prefix,
      encryptionKey,
      now: clock.now,
    });
    const authHost = authHostFor(emulator, clock.now);
    clients.push(authHost);
    const manager = createTokenManager({
      store,
      authHost,
      refreshMarginMs: MARGIN_MS,
      now: clock.now,
      refreshLock: refreshLock ?? (await lock({ redis })),
    });
    return { store, manager, authHost };
  }

  async function storeSeller(store: RedisTokenStore) {
    const issued = emulator.issueTokens({ openId: emulator.sellers[0]?.openId ?? '' });
    const saved = await store.saveSeller(sellerRecord(emulator, issued));
    return { issued, saved, shopId: saved.shops[0]?.id ?? '' };
  }

  async function hammer(managers: TokenManager[], shopId: string, count = 200) {
    return Promise.all(
      Array.from({ length: count }, (_, index) =>
        managers[index % managers.length]?.getAccessToken(shopId),
      ),
    );
  }

  it('refreshes once for 200 concurrent calls at expiry split across both replicas', async () => {
    const first = await replica();
    const second = await replica();
    const { issued, saved, shopId } = await storeSeller(first.store);
    clock.advanceSeconds(TTL_SECONDS + 1);
    emulator.resetRequests();

    const tokens = await hammer([first.manager, second.manager], shopId);

    expect(emulator.counters()['token.refresh']).toBe(1);
    const served = new Set(tokens);
    expect(served.size).toBe(1);
    const [renewed] = [...served];
    expect(renewed).not.toBe(issued.accessToken);
    for (const store of [first.store, second.store]) {
      expect(await store.getSeller(saved.openId)).toMatchObject({
        version: 2,
        tokens: { accessToken: renewed },
      });
    }
    // The emulator takes the new token.
    const shops = await shopLister(emulator, clock.now)(renewed as string);
    expect(shops.map((shop) => shop.id)).toContain(shopId);
    // And both replicas keep serving it without another refresh.
    expect(new Set(await hammer([first.manager, second.manager], shopId, 20))).toEqual(served);
    expect(emulator.counters()['token.refresh']).toBe(1);
  });

  it('control: without the shared lock, the replicas race into a second refresh', async () => {
    const first = await replica(inProcessRefreshLock);
    const second = await replica(inProcessRefreshLock);
    const { shopId } = await storeSeller(first.store);
    clock.advanceSeconds(TTL_SECONDS + 1);
    emulator.resetRequests();

    await Promise.allSettled(hammerSettled([first.manager, second.manager], shopId));

    expect(emulator.counters()['token.refresh']).toBeGreaterThanOrEqual(2);
  });

  it('keeps a stale lock holder from overwriting the tokens a later holder renewed', async () => {
    const stale = await replica();
    const fresh = await replica();
    const { issued, saved, shopId } = await storeSeller(stale.store);
    clock.advanceSeconds(TTL_SECONDS + 1);
    // The stale holder took the lock, read version 1, and stalled past the lock's TTL.
    const staleLock = await lock({ ttlMs: 200 });
    await staleLock.tryAcquire(saved.openId);

    const renewed = await fresh.manager.getAccessToken(shopId);
    expect(emulator.counters()['token.refresh']).toBe(1);

    // Waking up, it could not renew with the rotated refresh token anyway…
    const refusal = await stale.authHost
      .refreshAccessToken(issued.refreshToken)
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(TikTokShopAuthError);
    // …and cannot write what it computed from version 1 over version 2.
    await expect(
      stale.store.saveTokens(
        saved.openId,
        { ...saved.tokens, accessToken: 'TTP_stale_tokens' },
        { expectedVersion: saved.version },
      ),
    ).rejects.toBeInstanceOf(TokenStoreConflictError);
    expect(await fresh.store.getSeller(saved.openId)).toMatchObject({
      version: 2,
      tokens: { accessToken: renewed },
    });
  });
});

/** Like hammer, but each call settles on its own: the control expects some to fail. */
function hammerSettled(managers: TokenManager[], shopId: string): Array<Promise<unknown>> {
  return Array.from({ length: 200 }, (_, index) =>
    Promise.resolve(managers[index % managers.length]?.getAccessToken(shopId)),
  );
}
