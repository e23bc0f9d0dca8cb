import { describe, expect, it } from 'vitest';
import {
  createStore,
  type EmulatorStore,
  ORDER_STATUSES,
  type OrderRecord,
  PRODUCT_STATUSES,
} from '../../src/emulator/data.js';
import { createDomainRoutes } from '../../src/emulator/routes/index.js';

const NOW_MS = Date.UTC(2025, 5, 15, 12, 0, 0);
const NOW_SECONDS = NOW_MS / 1000;
const DAY = 86_400;

function storeAt(seed: number, nowMs = NOW_MS, scale = 1): EmulatorStore {
  return createStore({ seed, scale, now: () => nowMs });
}

// One scale-1 store shared by the read-only checks below.
const store = storeAt(42);

describe('createStore: directory', () => {
  it('gives sellers[0] a US local shop and a GB cross-border shop, and sellers[1] a US shop', () => {
    const [first, second] = store.sellers;
    expect(store.sellers).toHaveLength(2);
    const shopsOf = (openId: string) => store.shops.filter((shop) => shop.sellerOpenId === openId);
    expect(
      shopsOf(first!.openId).map((shop) => [shop.region, shop.sellerType, shop.currency]),
    ).toEqual([
      ['US', 'LOCAL', 'USD'],
      ['GB', 'CROSS_BORDER', 'GBP'],
    ]);
    expect(shopsOf(second!.openId).map((shop) => [shop.region, shop.currency])).toEqual([
      ['US', 'USD'],
    ]);
    expect(first!.shopIds).toEqual(shopsOf(first!.openId).map((shop) => shop.id));
  });

  it('uses ~19-digit decimal ids, opaque ciphers and Seller Center style codes', () => {
    for (const seller of store.sellers) expect(seller.openId).toMatch(/^\d{19}$/);
    for (const shop of store.shops) {
      expect(shop.id).toMatch(/^\d{19}$/);
      expect(shop.cipher).toMatch(/^(ROW|GCP)_[A-Za-z0-9]{20,}$/);
    }
    expect(store.shops[0]!.code).toMatch(/^USLC[A-Z0-9]{6}$/);
    expect(new Set(store.shops.map((shop) => shop.cipher)).size).toBe(store.shops.length);
  });
});

describe('createStore: determinism', () => {
  const firstOrders = (s: EmulatorStore) => s.shopData(s.shops[0]!.id).orders.slice(0, 5);
  const firstProducts = (s: EmulatorStore) => s.shopData(s.shops[1]!.id).products.slice(0, 5);

  it('gives identical data for the same seed, at any time of the same UTC day', () => {
    const early = storeAt(9, Date.UTC(2025, 5, 15, 0, 0, 1), 0.1);
    const late = storeAt(9, Date.UTC(2025, 5, 15, 23, 59, 59), 0.1);
    expect(late.sellers).toEqual(early.sellers);
    expect(late.shops).toEqual(early.shops);
    expect(firstProducts(late)).toEqual(firstProducts(early));
    expect(firstOrders(late)).toEqual(firstOrders(early));
    expect(late.shopData(late.shops[2]!.id).videos).toEqual(
      early.shopData(early.shops[2]!.id).videos,
    );
  });

  it('does not depend on the order in which shops are first used', () => {
    const a = storeAt(9, NOW_MS, 0.1);
    const b = storeAt(9, NOW_MS, 0.1);
    b.shopData(b.shops[2]!.id);
    b.shopData(b.shops[1]!.id);
    expect(firstOrders(b)).toEqual(firstOrders(a));
  });

  it('gives different data for a different seed', () => {
    const a = storeAt(9, NOW_MS, 0.1);
    const b = storeAt(10, NOW_MS, 0.1);
    expect(b.shops[0]!.id).not.toBe(a.shops[0]!.id);
    expect(firstProducts(b).map((p) => p.title)).not.toEqual(firstProducts(a).map((p) => p.title));
    expect(firstOrders(b).map((o) => o.totalCents)).not.toEqual(
      firstOrders(a).map((o) => o.totalCents),
    );
  });
});

