// The HTTP layer against the real emulator's faults: retries, Retry-After, give-up, timeouts,
// malformed bodies and the client-side rate, all counted in the emulator's request log.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type TikTokShopError,
  TikTokShopRateLimitError,
  TikTokShopUpstreamError,
} from '../../../src/datasources/tiktok/errors.js';
import type { RequestLogEntry } from '../../../src/emulator/types.js';
import {
  exposedText,
  failureOf,
  type Harness,
  liveSkuUpdate,
  startHarness,
} from './helpers/harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const WAREHOUSES = '/logistics/202309/warehouses';
const warehouseCalls = (log: RequestLogEntry[]) => log.filter((entry) => entry.path === WAREHOUSES);

describe('retries against injected faults', () => {
  it('recovers from 5xx answers', async () => {
    harness = await startHarness({
      emulator: { faults: { script: [{ kind: 'error', count: 2 }] } },
    });
    const warehouses = await harness.client.getWarehouses(harness.shop);
    expect(warehouses.length).toBeGreaterThan(0);
    const calls = warehouseCalls(harness.emulator.requests());
    expect(calls.map((c) => [c.status, c.fault])).toEqual([
      [500, 'error'],
      [500, 'error'],
      [200, null],
    ]);
  });

  it('recovers from a 429, waiting for Retry-After', async () => {
    harness = await startHarness({
      emulator: { faults: { retryAfterSeconds: 1, script: [{ kind: 'rate_limit', count: 1 }] } },
    });
    await harness.client.getWarehouses(harness.shop);
    const calls = warehouseCalls(harness.emulator.requests());
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // The retry went out no sooner than Retry-After (1 s) after the 429 arrived.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After exceeds the rate-limit backoff cap', async () => {
    harness = await startHarness({
      emulator: { faults: { retryAfterSeconds: 30, script: [{ kind: 'rate_limit', count: 5 }] } },
    });
    const error = await failureOf(harness.client.getWarehouses(harness.shop));
    expect(error).toBeInstanceOf(TikTokShopRateLimitError);
    expect(error).toMatchObject({
      code: 36009002,
      status: 429,
      retryAfterMs: 30_000,
      isLocal: false,
    });
    expect(warehouseCalls(harness.emulator.requests())).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last upstream error', async () => {
    harness = await startHarness({
      emulator: { faults: { errorStatus: 503, script: [{ kind: 'error', count: 10 }] } },
      client: { http: { maxAttempts: 3 } },
    });
    const error = await failureOf(harness.client.getWarehouses(harness.shop));
    expect(error).toBeInstanceOf(TikTokShopUpstreamError);
    expect(error).toMatchObject({
      status: 503,
      code: 36009003,
      reason: 'server_error',
      retryable: true,
    });
    expect(warehouseCalls(harness.emulator.requests())).toHaveLength(3);
  });

  it('recovers from a dropped connection on a read', async () => {
    harness = await startHarness({
      emulator: { faults: { script: [{ kind: 'drop', count: 1 }] } },
    });
    await harness.client.getWarehouses(harness.shop);
    expect(warehouseCalls(harness.emulator.requests()).map((c) => c.fault)).toEqual(['drop', null]);
  });

  it('does not repeat a non-idempotent write after a 5xx', async () => {
    harness = await startHarness({
      emulator: { faults: { script: [{ kind: 'error', count: 1 }] } },
    });
    const error = await failureOf(
      harness.client.call(harness.shop, {
        method: 'POST',
        path: '/product/202309/products/search',
        query: { page_size: 1 },
        body: {},
        idempotent: false,
      }),
    );
    expect(error).toBeInstanceOf(TikTokShopUpstreamError);
    expect(harness.emulator.requests()).toHaveLength(1);
  });

  it('sends the inventory update once after a 5xx (the stock writes read back), again after a 429', async () => {
    harness = await startHarness();
    const { client, shop, emulator } = harness;
    const { productId, skus } = await liveSkuUpdate(harness, 7);
    const update = () => client.updateInventory(shop, productId, skus);
    emulator.setFaults({ script: [{ kind: 'error', count: 1 }] });
    emulator.resetRequests();
    expect(await failureOf(update())).toMatchObject({ reason: 'server_error' });
    expect(emulator.requests().map((r) => r.status)).toEqual([500]);

    // TikTok refused a throttled call before doing anything: repeating it is safe.
    emulator.setFaults({ script: [{ kind: 'rate_limit', count: 1 }], retryAfterSeconds: 1 });
    emulator.resetRequests();
    expect((await update()).errors).toEqual([]);
    expect(emulator.requests().map((r) => r.status)).toEqual([429, 200]);
  });
});

