// Shop, product and SKU analytics (§6.8). Every sales number is computed from the shop's orders
// (see data/analytics.ts), so it agrees with what Order Search returns for the same days.

import {
  SALES_SOURCES,
  type SalesFact,
  splitTraffic,
  totalsOf,
  visitorsPerDay,
} from '../data/analytics.js';
import { formatDay } from '../data/dates.js';
import { convertCents, formatCents, formatRate } from '../data/money.js';
import type { SalesSource, ShopData } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition, RouteRequest } from '../route-types.js';
import { SCOPES } from '../scopes.js';
import {
  type AnalyticsQuery,
  type DayRange,
  intervalDates,
  moneyOf,
  overviewPerformance,
  readAnalyticsQuery,
  readListOptions,
  readOverviewOptions,
  sortRows,
} from './analytics-query.js';
import { fingerprintOf, paginate } from './pagination.js';
import { CODES, handleWith, RouteFailure, shopDataOf, shownId } from './validation.js';

/** Money per source that adds up to the converted total (rounding lands on PRODUCT_CARD). */
export function moneyBreakdowns(
  totalCents: number,
  bySource: Record<SalesSource, number>,
  shopCurrency: string,
  currency: 'LOCAL' | 'USD',
) {
  const total = convertCents(totalCents, shopCurrency, currency);
  const live = convertCents(bySource.LIVE, shopCurrency, currency).cents;
  const video = convertCents(bySource.VIDEO, shopCurrency, currency).cents;
  const amounts: Record<SalesSource, number> = {
    LIVE: live,
    VIDEO: video,
    PRODUCT_CARD: total.cents - live - video,
  };
  return SALES_SOURCES.map((type) => ({
    type,
    amount: formatCents(amounts[type]),
    currency: total.currency,
  }));
}

export function countBreakdowns(bySource: Record<SalesSource, number>) {
  return SALES_SOURCES.map((type) => ({ type, amount: bySource[type] }));
}

/** Sums sale prices and units of line items per source. */
export function bySourceOf(facts: readonly SalesFact[]) {
  const gmv: Record<SalesSource, number> = { LIVE: 0, VIDEO: 0, PRODUCT_CARD: 0 };
  const units: Record<SalesSource, number> = { LIVE: 0, VIDEO: 0, PRODUCT_CARD: 0 };
  for (const fact of facts) {
    gmv[fact.order.source] += fact.priceCents;
    units[fact.order.source] += 1;
  }
  return { gmv, units };
}

function latest(query: AnalyticsQuery) {
  return formatDay(query.latestDay);
}

function shopInterval(data: ShopData, query: AnalyticsQuery, interval: DayRange) {
  const totals = data.analytics().shopTotals(interval.startDay, interval.endDay);
  const days = interval.endDay - interval.startDay;
  const money = (cents: number) => moneyOf(cents, data.shop.currency, query.currency);
  const impressions = splitTraffic(totals.impressions);
  const pageViews = splitTraffic(totals.pageViews);
  return {
    ...intervalDates(interval),
    gmv: money(totals.gmvCents),
    gmv_breakdowns: moneyBreakdowns(
      totals.gmvCents,
      totals.gmvBySource,
      data.shop.currency,
      query.currency,
    ),
    orders: totals.orders,
    sku_orders: totals.skuOrders,
    units_sold: totals.units,
    buyers: totals.buyers,
    buyer_breakdowns: countBreakdowns(totals.buyersBySource),
    avg_order_value: money(totals.orders > 0 ? Math.round(totals.gmvCents / totals.orders) : 0),
    product_impressions: totals.impressions,
    product_impression_breakdowns: countBreakdowns(impressions),
    product_page_views: totals.pageViews,
    product_page_view_breakdowns: countBreakdowns(pageViews),
    avg_product_page_visitors: visitorsPerDay(totals.pageViews, days),
    avg_product_page_visitor_breakdowns: SALES_SOURCES.map((type) => ({
      type,
      amount: visitorsPerDay(pageViews[type], days),
    })),
    refunds: money(totals.refundsCents),
    cancellations_and_returns: totals.cancelledUnits,
  };
}

