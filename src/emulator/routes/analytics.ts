// Shop, product and SKU analytics (§6.8). Every sales number is computed from the shop's orders
// (see data/analytics.ts), so it agrees with what Order Search returns for the same days.

import { type SalesFact, splitTraffic, totalsOf, visitorsPerDay } from '../data/analytics.js';
import { convertCents, formatCents, formatRate } from '../data/money.js';
import { SALES_SOURCES, type SalesSource } from '../data/records.js';
import type { EmulatorStore } from '../data.js';
import type { RouteDefinition } from '../route-types.js';
import type { DayRange } from './analytics-query.js';
import { type AnalyticsContext, analyticsNotFound, analyticsRoutes } from './analytics-route.js';

/** `[{type, amount}]`, one entry per sales source. */
function breakdowns<T>(amountOf: (source: SalesSource) => T) {
  return SALES_SOURCES.map((type) => ({ type, amount: amountOf(type) }));
}

/** Money per source that adds up to the converted total (rounding lands on PRODUCT_CARD). */
function moneyBreakdowns(
  { data, query }: AnalyticsContext,
  totalCents: number,
  bySource: Record<SalesSource, number>,
) {
  const total = convertCents(totalCents, data.shop.currency, query.currency);
  const live = convertCents(bySource.LIVE, data.shop.currency, query.currency).cents;
  const video = convertCents(bySource.VIDEO, data.shop.currency, query.currency).cents;
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

/** Sales of some line items: their totals, GMV, and GMV and units per source. */
function salesOf(context: AnalyticsContext, facts: readonly SalesFact[]) {
  const totals = totalsOf(facts);
  const gmv: Record<SalesSource, number> = { LIVE: 0, VIDEO: 0, PRODUCT_CARD: 0 };
  const units: Record<SalesSource, number> = { LIVE: 0, VIDEO: 0, PRODUCT_CARD: 0 };
  for (const fact of facts) {
    gmv[fact.order.source] += fact.priceCents;
    units[fact.order.source] += 1;
  }
  return {
    totals,
    gmv: context.money(totals.gmvCents),
    gmvBreakdowns: moneyBreakdowns(context, totals.gmvCents, gmv),
    unitBreakdowns: breakdowns((type) => units[type]),
  };
}

function shopInterval(context: AnalyticsContext, interval: DayRange) {
  const { money } = context;
  const totals = context.data.analytics().shopTotals(interval.startDay, interval.endDay);
  const days = interval.endDay - interval.startDay;
  const impressions = splitTraffic(totals.impressions);
  const pageViews = splitTraffic(totals.pageViews);
  return {
    gmv: money(totals.gmvCents),
    gmv_breakdowns: moneyBreakdowns(context, totals.gmvCents, totals.gmvBySource),
    orders: totals.orders,
    sku_orders: totals.skuOrders,
    units_sold: totals.units,
    buyers: totals.buyers,
    buyer_breakdowns: breakdowns((type) => totals.buyersBySource[type]),
    avg_order_value: money(totals.orders > 0 ? Math.round(totals.gmvCents / totals.orders) : 0),
    product_impressions: totals.impressions,
    product_impression_breakdowns: breakdowns((type) => impressions[type]),
    product_page_views: totals.pageViews,
    product_page_view_breakdowns: breakdowns((type) => pageViews[type]),
    avg_product_page_visitors: visitorsPerDay(totals.pageViews, days),
    avg_product_page_visitor_breakdowns: breakdowns((type) =>
      visitorsPerDay(pageViews[type], days),
    ),
    refunds: money(totals.refundsCents),
    cancellations_and_returns: totals.cancelledUnits,
  };
}

function productInterval(context: AnalyticsContext, productId: string, interval: DayRange) {
  const analytics = context.data.analytics();
  const product = context.data.productById.get(productId)!;
  const sales = salesOf(
    context,
    analytics.productFacts(productId, interval.startDay, interval.endDay),
  );
  const traffic = analytics.productTraffic(product, interval.startDay, interval.endDay);
  const impressions = splitTraffic(traffic.impressions);
  const pageViews = splitTraffic(traffic.pageViews);
  const days = interval.endDay - interval.startDay;
  return {
    gmv: sales.gmv,
    gmv_breakdowns: sales.gmvBreakdowns,
    orders: sales.totals.orders,
    units_sold: sales.totals.units,
    unit_sold_breakdowns: sales.unitBreakdowns,
    impressions: traffic.impressions,
    impression_breakdowns: breakdowns((type) => impressions[type]),
    page_views: traffic.pageViews,
    page_view_breakdowns: breakdowns((type) => pageViews[type]),
    avg_page_visitors: visitorsPerDay(traffic.pageViews, days),
    avg_page_visitor_breakdowns: breakdowns((type) => visitorsPerDay(pageViews[type], days)),
    click_through_rate: formatRate(traffic.pageViews, traffic.impressions),
    click_through_rate_breakdowns: breakdowns((type) =>
      formatRate(pageViews[type], impressions[type]),
    ),
  };
}

function skuInterval(context: AnalyticsContext, skuId: string, { startDay, endDay }: DayRange) {
  const { totals, gmv, gmvBreakdowns, unitBreakdowns } = salesOf(
    context,
    context.data.analytics().skuFacts(skuId, startDay, endDay),
  );
  // The 202406 SKU endpoint names these fields unlike the 202405 product endpoint (§6.8).
  return {
    gmv,
    gmv_breakdown: gmvBreakdowns,
    sku_orders: totals.skuOrders,
    units_sold: totals.units,
    units_sold_breakdown: unitBreakdowns,
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

export function createAnalyticsRoutes(store: EmulatorStore): RouteDefinition[] {
  const { overview, list } = analyticsRoutes(store);
  return [
    overview('analytics.shop_performance', '/analytics/202405/shop/performance', (context) => ({
      performance: context.performance((interval) => shopInterval(context, interval)),
    })),

    list('analytics.product_list', '/analytics/202405/shop_products/performance', {
      rows: ({ data, query }) => {
        const analytics = data.analytics();
        // Products with at least one unit sold in the range.
        const groups = groupFacts(
          analytics.facts(query.startDay, query.endDay),
          (f) => f.productId,
        );
        const rows = [...groups].map(([id, facts]) => {
          const product = data.productById.get(id)!;
          const traffic = analytics.productTraffic(product, query.startDay, query.endDay);
          return { id, totals: totalsOf(facts), traffic };
        });
        return { rows, identity: [query] };
      },
      sortKeys: {
        gmv: (row) => row.totals.gmvCents,
        order_count: (row) => row.totals.orders,
        unit_sold_count: (row) => row.totals.units,
        click_through_rate: ({ traffic }) =>
          traffic.impressions > 0 ? traffic.pageViews / traffic.impressions : 0,
      },
      itemsKey: 'products',
      item: (row, { money }) => ({
        id: row.id,
        gmv: money(row.totals.gmvCents),
        orders: row.totals.orders,
        units_sold: row.totals.units,
        click_through_rate: formatRate(row.traffic.pageViews, row.traffic.impressions),
      }),
    }),

    overview(
      'analytics.product_detail',
      '/analytics/202405/shop_products/:product_id/performance',
      (context) => {
        const productId = context.request.params.product_id ?? '';
        if (!context.data.productById.has(productId)) throw analyticsNotFound('Product', productId);
        return {
          performance: context.performance((interval) =>
            productInterval(context, productId, interval),
          ),
        };
      },
    ),

    list('analytics.sku_list', '/analytics/202406/shop_skus/performance', {
      rows: ({ request, data, query }) => {
        const productId = request.query.product_id || undefined;
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
        return { rows, identity: [query, productId] };
      },
      sortKeys: {
        gmv: (row) => row.totals.gmvCents,
        sku_orders: (row) => row.totals.skuOrders,
        units_sold: (row) => row.totals.units,
      },
      itemsKey: 'skus',
      item: (row, { money }) => ({
        id: row.id,
        product_id: row.productId,
        gmv: money(row.totals.gmvCents),
        sku_orders: row.totals.skuOrders,
        units_sold: row.totals.units,
      }),
    }),

    overview(
      'analytics.sku_detail',
      '/analytics/202406/shop_skus/:sku_id/performance',
      (context) => {
        const skuId = context.request.params.sku_id ?? '';
        const sku = context.data.skuById.get(skuId);
        if (!sku) throw analyticsNotFound('SKU', skuId);
        return {
          performance: {
            product_id: sku.productId,
            ...context.performance((interval) => skuInterval(context, skuId, interval)),
          },
        };
      },
    ),
  ];
}
