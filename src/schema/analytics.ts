// Shop, product and SKU analytics (§6.8). All of it is shared-cached; closed ranges for longer.

import type { ArgBuilder } from '@pothos/core';
import type { GatewayContext } from '../context.js';
import type { Loaders } from '../datasources/tiktok/loaders.js';
import type {
  AnalyticsCurrency as AnalyticsCurrencyCode,
  AnalyticsListInput,
  Page,
  ProductPerformanceInterval as ProductPerformanceIntervalShape,
  ProductPerformanceRow,
  ProductPerformance as ProductPerformanceShape,
  ShopPerformanceInterval as ShopPerformanceIntervalShape,
  ShopPerformance as ShopPerformanceShape,
  SkuPerformanceRow,
} from '../datasources/tiktok/types.js';
import { type BuilderTypes, builder } from './builder.js';
import {
  DateRangeInput,
  lastDayBefore,
  Money,
  resolveShopScope,
  type Scoped,
  SHOP_ID_DESCRIPTION,
  SortDirection,
  scoped,
  toAnalyticsRange,
} from './common.js';
import { connectionType, fetchConnection, pageArgs, parsePageArgs } from './connection.js';
import { Product, Sku, skusOf } from './product.js';

export const AnalyticsGranularity = builder.enumType('AnalyticsGranularity', {
  description: 'How analytics intervals are cut.',
  values: {
    ALL: { value: 'ALL', description: 'One interval for the whole range.' },
    DAY: { value: '1D', description: 'One interval per day.' },
  },
});

export const AnalyticsCurrency = builder.enumType('AnalyticsCurrency', {
  description: 'Currency analytics amounts are reported in.',
  values: {
    LOCAL: { description: "The shop's own currency." },
    USD: { description: 'US dollars.' },
  },
});

export const analyticsArgs = (arg: ArgBuilder<BuilderTypes>) => ({
  range: arg({
    type: DateRangeInput,
    required: true,
    description: "Days to cover, both ends inclusive, in the shop's timezone.",
  }),
  currency: arg({
    type: AnalyticsCurrency,
    defaultValue: 'LOCAL',
    description: 'Currency of amounts (default LOCAL).',
  }),
});

export const intervalDates = <T extends { startDate: string; endDate: string }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, T>,
) => ({
  startDate: t.field({
    type: 'Date',
    description: 'First day of the interval (inclusive).',
    resolve: (interval) => interval.startDate,
  }),
  endDate: t.field({
    type: 'Date',
    description:
      'Last day of the interval (inclusive, like DateRangeInput; TikTok reports the exclusive ' +
      'end and the gateway converts it).',
    resolve: (interval) => lastDayBefore(interval.endDate),
  }),
});

const ShopPerformanceInterval = builder
  .objectRef<ShopPerformanceIntervalShape>('ShopPerformanceInterval')
  .implement({
    description: 'Shop totals over one interval.',
    fields: (t) => ({
      ...intervalDates(t),
      gmv: t.field({ type: Money, description: 'Gross merchandise value.', resolve: (i) => i.gmv }),
      orders: t.field({ type: 'NonNegativeInt', description: 'Orders.', resolve: (i) => i.orders }),
      skuOrders: t.field({
        type: 'NonNegativeInt',
        description: 'SKU orders (an order with two SKUs counts twice).',
        resolve: (i) => i.skuOrders,
      }),
      unitsSold: t.field({
        type: 'NonNegativeInt',
        description: 'Units sold.',
        resolve: (i) => i.unitsSold,
      }),
      buyers: t.field({
        type: 'NonNegativeInt',
        description: 'Distinct buyers.',
        resolve: (i) => i.buyers,
      }),
      averageOrderValue: t.field({
        type: Money,
        description: 'GMV per order.',
        resolve: (i) => i.avgOrderValue,
      }),
      productImpressions: t.field({
        type: 'NonNegativeInt',
        description: 'Times products were shown.',
        resolve: (i) => i.productImpressions,
      }),
      productPageViews: t.field({
        type: 'NonNegativeInt',
        description: 'Product page views.',
        resolve: (i) => i.productPageViews,
      }),
      refunds: t.field({ type: Money, description: 'Refunded amount.', resolve: (i) => i.refunds }),
    }),
  });

const ShopPerformance = builder.objectRef<ShopPerformanceShape>('ShopPerformance').implement({
  description: 'Shop performance over a date range.',
  fields: (t) => ({
    latestAvailableDate: t.field({
      type: 'Date',
      nullable: true,
      description: 'Last day TikTok has data for; later days in the range read as zero.',
      resolve: (performance) => performance.latestAvailableDate,
    }),
    intervals: t.field({
      type: [ShopPerformanceInterval],
      description: 'The range cut by `granularity`.',
      resolve: (performance) => performance.intervals,
    }),
    comparisonIntervals: t.field({
      type: [ShopPerformanceInterval],
      description: 'The same-length period just before the range; empty unless `withComparison`.',
      resolve: (performance) => performance.comparisonIntervals,
    }),
  }),
});