function productInterval(
  data: ShopData,
  query: AnalyticsQuery,
  productId: string,
  interval: DayRange,
) {
  const analytics = data.analytics();
  const product = data.productById.get(productId)!;
  const facts = analytics.productFacts(productId, interval.startDay, interval.endDay);
  const totals = totalsOf(facts);
  const bySource = bySourceOf(facts);
  const traffic = analytics.productTraffic(product, interval.startDay, interval.endDay);
  const impressions = splitTraffic(traffic.impressions);
  const pageViews = splitTraffic(traffic.pageViews);
  const days = interval.endDay - interval.startDay;
  return {
    ...intervalDates(interval),
    gmv: moneyOf(totals.gmvCents, data.shop.currency, query.currency),
    gmv_breakdowns: moneyBreakdowns(
      totals.gmvCents,
      bySource.gmv,
      data.shop.currency,
      query.currency,
    ),
    orders: totals.orders,
    units_sold: totals.units,
    unit_sold_breakdowns: countBreakdowns(bySource.units),
    impressions: traffic.impressions,
    impression_breakdowns: countBreakdowns(impressions),
    page_views: traffic.pageViews,
    page_view_breakdowns: countBreakdowns(pageViews),
    avg_page_visitors: visitorsPerDay(traffic.pageViews, days),
    avg_page_visitor_breakdowns: SALES_SOURCES.map((type) => ({
      type,
      amount: visitorsPerDay(pageViews[type], days),
    })),
    click_through_rate: formatRate(traffic.pageViews, traffic.impressions),
    click_through_rate_breakdowns: SALES_SOURCES.map((type) => ({
      type,
      amount: formatRate(pageViews[type], impressions[type]),
    })),
  };
}

function skuInterval(data: ShopData, query: AnalyticsQuery, skuId: string, interval: DayRange) {
  const facts = data.analytics().skuFacts(skuId, interval.startDay, interval.endDay);
  const totals = totalsOf(facts);
  const bySource = bySourceOf(facts);
  return {
    ...intervalDates(interval),
    gmv: moneyOf(totals.gmvCents, data.shop.currency, query.currency),
    gmv_breakdown: moneyBreakdowns(
      totals.gmvCents,
      bySource.gmv,
      data.shop.currency,
      query.currency,
    ),
    sku_orders: totals.skuOrders,
    units_sold: totals.units,
    units_sold_breakdown: countBreakdowns(bySource.units),
  };
}

/** Groups line items by a key (product or SKU id), keeping first-seen order. */
function groupFacts(facts: readonly SalesFact[], keyOf: (fact: SalesFact) => string) {
  const groups = new Map<string, SalesFact[]>();
  for (const fact of facts) {
    const key = keyOf(fact);
    const group = groups.get(key);
    if (group) group.push(fact);
    else groups.set(key, [fact]);
  }
  return groups;
}

function notFound(what: string, id: string): RouteFailure {
  return new RouteFailure(
    CODES.analyticsNotFound,
    `${what} ${shownId(id)} was not found in this shop.`,
    404,
  );
}

