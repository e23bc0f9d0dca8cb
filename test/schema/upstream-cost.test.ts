// `extensions.upstream` (issue 14): what a request spent upstream, counted by its own observer and
// checked against the emulator's request log; and the refusal of a document whose estimate is
// above GRAPHQL_MAX_UPSTREAM_CALLS, before any upstream call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataOf,
  type Json,
  startTestGateway,
  TEST_API_KEY,
  type TestGateway,
} from '../helpers/gateway.js';

const REPORT = { headers: { 'x-upstream-cost': '1' } };
const PRODUCT = 'query P($id: ID!) { product(id: $id) { id title skus { id } } }';
const PRODUCT_TITLE = 'query T($id: ID!) { product(id: $id) { title } }';
const ORDERS_PAGE = `query O($first: Int!) {
  orders(first: $first) {
    edges { node { id lineItems { product { title skus { inventory { totalAvailableQuantity } } } } } }
  }
}`;

const upstreamOf = (reply: { body: Json }) => reply.body.extensions?.upstream as Json | undefined;

describe('extensions.upstream', () => {
  let gateway: TestGateway;
  let productIds: string[];

  beforeAll(async () => {
    gateway = await startTestGateway();
    const data = dataOf(
      await gateway.executeText<Json>('{ products(first: 3) { edges { node { id } } } }'),
    );
    productIds = data.products.edges.map((edge: Json) => edge.node.id);
  });

  afterAll(() => gateway?.close());

  const cold = () => {
    gateway.cache.clear();
    gateway.resetCalls();
  };

  it('is absent unless asked for', async () => {
    const reply = await gateway.executeText(PRODUCT, { id: productIds[0] });
    expect(reply.body.extensions?.upstream).toBeUndefined();
  });

  it('counts the calls the emulator saw, by endpoint, with the estimate', async () => {
    cold();
    const reply = await gateway.executeText<Json>(ORDERS_PAGE, { first: 10 }, REPORT);
    expect(reply.body.errors).toBeUndefined();
    const upstream = upstreamOf(reply);
    expect(upstream?.calls).toBe(gateway.totalCalls());
    expect(upstream?.byEndpoint).toEqual(gateway.calls());
    expect(upstream?.cacheHits).toBe(0);
    expect(upstream?.waitedMs).toBeGreaterThanOrEqual(0);
    // 1 search, 4 line items × 10 orders, 1 stock search: the planner's upper bound.
    expect(upstream?.estimate).toBe(42);
  });

  it('reports reads from the shared cache as cache hits and no calls', async () => {
    cold();
    await gateway.executeText(PRODUCT, { id: productIds[0] });
    gateway.resetCalls();
    // Another document over the same product: the shared cache answers, not the response cache.
    const reply = await gateway.executeText(PRODUCT_TITLE, { id: productIds[0] }, REPORT);
    expect(gateway.totalCalls()).toBe(0);
    expect(upstreamOf(reply)).toMatchObject({ calls: 0, cacheHits: 1, byEndpoint: {} });
  });

  it('reports an answer served whole from the response cache as its own, costing nothing', async () => {
    cold();
    const first = await gateway.executeText(PRODUCT, { id: productIds[1] }, REPORT);
    expect(upstreamOf(first)).toMatchObject({ calls: 1, byEndpoint: { 'product.detail': 1 } });
    gateway.resetCalls();
    // The cached answer must not carry the first request's report.
    const second = await gateway.executeText(PRODUCT, { id: productIds[1] }, REPORT);
    expect(dataOf(second)).toEqual(dataOf(first));
    expect(gateway.totalCalls()).toBe(0);
    expect(upstreamOf(second)).toMatchObject({ calls: 0, cacheHits: 0, byEndpoint: {} });
    // And an unreported request gets no report from the cache either.
    const third = await gateway.executeText(PRODUCT, { id: productIds[1] });
    expect(third.body.extensions?.upstream).toBeUndefined();
  });

  it('gives each of two concurrent requests only its own calls', async () => {
    cold();
    const [first, second] = await Promise.all(
      [productIds[0], productIds[1]].map((id) => gateway.executeText(PRODUCT, { id }, REPORT)),
    );
    expect(gateway.totalCalls()).toBe(2);
    for (const reply of [first, second]) {
      expect(upstreamOf(reply!)).toMatchObject({ calls: 1, byEndpoint: { 'product.detail': 1 } });
    }
  });

  it('counts a call shared by two identical requests once: a cache hit for the other', async () => {
    cold();
    const replies = await Promise.all(
      [1, 2].map(() => gateway.executeText(PRODUCT, { id: productIds[2] }, REPORT)),
    );
    const reports = replies.map((reply) => upstreamOf(reply)!);
    expect(gateway.totalCalls()).toBe(1);
    expect(reports.reduce((sum, report) => sum + report.calls, 0)).toBe(1);
    // Whichever came second got the answer from the shared cache or from the call in flight.
    for (const report of reports) expect(report.calls + report.cacheHits).toBe(1);
  });

  it('answers over GET too', async () => {
    cold();
    const url = new URL('http://127.0.0.1/graphql');
    url.searchParams.set('query', PRODUCT);
    url.searchParams.set('variables', JSON.stringify({ id: productIds[0] }));
    const response = await gateway.gateway.fetch(url, {
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'x-upstream-cost': '1' },
    });
    const body = (await response.json()) as Json;
    expect(body.extensions?.upstream).toMatchObject({ calls: 1, cacheHits: 0, estimate: 1 });
  });
  // Last: the failure counts against the shop's circuit.
  it('reports what a failed query spent', async () => {
    cold();
    gateway.emulator.setFaults({ errorRate: 1 });
    try {
      const reply = await gateway.executeText(PRODUCT, { id: productIds[0] }, REPORT);
      expect(reply.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');
      expect(gateway.totalCalls()).toBe(1);
      expect(upstreamOf(reply)).toMatchObject({ calls: 1, byEndpoint: { 'product.detail': 1 } });
    } finally {
      gateway.emulator.setFaults({});
    }
  });
});

