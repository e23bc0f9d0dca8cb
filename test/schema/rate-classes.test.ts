// Rate budgets per endpoint class (§7): a dashboard fanning out over product analytics stays
// within the analytics budget TikTok enforces, counted from the emulator's request log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, lastDays, startTestGateway, type TestGateway } from '../helpers/gateway.js';

const PRODUCTS = 20;
const ANALYTICS_PER_SECOND = 1;

const DASHBOARD = `query Dashboard($range: DateRangeInput!, $first: Int!) {
  products(first: $first) {
    edges { node { id performance(range: $range) { intervals { gmv { amount } } } } }
  }
}`;

describe('rate classes against an emulator enforcing 1 analytics req/s per shop', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      scale: 0.2,
      emulator: { analyticsRateLimit: { requestsPerSecond: ANALYTICS_PER_SECOND, burst: 1 } },
      env: {
        TIKTOK_SHOP_ANALYTICS_RATE_LIMIT: String(ANALYTICS_PER_SECOND),
        TIKTOK_SHOP_ANALYTICS_RATE_BURST: '1',
        // 20 calls at 1/s: the last one waits about 19 s for its slot.
        TIKTOK_SHOP_RATE_MAX_WAIT_MS: '60000',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('fans a dashboard out over 20 products with 0 upstream 429s', async () => {
    t.resetCalls();
    const startedMs = performance.now();
    const reply = await t.executeText<{
      products: { edges: Array<{ node: { performance: unknown } }> };
    }>(DASHBOARD, { range: lastDays(30), first: PRODUCTS });
    const elapsedMs = performance.now() - startedMs;

    const { edges } = dataOf(reply).products;
    expect(edges).toHaveLength(PRODUCTS);
    for (const { node } of edges) expect(node.performance).not.toBeNull();
    const analytics = t.emulator.requests().filter((entry) => entry.path.includes('/analytics/'));
    const limited = t.emulator.requests().filter((entry) => entry.status === 429);
    expect(analytics).toHaveLength(PRODUCTS);
    expect(limited).toHaveLength(0);
    const floorMs = ((PRODUCTS - 1) / ANALYTICS_PER_SECOND) * 1000;
    process.stdout.write(
      `rate classes: ${analytics.length} analytics calls, ${limited.length} upstream 429s, ` +
        `${(elapsedMs / 1000).toFixed(1)} s against a floor of ${floorMs / 1000} s ` +
        `(${PRODUCTS} calls at ${ANALYTICS_PER_SECOND}/s, burst 1)\n`,
    );
  }, 60_000);
});

describe('the analytics budget adapting to a limit the emulator lowers mid-run (AIMD)', () => {
  const CONFIGURED = 20;
  const LOWERED = 8;
  const QUERIES = 6;
  const PER_QUERY = 10;
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      scale: 0.2,
      emulator: { analyticsRateLimit: { requestsPerSecond: CONFIGURED, burst: 1 } },
      env: {
        CACHE_ENABLED: 'false',
        TIKTOK_SHOP_ANALYTICS_RATE_LIMIT: String(CONFIGURED),
        TIKTOK_SHOP_ANALYTICS_RATE_BURST: '1',
      },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('halves on a 429 and settles just under the new limit', async () => {
    const dashboard = () => t.executeText(DASHBOARD, { range: lastDays(30), first: PER_QUERY });
    // Warm-up at the configured limit (a loaded machine may still draw a 429 here).
    await dashboard();
    const lowered = await fetch(`${t.emulator.url}/__emulator/rate-limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ analytics: { requestsPerSecond: LOWERED, burst: 1 } }),
    });
    expect(lowered.status).toBe(200);
    t.resetCalls();
    // Each field that drew a 429 is a RATE_LIMITED error (one attempt per call in these tests).
    for (let query = 0; query < QUERIES; query++) await dashboard();

    const analytics = t.emulator.requests().filter((entry) => entry.path.includes('/analytics/'));
    const limited = analytics.filter((entry) => entry.status === 429);
    expect(analytics).toHaveLength(QUERIES * PER_QUERY);
    // Sent at the configured 20/s, 60 % of these would be refused by an 8/s limit.
    expect(limited.length).toBeLessThan(analytics.length / 4);
    const answered = analytics.filter((entry) => entry.status === 200).map((entry) => entry.at);
    const settled = answered.slice(Math.floor(answered.length / 2));
    const rate = ((settled.length - 1) / ((settled.at(-1) ?? 0) - (settled[0] ?? 0))) * 1000;
    process.stdout.write(
      `AIMD: limit ${CONFIGURED} → ${LOWERED} req/s: ${limited.length} upstream 429s in ` +
        `${analytics.length} analytics calls; settled at ${rate.toFixed(2)} req/s over the ` +
        `last ${settled.length} answers\n`,
    );
  }, 60_000);
});