const ProductPerformanceInterval = builder
  .objectRef<ProductPerformanceIntervalShape>('ProductPerformanceInterval')
  .implement({
    description: 'One product over one interval.',
    fields: (t) => ({
      ...intervalDates(t),
      gmv: t.field({ type: Money, description: 'Gross merchandise value.', resolve: (i) => i.gmv }),
      orders: t.field({ type: 'NonNegativeInt', description: 'Orders.', resolve: (i) => i.orders }),
      unitsSold: t.field({
        type: 'NonNegativeInt',
        description: 'Units sold.',
        resolve: (i) => i.unitsSold,
      }),
      impressions: t.field({
        type: 'NonNegativeInt',
        description: 'Times the product was shown.',
        resolve: (i) => i.impressions,
      }),
      pageViews: t.field({
        type: 'NonNegativeInt',
        description: 'Product page views.',
        resolve: (i) => i.pageViews,
      }),
      clickThroughRate: t.exposeString('clickThroughRate', {
        description: 'Decimal string, "0.0528" = 5.28 %.',
      }),
    }),
  });

const ProductPerformanceReport = builder
  .objectRef<ProductPerformanceShape>('ProductPerformanceReport')
  .implement({
    description: 'One product over a date range.',
    fields: (t) => ({
      latestAvailableDate: t.field({
        type: 'Date',
        nullable: true,
        description: 'Last day TikTok has data for.',
        resolve: (performance) => performance.latestAvailableDate,
      }),
      intervals: t.field({
        type: [ProductPerformanceInterval],
        description: 'The range cut by `granularity`.',
        resolve: (performance) => performance.intervals,
      }),
    }),
  });

builder.objectField(Product, 'performance', (t) =>
  t.field({
    type: ProductPerformanceReport,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description:
      'Analytics for this product (shared-cached per range); null when TikTok has none for it.',
    args: {
      ...analyticsArgs(t.arg),
      granularity: t.arg({
        type: AnalyticsGranularity,
        defaultValue: 'ALL',
        description: 'Interval size (default ALL).',
      }),
    },
    resolve: (product, args) =>
      product.scope.loaders.productPerformance.load({
        productId: product.id,
        input: {
          range: toAnalyticsRange(args.range),
          granularity: args.granularity ?? 'ALL',
          currency: args.currency ?? 'LOCAL',
        },
      }),
  }),
);

const ProductPerformance = builder
  .objectRef<Scoped<ProductPerformanceRow>>('ProductPerformance')
  .implement({
    description: 'Totals of one product over the requested range.',
    fields: (t) => ({
      productId: t.exposeID('id', { description: "TikTok's product id." }),
      product: t.field({
        type: Product,
        authScopes: { 'product.read': true },
        nullable: true,
        description: 'The product (Get Product, cached); null if it can no longer be read.',
        resolve: async (row) => {
          const product = await row.scope.loaders.productById.load(row.id);
          return product ? scoped(row.scope, product) : null;
        },
      }),
      gmv: t.field({ type: Money, description: 'Gross merchandise value.', resolve: (r) => r.gmv }),
      orders: t.field({ type: 'NonNegativeInt', description: 'Orders.', resolve: (r) => r.orders }),
      unitsSold: t.field({
        type: 'NonNegativeInt',
        description: 'Units sold.',
        resolve: (r) => r.unitsSold,
      }),
      clickThroughRate: t.exposeString('clickThroughRate', {
        description: 'Decimal string, "0.0528" = 5.28 %.',
      }),
    }),
  });

const SkuPerformance = builder.objectRef<Scoped<SkuPerformanceRow>>('SkuPerformance').implement({
  description: 'Totals of one SKU over the requested range.',
  fields: (t) => ({
    skuId: t.exposeID('id', { description: "TikTok's SKU id." }),
    productId: t.exposeID('productId', { description: "TikTok's product id." }),
    sku: t.field({
      type: Sku,
      authScopes: { 'product.read': true },
      nullable: true,
      description: 'The SKU, from the product detail (cached); null if it no longer exists.',
      resolve: async (row) => {
        const product = await row.scope.loaders.productById.load(row.productId);
        if (!product) return null;
        return skusOf(scoped(row.scope, product)).find((sku) => sku.id === row.id) ?? null;
      },
    }),
    gmv: t.field({ type: Money, description: 'Gross merchandise value.', resolve: (r) => r.gmv }),
    skuOrders: t.field({
      type: 'NonNegativeInt',
      description: 'Orders containing the SKU.',
      resolve: (r) => r.skuOrders,
    }),
    unitsSold: t.field({
      type: 'NonNegativeInt',
      description: 'Units sold.',
      resolve: (r) => r.unitsSold,
    }),
  }),
});

const ProductPerformanceSortField = builder.enumType('ProductPerformanceSortField', {
  description: 'What product analytics are sorted by.',
  values: {
    GMV: { value: 'gmv', description: 'Gross merchandise value.' },
    ORDERS: { value: 'order_count', description: 'Orders.' },
    UNITS_SOLD: { value: 'unit_sold_count', description: 'Units sold.' },
    CLICK_THROUGH_RATE: { value: 'click_through_rate', description: 'Click-through rate.' },
  },
});