export function createAnalyticsRoutes(store: EmulatorStore): RouteDefinition[] {
  const route = (
    endpoint: string,
    pattern: string,
    handle: (request: RouteRequest) => { data: unknown },
  ): RouteDefinition => ({
    method: 'GET',
    pattern,
    endpoint,
    isShopScoped: true,
    scope: SCOPES.analytics,
    handle: handleWith(handle),
  });

  return [
    route('analytics.shop_performance', '/analytics/202405/shop/performance', (request) => {
      const query = readAnalyticsQuery(request);
      const options = readOverviewOptions(request);
      const data = shopDataOf(store, request);
      return {
        data: {
          latest_available_date: latest(query),
          performance: overviewPerformance(query, options, (interval) =>
            shopInterval(data, query, interval),
          ),
        },
      };
    }),

    route('analytics.product_list', '/analytics/202405/shop_products/performance', (request) => {
      const query = readAnalyticsQuery(request);
      const list = readListOptions(request, [
        'gmv',
        'order_count',
        'unit_sold_count',
        'click_through_rate',
      ] as const);
      const data = shopDataOf(store, request);
      const analytics = data.analytics();
      // Products with at least one unit sold in the range.
      const groups = groupFacts(analytics.facts(query.startDay, query.endDay), (f) => f.productId);
      const rows = [...groups].map(([id, facts]) => {
        const totals = totalsOf(facts);
        const traffic = analytics.productTraffic(
          data.productById.get(id)!,
          query.startDay,
          query.endDay,
        );
        return {
          id,
          totals,
          ctr: traffic.impressions > 0 ? traffic.pageViews / traffic.impressions : 0,
          traffic,
        };
      });
      const keyOf = {
        gmv: (row: (typeof rows)[number]) => row.totals.gmvCents,
        order_count: (row: (typeof rows)[number]) => row.totals.orders,
        unit_sold_count: (row: (typeof rows)[number]) => row.totals.units,
        click_through_rate: (row: (typeof rows)[number]) => row.ctr,
      }[list.sortField];
      const page = paginate(sortRows(rows, keyOf, list.sortOrder), {
        ...list.page,
        fingerprint: fingerprintOf(
          'analytics.product_list',
          data.shop.id,
          query,
          list.sortField,
          list.sortOrder,
        ),
      });
      return {
        data: {
          latest_available_date: latest(query),
          total_count: page.totalCount,
          next_page_token: page.nextPageToken,
          products: page.items.map((row) => ({
            id: row.id,
            gmv: moneyOf(row.totals.gmvCents, data.shop.currency, query.currency),
            orders: row.totals.orders,
            units_sold: row.totals.units,
            click_through_rate: formatRate(row.traffic.pageViews, row.traffic.impressions),
          })),
        },
      };
    }),

    route(
      'analytics.product_detail',
      '/analytics/202405/shop_products/:product_id/performance',
      (request) => {
        const query = readAnalyticsQuery(request);
        const options = readOverviewOptions(request);
        const data = shopDataOf(store, request);
        const productId = request.params.product_id ?? '';
        if (!data.productById.has(productId)) throw notFound('Product', productId);
        return {
          data: {
            latest_available_date: latest(query),
            performance: overviewPerformance(query, options, (interval) =>
              productInterval(data, query, productId, interval),
            ),
          },
        };
      },
    ),

    route('analytics.sku_list', '/analytics/202406/shop_skus/performance', (request) => {
      const query = readAnalyticsQuery(request);
      const list = readListOptions(request, ['gmv', 'sku_orders', 'units_sold'] as const);
      const productId = request.query.product_id || undefined;
      const data = shopDataOf(store, request);
      const facts = data.analytics().facts(query.startDay, query.endDay);
      const groups = groupFacts(
        productId ? facts.filter((fact) => fact.productId === productId) : facts,
        (fact) => fact.skuId,
      );
      const rows = [...groups].map(([id, skuFacts]) => ({
        id,
        productId: skuFacts[0]!.productId,
        totals: totalsOf(skuFacts),
      }));
      const keyOf = {
        gmv: (row: (typeof rows)[number]) => row.totals.gmvCents,
        sku_orders: (row: (typeof rows)[number]) => row.totals.skuOrders,
        units_sold: (row: (typeof rows)[number]) => row.totals.units,
      }[list.sortField];
      const page = paginate(sortRows(rows, keyOf, list.sortOrder), {
        ...list.page,
        fingerprint: fingerprintOf(
          'analytics.sku_list',
          data.shop.id,
          query,
          productId,
          list.sortField,
          list.sortOrder,
        ),
      });
      return {
        data: {
          latest_available_date: latest(query),
          total_count: page.totalCount,
          next_page_token: page.nextPageToken,
          skus: page.items.map((row) => ({
            id: row.id,
            product_id: row.productId,
            gmv: moneyOf(row.totals.gmvCents, data.shop.currency, query.currency),
            sku_orders: row.totals.skuOrders,
            units_sold: row.totals.units,
          })),
        },
      };
    }),

    route('analytics.sku_detail', '/analytics/202406/shop_skus/:sku_id/performance', (request) => {
      const query = readAnalyticsQuery(request);
      const options = readOverviewOptions(request);
      const data = shopDataOf(store, request);
      const skuId = request.params.sku_id ?? '';
      const sku = data.skuById.get(skuId);
      if (!sku) throw notFound('SKU', skuId);
      return {
        data: {
          latest_available_date: latest(query),
          performance: {
            product_id: sku.productId,
            ...overviewPerformance(query, options, (interval) =>
              skuInterval(data, query, skuId, interval),
            ),
          },
        },
      };
    }),
  ];
}
