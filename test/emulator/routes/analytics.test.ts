import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../../src/emulator/data.js';
import { createHarness, TODAY, TOMORROW } from './call-route.js';

interface Money {
  amount: string;
  currency: string;
}

interface ShopInterval {
  start_date: string;
  end_date: string;
  gmv: Money;
  gmv_breakdowns: Array<{ type: string; amount: string; currency: string }>;
  orders: number;
  sku_orders: number;
  units_sold: number;
  buyers: number;
  avg_order_value: Money;
  product_impressions: number;
  product_page_views: number;
  refunds: Money;
}

interface ShopPerformance {
  latest_available_date: string;
  performance: { intervals: ShopInterval[]; comparison_intervals?: ShopInterval[] };
}

interface ProductRow {
  id: string;
  gmv: Money;
  orders: number;
  units_sold: number;
  click_through_rate: string;
}

type ListPage = {
  latest_available_date: string;
  total_count: number;
  next_page_token: string;
} & Record<string, unknown>;

const h = createHarness({ scale: 0.2 });
const ukShop = h.store.shops[1]!;
const orders = h.store.shopData(h.shop.id).orders;
const RANGE = { start_date_ge: '2025-05-01', end_date_lt: '2025-06-01' };

const cents = (amount: string) => Math.round(Number(amount) * 100);
function inRange(list: OrderRecord[], start: string, end: string) {
  const from = Date.parse(`${start}T00:00:00Z`) / 1000;
  const to = Date.parse(`${end}T00:00:00Z`) / 1000;
  return list.filter((order) => order.createTime >= from && order.createTime < to);
}

function listAll<T>(endpoint: string, key: string, query: Record<string, string>): T[] {
  const rows: T[] = [];
  let pageToken = '';
  let pages = 0;
  do {
    const page = h.data<ListPage>(endpoint, {
      query: { ...query, ...(pageToken ? { page_token: pageToken } : {}) },
    });
    rows.push(...(page[key] as T[]));
    pageToken = page.next_page_token;
    pages++;
    expect(page.total_count).toBeGreaterThanOrEqual(rows.length);
  } while (pageToken !== '' && pages < 500);
  expect(pageToken).toBe('');
  return rows;
}

describe('analytics date validation', () => {
  it.each([
    ['no start', { end_date_lt: '2025-06-01' }],
    ['no end', { start_date_ge: '2025-05-01' }],
    ['a bad format', { start_date_ge: '2025/05/01', end_date_lt: '2025-06-01' }],
    ['an impossible date', { start_date_ge: '2025-02-30', end_date_lt: '2025-03-05' }],
    ['start equal to end', { start_date_ge: '2025-05-01', end_date_lt: '2025-05-01' }],
    ['start after end', { start_date_ge: '2025-05-02', end_date_lt: '2025-05-01' }],
    [
      'an end past latest_available_date + 1',
      { start_date_ge: '2025-05-01', end_date_lt: '2025-06-17' },
    ],
    ['a range over 366 days', { start_date_ge: '2024-06-13', end_date_lt: '2025-06-15' }],
  ])('answers 28001022 / 400 for %s', (_name, query) => {
    for (const endpoint of [
      'analytics.shop_performance',
      'analytics.product_list',
      'analytics.sku_list',
      'analytics.video_list',
      'analytics.live_overview',
    ]) {
      expect(h.error(endpoint, { query })).toMatchObject({ code: 28001022, httpStatus: 400 });
    }
  });

  it('accepts an end of latest_available_date + 1 and a 366-day range', () => {
    const data = h.data<ShopPerformance>('analytics.shop_performance', {
      query: { start_date_ge: '2024-06-15', end_date_lt: TOMORROW },
    });
    expect(data.latest_available_date).toBe(TODAY);
    expect(data.performance.intervals).toHaveLength(1);
    expect(data.performance.intervals[0]!.orders).toBe(orders.length);
  });

  it.each([[{ currency: 'EUR' }], [{ granularity: '1W' }], [{ with_comparison: 'yes' }]])(
    'answers 36009004 for %o',
    (extra) => {
      expect(h.error('analytics.shop_performance', { query: { ...RANGE, ...extra } }).code).toBe(
        36009004,
      );
    },
  );

  it.each([
    [{ page_size: '101' }],
    [{ page_size: '0' }],
    [{ sort_field: 'title' }],
    [{ sort_order: 'down' }],
    [{ page_token: 'nope' }],
  ])('answers 36009004 for list parameters %o', (extra) => {
    expect(h.error('analytics.product_list', { query: { ...RANGE, ...extra } }).code).toBe(
      36009004,
    );
  });
});