const SkuPerformanceSortField = builder.enumType('SkuPerformanceSortField', {
  description: 'What SKU analytics are sorted by.',
  values: {
    GMV: { value: 'gmv', description: 'Gross merchandise value.' },
    SKU_ORDERS: { value: 'sku_orders', description: 'Orders containing the SKU.' },
    UNITS_SOLD: { value: 'units_sold', description: 'Units sold.' },
  },
});

const ProductPerformanceSort = builder.inputType('ProductPerformanceSort', {
  description: 'Order of product analytics (default: highest GMV first).',
  fields: (t) => ({
    field: t.field({ type: ProductPerformanceSortField, defaultValue: 'gmv', description: 'Key.' }),
    direction: t.field({ type: SortDirection, defaultValue: 'DESC', description: 'Direction.' }),
  }),
});

const SkuPerformanceSort = builder.inputType('SkuPerformanceSort', {
  description: 'Order of SKU analytics (default: highest GMV first).',
  fields: (t) => ({
    field: t.field({ type: SkuPerformanceSortField, defaultValue: 'gmv', description: 'Key.' }),
    direction: t.field({ type: SortDirection, defaultValue: 'DESC', description: 'Direction.' }),
  }),
});

const ProductPerformanceConnection = connectionType(
  ProductPerformance,
  'ProductPerformance',
  'per-product analytics rows',
);
const SkuPerformanceConnection = connectionType(
  SkuPerformance,
  'SkuPerformance',
  'per-SKU analytics rows',
);

/** Arguments every paged analytics list takes. */
interface AnalyticsListArgs {
  range: { start: Date; end: Date };
  first?: number | null;
  after?: string | null;
  sortBy?: { field?: string | null; direction?: 'ASC' | 'DESC' | null } | null;
  currency?: AnalyticsCurrencyCode | null;
  shopId?: string | number | null;
}

/** Pages one analytics list (sorted, shop-chosen) as a connection of shop-scoped rows. */
async function analyticsConnection<Row extends object>(
  ctx: GatewayContext,
  kind: string,
  args: AnalyticsListArgs,
  listOf: (loaders: Loaders) => (input: AnalyticsListInput) => Promise<Page<Row>>,
) {
  const page = parsePageArgs(kind, args);
  const range = toAnalyticsRange(args.range);
  const scope = await resolveShopScope(ctx, args.shopId);
  const list = listOf(scope.loaders);
  return fetchConnection(
    page,
    (position) =>
      list({
        range,
        ...position,
        sortField: args.sortBy?.field ?? 'gmv',
        sortOrder: args.sortBy?.direction ?? 'DESC',
        currency: args.currency ?? 'LOCAL',
      }),
    (row) => scoped(scope, row),
  );
}

builder.queryFields((t) => ({
  shopPerformance: t.field({
    type: ShopPerformance,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description: 'Shop KPIs over a date range (one cached call).',
    args: {
      ...analyticsArgs(t.arg),
      granularity: t.arg({
        type: AnalyticsGranularity,
        defaultValue: 'ALL',
        description: 'Interval size (default ALL).',
      }),
      withComparison: t.arg.boolean({
        defaultValue: false,
        description: 'Also return the period just before the range.',
      }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: async (_root, args, ctx) => {
      const range = toAnalyticsRange(args.range);
      const scope = await resolveShopScope(ctx, args.shopId);
      return scope.loaders.shopPerformance({
        range,
        granularity: args.granularity ?? 'ALL',
        currency: args.currency ?? 'LOCAL',
        withComparison: args.withComparison ?? false,
      });
    },
  }),
  productPerformances: t.field({
    type: ProductPerformanceConnection,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description: 'Per-product totals over a date range, paged (cached per page).',
    args: {
      ...analyticsArgs(t.arg),
      ...pageArgs(t.arg),
      sortBy: t.arg({ type: ProductPerformanceSort, description: 'Order (default GMV, DESC).' }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: (_root, args, ctx) =>
      analyticsConnection(
        ctx,
        'productPerformances',
        args,
        (loaders) => loaders.productPerformances,
      ),
  }),
  skuPerformances: t.field({
    type: SkuPerformanceConnection,
    authScopes: { 'analytics.read': true },
    nullable: true,
    description: 'Per-SKU totals over a date range, paged (cached per page).',
    args: {
      ...analyticsArgs(t.arg),
      ...pageArgs(t.arg),
      sortBy: t.arg({ type: SkuPerformanceSort, description: 'Order (default GMV, DESC).' }),
      shopId: t.arg.id({ description: SHOP_ID_DESCRIPTION }),
    },
    resolve: (_root, args, ctx) =>
      analyticsConnection(ctx, 'skuPerformances', args, (loaders) => loaders.skuPerformances),
  }),
}));