describe('the upstream-call limit', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(() => gateway?.close());

  it('refuses a document estimated above 300 calls before any upstream call', async () => {
    gateway.resetCalls();
    // 1 search + 4 line items × 100 orders + 4 stock searches.
    const reply = await gateway.executeText(ORDERS_PAGE, { first: 100 }, REPORT);
    expect(reply.status).toBe(400);
    expect(reply.body.data).toBeUndefined();
    expect(reply.body.errors).toHaveLength(1);
    const error = reply.body.errors![0]!;
    expect(error.message).toBe(
      'This query would make about 405 upstream calls; the limit is 300 (GRAPHQL_MAX_UPSTREAM_CALLS).',
    );
    expect(error.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      estimate: 405,
      maxUpstreamCalls: 300,
      estimateByEndpoint: { 'order.search': 1, 'product.detail': 400, 'inventory.search': 4 },
    });
    expect(gateway.totalCalls()).toBe(0);
    expect(upstreamOf(reply)).toEqual({ calls: 0, cacheHits: 0, waitedMs: 0, byEndpoint: {} });
  });

  it('lets the same document through with a smaller `first`', async () => {
    const reply = await gateway.executeText(ORDERS_PAGE, { first: 50 });
    expect(reply.body.errors).toBeUndefined();
  });
});

describe('GRAPHQL_REPORT_UPSTREAM_COST and a tiny rate limit', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      env: {
        GRAPHQL_REPORT_UPSTREAM_COST: 'true',
        GRAPHQL_MAX_UPSTREAM_CALLS: '3',
        TIKTOK_SHOP_RATE_LIMIT: '20',
        TIKTOK_SHOP_RATE_BURST: '1',
      },
    });
  });

  afterAll(() => gateway?.close());

  it('reports every answer, with the time spent waiting for the limiter', async () => {
    gateway.resetCalls();
    // 1 search and 2 product details, one slot at a time.
    const reply = await gateway.executeText(
      '{ products(first: 2) { edges { node { description } } } }',
    );
    expect(reply.body.errors).toBeUndefined();
    const upstream = upstreamOf(reply);
    expect(upstream).toMatchObject({ calls: 3, estimate: 3 });
    expect(upstream?.calls).toBe(gateway.totalCalls());
    expect(upstream?.waitedMs).toBeGreaterThan(0);
  });

  it('applies the configured limit', async () => {
    const reply = await gateway.executeText(
      '{ products(first: 3) { edges { node { description } } } }',
    );
    expect(reply.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      estimate: 4,
      maxUpstreamCalls: 3,
    });
  });
});