describe('analytics.shop_performance', () => {
  it('matches the orders of the range: GMV, orders, units, buyers, breakdowns', () => {
    const interval = h.data<ShopPerformance>('analytics.shop_performance', { query: RANGE })
      .performance.intervals[0]!;
    const expected = inRange(orders, RANGE.start_date_ge, RANGE.end_date_lt);
    const total = expected.reduce((sum, order) => sum + order.totalCents, 0);
    expect(interval).toMatchObject({
      start_date: '2025-05-01',
      end_date: '2025-06-01',
      gmv: { amount: (total / 100).toFixed(2), currency: 'USD' },
      orders: expected.length,
      units_sold: expected.reduce((sum, order) => sum + order.lineItems.length, 0),
      buyers: new Set(expected.map((order) => order.userId)).size,
      avg_order_value: { amount: (Math.round(total / expected.length) / 100).toFixed(2) },
    });
    const breakdownSum = interval.gmv_breakdowns.reduce((sum, part) => sum + cents(part.amount), 0);
    expect(breakdownSum).toBe(total);
    const liveTotal = expected
      .filter((order) => order.source === 'LIVE')
      .reduce((sum, order) => sum + order.totalCents, 0);
    expect(interval.gmv_breakdowns.find((part) => part.type === 'LIVE')!.amount).toBe(
      (liveTotal / 100).toFixed(2),
    );
    const refunds = expected
      .filter((order) => order.status === 'CANCELLED' && order.paidTime !== null)
      .reduce((sum, order) => sum + order.totalCents, 0);
    expect(cents(interval.refunds.amount)).toBe(refunds);
    expect(interval.product_page_views).toBeLessThan(interval.product_impressions);
  });

  it('gives daily intervals (1D) that add up to the ALL interval', () => {
    const all = h.data<ShopPerformance>('analytics.shop_performance', { query: RANGE }).performance
      .intervals[0]!;
    const days = h.data<ShopPerformance>('analytics.shop_performance', {
      query: { ...RANGE, granularity: '1D' },
    }).performance.intervals;
    expect(days).toHaveLength(31);
    expect(days[0]).toMatchObject({ start_date: '2025-05-01', end_date: '2025-05-02' });
    expect(days.at(-1)).toMatchObject({ start_date: '2025-05-31', end_date: '2025-06-01' });
    const sum = (pick: (day: ShopInterval) => number) => days.reduce((s, day) => s + pick(day), 0);
    expect(sum((day) => cents(day.gmv.amount))).toBe(cents(all.gmv.amount));
    expect(sum((day) => day.orders)).toBe(all.orders);
    expect(sum((day) => day.units_sold)).toBe(all.units_sold);
    expect(sum((day) => day.sku_orders)).toBe(all.sku_orders);
    expect(sum((day) => day.product_impressions)).toBe(all.product_impressions);
  });

  it('adds comparison_intervals for the preceding range of equal length', () => {
    const data = h.data<ShopPerformance>('analytics.shop_performance', {
      query: { start_date_ge: '2025-05-08', end_date_lt: '2025-05-15', with_comparison: 'true' },
    });
    const previous = h.data<ShopPerformance>('analytics.shop_performance', {
      query: { start_date_ge: '2025-05-01', end_date_lt: '2025-05-08' },
    });
    expect(data.performance.comparison_intervals).toEqual(previous.performance.intervals);
    expect(
      h.data<ShopPerformance>('analytics.shop_performance', { query: RANGE }).performance,
    ).not.toHaveProperty('comparison_intervals');
  });

  it('converts GBP to USD at the documented fixed rate (1.27)', () => {
    const local = h.data<ShopPerformance>('analytics.shop_performance', {
      shop: ukShop,
      query: RANGE,
    }).performance.intervals[0]!;
    const usd = h.data<ShopPerformance>('analytics.shop_performance', {
      shop: ukShop,
      query: { ...RANGE, currency: 'USD' },
    }).performance.intervals[0]!;
    expect(local.gmv.currency).toBe('GBP');
    expect(usd.gmv.currency).toBe('USD');
    expect(cents(usd.gmv.amount)).toBe(Math.round(cents(local.gmv.amount) * 1.27));
    expect(usd.orders).toBe(local.orders);
    const usdBreakdown = usd.gmv_breakdowns.reduce((sum, part) => sum + cents(part.amount), 0);
    expect(usdBreakdown).toBe(cents(usd.gmv.amount));
  });
});