describe('createStore: volumes at scale 1', () => {
  it('has 500 products of 1–5 SKUs in every status, stocked in 1–3 of the shop warehouses', () => {
    const warehouseCounts: number[] = [];
    for (const shop of store.shops) {
      const data = store.shopData(shop.id);
      warehouseCounts.push(data.warehouses.length);
      expect(data.warehouses.length).toBeGreaterThanOrEqual(1);
      expect(data.warehouses.length).toBeLessThanOrEqual(3);
      expect(data.warehouses.filter((warehouse) => warehouse.isDefault)).toHaveLength(1);
      const warehouseIds = new Set(data.warehouses.map((warehouse) => warehouse.id));

      expect(data.products).toHaveLength(500);
      expect(new Set(data.products.map((product) => product.status))).toEqual(
        new Set(PRODUCT_STATUSES),
      );
      const active = data.products.filter((product) => product.status === 'ACTIVATE').length;
      expect(active).toBeGreaterThan(250);
      for (const product of data.products) {
        expect(product.skus.length).toBeGreaterThanOrEqual(1);
        expect(product.skus.length).toBeLessThanOrEqual(5);
        expect(product.createTime).toBeLessThan(NOW_SECONDS);
        expect(product.updateTime).toBeGreaterThanOrEqual(product.createTime);
        expect(product.updateTime).toBeLessThan(NOW_SECONDS);
        for (const sku of product.skus) {
          expect(sku.currency).toBe(shop.currency);
          expect(sku.stock.length).toBeGreaterThanOrEqual(1);
          expect(sku.stock.length).toBeLessThanOrEqual(3);
          for (const stock of sku.stock) expect(warehouseIds.has(stock.warehouseId)).toBe(true);
        }
      }
      const sellerSkus = data.products.flatMap((product) =>
        product.skus.map((sku) => sku.sellerSku),
      );
      expect(new Set(sellerSkus).size).toBe(sellerSkus.length);
    }
    expect(warehouseCounts).toContain(3);
  });

  it('has 5 000 orders over the 90 days ending now, in every status', () => {
    for (const shop of store.shops) {
      const { orders } = store.shopData(shop.id);
      expect(orders).toHaveLength(5000);
      expect(new Set(orders.map((order) => order.status))).toEqual(new Set(ORDER_STATUSES));
      for (const order of orders) {
        expect(order.createTime).toBeGreaterThanOrEqual(NOW_SECONDS - 90 * DAY);
        expect(order.createTime).toBeLessThanOrEqual(NOW_SECONDS);
        expect(order.updateTime).toBeGreaterThanOrEqual(order.createTime);
        expect(order.updateTime).toBeLessThanOrEqual(NOW_SECONDS);
      }
      const times = orders.map((order) => order.createTime);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // Spread over the whole window, not bunched at one end.
      expect(times[0]!).toBeLessThan(NOW_SECONDS - 80 * DAY);
      expect(new Set(orders.map((order) => order.id)).size).toBe(5000);
    }
  });

  it('has 100 videos and 20 LIVE sessions per shop, linked to products of the shop', () => {
    for (const shop of store.shops) {
      const data = store.shopData(shop.id);
      expect(data.videos).toHaveLength(100);
      expect(data.lives).toHaveLength(20);
      for (const video of data.videos) {
        expect(video.productIds.length).toBeGreaterThanOrEqual(1);
        expect(video.productIds.length).toBeLessThanOrEqual(3);
        for (const id of video.productIds) expect(data.productById.has(id)).toBe(true);
        expect(video.postTime).toBeGreaterThanOrEqual(NOW_SECONDS - 90 * DAY);
        expect(video.postTime).toBeLessThan(NOW_SECONDS);
      }
      for (const live of data.lives) {
        expect(live.productIds.length).toBeGreaterThan(0);
        for (const id of live.productIds) expect(data.productById.has(id)).toBe(true);
        expect(live.endTime).toBeGreaterThan(live.startTime);
        expect(live.endTime).toBeLessThan(NOW_SECONDS);
      }
    }
  });

  it('scales the counts and keeps at least one of each', () => {
    const smallStore = storeAt(3, NOW_MS, 0.1);
    const small = smallStore.shopData(smallStore.shops[0]!.id);
    expect([
      small.products.length,
      small.orders.length,
      small.videos.length,
      small.lives.length,
    ]).toEqual([50, 500, 10, 2]);
    const tiny = storeAt(3, NOW_MS, 0.0001);
    const data = tiny.shopData(tiny.shops[0]!.id);
    expect([
      data.products.length,
      data.orders.length,
      data.videos.length,
      data.lives.length,
    ]).toEqual([1, 1, 1, 1]);
    expect(data.orders[0]!.lineItems[0]!.productId).toBe(data.products[0]!.id);
    expect(() => createStore({ seed: 1, scale: 0, now: () => NOW_MS })).toThrow(/scale/);
  });
});

