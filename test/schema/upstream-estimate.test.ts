// The planner's estimate (issue 14) against what each example operation in operations/ really
// costs: run cold against the emulator with `x-upstream-cost: 1`, the estimate must bound the
// calls from above, and not by much (the bound docs/graphql.md states). Plus the rules the walk
// follows (variables, fragments, aliases) and the refusal above GRAPHQL_MAX_UPSTREAM_CALLS.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as bench from '../../bench/operations.js';
import { schema } from '../../src/schema/index.js';
import { estimateUpstreamCalls } from '../../src/schema/upstream-estimate/estimate.js';
import {
  dataOf,
  type Json,
  lastDays,
  startTestGateway,
  type TestGateway,
} from '../helpers/gateway.js';

const OPERATIONS = join(import.meta.dirname, '../../operations');
const REPORT = { headers: { 'x-upstream-cost': '1' } };

const estimate = (query: string, variables?: Record<string, unknown>) =>
  estimateUpstreamCalls(schema, parse(query), variables);

/** What docs/graphql.md promises: actual ≤ estimate ≤ 4 × actual + 12. */
const isWithinBound = (actual: number, estimated: number) =>
  actual <= estimated && estimated <= 4 * actual + 12;

describe('the estimate of a document', () => {
  it('takes `first` from variables, their defaults and literals', () => {
    const query = `query P($first: Int = 30) {
      productPerformances(range: { start: "2024-01-01", end: "2024-01-31" }, first: $first) {
        edges { node { product { title } } }
      }
    }`;
    expect(estimate(query).byEndpoint).toEqual({
      'analytics.product_performance_list': 1,
      'product.detail': 30,
    });
    expect(estimate(query, { first: 5 }).calls).toBe(6);
    expect(estimate(query.replace('first: $first', 'first: 7')).calls).toBe(8);
  });

  it('follows fragments and inline fragments, and counts each alias', () => {
    const query = `
      fragment Stock on Sku { inventory { warehouses { warehouse { name } } } }
      query {
        a: product(id: "1") { skus { ...Stock } }
        b: product(id: "2") { ... on Product { title description } }
      }`;
    // Two details (the detail serves `description`), one batched stock search, one warehouse list.
    expect(estimate(query).byEndpoint).toEqual({
      'product.detail': 2,
      'inventory.search': 1,
      'logistics.warehouses': 1,
    });
  });

  it('costs nothing for a `first` the resolver refuses, and one page for `first: 0`', () => {
    expect(estimate('{ orders(first: 101) { edges { node { id } } } }').calls).toBe(0);
    expect(estimate('{ orders(first: 0) { totalCount } }').calls).toBe(1);
  });

  it('batches stock by 100 products and charges detail-only fields of search results', () => {
    const page = (first: number) => `{
      products(first: ${first}) { edges { node { description skus { inventory { totalAvailableQuantity } } } } }
    }`;
    expect(estimate(page(100)).byEndpoint).toEqual({
      'product.search': 1,
      'product.detail': 100,
      'inventory.search': 1,
    });
    expect(estimate(page(100).replace('first: 100', 'first: 100, after: "x"')).byEndpoint).toEqual({
      'product.search': 5,
      'product.detail': 100,
      'inventory.search': 1,
    });
  });

  it('counts a bulk update by its distinct products', () => {
    const items = Array.from({ length: 500 }, (_, index) => ({
      productId: String(index % 100),
      skuId: String(index),
      quantity: 1,
    }));
    const query = `mutation B($input: BulkUpdateInventoryInput!) {
      bulkUpdateInventory(input: $input) { updatedCount }
    }`;
    // One check and one read-back of 100 products each, and 100 writes: under 300.
    expect(estimate(query, { input: { items } }).byEndpoint).toEqual({
      'inventory.search': 2,
      'inventory.update': 100,
    });
  });
});

describe("the bench's documents", () => {
  it('fit under the default limit of 300', () => {
    const range = lastDays(30);
    // 1 search, 4 line items × 50 orders, 2 stock searches, 1 warehouse list.
    expect(estimate(bench.ORDERS_PAGE, { first: 50 }).calls).toBe(204);
    expect(estimate(bench.DASHBOARD, { range }).calls).toBe(14);
    expect(estimate(bench.HOT_READ, { id: '1' }).calls).toBe(1);
  });
});

describe('the estimate against every example operation, cold', () => {
  let gateway: TestGateway;
  const variables: Record<string, Json> = {};

  beforeAll(async () => {
    gateway = await startTestGateway({ scale: 1 });
    const range = lastDays(30);
    const setup = dataOf(
      await gateway.executeText<Json>(
        `query Ids($range: DateRangeInput!) {
          products(first: 2, filter: { status: ACTIVATE }) {
            edges { node { id skus { id inventory { warehouses { warehouseId } } } } }
          }
          orders(first: 1) { edges { node { id } } }
          videos(range: $range, first: 1) { edges { node { id } } }
        }`,
        { range },
      ),
    );
    const products = setup.products.edges.map((edge: Json) => edge.node);
    const skuOf = (product: Json) => ({
      skuId: product.skus[0].id,
      warehouseId: product.skus[0].inventory.warehouses[0].warehouseId,
      quantity: 7,
    });
    Object.assign(variables, {
      Product: { productId: products[0].id, range },
      Order: { orderId: setup.orders.edges[0].node.id },
      Inventory: { productIds: products.map((product: Json) => product.id) },
      ShopPerformance: { range },
      ProductPerformances: { range },
      SkuPerformances: { range },
      Videos: { range },
      Video: { videoId: setup.videos.edges[0].node.id, range },
      LiveSessions: { range },
      UpdateInventory: { update: { productId: products[0].id, skus: [skuOf(products[0])] } },
      BulkUpdateInventory: {
        bulk: {
          items: products.map((product: Json) => ({ productId: product.id, ...skuOf(product) })),
        },
      },
    });
  });

  afterAll(() => gateway?.close());

  const files = readdirSync(OPERATIONS)
    .filter((name) => name.endsWith('.graphql'))
    // A subscription's stream costs per event; it is not estimated.
    .filter((name) => !readFileSync(join(OPERATIONS, name), 'utf8').includes('subscription '));

  it.each(files)('%s: actual ≤ estimate ≤ 4 × actual + 12', async (file) => {
    const query = readFileSync(join(OPERATIONS, file), 'utf8');
    const name = /(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '';
    gateway.cache.clear();
    gateway.resetCalls();
    const reply = await gateway.executeText<Json>(query, variables[name] ?? {}, REPORT);
    expect(reply.body.errors).toBeUndefined();
    const upstream = reply.body.extensions?.upstream as Json;
    const actual = gateway.totalCalls();
    // The report counts the request's own calls; a token renewal is the seller's, not the
    // request's (RefreshAccessToken), so only that one sees more in the emulator's log.
    if (name === 'RefreshAccessToken') expect(upstream.calls).toBeLessThanOrEqual(actual);
    else expect(upstream.calls).toBe(actual);
    const planned = estimateUpstreamCalls(schema, parse(query), variables[name] ?? {});
    expect(upstream.estimate).toBe(planned.calls);
    console.info(`${name}: actual ${actual}, estimate ${planned.calls}`);
    expect(isWithinBound(actual, planned.calls), `${actual} vs ${planned.calls}`).toBe(true);
  });
});