describe('timeouts and broken answers', () => {
  it('times out a stalled body and reports an upstream timeout', async () => {
    harness = await startHarness({
      emulator: { faults: { script: [{ kind: 'stall', count: 5 }] } },
      client: { http: { bodyTimeoutMs: 300, maxAttempts: 2 } },
    });
    const error = await failureOf(harness.client.getWarehouses(harness.shop));
    expect(error).toBeInstanceOf(TikTokShopUpstreamError);
    expect(error).toMatchObject({ reason: 'timeout', status: null, code: null, retryable: true });
    expect(warehouseCalls(harness.emulator.requests())).toHaveLength(2);
  });

  it('times out when no headers arrive', async () => {
    harness = await startHarness({
      emulator: { faults: { latencyMs: 2_000 } },
      client: { http: { headersTimeoutMs: 200, maxAttempts: 1 } },
    });
    const error = await failureOf(harness.client.getWarehouses(harness.shop));
    expect(error).toMatchObject({ name: 'TikTokShopUpstreamError', reason: 'timeout' });
  });

  it('retries a malformed body for a read, then surfaces it as an upstream error', async () => {
    harness = await startHarness({
      emulator: { faults: { script: [{ kind: 'malformed', count: 3 }] } },
    });
    const error = await failureOf(harness.client.getWarehouses(harness.shop));
    expect(error).toBeInstanceOf(TikTokShopUpstreamError);
    expect(error).toMatchObject({ reason: 'malformed_response', status: 200, retryable: true });
    // TEST_HTTP.maxAttempts
    expect(warehouseCalls(harness.emulator.requests())).toHaveLength(3);
  });

  it('reports a refused connection as connect_failed', async () => {
    harness = await startHarness();
    const url = harness.emulator.url;
    await harness.emulator.close();
    const { createTikTokShopClient } = await import('../../../src/datasources/tiktok/client.js');
    const { createTokenBucketRateLimiter } = await import(
      '../../../src/datasources/tiktok/rate-limiter.js'
    );
    const client = createTikTokShopClient({
      credentials: { appKey: 'k', appSecret: 'secret-value-xyz' },
      apiBase: url,
      http: {
        connectTimeoutMs: 500,
        headersTimeoutMs: 500,
        bodyTimeoutMs: 500,
        connections: 1,
        maxAttempts: 2,
        retryBaseMs: 1,
        retryMaxMs: 10,
        rateLimitBackoff: { baseMs: 1, jitterMs: 0, maxMs: 10, maxRetries: 1 },
      },
      rateLimiter: createTokenBucketRateLimiter({
        requestsPerSecond: 100,
        burst: 100,
        maxQueue: 10,
        maxWaitMs: 1_000,
      }),
    });
    const error = await failureOf(
      client.getWarehouses(harness.withSeller(harness.shop, 'TTP_token_value')),
    );
    await client.close();
    harness = undefined;
    expect(error).toMatchObject({ name: 'TikTokShopUpstreamError', reason: 'connect_failed' });
    expect(exposedText(error)).not.toContain('secret-value-xyz');
  });
});

