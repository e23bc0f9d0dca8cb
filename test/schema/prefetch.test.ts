// The planned critical path (src/schema/prefetch.ts): calls whose ids a parent already knows start
// together, in one wave after the call that found the ids, and only for what the selection asks.
// Two gateways share one slow emulator, one with the prefetch off: the same calls, fewer waves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_PAGE } from '../../bench/operations.js';
import { createEmulator } from '../../src/emulator/server.js';
import type { EmulatorHandle, RequestLogEntry } from '../../src/emulator/types.js';
import {
  type Json,
  lastDays,
  startTestGateway,
  TEST_API_KEY,
  type TestGateway,
} from '../helpers/gateway.js';

/** Every upstream call takes this long, so waves are far apart next to any scheduling noise. */
const LATENCY_MS = 250;
const AUTH_ENDPOINTS = new Set(['token.get', 'token.refresh', 'shop.authorized']);
const NO_INVENTORY_KEY = 'test-key-without-inventory-0123456789';

/** The operation's upstream calls, in arrival order, grouped into waves by arrival time. */
function wavesOf(requests: RequestLogEntry[]): string[][] {
  const waves: Array<{ startedAt: number; endpoints: string[] }> = [];
  for (const request of requests) {
    if (AUTH_ENDPOINTS.has(request.endpoint)) continue;
    const current = waves.at(-1);
    // A call arriving less than one latency after its wave's first call could not have waited
    // for any answer of that wave (the first answer leaves one latency after that call arrived),
    // however late a busy machine sent it; 5 % off for timer granularity.
    if (current && request.at - current.startedAt < LATENCY_MS * 0.95) {
      current.endpoints.push(request.endpoint);
    } else {
      waves.push({ startedAt: request.at, endpoints: [request.endpoint] });
    }
  }
  return waves.map((wave) => wave.endpoints.sort());
}

const countsOf = (waves: string[][]) => {
  const counts: Record<string, number> = {};
  for (const endpoint of waves.flat()) counts[endpoint] = (counts[endpoint] ?? 0) + 1;
  return counts;
};

