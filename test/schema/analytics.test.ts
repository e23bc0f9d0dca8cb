import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OrdersDocument,
  ProductPerformancesDocument,
  ShopPerformanceDocument,
  ShopsDocument,
  SkuPerformancesDocument,
} from '../generated/graphql.js';
import {
  dataOf,
  lastDays,
  pageThrough,
  startTestGateway,
  type TestGateway,
} from '../helpers/gateway.js';

const DAY_MS = 86_400_000;

/** Decimal string to integer cents, exactly. */
const cents = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
};

describe('analytics', () => {
  let t: TestGateway;
  beforeAll(async () => {
    // Pages of 100 orders with each line item's product: above the default upstream-call limit.
    t = await startTestGateway({ env: { GRAPHQL_MAX_UPSTREAM_CALLS: '1000' } });
    await t.execute(ShopsDocument);
  });
  afterAll(async () => {
    await t.close();
  });

  it('reports shop GMV equal to the sum of the order totals for the same days', async () => {
    const range = lastDays(14);
    const { shopPerformance } = dataOf(await t.execute(ShopPerformanceDocument, { range }));
    const [interval] = shopPerformance!.intervals;
    expect(shopPerformance!.intervals).toHaveLength(1);
    expect(interval).toMatchObject({ startDate: range.start, endDate: range.end });

    const createdFrom = `${range.start}T00:00:00.000Z`;
    const createdBefore = new Date(Date.parse(`${range.end}T00:00:00Z`) + DAY_MS).toISOString();
    const { nodes } = await pageThrough(
      async (after) =>
        dataOf(
          await t.execute(OrdersDocument, {
            first: 100,
            after,
            filter: { createdFrom, createdBefore },
          }),
        ).orders,
    );
    expect(nodes.length).toBeGreaterThan(0);
    expect(interval!.orders).toBe(nodes.length);
    const orderSum = nodes.reduce((sum, order) => sum + cents(order.payment.total.amount), 0);
    expect(cents(interval!.gmv.amount)).toBe(orderSum);
    expect(interval!.gmv.currency).toBe(nodes[0]!.payment.total.currency);
  });

  it('cuts the range per day and adds the comparison period on request', async () => {
    const range = lastDays(7);
    const { shopPerformance } = dataOf(
      await t.execute(ShopPerformanceDocument, { range, granularity: 'DAY', withComparison: true }),
    );
    const days = shopPerformance!.intervals;
    expect(days).toHaveLength(7);
    expect(days[0]).toMatchObject({ startDate: range.start, endDate: range.start });
    expect(days[6]).toMatchObject({ startDate: range.end, endDate: range.end });
    expect(shopPerformance!.comparisonIntervals).toHaveLength(7);
    const total = dataOf(await t.execute(ShopPerformanceDocument, { range }));
    const sumOfDays = days.reduce((sum, day) => sum + cents(day.gmv.amount), 0);
    expect(sumOfDays).toBe(cents(total.shopPerformance!.intervals[0]!.gmv.amount));
  });

  it('serves a repeated analytics read from the shared cache', async () => {
    const range = lastDays(10);
    t.resetCalls();
    const first = dataOf(await t.execute(ShopPerformanceDocument, { range, currency: 'USD' }));
    const second = dataOf(await t.execute(ShopPerformanceDocument, { range, currency: 'USD' }));
    expect(second).toEqual(first);
    expect(first.shopPerformance!.intervals[0]!.gmv.currency).toBe('USD');
    expect(t.calls()).toEqual({ 'analytics.shop_performance': 1 });
  });

  it('pages per-product analytics to the end, sorted, with products resolved once each', async () => {
    const range = lastDays(30);
    t.cache.clear();
    await t.execute(ShopsDocument);
    t.resetCalls();
    const { nodes, pages, totalCount } = await pageThrough(
      async (after) =>
        dataOf(await t.execute(ProductPerformancesDocument, { range, first: 4, after }))
          .productPerformances,
    );
    expect(nodes).toHaveLength(totalCount);
    expect(pages).toBe(Math.ceil(totalCount / 4));
    const gmv = nodes.map((node) => cents(node.gmv.amount));
    expect(gmv).toEqual([...gmv].sort((a, b) => b - a));
    for (const node of nodes) expect(node.product?.title).toEqual(expect.any(String));
    expect(t.calls()['analytics.product_list']).toBe(pages);
    expect(t.calls()['product.detail']).toBe(new Set(nodes.map((node) => node.productId)).size);
  });

  it('lists SKU analytics sorted by units sold', async () => {
    const { skuPerformances } = dataOf(
      await t.execute(SkuPerformancesDocument, {
        range: lastDays(30),
        first: 20,
        sortBy: { field: 'UNITS_SOLD', direction: 'DESC' },
      }),
    );
    const units = skuPerformances!.edges.map((edge) => edge.node.unitsSold);
    expect(units.length).toBeGreaterThan(0);
    expect(units).toEqual([...units].sort((a, b) => b - a));
  });

  it('rejects an inverted range as BAD_USER_INPUT without calling TikTok', async () => {
    t.resetCalls();
    const { status, body } = await t.execute(ShopPerformanceDocument, {
      range: { start: '2024-05-10', end: '2024-05-01' },
    });
    expect(status).toBe(200);
    expect(body.data).toEqual({ shopPerformance: null });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(t.totalCalls()).toBe(0);
  });
});