describe('createStore: orders are consistent', () => {
  const shop = store.shops[1]!;
  const data = store.shopData(shop.id);

  it('computes payment in integer cents: sub_total = Σ line sale prices, total = the formula', () => {
    for (const order of data.orders) {
      expect(order.currency).toBe(shop.currency);
      const sum = order.lineItems.reduce((total, item) => total + item.salePriceCents, 0);
      expect(order.subTotalCents).toBe(sum);
      expect(order.totalCents).toBe(
        order.subTotalCents +
          order.shippingFeeCents -
          order.sellerDiscountCents -
          order.platformDiscountCents +
          order.taxCents,
      );
      for (const value of [order.totalCents, order.taxCents, order.shippingFeeCents]) {
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('references real products and SKUs of the shop, one unit per line item', () => {
    for (const order of data.orders) {
      expect(order.lineItems.length).toBeGreaterThanOrEqual(1);
      expect(order.lineItems.length).toBeLessThanOrEqual(4);
      for (const item of order.lineItems) {
        const sku = data.skuById.get(item.skuId);
        expect(sku?.productId).toBe(item.productId);
        expect(item.sellerSku).toBe(sku?.sellerSku);
        expect(item.originalPriceCents).toBe(sku?.priceCents);
        expect(item.salePriceCents).toBeLessThanOrEqual(item.originalPriceCents);
      }
    }
  });

  it('keeps paid time, packages and line item statuses in line with the order status', () => {
    const shipped = new Set(['AWAITING_COLLECTION', 'IN_TRANSIT', 'DELIVERED', 'COMPLETED']);
    for (const order of data.orders) {
      if (order.status === 'UNPAID') expect(order.paidTime).toBeNull();
      if (order.status !== 'UNPAID' && order.status !== 'CANCELLED') {
        expect(order.paidTime).not.toBeNull();
      }
      if (order.paidTime !== null) expect(order.paidTime).toBeGreaterThanOrEqual(order.createTime);
      const packageIds = new Set(order.packages.map((pkg) => pkg.id));
      if (shipped.has(order.status)) {
        expect(order.packages.length).toBeGreaterThan(0);
        for (const item of order.lineItems) {
          expect(item.displayStatus).toBe(order.status);
          expect(packageIds.has(item.packageId ?? '')).toBe(true);
        }
      } else if (order.status === 'PARTIALLY_SHIPPING') {
        const statuses = new Set(order.lineItems.map((item) => item.displayStatus));
        expect(statuses).toEqual(new Set(['IN_TRANSIT', 'AWAITING_SHIPMENT']));
        for (const item of order.lineItems) {
          expect(item.packageId !== null).toBe(item.displayStatus === 'IN_TRANSIT');
        }
      } else {
        expect(order.packages).toEqual([]);
        for (const item of order.lineItems) {
          expect(item.displayStatus).toBe(order.status);
          expect(item.packageId).toBeNull();
        }
      }
    }
  });

  it('has repeat buyers, each with one address', () => {
    const addresses = new Map<string, string>();
    for (const order of data.orders) {
      const known = addresses.get(order.userId);
      if (known) expect(order.recipient.fullAddress).toBe(known);
      addresses.set(order.userId, order.recipient.fullAddress);
      expect(order.recipient.regionCode).toBe('GB');
    }
    expect(addresses.size).toBeLessThan(data.orders.length);
  });
});

describe('shop analytics agree with the orders', () => {
  const routes = createDomainRoutes(store);
  const shopPerformance = routes.find((route) => route.endpoint === 'analytics.shop_performance')!;

  function performance(shopIndex: number, start: string, end: string) {
    const shop = store.shops[shopIndex]!;
    const result = shopPerformance.handle({
      params: {},
      query: { start_date_ge: start, end_date_lt: end },
      body: undefined,
      shop,
      seller: store.sellers.find((seller) => seller.openId === shop.sellerOpenId)!,
      now: NOW_MS,
      faults: {},
    });
    if ('error' in result) throw new Error(result.error.message);
    const data = result.data as { performance: { intervals: Array<Record<string, unknown>> } };
    return data.performance.intervals[0]!;
  }

  /** What the rule in docs/emulator.md says, recomputed from the raw orders. */
  function expected(orders: OrderRecord[], start: string, end: string) {
    const from = Date.parse(`${start}T00:00:00Z`) / 1000;
    const to = Date.parse(`${end}T00:00:00Z`) / 1000;
    const inRange = orders.filter((order) => order.createTime >= from && order.createTime < to);
    const cents = inRange.reduce((sum, order) => sum + order.totalCents, 0);
    return {
      gmv: (cents / 100).toFixed(2),
      orders: inRange.length,
      units: inRange.reduce((sum, order) => sum + order.lineItems.length, 0),
      buyers: new Set(inRange.map((order) => order.userId)).size,
      skuOrders: inRange.reduce(
        (sum, order) => sum + new Set(order.lineItems.map((item) => item.skuId)).size,
        0,
      ),
    };
  }

  it.each([
    [0, '2025-03-17', '2025-06-16'],
    [0, '2025-06-01', '2025-06-08'],
    [1, '2025-05-31', '2025-06-01'],
    [2, '2025-04-10', '2025-05-20'],
    [2, '2024-12-01', '2025-03-01'],
  ])('shop %i from %s to %s', (shopIndex, start, end) => {
    const orders = store.shopData(store.shops[shopIndex]!.id).orders;
    const want = expected(orders, start, end);
    const interval = performance(shopIndex, start, end);
    expect(interval.gmv).toEqual({ amount: want.gmv, currency: store.shops[shopIndex]!.currency });
    expect(interval.orders).toBe(want.orders);
    expect(interval.units_sold).toBe(want.units);
    expect(interval.buyers).toBe(want.buyers);
    expect(interval.sku_orders).toBe(want.skuOrders);
  });

  it('covers every order when asked for the whole window', () => {
    const interval = performance(0, '2025-03-17', '2025-06-16');
    expect(interval.orders).toBe(5000);
  });
});
