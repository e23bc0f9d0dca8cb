// GRAPHQL_REQUEST_DEADLINE_MS (issue 11): no GraphQL request waits past its deadline, whether it
// waits for a rate-limit slot of its own or for TikTok's Retry-After; what could not be sent in
// time is RATE_LIMITED, and nothing is sent after the deadline. Counted from the emulator's log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastDays, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const DEADLINE_MS = 3_000;

const DASHBOARD = `query Dashboard($range: DateRangeInput!, $first: Int!) {
  products(first: $first) {
    edges { node { id performance(range: $range) { intervals { gmv { amount } } } } }
  }
}`;

const WAREHOUSES = '{ warehouses { id } }';

interface Reply {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

describe(`a ${DEADLINE_MS} ms request deadline`, () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      scale: 0.2,
      emulator: { analyticsRateLimit: { requestsPerSecond: 1, burst: 1 } },
      env: {
        GRAPHQL_REQUEST_DEADLINE_MS: String(DEADLINE_MS),
        CACHE_ENABLED: 'false',
        TIKTOK_SHOP_ANALYTICS_RATE_LIMIT: '1',
        TIKTOK_SHOP_ANALYTICS_RATE_BURST: '1',
        // The limiter's own bound is far away: only the deadline can stop the waits.
        TIKTOK_SHOP_RATE_MAX_WAIT_MS: '60000',
        // §7's five retries after a 429 (the harness turns them off).
        TIKTOK_SHOP_RATE_LIMIT_RETRIES: '5',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses the rate-limit slots it could only get after the deadline, sending nothing for them', async () => {
    t.emulator.resetRequests();
    const startedMs = performance.now();
    const reply = (await t.executeText(DASHBOARD, { range: lastDays(30), first: 20 })) as {
      body: Reply;
    };
    const elapsedMs = performance.now() - startedMs;
    const analytics = t.emulator.requests().filter((entry) => entry.path.includes('/analytics/'));
    const errors = reply.body.errors ?? [];
    // 1 req/s with burst 1: slots at 0, 1 and 2 s fit in 3 s; the other 17 would come later.
    // (On a loaded machine the emulator may still answer one of the first a 429: what counts
    // here is that nothing waits for a slot past the deadline.)
    expect(analytics.length).toBeGreaterThanOrEqual(2);
    expect(analytics.length).toBeLessThanOrEqual(4);
    const refused = errors.filter((error) => error.extensions?.reason === 'REQUEST_DEADLINE');
    expect(refused.length).toBeGreaterThanOrEqual(16);
    for (const error of refused) {
      expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(error.message).toMatch(/before the request's deadline/);
    }
    process.stdout.write(
      `request deadline: ${analytics.length} of 20 analytics calls sent at 1 req/s, ` +
        `${errors.length} refused RATE_LIMITED, answered in ${(elapsedMs / 1000).toFixed(1)} s ` +
        `(deadline ${DEADLINE_MS / 1000} s; without one: 20 calls over 19 s, rate-classes.test.ts)\n`,
    );
  }, 30_000);

  it("stops retrying TikTok's 429 when its Retry-After would end past the deadline", async () => {
    t.emulator.resetRequests();
    // Every answer a 429 with Retry-After: 2 s; §7 allows 5 retries (about 10 s in all).
    t.emulator.setFaults({ retryAfterSeconds: 2, script: [{ kind: 'rate_limit', count: 10 }] });
    try {
      const startedMs = performance.now();
      const reply = (await t.executeText(WAREHOUSES)) as { body: Reply };
      const elapsedMs = performance.now() - startedMs;
      const sent = t.emulator.requests().filter((entry) => entry.path.includes('/warehouses'));
      // One at 0 s, one after 2 s; the next would wait until 4 s, past the 3 s deadline.
      expect(sent.map((entry) => entry.status)).toEqual([429, 429]);
      expect(reply.body.errors?.[0]?.extensions).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterMs: 2_000,
      });
      process.stdout.write(
        `request deadline: 429 with Retry-After 2 s → ${sent.length} attempts, answered in ` +
          `${(elapsedMs / 1000).toFixed(1)} s (deadline ${DEADLINE_MS / 1000} s; §7 alone would ` +
          'allow 6 attempts over 10 s)\n',
      );
    } finally {
      t.emulator.setFaults({});
    }
  }, 30_000);
});