describe('planned critical path (prefetch from the selection set)', () => {
  let emulator: EmulatorHandle;
  let planned: TestGateway;
  let unplanned: TestGateway;

  beforeAll(async () => {
    emulator = await createEmulator({
      port: 0,
      scale: 0.05,
      rateLimit: false,
      faults: { latencyMs: LATENCY_MS },
    });
    // Cache off: every operation is cold, so each run shows the whole path. The depth limit
    // counts fragment spreads as levels; the fragment test goes a little deeper.
    const env = { CACHE_ENABLED: 'false', GRAPHQL_MAX_DEPTH: '15' };
    const apiKeys = `test:${TEST_API_KEY}:*,stockless:${NO_INVENTORY_KEY}:order.read+product.read`;
    planned = await startTestGateway({ sharedEmulator: emulator, env, apiKeys });
    unplanned = await startTestGateway({
      sharedEmulator: emulator,
      env: { ...env, PREFETCH_ENABLED: 'false' },
      apiKeys,
    });
  }, 60_000);
  afterAll(async () => {
    await planned?.close();
    await unplanned?.close();
    await emulator?.close();
  });

  /** Runs the query on one gateway; its data and the waves of upstream calls it made. */
  async function run(
    t: TestGateway,
    query: string,
    variables: Record<string, unknown> = {},
    apiKey = TEST_API_KEY,
  ): Promise<{ data: Json; waves: string[][] }> {
    // The shop list and tokens are read first, so the log holds only the operation's calls.
    await t.executeText('{ shops { id } }');
    emulator.resetRequests();
    const { status, body } = await t.executeText(query, variables, { apiKey });
    expect(status, JSON.stringify(body.errors)).toBe(200);
    return { data: body as Json, waves: wavesOf(emulator.requests()) };
  }

  /** The query on the gateway without the plan, then with it: the same answer and calls. */
  async function unplannedThenPlanned(query: string, variables: Record<string, unknown>) {
    const before = await run(unplanned, query, variables);
    const after = await run(planned, query, variables);
    expect(after.data).toEqual(before.data);
    expect(after.data.errors).toBeUndefined();
    expect(countsOf(after.waves)).toEqual(countsOf(before.waves));
    return { before, after };
  }

  it('a cold orders page (the bench operation) costs 2 waves instead of 4, with the same calls', async () => {
    const before = await run(unplanned, ORDERS_PAGE, { first: 50 });
    const after = await run(planned, ORDERS_PAGE, { first: 50 });
    expect(after.data).toEqual(before.data);
    expect(after.data.errors).toBeUndefined();
    const productIds = new Set(
      (after.data.data.orders.edges as Json[]).flatMap((edge) =>
        (edge.node.lineItems as Json[]).map((item) => item.productId),
      ),
    );
    const expected = {
      'order.search': 1,
      'product.detail': productIds.size,
      'inventory.search': Math.ceil(productIds.size / 100),
      'logistics.warehouses': 1,
    };
    expect(countsOf(before.waves)).toEqual(expected);
    expect(countsOf(after.waves)).toEqual(expected);
    // Without the plan: order search → products → inventory → warehouses.
    expect(before.waves.length).toBeGreaterThanOrEqual(4);
    expect(after.waves).toEqual([
      ['order.search'],
      [
        ...Array(productIds.size).fill('product.detail'),
        'inventory.search',
        'logistics.warehouses',
      ].sort(),
    ]);
  });

  it('prefetches only what the selection asks for', async () => {
    const withoutStock = `{ orders(first: 20) { edges { node { lineItems { product { title } } } } } }`;
    const stockOnly = `{ orders(first: 20) { edges { node { lineItems {
      product { skus { inventory { totalAvailableQuantity } } } } } } } }`;
    const idsOnly = `{ orders(first: 20) { edges { node { lineItems { productId } } } } }`;
    for (const query of [withoutStock, stockOnly, idsOnly]) {
      const before = await run(unplanned, query);
      const after = await run(planned, query);
      expect(after.data).toEqual(before.data);
      expect(countsOf(after.waves)).toEqual(countsOf(before.waves));
    }
    expect(countsOf((await run(planned, withoutStock)).waves)).not.toHaveProperty(
      'inventory.search',
    );
    const stock = await run(planned, stockOnly);
    expect(countsOf(stock.waves)).not.toHaveProperty('logistics.warehouses');
    expect(stock.waves).toHaveLength(2);
    expect((await run(planned, idsOnly)).waves).toEqual([['order.search']]);
  });

  it('follows fragments and @include/@skip, and leaves out fields the caller may not read', async () => {
    const query = `query ($stock: Boolean!, $names: Boolean!) {
      orders(first: 20) { edges { node { lineItems { product { ...Stock } } } } }
    }
    fragment Stock on Product {
      skus { inventory @include(if: $stock) { warehouses { warehouse @skip(if: $names) { name } } } }
    }`;
    const withStock = await run(planned, query, { stock: true, names: false });
    expect(withStock.waves).toHaveLength(2);
    expect(countsOf(withStock.waves)['logistics.warehouses']).toBe(1);

    for (const variables of [
      { stock: false, names: false },
      { stock: true, names: true },
    ]) {
      const after = countsOf((await run(planned, query, variables)).waves);
      expect(after).toEqual(countsOf((await run(unplanned, query, variables)).waves));
      expect(after).not.toHaveProperty('logistics.warehouses');
      expect('inventory.search' in after).toBe(variables.stock);
    }

    // Without inventory.read, `inventory` is FORBIDDEN: nothing is searched for it either.
    const denied = await run(planned, query, { stock: true, names: false }, NO_INVENTORY_KEY);
    expect(denied.data.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(countsOf(denied.waves)).not.toHaveProperty('inventory.search');
    expect(countsOf(denied.waves)).not.toHaveProperty('logistics.warehouses');
  });

  it('product performances → products, stock and warehouses: 2 waves, the same calls', async () => {
    const query = `query ($range: DateRangeInput!) {
      productPerformances(range: $range, first: 10) { edges { node { productId
        product { title skus { id inventory { warehouses { warehouse { name } } } } } } } }
    }`;
    const { before, after } = await unplannedThenPlanned(query, { range: lastDays(30) });
    expect(countsOf(after.waves)['product.detail']).toBeGreaterThan(1);
    expect(before.waves.length).toBeGreaterThanOrEqual(4);
    expect(after.waves).toHaveLength(2);
    expect(after.waves[0]).toEqual(['analytics.product_list']);
  });

  it('a video → its products and their stock: one wave after the video products, the same calls', async () => {
    const query = `query ($range: DateRangeInput!) {
      videos(range: $range, first: 2) { edges { node { id products(first: 10) { edges { node {
        product { title skus { inventory { totalAvailableQuantity } } } } } } } } }
    }`;
    const { before, after } = await unplannedThenPlanned(query, { range: lastDays(30) });
    expect(countsOf(after.waves)['product.detail']).toBeGreaterThan(0);
    // videos → video products → (products and stock together); unplanned: stock waits.
    expect(after.waves).toHaveLength(3);
    expect(before.waves).toHaveLength(4);
  });

  it("a failed prefetched Inventory Search is still the inventory fields' error, sent once", async () => {
    const query = `{ orders(first: 10) { edges { node { lineItems {
      product { skus { inventory { totalAvailableQuantity } } } } } } } }`;
    emulator.setFaults({
      latencyMs: LATENCY_MS,
      errorRate: 1,
      pathPrefixes: ['/product/202309/inventory/search'],
    });
    try {
      const before = await run(unplanned, query);
      const after = await run(planned, query);
      expect(countsOf(after.waves)).toEqual(countsOf(before.waves));
      expect(countsOf(after.waves)['inventory.search']).toBe(1);
      const codes = (after.data.errors as Json[]).map((error) => error.extensions.code);
      expect(codes.length).toBeGreaterThan(0);
      expect(new Set(codes)).toEqual(
        new Set((before.data.errors as Json[]).map((e) => e.extensions.code)),
      );
      expect(after.data.errors[0].path).toContain('inventory');
    } finally {
      emulator.setFaults({ latencyMs: LATENCY_MS });
    }
  });
});