describe('client-side rate limit', () => {
  it('never exceeds rate + burst in any 1-second window, and never draws a 429', async () => {
    const rate = { requestsPerSecond: 10, burst: 5 };
    harness = await startHarness({
      // The emulator's own limit (10/s, burst 10) stays on: our limiter must keep us under it.
      emulator: { rateLimit: { requestsPerSecond: 10, burst: 10 } },
      client: { rateLimit: { ...rate, maxQueue: 100, maxWaitMs: 30_000 } },
    });
    const { client, shop, emulator } = harness;
    // 60 distinct calls (distinct page sizes: no in-flight sharing).
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => client.searchProducts(shop, { pageSize: (i % 60) + 1 })),
    );
    const log = emulator.requests();
    expect(log).toHaveLength(60);
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    const times = log.map((entry) => entry.at).sort((a, b) => a - b);
    for (const start of times) {
      const inWindow = times.filter((t) => t >= start && t < start + 1_000).length;
      expect(inWindow).toBeLessThanOrEqual(rate.requestsPerSecond + rate.burst);
    }
  });

  it('refuses at once, sending nothing, when the wait would exceed maxWaitMs', async () => {
    harness = await startHarness({
      client: { rateLimit: { requestsPerSecond: 1, burst: 1, maxQueue: 100, maxWaitMs: 1_500 } },
    });
    const { client, shop, emulator } = harness;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) => client.searchProducts(shop, { pageSize: i + 1 })),
    );
    const refused = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o as PromiseRejectedResult).reason);
    expect(refused).toHaveLength(2);
    for (const error of refused) {
      expect(error).toBeInstanceOf(TikTokShopRateLimitError);
      expect(error).toMatchObject({
        isLocal: true,
        operation: 'product.search',
        retryAfterMs: expect.any(Number),
      });
    }
    expect(emulator.requests()).toHaveLength(2);
  });
});

describe('secrets never leak into errors', () => {
  it('no app secret, token or signature in any error built from real emulator answers', async () => {
    harness = await startHarness();
    const { emulator, shop, foreignShop, issued } = harness;
    const errors: TikTokShopError[] = [];
    const collect = async (promise: Promise<unknown>) => errors.push(await failureOf(promise));

    await collect(harness.makeClient({ appSecret: 'WRONG_secret_abcdef' }).getWarehouses(shop));
    await collect(harness.makeClient({ appKey: 'unknown_app' }).getWarehouses(shop));
    await collect(harness.client.getWarehouses(harness.withSeller(shop, 'TTP_bogus_token_123456')));
    await collect(harness.client.getWarehouses(foreignShop));
    await collect(harness.client.getProduct(shop, '1'));
    await collect(harness.authHost.refreshAccessToken('TTP_bogus_refresh_123456'));
    await collect(
      harness
        .makeAuthHost({ appSecret: 'WRONG_secret_abcdef' })
        .refreshAccessToken(issued.refreshToken),
    );
    emulator.setFaults({
      script: [
        { kind: 'error', count: 3 },
        { kind: 'malformed', count: 3 },
      ],
    });
    await collect(harness.client.getWarehouses(shop));
    await collect(harness.client.getWarehouses(shop));
    emulator.setFaults({ retryAfterSeconds: 60, script: [{ kind: 'rate_limit', count: 1 }] });
    await collect(harness.client.getWarehouses(shop));

    expect(new Set(errors.map((e) => e.name)).size).toBeGreaterThanOrEqual(5);
    const secrets = [
      emulator.appSecret,
      'WRONG_secret_abcdef',
      issued.accessToken,
      issued.refreshToken,
      'TTP_bogus_token_123456',
      'TTP_bogus_refresh_123456',
    ];
    for (const error of errors) {
      const text = exposedText(error);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/[0-9a-f]{64}/); // no sign value
      expect(text).not.toMatch(/app_secret=|sign=|timestamp=/); // no URL or query string
      expect(text).toContain(error.operation);
    }
  });
});
