// Issue 12, item 4: /metrics after real queries against the emulator. The upstream counters must
// agree with what the emulator counted, operations are counted by name and outcome, the cache,
// limiter, circuits and token refreshes report, and no label ever holds a shop id or request id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataOf,
  type Json,
  lastDays,
  startTestGateway,
  TEST_API_KEY,
  type TestGateway,
} from '../helpers/gateway.js';
import { parseMetrics, type Sample, sumBy, sumOf } from './helpers/prometheus.js';

const ORDERS_ONLY_KEY = 'orders-only-key-0123456789abcdef';

async function scrape(t: TestGateway): Promise<Sample[]> {
  const response = await t.gateway.fetch('http://127.0.0.1/metrics');
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

/** `after` minus `before`, per key, leaving out keys that did not move. */
function delta(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, value]) => value !== 0),
  );
}

describe('/metrics after real queries', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      apiKeys: `test:${TEST_API_KEY}:*,orders:${ORDERS_ONLY_KEY}:order.read`,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('counts and times upstream attempts by endpoint exactly as the emulator counted them', async () => {
    const before = await scrape(t);
    t.resetCalls();
    dataOf(
      await t.executeText(
        `query Browse {
          products(first: 5) { edges { node { id title } } }
          orders(first: 3) { edges { node { id lineItems { product { title } } } } }
        }`,
      ),
    );
    const after = await scrape(t);
    const counted = delta(
      sumBy(before, 'tiktok_upstream_requests_total', 'endpoint'),
      sumBy(after, 'tiktok_upstream_requests_total', 'endpoint'),
    );
    expect(Object.keys(t.calls()).length).toBeGreaterThan(1);
    expect(counted).toEqual(t.calls());
    const timed = delta(
      sumBy(before, 'tiktok_upstream_request_duration_seconds_count', 'endpoint'),
      sumBy(after, 'tiktok_upstream_request_duration_seconds_count', 'endpoint'),
    );
    expect(timed).toEqual(t.calls());
    expect(sumOf(after, 'tiktok_upstream_requests_total', { status: '200', code: '0' })).toBe(
      sumOf(after, 'tiktok_upstream_requests_total'),
    );
  });

  it('counts shared-cache hits and misses by kind', async () => {
    const listed = dataOf(
      await t.executeText<Json>('{ products(first: 1) { edges { node { id } } } }'),
    );
    const id = listed.products.edges[0].node.id as string;
    const read = `query ($id: ID!) { product(id: $id) { id description } }`;
    // Another document, so the response cache (issue 14) does not answer it whole.
    const readTitle = `query ($id: ID!) { product(id: $id) { id title } }`;
    const before = await scrape(t);
    dataOf(await t.executeText(read, { id }));
    dataOf(await t.executeText(readTitle, { id }));
    const after = await scrape(t);
    const moved = (name: string) =>
      sumOf(after, name, { kind: 'product' }) - sumOf(before, name, { kind: 'product' });
    expect(moved('gateway_cache_misses_total')).toBe(1);
    expect(moved('gateway_cache_hits_total')).toBe(1);
  });

  it('counts operations by name and outcome, with durations', async () => {
    const query = (name: string) => `query ${name} { products(first: 1) { totalCount } }`;
    dataOf(await t.executeText(query('Listing')));
    dataOf(await t.executeText(query('Listing')));
    const refused = await t.executeText(query('Refused'), {}, { apiKey: ORDERS_ONLY_KEY });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    t.emulator.setFaults({ script: [{ kind: 'error', count: 1 }], pathPrefixes: ['/product'] });
    try {
      const failed = await t.executeText(query('Failing'));
      expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
    } finally {
      t.emulator.setFaults({});
    }
    const samples = await scrape(t);
    const operations = (operationName: string, outcome: string) =>
      sumOf(samples, 'graphql_yoga_http_duration_count', { operationName, outcome });
    expect(operations('Listing', 'success')).toBe(2);
    expect(operations('Refused', 'client_error')).toBe(1);
    expect(operations('Failing', 'upstream_error')).toBe(1);
    // The plugin's other metrics stay off: each would hook every request.
    expect(samples.some((sample) => sample.name.startsWith('graphql_envelop_'))).toBe(false);
    expect(
      sumOf(samples, 'tiktok_upstream_requests_total', {
        endpoint: 'product.search',
        status: '500',
        code: '36009003',
      }),
    ).toBe(1);
  });

  it('never puts a shop id or a request id in a label', async () => {
    const requestId = 'metrics-label-check-1234';
    dataOf(
      await t.executeText(
        '{ products(first: 1) { totalCount } }',
        {},
        { headers: { 'x-request-id': requestId } },
      ),
    );
    const values = new Set((await scrape(t)).flatMap((sample) => Object.values(sample.labels)));
    expect(values.size).toBeGreaterThan(10);
    for (const shop of t.seller.shops) expect(values.has(shop.id)).toBe(false);
    expect(values.has(requestId)).toBe(false);
    expect([...values].some((value) => value.includes('/'))).toBe(false);
  });

  it('counts token refreshes by outcome', async () => {
    const before = await scrape(t);
    await t.tokens.refresh(t.seller.openId);
    const seller = await t.store.getSeller(t.seller.openId);
    if (!seller) throw new Error('the seller is gone');
    await t.store.saveTokens(
      t.seller.openId,
      { ...seller.tokens, refreshToken: 'not-a-refresh-token-the-emulator-issued' },
      { expectedVersion: seller.version },
    );
    await expect(t.tokens.refresh(t.seller.openId)).rejects.toThrow();
    const after = await scrape(t);
    const moved = (outcome: string) =>
      sumOf(after, 'tiktok_token_refreshes_total', { outcome }) -
      sumOf(before, 'tiktok_token_refreshes_total', { outcome });
    expect([moved('success'), moved('rejected'), moved('failed')]).toEqual([1, 1, 0]);
  });

  it("includes Node's process metrics", async () => {
    const names = new Set((await scrape(t)).map((sample) => sample.name));
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
  });
});

