// The per-(app, shop) token bucket: unit-tested on an injected clock, then seen over HTTP as 429s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/emulator/rate-limit.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle } from '../../src/emulator/types.js';
import { call } from './helpers/api-client.js';

describe('createRateLimiter', () => {
  it('spends the burst, refills at the sustained rate and reports whole seconds to wait', () => {
    let clockMs = 0;
    const limiter = createRateLimiter({ requestsPerSecond: 2, burst: 2, clockMs: () => clockMs });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b')).toEqual({ ok: true });
    clockMs += 500;
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('rounds a long wait up to whole seconds', () => {
    const limiter = createRateLimiter({ requestsPerSecond: 0.25, burst: 1, clockMs: () => 0 });
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 4 });
  });

  it('refuses nonsense settings', () => {
    expect(() => createRateLimiter({ requestsPerSecond: 0, burst: 1 })).toThrow(RangeError);
    expect(() => createRateLimiter({ requestsPerSecond: 1, burst: 0 })).toThrow(RangeError);
  });
});

describe('rate limit over HTTP', () => {
  let emulator: EmulatorHandle;
  let token: string;
  const WAREHOUSES_PATH = '/logistics/202309/warehouses';

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
