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
