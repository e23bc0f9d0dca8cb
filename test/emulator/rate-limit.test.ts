// The per-(app, shop, class) token bucket: unit-tested on an injected clock, then seen over HTTP as 429s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/emulator/rate-limit.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';

const budget = (requestsPerSecond: number, burst: number) => ({ requestsPerSecond, burst });

describe('createRateLimiter', () => {
  it('spends the burst, refills at the sustained rate and reports whole seconds to wait', () => {
    let clockMs = 0;
    const limiter = createRateLimiter({
      limits: { standard: budget(2, 2), analytics: false },
      clockMs: () => clockMs,
    });
    expect(limiter.take('a', 'standard')).toEqual({ ok: true });
    expect(limiter.take('a', 'standard')).toEqual({ ok: true });
    expect(limiter.take('a', 'standard')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', 'standard')).toEqual({ ok: true });
    clockMs += 500;
    expect(limiter.take('a', 'standard')).toEqual({ ok: true });
    expect(limiter.take('a', 'standard')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('rounds a long wait up to whole seconds', () => {
    const limiter = createRateLimiter({
      limits: { standard: budget(0.25, 1), analytics: false },
      clockMs: () => 0,
    });
    limiter.take('a', 'standard');
    expect(limiter.take('a', 'standard')).toEqual({ ok: false, retryAfterSeconds: 4 });
  });

  it('keeps a bucket per class, each with its own limit, changeable at runtime', () => {
    const limiter = createRateLimiter({
      limits: { standard: budget(10, 3), analytics: budget(1, 1) },
      clockMs: () => 0,
    });
    expect(limiter.take('a', 'analytics')).toEqual({ ok: true });
    expect(limiter.take('a', 'analytics')).toEqual({ ok: false, retryAfterSeconds: 1 });
    // The standard class of the same key is untouched by the analytics bucket.
    for (let i = 0; i < 3; i += 1) expect(limiter.take('a', 'standard')).toEqual({ ok: true });
    limiter.setLimits({ analytics: false });
    expect(limiter.take('a', 'analytics')).toEqual({ ok: true });
    limiter.setLimits({ analytics: budget(0.5, 1) });
    expect(limiter.limits()).toEqual({ standard: budget(10, 3), analytics: budget(0.5, 1) });
  });

  it('refuses nonsense settings and changes nothing', () => {
    const limits = { standard: budget(1, 1), analytics: false as const };
    expect(() => createRateLimiter({ limits: { ...limits, standard: budget(0, 1) } })).toThrow(
      RangeError,
    );
    expect(() => createRateLimiter({ limits: { ...limits, standard: budget(1, 0) } })).toThrow(
      RangeError,
    );
    const limiter = createRateLimiter({ limits });
    expect(() => limiter.setLimits({ analytics: budget(1, 1), auth: budget(1, 1) })).toThrow(
      /unknown class auth/,
    );
    expect(() => limiter.setLimits({ analytics: budget(1, 1), standard: { burst: 1 } })).toThrow(
      /standard: requestsPerSecond/,
    );
    expect(limiter.limits()).toEqual(limits);
  });
});

describe('rate limit over HTTP', () => {
  let emulator: EmulatorHandle;
  let token: string;
  const WAREHOUSES_PATH = '/logistics/202309/warehouses';
  const ANALYTICS_PATH = '/analytics/202405/shop/performance';

  beforeAll(async () => {
    // A near-zero refill rate makes the bucket deterministic: only the burst is available.
    emulator = await createEmulator({ rateLimit: { requestsPerSecond: 0.001, burst: 3 } });
    token = emulator.issueTokens({ openId: emulator.sellers[0]!.openId }).accessToken;
  });
  afterAll(() => emulator.close());

  it('answers 429 / 36009002 with Retry-After once the burst is spent, per shop', async () => {
    const [shopA, shopB] = emulator.sellers[0]!.shops;
    const hit = (cipher: string) =>
      call(emulator, { path: WAREHOUSES_PATH, query: { shop_cipher: cipher }, accessToken: token });
    for (let i = 0; i < 3; i += 1) expect((await hit(shopA!.cipher)).status).toBe(200);
    const limited = await hit(shopA!.cipher);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 36009002, data: null });
    const retryAfter = limited.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another shop of the same seller has its own bucket (§7: isolation per app × shop).
    expect((await hit(shopB!.cipher)).status).toBe(200);
    // Seller-level routes are keyed by the seller, not by a shop.
    expect(
      (await call(emulator, { path: '/seller/202309/shops', accessToken: token })).status,
    ).toBe(200);

    const logged = emulator.requests().filter((entry) => entry.status === 429);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ code: 36009002, shopId: shopA!.id, fault: null });
  });

  it('uses the faults retryAfterSeconds for real 429s when it is set', async () => {
    emulator.setFaults({ retryAfterSeconds: 7 });
    const limited = await call(emulator, {
      path: WAREHOUSES_PATH,
      query: { shop_cipher: emulator.sellers[0]!.shops[0]!.cipher },
      accessToken: token,
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    emulator.setFaults({});
  });

  it('limits each class on its own and takes new limits at runtime from PUT /__emulator/rate-limits', async () => {
    const { cipher } = emulator.sellers[1]!.shops.at(-1)!;
    const seller = emulator.issueTokens({ openId: emulator.sellers[1]!.openId }).accessToken;
    const hit = (path: string) =>
      call(emulator, {
        path,
        query: { shop_cipher: cipher, start_date_ge: '2026-01-01', end_date_lt: '2026-01-08' },
        accessToken: seller,
      });
    const putLimits = (body: unknown) =>
      fetch(`${emulator.url}/__emulator/rate-limits`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const analytics = { requestsPerSecond: 0.001, burst: 1 };
    const changed = await putLimits({ analytics });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({
      rateLimits: { standard: { requestsPerSecond: 0.001, burst: 3 }, analytics },
    });
    expect((await hit(ANALYTICS_PATH)).status).not.toBe(429);
    expect((await hit(ANALYTICS_PATH)).status).toBe(429);
    // The standard class of the same shop still has its own burst.
    expect((await hit(WAREHOUSES_PATH)).status).toBe(200);

    const refused = await putLimits({ analytics: { requestsPerSecond: -1, burst: 1 } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: 'rate limit analytics: requestsPerSecond must be a positive number',
    });
    expect((await putLimits({ analytics: false })).status).toBe(200);
    expect((await hit(ANALYTICS_PATH)).status).not.toBe(429);
  });

  it('rejected requests do not spend the bucket', async () => {
    const cipher = emulator.sellers[1]!.shops[0]!.cipher;
    const other = emulator.issueTokens({ openId: emulator.sellers[1]!.openId }).accessToken;
    for (let i = 0; i < 5; i += 1) {
      const bad = await call(emulator, {
        path: WAREHOUSES_PATH,
        query: { shop_cipher: cipher },
        accessToken: other,
        sign: 'x',
      });
      expect(bad.status).toBe(401);
    }
    const good = await call(emulator, {
      path: WAREHOUSES_PATH,
      query: { shop_cipher: cipher },
      accessToken: other,
    });
    expect(good.status).toBe(200);
  });
});