describe('analytics product and SKU performance', () => {
  const expectedProducts = () => {
    const byProduct = new Map<string, { gmv: number; orders: Set<string>; units: number }>();
    for (const order of inRange(orders, RANGE.start_date_ge, RANGE.end_date_lt)) {
      for (const item of order.lineItems) {
        const entry = byProduct.get(item.productId) ?? { gmv: 0, orders: new Set(), units: 0 };
        entry.gmv += item.salePriceCents;
        entry.orders.add(order.id);
        entry.units += 1;
        byProduct.set(item.productId, entry);
      }
    }
    return byProduct;
  };

  it('lists every product sold in the range, paged, sorted by GMV, with sales from the orders', () => {
    const rows = listAll<ProductRow>('analytics.product_list', 'products', {
      ...RANGE,
      page_size: '13',
    });
    const expected = expectedProducts();
    expect(rows).toHaveLength(expected.size);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    for (const row of rows) {
      const want = expected.get(row.id)!;
      expect(row.gmv).toEqual({ amount: (want.gmv / 100).toFixed(2), currency: 'USD' });
      expect(row.orders).toBe(want.orders.size);
      expect(row.units_sold).toBe(want.units);
      expect(row.click_through_rate).toMatch(/^0\.\d{4}$/);
    }
    const gmvs = rows.map((row) => cents(row.gmv.amount));
    expect(gmvs).toEqual([...gmvs].sort((a, b) => b - a));
  });

  it('sorts on order_count ascending when asked', () => {
    const rows = listAll<ProductRow>('analytics.product_list', 'products', {
      ...RANGE,
      page_size: '100',
      sort_field: 'order_count',
      sort_order: 'ASC',
    });
    const counts = rows.map((row) => row.orders);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });

  it('reports one product with breakdowns that add up', () => {
    const [productId, want] = [...expectedProducts()].sort((a, b) => b[1].gmv - a[1].gmv)[0]!;
    const interval = h.data<{ performance: { intervals: Array<Record<string, unknown>> } }>(
      'analytics.product_detail',
      { params: { product_id: productId }, query: RANGE },
    ).performance.intervals[0]!;
    expect(interval.gmv).toEqual({ amount: (want.gmv / 100).toFixed(2), currency: 'USD' });
    expect(interval.orders).toBe(want.orders.size);
    expect(interval.units_sold).toBe(want.units);
    const units = interval.unit_sold_breakdowns as Array<{ amount: number }>;
    expect(units.reduce((sum, part) => sum + part.amount, 0)).toBe(want.units);
    expect(interval.impressions as number).toBeGreaterThan(interval.page_views as number);
  });

  it('answers 28001007 / 404 for an unknown or foreign product', () => {
    const foreign = h.store.shopData(ukShop.id).products[0]!;
    for (const productId of ['1729999999999999999', foreign.id]) {
      expect(
        h.error('analytics.product_detail', { params: { product_id: productId }, query: RANGE }),
      ).toMatchObject({ code: 28001007, httpStatus: 404 });
    }
  });

  it('lists SKUs (optionally of one product) and reports one SKU', () => {
    const all = listAll<{ id: string; product_id: string; gmv: Money; units_sold: number }>(
      'analytics.sku_list',
      'skus',
      { ...RANGE, page_size: '100' },
    );
    const units = all.reduce((sum, row) => sum + row.units_sold, 0);
    const expectedUnits = inRange(orders, RANGE.start_date_ge, RANGE.end_date_lt).reduce(
      (sum, order) => sum + order.lineItems.length,
      0,
    );
    expect(units).toBe(expectedUnits);

    const top = all[0]!;
    const ofProduct = listAll<{ product_id: string }>('analytics.sku_list', 'skus', {
      ...RANGE,
      product_id: top.product_id,
    });
    expect(ofProduct.length).toBeGreaterThan(0);
    expect(ofProduct.every((row) => row.product_id === top.product_id)).toBe(true);

    const detail = h.data<{
      performance: { product_id: string; intervals: Array<{ gmv: Money; units_sold: number }> };
    }>('analytics.sku_detail', { params: { sku_id: top.id }, query: RANGE });
    expect(detail.performance.product_id).toBe(top.product_id);
    expect(detail.performance.intervals[0]).toMatchObject({
      gmv: top.gmv,
      units_sold: top.units_sold,
    });
    expect(
      h.error('analytics.sku_detail', { params: { sku_id: '1739999999999999999' }, query: RANGE }),
    ).toMatchObject({ code: 28001007, httpStatus: 404 });
  });
});