describe('limiter and circuit metrics', () => {
  it('times rate-limit waits and shows the callers waiting, by class', async () => {
    // Two analytics calls a second, no burst: the second waits about 0.5 s, the third about 1 s.
    const t = await startTestGateway({
      env: { TIKTOK_SHOP_ANALYTICS_RATE_LIMIT: '2', TIKTOK_SHOP_ANALYTICS_RATE_BURST: '1' },
    });
    try {
      const before = await scrape(t);
      const query =
        'query ($range: DateRangeInput!) { shopPerformance(range: $range) { intervals { orders } } }';
      const running = Promise.all(
        [5, 6, 7].map(async (days) =>
          dataOf(await t.executeText(query, { range: lastDays(days) })),
        ),
      );
      let mostWaiting = 0;
      let isDone = false;
      void running.finally(() => {
        isDone = true;
      });
      while (!isDone) {
        const depth = sumOf(await scrape(t), 'tiktok_rate_limit_queue_depth', {
          class: 'analytics',
        });
        mostWaiting = Math.max(mostWaiting, depth);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await running;
      const after = await scrape(t);
      const moved = (name: string) =>
        sumOf(after, name, { class: 'analytics' }) - sumOf(before, name, { class: 'analytics' });
      expect(moved('tiktok_rate_limit_wait_seconds_count')).toBe(3);
      // The limiter's own guarantee (0.5 s + 1 s of waiting at least), not a speed measurement.
      expect(moved('tiktok_rate_limit_wait_seconds_sum')).toBeGreaterThan(1.2);
      expect(mostWaiting).toBeGreaterThanOrEqual(1);
      expect(sumOf(after, 'tiktok_rate_limit_queue_depth', { class: 'analytics' })).toBe(0);
      expect(t.calls()['analytics.shop_performance']).toBe(3);
    } finally {
      await t.close();
    }
  });

  it('reports a circuit opened by upstream failures: state 2 for its class, one open', async () => {
    const t = await startTestGateway({
      env: { TIKTOK_SHOP_BREAKER_FAILURES: '2', CACHE_ENABLED: 'false' },
      faults: { errorRate: 1, pathPrefixes: ['/product'] },
    });
    try {
      const closed = await scrape(t);
      expect(sumOf(closed, 'tiktok_circuit_state', { class: 'standard' })).toBe(0);
      for (let failures = 0; failures < 2; failures += 1) {
        const { body } = await t.executeText('{ products(first: 1) { totalCount } }');
        expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
      }
      const open = await scrape(t);
      expect(sumOf(open, 'tiktok_circuit_state', { class: 'standard' })).toBe(2);
      expect(sumOf(open, 'tiktok_circuits_open', { class: 'standard' })).toBe(1);
      expect(sumOf(open, 'tiktok_circuit_state', { class: 'analytics' })).toBe(0);
    } finally {
      await t.close();
    }
  });
});
